a{{! café 中 }}b
