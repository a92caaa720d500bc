a{{! x 
  y }}b
  {{!
  z
  }}
c
