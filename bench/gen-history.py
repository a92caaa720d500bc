#!/usr/bin/env python3
"""Generates a git repository that is a large policy site with a long history,
for benchmarking history reading (not a test).
Usage: bench/gen-history.py DIR [PAGES] [COMMITS]   (default 10000 pages, 20000 commits)

The pages, catalogs, layouts and site.yml are bench/gen-site.py's. The history
is written as one `git fast-import` stream, then checked out:
  - the first commits add the site and the pages in batches of 500;
  - later commits each edit 1-3 pages: change a line of the body, often also
    bump `version:`, sometimes change only `last_reviewed:` (to the commit's day;
    review dates only move forward, so HEAD checks as clean as gen-site.py's, and
    as those are in 2026, review-only commits come in the history's last year);
  - about 2% rename a page (git mv, same content or a small edit; only pages no
    other page links to, so links keep resolving);
  - about 0.4% start a topic branch of 1-3 commits, merged later by a merge commit;
  - 20 authors, pinned dates increasing monotonically from 2021-01-04 to
    2026-11-20 (mixed time zones).
Everything is seeded: the same arguments give the same commit ids. A marker in
DIR/.git records the arguments; if it matches, nothing is done."""
import os, random, shutil, subprocess, sys, tempfile, time

VERSION = 1
out = os.path.abspath(sys.argv[1])
npages = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
ncommits = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
marker = os.path.join(out, ".git", "charter-bench-history")
params = "gen-history v%d pages=%d commits=%d\n" % (VERSION, npages, ncommits)

if os.path.exists(marker) and open(marker).read() == params:
    print("history already in %s (%d pages, %d commits)" % (out, npages, ncommits))
    sys.exit(0)
if os.path.exists(out) and os.listdir(out) and not os.path.exists(marker):
    sys.exit("gen-history: %s exists and is not a generated history; remove it first" % out)
shutil.rmtree(out, ignore_errors=True)
t0 = time.time()

# The site, from gen-site.py, read into memory.
tmp = tempfile.mkdtemp(prefix="charter-gen-history-")
try:
    subprocess.run([sys.executable, os.path.join(top, "bench", "gen-site.py"),
                    os.path.join(tmp, "s"), str(npages)], check=True, stdout=subprocess.DEVNULL)
    files = {}
    root = os.path.join(tmp, "s")
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            files[os.path.relpath(p, root)] = open(p, "rb").read()
finally:
    shutil.rmtree(tmp, ignore_errors=True)

rnd = random.Random(4242)
words = ("policy control access data system review owner risk asset supplier incident "
         "backup network encryption training record approval change monitoring log").split()
first = ["Alex", "Sam", "Priya", "Chen", "Maria", "Olu", "Jonas", "Aiko", "Fatima", "Lukas",
         "Noah", "Zoe", "Ravi", "Ines", "Tomasz", "Grace", "Mehdi", "Sofia", "Kwame", "Hana"]
last = ["Reed", "Okafor", "Sharma", "Wei", "Garcia", "Adeyemi", "Berg", "Tanaka", "Haddad",
        "Novak", "Klein", "Dubois", "Iyer", "Costa", "Nowak", "Murphy", "Rahimi", "Rossi",
        "Mensah", "Sato"]
zones = ["+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900", "+1000"]
authors = [("%s %s" % (f, l), "%s.%s@bench.example" % (f.lower(), l.lower()), zones[i % len(zones)])
           for i, (f, l) in enumerate(zip(first, last))]
maintainer = authors[0]

def para():
    return " ".join(rnd.choice(words) for _ in range(rnd.randint(40, 90))).capitalize() + "."

pages = sorted(p for p in files if p.startswith("content/") and p != "content/index.md")
content = {p: files[p].decode() for p in pages}       # mainline state of every page
skeleton = sorted(p for p in files if p not in content)

# Pages that no page links to may be renamed without breaking links (links never change).
linked = set()
for p, text in content.items():
    i = text.find("[related policy](")
    target = text[i + 17:text.index(")", i)]
    linked.add(os.path.normpath(os.path.join(os.path.dirname(p), target)))
live = list(pages)                   # current page paths, for random choice
where = {p: i for i, p in enumerate(live)}
renamable = set(p for p in pages if p not in linked)

def swap_path(old, new):
    i = where.pop(old)
    live[i] = new
    where[new] = i

# Dates: monotonic, pinned, spread over the span.
t_start, t_end = 1609750800, 1795168800        # 2021-01-04 09:00 UTC .. 2026-11-20 10:00 UTC
avg = max(1, int((t_end - t_start) * 0.97 / max(1, ncommits)))
now = t_start

