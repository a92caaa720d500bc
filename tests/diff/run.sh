#!/bin/sh
# `charter diff` on the fixture repository of make-fixture.sh: the report of
# main..pr in every format, compared byte for byte with tests/diff/expected/
# (text, Markdown, JSON, and the HTML redline tree); --fail-on; the default
# range (the merge base with main, up to the working tree, uncommitted
# edits included); that nothing is checked out or changed; the Markdown
# size limit on a huge change; and the errors (an unknown revision, bad
# options).
#
#   CHARTER=$PWD/build/charter sh tests/diff/run.sh      (UPDATE=1 rewrites expected/)
#
# Prints `ok N - what` or `not ok N - what`, then a summary; exits 1 when a
# check failed. KEEP=1 keeps the temporary folder.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-diff-test.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
export NO_COLOR=1
repo=$tmp/repo
top=$(cd "$here/../.." && pwd)
. "$top/tests/lib.sh"
# same WHAT EXPECTED ACTUAL: byte for byte (UPDATE=1 takes ACTUAL as EXPECTED).
same() {
    if [ "${UPDATE:-}" = 1 ]; then
        rm -rf "$2"
        cp -R "$3" "$2"
    fi
    if diff -r -u "$2" "$3" >"$tmp/same.diff" 2>&1; then ok "$1"; else
        not_ok "$1" "$(sed -n '1,12p' "$tmp/same.diff")"
    fi
}
diff_() { (cd "$repo" && "$CHARTER" diff --as-of 2026-11-25 "$@"); }

if ! sh "$here/make-fixture.sh" "$repo" >"$tmp/fixture.log" 2>&1; then
    not_ok "make-fixture.sh" "$(cat "$tmp/fixture.log")"
    echo "diff: $n checks, $failed failed"
    exit 1
fi
# The fixture is the same on every machine: pinned names and dates.
check "the fixture's commits have their pinned ids" \
    test "$(git -C "$repo" rev-parse --short pr)" = "$(cat "$here/expected/pr-commit")"
before=$(cd "$repo" && git status --porcelain && git rev-parse HEAD && git stash list)

