{{#item}}{{v}}{{#item_separator}}+{{/item_separator}}{{/item}}
