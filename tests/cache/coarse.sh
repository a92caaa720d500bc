#!/bin/sh
# Whole-second timestamps (ext3, ext4 made with 128-byte inodes, HFS+,
# sshfs): a page edited twice in one second, with a build between the two
# edits, keeps its times. The second build must still see the second edit:
# neither the stamp nor the load cache may vouch for a file changed within
# two seconds of their stat there (fs_racy_ns, generator/fs.h). The site is
# put on such a file system: a 64 MB ext4 image made with 128-byte inodes,
# mounted in a mount namespace of its own (gone with the test); a random
# edit sequence runs there too. Needs root, unshare and mkfs.ext4; skipped
# where it cannot mount.
#
#   CHARTER=$PWD/build/charter sh tests/cache/coarse.sh
#
# Prints `ok N - what` or `not ok N - what` per check, then a summary; exits
# 1 when any check failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
what="a page edited twice in one second on whole-second timestamps"

skip() {
    echo "ok 1 - $what # SKIP $1"
    echo "coarse: 1 checks, 0 failed"
    exit 0
}

if [ -z "${COARSE_INNER:-}" ]; then
    [ "$(id -u)" = 0 ] || skip "not root"
    command -v unshare >/dev/null 2>&1 || skip "no unshare"
    PATH=$PATH:/sbin:/usr/sbin
    command -v mkfs.ext4 >/dev/null 2>&1 || skip "no mkfs.ext4"
    unshare --mount --propagation private true 2>/dev/null || skip "no mount namespace"
    COARSE_INNER=1 PATH=$PATH exec unshare --mount --propagation private sh "$0"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-coarse.XXXXXX")
trap 'umount "$tmp/mnt" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"

mkdir "$tmp/mnt"
truncate -s 64M "$tmp/fs.img"
mkfs.ext4 -q -F -I 128 "$tmp/fs.img" >/dev/null 2>&1 || skip "mkfs.ext4 failed"
mount -o loop "$tmp/fs.img" "$tmp/mnt" 2>/dev/null || skip "cannot mount a loop device"
site=$tmp/mnt/site
example_repo "$site"
page=$(ls "$site"/content/*/access-control.md 2>/dev/null | head -n 1)
[ -f "$page" ] || { not_ok "the example has an access control policy"; exit 1; }

build() {
    CHARTER_TIMINGS=1 "$CHARTER" build --site "$site" --out "$tmp/mnt/out" --as-of 2026-11-25 \
        --quiet 2>"$tmp/err"
}
build || { not_ok "the first build" "$(cat "$tmp/err")"; exit 1; }
cp "$page" "$tmp/page.orig"

# The two edits keep the page's size; all of it within one second, the
# build between them included, or it is tried again.
tries=0
done_in_one=
while [ $tries -lt 5 ] && [ -z "$done_in_one" ]; do
    tries=$((tries + 1))
    python3 -c 'import time; time.sleep(1.02 - time.time() % 1)'
    sed "s/Access/ACCESS/" "$tmp/page.orig" >"$page"
    first=$(stat -c %Z "$page")
    build
    sed "s/Access/AcCeSS/" "$tmp/page.orig" >"$page"
    second=$(stat -c %Z "$page")
    sleep 0.05
    [ "$first" = "$second" ] && [ "$(stat -c %z "$page" | sed 's/.*\.\([0-9]*\) .*/\1/')" = 000000000 ] &&
        done_in_one=yes
    build
    rc=$?
done
if [ -z "$done_in_one" ]; then
    ok "$what # SKIP the two edits never fell in one second"
elif [ $rc -ne 0 ] || grep -q '^charter: timings: .*up to date ' "$tmp/err"; then
    not_ok "$what: the build missed it (exit $rc)" "$(cat "$tmp/err")"
else
    "$CHARTER" build --no-cache --site "$site" --out "$tmp/cold" --as-of 2026-11-25 --quiet \
        2>/dev/null
    if diff -r "$tmp/mnt/out" "$tmp/cold" >"$tmp/diff" 2>&1; then
        ok "$what: the build saw it, as a cold build"
    else
        not_ok "$what: the output differs from a cold build's" "$(cat "$tmp/diff")"
    fi
fi

# And a random edit sequence there (tests/incremental/random.sh): each
# step's build must equal a cold one. COARSE_STEPS (default 8; 0: none).
steps=${COARSE_STEPS:-8}
if [ "$steps" -gt 0 ]; then
    mkdir "$tmp/mnt/tmp"
    if TMPDIR=$tmp/mnt/tmp SEED=1 STEPS=$steps sh "$top/tests/incremental/random.sh" \
        >"$tmp/random.log" 2>&1; then
        ok "a random edit sequence of $steps steps on whole-second timestamps"
    else
        not_ok "a random edit sequence of $steps steps on whole-second timestamps" \
            "$(grep -v '^ok' "$tmp/random.log")"
    fi
fi

echo "coarse: $n checks, $failed failed"
[ "$failed" -eq 0 ]
