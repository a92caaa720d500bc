{{X:xml_escape=1}}
