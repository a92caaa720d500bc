{{X:J=string}}
