{{%AUTOESCAPE context="HTML"}}<a title={{X}} href="{{G}}">x</a><input value={{X}} >
