{{X:x-a b}}|{{X:x-a}b}}|{{X:x-a=b}c}}|{{X:x-=}}|{{X:x-a:h}}
