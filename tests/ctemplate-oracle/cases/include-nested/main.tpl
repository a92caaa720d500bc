main({{>A}})
