<!DOCTYPE html>
<html lang="{{LANG:h}}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{TITLE:h}} | {{SITE_TITLE:h}}</title>
  <meta name="description" content="{{SUMMARY:h}}">
  <link rel="canonical" href="{{BASE_URL:h}}{{URL:h}}">
  <link rel="stylesheet" href="{{ROOT:h}}assets/style.css">
  <script type="application/ld+json">{"name": "{{TITLE:j}}", "url": "{{BASE_URL:j}}{{URL:j}}"}</script>
</head>
<body class="page page-{{KIND:h}}">
{{>HEADER}}
<div class="layout">
  <nav class="sidebar" aria-label="{{NAV_LABEL:h}}">
    <ul>
{{#NAV}}
      <li class="{{#NAV_CURRENT}}current{{/NAV_CURRENT}}"><a href="{{ROOT:h}}{{NAV_URL:h}}" title="{{NAV_SUMMARY:h}}">{{NAV_TITLE:h}}</a></li>
{{/NAV}}
    </ul>
  </nav>
  <main id="content">
    <article>
      <header class="doc-header">
        <h1>{{TITLE:h}}</h1>
        <dl class="meta">
          <dt>Owner</dt><dd>{{OWNER:h}}</dd>
          <dt>Status</dt><dd class="status status-{{STATUS:h}}">{{STATUS:h}}</dd>
          <dt>Version</dt><dd>{{VERSION:h}}</dd>
          <dt>Last reviewed</dt><dd><time datetime="{{REVIEWED:h}}">{{REVIEWED_TEXT:h}}</time></dd>
          <dt>Next review</dt><dd><time datetime="{{NEXT_REVIEW:h}}">{{NEXT_REVIEW_TEXT:h}}</time></dd>
{{#OVERDUE}}
          <dd class="warning">Review overdue by {{OVERDUE_DAYS:h}} days</dd>
{{/OVERDUE}}
          <dt>Tags</dt><dd>{{#TAGS}}<a class="tag" href="{{ROOT:h}}tags/{{TAG:u}}/">{{TAG:h}}</a>{{#TAGS_separator}}, {{/TAGS_separator}}{{/TAGS}}</dd>
        </dl>
      </header>
      <div class="body">
{{CONTENT}}
      </div>
      <section class="controls">
        <h2>Controls</h2>
        <table>
          <thead><tr><th>ID</th><th>Control</th><th>Framework</th><th>Owner</th><th>Status</th></tr></thead>
          <tbody>
{{#CONTROLS}}
            <tr id="{{CONTROL_ID:h}}"><td><a href="{{ROOT:h}}controls/{{CONTROL_ID:u}}/">{{CONTROL_ID:h}}</a></td><td>{{CONTROL_TITLE:h}}</td><td>{{FRAMEWORK:h}}</td><td>{{CONTROL_OWNER:h}}</td><td class="status-{{CONTROL_STATUS:h}}">{{CONTROL_STATUS:h}}</td></tr>
{{/CONTROLS}}
          </tbody>
        </table>
      </section>
    </article>
  </main>
</div>
<footer>
  <p>{{SITE_TITLE:h}} &middot; generated {{BUILD_DATE:h}} &middot; <a href="{{ROOT:h}}feed.xml">Atom feed</a></p>
</footer>
</body>
</html>
