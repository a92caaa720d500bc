{{>I}}{{#I_separator}},{{/I_separator}}
