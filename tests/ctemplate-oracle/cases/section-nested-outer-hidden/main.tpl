a{{#OUT}}(o{{#IN}}[i]{{/IN}}){{/OUT}}b
