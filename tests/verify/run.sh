#!/bin/sh
# manifest.json, the footer commit and `charter verify` (docs/evidence.md):
# the example site committed to a repository and built; manifest.json must
# list every published file (but itself and .charter-manifest) with the
# SHA-256 and size that sha256sum and wc compute here, name the commit git
# names, and say whether the content was clean (and the settings, layouts,
# catalogs and assets: an uncommitted site.yml edit or an untracked layout
# is not clean); a page's footer names the
# same commit. `charter verify` passes on the built site and fails, naming
# the file, on one changed byte, a deleted file and an added one, and exits
# 2 on a malformed manifest. Needs CHARTER.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-verify.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"
site=$tmp/site
example_repo "$site"
head=$(git -C "$site" rev-parse HEAD)
short=$(printf '%s' "$head" | cut -c1-7)

build() {
    (cd "$site" && "$CHARTER" build --as-of 2026-11-25 --quiet) >"$tmp/build.out" 2>&1
}
# The manifest's files as "sha256  path" and "size path" lines, sorted.
listed() {
    sed -n 's/^ *{"path": "\(.*\)", "size": \([0-9]*\), "sha256": "\([0-9a-f]*\)"},\{0,1\}$/\3  \1/p' \
        "$site/_site/manifest.json" | LC_ALL=C sort
}
sizes() {
    sed -n 's/^ *{"path": "\(.*\)", "size": \([0-9]*\), "sha256": "\([0-9a-f]*\)"},\{0,1\}$/\2 \1/p' \
        "$site/_site/manifest.json" | LC_ALL=C sort
}

check "the committed example site builds" build
m=$site/_site/manifest.json
(cd "$site/_site" && find . -type f ! -name manifest.json ! -name .charter-manifest |
    sed 's|^\./||' | LC_ALL=C sort | while read -r f; do sha256sum "$f"; done) | LC_ALL=C sort >"$tmp/expect"
listed >"$tmp/actual"
if [ -s "$tmp/expect" ] && cmp -s "$tmp/expect" "$tmp/actual"; then
    ok "manifest.json lists every published file with its SHA-256 ($(wc -l <"$tmp/expect" | tr -d ' ') files)"
else
    not_ok "manifest.json lists every published file with its SHA-256" "$(diff "$tmp/expect" "$tmp/actual" | head -n 8)"
fi
(cd "$site/_site" && find . -type f ! -name manifest.json ! -name .charter-manifest |
    sed 's|^\./||' | while read -r f; do echo "$(wc -c <"$f" | tr -d ' ') $f"; done) | LC_ALL=C sort >"$tmp/expect"
sizes >"$tmp/actual"
check "manifest.json gives every file's size" cmp "$tmp/expect" "$tmp/actual"
check "manifest.json names HEAD's commit" grep -qxF "  \"commit\": \"$head\"," "$m"
check "manifest.json says the content is clean" grep -qxF '  "clean": true,' "$m"
check "manifest.json gives the --as-of date and charter's version" sh -c \
    "grep -qxF '  \"as_of\": \"2026-11-25\",' '$m' &&
     grep -qxF \"  \\\"charter\\\": \\\"\$('$CHARTER' --version | sed -n 's/^charter //p')\\\",\" '$m'"
check "manifest.json holds no build path" sh -c "! grep -qF '$tmp' '$m'"
check "a page's footer names HEAD's commit, linked" grep -qF \
    "Built from commit <a href=\"https://github.com/larkspur-analytics/security-policies/commit/$head\"><code>$short</code></a></p>" \
    "$site/_site/index.html"
check "a clean build says nothing of uncommitted changes" sh -c "! grep -q 'uncommitted changes' '$site/_site/index.html'"
# The home page (content/index.md, a page of the site's own whose layout
# lists the latest changes) names the build's commit and the changes; a
# policy names the commit that last changed its file, not the build's, so
# that a commit rewrites only the pages it changes.
check "the home page lists the latest changes" grep -q 'class="recent-change"' "$site/_site/index.html"
pol=content/governance/information-security-policy.md
check "a policy's footer names the commit that last changed its file" grep -qF \
    "Last changed in commit <a href=\"https://github.com/larkspur-analytics/security-policies/commit/$(git -C "$site" log -1 --format=%H -- $pol)\"><code>$(git -C "$site" log -1 --format=%h -- $pol)</code></a></p>" \
    "$site/_site/governance/information-security-policy/index.html"
