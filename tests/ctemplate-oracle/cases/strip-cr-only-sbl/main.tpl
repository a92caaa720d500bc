ab   c
  d 