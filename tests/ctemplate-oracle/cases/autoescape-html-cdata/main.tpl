{{%AUTOESCAPE context="HTML"}}<![CDATA[ {{X}} ]]>
