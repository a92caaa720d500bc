{{%AUTOESCAPE context="HTML"}}<p>{{X:x-foo:none}}|{{X:none:h}}|{{X:H=url}}</p><a href="{{G:H=url}}">x</a><a href="{{G:U=html:h}}">y</a><img src="{{G:I=html}}">
