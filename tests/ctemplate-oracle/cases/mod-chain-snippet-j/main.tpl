{{V:H=snippet:j}}
