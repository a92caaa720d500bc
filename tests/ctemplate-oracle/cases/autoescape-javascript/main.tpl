{{%AUTOESCAPE context="JAVASCRIPT"}}
var a = '{{X}}'; var b = {{N}}; var c = {{B}}; var d = "{{X}}";
