{{%AUTOESCAPE context="HTML"}}<meta http-equiv="refresh" content="0; url={{U}}"><meta content="{{U}}"><meta http-equiv="refresh" content="5;URL='{{U}}'">
