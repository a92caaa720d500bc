{{%AUTOESCAPE context="HTML"}}<a href="x"onclick="f({{N}})">x</a>
