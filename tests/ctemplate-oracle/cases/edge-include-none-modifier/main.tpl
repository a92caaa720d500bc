[{{>INC:none}}]
