{{>INC }}
