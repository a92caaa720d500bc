|{{U1:I=html}}|{{U2:I=html}}|{{U5:img_src_url_escape_with_arg=html}}|{{U4:I=html}}|
