{{% AUTOESCAPE context="HTML"}}
