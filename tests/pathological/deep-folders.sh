#!/bin/sh
# A page 600 folders deep (a pull request can commit one): the walk looked
# up each folder's output marks by resolving its whole path again with
# realpath, so the work grew with the square of the depth (1,000 folders:
# 20 s; 3,000: over seven minutes, then "File name too long"). Counted, not
# timed: realpath calls, through count-realpath.c preloaded, must stay a
# few per page of the site, not two per folder of the deep one (HEAD~1:
# some 1,230 here). The build must publish the deep page. Needs CHARTER;
# not under a sanitizer (its runtime must be the first library loaded).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
if ldd "$CHARTER" 2>/dev/null | grep -q 'lib[at]san'; then
    echo "deep folders: skipped under a sanitizer"
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-deep.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
cc -shared -fPIC -O2 -o "$tmp/count.so" "$top/tests/pathological/count-realpath.c" -ldl || exit 2
site=$tmp/site
mkdir -p "$site"
cp -R "$top/site.yml" "$top/content" "$top/controls" "$top/layouts" "$top/assets" "$site/"
deep=content/deep
i=0
while [ $i -lt 600 ]; do deep=$deep/d; i=$((i + 1)); done
mkdir -p "$site/$deep"
printf -- '---\ntitle: Deep\nowner: o\nlast_reviewed: 2026-01-01\n---\nDown here.\n' >"$site/$deep/x.md"
pages=$(find "$site/content" -name '*.md' | wc -l)
REALPATH_COUNT=$tmp/count LD_PRELOAD=$tmp/count.so \
    "$CHARTER" build --site "$site" --no-check --no-cache --as-of 2026-11-25 --quiet 2>"$tmp/err"
rc=$?
calls=$(awk '{n += $1} END {print n + 0}' "$tmp/count")
limit=$((pages * 4 + 40))
failed=0
if [ "$rc" != 0 ]; then
    echo "deep folders: FAIL the build exited $rc"; sed 's/^/    /' "$tmp/err" | head -5; failed=1
elif [ ! -f "$site/_site/${deep#content/}/x/index.html" ]; then
    echo "deep folders: FAIL the deep page was not published"; failed=1
elif [ "$calls" -gt "$limit" ]; then
    echo "deep folders: FAIL $calls realpath calls for $pages pages 600 folders deep (at most $limit)"
    failed=1
else
    echo "deep folders: ok, $calls realpath calls for $pages pages, one 600 folders deep"
fi
exit $failed
