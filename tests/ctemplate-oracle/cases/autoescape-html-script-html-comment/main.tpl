{{%AUTOESCAPE context="HTML"}}<script><!-- var a = {{N}}; --></script>
