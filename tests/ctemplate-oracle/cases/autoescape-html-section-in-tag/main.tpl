{{%AUTOESCAPE context="HTML"}}<p class="{{X}}" {{#S}}id="{{N}}"{{/S}}><a {{#S}}href="{{U}}"{{/S}}>x</a>
