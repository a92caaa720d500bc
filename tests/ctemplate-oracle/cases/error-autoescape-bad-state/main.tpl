{{%AUTOESCAPE context="HTML" state="FOO"}}
