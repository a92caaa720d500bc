#!/bin/sh
# OSCAL import on NIST's own files (docs/oscal.md): `charter catalog import`
# of the SP 800-53 rev 5 LOW catalog, its facts checked against the JSON read
# independently with python3; the MODERATE profile applied (its ids the LOW
# catalog lacks are warnings) and a small profile of our own (with-child-
# controls, exclude-controls); --force refusing a hand-written catalog;
# invalid JSON named at file:line:col; and a small site built and checked
# with the imported catalog and again with site.yml's oscal_catalogs naming
# the JSON, giving the same control page. Needs CHARTER; OSCAL_DIR (default:
# ../shared/oscal beside the repository) holds the NIST files, and without
# them the test prints one "skip:" line and passes.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
OSCAL_DIR=${OSCAL_DIR:-$top/../shared/oscal}
cat_json=$OSCAL_DIR/nist/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json
mod_json=$OSCAL_DIR/nist/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json
if [ ! -f "$cat_json" ] || [ ! -f "$mod_json" ]; then
    echo "skip: oscal import: NIST's OSCAL files not found in '$OSCAL_DIR' (set OSCAL_DIR)"
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-oscal-import.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"

# --- facts from the JSON, read by python3 alone ------------------------------------
# facts CATALOG [PROFILE]: "controls N", "applicable N", "missing N" (profile
# ids the catalog lacks) and "children ia-2 ..." lines.
cat >"$tmp/facts.py" <<'EOF'
import json, sys
cat = json.load(open(sys.argv[1]))["catalog"]
ids, kids = [], {}
def withdrawn(c):
    return any(p.get("name") == "status" and p.get("value") == "withdrawn" for p in c.get("props", []))
def controls(cs, parent):
    for c in cs:
        kids.setdefault(parent, []).append(c["id"])
        if not withdrawn(c):
            ids.append(c["id"])
        controls(c.get("controls", []), c["id"])
def groups(gs):
    for g in gs:
        controls(g.get("controls", []), None)
        groups(g.get("groups", []))
groups(cat.get("groups", []))
controls(cat.get("controls", []), None)
print("controls", len(ids))
if len(sys.argv) > 2:
    prof = json.load(open(sys.argv[2]))["profile"]
    sel, named = set(), []
    for imp in prof["imports"]:
        inc, exc = set(), set()
        for sels, into in ((imp.get("include-controls", []), inc), (imp.get("exclude-controls", []), exc)):
            for s in sels:
                for i in s.get("with-ids", []):
                    named.append(i)
                    into.add(i)
                    if s.get("with-child-controls") == "yes":
                        stack = [i]
                        while stack:
                            k = stack.pop()
                            into.update(kids.get(k, []))
                            stack.extend(kids.get(k, []))
        if "include-all" in imp:
            inc = set(ids)
        sel |= inc - exc
    print("applicable", len([i for i in ids if i in sel]))
    print("missing", len(set(named) - set(ids)))
print("children ia-2", " ".join(kids.get("ia-2", [])))
EOF
fact() { python3 "$tmp/facts.py" "$@" >"$tmp/facts" && sed -n "s/^$1 //p" "$tmp/facts"; }
want_controls=$(python3 "$tmp/facts.py" "$cat_json" | sed -n 's/^controls //p')
check "python3 counts the catalog's controls" test "${want_controls:-0}" -gt 100

# yaml_fact FILE EXPR: a fact of an imported catalog, read with python3-yaml.
yaml_fact() {
    python3 -c '
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
by = {c["id"]: c for c in doc["controls"]}
print(eval(sys.argv[2]))' "$1" "$2"
}

# --- charter catalog import -------------------------------------------------------------
site=$tmp/site
mkdir -p "$site/content"
"$CHARTER" catalog import "$cat_json" --site "$site" --framework nist-low >"$tmp/out" 2>"$tmp/err"
check "the import exits 0 and warns of nothing" test $? -eq 0 -a ! -s "$tmp/err"
lib=$site/controls/nist-low.yml
check "it writes controls/nist-low.yml in the site" test -f "$lib"
check "it says so" grep -qx "wrote $site/controls/nist-low.yml" "$tmp/out"
check "the summary counts every control not withdrawn ($want_controls)" \
    grep -qx "controls: $want_controls" "$tmp/out"
