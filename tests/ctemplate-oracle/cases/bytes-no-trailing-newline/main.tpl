a
b {{X}}