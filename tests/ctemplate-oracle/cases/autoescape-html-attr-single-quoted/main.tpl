{{%AUTOESCAPE context="HTML"}}
<a title='{{X}}'>t</a>
