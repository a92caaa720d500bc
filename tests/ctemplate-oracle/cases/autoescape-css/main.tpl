{{%AUTOESCAPE context="CSS"}}
p { color: {{X}}; background: url({{G}}); }
