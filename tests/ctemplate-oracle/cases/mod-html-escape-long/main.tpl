{{X:html_escape}}
