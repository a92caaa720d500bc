{{V:x-foo}}|{{V:x-bar_baz-1}}|{{V:x-}}
