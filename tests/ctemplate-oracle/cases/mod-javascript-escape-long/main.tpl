{{X:javascript_escape}}
