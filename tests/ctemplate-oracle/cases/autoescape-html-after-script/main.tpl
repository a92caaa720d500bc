{{%AUTOESCAPE context="HTML"}}
<script>var a = "{{X}}";</script><p>{{X}}</p><script type="text/javascript">f({{N}});</script>{{X}}
