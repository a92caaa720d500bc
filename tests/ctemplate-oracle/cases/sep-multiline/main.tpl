{{#S}}
{{N}}
{{#S_separator}}
--
{{/S_separator}}
{{/S}}
