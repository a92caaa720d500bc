{{%AUTOESCAPE context="JAVASCRIPT"}}<script>var a = "{{X}}";</script> {{X}}
