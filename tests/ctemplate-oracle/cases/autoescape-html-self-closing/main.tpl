{{%AUTOESCAPE context="HTML"}}<input value='{{X}}'/><br/>{{X}}
