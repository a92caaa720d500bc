{{X:H=attribute}}|{{U:html_escape_with_arg=attribute}}
