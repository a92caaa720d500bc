{{V:json_escape}}
