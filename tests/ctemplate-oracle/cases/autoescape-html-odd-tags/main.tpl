{{%AUTOESCAPE context="HTML"}}< p>{{X}}</ p><p>a < b {{X}}</p>
