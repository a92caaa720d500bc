{{=a b c=}}x
