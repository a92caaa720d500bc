{{%AUTOESCAPE context="HTML"}}<a HREF="{{U}}">x</a><IMG SRC="{{G}}">
