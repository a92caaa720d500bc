#!/bin/sh
# The OSCAL round trip (docs/oscal.md): a catalog imported with `charter
# catalog import`, a site built that cites its ids, and the site's
# oscal/component-definition.json validated against NIST's 1.0.6 schema,
# each cited control an implemented requirement with the policy's statement
# and link. Run on a catalog of CSF 2.0's shape (tests/oscal/fixtures:
# functions as groups, categories as controls with their subcategories
# nested, subcategories titled by their id, a withdrawn one), on NIST's own
# CSF 2.0 catalog when $OSCAL_DIR/nist has it, and on NIST's SP 800-53 rev 5
# LOW catalog. Schema validation and the NIST catalogs skip with one line
# each where ../shared/oscal (or $OSCAL_DIR) is absent. Needs CHARTER.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-roundtrip.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"
. "$top/tests/oscal/lib.sh"

# The implemented requirements of an export as "control-id<TAB>description"
# lines, sorted, and whether each links the policy's page.
requirements() {
    python3 - "$1" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))["component-definition"]
for ci in d["components"][0].get("control-implementations", []):
    for r in ci["implemented-requirements"]:
        hrefs = sorted(l["href"] for l in r.get("links", []) if not l["href"].startswith("#"))
        print("%s\t%s\t%s" % (r["control-id"], r["description"], " ".join(hrefs)))
P
}

# roundtrip NAME CATALOG FRAMEWORK "IDS" NO_CHECK: imports CATALOG as
# FRAMEWORK into a new site whose one policy cites IDS, builds it, and
# validates the export; leaves the site in $tmp/NAME.
roundtrip() {
    name=$1 catalog=$2 fw=$3 ids=$4 nocheck=$5
    site=$tmp/$name
    mkdir -p "$site/content"
    printf 'title: Round trip\nbase_url: https://policies.example.org/\nframeworks: [%s]\n' "$fw" >"$site/site.yml"
    if ! "$CHARTER" catalog import "$catalog" --framework "$fw" --site "$site" >"$tmp/import.out" 2>&1; then
        not_ok "$name: the catalog imports" "$(cat "$tmp/import.out")"
        return
    fi
    ok "$name: the catalog imports"
    list=$(printf '%s' "$ids" | sed 's/ /, /g')
    printf -- '---\ntitle: Security Policy\nid: POL-1\nowner: CISO\nlast_reviewed: 2026-05-01\ndescription: We protect what we hold.\ncontrols: [%s]\n---\nText.\n' \
        "$list" >"$site/content/security.md"
    if (cd "$site" && "$CHARTER" build --as-of 2026-06-01 --quiet $nocheck) >"$tmp/build.out" 2>&1; then
        ok "$name: a site citing its ids builds"
    else
        not_ok "$name: a site citing its ids builds" "$(cat "$tmp/build.out")"
        return
    fi
    export_file=$site/_site/oscal/component-definition.json
    if [ -n "$schema" ]; then
        check "$name: the export validates against NIST's component schema" validate "$export_file"
    fi
    requirements "$export_file" >"$tmp/got"
    : >"$tmp/want"
    for id in $ids; do
        printf '%s\tSecurity Policy (POL-1): We protect what we hold.\thttps://policies.example.org/security/\n' "$id" >>"$tmp/want"
    done
    LC_ALL=C sort -o "$tmp/want" "$tmp/want"
    LC_ALL=C sort -o "$tmp/got" "$tmp/got"
    if cmp -s "$tmp/want" "$tmp/got"; then
        ok "$name: one implemented requirement per cited id, with the policy's statement and page"
    else
        not_ok "$name: one implemented requirement per cited id, with the policy's statement and page" "$(diff "$tmp/want" "$tmp/got")"
    fi
}