diff_ main..pr >"$tmp/text.txt" 2>"$tmp/err"
check "main..pr, text: exit 0" test $? = 0
sed 1d "$tmp/text.txt" >"$tmp/text.body"
same "  the text report" "$here/expected/text.txt" "$tmp/text.txt"
diff_ main..pr --format markdown >"$tmp/report.md" 2>"$tmp/err"
same "the Markdown report" "$here/expected/report.md" "$tmp/report.md"
diff_ main..pr --format json >"$tmp/report.json" 2>"$tmp/err"
same "the JSON report" "$here/expected/report.json" "$tmp/report.json"
check "  is JSON" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['schema']=='charter/diff@1'" "$tmp/report.json"
diff_ main..pr --format html --out "$tmp/redline" 2>"$tmp/err"
check "the HTML redline: exit 0" test $? = 0
same "  its pages" "$here/expected/redline" "$tmp/redline"
check "  each an HTML page with no inline style or script" sh -c "
    for f in '$tmp'/redline/*.html; do
        head -n 1 \"\$f\" | grep -q '^<!doctype html>\$' || exit 1
        grep -q -e '<script' -e '<style' -e 'style=' \"\$f\" && exit 1
    done; exit 0"
after=$(cd "$repo" && git status --porcelain && git rev-parse HEAD && git stash list)
check "nothing was checked out or changed in the repository" test "$before" = "$after"

diff_ main..pr --fail-on new >/dev/null 2>&1
check "--fail-on new: exit 1 when the change introduces findings" test $? = 1
diff_ pr..pr --fail-on new >"$tmp/none.txt" 2>&1
check "--fail-on new: exit 0 for a change that introduces none" test $? = 0
check "  which says there is no change" grep -q '^no change to the policies$' "$tmp/none.txt"
diff_ pr~3..pr~2 --fail-on new >/dev/null 2>&1
rc=$?
check "--fail-on new: a reviewed, versioned edit introduces nothing (exit $rc)" test $rc = 0

# In CI the head is the merge a pull request would make: the review
# evidence of the pull request's commits still counts.
git -C "$repo" checkout -q -b merged main
GIT_AUTHOR_NAME=CI GIT_AUTHOR_EMAIL=ci@example.com GIT_COMMITTER_NAME=CI \
    GIT_COMMITTER_EMAIL=ci@example.com GIT_AUTHOR_DATE=2026-11-24T10:00:00Z \
    GIT_COMMITTER_DATE=2026-11-24T10:00:00Z \
    git -C "$repo" -c commit.gpgsign=false merge -q --no-ff -m "Merge pull request #7 from acme/pr" pr
git -C "$repo" checkout -q main
diff_ main..merged >"$tmp/merged.txt" 2>"$tmp/err"
check "through a merge commit: the reviewed page has its evidence" \
    sh -c "! grep -q 'access.md.*review-without-evidence' '$tmp/merged.txt'"
check "  the unreviewed one has none" grep -q 'crypto.md:8:16: warning: last_reviewed moved .*\[review-without-evidence\]' "$tmp/merged.txt"
sed 1d "$tmp/merged.txt" >"$tmp/merged.body"
check "  and the report is main..pr's" cmp "$tmp/merged.body" "$tmp/text.body"

# The default range: the merge base with main, up to the working tree.
git -C "$repo" checkout -q pr
diff_ >"$tmp/default.txt" 2>"$tmp/err"
check "no range: from the merge base with main to the working tree" \
    grep -q "^charter diff: main where the work left it ($(git -C "$repo" rev-parse --short main)) -> the working tree$" "$tmp/default.txt"
sed 1d "$tmp/default.txt" >"$tmp/default.body"
check "  the same changes as main..pr" cmp "$tmp/default.body" "$tmp/text.body"
printf '\nAnd an uncommitted sentence.\n' >>"$repo/content/policies/access.md"
diff_ main >"$tmp/wt.txt" 2>"$tmp/err"
check "BASE alone: up to the working tree, its uncommitted edits included" \
    grep -q 'uncommitted sentence.+}' "$tmp/wt.txt"
git -C "$repo" checkout -q -- content/policies/access.md
git -C "$repo" checkout -q main

# Errors.
diff_ main..no-such-branch >/dev/null 2>"$tmp/err"
rc=$?
check "an unknown revision: exit 2, named" sh -c "[ $rc = 2 ] && grep -q \"unknown revision 'no-such-branch'\" '$tmp/err'"
diff_ main..pr --format html >/dev/null 2>"$tmp/err"
check "--format html without --out: exit 2" test $? = 2
diff_ main..pr --format yaml >/dev/null 2>"$tmp/err"
check "an unknown format: exit 2" test $? = 2

# A huge change: the Markdown stays under GitHub's 65,536 characters.
git -C "$repo" checkout -q -b big pr
python3 - "$repo/content/policies/crypto.md" <<'PY'
import sys
p = sys.argv[1]
text = open(p).read()
words = " ".join("word%d" % i for i in range(20000))
open(p, "w").write(text + "\n" + words + "\n")
PY
diff_ main --format markdown --redline-url https://ci.example/artifacts/redline/ >"$tmp/big.md" 2>"$tmp/err"
size=$(wc -c <"$tmp/big.md")
check "a 20,000-word redline in Markdown: $size bytes, at most 65,536" test "$size" -le 65536
check "  summarised, with the link to the full one" \
    grep -q 'Redline left out to keep this comment short: [0-9]* words removed, 200[0-9][0-9] added. The full redline: <https://ci.example/artifacts/redline/>' "$tmp/big.md"
check "  the other changes still in full" grep -q '<ins>owner and the security team.</ins>' "$tmp/big.md"
i=0
while [ $i -lt 1500 ]; do
    printf -- '---\ntitle: Note %d\nowner: IT\nlast_reviewed: 2026-11-01\n---\n\nA note.\n' $i \
        >"$repo/content/note-$i.md"
    i=$((i + 1))
done
diff_ main --format markdown >"$tmp/huge.md" 2>"$tmp/err"
size=$(wc -c <"$tmp/huge.md")
check "1,500 pages added in Markdown: $size bytes, at most 65,536" test "$size" -le 65536
check "  cut at a line, saying so" grep -q 'The rest is left out: see the full report' "$tmp/huge.md"

# A title with an escape sequence and a right-to-left override, as a pull
# request may write one: the text report shows them escaped, the Markdown
# has neither (HEAD~1 printed both raw into the terminal or the CI log).
git -C "$repo" checkout -q -f main && git -C "$repo" clean -qfd
printf -- '---\ntitle: "Esc \\e[2JRED \\u202e gpj"\nowner: IT\nlast_reviewed: 2026-11-01\n---\n\nText.\n' \
    >"$repo/content/raw.md"
diff_ main >"$tmp/raw.txt" 2>&1
diff_ main --format markdown >"$tmp/raw.md" 2>&1
check "a title's escape sequence and override: escaped in text, gone from Markdown" sh -c \
    "grep -q 'Esc \\\\x1b\[2JRED \\\\u202e gpj' '$tmp/raw.txt' &&
     ! grep -q \$(printf '\\033') '$tmp/raw.txt' '$tmp/raw.md' &&
     ! grep -q \$(printf '\\342\\200\\256') '$tmp/raw.txt' '$tmp/raw.md'"

# --output never over the site's sources: HEAD~1 replaced site.yml and a
# page with the report (exit 0), where check --output refuses them.
cp "$repo/site.yml" "$tmp/site.yml.before"
cp "$repo/content/raw.md" "$tmp/raw.md.before"
diff_ main --output site.yml >/dev/null 2>"$tmp/err"
check "diff --output site.yml: refused (exit 2), site.yml kept" sh -c "
    test $? = 2 && cmp -s '$repo/site.yml' '$tmp/site.yml.before' &&
    grep -q \"refusing to write 'site.yml': it is the site's source\" '$tmp/err'"
cp "$tmp/site.yml.before" "$repo/site.yml"
diff_ main --format json --output content/raw.md >/dev/null 2>"$tmp/err"
check "diff --output content/raw.md: refused (exit 2), the page kept" sh -c "
    test $? = 2 && cmp -s '$repo/content/raw.md' '$tmp/raw.md.before' &&
    grep -q \"refusing to write 'content/raw.md': it is inside the source directory\" '$tmp/err'"
cp "$tmp/raw.md.before" "$repo/content/raw.md"
diff_ main --output "$tmp/report.txt" >/dev/null 2>"$tmp/err"
check "diff --output elsewhere: written" sh -c "test $? = 0 && test -s '$tmp/report.txt'"

# A finding about a whole file has no line or column: printed as check
# prints it, "content/huge.md: error: ...", where HEAD~1 wrote ":0:0".
head -c 5000000 /dev/zero | tr '\0' 'x' >"$repo/content/huge.md"
diff_ main >"$tmp/huge.txt" 2>&1
diff_ main --format markdown >"$tmp/huge-file.md" 2>&1
check "a whole file's finding: no :0:0" sh -c "
    grep -q '  content/huge.md: error: .* \[too-large\]' '$tmp/huge.txt' &&
    grep -q '\`content/huge.md\` .*too-large' '$tmp/huge-file.md' &&
    ! grep -q ':0:0' '$tmp/huge.txt' '$tmp/huge-file.md'"
rm -f "$repo/content/huge.md"

# A shallow clone (CI's usual checkout) whose range reaches its boundary:
# libgit2's revwalk failed there, so the range's commits, and the review
# evidence they carry, were lost: HEAD~1 reported review-without-evidence
# that the full clone does not (and leaked, under LeakSanitizer).
git clone -q "$repo" "$tmp/deep" && git -C "$tmp/deep" checkout -q pr
sed -i 's/^last_reviewed: .*/last_reviewed: 2026-11-24/; s/^version: .*/version: "1.2"/' \
    "$tmp/deep/content/policies/access.md"
