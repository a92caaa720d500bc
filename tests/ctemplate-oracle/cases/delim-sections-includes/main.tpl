{{=<% %>=}}<%#S%><%N%><%#S_separator%>,<%/S_separator%><%/S%> <%! c %><%>INC%> <%X:h%>
