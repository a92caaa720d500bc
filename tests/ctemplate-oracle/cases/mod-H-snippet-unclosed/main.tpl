[{{S:H=snippet}}] [{{S:html_escape_with_arg=snippet}}]
