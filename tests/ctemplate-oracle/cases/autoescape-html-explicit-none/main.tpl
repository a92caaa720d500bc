{{%AUTOESCAPE context="HTML"}}
<p>{{X:none}}</p><a href="{{U:none}}">x</a>
