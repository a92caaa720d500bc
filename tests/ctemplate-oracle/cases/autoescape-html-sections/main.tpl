{{%AUTOESCAPE context="HTML"}}
<ul>{{#S}}<li class="{{C}}">{{V}}</li>{{#S_separator}}
{{/S_separator}}{{/S}}</ul>
