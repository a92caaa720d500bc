{{%AUTOESCAPE context="HTML"}}
<a onclick="f({{N}}, {{B}})">1</a>