git -C "$tmp/deep" add -A
GIT_AUTHOR_NAME=Ann GIT_AUTHOR_EMAIL=ann@acme.example GIT_AUTHOR_DATE=2026-11-24T10:00:00Z \
    GIT_COMMITTER_NAME=Ann GIT_COMMITTER_EMAIL=ann@acme.example \
    GIT_COMMITTER_DATE=2026-11-24T10:00:00Z \
    git -C "$tmp/deep" commit -q -m "Access control: reviewed" -m "Reviewed-by: Carol Diaz <carol@acme.example>"
git clone -q --depth 2 "file://$tmp/deep" "$tmp/shallow"
(cd "$tmp/deep" && "$CHARTER" diff --as-of 2026-11-25 HEAD~1 >"$tmp/deep.txt" 2>&1)
(cd "$tmp/shallow" && "$CHARTER" diff --as-of 2026-11-25 HEAD~1 >"$tmp/shallow.txt" 2>&1)
check "a shallow clone's range at its boundary: the report of the full clone" \
    sh -c "cmp -s '$tmp/deep.txt' '$tmp/shallow.txt' && ! grep -q review-without-evidence '$tmp/shallow.txt'"

# last_reviewed that was no date (a tool's '03/04/2025', day or month
# first) made one: the message names what it was (HEAD~1: "moved  to
# 2025-03-15", a hole).
git clone -q "$repo" "$tmp/was" && git -C "$tmp/was" checkout -q pr
sed -i 's|^last_reviewed: .*|last_reviewed: 03/04/2025|' "$tmp/was/content/policies/access.md"
git -C "$tmp/was" commit -q -am "Access control: a date as the tool wrote it"
sed -i 's/^last_reviewed: .*/last_reviewed: 2026-11-20/' "$tmp/was/content/policies/access.md"
(cd "$tmp/was" && "$CHARTER" diff --as-of 2026-11-25 HEAD >"$tmp/was.txt" 2>&1)
check "last_reviewed from a value that was no date: named" \
    grep -q "last_reviewed moved from '03/04/2025' to 2026-11-20 without review evidence" "$tmp/was.txt"
