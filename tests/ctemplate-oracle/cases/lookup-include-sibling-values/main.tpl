{{>INC}}
