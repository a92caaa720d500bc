a {{A B}} b
