{{%AUTOESCAPE context="HTML"}}
<a href=/s?q={{X}}>1</a>
