{{%AUTOESCAPE context="JAVASCRIPT"}}var r = /{{X}}/; var d = a / {{N}}; // {{X}}
/* {{X}} */ var s = '{{X}}';
