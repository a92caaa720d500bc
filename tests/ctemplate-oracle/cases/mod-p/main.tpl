<pre>{{X:p}}</pre>
