#!/bin/sh
# charter on the fixture repositories, as a new user runs it: each fixture
# is made by its script, then read as it is (the Jekyll one with no new
# file; the others with the site.yml `charter init` writes), and compared
# with what is true of it (README.md lists the intended defects):
#
#   CHARTER=$PWD/build/charter sh tests/repos/check-charter.sh
#
# For each KIND: `charter check --as-of 2026-12-01` reports exactly the
# findings in expected/KIND.findings (each diagnostic's first line) with
# the exit code there; `charter build --no-check` publishes exactly the
# pages of expected/KIND.pages, with no layout, asset or catalog copied into
# the repository, whose links lead nowhere only where expected/KIND.links
# says (links.py: the fixture's own broken links); and every page's history in api/pages.json is the list of
# commits `git log --follow -M --first-parent -m` gives for its file. For the
# Jekyll fixture, `charter init` must write a site.yml that reads it the same
# way. UPDATE=1 rewrites the expected files (review them!). KEEP=1 keeps the
# temporary directory. Prints one line per failed check and a summary; exits
# 1 when any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
command -v python3 >/dev/null || { echo "repos: python3 is needed" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-repos-check.XXXXXX")
tmp=$(cd "$tmp" && pwd -P)
if [ "${KEEP:-}" = 1 ]; then echo "repos: keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
trap 'exit 2' INT TERM
# Far from UTC: dates must be the authors' own.
TZ=Pacific/Kiritimati
LC_ALL=C
HOME=$tmp/home
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=$HOME/.gitconfig
NO_COLOR=1
export TZ LC_ALL HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL NO_COLOR
mkdir -p "$HOME"
: >"$GIT_CONFIG_GLOBAL"

checks=0
failed=0
pass() { checks=$((checks + 1)); }
fail() {
    checks=$((checks + 1))
    failed=$((failed + 1))
    printf 'repos: FAIL %s\n' "$1"
    [ -z "${2:-}" ] || sed -n '1,30p' "$2" | sed 's/^/    /'
}
# same WHAT GOT_FILE EXPECTED_FILE
same() {
    if [ "${UPDATE:-}" = 1 ]; then
        cp "$2" "$3"
        pass
    elif diff -u "$3" "$2" >"$tmp/diff" 2>&1; then
        pass
    else
        fail "$1 (- expected, + charter):" "$tmp/diff"
    fi
}

# The first line of each diagnostic, and the exit code.
findings() {
    grep -E '^[^ ].*: (error|warning|note): ' "$1" | LC_ALL=C sort
    echo "exit $2"
}

for kind in jekyll-isms comply-soc2 docusaurus-iso hugo-plain; do
    repo=$tmp/$kind
    if ! sh "$here/$kind.sh" "$repo" >"$tmp/$kind.make.log" 2>&1; then
        fail "$kind: the fixture script failed" "$tmp/$kind.make.log"
        continue
    fi
    if [ "$kind" != jekyll-isms ]; then
        if ! (cd "$repo" && "$CHARTER" init >"$tmp/$kind.init.log" 2>&1); then
            fail "$kind: charter init failed" "$tmp/$kind.init.log"
            continue
        fi
        pass
    fi
    rc=0
    (cd "$repo" && "$CHARTER" check --as-of 2026-12-01 >"$tmp/$kind.out" 2>"$tmp/$kind.err") || rc=$?
    findings "$tmp/$kind.err" "$rc" >"$tmp/$kind.findings"
    same "$kind: findings" "$tmp/$kind.findings" "$here/expected/$kind.findings"

    rc=0
    (cd "$repo" && "$CHARTER" build --as-of 2026-12-01 --no-check --out "$tmp/$kind.site" \
        >"$tmp/$kind.build.out" 2>"$tmp/$kind.build.err") || rc=$?
    if [ "$rc" != 0 ]; then
        fail "$kind: build --no-check exited $rc" "$tmp/$kind.build.err"
        continue
    fi
    pass
    # Nothing of charter's was added to the repository (site.yml from init
    # aside): no layouts, assets or catalogs to copy.
    (cd "$repo" && git status --porcelain --untracked-files=all | grep -v '^?? site.yml$') \
        >"$tmp/$kind.status" || true
    if [ -s "$tmp/$kind.status" ]; then fail "$kind: the build changed the repository" "$tmp/$kind.status"; else pass; fi

    python3 - "$tmp/$kind.site/api/pages.json" "$repo" >"$tmp/$kind.pages" 2>"$tmp/$kind.history" <<'PY'
import json, subprocess, sys
pages = json.load(open(sys.argv[1]))["pages"]
repo = sys.argv[2]
for p in sorted(pages, key=lambda p: p["source"]):
    print("%s\t%s\t%s\t%s" % (p["source"], p["url"], p["layout"], p["id"]))
    got = [r["commit"] for r in p["history"] if r["kind"] == "commit"]
    want = subprocess.run(
        ["git", "-C", repo, "-c", "diff.renameLimit=0", "log", "--follow", "-M", "--first-parent",
         "-m", "--format=%H", "HEAD", "--", p["source"]],
        capture_output=True, text=True, check=True).stdout.split()
    # -m prints a merge once per parent diffed; --first-parent diffs one.
    want = [c for i, c in enumerate(want) if c not in want[:i]]
    if got != want:
        print("%s: history has %d commits, git log --follow --first-parent %d; first difference "
              "at row %d" % (p["source"], len(got), len(want),
                             next((i for i, (a, b) in enumerate(zip(got, want)) if a != b),
                                  min(len(got), len(want))) + 1), file=sys.stderr)
PY
    same "$kind: pages (source, URL, layout, id)" "$tmp/$kind.pages" "$here/expected/$kind.pages"
    # The files of the repository published beside the pages (images,
    # PDFs): never its settings.
    (cd "$tmp/$kind.site" && find . -type f ! -name '*.html' ! -name .charter-manifest |
        grep -Ev '^\./(assets|controls|api|oscal)/|^\./(feed\.xml|manifest\.json|search\.json|sitemap\.xml)$' |
        LC_ALL=C sort) >"$tmp/$kind.statics"
    same "$kind: files published besides the pages" "$tmp/$kind.statics" "$here/expected/$kind.statics"
    # Every link of the built site followed as a browser would: only the
    # fixture's own broken links may lead nowhere, not the theme's.
    python3 "$here/links.py" "$tmp/$kind.site" >"$tmp/$kind.links" 2>&1
    same "$kind: links that lead nowhere (page, link, why)" "$tmp/$kind.links" "$here/expected/$kind.links"
    if [ -s "$tmp/$kind.history" ]; then
        fail "$kind: history differs from git log --follow --first-parent" "$tmp/$kind.history"
    else
        pass
    fi
done

# The Jekyll fixture: what charter init writes reads it as _config.yml does.
jk=$tmp/jekyll-isms
if [ -d "$jk" ] && (cd "$jk" && "$CHARTER" init >"$tmp/jk.init.log" 2>&1); then
    pass
    rc=0
    (cd "$jk" && "$CHARTER" check --as-of 2026-12-01 >/dev/null 2>"$tmp/jk.init.err") || rc=$?
    findings "$tmp/jk.init.err" "$rc" | grep -v '^_config.yml:' >"$tmp/jk.init.findings"
    grep -v '^_config.yml:' "$tmp/jekyll-isms.findings" >"$tmp/jk.findings"
    if diff -u "$tmp/jk.findings" "$tmp/jk.init.findings" >"$tmp/diff"; then
        pass
    else
        fail "jekyll-isms: with init's site.yml the findings differ (- _config.yml, + site.yml):" "$tmp/diff"
    fi
else
    fail "jekyll-isms: charter init failed" "$tmp/jk.init.log"
fi

echo "repos: $checks checks, $failed failed"
[ "$failed" = 0 ]
