#!/bin/sh
# The same commit builds the same bytes wherever and however it is built:
# the example site, committed with pinned dates, built in two folders of
# different names and depths, once from inside the site and once with
# --site from elsewhere, with one thread and with the default, with and
# without the caches, in two time zones and locales. The two output trees
# must be byte for byte the same (file names, modes and contents), so no
# path of the build machine, no clock, zone, locale or thread order leaks
# into a page; SOURCE_DATE_EPOCH dates a build as --as-of does. Needs
# CHARTER.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-repro.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"
a=$tmp/a/site
b=$tmp/somewhere/much/deeper/policy-site
example_repo "$a"
example_repo "$b"
(cd "$a" && TZ=UTC LC_ALL=C "$CHARTER" build --as-of 2026-11-25 --quiet) 2>"$tmp/a.err"
ra=$?
(cd "$tmp" && TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 CHARTER_THREADS=1 \
    "$CHARTER" build --site "$b" --as-of 2026-11-25 --quiet --no-cache) 2>"$tmp/b.err"
rb=$?
check "both builds succeed" test "$ra$rb" = 00
snap() { (cd "$1" && find . -printf '%y %m %p\n' | sort && find . -type f -exec sha256sum {} + | sort -k 2); }
snap "$a/_site" >"$tmp/a.snap"
snap "$b/_site" >"$tmp/b.snap"
if cmp -s "$tmp/a.snap" "$tmp/b.snap"; then
    ok "the two output trees are byte for byte the same ($(grep -c '^f ' "$tmp/a.snap") files)"
else
    not_ok "the two output trees are byte for byte the same" "$(diff "$tmp/a.snap" "$tmp/b.snap" | head -n 8)"
fi
# SOURCE_DATE_EPOCH (reproducible-builds.org) stands for --as-of: noon of
# the same day, in a third folder, gives the same bytes.
c=$tmp/third
example_repo "$c"
(cd "$c" && SOURCE_DATE_EPOCH=$(date -u -d 2026-11-25T12:00:00 +%s) "$CHARTER" build --quiet) 2>"$tmp/c.err"
check "a build dated by SOURCE_DATE_EPOCH succeeds" test $? = 0
snap "$c/_site" >"$tmp/c.snap"
if cmp -s "$tmp/a.snap" "$tmp/c.snap"; then
    ok "SOURCE_DATE_EPOCH gives the bytes --as-of does"
else
    not_ok "SOURCE_DATE_EPOCH gives the bytes --as-of does" "$(diff "$tmp/a.snap" "$tmp/c.snap" | head -n 8)"
fi
check "no path of the build machine in any output" sh -c "! grep -r -l -e '$tmp' '$a/_site' '$b/_site'"
echo "reproducible: $n checks, $failed failed"
[ "$failed" -eq 0 ]
