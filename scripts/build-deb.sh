#!/bin/sh
# scripts/build-deb.sh OUTDIR: the Debian package of charter (debian/),
# built with `dpkg-buildpackage -us -uc -b` from a clean export of HEAD
# (`git archive`), so the work tree is never written to and uncommitted
# changes are left out. The .deb (and the -dbgsym package, the .buildinfo
# and .changes) end up in OUTDIR; the build log in OUTDIR/build.log.
# Needs debhelper, dpkg-dev and fakeroot (scripts/install-deps.sh --deb).
# Exit: 0 built; 1 the build failed (the log's tail on stderr); 2 usage.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: scripts/build-deb.sh OUTDIR" >&2
    exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM

mkdir "$tmp/src"
git -C "$top" archive --format=tar HEAD | tar -x -C "$tmp/src"
if ! (cd "$tmp/src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
    tail -n 30 "$out/build.log" >&2
    echo "build-deb: dpkg-buildpackage failed; the whole log is in $out/build.log" >&2
    exit 1
fi
rm -f "$out"/charter_*.deb "$out"/charter-dbgsym_*.deb "$out"/charter_*.buildinfo "$out"/charter_*.changes
for f in "$tmp"/charter_*.deb "$tmp"/charter-dbgsym_*.deb "$tmp"/charter_*.buildinfo "$tmp"/charter_*.changes; do
    [ -e "$f" ] && mv "$f" "$out/"
done
ls "$out"/charter_*.deb
