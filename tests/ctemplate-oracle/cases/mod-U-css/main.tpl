|{{U1:U=css}}|{{U2:U=css}}|{{U3:U=css}}|{{U4:url_escape_with_arg=css}}|{{U6:U=css}}|{{U8:U=css}}|
