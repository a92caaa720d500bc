|{{U1:U=javascript}}|{{U2:U=javascript}}|{{U3:U=javascript}}|{{U4:url_escape_with_arg=javascript}}|{{U5:U=javascript}}|{{U7:U=javascript}}|
