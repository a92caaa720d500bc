|{{U1:url_escape_with_arg=html}}|{{U2:url_escape_with_arg=html}}|
