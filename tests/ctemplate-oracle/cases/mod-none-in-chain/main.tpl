{{X:h:none}}|{{X:none:h}}|{{X:none:none}}
