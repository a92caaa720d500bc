{{%AUTOESCAPE context="HTML"}}{{%AUTOESCAPE context="HTML"}}
