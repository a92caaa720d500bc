#!/bin/sh
# A page 250 folders deep (a pull request can commit one): the walk looked
# up each folder's output marks by resolving its whole path again with
# realpath, so the work grew with the square of the depth (1,000 folders:
# 20 s; 3,000: over seven minutes, then "File name too long"). Counted, not
# timed: realpath calls, through count-realpath.c preloaded, must stay a
# few per page of the site, not two per folder of the deep one (1f35b99~1:
# some 1,230 here). The same page reached through a linked folder
# (content/linked -> ../shared, inside the site) went through realpath at
# every folder, each call reading every component again: 600 deep took 7 s
# and 1,844 calls, 2,000 deep over three minutes. The build must publish
# the deep page. Needs CHARTER; not under a sanitizer (its runtime must be
# the first library loaded).
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
# deep_case NAME WHERE LINK: the example site with one page 250 folders
# below WHERE; when LINK is set, content/linked is a link to ../shared.
failed=0
deep_case() {
    site=$tmp/$1
    mkdir -p "$site"
    cp -R "$top/site.yml" "$top/content" "$top/controls" "$top/layouts" "$top/assets" "$site/"
    deep=$2
    i=0
    while [ $i -lt 250 ]; do deep=$deep/d; i=$((i + 1)); done
    mkdir -p "$site/$deep"
    printf -- '---\ntitle: Deep\nowner: o\nlast_reviewed: 2026-01-01\n---\nDown here.\n' >"$site/$deep/x.md"
    url=${deep#content/}
    if [ -n "$3" ]; then
        ln -s ../shared "$site/content/linked"
        url=linked/${deep#shared/}
    fi
    pages=$(find -L "$site/content" -name '*.md' | wc -l)
    : >"$tmp/count"
    REALPATH_COUNT=$tmp/count LD_PRELOAD=$tmp/count.so \
        "$CHARTER" build --site "$site" --no-check --no-cache --as-of 2026-11-25 --quiet 2>"$tmp/err"
    rc=$?
    calls=$(awk '{n += $1} END {print n + 0}' "$tmp/count")
    limit=$((pages * 4 + 40))
    if [ "$rc" != 0 ]; then
        echo "deep folders ($1): FAIL the build exited $rc"; sed 's/^/    /' "$tmp/err" | head -5
        failed=1
    elif [ ! -f "$site/_site/$url/x/index.html" ]; then
        echo "deep folders ($1): FAIL the deep page was not published"; failed=1
    elif [ "$calls" -gt "$limit" ]; then
        echo "deep folders ($1): FAIL $calls realpath calls for $pages pages 250 folders deep (at most $limit)"
        failed=1
    else
        echo "deep folders ($1): ok, $calls realpath calls for $pages pages, one 250 folders deep"
    fi
}
deep_case plain content/deep ""
deep_case linked shared yes
# Deeper than a site's file may lie (256 folders): a too-large error, and
# the walk stops there, before git's ignore rules are asked (each asking
# read every .gitignore above the folder: 2,000 untracked folders deep took
# 90 s, 10,000 hours).
site=$tmp/deeper
mkdir -p "$site/content" && printf 'title: T\n' >"$site/site.yml"
printf -- '---\ntitle: Home\n---\nhi\n' >"$site/content/index.md"
python3 -c "
import os
os.chdir('$site/content')
for i in range(300):
    os.mkdir('d'); os.chdir('d')
open('x.md', 'w').write('---\\ntitle: Deep\\n---\\nhi\\n')"
git -C "$site" init -q
"$CHARTER" check --site "$site" >/dev/null 2>"$tmp/deeper.err"
rc=$?
if [ "$rc" = 1 ] && grep -q 'is 257 folders deep, deeper than any page or file of a site may lie (256 folders); it is not read \[too-large\]' "$tmp/deeper.err"; then
    echo "deep folders (300 deep, untracked): ok, too-large at 257"
else
    echo "deep folders (300 deep, untracked): FAIL exit $rc"; tail -3 "$tmp/deeper.err" | cut -c1-200
    failed=1
fi
exit $failed
