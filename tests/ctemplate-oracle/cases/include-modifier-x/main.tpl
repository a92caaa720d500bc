[{{>INC:x-anything}}]
