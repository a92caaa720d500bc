{{V:xml_escape}}
