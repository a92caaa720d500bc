{{%AUTOESCAPE context="XML"}}<a x="{{X:none}}">{{X:h}} {{X:H=attribute}} {{X:j}}</a><![CDATA[{{X}}]]>
