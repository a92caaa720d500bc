#!/bin/sh
# The site as it stood (docs/evidence.md): `charter build --at DAY|REV`
# renders a past commit from git objects alone. On a repository made here
# with pinned dates (the example site, then a version bump with a .mailmap,
# then a page deleted and the title changed), with an uncommitted edit in
# the work tree: the --at build equals, byte for byte apart from the
# banner, a build of a checkout of that commit; the work tree is not read
# or touched and no scratch folder is left; check --at and diff between
# two days answer for that time; in a repository that adopted charter
# since, past commits are read with the work tree's site.yml. Needs CHARTER.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-at.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"

r=$tmp/repo
example_repo "$r"
cd "$r" || exit 2
pol=content/governance/risk-management.md
at() { export GIT_AUTHOR_DATE="$1T10:00:00Z" GIT_COMMITTER_DATE="$1T10:00:00Z"; }
at 2026-11-10
sed -i 's/^version: .*/version: "9.0"/' "$pol"
printf '\nA paragraph added in November.\n' >>"$pol"
printf 'Ada Lovelace <ada@example.com> Ada <ada@example.com>\n' >.mailmap
git add -A && git commit -q -m "Risk management 9.0

Change-Type: material
Approved-by: Grace Hopper <grace@example.com>"
nov=$(git rev-parse HEAD)
at 2026-11-28
git rm -q content/operations/clear-desk.md
sed -i 's/^title: .*/title: Renamed Later/' site.yml
git commit -q -am "Late November: a page retired, the site renamed"
# An uncommitted edit: no build --at may see it.
printf '\nUNCOMMITTED TEXT\n' >>"$pol"
state() { git status --porcelain; find . -path ./.git -prune -o -type f -exec sha256sum {} + | sort; }
before=$(state)

mkdir -p "$tmp/scratch"
TMPDIR=$tmp/scratch "$CHARTER" build --at 2026-11-20 --out "$tmp/at" --quiet 2>"$tmp/at.err"
rc=$?; check "build --at a day succeeds" sh -c "test $rc = 0 || { cat '$tmp/at.err'; exit 1; }"
after=$(state); check "the work tree is not touched" sh -c "test \"\$1\" = \"\$2\" || { echo \"\$1\"; echo ---; echo \"\$2\"; exit 1; }" - "$before" "$after"
check "no scratch folder is left" test -z "$(ls -A "$tmp/scratch")"
check "manifest.json names the commit of that day, clean" \
    sh -c "grep -q '\"commit\": \"$nov\",' '$tmp/at/manifest.json' && grep -q '\"clean\": true,' '$tmp/at/manifest.json'"
check "the uncommitted edit is not in it" sh -c "! grep -rq 'UNCOMMITTED TEXT' '$tmp/at'"
check "the page deleted later is there" test -f "$tmp/at/operations/clear-desk/index.html"
check "the November version and its .mailmap" \
    sh -c "grep -q '<td>9.0</td>' '$tmp/at/governance/risk-management/index.html' &&
        grep -q 'Ada Lovelace' '$tmp/at/governance/risk-management/index.html'"
pages=$(find "$tmp/at" -name '*.html' | wc -l)
bannered=$(grep -l 'class="at-banner"' -r "$tmp/at" --include='*.html' | wc -l)
check "every page carries the banner ($pages pages)" test "$pages" = "$bannered"
check "the banner names the day and the commit" grep -qF \
    "This is the policy site as of <time datetime=\"2026-11-20\">20 November 2026</time> (commit <a href=\"https://github.com/larkspur-analytics/security-policies/commit/$nov\"><code>$(echo "$nov" | cut -c1-7)</code></a>)" \
    "$tmp/at/index.html"

check "charter verify accepts the --at output" "$CHARTER" verify "$tmp/at"

# A checkout of that commit, built as of the same day.
git clone -q "$r" "$tmp/co"
git -C "$tmp/co" checkout -q "$nov"
(cd "$tmp/co" && "$CHARTER" build --as-of 2026-11-20 --out "$tmp/co-out" --quiet) 2>"$tmp/co.err"
check "the checkout builds" test $? = 0
# Byte for byte apart from the banner (and the manifests, which hold the
# pages' digests).
find "$tmp/at" -name '*.html' -exec sed -i 's|<div class="at-banner" role="note">.*</div></div>||' {} +
if diff -r -x manifest.json -x .charter-manifest "$tmp/co-out" "$tmp/at" >"$tmp/diff.out"; then
    ok "build --at equals a build of a checkout, but for the banner ($(find "$tmp/at" -type f | wc -l) files)"
