{{%AUTOESCAPE context="HTML"}}
<a href="/s?q={{X}}&u={{U}}">1</a>
