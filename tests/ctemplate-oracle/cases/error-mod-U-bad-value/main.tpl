{{X:U=xml}}
