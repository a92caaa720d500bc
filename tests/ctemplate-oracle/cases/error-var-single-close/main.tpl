{{X} rest
