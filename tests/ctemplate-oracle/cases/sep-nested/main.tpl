{{#R}}[{{#C}}{{V}}{{#C_separator}},{{/C_separator}}{{/C}}]{{#R_separator}};{{/R_separator}}{{/R}}
