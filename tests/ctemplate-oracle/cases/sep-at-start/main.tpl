{{#S}}{{#S_separator}}<sep>{{/S_separator}}{{N}}{{/S}}
