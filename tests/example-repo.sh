#!/bin/sh
# scripts/example-repo.sh is deterministic: run twice, into folders of
# other names and depths, from other folders, time zones and locales, it
# gives the same commits (ids, authors, dates, subjects) up to the two
# signed ones at the end, whose keys and signatures are new on each run;
# those two differ only there. Also checks that the history has the shapes
# the example promises (docs/example.md): merges of three kinds, trailers,
# review-only commits, a rename, a .mailmap, both signatures.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-example-repo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"
a=$tmp/a
b=$tmp/somewhere/much/deeper/example
t0=$(date +%s)
(cd "$tmp" && TZ=UTC LC_ALL=C sh "$top/scripts/example-repo.sh" a) >"$tmp/a.log" 2>&1
ra=$?
t1=$(date +%s)
mkdir -p "$b"
(cd / && TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 sh "$top/scripts/example-repo.sh" "$b") >"$tmp/b.log" 2>&1
rb=$?
check "the script succeeds twice (first run: $((t1 - t0)) s)" test "$ra$rb" = 00
[ "$ra$rb" = 00 ] || {
    cat "$tmp/a.log" "$tmp/b.log" | head -n 20
    echo "example-repo: $n checks, $failed failed"
    exit 1
}
log() { git -C "$1" log --format="$2" "$3"; }
log "$a" '%H %an %ad %s' HEAD~2 >"$tmp/a.head"
log "$b" '%H %an %ad %s' HEAD~2 >"$tmp/b.head"
if cmp -s "$tmp/a.head" "$tmp/b.head"; then
    ok "the same commits up to the signed ones ($(wc -l <"$tmp/a.head") commits)"
else
    not_ok "the same commits up to the signed ones" "$(diff "$tmp/a.head" "$tmp/b.head" | head -n 8)"
fi
log "$a" '%an %ae %ad %cn %cd %B' HEAD >"$tmp/a.all"
log "$b" '%an %ae %ad %cn %cd %B' HEAD >"$tmp/b.all"
check "the signed commits differ only in their ids and signatures" cmp "$tmp/a.all" "$tmp/b.all"
check "the same tree but for the keys" test \
    "$(git -C "$a" rev-parse HEAD:content HEAD:controls HEAD:layouts HEAD:assets HEAD:.mailmap)" = \
    "$(git -C "$b" rev-parse HEAD:content HEAD:controls HEAD:layouts HEAD:assets HEAD:.mailmap)"
check "an OpenPGP-signed commit" sh -c "git -C '$a' cat-file commit HEAD~1 | grep -q 'BEGIN PGP SIGNATURE'"
check "an SSH-signed commit" sh -c "git -C '$a' cat-file commit HEAD | grep -q 'BEGIN SSH SIGNATURE'"
check "the SSH signature verifies with keys/allowed_signers" \
    git -C "$a" -c gpg.ssh.allowedSignersFile=keys/allowed_signers verify-commit HEAD
check "nothing uncommitted" test -z "$(git -C "$a" status --porcelain)"

# The shapes of a real policy programme.
git -C "$a" log --format='%B%x00' >"$tmp/messages"
has() { check "$1" grep -q -e "$2" "$tmp/messages"; }
has "GitHub merge commits" '^Merge pull request #[0-9]* from larkspur-analytics/'
has "squash merges" ' (#[0-9]*)$'
has "GitLab merge commits" '^See merge request larkspur-analytics/security-policies![0-9]*$'
has "Approved-by trailers" '^Approved-by: [A-Z][a-z]* [A-Z][a-z]* <[a-z.]*@larkspur-analytics.example>$'
has "Reviewed-by trailers" '^Reviewed-by: '
has "Co-authored-by trailers" '^Co-authored-by: '
for t in material minor editorial review; do has "Change-Type: $t" "^Change-Type: $t$"; done
check "the merges have two parents" test "$(git -C "$a" rev-list --merges --count HEAD)" -ge 10
check "a rename git detects" sh -c "git -C '$a' log --first-parent -m -M --name-status --format= | grep -q '^R[0-9]*	content/people/home-working.md	content/people/remote-working.md'"
check "review-only commits change last_reviewed only" sh -c \
    "git -C '$a' show --format= -U0 \$(git -C '$a' log --format=%h --grep='^Change-Type: review' | head -n 3) | grep '^[-+][^-+]' | grep -v '^[-+]last_reviewed: '; test \$? = 1"
check ".mailmap maps an old name" sh -c "git -C '$a' log --format='%aN' | grep -q 'Lena Fischer' && ! git -C '$a' log --format='%aN' | grep -q 'Lena Schulz'"
check "direct commits with no approval" sh -c "git -C '$a' log --first-parent --no-merges --format='%B%x00' | tr '\\n' ' ' | tr '\\0' '\\n' | grep -v 'Approved-by\\|Reviewed-by\\|(#[0-9]*)' | grep -q ."
echo "example-repo: $n checks, $failed failed"
[ "$failed" -eq 0 ]
