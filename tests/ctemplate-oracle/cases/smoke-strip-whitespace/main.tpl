  <html>  
	<body>
    {{#S}}  
   <p> {{V}}  </p>	
  {{/S}}

   
  <pre>
    keep?  
  </pre>
{{V}}   
{{!c}}
   tail