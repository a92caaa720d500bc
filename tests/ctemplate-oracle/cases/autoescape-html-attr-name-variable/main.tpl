{{%AUTOESCAPE context="HTML"}}<input checked {{X}}="1">
