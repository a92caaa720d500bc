{{A:J=number}}|{{B:J=number}}|{{C:J=number}}|{{D:J=number}}|{{E:J=number}}|{{F:J=number}}|{{G:javascript_escape_with_arg=number}}
