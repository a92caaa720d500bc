abc {{NAME and more text
