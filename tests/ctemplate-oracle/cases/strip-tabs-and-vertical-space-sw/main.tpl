	a	
b
c
 	 {{X}} 	 
