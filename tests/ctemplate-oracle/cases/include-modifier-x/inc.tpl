<raw>&
