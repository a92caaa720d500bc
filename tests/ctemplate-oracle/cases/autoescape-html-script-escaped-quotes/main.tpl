{{%AUTOESCAPE context="HTML"}}<script>var s = '\'{{X}}'; var t = "\\"; var u = {{N}};</script>
