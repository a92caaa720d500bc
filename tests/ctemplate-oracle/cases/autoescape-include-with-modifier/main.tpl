{{%AUTOESCAPE context="HTML"}}<p>{{>INC:h}}|{{>INC:none}}</p>
