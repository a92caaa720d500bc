{{%AUTOESCAPE context="HTML"}}<a href="{{U}}?q={{X}}">x</a>
