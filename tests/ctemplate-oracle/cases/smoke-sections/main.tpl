{{! a comment }}start
{{#ROWS}}
  row {{N}} of {{TOTAL}}{{#ROWS_separator}}, {{/ROWS_separator}}
  {{#INNER}}inner {{N}}/{{X}}{{/INNER}}
{{/ROWS}}
{{#SHOWN}}shown {{TOTAL:x-url-query-escape}}{{/SHOWN}}
not hidden {{#HIDDEN}}hidden{{/HIDDEN}}
{{#ROWS}}again {{N}}{{/ROWS}}
{{=<% %>=}}<%TOTAL%> {{TOTAL}}<%={{ }}=%>
end {{BI_SPACE}}{{BI_NEWLINE}}