else
    not_ok "build --at equals a build of a checkout, but for the banner" "$(head -n 20 "$tmp/diff.out")"
fi
TMPDIR=$tmp/scratch "$CHARTER" build --at HEAD~1 --as-of 2026-11-20 --out "$tmp/at-rev" --quiet 2>/dev/null
find "$tmp/at-rev" -name '*.html' -exec sed -i 's|<div class="at-banner" role="note">.*</div></div>||' {} +
check "--at a revision: the same commit, the same site" \
    diff -r -x manifest.json -x .charter-manifest "$tmp/at" "$tmp/at-rev"

# check --at: compliance as of then; a day before the history is an error.
"$CHARTER" check --at 2026-11-20 --format json >"$tmp/check.json" 2>/dev/null
check "check --at judges that day" sh -c "grep -q '\"as_of\": \"2026-11-20\"' '$tmp/check.json'"
"$CHARTER" check --at 2020-01-01 2>"$tmp/old.err"
check "a day before the first commit: exit 2, said" sh -c "test $? = 2 && grep -q 'no commit of .*as old as 2020-01-01' '$tmp/old.err'"
"$CHARTER" build --at no-such-rev 2>"$tmp/bad.err"
check "an unknown revision: exit 2, said" sh -c "test $? = 2 && grep -q \"'no-such-rev' is neither a day\" '$tmp/bad.err'"
# diff between two days: the audit window.
"$CHARTER" diff 2026-11-01..2026-11-20 >"$tmp/window.txt" 2>&1
check "diff between two days shows the change of 10 November" sh -c "grep -q 'version: .* -> 9.0' '$tmp/window.txt'"

# A repository that adopted charter since: no commit has site.yml, the work
# tree's (as `charter init` leaves it, untracked) reads the past commits.
a=$tmp/adopted
mkdir -p "$a" && cp -R "$r/content" "$r/controls" "$a/" && cd "$a" || exit 2
git init -q && at 2026-10-01 && git add -A && git commit -q -m "Policies, before charter"
first=$(git rev-parse --short HEAD)
printf '\nA paragraph added later.\n' >>"$pol"
at 2026-10-15 && git commit -q -am "A later edit"
cp "$r/site.yml" site.yml
"$CHARTER" check --at HEAD --as-of 2026-11-20 >"$tmp/adopted.out" 2>"$tmp/adopted.err"
rc=$?
check "check --at a commit without site.yml reads it with the work tree's" \
    sh -c "test $rc -le 1 && grep -q \"^site.yml: note: commit $(git rev-parse --short=7 HEAD) has no 'site.yml': the working tree's is used \[config\]\" '$tmp/adopted.err'" 
TMPDIR=$tmp/scratch "$CHARTER" build --at HEAD --as-of 2026-11-20 --no-check --out "$tmp/adopted-out" --quiet 2>/dev/null
check "build --at such a commit" grep -q 'A paragraph added later' "$tmp/adopted-out/governance/risk-management/index.html"
"$CHARTER" diff "$first..HEAD" >"$tmp/adopted.txt" 2>&1
check "diff between two such commits" grep -q 'risk-management' "$tmp/adopted.txt"

