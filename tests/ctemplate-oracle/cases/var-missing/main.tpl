[{{MISSING}}] [{{NAME}}] [{{ALSO_MISSING:h}}] [{{#NOSEC}}x{{/NOSEC}}]
