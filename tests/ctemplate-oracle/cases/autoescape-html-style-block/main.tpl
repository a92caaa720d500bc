{{%AUTOESCAPE context="HTML"}}
<style>
p { color: {{X}}; width: {{N}}px; }
</style>
<p>{{X}}</p>
