{{%AUTOESCAPE context="HTML"}}
<a href="{{U}}">1</a><a href="{{G}}">2</a><a href='{{G}}'>3</a>
