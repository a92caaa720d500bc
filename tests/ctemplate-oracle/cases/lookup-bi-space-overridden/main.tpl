[{{BI_SPACE}}] {{#S}}[{{BI_SPACE}}]{{/S}}
