{{%AUTOESCAPE context="JSON"}}{"a": {{N}}, "b": "{{X:none}}", "c": "{{X:h}}", "d": {{X}}}
