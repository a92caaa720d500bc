#!/bin/sh
# Approval evidence on every change (docs/evidence.md), on a repository made
# here with pinned dates: a GitHub merge commit (the approval only on the
# branch's commit), a squash merge "(#N)" with a co-author, a GitLab merge
# with "See merge request group/project!N", a direct commit with no
# evidence, Change-Type: trailers and a front matter `change:`. Checks what
# pages.json, the change table, the changelog, the feed and the dashboard
# say, and the unapproved-change and version-rule checks in check and build.
# Needs CHARTER.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-evidence.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"

r=$tmp/repo
mkdir -p "$r/content"
cd "$r" || exit 2
git init -q -b main
cat >site.yml <<'EOF'
title: Evidence
repository_url: https://git.example/acme/policies
versioning:
EOF
# page VERSION REVIEWED [BODY] [CHANGE]: writes content/access.md.
page() {
    {
        printf -- '---\ntitle: Access control\nowner: CISO\nversion: "%s"\nlast_reviewed: %s\n' "$1" "$2"
        [ -z "${4:-}" ] || printf 'change: %s\n' "$4"
        printf -- '---\n\nAccess is granted on need.\n\n%s\n' "${3:-}"
    } >content/access.md
}
at() { export GIT_AUTHOR_DATE="$1T10:00:00Z" GIT_COMMITTER_DATE="$1T10:00:00Z"; }

at 2025-01-10
page 1.0 2025-01-10
git add -A && git commit -q -m "Access control policy"

# A GitHub merge commit: the approval is on the branch's commit only, which
# an editor wrote; the merge is someone else's.
at 2025-03-01
git checkout -q -b tighten
page 1.1 2025-03-01 "Reviews are quarterly."
GIT_AUTHOR_NAME="Ann Editor" GIT_AUTHOR_EMAIL=ann@acme.example git commit -q -am "Quarterly access reviews

Change-Type: minor
Approved-by: Dana Chief <dana@acme.example>"
at 2025-03-02
git checkout -q main
git merge -q --no-ff tighten -m "Merge pull request #12 from acme/tighten

Quarterly access reviews"

# A squash merge with a co-author.
at 2025-06-01
page 2.0 2025-06-01 "Reviews are quarterly. MFA is required everywhere."
git commit -q -am "Require MFA everywhere (#15)

Change-Type: material
Co-authored-by: Eve Engineer <eve@acme.example>"

# A GitLab merge of an annual review.
at 2026-05-20
git checkout -q -b review
page 2.0 2026-05-20 "Reviews are quarterly. MFA is required everywhere."
git commit -q -am "Annual review

Reviewed-by: Dana Chief <dana@acme.example>"
at 2026-05-21
git checkout -q main
git merge -q --no-ff review -m "Merge branch 'review' into 'main'

Annual review 2026

See merge request acme/policies!23"

# A direct commit: no evidence; classified in the front matter.
at 2026-06-01
page 2.0 2026-05-20 "Reviews are quarterly. MFA is required everywhere, even here." editorial
git commit -q -am "Fix wording"

