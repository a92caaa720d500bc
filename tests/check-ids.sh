#!/bin/sh
# Keeps docs/checks.md, the check table and the fixtures in step: every id
# `charter check --list-checks` prints has a "### id" section in
# docs/checks.md and vice versa, and every id is triggered by at least one
# end-to-end fixture's expected output. Needs CHARTER.
set -u
: "${CHARTER:?set CHARTER to the charter binary}"
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-ids.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$CHARTER" check --list-checks | awk '{print $1}' | sort >"$tmp/table"
sed -n 's/^### \([a-z0-9-]*\)$/\1/p' "$here/../docs/checks.md" | sort >"$tmp/docs"
fail=0
if ! cmp -s "$tmp/table" "$tmp/docs"; then
    echo "check ids: docs/checks.md and 'charter check --list-checks' differ (< table, > docs):"
    diff "$tmp/table" "$tmp/docs" | grep '^[<>]'
    fail=1
fi
while read -r id; do
    if ! cat "$here"/e2e/*/expected-stderr "$here"/e2e/*/expected-stdout 2>/dev/null |
        grep -q "\[$id\]"; then
        echo "check ids: no end-to-end fixture triggers '$id'"
        fail=1
    fi
done <"$tmp/table"
[ "$fail" = 0 ] && echo "check ids: $(wc -l <"$tmp/table" | tr -d ' ') ids documented and triggered"
exit "$fail"
