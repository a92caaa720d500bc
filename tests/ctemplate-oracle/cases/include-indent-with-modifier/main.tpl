a
  {{>INC:j}}
  {{>INC:h}}
b
