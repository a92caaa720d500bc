{{%AUTOESCAPE context="HTML"}}
<img src="{{U}}"><form action="{{G}}"><img src="x/{{X}}">
