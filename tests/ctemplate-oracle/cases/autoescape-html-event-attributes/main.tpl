{{%AUTOESCAPE context="HTML"}}<a onmouseover="x={{N}}; y='{{X}}'" onload="{{B}}">x</a><x onclick="{{X}}" ondrag='{{N}}'>
