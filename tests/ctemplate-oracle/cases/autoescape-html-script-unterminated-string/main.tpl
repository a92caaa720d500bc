{{%AUTOESCAPE context="HTML"}}<script>var a = "{{X}}</script><p>{{X}}</p>
