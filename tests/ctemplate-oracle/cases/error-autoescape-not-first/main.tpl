x {{%AUTOESCAPE context="HTML"}}
