a{{= =}}b{{X}}c
d
