{{%AUTOESCAPE context="HTML"}}<div style="background:url({{G}})">x</div><div style="font-family:'{{X}}'">x</div>
