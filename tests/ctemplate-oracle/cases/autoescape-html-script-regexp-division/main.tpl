{{%AUTOESCAPE context="HTML"}}<script>var a = b / {{N}}; var r = /{{X}}/g; return /{{X}}/; x = a++ / {{N}};</script>
