{{X:U=query}}|{{X:url_escape_with_arg=query}}
