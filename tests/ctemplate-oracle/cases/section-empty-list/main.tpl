a{{#S}}x{{/S}}b
