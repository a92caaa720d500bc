{{%AUTOESCAPE context="HTML"}}<textarea><script>{{X}}</script></textarea>{{N}}<title><b>{{X}}</b></title>
