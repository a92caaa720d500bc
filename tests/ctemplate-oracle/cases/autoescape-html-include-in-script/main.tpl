{{%AUTOESCAPE context="HTML"}}
<script>{{>INC}}</script>
