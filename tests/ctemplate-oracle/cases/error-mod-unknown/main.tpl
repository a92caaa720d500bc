{{X:zz}}
