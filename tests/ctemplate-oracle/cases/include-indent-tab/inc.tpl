<li>a</li>
<li>b</li>
