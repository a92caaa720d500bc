{{! leading comment }}{{%AUTOESCAPE context="HTML"}}
<p>{{X}}</p>
