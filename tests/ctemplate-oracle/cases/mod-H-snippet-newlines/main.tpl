{{S:H=snippet}}
