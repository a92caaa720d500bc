a{{#S}}b
