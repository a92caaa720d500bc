a

  b  
  {{X}}
  {{#S}}
in
{{/S}}
  
z
