{{X:I=query}}
