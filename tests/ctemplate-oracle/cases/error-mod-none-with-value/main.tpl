{{X:none=1}}
