{{%AUTOESCAPE context="JSON"}}
{"a": "{{X}}", "b": {{N}}, "c": "{{X:o}}"}
