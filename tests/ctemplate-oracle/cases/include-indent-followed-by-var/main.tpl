a
  {{>INC}}{{X}}
b
