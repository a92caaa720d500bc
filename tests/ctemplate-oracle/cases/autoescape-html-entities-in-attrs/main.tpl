{{%AUTOESCAPE context="HTML"}}<a onclick="f(&quot;{{X}}&quot;)" title="&amp;{{X}}">x</a>
