{{%AUTOESCAPE context="HTML"}}
<title>{{X}}</title><textarea>{{X}}</textarea>
