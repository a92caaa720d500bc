#!/bin/sh
# Crosswalks (docs/crosswalks.md): two small frameworks A and B and a
# crosswalk relating them with each relationship; one policy cites A's
# controls. B's controls are covered through the crosswalk in full (equal,
# a superset) or in part (subset, intersects), as the SoA, the control pages
# and uncovered-control say; the mapping is seen from both sides. A
# malformed row stops charter with file:line:col and exit 2; a crosswalk of
# a framework not in use is ignored; the same rows as an OSCAL mapping
# collection (`oscal:`) give the same coverage, and more than 100,000 pairs
# are refused; charter's own ISO 27001:2013 -> 2022
# crosswalk covers 2013 controls from a policy citing 2022 ones, and a
# site's file of that name replaces it. Needs CHARTER.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-crosswalk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"

site=$tmp/site
mkdir -p "$site/content" "$site/controls"
printf 'title: Crosswalk test\nframeworks: [fw-a, fw-b]\n' >"$site/site.yml"
cat >"$site/controls/fw-a.yml" <<'Y'
framework: fw-a
name: Framework A
controls:
  - {id: A1, title: Alpha one, group: A}
  - {id: A2, title: Alpha two, group: A}
  - {id: A3, title: Alpha three, group: A}
  - {id: A4, title: Alpha four, group: A}
Y
cat >"$site/controls/fw-b.yml" <<'Y'
framework: fw-b
name: Framework B
controls:
  - {id: B1, title: Beta one, group: B}
  - {id: B2, title: Beta two, group: B}
  - {id: B3, title: Beta three, group: B}
  - {id: B4, title: Beta four, group: B}
  - {id: B5, title: Beta five, group: B}
Y
cat >"$site/controls/crosswalk-fw-a-fw-b.yml" <<'Y'
from: fw-a
to: fw-b
source: test mapping
mappings:
  - {from: A1, to: B1, relationship: equal}
  - {from: A2, to: B2, relationship: superset}
  - {from: A3, to: B3, relationship: subset, note: B3 also asks for more}
  - {from: A3, to: B4, relationship: intersects}
  - {from: A4, to: B5, relationship: equal}
Y
# The policy cites A1-A3 only: A4 is not applicable, and so B5 is covered
# by nothing.
cat >"$site/controls/applicability.yml" <<'Y'
fw-a:A4: {applicable: false, justification: not here}
Y
printf -- '---\ntitle: Access Policy\nowner: CISO\nlast_reviewed: 2026-05-01\ncontrols: [A1, A2, A3]\n---\nText.\n' \
    >"$site/content/access.md"

(cd "$site" && "$CHARTER" check --as-of 2026-06-01) >"$tmp/out" 2>&1
rc=$?
if [ "$rc" = 1 ]; then ok "a partly covered and an uncovered control fail check (exit 1)"; else
    not_ok "a partly covered and an uncovered control fail check (exit 1)" "exit $rc: $(cat "$tmp/out")"; fi
grep -o '^[^ ]* error: [^[]*\[uncovered-control\]' "$tmp/out" | sort >"$tmp/got"
cat >"$tmp/want" <<'W'
controls/fw-b.yml:6:5: error: applicable control 'B3' (Beta three) is covered by no policy; through a crosswalk, 'A3' (fw-a) covers it only in part [uncovered-control]
controls/fw-b.yml:7:5: error: applicable control 'B4' (Beta four) is covered by no policy; through a crosswalk, 'A3' (fw-a) covers it only in part [uncovered-control]
controls/fw-b.yml:8:5: error: applicable control 'B5' (Beta five) is covered by no policy [uncovered-control]
W
if cmp -s "$tmp/want" "$tmp/got"; then ok "uncovered-control: B1 (equal) and B2 (superset) covered, B3 and B4 in part, B5 not"; else
    not_ok "uncovered-control: B1 (equal) and B2 (superset) covered, B3 and B4 in part, B5 not" "$(diff "$tmp/want" "$tmp/got")"; fi

