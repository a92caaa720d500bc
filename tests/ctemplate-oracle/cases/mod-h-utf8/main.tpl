{{V:h}}|{{V:p}}|{{V:j}}|{{V:o}}|{{V:c}}|{{V:xml_escape}}|{{V:H=attribute}}
