{{%AUTOESCAPE context="HTML"}}<script type="text/template"><p>{{X}}</p></script>
