{{%AUTOESCAPE context="HTML"}}
<p>a{{BI_SPACE}}b{{BI_NEWLINE}}</p>
