{{%AUTOESCAPE context="HTML"}}<a href = "{{U}}" >x</a><a href
="{{U}}">x</a>
