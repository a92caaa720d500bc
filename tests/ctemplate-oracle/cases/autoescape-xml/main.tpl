{{%AUTOESCAPE context="XML"}}
<a b="{{X}}">{{X}}</a>
