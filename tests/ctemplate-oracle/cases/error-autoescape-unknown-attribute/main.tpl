{{%AUTOESCAPE context="HTML" foo="bar"}}
