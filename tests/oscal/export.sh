#!/bin/sh
# The OSCAL export (docs/oscal.md): every build writes
# oscal/component-definition.json. It must validate against NIST's OSCAL
# 1.0.6 component schema (from $OSCAL_DIR, default ../shared/oscal beside
# the repository; without it, one `skip:` line and the other checks still
# run), and the validator must reject a broken copy. Its facts are checked
# against the site independently: one implemented requirement per distinct
# control cited in api/pages.json, a known policy's links, a resource per
# linked page; two builds are byte-identical; an edited description reaches
# it on an incremental rebuild, with manifest.json and `charter verify`
# agreeing; control ids that are no OSCAL token are mapped reversibly.
# Needs CHARTER.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-oscal.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"
. "$top/tests/oscal/lib.sh"
out=oscal/component-definition.json

# --- the example site, built from the repository ---------------------------
"$CHARTER" build --site "$top" --out "$tmp/a" --as-of 2026-11-25 --quiet >"$tmp/a.log" 2>&1
check "the example site builds" test $? = 0
check "the build writes $out" test -s "$tmp/a/$out"
if [ -n "$schema" ]; then
    check "$out is valid OSCAL 1.0.6 (NIST's component schema)" validate "$tmp/a/$out"
    # The validator must be able to fail: a missing required field, a bad
    # UUID, a control id that is no token, a date without a time zone.
    "$py" - "$tmp/a/$out" "$tmp" <<'PY'
import copy, json, sys
doc = json.load(open(sys.argv[1]))
cd = doc["component-definition"]
req = cd["components"][0]["control-implementations"][0]["implemented-requirements"][0]
def breaking(name, change):
    d = copy.deepcopy(doc)
    change(d["component-definition"])
    json.dump(d, open("%s/broken-%s.json" % (sys.argv[2], name), "w"))
breaking("no-oscal-version", lambda c: c["metadata"].pop("oscal-version"))
breaking("bad-uuid", lambda c: c.__setitem__("uuid", "a0c-not-a-uuid"))
breaking("control-id", lambda c: c["components"][0]["control-implementations"][0]
         ["implemented-requirements"][0].__setitem__("control-id", "5.1 (a)"))
breaking("date", lambda c: c["metadata"].__setitem__("last-modified", "2026-11-25"))
breaking("empty-links", lambda c: c["components"][0].__setitem__("links", []))
PY
    for b in no-oscal-version bad-uuid control-id date empty-links; do
        validate "$tmp/broken-$b.json" >"$tmp/broken.out" 2>&1
        rc=$?
        if [ $rc = 1 ] && grep -q "broken-$b.json: \\$" "$tmp/broken.out"; then
            ok "the validator rejects a broken copy ($b)"
        else
            not_ok "the validator rejects a broken copy ($b)" "exit $rc: $(cat "$tmp/broken.out")"
        fi
    done
fi

# Facts, from api/pages.json and the catalog on their own.
check "its facts agree with api/pages.json" "$py" - "$tmp/a" "$top" <<'PY'
import json, re, sys
site, top = sys.argv[1], sys.argv[2]
doc = json.load(open(site + "/oscal/component-definition.json"))["component-definition"]
pages = json.load(open(site + "/api/pages.json"))
def fail(msg):
    sys.exit(msg)
if doc["metadata"]["oscal-version"] != "1.0.6":
    fail("oscal-version is %r" % doc["metadata"]["oscal-version"])
if doc["metadata"]["last-modified"] != "2026-11-25T00:00:00Z":
    fail("last-modified is %r, not the --as-of day" % doc["metadata"]["last-modified"])
comps = doc["components"]
if len(comps) != 1 or comps[0]["type"] != "policy" or comps[0]["title"] != pages["site"]["title"]:
    fail("not one policy component titled as the site: %r" % [(c["type"], c["title"]) for c in comps])
# Distinct cited controls, as the pages write them (the example cites plain
# ids), each implemented by its pages in force, else by its drafts; a
# retired page implements nothing.
by_status = {}
for p in pages["pages"]:
    status = p["front_matter"].get("status")
    kind = "draft" if status == "draft" else "retired" if status == "retired" else "in force"
    for c in p["front_matter"].get("controls") or []:
        by_status.setdefault(c, {}).setdefault(kind, set()).add(p["url"])
