a
 	 {{>INC}} 	 x
