a
    {{>INC}}
b
