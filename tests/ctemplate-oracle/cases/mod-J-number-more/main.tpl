{{#V}}[{{X:J=number}}]
{{/V}}