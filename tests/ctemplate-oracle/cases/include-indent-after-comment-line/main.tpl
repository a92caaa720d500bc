a
  {{! c }}
  {{>INC}}
