a{{X}}b
