{{%AUTOESCAPE context="HTML"}}
<p>{{X:h}}|{{X:p}}|{{X:H=attribute}}|{{X:H=snippet}}|{{X:pre_escape}}</p>
