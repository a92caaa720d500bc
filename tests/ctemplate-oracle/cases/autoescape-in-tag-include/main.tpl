{{%AUTOESCAPE context="HTML"}}
<a {{>ATTRS}}>x</a>
