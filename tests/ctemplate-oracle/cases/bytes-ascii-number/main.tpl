[{{V:J=number}}]
