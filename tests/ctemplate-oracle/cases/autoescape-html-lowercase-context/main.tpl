{{%AUTOESCAPE context="html"}}
<p>{{X}}</p>
