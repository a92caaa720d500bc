{{X:html_escape_with_arg=SNIPPET}}