# With B3-B5 not applicable the site checks clean and builds.
cat >>"$site/controls/applicability.yml" <<'Y'
fw-b:B3: {applicable: false, justification: x}
fw-b:B4: {applicable: false, justification: x}
fw-b:B5: {applicable: false, justification: x}
Y
check "covered through the crosswalk, the site checks clean" sh -c "cd '$site' && '$CHARTER' check --as-of 2026-06-01"
sed -i '/^fw-b:B/d' "$site/controls/applicability.yml"
(cd "$site" && "$CHARTER" build --as-of 2026-06-01 --no-check --quiet) >"$tmp/out" 2>&1 ||
    not_ok "the site builds with --no-check" "$(cat "$tmp/out")"
out=$site/_site
soa=$out/soa/index.html
# The SoA's counts for B: 5 applicable, B1 and B2 through the crosswalk, B3
# and B4 in part, B5 not covered; for A, a crosswalk too: A1-A3 cited.
counts() {
    sed -n "/aria-labelledby=\"fw-$1\"/,/<\/section>/p" "$soa" |
        grep -o '<dt>[^<]*</dt><dd>[0-9]*' | sed 's/<dt>\(.*\)<\/dt><dd>/\1=/' | tr '\n' ';'
}
want_b='Controls=5;Applicable=5;Not applicable=0;Covered by a policy=0;Implemented=0;Covered through a crosswalk=2;Covered in part through a crosswalk=2;Applicable and not covered=1;'
got=$(counts fw-b)
if [ "$got" = "$want_b" ]; then ok "SoA counts of B through the crosswalk"; else not_ok "SoA counts of B through the crosswalk" "got  $got
want $want_b"; fi
want_a='Controls=4;Applicable=3;Not applicable=1;Covered by a policy=3;Implemented=0;Covered through a crosswalk=0;Covered in part through a crosswalk=0;Applicable and not covered=0;'
got=$(counts fw-a)
if [ "$got" = "$want_a" ]; then ok "SoA counts of A"; else not_ok "SoA counts of A" "got  $got
want $want_a"; fi
row() { sed -n "/<tr id=\"control-$1\"/,/<\/tr>/p" "$soa" | tr -d '\n'; }
case $(row fw-b-B1) in
*'data-coverage="crosswalk"'*'Access Policy</a> <span class="cell-sub">through fw-a <span class="control-id">A1</span> (all of it)'*) ok "SoA row B1: the policy, through A1, all of it" ;;
*) not_ok "SoA row B1: the policy, through A1, all of it" "$(row fw-b-B1)" ;;
esac
case $(row fw-b-B3) in
*'data-coverage="partial"'*'through fw-a <span class="control-id">A3</span> (in part)'*) ok "SoA row B3: through A3, in part" ;;
*) not_ok "SoA row B3: through A3, in part" "$(row fw-b-B3)" ;;
esac
case $(row fw-b-B5) in
*'data-coverage="none"'*'No policy'*) ok "SoA row B5: no policy" ;;
*) not_ok "SoA row B5: no policy" "$(row fw-b-B5)" ;;
esac
case $(row fw-b-B1) in *'No policy'*) not_ok "SoA row B1 does not say 'No policy'" ;; *) ok "SoA row B1 does not say 'No policy'" ;; esac

# Control pages: B2 lists A2 as including all of it and the policy through
# A2; A3 (seen from the other side) lists B3 as a superset of it, with the
# row's note, and B4 as overlapping.
b2=$(tr -d '\n' <"$out/controls/fw-b/B2/index.html")
case $b2 in
*'Policies that cover it through a crosswalk'*'Access Policy</a>'*'through <span class="control-id">A2</span>, which includes all of this control'*'<span class="control-id">A2</span> <span class="control-ref-title">Alpha two</span></a></th><td>Framework A</td><td><span class="mono">superset</span>: includes all of this control'*) ok "B2's page: through A2, which includes all of it" ;;
*) not_ok "B2's page: through A2, which includes all of it" "$b2" ;;
esac
a3=$(tr -d '\n' <"$out/controls/fw-a/A3/index.html")
case $a3 in
*'<span class="control-id">B3</span>'*'<span class="mono">superset</span>: includes all of this control<span class="cell-sub">B3 also asks for more</span>'*'<span class="control-id">B4</span>'*'<span class="mono">intersects</span>: overlaps this control'*) ok "A3's page: B3 a superset (with the note), B4 intersecting" ;;
*) not_ok "A3's page: B3 a superset (with the note), B4 intersecting" "$a3" ;;
esac
case $a3 in *'Policies that cover it through a crosswalk'*) not_ok "A3's page: the policy citing it is not listed again through the crosswalk" ;; *) ok "A3's page: the policy citing it is not listed again through the crosswalk" ;; esac
b1=$(tr -d '\n' <"$out/controls/fw-b/B1/index.html")
case $b1 in *'it should be covered'*) not_ok "B1's page does not ask for coverage it has" ;; *) ok "B1's page does not ask for coverage it has" ;; esac

