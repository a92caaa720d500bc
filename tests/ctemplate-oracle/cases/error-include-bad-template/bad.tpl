{{#S}}unclosed
