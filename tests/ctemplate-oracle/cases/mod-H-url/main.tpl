{{U1:H=url}}|{{U2:H=url}}|{{U3:H=url}}|{{U4:H=url}}|{{U5:H=url}}|{{U6:H=url}}|{{U7:H=url}}|{{U8:html_escape_with_arg=url}}
