<ul>
{{#S}}
  <li>{{N}}</li>
  {{#S_separator}}
  <hr>
  {{/S_separator}}
{{/S}}
</ul>
