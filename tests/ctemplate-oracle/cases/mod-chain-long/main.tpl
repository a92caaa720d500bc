{{V:none:x-a:html_escape:u:j}}
