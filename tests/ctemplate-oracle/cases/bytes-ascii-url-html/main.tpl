[{{V:U=html}}]