# Errors: an unknown control and an unknown relationship, each at its
# place, exit 2.
cp "$site/controls/crosswalk-fw-a-fw-b.yml" "$tmp/xw.keep"
cat >>"$site/controls/crosswalk-fw-a-fw-b.yml" <<'Y'
  - from: A1
    to: B9
    relationship: equal
  - {from: A2, to: B1, relationship: same}
Y
(cd "$site" && "$CHARTER" check --as-of 2026-06-01) >"$tmp/out" 2>&1
rc=$?
if [ "$rc" = 2 ] &&
    grep -q "^controls/crosswalk-fw-a-fw-b.yml:11:9: error: 'B9' is no control of 'fw-b' \[crosswalk\]" "$tmp/out" &&
    grep -q "^controls/crosswalk-fw-a-fw-b.yml:13:38: error: unknown relationship 'same': equal, subset, superset or intersects \[crosswalk\]" "$tmp/out"; then
    ok "a bad row: file:line:col, [crosswalk], exit 2"
else not_ok "a bad row: file:line:col, [crosswalk], exit 2" "exit $rc: $(cat "$tmp/out")"; fi
cp "$tmp/xw.keep" "$site/controls/crosswalk-fw-a-fw-b.yml"

# The same rows as an OSCAL mapping collection (OSCAL 1.2's control mapping
# model), named by the crosswalk's `oscal:`: the same coverage. A map of
# no-relationship and a target that is a statement relate nothing.
mkdir -p "$site/mappings"
cat >"$site/mappings/a-b.json" <<'J'
{"mapping-collection": {
  "uuid": "5b0f6f2e-8f0e-4d5e-9d3b-3c3e1d6a1f01",
  "metadata": {"title": "A to B", "last-modified": "2026-06-01T00:00:00Z", "version": "1", "oscal-version": "1.2.0"},
  "provenance": {"method": "human", "matching-rationale": "semantic", "status": "complete"},
  "mappings": [{
    "uuid": "5b0f6f2e-8f0e-4d5e-9d3b-3c3e1d6a1f02",
    "source-resource": {"type": "catalog", "href": "fw-a.json"},
    "target-resource": {"type": "catalog", "href": "fw-b.json"},
    "maps": [
      {"uuid": "5b0f6f2e-8f0e-4d5e-9d3b-3c3e1d6a1f03", "relationship": "equal-to",
       "sources": [{"type": "control", "id-ref": "A1"}], "targets": [{"type": "control", "id-ref": "B1"}]},
      {"uuid": "5b0f6f2e-8f0e-4d5e-9d3b-3c3e1d6a1f04", "relationship": "superset-of",
       "sources": [{"type": "control", "id-ref": "A2"}],
       "targets": [{"type": "control", "id-ref": "B2"}, {"type": "statement", "id-ref": "B3_smt.a"}]},
      {"uuid": "5b0f6f2e-8f0e-4d5e-9d3b-3c3e1d6a1f05", "relationship": "subset-of",
       "sources": [{"type": "control", "id-ref": "A3"}], "targets": [{"type": "control", "id-ref": "B3"}],
       "remarks": "B3 also asks for more"},
      {"uuid": "5b0f6f2e-8f0e-4d5e-9d3b-3c3e1d6a1f06", "relationship": "intersects-with",
       "sources": [{"type": "control", "id-ref": "A3"}], "targets": [{"type": "control", "id-ref": "B4"}]},
      {"uuid": "5b0f6f2e-8f0e-4d5e-9d3b-3c3e1d6a1f07", "relationship": "no-relationship",
       "sources": [{"type": "control", "id-ref": "A1"}], "targets": [{"type": "control", "id-ref": "B5"}]}
    ]}]}}
