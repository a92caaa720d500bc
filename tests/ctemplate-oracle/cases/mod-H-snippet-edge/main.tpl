{{#V}}[{{X:H=snippet}}]
{{/V}}