a{{! never closed
