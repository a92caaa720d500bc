{{%AUTOESCAPE context="CSS"}}/* {{X}} */ a { content: "{{X}}"; width: {{N}}px; background: url({{G:U=css}}); }
