x
  {{>INC}}
