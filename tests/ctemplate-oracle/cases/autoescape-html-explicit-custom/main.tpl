{{%AUTOESCAPE context="HTML"}}
<p>{{X:x-foo}}</p>
