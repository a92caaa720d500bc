a

  
	
b  
  c	

