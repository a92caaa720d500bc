{{#ROW}}{{R}}:{{#CELL}} {{R}}.{{C}}{{/CELL}}
{{/ROW}}