{{#DATE}}{{PART}}{{#DATE_separator}}{{SEP}}{{/DATE_separator}}{{/DATE}}