"$CHARTER" build --as-of 2026-06-10 --quiet 2>"$tmp/build.err"
check "the site builds" test $? = 0
rows=$(python3 -c '
import json, sys
p = [p for p in json.load(open("_site/api/pages.json"))["pages"] if p["source"].endswith("access.md")][0]
for r in p["history"]:
    print("|".join([r["short"], r["version"], r["request"] or "-", r["change_type"] or "-",
        ",".join(r["approved_by"]) or "-", ",".join(r["reviewed_by"]) or "-",
        ",".join(r["co_authors"]) or "-", r["signature"]["state"], r["summary"]]))
' 2>&1)
expect_row() {
    if printf '%s\n' "$rows" | cut -d'|' -f2- | grep -qxF "$2"; then ok "$1"; else not_ok "$1" "$rows"; fi
}
expect_row "a direct commit: no request, typed by its front matter" \
    "2.0|-|editorial|-|-|-|unsigned|Fix wording"
expect_row "a GitLab merge request, with its branch's reviewer; a review by what it changed" \
    "2.0|!23|review|-|Dana Chief <dana@acme.example>|-|unsigned|Annual review 2026"
expect_row "a squash merge (#15) with its co-author and type" \
    "2.0|#15|material|-|-|Eve Engineer <eve@acme.example>|unsigned|Require MFA everywhere (#15)"
expect_row "a GitHub merge: its title, and the approval from the branch's commit" \
    "1.1|#12|minor|Dana Chief <dana@acme.example>|-|-|unsigned|Quarterly access reviews"
expect_row "the first commit: no evidence" "1.0|-|-|-|-|-|unsigned|Access control policy"

html=_site/access/index.html
check "the change table links the pull request" \
    grep -qF '<a href="https://git.example/acme/policies/pull/12">Pull request #12</a>' "$html"
check "the change table links the merge request" \
    grep -qF '<a href="https://git.example/acme/policies/-/merge_requests/23">Merge request !23</a>' "$html"
check "approvers show by name, without their email" grep -qF '<li>Approved by Dana Chief</li>' "$html"
check "a change without evidence says so" grep -qF 'No approval recorded' "$html"
# A merge's row names whoever merged as its author, and the authors of the
# commits it brought in (through .mailmap, also when the rows come from the
# history's cache).
merged() {
    python3 -c '
import json
p = [p for p in json.load(open("_site/api/pages.json"))["pages"] if p["source"].endswith("access.md")][0]
for r in p["history"]:
    print("%s|%s|%s" % (r["request"] or "-", r["author"], ",".join(r["merged_authors"]) or "-"))'
}
want_merged='-|Ada|-
!23|Ada|Ada <ada@example.com>
#15|Ada|-
#12|Ada|Ann Editor <ann@acme.example>
-|Ada|-'
got_merged=$(merged)
if [ "$got_merged" = "$want_merged" ]; then ok "a merge's row lists the authors of the commits it brought in"
else not_ok "a merge's row lists the authors of the commits it brought in" "$got_merged"; fi
check "the change table shows them" grep -qF '<li>Merged commits by Ann Editor</li>' "$html"
printf 'Ann Lee <ann@acme.example>\n' >.mailmap
"$CHARTER" build --as-of 2026-06-10 --quiet 2>"$tmp/build-mailmap.err"
mailmapped=$(merged | grep '^#12|')
check "with a .mailmap, from the history's cache, they are named through it" \
    test "$mailmapped" = "#12|Ada|Ann Lee <ann@acme.example>"
check "and so shown" grep -qF '<li>Merged commits by Ann Lee</li>' "$html"
rm .mailmap
check "the feed shows a merge's commits' authors and a co-author" sh -c "
    grep -qF 'Pull request #12 · Approved by Dana Chief · Merged commits by Ann Lee' _site/feed.xml &&
    grep -qF 'Pull request #15 · Co-authored by Eve Engineer' _site/feed.xml"
check "the material change is marked" grep -qF 'class="history-material"' "$html"
check "the changelog shows the evidence" grep -qF 'Merge request !23' _site/changelog/index.html
check "the feed marks the material change" \
    grep -qF '<title>Material change: Require MFA everywhere (#15)</title>' _site/feed.xml
check "the dashboard counts the last twelve months' changes: 1 with, 1 without evidence" \
    sh -c "grep -A5 'Approval evidence' _site/reviews/index.html | tr -d '\n' |
        grep -q 'With evidence</dt><dd class=\"health-count\">1<.*Without evidence</dt><dd class=\"health-count\">1<'"

# unapproved-change: off by default; on, it finds the two changes without
# evidence; approval_since leaves the older one out.
"$CHARTER" check --as-of 2026-06-10 >"$tmp/check.out" 2>&1
check "without evidence settings, check is clean" test $? = 0
printf 'evidence:\n  require_approval: true\n' >>site.yml
"$CHARTER" check --as-of 2026-06-10 --format json >"$tmp/check.json" 2>/dev/null
rc=$?
found=$(python3 -c '
import json
for f in json.load(open("'"$tmp/check.json"'"))["findings"]:
    if f["check"] == "unapproved-change": print(f["message"].split()[1])
' | sort | tr '\n' ' ')
first=$(git rev-list --max-parents=0 --abbrev-commit --abbrev=7 HEAD)
last=$(git rev-parse --short=7 HEAD)
want=$(printf '%s\n%s\n' "$first" "$last" | sort | tr '\n' ' ')
check "require_approval: check fails (exit 1)" test "$rc" = 1
check "unapproved-change names exactly the two changes without evidence" test "$found" = "$want"
printf '  approval_since: 2026-01-01\n' >>site.yml
"$CHARTER" check --as-of 2026-06-10 2>"$tmp/since.err"
rc=$?
check "approval_since: only the newer one" sh -c "test $rc = 1 && grep -c '\[unapproved-change\]' '$tmp/since.err' | grep -qx 1 && grep -q '$last' '$tmp/since.err'"
"$CHARTER" build --as-of 2026-06-10 --quiet 2>"$tmp/build2.err"
check "build fails on it too, and says where" sh -c "test $? = 1 && grep -q 'content/access.md:1:1: error: change $last' '$tmp/build2.err'"
# In a pull request, the request's own changes await the review that
# approves them: not judged when CI names the base (GITHUB_BASE_REF,
# CI_MERGE_REQUEST_TARGET_BRANCH_NAME) or CHARTER_BASE does. HEAD~1 failed
# every pull request: the branch's commits, and GitHub's test merge
# ("Merge <sha> into <sha>"), cannot carry the approval before the merge.
at 2026-06-05
git checkout -q -b pr
page 2.0 2026-06-05 "Reviews are quarterly. MFA is required everywhere. Keys rotate."
git commit -q -am "Rotate keys"
pr=$(git rev-parse --short=7 HEAD)
CHARTER_BASE=main "$CHARTER" check --as-of 2026-06-10 2>"$tmp/pr.err"
check "CHARTER_BASE: the request's change is not judged, main's still is" sh -c "test $? = 1 &&
    ! grep -q '$pr' '$tmp/pr.err' && grep -q 'change $last' '$tmp/pr.err'"
GITHUB_BASE_REF=main "$CHARTER" check --as-of 2026-06-10 2>"$tmp/pr2.err"
check "GITHUB_BASE_REF without origin/main fetched: judged, and said why" sh -c "test $? = 1 &&
    grep -q 'change $pr' '$tmp/pr2.err' &&
    grep -q \"the pull request's base 'origin/main' is not in the repository\" '$tmp/pr2.err'"
git checkout -q --detach main
git merge -q --no-ff pr -m "Merge $(git rev-parse pr) into $(git rev-parse main)"
test_merge=$(git rev-parse --short=7 HEAD)
git update-ref refs/remotes/origin/main main
CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main "$CHARTER" check --as-of 2026-06-10 2>"$tmp/pr3.err"
check "a test merge into origin/main is the request's own too" sh -c "test $? = 1 &&
    ! grep -q '$test_merge' '$tmp/pr3.err' && ! grep -q '$pr' '$tmp/pr3.err'"
"$CHARTER" check --as-of 2026-06-10 2>"$tmp/pr4.err"
check "outside a pull request the test merge is judged" grep -q "change $test_merge" "$tmp/pr4.err"
git checkout -q main && git branch -q -D pr && git update-ref -d refs/remotes/origin/main
git checkout -q site.yml 2>/dev/null || git show HEAD:site.yml >site.yml

# version-rule: a material change that only raises the minor version.
at 2026-07-01
page 2.1 2026-05-20 "Reviews are monthly. MFA is required everywhere, even here."
git commit -q -am "Monthly reviews

Change-Type: material
Approved-by: Dana Chief <dana@acme.example>"
"$CHARTER" check --as-of 2026-07-02 2>"$tmp/rule.err"
rc=$?
check "a material change to 2.1 breaks the rule" sh -c "test $rc = 1 && grep -q \"is material but takes version '2.0' to '2.1': a material change must raise the major version\" '$tmp/rule.err'"
"$CHARTER" diff HEAD~1..HEAD >"$tmp/diff.out" 2>&1
check "diff reports it for the range" grep -q "this change is material but takes version '2.0' to '2.1' (versioning.material: major) \[version-rule\]" "$tmp/diff.out"
# site.yml may relax the rule; without a versioning section there is none.
printf '  material: minor\n' >>site.yml
"$CHARTER" check --as-of 2026-07-02 2>"$tmp/rule2.err"
check "versioning.material: minor accepts it" test $? = 0
sed -i '/^versioning:/,$d' site.yml
"$CHARTER" check --as-of 2026-07-02 2>"$tmp/rule-off.err"
check "no versioning section: no rule" test $? = 0
git show HEAD:site.yml >site.yml
printf '  material: sometimes\n' >>site.yml
"$CHARTER" check --as-of 2026-07-02 2>"$tmp/rule3.err"
check "an unknown rule is a configuration error (exit 2)" sh -c "test $? = 2 && grep -q \"must be major, minor, patch, same or any, not 'sometimes'\" '$tmp/rule3.err'"
git show HEAD:site.yml >site.yml
# A review that changes the text is no review.
at 2026-07-05
page 3.0 2026-07-05 "Reviews are monthly. MFA is required everywhere."
git commit -q -am "Annual review

Change-Type: review
Reviewed-by: Dana Chief <dana@acme.example>"
"$CHARTER" check --as-of 2026-07-06 2>"$tmp/rule4.err"
check "a 'review' that changes the text breaks the rule" sh -c "test $? = 1 && grep -q 'is a review but changes more than' '$tmp/rule4.err'"
"$CHARTER" diff HEAD~1..HEAD >"$tmp/diff2.out" 2>&1
check "and diff says so too" grep -q "this change is a review but changes the text" "$tmp/diff2.out"

# Merged commits' authors in other shapes: one person under two addresses
# that .mailmap joins is listed once (HEAD~1: twice); an octopus merge
# lists the authors of every branch it merged (HEAD~1: its second parent's
# alone); a shallow clone, where the walk stops at missing history, lists
# the merged parent's author (HEAD~1: none).
shapes=$tmp/shapes
mkdir -p "$shapes"
mk() { rm -rf "$1"; mkdir -p "$1/content"; cd "$1" || exit 2; git init -q -b main; printf 'title: R\n' >site.yml; }
pv() { printf -- '---\ntitle: P\nowner: O\nlast_reviewed: 2026-05-01\nversion: "%s"\n---\nv%s\n' "$1" "$1" >content/p.md; }
as() { git add -A && GIT_AUTHOR_NAME="$1" GIT_AUTHOR_EMAIL="$2" git commit -qm "$3"; }
first_merged() { # the merged authors of the page's newest row with any
    python3 -c '
import json
for r in json.load(open("_site/api/pages.json"))["pages"][0]["history"]:
    if r["merged_authors"]:
        print(",".join(r["merged_authors"])); break'
}
at 2026-01-02
mk "$shapes/mailmap"; pv 1; as A a@x init
git checkout -qb b; pv 2; as Bob bob@old.example c1; pv 3; as Bob bob@new.example c2
git checkout -q main; git merge -q --no-ff b -m "Merge pull request #1 from x/b"
printf 'Robert <robert@example.com> <bob@old.example>\nRobert <robert@example.com> <bob@new.example>\n' >.mailmap
as A a@x mailmap
"$CHARTER" build --as-of 2026-11-25 --quiet 2>/dev/null
check "one person under two addresses .mailmap joins is listed once" \
    test "$(first_merged)" = "Robert <robert@example.com>"
mk "$shapes/octopus"; pv 1; as A a@x init
git checkout -qb b1 main; echo 1 >content/a.txt; as Bea bea@x b1
git checkout -qb b2 main; pv 2; as Cy cy@x b2
git checkout -q main; git merge -q --no-ff b1 b2 -m "Octopus" >/dev/null
"$CHARTER" build --as-of 2026-11-25 --quiet 2>/dev/null
check "an octopus merge lists the authors of every branch it merged" \
    test "$(first_merged)" = "Bea <bea@x>,Cy <cy@x>"
mk "$shapes/full"; pv 1; as A a@x init; pv 2; as A a@x two
git checkout -qb b; pv 3; as Bob bob@x b1; pv 4; as Cat cat@x b2
git checkout -q main; echo x >content/n.txt; as A a@x main
git merge -q --no-ff b -m "Merge pull request #1 from x/b"
git clone -q --depth 2 "file://$shapes/full" "$shapes/shallow"
cd "$shapes/shallow" || exit 2
# (Exit 0: under the sanitizers, libgit2's walk into the missing history
# leaked.)
"$CHARTER" build --as-of 2026-11-25 --quiet 2>"$tmp/shallow.err"
check "the shallow clone builds" test $? = 0
check "a shallow clone lists the merged parent's author" test "$(first_merged)" = "Cat <cat@x>"
cd "$r" || exit 2

# The evidence files are read only once a signed commit needs them; one
# named but not there, a folder, or a link out of the site is a
# configuration error (exit 2) all the same, with the line naming it.
printf 'evidence:\n  keyring: keys/approvers.asc\n  allowed_signers: keys/allowed\n' >>site.yml
"$CHARTER" check --as-of 2026-07-06 2>"$tmp/keys.err"
check "a missing keyring is a configuration error where no commit is signed" sh -c "test $? = 2 &&
    grep -qF \"cannot read 'keys/approvers.asc': No such file or directory [io]\" '$tmp/keys.err' &&
    grep -qF \"site.yml:5:12: note: 'keys/approvers.asc' is named by evidence.keyring [config]\" '$tmp/keys.err'"
mkdir -p keys/allowed
ln -s /etc/passwd keys/approvers.asc
"$CHARTER" build --as-of 2026-07-06 --quiet 2>"$tmp/keys2.err"
check "a keyring linked from outside the site and a folder for the signers are refused" sh -c "test $? = 2 &&
    grep -qF \"'keys/approvers.asc' is a symbolic link to '/etc/passwd', outside the site\" '$tmp/keys2.err' &&
    grep -qF \"cannot read 'keys/allowed': Is a directory\" '$tmp/keys2.err' &&
    grep -qF 'is named by evidence.allowed_signers [config]' '$tmp/keys2.err'"
rm -r keys
mkdir keys
: >keys/approvers.asc
: >keys/allowed
"$CHARTER" check --as-of 2026-07-06 2>"$tmp/keys3.err"
# (exit 1: the version-rule finding above)
check "files that are there pass" sh -c "test $? = 1 && ! grep -q 'evidence\\.' '$tmp/keys3.err'"
rm -r keys
git show HEAD:site.yml >site.yml

# Signatures: verified, not verified and unsigned, OpenPGP and SSH, with
# keys made now (tests/evidence/make-signed-repo.sh prints what each commit
# must read as). The second build reads the history from its cache, which
# keeps only a signature's kind: the verdict is made again.
sh "$top/tests/evidence/make-signed-repo.sh" "$tmp/signed" >"$tmp/signed.want" 2>"$tmp/signed.err" ||
    not_ok "make-signed-repo.sh" "$(cat "$tmp/signed.err")"
cd "$tmp/signed/repo" || exit 2
states() {
    python3 -c '
import json
for p in json.load(open("_site/api/pages.json"))["pages"]:
    for r in p["history"]:
        if r["kind"] == "commit": print(r["commit"], r["signature"]["state"])' | sort
}
# The second build runs where ssh-keygen is not: its SSH verdicts can only
# come from the cache of verdicts (.git/charter/signatures.cache).
mkdir -p "$tmp/nossh"
for t in gpg gpgconf gpgsm gpg-agent; do
    p=$(command -v "$t") && ln -s "$p" "$tmp/nossh/$t"
done
for pass in first second; do
    path=$PATH
    [ "$pass" = second ] && path=$tmp/nossh
    PATH=$path "$CHARTER" build --as-of 2026-06-01 --quiet 2>"$tmp/signed.build" ||
        not_ok "the signed site builds ($pass)" "$(cat "$tmp/signed.build")"
    if [ "$(states)" = "$(sort "$tmp/signed.want")" ]; then
        ok "each commit's signature reads as expected ($pass build)"
    else
        not_ok "each commit's signature reads as expected ($pass build)" "$(states | diff - "$tmp/signed.want")"
    fi
    touch content/policy.md
done
check "the verdicts are cached, one per signed commit" \
    sh -c "test \$(grep -c '^[0-9a-f]\\{40\\}	' .git/charter/signatures.cache) = 4"
html=_site/policy/index.html
check "a verified OpenPGP signature names its signer and key" \
    grep -qE 'signature-verified">Signed \(openpgp\), verified: Alice &lt;alice@example.com&gt;, key [0-9A-F]{16}<' "$html"
check "a verified SSH signature names its principal" \
    grep -qE 'signature-verified">Signed \(ssh\), verified: alice@example.com, key SHA256:' "$html"
check "an unknown OpenPGP key is not verified, and says why" \
    grep -qF 'Signed (openpgp), not verified: key not in the keyring' "$html"
check "an SSH key no allowed signer holds is not verified" \
    grep -qF 'Signed (ssh), not verified: no allowed signer for this key' "$html"
# Without the site's keys, nothing is verified.
sed -i '/^evidence:/,$d' site.yml
"$CHARTER" build --as-of 2026-06-01 --quiet 2>/dev/null
check "no keyring configured: signed, not verified" sh -c "! grep -q 'signature-verified' '$html' &&
    grep -qF 'not verified: no keyring configured' '$html' &&
    grep -qF 'not verified: no allowed signers file configured' '$html'"

echo "evidence: $n checks, $failed failed"
[ "$failed" -eq 0 ]
