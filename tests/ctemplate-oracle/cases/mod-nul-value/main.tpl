{{V:h}}|{{V:j}}|{{V:u}}|{{V:o}}|{{V:none}}
