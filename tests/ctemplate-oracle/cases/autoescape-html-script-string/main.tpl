{{%AUTOESCAPE context="HTML"}}
<script>
var a = '{{X}}';
var b = "{{X}}";
</script>
