{{%AUTOESCAPE context="HTML"}}<noscript>{{X}}</noscript><iframe>{{X}}</iframe><xmp>{{X}}</xmp><plaintext>{{X}}
