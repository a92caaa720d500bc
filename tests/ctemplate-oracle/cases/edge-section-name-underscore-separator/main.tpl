{{#_separator}}x{{/_separator}}
