  {{%AUTOESCAPE context="HTML"}}