check "the file holds as many controls" \
    test "$(yaml_fact "$lib" 'len(doc["controls"])')" = "$want_controls"
check "the file's ids are the catalog's, in order" \
    test "$(yaml_fact "$lib" '" ".join(c["id"] for c in doc["controls"])')" = \
    "$(python3 -c '
import json, sys
def walk(cs):
    for c in cs:
        if not any(p.get("name") == "status" and p.get("value") == "withdrawn" for p in c.get("props", [])):
            yield c["id"]
        yield from walk(c.get("controls", []))
def groups(gs):
    for g in gs:
        yield from walk(g.get("controls", []))
        yield from groups(g.get("groups", []))
print(" ".join(groups(json.load(open(sys.argv[1]))["catalog"]["groups"])))' "$cat_json")"
check "it starts with the import's comment" \
    sh -c "head -n 1 '$lib' | grep -q '^# Generated by charter catalog import from NIST_SP-800-53_rev5_LOW'"
check "ac-2 is Account Management" test "$(yaml_fact "$lib" 'by["ac-2"]["title"]')" = "Account Management"
check "ac-2 is in the group Access Control" test "$(yaml_fact "$lib" 'by["ac-2"]["group"]')" = "Access Control"
check "ac-2's label is AC-2" test "$(yaml_fact "$lib" 'by["ac-2"]["label"]')" = "AC-2"
check "an enhancement keeps its id and label: ia-2.1, IA-2(1), group Identification and Authentication" \
    test "$(yaml_fact "$lib" 'by["ia-2.1"]["label"] + "|" + by["ia-2.1"]["group"]')" = \
    "IA-2(1)|Identification and Authentication"
check "ac-2's statement is its items flattened, with parameters as assignments" \
    sh -c "yaml_v=\$(python3 -c 'import sys, yaml; print({c[\"id\"]: c for c in yaml.safe_load(open(sys.argv[1]))[\"controls\"]}[\"ac-2\"][\"statement\"])' '$lib');
        case \$yaml_v in 'a. Define and document the types of accounts allowed'*'; b. Assign account managers; c. Require [Assignment: '*'d. Specify: 1. Authorized users of the system;'*) exit 0 ;; *) echo \"\$yaml_v\"; exit 1 ;; esac"
check "no statement keeps an OSCAL insertion" sh -c "! grep -q '{{ insert' '$lib'"
check "without a profile every control is applicable" sh -c "! grep -q 'applicable: false' '$lib'"

# --- profiles ---------------------------------------------------------------------------
cp "$lib" "$tmp/plain.yml"
"$CHARTER" catalog import "$cat_json" --site "$site" --framework nist-low --profile "$mod_json" --force \
    >"$tmp/out" 2>"$tmp/err"
check "an import with the MODERATE profile replaces the imported file (exit 0)" test $? -eq 0
python3 "$tmp/facts.py" "$cat_json" "$mod_json" >"$tmp/facts"
app=$(sed -n 's/^applicable //p' "$tmp/facts")
missing=$(sed -n 's/^missing //p' "$tmp/facts")
missing_moderate=$missing
na=$((want_controls - app))
check "MODERATE: the summary counts $app selected and $na not applicable" \
    grep -qx "controls: $want_controls ($app selected by the profile, $na not applicable)" "$tmp/out"
check "MODERATE: $na controls are written 'applicable: false'" \
    test "$(grep -c '^    applicable: false$' "$lib")" = "$na"
check "MODERATE: the $missing ids the LOW catalog lacks are one warning each" \
    test "$(grep -c "warning: the profile selects '.*', which the catalog .* does not define \[oscal-profile\]" "$tmp/err")" = "$missing"
check "MODERATE: ... and the summary counts them" grep -qx "profile ids the catalog lacks: $missing" "$tmp/out"
check "MODERATE: every LOW control is in the MODERATE baseline, so some ids are missing" \
    test "$app" = "$want_controls" -a "$missing" -gt 0

# A profile of our own: ia-2 with its enhancements but one, two controls,
# and an id no catalog has.
cat >"$tmp/small.json" <<'EOF'
{"profile": {"uuid": "3e0f8a4c-3b65-4d8e-9c3c-9f6a4f1d2b10",
  "metadata": {"title": "Small Baseline", "version": "1", "oscal-version": "1.1.2"},
  "imports": [{"href": "#catalog",
    "include-controls": [{"with-ids": ["ac-1", "ac-2"]},
                         {"with-ids": ["ia-2"], "with-child-controls": "yes"},
                         {"with-ids": ["zz-99"]}],
    "exclude-controls": [{"with-ids": ["ia-2.8"]}]}]}}
