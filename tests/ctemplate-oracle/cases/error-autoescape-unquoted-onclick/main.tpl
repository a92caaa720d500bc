{{%AUTOESCAPE context="HTML"}}
<a onclick=f({{N}})>x</a>
