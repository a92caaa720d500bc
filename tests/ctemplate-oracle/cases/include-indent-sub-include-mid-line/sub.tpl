s1
s2
