{{%AUTOESCAPE context="HTML"}}
<a href={{G}}>x</a>
