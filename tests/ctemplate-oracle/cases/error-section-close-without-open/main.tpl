a{{/S}}b
