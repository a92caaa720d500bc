<p class="c">{{X}}</p>
