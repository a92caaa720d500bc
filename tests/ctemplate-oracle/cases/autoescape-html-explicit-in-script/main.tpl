{{%AUTOESCAPE context="HTML"}}
<script>var a = "{{X:j}}", b = "{{X:h}}", c = "{{X:o}}", d = {{N:J=number}};</script>
