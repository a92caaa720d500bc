#!/usr/bin/env python3
"""Generates a large policy site for benchmarks (not a test): N pages in
section folders with full front matter, control citations, links between
pages, headings, tables and lists, plus the example site's catalogs and
layouts. Usage: bench/gen-site.py OUTDIR [PAGES] (default 10000)."""
import os, random, shutil, sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rnd = random.Random(42)
sections = ["governance", "people", "technology", "operations", "privacy", "suppliers",
            "engineering", "facilities", "finance", "legal"]
words = ("policy control access data system review owner risk asset supplier incident "
         "backup network encryption training record approval change monitoring log").split()

if os.path.exists(out):
    shutil.rmtree(out)
os.makedirs(out)
for d in ("controls", "layouts", "assets"):
    shutil.copytree(os.path.join(top, d), os.path.join(out, d))
with open(os.path.join(out, "site.yml"), "w") as f:
    f.write("title: Benchmark site\norganization: Bench Ltd\nbase_url: /\n"
            "repository_url: https://git.example/bench\nframeworks: [iso27001-2022]\n")
ids = [l.split("id:")[1].strip() for l in open(os.path.join(top, "controls/iso27001-2022.yml"))
       if l.strip().startswith("- id:")]

def para():
    return " ".join(rnd.choice(words) for _ in range(rnd.randint(40, 90))).capitalize() + "."

pages = []
for i in range(n):
    sec = sections[i % len(sections)]
    pages.append((sec, "policy-%05d" % i))
os.makedirs(os.path.join(out, "content"))
with open(os.path.join(out, "content", "index.md"), "w") as f:
    f.write("---\ntitle: Home\nlayout: home\npermalink: /\n---\nThe benchmark site.\n")
for i, (sec, name) in enumerate(pages):
    d = os.path.join(out, "content", sec)
    os.makedirs(d, exist_ok=True)
    other = pages[rnd.randrange(n)]
    link = ("%s.md" % other[1]) if other[0] == sec else ("../%s/%s.md" % other)
    body = ["## Purpose", para(), "## Scope", para(),
            "## Policy statements", "### Principles", para(), "### Requirements",
            "- " + para(), "- " + para(), "- See the [related policy](%s)." % link,
            "| Role | Responsibility |", "|---|---|",
            "| Owner | %s |" % para()[:60], "| Approver | %s |" % para()[:60],
            "## Exceptions", para()]
    f = open(os.path.join(d, name + ".md"), "w")
    f.write("---\ntitle: Policy %05d on %s\nid: POL-%05d\ndescription: %s\nowner: Owner %d\n"
            "approver: CISO\nstatus: approved\nversion: \"1.%d\"\nclassification: Internal\n"
            "last_reviewed: 2026-%02d-%02d\nreview_cycle: 12 months\ncontrols: [%s]\n"
            "tags: [%s, %s]\n---\n\n%s\n" % (
                i, rnd.choice(words), i, para()[:100], i % 50, i % 10, 1 + i % 10, 1 + i % 28,
                ", ".join(rnd.sample(ids, 4)), rnd.choice(words), rnd.choice(words),
                "\n\n".join(body)))
    f.close()
print("generated %d pages in %s" % (n, out))
