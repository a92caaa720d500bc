a{{#S}}[shown {{V}}]{{/S}}b
