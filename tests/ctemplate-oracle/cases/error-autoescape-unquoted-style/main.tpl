{{%AUTOESCAPE context="HTML"}}
<div style=color:{{X}}>x</div>
