a
  {{>INC}}
