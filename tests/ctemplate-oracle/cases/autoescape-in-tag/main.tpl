{{%AUTOESCAPE context="HTML" state="IN_TAG"}}
title="{{X}}" href="{{U}}" class={{X}}