EOF
"$CHARTER" catalog import "$cat_json" --output "$tmp/small.yml" --profile "$tmp/small.json" \
    >"$tmp/out" 2>"$tmp/err"
python3 "$tmp/facts.py" "$cat_json" "$tmp/small.json" >"$tmp/facts"
app=$(sed -n 's/^applicable //p' "$tmp/facts")
check "small profile: ia-2 has enhancements in the LOW catalog, ia-2.8 among them" \
    sh -c "grep '^children ia-2 ' '$tmp/facts' | grep -q 'ia-2.8'"
check "small profile: $app applicable (ac-1, ac-2, ia-2 and its enhancements but ia-2.8)" \
    test "$(yaml_fact "$tmp/small.yml" 'len([c for c in doc["controls"] if c.get("applicable", True)])')" = "$app"
check "small profile: those are the ones" \
    test "$(yaml_fact "$tmp/small.yml" '" ".join(c["id"] for c in doc["controls"] if c.get("applicable", True))')" = \
    "ac-1 ac-2 ia-2 $(sed -n 's/^children ia-2 //p' "$tmp/facts" | tr ' ' '\n' | grep -vx ia-2.8 | tr '\n' ' ' | sed 's/ $//')"
check "small profile: the others say why" \
    test "$(yaml_fact "$tmp/small.yml" 'by["ia-2.8"]["justification"]')" = "not selected by Small Baseline"
check "small profile: zz-99 is a warning" \
    grep -q "small.json: warning: the profile selects 'zz-99', which the catalog '.*' does not define \[oscal-profile\]" "$tmp/err"

# --- what an import refuses -------------------------------------------------------------------
printf 'framework: hand\ncontrols:\n  - {id: H.1, title: Mine}\n' >"$site/controls/hand.yml"
cp "$site/controls/hand.yml" "$tmp/hand.yml"
"$CHARTER" catalog import "$cat_json" --site "$site" --framework hand --force >"$tmp/out" 2>"$tmp/err"
check "--force over a hand-written catalog exits 2" test $? -eq 2
check "... saying why" grep -q "refusing to replace '.*controls/hand.yml' even with --force: it does not start with '# Generated by charter catalog import'" "$tmp/err"
check "... and leaves it as it was" cmp "$tmp/hand.yml" "$site/controls/hand.yml"
"$CHARTER" catalog import "$cat_json" --site "$site" --framework nist-low >"$tmp/out" 2>"$tmp/err"
check "an import over its own earlier file without --force exits 2" test $? -eq 2
check "... and names --force" grep -q "exists; nothing was written (--force replaces" "$tmp/err"
check "no temporary file is left in controls/" \
    test "$(ls "$site/controls" | tr '\n' ' ')" = "hand.yml nist-low.yml "
printf '{\n  "catalog": {\n    "metadata": {"title": "T"},,\n  }\n}\n' >"$tmp/bad.json"
"$CHARTER" catalog import "$tmp/bad.json" --site "$site" >"$tmp/out" 2>"$tmp/err"
check "invalid JSON exits 2" test $? -eq 2
check "... named at file:line:col" grep -q "bad.json:3:32: error: invalid JSON: .* \[json\]" "$tmp/err"
printf '{"a": "\377"}' >"$tmp/utf8.json"
"$CHARTER" catalog import "$tmp/utf8.json" >"$tmp/out" 2>"$tmp/err"
check "invalid UTF-8 is refused with its line" grep -q "utf8.json:1:[0-9]*: error: invalid JSON: unable to decode byte 0xff" "$tmp/err"
"$CHARTER" catalog import "$mod_json" >"$tmp/out" 2>"$tmp/err"
check "a profile given as the catalog is refused, saying to use --profile" \
    grep -q "this is a profile: give it with --profile" "$tmp/err"
"$CHARTER" catalog import "$cat_json" --output - >"$tmp/stdout.yml" 2>"$tmp/err"
check "--output - writes the catalog to stdout, the summary to stderr" \
    sh -c "cmp '$tmp/stdout.yml' '$tmp/plain.yml' >/dev/null || { head -n 4 '$tmp/stdout.yml' | grep -q '^framework: \"nist-special-publication' && grep -qx 'controls: $want_controls' '$tmp/err'; }"

