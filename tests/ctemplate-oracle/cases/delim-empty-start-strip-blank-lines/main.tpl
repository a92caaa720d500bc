a{{= x=}}b{{X}}c
d
