{{X}}{{%AUTOESCAPE context="HTML"}}
