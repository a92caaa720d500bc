{{%AUTOESCAPE context="HTML"}}<div style="{{X}}:{{N}}"><div style='width:{{N}}px'><a href="x" style="{{X}}">