# --- CSF 2.0's shape ---------------------------------------------------------
roundtrip csf "$top/tests/oscal/fixtures/csf-2.0-shape.json" csf "GV.OC GV.OC-01 PR.AA PR.AA-01" ""
# Each subcategory is titled by its statement (its own title only repeats the
# id) and grouped under its function; the withdrawn one is not a control.
page=$(tr -d '\n' <"$tmp/csf/_site/controls/csf/GV.OC-01/index.html")
case $page in
*'<h1 class="policy-title">The mission is understood and informs risk management</h1>'*'GOVERN'*'<h2 id="statement-heading">Statement</h2><p class="meta-prose">The mission is understood and informs risk management</p>'*)
    ok "csf: GV.OC-01's page: its statement as title and statement, under GOVERN" ;;
*) not_ok "csf: GV.OC-01's page: its statement as title and statement, under GOVERN" "$page" ;;
esac
printf -- '---\ntitle: Old\nowner: CISO\nlast_reviewed: 2026-05-01\ncontrols: [GV.OC-02]\n---\nText.\n' >"$tmp/csf/content/old.md"
(cd "$tmp/csf" && "$CHARTER" check --as-of 2026-06-01) >"$tmp/out" 2>&1
grep -q "content/old.md:.*'GV.OC-02'.*\[unknown-control\]" "$tmp/out" &&
    ok "csf: citing the withdrawn GV.OC-02 is an unknown control" ||
    not_ok "csf: citing the withdrawn GV.OC-02 is an unknown control" "$(cat "$tmp/out")"

# --- NIST's own CSF 2.0 catalog, where it is at hand -------------------------
csf=$oscal_dir/nist/NIST_CSF_v2.0_catalog.json
if [ -f "$csf" ]; then
    roundtrip nist-csf "$csf" nist-csf "GV.OC-01 PR.AA-01 DE.CM-01" --no-check
else
    echo "skip: NIST's CSF 2.0 OSCAL catalog not found at $csf; the round trip ran on its shape only"
fi

# --- NIST SP 800-53 rev 5 LOW -------------------------------------------------
low=$oscal_dir/nist/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json
if [ -f "$low" ]; then
    # 149 controls: the others are uncovered, so the build is --no-check.
    roundtrip sp800-53 "$low" sp800-53-low "ac-1 ac-2 ia-2.1" --no-check
    page=$(tr -d '\n' <"$tmp/sp800-53/_site/controls/sp800-53-low/ac-2/index.html")
    case $page in
    *'<title>AC-2 Account Management'*'<span class="control-id control-id-large">AC-2</span>'*'<h1 class="policy-title">Account Management</h1>'*'Statement</h2><p class="meta-prose">a. Define and document the types of accounts'*)
        ok "sp800-53: ac-2's page: its label, title and lettered statement" ;;
    *) not_ok "sp800-53: ac-2's page: its label, title and lettered statement" "$page" ;;
    esac
    # The policy and the SoA show the labels NIST prints (IA-2(1)), the
    # addresses keep the ids.
    pol=$(tr -d '\n' <"$tmp/sp800-53/_site/security/index.html")
    case $pol in
    *'href="https://policies.example.org/controls/sp800-53-low/ia-2.1/"><span class="control-id">IA-2(1)</span>'*) ok "sp800-53: the policy lists ia-2.1 as IA-2(1)" ;;
    *) not_ok "sp800-53: the policy lists ia-2.1 as IA-2(1)" "$pol" ;;
    esac
    grep -q '<tr id="control-sp800-53-low-ia-2.1".*' "$tmp/sp800-53/_site/soa/index.html" &&
        tr -d '\n' <"$tmp/sp800-53/_site/soa/index.html" | grep -q '<span class="control-id">IA-2(1)</span> <span class="control-ref-title">Multi-factor Authentication to Privileged Accounts</span>' &&
        ok "sp800-53: the SoA row of ia-2.1 reads IA-2(1)" ||
        not_ok "sp800-53: the SoA row of ia-2.1 reads IA-2(1)"
else
    echo "skip: NIST's SP 800-53 LOW catalog not found at $low"
fi

echo "oscal round trip: $n checks, $failed failed"
[ "$failed" = 0 ]
