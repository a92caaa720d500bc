[{{>INC:h}}]
