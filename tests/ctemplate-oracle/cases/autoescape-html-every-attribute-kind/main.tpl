{{%AUTOESCAPE context="HTML"}}<a href="{{G}}" title="{{G}}" onclick="{{G}}" style="{{G}}">
