{{%AUTOESCAPE context="HTML"}}<p>{{X:u}}</p>
