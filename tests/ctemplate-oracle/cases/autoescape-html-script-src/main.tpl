{{%AUTOESCAPE context="HTML"}}<script src="{{G}}"></script>{{X}}
