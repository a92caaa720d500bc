[{{V:U=css}}]
