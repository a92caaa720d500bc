{{%AUTOESCAPE context="HTML"}}
<p>{{X:j}}|{{X:c}}|{{X:o}}|{{X:xml_escape}}</p>
