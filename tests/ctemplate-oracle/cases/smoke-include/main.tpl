<h1>{{TITLE:h}}</h1>
{{>HEADER}}
{{#LIST}}<li>{{>ITEM}}</li>{{/LIST}}
site={{SITE}} tg={{TG}} missing=[{{NOPE}}]