# --- a site, from the imported catalog and from site.yml's oscal_catalogs --------------
# The same site twice: A has the imported file, B names the JSON.
make_site() {
    mkdir -p "$1/content" "$1/vendor"
    cat >"$1/content/access.md" <<'EOF'
---
title: Access Control Policy
owner: Security
last_reviewed: 2026-06-01
controls: [ac-1, ac-2]
---
# Access Control Policy

Accounts are managed as AC-2 asks.
EOF
    cat >"$1/content/index.md" <<'EOF'
---
title: Policies
owner: Security
last_reviewed: 2026-06-01
---
# Policies

- [Access Control Policy](access.md)
EOF
}
a=$tmp/a
b=$tmp/b
make_site "$a"
make_site "$b"
"$CHARTER" catalog import "$cat_json" --site "$a" --framework nist-low >/dev/null 2>&1
printf 'title: OSCAL site\nframeworks: [nist-low]\nchecks:\n  uncovered-control: warning\n' >"$a/site.yml"
cp "$cat_json" "$b/vendor/low.json"
cat >"$b/site.yml" <<'EOF'
title: OSCAL site
frameworks: [nist-low]
oscal_catalogs:
  - catalog: vendor/low.json
    framework: nist-low
checks:
  uncovered-control: warning
EOF
for s in a b; do
    d=$tmp/$s
    "$CHARTER" check --site "$d" --as-of 2026-07-01 >"$tmp/$s.check" 2>&1
    check "site $s: charter check exits 0 (uncovered controls are warnings here)" test $? -eq 0
    check "site $s: ac-1 and ac-2 are covered, the $((want_controls - 2)) others not" \
        test "$(grep -c '\[uncovered-control\]' "$tmp/$s.check")" = "$((want_controls - 2))"
    check "site $s: ac-2 is not among the uncovered" sh -c "! grep -q \"'ac-2' (\" '$tmp/$s.check'"
    "$CHARTER" build --site "$d" --as-of 2026-07-01 >"$tmp/$s.build" 2>&1
    check "site $s: charter build exits 0" test $? -eq 0
    check "site $s: the control page of ac-2 exists" test -f "$d/_site/controls/nist-low/ac-2/index.html"
done
check "the control page of ac-2 is the same both ways" \
    cmp "$a/_site/controls/nist-low/ac-2/index.html" "$b/_site/controls/nist-low/ac-2/index.html"
check "... and names Account Management" grep -q "Account Management" "$b/_site/controls/nist-low/ac-2/index.html"
check "the statement of applicability is the same both ways" \
    cmp "$a/_site/soa/index.html" "$b/_site/soa/index.html"
grep "\[uncovered-control\]" "$tmp/b.check" | head -n 1 >"$tmp/b.first"
check "an uncovered control of site.yml's catalog is named at the JSON file, with no line" \
    grep -q "^$b/vendor/low.json: warning: applicable control" "$tmp/b.first"

# With the MODERATE profile in site.yml: the same selection as the import.
cp "$mod_json" "$b/vendor/moderate.json"
sed -i 's|    framework: nist-low|    profile: vendor/moderate.json\n    framework: nist-low|' "$b/site.yml"
"$CHARTER" check --site "$b" --as-of 2026-07-01 >"$tmp/b.check" 2>&1
check "site b with the MODERATE profile: charter check exits 0" test $? -eq 0
check "site b with the MODERATE profile: one oscal-profile warning per id the catalog lacks" \
    test "$(grep -c '\[oscal-profile\]' "$tmp/b.check")" = "$missing_moderate"
printf '{"catalog": {"metadata": {"title": "T"}, "metadata": {}}}\n' >"$b/vendor/low.json"
"$CHARTER" check --site "$b" --as-of 2026-07-01 >"$tmp/b.check" 2>&1
check "site b with a broken catalog: charter check exits 2" test $? -eq 2
check "... naming it at line and column" grep -q "vendor/low.json:1:[0-9]*: error: invalid JSON: duplicate object key" "$tmp/b.check"

echo "oscal import: $n checks, $failed failed"
[ "$failed" -eq 0 ]
