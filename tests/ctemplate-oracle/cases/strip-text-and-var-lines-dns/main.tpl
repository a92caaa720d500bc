  Hello
  {{X}} world  
  {{X}}
  end {{X}}
