{{X:U=Html}}
