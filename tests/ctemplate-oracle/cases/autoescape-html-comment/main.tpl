{{%AUTOESCAPE context="HTML"}}
<!-- {{X}} -->
