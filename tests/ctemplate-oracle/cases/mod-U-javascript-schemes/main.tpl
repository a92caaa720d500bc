{{#V}}[{{X:U=javascript}}]
{{/V}}