git -C "$tmp/was" checkout -q -- .
sed -i 's/^last_reviewed: .*/last_reviewed: [2025-03-15]/' "$tmp/was/content/policies/access.md"
git -C "$tmp/was" commit -q -am "Access control: a date in a list"
sed -i 's/^last_reviewed: .*/last_reviewed: 2026-11-20/' "$tmp/was/content/policies/access.md"
(cd "$tmp/was" && "$CHARTER" diff --as-of 2026-11-25 HEAD >"$tmp/was.txt" 2>&1)
check "  from a list: said so (HEAD~1: 'set to', as if there was none)" \
    grep -q "last_reviewed moved from a list to 2026-11-20 without review evidence" "$tmp/was.txt"

# A page without an id that git sees moved (git mv, as init writes its
# pages without one) is one page renamed, committed or not (HEAD~1: one
# removed and one added, and deleted-policy-cited for the controls it
# still covers at its new path).
git clone -q "$repo" "$tmp/mv" && git -C "$tmp/mv" checkout -q pr
first=content/policies/no-id-policy.md
printf -- '---\ntitle: No id\nowner: CISO\nlast_reviewed: 2026-11-01\ncontrols: [A.5.1]\n---\n\nText kept as it is, line one.\nLine two.\n' >"$tmp/mv/$first"
git -C "$tmp/mv" add -A && git -C "$tmp/mv" commit -q -m "A policy without an id"
git -C "$tmp/mv" mv "$first" content/policies/moved-policy.md
(cd "$tmp/mv" && "$CHARTER" diff --as-of 2026-11-25 HEAD --fail-on new >"$tmp/mv.txt" 2>&1)
check "an uncommitted git mv of a page without an id: renamed" sh -c "grep -q '^  renamed  $first -> content/policies/moved-policy.md' '$tmp/mv.txt' &&
    ! grep -q 'deleted-policy-cited' '$tmp/mv.txt'"
git -C "$tmp/mv" commit -q -m "Move a policy"
(cd "$tmp/mv" && "$CHARTER" diff --as-of 2026-11-25 HEAD~1..HEAD --fail-on new >"$tmp/mv2.txt" 2>&1)
check "  committed: renamed, and --fail-on new passes" sh -c "test $? = 0 &&
    grep -q '^  renamed  $first -> content/policies/moved-policy.md' '$tmp/mv2.txt'"

