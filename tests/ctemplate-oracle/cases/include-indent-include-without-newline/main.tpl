a
  {{>INC}}
b