check "and not the build's" sh -c "! grep -q 'Built from commit' '$site/_site/governance/information-security-policy/index.html'"
check "the statement of applicability names the build's commit" grep -qF "Built from commit <a href=\"https://github.com/larkspur-analytics/security-policies/commit/$head\"" "$site/_site/soa/index.html"
check "charter verify passes on the built site" sh -c \
    "'$CHARTER' verify '$site/_site' >'$tmp/v.out' 2>&1 && grep -qxF \"'$site/_site': \$(wc -l <'$tmp/expect' | tr -d ' ') files match manifest.json (commit $short)\" '$tmp/v.out'"

# Each change to a copy of the site fails verify, naming the file.
try() { # WHAT EXPECTED-LINE: after the change made in $tmp/copy
    "$CHARTER" verify "$tmp/copy" >"$tmp/v.out" 2>"$tmp/v.err"
    s=$?
    if [ $s = 1 ] && grep -qxF "$2" "$tmp/v.out"; then ok "$1"; else
        not_ok "$1" "exit $s; $(cat "$tmp/v.out" "$tmp/v.err")"; fi
}
rm -rf "$tmp/copy" && cp -R "$site/_site" "$tmp/copy"
printf 'X' | dd of="$tmp/copy/about/index.html" bs=1 seek=10 conv=notrunc 2>/dev/null
try "one changed byte fails verify, naming the file" "changed: about/index.html"
rm -rf "$tmp/copy" && cp -R "$site/_site" "$tmp/copy" && rm "$tmp/copy/404.html"
try "a deleted file fails verify, naming it" "missing: 404.html"
rm -rf "$tmp/copy" && cp -R "$site/_site" "$tmp/copy" && echo hi >"$tmp/copy/assets/extra.txt"
try "an added file fails verify, naming it" "not in the manifest: assets/extra.txt"
rm -rf "$tmp/copy" && cp -R "$site/_site" "$tmp/copy" && rm "$tmp/copy/404.html" &&
    ln -s "$site/_site/404.html" "$tmp/copy/404.html"
try "a link in place of a file fails verify (never followed)" "changed: 404.html"
rm -rf "$tmp/copy" && cp -R "$site/_site" "$tmp/copy" && sed -i 's/"files": \[/"files": [[/' "$tmp/copy/manifest.json"
"$CHARTER" verify "$tmp/copy" >"$tmp/v.out" 2>&1
s=$?
if [ $s = 2 ] && grep -q "is not a manifest charter writes" "$tmp/v.out"; then ok "a malformed manifest exits 2"; else
    not_ok "a malformed manifest exits 2" "exit $s; $(cat "$tmp/v.out")"; fi
# A path written another way than a build writes it names one file twice
# or another file: "404.html\u0000x" (read as 404.html), "./404.html",
# "assets/" (HEAD~1 accepted each).
for bad in '404.html\u0000x' './404.html' 'assets/'; do
    rm -rf "$tmp/copy" && cp -R "$site/_site" "$tmp/copy"
    python3 - "$tmp/copy/manifest.json" "$bad" <<'PY'
import json, sys
path, bad = sys.argv[1], sys.argv[2].encode().decode("unicode_escape")
m = json.load(open(path))
m["files"].append({"path": bad, "size": 0, "sha256": "0" * 64})
json.dump(m, open(path, "w"), indent=2)
PY
    "$CHARTER" verify "$tmp/copy" >"$tmp/v.out" 2>&1
    s=$?
    if [ $s = 2 ] && grep -q 'a file.s "path" is not a path inside the site' "$tmp/v.out"; then
        ok "a manifest path '$bad' is malformed (exit 2)"
    else not_ok "a manifest path '$bad' is malformed (exit 2)" "exit $s; $(cat "$tmp/v.out")"; fi
done
rm -f "$tmp/copy/manifest.json"
"$CHARTER" verify "$tmp/copy" >"$tmp/v.out" 2>&1
s=$?
if [ $s = 2 ]; then ok "a missing manifest exits 2"; else not_ok "a missing manifest exits 2" "exit $s"; fi

# An uncommitted edit: clean flips, and the edited page's footer says so;
# the others, whose files are the commit's, do not (so an edit rewrites
# one page, not all).
printf '\nOne more line.\n' >>"$site/content/about.md"
check "a build with an uncommitted edit succeeds" build
check "manifest.json then says the content is not clean" grep -qxF '  "clean": false,' "$m"
about_short=$(git -C "$site" log -1 --format=%h -- content/about.md)
check "the edited page's footer then says 'with uncommitted changes'" grep -qF \
    "Last changed in commit <a href=\"https://github.com/larkspur-analytics/security-policies/commit/$(git -C "$site" log -1 --format=%H -- content/about.md)\"><code>$about_short</code></a> with uncommitted changes</p>" \
    "$site/_site/about/index.html"