# A crafted commit (its trees written byte by byte, as git itself never
# makes them): nothing is written outside the scratch folder, no link is
# written through, a committed .git is neither written out nor read, and
# no blob is inflated past what a site's file may be. HEAD~1 wrote
# '../../x' where it pointed, wrote x/y.md through a link x of the same
# tree, read the commit's own .git/config, and inflated a 70 MB blob.
h=$tmp/hostile
mkdir -p "$h/content/sec" "$tmp/outside" && cd "$h" || exit 2
git init -q && printf 'title: T\n' >site.yml && printf -- '---\ntitle: Home\n---\nhi\n' >content/index.md
printf -- '---\ntitle: S\n---\n[home](../index.md)\n' >content/sec/s.md
at 2026-11-01 && git add -A && git commit -q -m init
# rawtree: a tree object from lines "MODE NAME HEX" on stdin, names as
# given (git mktree refuses the hostile ones).
rawtree() {
    python3 -c '
import sys, subprocess
data = b""
for line in sys.stdin.read().splitlines():
    mode, name, hexid = line.split(" ", 2)[0], line.split(" ", 1)[1].rsplit(" ", 1)[0], line.rsplit(" ", 1)[1]
    data += mode.encode() + b" " + name.encode() + b"\0" + bytes.fromhex(hexid)
sys.stdout.write(subprocess.run(["git", "hash-object", "-t", "tree", "--literally", "-w", "--stdin"],
                                input=data, capture_output=True, check=True).stdout.decode())'
}
idx=$(git rev-parse HEAD:content/index.md) yml=$(git rev-parse HEAD:site.yml) sec=$(git rev-parse HEAD:content/sec)
page=$(printf -- '---\ntitle: X\n---\nx\n' | git hash-object -w --stdin)
crafted() { # crafted "MODE NAME HEX"...: a commit whose content/ holds them too, on HEAD
    ct=$( (printf '100644 index.md %s\n40000 sec %s\n' "$idx" "$sec"; for l in "$@"; do printf '%s\n' "$l"; done) | rawtree)
    rt=$(printf '40000 content %s\n100644 site.yml %s\n' "$ct" "$yml" | rawtree)
    git commit-tree "$rt" -p HEAD -m crafted
}
c=$(crafted "100644 ../../../../../../../../..$tmp/outside/dotdot.md $page")
TMPDIR=$tmp/scratch "$CHARTER" check --at "$c" >/dev/null 2>"$tmp/dotdot.err"
check "a '..' name: refused (exit 2), nothing written outside" sh -c "test $? = 2 &&
    grep -q 'which git refuses to check out' '$tmp/dotdot.err' && test ! -e '$tmp/outside/dotdot.md'"
link=$(printf '%s' "$tmp/outside" | git hash-object -w --stdin)
sub=$(printf '100644 y.md %s\n' "$page" | rawtree)
c=$(crafted "120000 x $link" "40000 x $sub")
TMPDIR=$tmp/scratch "$CHARTER" check --at "$c" >/dev/null 2>"$tmp/twice.err"
check "a link and a folder of one name: refused, nothing written through the link" sh -c "test $? = 2 &&
    grep -q 'names it twice' '$tmp/twice.err' && test ! -e '$tmp/outside/y.md'"
printf 'sec/\n' >"$tmp/outside/ignore"
cfg=$(printf '[core]\n\texcludesFile = %s/outside/ignore\n' "$tmp" | git hash-object -w --stdin)
headref=$(printf 'ref: refs/heads/main\n' | git hash-object -w --stdin)
empty=$(printf '100644 x %s\n' "$page" | rawtree)
dotgit=$(printf '100644 HEAD %s\n100644 config %s\n40000 objects %s\n40000 refs %s\n' "$headref" "$cfg" "$empty" "$empty" | rawtree)
ct=$(printf '100644 index.md %s\n40000 sec %s\n' "$idx" "$sec" | rawtree)
rt=$(printf '40000 .git %s\n40000 content %s\n100644 site.yml %s\n' "$dotgit" "$ct" "$yml" | rawtree)
c=$(git commit-tree "$rt" -p HEAD -m dotgit)
TMPDIR=$tmp/scratch "$CHARTER" check --at "$c" >/dev/null 2>"$tmp/dotgit.err"
check "a committed .git is not written out, its config not obeyed" grep -q 'in 2 pages' "$tmp/dotgit.err"
big=$(head -c 70000000 /dev/zero | git hash-object -w --stdin)
c=$(crafted "100644 bomb.md $big")
TMPDIR=$tmp/scratch "$CHARTER" check --at "$c" >/dev/null 2>"$tmp/bomb.err"
check "a blob over what a file may be: too-large before it is inflated" sh -c "test $? = 2 &&
    grep -q '70000000 bytes, over the 67108864 any file of a site may be' '$tmp/bomb.err'"
cd "$tmp" || exit 2

echo "at: $n checks, $failed failed"
[ "$failed" -eq 0 ]
