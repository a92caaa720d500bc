{{V:x-my_mod=value1,value2 has spaces,etc}}|{{V:x-a=b=c:h}}
