x{{X}}
y{{X}}
