{{%AUTOESCAPE context="HTML"}}<script>var a = [{{N}}, "{{X}}"]; if (a < {{N}}) {}</script>
