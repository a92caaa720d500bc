{{X:none:}}
