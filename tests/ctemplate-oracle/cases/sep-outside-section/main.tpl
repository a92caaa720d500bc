a{{#S_separator}}x{{/S_separator}}b{{#T_separator}}y{{/T_separator}}c
