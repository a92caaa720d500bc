{{%AUTOESCAPE context="HTML"}}<object data="{{U}}" codebase="{{U}}" archive="{{U}}" classid="{{U}}"></object><body background="{{U}}"><img dynsrc="{{U}}" usemap="{{U}}">
