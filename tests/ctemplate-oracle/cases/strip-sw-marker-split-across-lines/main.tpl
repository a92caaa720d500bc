a{{X}
}b
a{{#S}}x{{/
S}}
c{{X
}}
