{{#OUT}}(o{{#IN}}[i]{{/IN}}){{/OUT}}
