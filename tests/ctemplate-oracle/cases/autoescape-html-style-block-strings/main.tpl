{{%AUTOESCAPE context="HTML"}}<style>a:before { content: "{{X}}"; } /* {{X}} */ @import url("{{G}}");</style>
