{{%AUTOESCAPE context="HTML" state="IN_TAG"}}onclick="f({{N}})" style="color:{{X}}" {{X}}
