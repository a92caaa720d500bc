{{%AUTOESCAPE context="HTML"}}i1 {{X}}
i2
