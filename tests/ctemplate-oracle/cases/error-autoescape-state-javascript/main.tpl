{{%AUTOESCAPE context="JAVASCRIPT" state="IN_TAG"}}
