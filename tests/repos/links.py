#!/usr/bin/env python3
"""Every link and fragment of a built site, followed as a browser would.

    python3 tests/repos/links.py OUTPUT_DIR

Reads base_url from OUTPUT_DIR/api/pages.json, parses every .html file, and
follows each href and src that stays on the site (relative, root-relative,
or absolute under base_url) from the page's own URL. Prints one line per
link that leads nowhere, sorted: the page, the link as written, and why
("no file", "outside the site", "no id 'x'"). Links the sources themselves
break are listed too; tests/repos/check-charter.sh compares the list with
expected/KIND.links, where each is one of the fixture's intended defects.
"""
import html.parser
import json
import os
import sys
import urllib.parse


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("href", "src"):
            if a.get(k) is not None and tag in ("a", "link", "img", "script", "source"):
                self.links.append(a[k])
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])


def main():
    root = os.path.abspath(sys.argv[1])
    base_url = json.load(open(os.path.join(root, "api", "pages.json")))["site"]["base_url"]
    b = urllib.parse.urlsplit(base_url)
    host = "%s://%s" % (b.scheme, b.netloc) if b.scheme else ""
    base_path = b.path or "/"
    pages = {}
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".html"):
                path = os.path.join(d, f)
                p = Page()
                p.feed(open(path, encoding="utf-8", errors="replace").read())
                pages[path] = p
    bad = set()
    for path, p in pages.items():
        rel = os.path.relpath(path, root)
        # The page's URL, as served (a/b/index.html at base_path + a/b/).
        url = base_path + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for link in p.links:
            s = urllib.parse.urlsplit(link)
            if s.scheme or s.netloc:
                if not host or not link.startswith(host + "/"):
                    continue  # elsewhere: mailto:, another host
                s = urllib.parse.urlsplit(link[len(host):])
            target = urllib.parse.urljoin(url, s.path) if s.path else url
            if not target.startswith(base_path):
                bad.add((rel, link, "outside the site"))
                continue
            file = os.path.join(root, urllib.parse.unquote(target[len(base_path):]))
            if target.endswith("/") or os.path.isdir(file):
                file = os.path.join(file, "index.html")
            file = os.path.normpath(file)
            if not os.path.isfile(file):
                bad.add((rel, link, "no file"))
            elif s.fragment and file in pages and urllib.parse.unquote(s.fragment) not in pages[file].ids:
                bad.add((rel, link, "no id '%s'" % s.fragment))
    for b in sorted(bad):
        print("\t".join(b))


if __name__ == "__main__":
    main()
