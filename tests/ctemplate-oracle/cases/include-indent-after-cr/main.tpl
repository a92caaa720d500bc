a  {{>INC}}
