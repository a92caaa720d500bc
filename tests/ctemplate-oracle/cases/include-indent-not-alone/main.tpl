a
x {{>INC}}
b
