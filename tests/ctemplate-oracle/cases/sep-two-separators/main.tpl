{{#S}}{{N}}{{#S_separator}}1{{/S_separator}}{{#S_separator}}2{{/S_separator}}{{/S}}
