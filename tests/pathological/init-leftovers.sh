#!/bin/sh
# `charter init` on a plain Markdown repository keeps a top-level file out
# of exclude: when a page links to it (README.md's [license](LICENSE)). It
# used to read every page again for each such name: 300 pages and 100
# scripts at the top made some 30,000 opens, a repository of thousands of
# each hours of reading. Counted, not timed: the files opened, through
# count-opens.c preloaded, must stay a few per page (1,840 here), not one per page and
# name. Needs CHARTER; not under a sanitizer (its runtime must be the first
# library loaded).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
if ldd "$CHARTER" 2>/dev/null | grep -q 'lib[at]san'; then
    echo "init leftovers: skipped under a sanitizer"
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-init-leftovers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
cc -shared -fPIC -O2 -o "$tmp/count.so" "$top/tests/pathological/count-opens.c" -ldl || exit 2
repo=$tmp/repo
mkdir -p "$repo"
i=1
while [ $i -le 100 ]; do echo 'echo' >"$repo/tool-$i.sh"; i=$((i + 1)); done
i=1
while [ $i -le 300 ]; do
    printf -- '---\ntitle: Page %d\n---\n\nSee [a](other.md) and [b](./x/y.md#z).\n' $i >"$repo/page-$i.md"
    i=$((i + 1))
done
printf '# Policies\n\n[License](LICENSE), [the tool](./tool-7.sh).\n' >"$repo/README.md"
echo 'MIT' >"$repo/LICENSE"
: >"$tmp/count"
OPEN_COUNT=$tmp/count LD_PRELOAD=$tmp/count.so "$CHARTER" init --site "$repo" >"$tmp/out" 2>&1
rc=$?
opens=$(awk '{n += $1} END {print n + 0}' "$tmp/count")
limit=$((302 * 8 + 200)) # the other probes of init read each page a few times
if [ "$rc" != 0 ]; then
    echo "init leftovers: FAIL init exited $rc"; sed 's/^/    /' "$tmp/out" | head -5
    exit 1
elif ! grep -q "'tool-7.sh' is not left out" "$tmp/out" || ! grep -q "'LICENSE' is not left out" "$tmp/out" ||
    ! grep -q 'tool-8.sh' "$repo/site.yml" || grep -q 'tool-7.sh' "$repo/site.yml"; then
    echo "init leftovers: FAIL the linked files are not the ones kept"; sed 's/^/    /' "$tmp/out" | head -5
    exit 1
elif [ "$opens" -gt "$limit" ]; then
    echo "init leftovers: FAIL $opens files opened for 302 pages and 102 top-level names (at most $limit)"
    exit 1
fi
echo "init leftovers: ok, $opens files opened for 302 pages and 102 top-level names"
