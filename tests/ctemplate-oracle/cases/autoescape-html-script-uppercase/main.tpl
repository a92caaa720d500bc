{{%AUTOESCAPE context="HTML"}}<SCRIPT>var a = "{{X}}";</SCRIPT>{{X}}
