var s = '{{V:j}}';
