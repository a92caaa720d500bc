a{{! a comment }}b
