{{%AUTOESCAPE context="JAVASCRIPT"}}
var a = "{{X:none}}", b = "{{X:h}}", c = "{{X:U=javascript}}";
