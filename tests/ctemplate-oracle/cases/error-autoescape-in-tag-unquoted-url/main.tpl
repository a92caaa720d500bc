{{%AUTOESCAPE context="HTML" state="IN_TAG"}}href={{G}}
