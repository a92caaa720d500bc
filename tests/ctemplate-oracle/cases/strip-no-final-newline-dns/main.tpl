a
  b  
  last  