check "another page's footer does not" sh -c "! grep -q 'uncommitted changes' '$site/_site/index.html'"
check "charter verify names the commit and the changes" sh -c \
    "'$CHARTER' verify '$site/_site' | grep -qF '(commit $short, with uncommitted changes)'"
git -C "$site" commit -q -a -m "one more line"
head2=$(git -C "$site" rev-parse HEAD)
check "a build after the commit succeeds" build
check "manifest.json then names the new commit, clean" sh -c \
    "grep -qxF '  \"commit\": \"$head2\",' '$m' && grep -qxF '  \"clean\": true,' '$m'"
check "a rebuild with nothing changed keeps it" sh -c \
    "cd '$site' && '$CHARTER' build --as-of 2026-11-25 --quiet && grep -qxF '  \"commit\": \"$head2\",' '$m' && '$CHARTER' verify _site"
check "the committed page's footer names the new commit" grep -qF \
    "Last changed in commit <a href=\"https://github.com/larkspur-analytics/security-policies/commit/$head2\"><code>$(printf '%s' "$head2" | cut -c1-7)</code></a></p>" \
    "$site/_site/about/index.html"
# A page no commit holds yet says so.
printf -- '---\ntitle: Draft notes\nlayout: page\n---\nNotes.\n' >"$site/content/draft-notes.md"
check "a page no commit holds says 'Not committed yet'" sh -c \
    "cd '$site' && '$CHARTER' build --no-check --as-of 2026-11-25 --quiet && grep -q 'Not committed yet' _site/draft-notes/index.html"
rm -f "$site/content/draft-notes.md"
check "a build after removing it succeeds" build

# Clean covers what the build is made from besides the content: an
# uncommitted site.yml edit, an untracked layout, a deleted catalog file
# (HEAD~1 said clean: the commit alone would not rebuild those bytes).
sed -i 's/^title: .*/title: Edited Title/' "$site/site.yml"
check "an uncommitted site.yml edit: not clean" sh -c "cd '$site' && '$CHARTER' build --as-of 2026-11-25 --quiet && grep -qxF '  \"clean\": false,' '$m'"
check "... and with --no-cache too" sh -c "cd '$site' && '$CHARTER' build --no-cache --as-of 2026-11-25 --quiet && grep -qxF '  \"clean\": false,' '$m'"
git -C "$site" checkout -q -- site.yml
printf '<p>unused</p>\n' >"$site/layouts/unused.html"
check "an untracked layout: not clean" sh -c "cd '$site' && '$CHARTER' build --as-of 2026-11-25 --quiet && grep -qxF '  \"clean\": false,' '$m'"
rm "$site/layouts/unused.html"
check "back as committed: clean" sh -c "cd '$site' && '$CHARTER' build --as-of 2026-11-25 --quiet && grep -qxF '  \"clean\": true,' '$m'"
# The static: folders too (HEAD~1 published an untracked static file and
# said clean).
mkdir -p "$site/static" && printf 'kept\n' >"$site/static/kept.txt"
printf 'static: [static]\n' >>"$site/site.yml"
git -C "$site" add site.yml static && git -C "$site" commit -q -m "a static folder"
printf 'evil\n' >"$site/static/extra.txt"
check "an untracked file in a static: folder: not clean" sh -c "cd '$site' && '$CHARTER' build --as-of 2026-11-25 --quiet && grep -qxF '  \"clean\": false,' '$m'"
rm "$site/static/extra.txt"

# Outside git: no commit, clean is null, no footer line.
mkdir -p "$tmp/plain" && cp -R "$top/site.yml" "$top/content" "$top/controls" "$top/layouts" "$top/assets" "$tmp/plain/"
(cd "$tmp/plain" && "$CHARTER" build --as-of 2026-11-25 --quiet) >/dev/null 2>&1
check "outside git manifest.json has a null commit and clean" sh -c \
    "grep -qxF '  \"commit\": null,' '$tmp/plain/_site/manifest.json' && grep -qxF '  \"clean\": null,' '$tmp/plain/_site/manifest.json'"
check "outside git the footer names no commit" sh -c "! grep -q 'Built from commit' '$tmp/plain/_site/index.html'"
check "outside git charter verify passes" sh -c \
    "'$CHARTER' verify '$tmp/plain/_site' | grep -q 'match manifest.json (no commit)'"
echo "verify: $n checks, $failed failed"
[ "$failed" -eq 0 ]
