{{%AUTOESCAPE context="HTML"}}<a data-url="{{U}}" xlink:href="{{U}}" action="{{U}}" background="{{U}}" cite="{{U}}" longdesc="{{U}}" formaction="{{U}}" poster="{{U}}">
