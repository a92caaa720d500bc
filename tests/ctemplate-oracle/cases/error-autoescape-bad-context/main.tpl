{{%AUTOESCAPE context="FOO"}}
{{X}}
