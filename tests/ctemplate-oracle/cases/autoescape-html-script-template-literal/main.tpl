{{%AUTOESCAPE context="HTML"}}<script>var t = `{{X}}`;</script>
