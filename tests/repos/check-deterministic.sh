#!/bin/sh
# Builds each fixture repository of tests/repos/ twice, in two differently
# named directories, and checks that both runs end at the same commit id and
# leave a clean working tree: the scripts pin everything a commit id depends on.
#
#   sh tests/repos/check-deterministic.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-repos-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
for kind in jekyll-isms comply-soc2 docusaurus-iso hugo-plain; do
    heads=
    for run in a b; do
        dir=$tmp/$run-$kind
        if ! sh "$here/$kind.sh" "$dir" >"$tmp/out" 2>&1; then
            echo "repos: $kind.sh failed:"
            cat "$tmp/out"
            fail=1
            continue 2
        fi
        if [ -n "$(git -C "$dir" status --porcelain)" ]; then
            echo "repos: $kind.sh leaves uncommitted files:"
            git -C "$dir" status --porcelain
            fail=1
        fi
        heads="$heads $(git -C "$dir" rev-parse HEAD)"
    done
    set -- $heads
    if [ "$1" != "$2" ]; then
        echo "repos: $kind.sh is not deterministic: HEAD $1, then $2"
        fail=1
    else
        echo "repos: $kind $1 ($(git -C "$tmp/a-$kind" rev-list --count HEAD) commits)"
    fi
done
exit "$fail"
