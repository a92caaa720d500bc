{{X:pre_escape}}|{{X:H=pre}}|{{X:html_escape_with_arg=pre}}
