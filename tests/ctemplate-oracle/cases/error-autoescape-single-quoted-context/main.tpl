{{%AUTOESCAPE context='HTML'}}
