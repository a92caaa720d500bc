{{#S}}{{N}}{{#S_separator}} and {{/S_separator}}{{/S}}.
