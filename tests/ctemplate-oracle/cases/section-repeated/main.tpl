{{#ITEM}}<{{N}}:{{V}}>
{{/ITEM}}end
