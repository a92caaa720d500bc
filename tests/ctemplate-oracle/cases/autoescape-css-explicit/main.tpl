{{%AUTOESCAPE context="CSS"}}p { color: {{X:none}}; x: {{X:h}}; }
