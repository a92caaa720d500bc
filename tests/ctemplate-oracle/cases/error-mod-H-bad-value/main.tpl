{{X:H=foo}}
