[{{#S}}x{{#S_separator}}|{{/S_separator}}{{/S}}]
