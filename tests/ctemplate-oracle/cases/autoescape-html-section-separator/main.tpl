{{%AUTOESCAPE context="HTML"}}<a href="{{U}}">{{#S}}<b>{{X}}</b>{{#S_separator}}, {{/S_separator}}{{/S}}</a>
