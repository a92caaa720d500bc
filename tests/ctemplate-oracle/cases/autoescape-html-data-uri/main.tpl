{{%AUTOESCAPE context="HTML"}}<img src="data:{{X}}"><a href="javascript:{{X}}">x</a>
