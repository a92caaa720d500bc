{{%AUTOESCAPE context="HTML"}}
<div>{{>INC}}</div>