cited = {}
for c, kinds in by_status.items():
    urls = kinds.get("in force") or kinds.get("draft")
    if urls:
        cited[c] = urls
reqs = [r for ci in comps[0]["control-implementations"] for r in ci["implemented-requirements"]]
ids = [r["control-id"] for r in reqs]
if len(ids) != len(cited) or set(ids) != set(cited):
    fail("%d implemented requirements, %d distinct cited controls; differ in %r"
         % (len(ids), len(cited), sorted(set(ids) ^ set(cited))[:8]))
res = {r["uuid"]: r for r in doc["back-matter"]["resources"]}
uuids = [doc["uuid"], comps[0]["uuid"]] + list(res) + [r["uuid"] for r in reqs] + \
    [ci["uuid"] for ci in comps[0]["control-implementations"]]
if len(set(uuids)) != len(uuids):
    fail("a UUID is used twice")
for r in reqs:
    urls = {l["href"] for l in r["links"] if not l["href"].startswith("#")}
    if urls != cited[r["control-id"]]:
        fail("%s links %r, cited by %r" % (r["control-id"], sorted(urls), sorted(cited[r["control-id"]])))
    for l in r["links"]:
        if l["href"].startswith("#"):
            target = res.get(l["href"][1:])
            if not target or l.get("rel") != "reference":
                fail("%s: %s names no resource" % (r["control-id"], l["href"]))
            if target["rlinks"][0]["href"] not in urls:
                fail("%s: resource %s is not a citing page" % (r["control-id"], l["href"]))
# A known policy: the access control policy implements A.5.15, in its words.
ac = [p for p in pages["pages"] if p["source"] == "content/technology/access-control.md"][0]
a515 = [r for r in reqs if r["control-id"] == "A.5.15"]
if not a515 or ac["url"] not in {l["href"] for l in a515[0]["links"]}:
    fail("A.5.15 does not link %s" % ac["url"])
if ac["front_matter"]["description"] not in a515[0]["description"] or \
        ac["title"] not in a515[0]["description"]:
    fail("A.5.15's description does not give the policy's statement: %r" % a515[0]["description"])
r = [r for r in res.values() if r["rlinks"][0]["href"] == ac["url"]][0]
props = {p["name"]: p["value"] for p in r["props"]}
fm = ac["front_matter"]
if r["title"] != ac["title"] or props.get("owner") != fm["owner"] or \
        props.get("version") != str(fm["version"]) or props.get("last-reviewed") != fm["last_reviewed"]:
    fail("the access control policy's resource: %r" % r)
PY

"$CHARTER" build --site "$top" --out "$tmp/b" --as-of 2026-11-25 --quiet >"$tmp/b.log" 2>&1
check "a second build writes the same bytes" cmp "$tmp/a/$out" "$tmp/b/$out"

# --- an incremental rebuild after an edit --------------------------------
site=$tmp/site
example_repo "$site"
build() { (cd "$site" && "$CHARTER" build --as-of 2026-11-25 --quiet) >"$tmp/build.out" 2>&1; }
build
check "the example repository builds" test $? = 0
cp "$site/_site/$out" "$tmp/before.json"
sed -i 's/^description: .*/description: Who may reach what, revised for the export test./' \
    "$site/content/technology/access-control.md"
build
check "the rebuild after the edit succeeds" test $? = 0
if cmp -s "$tmp/before.json" "$site/_site/$out"; then
    not_ok "the edited description changes the export"
elif grep -q 'revised for the export test' "$site/_site/$out"; then
    ok "the edited description changes the export"
else
    not_ok "the edited description changes the export" "$(diff "$tmp/before.json" "$site/_site/$out" | head)"
fi
sum=$(sha256sum "$site/_site/$out" | cut -d' ' -f1)
check "manifest.json lists the export with its digest" grep -q "\"path\": \"$out\", .*\"sha256\": \"$sum\"" "$site/_site/manifest.json"
check "charter verify passes on the rebuilt site" "$CHARTER" verify "$site/_site"
[ -z "$schema" ] || check "the rebuilt export is valid" validate "$site/_site/$out"
# An edit of a body changes nothing the export says (the content was
# already uncommitted): the previous file is linked, not written again
# (the same inode); one more description edit writes it anew.
ino() { stat -c %i "$site/_site/$out"; }
before=$(ino)
printf '\nA sentence the export does not show.\n' >>"$site/content/technology/access-control.md"
build
if [ "$(ino)" = "$before" ]; then ok "a body edit reuses the export"; else
    not_ok "a body edit reuses the export" "inode $before, then $(ino)"; fi
