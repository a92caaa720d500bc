{{X:url_query_escape}}|{{S:u}}
