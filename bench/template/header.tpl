<header class="site-header">
  <a class="brand" href="{{ROOT:h}}">{{SITE_TITLE:h}}</a>
  <form class="search" action="{{ROOT:h}}search/"><input name="q" placeholder="{{SEARCH_HINT:h}}"></form>
{{#BANNER}}
  <p class="banner">{{BANNER_TEXT:h}}</p>
{{/BANNER}}
</header>
