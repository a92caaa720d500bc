a
  {{>INC}}  
b
