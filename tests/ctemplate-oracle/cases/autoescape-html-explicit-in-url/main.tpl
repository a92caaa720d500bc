{{%AUTOESCAPE context="HTML"}}
<a href="{{G:U=html}}">1</a><a href="{{G:h}}">2</a><a href="{{G:u}}">3</a><a href="{{U:I=html}}">4</a>
