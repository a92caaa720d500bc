{{%AUTOESCAPE context="HTML"}}<a href="{{G}}{{X}}">x</a>
