{{name}} {{Name}} {{NAME}} {{nAmE}}
