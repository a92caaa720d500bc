{{%AUTOESCAPE context="HTML"}}<script>a</script >{{X}}
