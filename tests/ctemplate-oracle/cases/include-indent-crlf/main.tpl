  {{>INC}}
b
