a[{{>INC}}]b
