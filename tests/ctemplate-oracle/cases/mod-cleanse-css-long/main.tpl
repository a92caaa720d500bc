{{V:cleanse_css}}
