[{{>INC:h:j}}]
[{{>INC:u}}]
