<ul>
	  {{>INC}}
</ul>
