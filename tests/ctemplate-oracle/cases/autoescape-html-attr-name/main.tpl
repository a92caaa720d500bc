{{%AUTOESCAPE context="HTML"}}
<input value="v" {{X}}>
