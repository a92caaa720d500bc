a
{{>INC}}
b