# BASE...HEAD: from where HEAD left BASE, as git reads it, so that main's
# work since (a page edited there) is no part of the request's change
# (HEAD~1: "unknown revision '.pr'").
git clone -q "$repo" "$tmp/three" && git -C "$tmp/three" checkout -q pr && git -C "$tmp/three" checkout -q main
printf '\nA sentence main added later.\n' >>"$tmp/three/content/index.md"
git -C "$tmp/three" commit -q -am "main moves on"
(cd "$tmp/three" && "$CHARTER" diff --as-of 2026-11-25 main...pr >"$tmp/three.txt" 2>&1)
sed 1d "$tmp/three.txt" >"$tmp/three.body"
check "main...pr after main moved: the request's changes alone" sh -c "cmp -s '$tmp/three.body' '$tmp/text.body' &&
    head -n 1 '$tmp/three.txt' | grep -q '^charter diff: main where pr left it ('"

# Colour on a terminal (script(1) gives it one), none with TERM=dumb, a
# terminal that knows no escapes (HEAD~1: coloured; only NO_COLOR said no).
(cd "$repo" && env -u NO_COLOR script -qec "'$CHARTER' diff --as-of 2026-11-25 main..pr" /dev/null >"$tmp/tty.txt" 2>&1)
(cd "$repo" && env -u NO_COLOR TERM=dumb script -qec "'$CHARTER' diff --as-of 2026-11-25 main..pr" /dev/null >"$tmp/dumb.txt" 2>&1)
check "a terminal gets colour, TERM=dumb none" sh -c "grep -q \"$(printf '\033')\\[\" '$tmp/tty.txt' &&
    ! grep -q \"$(printf '\033')\\[\" '$tmp/dumb.txt' && grep -q '^charter diff: main' '$tmp/dumb.txt'"

# Files named from the working directory, as check names them (HEAD~1:
# from the site, "content/..." where check says "site/content/...").
(cd "$tmp" && "$CHARTER" diff --site mv --as-of 2026-11-25 HEAD~1..HEAD --format json >"$tmp/mv3.json" 2>/dev/null)
check "with --site, files from the working directory" grep -q '"new_file": "mv/content/policies/moved-policy.md"' "$tmp/mv3.json"

# A page that joins or leaves the site without its file changing (a
# chapter taken out of SUMMARY.md, unlisted: omit) is removed, a draft
# published is added (HEAD~1: 'changed', its whole text redlined as
# deleted, and a false version-not-bumped).
book="$tmp/book"
mkdir -p "$book/src/policies" && git -C "$book" init -q -b main
printf 'title: Book\ncontent: src\nreadme_index: true\nexclude: [SUMMARY.md]\ndefault_layout: page\nnavigation:\n  order: src/SUMMARY.md\n  unlisted: omit\n' >"$book/site.yml"
printf '# Summary\n\n- [Access](policies/access.md)\n- [Backup](policies/backup.md)\n' >"$book/src/SUMMARY.md"
printf '# Book\n' >"$book/src/README.md"
printf -- '---\nowner: IT\nlast_reviewed: 2026-01-01\n---\n# Access\n\nAll access is reviewed.\n' >"$book/src/policies/access.md"
printf -- '---\nowner: IT\nlast_reviewed: 2026-01-01\ndraft: true\n---\n# Backup\n\nDaily.\n' >"$book/src/policies/backup.md"
git -C "$book" add -A && git -C "$book" -c user.name=A -c user.email=a@example.com commit -qm one
printf '# Summary\n\n- [Backup](policies/backup.md)\n' >"$book/src/SUMMARY.md"
sed -i '/^draft: true/d' "$book/src/policies/backup.md"
git -C "$book" -c user.name=A -c user.email=a@example.com commit -qam two
(cd "$book" && "$CHARTER" diff --as-of 2026-02-01 HEAD~1..HEAD >"$tmp/book.txt" 2>&1)
check "a page leaving the site is removed, a draft published added" sh -c "grep -q '^  removed  src/policies/access.md' '$tmp/book.txt' &&
    grep -q '^  added    src/policies/backup.md' '$tmp/book.txt' && ! grep -q 'version-not-bumped' '$tmp/book.txt'"

echo "1..$n"
echo "diff: $n checks, $failed failed"
[ "$failed" -eq 0 ]
