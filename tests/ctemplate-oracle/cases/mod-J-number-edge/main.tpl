[{{A:J=number}}]|{{B:J=number}}|{{C:J=number}}|{{D:J=number}}|{{E:J=number}}|{{F:J=number}}
