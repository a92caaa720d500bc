{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html><html lang="{{X}}"><?xml a="{{X}}"?>
