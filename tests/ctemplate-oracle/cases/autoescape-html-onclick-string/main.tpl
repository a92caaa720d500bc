{{%AUTOESCAPE context="HTML"}}
<a onclick="f('{{X}}', &quot;{{X}}&quot;)">1</a>
