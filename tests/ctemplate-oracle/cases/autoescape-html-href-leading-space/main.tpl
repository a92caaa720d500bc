{{%AUTOESCAPE context="HTML"}}<a href=" {{U}}">x</a>
