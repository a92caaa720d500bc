a{{>INC}}b
