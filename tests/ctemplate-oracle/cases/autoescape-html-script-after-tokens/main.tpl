{{%AUTOESCAPE context="HTML"}}<script>x = (a) / {{N}}; y = [1] / {{N}}; z = if / {{N}};</script>
