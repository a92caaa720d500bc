{{%AUTOESCAPE context="HTML" state="IN_TAG"}}x="1"><p>{{X}}</p
