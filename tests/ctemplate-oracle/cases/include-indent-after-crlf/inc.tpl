i1
i2
