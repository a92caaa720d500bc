i1 {{>SUB}}
i2
