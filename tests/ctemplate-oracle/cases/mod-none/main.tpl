{{X:none}}