J
printf 'from: fw-a\nto: fw-b\noscal: mappings/a-b.json\n' >"$site/controls/crosswalk-fw-a-fw-b.yml"
rm -rf "$site/_site"
(cd "$site" && "$CHARTER" build --as-of 2026-06-01 --no-check --quiet) >"$tmp/out" 2>&1 ||
    not_ok "the site builds with the OSCAL mapping" "$(cat "$tmp/out")"
got=$(counts fw-b)
if [ "$got" = "$want_b" ]; then ok "OSCAL mapping: the same SoA counts of B"; else not_ok "OSCAL mapping: the same SoA counts of B" "got  $got
want $want_b"; fi
a3=$(tr -d '\n' <"$out/controls/fw-a/A3/index.html")
case $a3 in
*'<span class="mono">superset</span>: includes all of this control<span class="cell-sub">B3 also asks for more</span>'*) ok "OSCAL mapping: subset-of read as subset, its remarks as the note" ;;
*) not_ok "OSCAL mapping: subset-of read as subset, its remarks as the note" "$a3" ;;
esac
sed -i 's/"id-ref": "B4"/"id-ref": "B9"/' "$site/mappings/a-b.json"
(cd "$site" && "$CHARTER" check --as-of 2026-06-01) >"$tmp/out" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -q "^controls/crosswalk-fw-a-fw-b.yml:3:8: error: 'B9' at 'mappings/a-b.json' mappings\[0\].maps\[3\].targets\[0\] is no control of 'fw-b' \[crosswalk\]" "$tmp/out"; then
    ok "OSCAL mapping: an unknown id, with its JSON path, exit 2"
else not_ok "OSCAL mapping: an unknown id, with its JSON path, exit 2" "exit $rc: $(cat "$tmp/out")"; fi
printf 'from: fw-a\nto: fw-b\noscal: ../outside.json\n' >"$site/controls/crosswalk-fw-a-fw-b.yml"
echo '{}' >"$tmp/outside.json"
(cd "$site" && "$CHARTER" check --as-of 2026-06-01) >"$tmp/out" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -q "'../outside.json' leads to .*, outside the site \[unsafe-link\]" "$tmp/out"; then ok "OSCAL mapping: a path out of the site is not read"; else
    not_ok "OSCAL mapping: a path out of the site is not read" "exit $rc: $(cat "$tmp/out")"; fi
cp "$tmp/xw.keep" "$site/controls/crosswalk-fw-a-fw-b.yml"

# A map relating each of 400 sources to each of 400 targets would be
# 160,000 rows from 40 KB of JSON: refused past 100,000, exit 2.
big=$tmp/big
mkdir -p "$big/content" "$big/controls" "$big/mappings"
printf 'title: Big\nframeworks: [x, y]\n' >"$big/site.yml"
for fw in x y; do
    { printf 'framework: %s\ncontrols:\n' "$fw"; i=1; while [ $i -le 400 ]; do printf '  - {id: %s%d}\n' "$fw" $i; i=$((i + 1)); done; } \
        >"$big/controls/$fw.yml"
done
python3 - "$big/mappings/xy.json" <<'P'
import json, sys
refs = lambda p: [{"type": "control", "id-ref": "%s%d" % (p, i)} for i in range(1, 401)]
json.dump({"mapping-collection": {"mappings": [{"maps": [
    {"relationship": "intersects-with", "sources": refs("x"), "targets": refs("y")}]}]}},
    open(sys.argv[1], "w"))
P
printf 'from: x\nto: y\noscal: mappings/xy.json\n' >"$big/controls/crosswalk-x-y.yml"
(cd "$big" && "$CHARTER" check --as-of 2026-06-01) >"$tmp/out" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -q "^controls/crosswalk-x-y.yml:3:8: error: the crosswalk relates more than 100000 pairs of controls \[crosswalk\]" "$tmp/out"; then
    ok "a crosswalk of more than 100,000 pairs is refused"