def tick():
    global now
    now += rnd.randint(1, 2 * avg - 1) if avg > 1 else 1
    return now

def day(ts, tz):
    off = (int(tz[1:3]) * 3600 + int(tz[3:5]) * 60) * (1 if tz[0] == "+" else -1)
    return time.strftime("%Y-%m-%d", time.gmtime(ts + off))

# The fast-import stream.
subprocess.run(["git", "init", "-q", "-b", "main", out], check=True)
for k, v in (("gc.auto", "0"), ("user.name", "Bench"), ("user.email", "bench@bench.example")):
    subprocess.run(["git", "-C", out, "config", k, v], check=True)
fi = subprocess.Popen(["git", "-C", out, "fast-import", "--quiet", "--done"],
                      stdin=subprocess.PIPE, bufsize=1 << 20)
w = fi.stdin.write
mark = 0
head = None          # mainline's last mark

def data(b):
    if isinstance(b, str):
        b = b.encode()
    w(b"data %d\n" % len(b))
    w(b)
    w(b"\n")

def commit(ref, msg, author, ts, parent, merge=None, committer=None):
    global mark
    mark += 1
    c = committer or author
    w(("commit %s\nmark :%d\nauthor %s <%s> %d %s\ncommitter %s <%s> %d %s\n"
       % (ref, mark, author[0], author[1], ts, author[2], c[0], c[1], ts, c[2])).encode())
    data(msg)
    if parent:
        w(b"from :%d\n" % parent)
    if merge:
        w(b"merge :%d\n" % merge)
    return mark

def put(path, text):
    w(("M 100644 inline %s\n" % path).encode())
    data(text)

def edit(path, text, ts, tz, kind):
    """Returns the edited text of one page; kind is body, bump or review."""
    lines = text.split("\n")
    if kind in ("body", "bump"):
        body = [i for i, l in enumerate(lines) if len(l) > 60 and l[0] not in "#|"
                and "](" not in l and not l.startswith("description:")]
        i = rnd.choice(body)
        lines[i] = ("- " if lines[i].startswith("- ") else "") + para()
    if kind == "bump":
        for i, l in enumerate(lines):
            if l.startswith("version: "):
                major, minor = l[10:-1].split(".")
                lines[i] = ('version: "%d.0"' % (int(major) + 1) if rnd.random() < 0.1
                            else 'version: "%s.%d"' % (major, int(minor) + 1))
                break
    if kind == "review" or (kind == "bump" and rnd.random() < 0.5):
        # Review dates only move forward (to the commit's day), so the site stays
        # as clean as gen-site.py's (whose dates are in 2026).
        for i, l in enumerate(lines):
            if l.startswith("last_reviewed: "):
                lines[i] = "last_reviewed: " + max(l[15:], day(ts, tz))
                break
    return "\n".join(lines)

def short(p):
    return os.path.splitext(os.path.basename(p))[0]

