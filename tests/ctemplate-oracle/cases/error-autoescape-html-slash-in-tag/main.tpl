{{%AUTOESCAPE context="HTML"}}<a/b="{{X}}">
