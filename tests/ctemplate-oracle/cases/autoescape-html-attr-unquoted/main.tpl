{{%AUTOESCAPE context="HTML"}}
<table border={{X}} class=x{{N}}>t</table>