# 1. The import: the skeleton and the pages in batches.
batch = 500
nbatches = max(1, -(-len(pages) // batch))
if ncommits < nbatches:
    batch = -(-len(pages) // max(1, ncommits))
    nbatches = max(1, -(-len(pages) // batch))
for b in range(nbatches):
    a = rnd.choice(authors)
    chunk = pages[b * batch:(b + 1) * batch]
    head = commit("refs/heads/main", "Import policies %d-%d" % (b * batch, b * batch + len(chunk) - 1)
                  if b else "Initial import: site, catalogs, layouts and %d policies" % len(chunk),
                  a, tick(), head)
    if b == 0:
        for p in skeleton:
            put(p, files[p])
        put(".gitignore", "_site/\n.charter/\n")
    for p in chunk:
        put(p, content[p])

# 2. Edits, renames, topic branches and merges.
topic = None             # dict: fork, last, left (commits still to make), locked, overlay
done = nbatches
renames = merges = 0

def pick(n, exclude):
    got = []
    while len(got) < n:
        p = rnd.choice(live)
        if p not in got and p not in exclude:
            got.append(p)
    return got

def change_kind(texts, ts):
    """body (55%), bump (30%) or review (15%); review only if it moves every date forward."""
    r = rnd.random()
    if r >= 0.85 and all(reviewed(t) < day(ts - 86400, "+0000") for t in texts):
        return "review"
    return "body" if r < 0.55 else "bump"

def reviewed(text):
    i = text.index("\nlast_reviewed: ") + 16
    return text[i:i + 10]

verbs = {"body": ["Clarify", "Reword", "Tighten", "Update", "Fix wording in"],
         "bump": ["Revise", "Approve revision of", "Update and re-approve"],
         "review": ["Annual review of", "Review", "Mark reviewed:"]}

while done < ncommits:
    left = ncommits - done
    locked = topic["locked"] if topic else ()
    if topic and topic["left"] == 0 and (rnd.random() < 0.3 or left == 1):
        # Merge the topic: mainline's tree plus the topic's versions of its pages.
        m = commit("refs/heads/main", "Merge branch '%s'" % topic["name"], maintainer,
                   tick(), head, merge=topic["last"])
        for p in sorted(topic["overlay"]):
            put(p, topic["overlay"][p])
            content[p] = topic["overlay"][p]
        head, topic = m, None
        merges += 1
    elif topic and topic["left"] > 0 and (rnd.random() < 0.5 or left <= topic["left"] + 1):
        a = topic["author"]
        ts = tick()
        ps = rnd.sample(topic["locked"], rnd.randint(1, len(topic["locked"])))
        kind = change_kind([topic["overlay"].get(p, content[p]) for p in ps], ts)
        topic["last"] = commit("refs/heads/topic", "%s %s" % (rnd.choice(verbs[kind]), ", ".join(map(short, ps))),
                               a, ts, topic["last"])
        for p in ps:
            t = edit(p, topic["overlay"].get(p, content[p]), ts, a[2], kind)
            topic["overlay"][p] = t
            put(p, t)
        topic["left"] -= 1
    elif not topic and left >= 4 and rnd.random() < 0.004:
        n = rnd.randint(1, min(3, left - 2))
        topic = {"fork": head, "last": head, "left": n, "overlay": {}, "author": rnd.choice(authors),
                 "locked": pick(rnd.randint(1, 3), ()), "name": "review-%d" % (merges + 1)}
        continue                               # no commit yet
    elif rnd.random() < 0.02 and renamable - set(locked):
        # Rename (git mv), within the section or, when its link allows, to another one.
        old = rnd.choice(live)
        tries = 0
        while (old not in renamable or old in locked) and tries < 50:
            old, tries = rnd.choice(live), tries + 1
        if old not in renamable or old in locked:
            continue
        base = short(old)[:12]
        sec = os.path.dirname(old)
        if "](../" in content[old] and rnd.random() < 0.3:
            sec = "content/" + os.path.basename(os.path.dirname(rnd.choice(live)))
        new = "%s/%s-%s.md" % (sec, base, rnd.choice(words))
        while new in where:
            new = "%s/%s-%s-%d.md" % (sec, base, rnd.choice(words), rnd.randint(2, 99))
        a = rnd.choice(authors)
        ts = tick()
        head = commit("refs/heads/main", "Rename %s to %s" % (short(old), short(new)), a, ts, head)
        w(('R "%s" "%s"\n' % (old, new)).encode())
        text = content.pop(old)
        if rnd.random() < 0.5:
            text = edit(new, text, ts, a[2], "body")
            put(new, text)
        content[new] = text
        swap_path(old, new)
        renamable.discard(old)
        renamable.add(new)
        renames += 1
    else:
        a = rnd.choice(authors)
        ts = tick()
        n = rnd.choice((1, 1, 1, 2, 2, 3))
        ps = pick(n, locked)
        kind = change_kind([content[p] for p in ps], ts)
        if kind == "bump" and rnd.random() < 0.33:
            # Reviews are due only once a page's date is past (gen-site.py's are in 2026).
            for _ in range(20):
                qs = pick(n, locked)
                if all(reviewed(content[p]) < day(ts - 86400, "+0000") for p in qs):
                    ps, kind = qs, "review"
                    break
        head = commit("refs/heads/main", "%s %s" % (rnd.choice(verbs[kind]), ", ".join(map(short, ps))),
                      a, ts, head)
        for p in ps:
            content[p] = edit(p, content[p], ts, a[2], kind)
            put(p, content[p])
    done += 1

w(b"reset refs/heads/main\nfrom :%d\n\ndone\n" % head)
fi.stdin.close()
if fi.wait() != 0:
    sys.exit("gen-history: git fast-import failed")
t1 = time.time()
subprocess.run(["git", "-C", out, "update-ref", "-d", "refs/heads/topic"], check=False,
               stderr=subprocess.DEVNULL)
subprocess.run(["git", "-C", out, "reset", "-q", "--hard", "main"], check=True)
open(marker, "w").write(params)
print("generated %s: %d pages, %d commits (%d renames, %d merges), fast-import %.1f s, total %.1f s"
      % (out, len(live), mark, renames, merges, t1 - t0, time.time() - t0))
