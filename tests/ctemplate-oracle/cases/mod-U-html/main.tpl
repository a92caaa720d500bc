|{{U1:U=html}}|{{U2:U=html}}|{{U3:U=html}}|{{U4:U=html}}|{{U5:U=html}}|{{U6:U=html}}|{{U7:U=html}}|{{U8:U=html}}|{{U9:U=html}}|{{U10:U=html}}|