else not_ok "a crosswalk of more than 100,000 pairs is refused" "exit $rc: $(head -5 "$tmp/out")"; fi

# A crosswalk relating a framework not in use (here soc2) is ignored.
printf 'from: fw-a\nto: soc2\nmappings:\n  - {from: A1, to: NOPE, relationship: equal}\n' \
    >"$site/controls/crosswalk-fw-a-soc2.yml"
(cd "$site" && "$CHARTER" check --as-of 2026-06-01) >"$tmp/out" 2>&1
rc=$?
if [ "$rc" = 1 ] && ! grep -q crosswalk-fw-a-soc2 "$tmp/out"; then ok "a crosswalk of a framework not in use is ignored"; else
    not_ok "a crosswalk of a framework not in use is ignored" "exit $rc: $(cat "$tmp/out")"; fi
rm "$site/controls/crosswalk-fw-a-soc2.yml"

# charter's own ISO 27001:2013 -> 2022 crosswalk: a site with both editions
# and one policy citing A.5.15 (2022) covers A.9.1.1 and A.9.1.2 (2013, each
# a subset of A.5.15) through it.
iso=$tmp/iso
mkdir -p "$iso/content"
printf 'title: ISO\nframeworks: [iso27001-2022, iso27001-2013]\n' >"$iso/site.yml"
printf -- '---\ntitle: Access Control Policy\nowner: CISO\nlast_reviewed: 2026-05-01\ncontrols: [A.5.15]\n---\nText.\n' \
    >"$iso/content/access.md"
(cd "$iso" && "$CHARTER" build --as-of 2026-06-01 --no-check --quiet) >"$tmp/out" 2>&1 ||
    not_ok "the two-edition site builds" "$(cat "$tmp/out")"
p=$(tr -d '\n' <"$iso/_site/controls/iso27001-2013/A.9.1.2/index.html")
case $p in
*'Access Control Policy</a> <span class="cited-meta">through <span class="control-id">A.5.15</span>, which includes all of this control'*) ok "charter's own crosswalk: 2013 A.9.1.2 covered by the policy citing 2022 A.5.15" ;;
*) not_ok "charter's own crosswalk: 2013 A.9.1.2 covered by the policy citing 2022 A.5.15" "$p" ;;
esac
(cd "$iso" && "$CHARTER" check --as-of 2026-06-01) >"$tmp/out" 2>&1
if grep -q "'A.9.1.1'\|'A.9.1.2'" "$tmp/out"; then not_ok "2013 A.9.1.1 and A.9.1.2 are not reported uncovered" "$(grep "A.9.1" "$tmp/out")"; else
    ok "2013 A.9.1.1 and A.9.1.2 are not reported uncovered"; fi
grep -q "'A.9.2.1'.*covered by no policy" "$tmp/out" && ok "a 2013 control mapped to an uncited 2022 control is still reported" ||
    not_ok "a 2013 control mapped to an uncited 2022 control is still reported" "$(head -5 "$tmp/out")"
# The site's own file of that name replaces charter's.
mkdir -p "$iso/controls"
printf 'from: iso27001-2013\nto: iso27001-2022\nmappings:\n  - {from: A.9.1.1, to: A.5.15, relationship: intersects}\n' \
    >"$iso/controls/crosswalk-iso27001-2013-iso27001-2022.yml"
(cd "$iso" && "$CHARTER" check --as-of 2026-06-01) >"$tmp/out" 2>&1
if grep -q "'A.9.1.1'.*'A.5.15' (iso27001-2022) covers it only in part" "$tmp/out" &&
    grep -q "'A.9.1.2'.*covered by no policy \[" "$tmp/out"; then ok "the site's crosswalk of the same name replaces charter's"; else
    not_ok "the site's crosswalk of the same name replaces charter's" "$(grep "A.9.1" "$tmp/out")"; fi

echo "crosswalk: $((n - failed)) of $n passed"
[ "$failed" = 0 ]
