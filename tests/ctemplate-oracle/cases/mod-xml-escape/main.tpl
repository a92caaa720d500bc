{{X:xml_escape}}
