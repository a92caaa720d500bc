|{{U1:I=javascript}}|{{U2:I=javascript}}|{{U1:I=css}}|{{U3:img_src_url_escape_with_arg=css}}|
