{{%AUTOESCAPE context="JAVASCRIPT"}}var a = "{{X:j}}", b = "{{X:o}}", c = {{N:J=number}}, d = "{{X:u}}";
