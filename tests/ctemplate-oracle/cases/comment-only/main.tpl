{{! one }}{{! two }}
