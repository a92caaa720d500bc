alert("from content/assets")
