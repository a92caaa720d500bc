a
  {{>INC}}
