{{%AUTOESCAPE context="HTML"}}<script>// {{X}}
var a = {{N}};</script><script>/* {{X}} */ var re = /{{X}}/;</script>
