{{%AUTOESCAPE context="HTML"}}<script>var a = "</scr" + "ipt>"; b = {{N}};</script>
