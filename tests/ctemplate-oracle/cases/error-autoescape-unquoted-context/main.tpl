{{%AUTOESCAPE context=HTML}}
