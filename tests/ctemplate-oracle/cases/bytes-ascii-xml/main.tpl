[{{V:xml_escape}}]
