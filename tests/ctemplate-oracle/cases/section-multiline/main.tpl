list:
{{#I}}
  - {{V}}
{{/I}}
done
