{{%AUTOESCAPE context="HTML"}}
<script>var a = {{N}}, b = {{B}};</script>
