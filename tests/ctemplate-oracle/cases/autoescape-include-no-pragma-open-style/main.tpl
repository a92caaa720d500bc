{{%AUTOESCAPE context="HTML"}}
{{>INC}}
<p>{{X}}</p>