sed -i 's/^description: .*/description: Who may reach what, revised again./' \
    "$site/content/technology/access-control.md"
build
if [ "$(ino)" != "$before" ] && grep -q 'revised again' "$site/_site/$out"; then
    ok "a description edit after it writes the export anew"
else not_ok "a description edit after it writes the export anew"; fi

# --- control ids that are no OSCAL token ----------------------------------
odd=$tmp/odd
mkdir -p "$odd/content" "$odd/controls"
cat >"$odd/site.yml" <<'EOF'
title: Odd ids
base_url: https://policies.example/odd/
frameworks: [odd]
EOF
cat >"$odd/controls/odd.yml" <<'EOF'
framework: odd
name: Odd framework
controls:
  - id: "5.1"
    title: A clause number
  - id: AC-2(1)
    title: An enhancement
  - id: A.1
    title: A plain one
EOF
cat >"$odd/content/p.md" <<'EOF'
---
title: "Plain & odd"
description: "Covers\n  three  ids."
owner: " Head of\tOdd "
last_reviewed: 2026-06-01
controls: ["5.1", AC-2(1), A.1]
---
Text.
EOF
"$CHARTER" build --site "$odd" --out "$tmp/odd-out" --as-of 2026-11-25 --quiet >"$tmp/odd.log" 2>&1
check "a site citing ids that are no token builds" test $? = 0
check "they are mapped reversibly, with the original id as a prop" "$py" - "$tmp/odd-out/$out" <<'PY'
import json, re, sys
doc = json.load(open(sys.argv[1]))["component-definition"]
reqs = doc["components"][0]["control-implementations"][0]["implemented-requirements"]
got = {}
for r in reqs:
    props = {p["name"]: p["value"] for p in r.get("props", [])}
    got[r["control-id"]] = props.get("control-id")
want = {"_5.1": "5.1", "_AC-2_281_29": "AC-2(1)", "A.1": None}
if got != want:
    sys.exit("control ids %r, want %r" % (got, want))
def unmap(t):
    return t if not t.startswith("_") else re.sub(r"_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), t[1:])
for t, orig in want.items():
    if unmap(t) != (orig or t):
        sys.exit("%s does not read back as %s" % (t, orig))
owner = [p["value"] for r in doc["back-matter"]["resources"] for p in r["props"] if p["name"] == "owner"]
if owner != ["Head of Odd"]:
    sys.exit("owner prop %r: not one line without spaces around" % owner)
if not all(l["href"].startswith("https://policies.example/odd/") or l["href"].startswith("#")
           for r in reqs for l in r["links"]):
    sys.exit("links not under base_url")
PY
[ -z "$schema" ] || check "that export is valid too" validate "$tmp/odd-out/$out"

# A cited control the statement of applicability excludes is not
# implemented: its requirement says not-applicable, with the justification
# as its remarks (none for a blank one); the one whose status is planned
# keeps it.
cat >"$odd/controls/applicability.yml" <<'EOF'
A.1:
  applicable: false
  justification: We run no such systems.
AC-2(1):
  applicable: false
  justification: "   "
"5.1":
  applicable: true
  status: planned
EOF
"$CHARTER" build --site "$odd" --out "$tmp/odd-out" --as-of 2026-11-25 --quiet >"$tmp/odd.log" 2>&1
check "the site with an excluded cited control builds" test $? = 0
check "the excluded control's requirement is not-applicable, with its justification" \
    "$py" - "$tmp/odd-out/$out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))["component-definition"]
reqs = doc["components"][0]["control-implementations"][0]["implemented-requirements"]
got = {}
for r in reqs:
    props = {p["name"]: p["value"] for p in r.get("props", [])}
    got[r["control-id"]] = (props.get("implementation-status"), r.get("remarks"))
want = {"_5.1": ("planned", None), "_AC-2_281_29": ("not-applicable", None),
        "A.1": ("not-applicable", "We run no such systems.")}
if got != want:
    sys.exit("statuses %r, want %r" % (got, want))
PY
[ -z "$schema" ] || check "that export is valid too" validate "$tmp/odd-out/$out"

echo "oscal export: $n checks, $failed failed"
[ "$failed" -eq 0 ]
