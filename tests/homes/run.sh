#!/bin/sh
# Home directories are never an output: $HOME and this user's (refused
# before), and any other person's (an account from uid 1000 up), empty or
# not; a system account's home (uid under 1000, such as www-data's
# /var/www) is not refused for being one. The accounts are made up: a
# passwd file of the test's own is bind-mounted over /etc/passwd in a
# mount namespace of its own, gone with the test. Needs root and unshare;
# skipped where it cannot mount. HEAD~1 wrote the site into another
# user's empty home.
#
#   CHARTER=$PWD/build/charter sh tests/homes/run.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
what="another person's empty home is refused, a system account's is not"

skip() {
    echo "ok 1 - $what # SKIP $1"
    echo "homes: 1 checks, 0 failed"
    exit 0
}

if [ -z "${HOMES_INNER:-}" ]; then
    [ "$(id -u)" = 0 ] || skip "not root"
    command -v unshare >/dev/null 2>&1 || skip "no unshare"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-homes.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp/people/ada" "$tmp/www"
    { cat /etc/passwd
      echo "ada:x:1234:1234:Ada:$tmp/people/ada:/bin/sh"
      echo "web:x:33:33:Web:$tmp/www:/usr/sbin/nologin"
      echo "bob:x:4242:4242:Bob:$tmp/people/bob:/bin/sh"; } >"$tmp/passwd"
    HOMES_INNER=$tmp unshare --mount sh -c \
        "mount --make-rprivate / 2>/dev/null; mount --bind '$tmp/passwd' /etc/passwd || exit 77
         exec sh '$0'" 
    rc=$?
    [ "$rc" = 77 ] && skip "cannot bind-mount a passwd file"
    exit $rc
fi

tmp=$HOMES_INNER
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
# into DIR WHAT TEST: a build into DIR, then TEST (a shell condition, with
# $rc its exit and $tmp/err its messages) says whether WHAT holds.
into() {
    "$CHARTER" build --site "$top" --out "$1" --as-of 2026-11-25 --quiet 2>"$tmp/err"
    rc=$?
    if eval "$3"; then
        ok "$2"
    else
        not_ok "$2 (exit $rc)"
        sed 's/^/#   /' "$tmp/err" | head -3
    fi
}
into "$tmp/people/ada" "another person's empty home: refused, exit 2, nothing written" \
    '[ "$rc" = 2 ] && [ -z "$(ls -A "$tmp/people/ada")" ] &&
     grep -q "it is a home directory ('"'"'$tmp/people/ada'"'"')" "$tmp/err"'
into "$tmp/people" "a folder holding another person's home: refused" \
    '[ "$rc" = 2 ] && grep -q "it contains a home directory" "$tmp/err"'
into "$tmp/www" "a system account's home (uid 33): built there" \
    '[ "$rc" = 0 ] && [ -f "$tmp/www/index.html" ]'
# A person's home not made yet (useradd -M): not made by charter either.
into "$tmp/people/bob" "a person's home not made yet: refused, not made" \
    '[ "$rc" = 2 ] && [ ! -e "$tmp/people/bob" ]'
echo "homes: $n checks, $failed failed"
[ "$failed" -eq 0 ]
