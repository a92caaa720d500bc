{{%AUTOESCAPE context="JAVASCRIPT"}}var a = {{G}}; var b = "{{G}}"; var c = "{{G:U=javascript}}";
