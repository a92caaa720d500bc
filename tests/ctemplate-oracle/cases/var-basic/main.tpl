Hello, {{NAME}}!
