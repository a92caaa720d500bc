a {{NAME }} b
