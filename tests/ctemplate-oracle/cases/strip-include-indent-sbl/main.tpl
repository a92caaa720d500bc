a
  {{>INC}}
b
  x {{>INC}}
