{{%AUTOESCAPE context="HTML"}}
<div style="color:{{X}}; background:{{G}}">x</div>
