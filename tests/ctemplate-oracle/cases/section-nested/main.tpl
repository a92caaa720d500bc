{{#OUT}}(o {{#IN}}[i {{V}}]{{/IN}}){{/OUT}}
