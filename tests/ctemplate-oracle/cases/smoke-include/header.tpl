<header>{{TITLE}}|{{SUB:j}}|{{SITE}}|{{TG}}</header>
