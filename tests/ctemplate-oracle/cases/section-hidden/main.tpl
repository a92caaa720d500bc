a{{#S}}hidden {{V}}{{/S}}b
