[{{V:H=snippet}}]
