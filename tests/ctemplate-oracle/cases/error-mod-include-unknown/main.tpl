{{>INC:zz}}
