[{{V:H=attribute}}]
