{{#S}}{{N}}{{#T}}{{#S_separator}},{{/S_separator}}{{/T}}{{/S}}
