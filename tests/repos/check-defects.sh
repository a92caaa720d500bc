#!/bin/sh
# Keeps tests/repos/README.md and the fixture scripts in step: builds each
# fixture and checks that every intended defect the README lists (a row
# "| `file:line:col` | check-id | `text` | ... |" under "## <kind>.sh") names a
# line that holds `text` at that column. Does not run charter.
#
#   sh tests/repos/check-defects.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-repos-defects.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# One line per defect: kind TAB file TAB line TAB col TAB text.
awk '
/^## [a-z0-9-]+\.sh:/ { kind = $2; sub(/\.sh:$/, "", kind); next }
/^\| `[^`]+:[0-9]+:[0-9]+` \| [a-z-]+ \| `/ {
    split($0, cell, /` *\| */)
    loc = substr(cell[1], 4); text = cell[2]; sub(/^[a-z-]+ \| `/, "", text)
    n = split(loc, p, ":")
    printf "%s\t%s\t%s\t%s\t%s\n", kind, p[1], p[2], p[3], text
}' "$here/README.md" >"$tmp/defects"
fail=0
count=0
for kind in $(cut -f1 "$tmp/defects" | sort -u); do
    if ! sh "$here/$kind.sh" "$tmp/$kind" >"$tmp/out" 2>&1; then
        echo "repos: $kind.sh failed:"
        cat "$tmp/out"
        fail=1
        continue
    fi
done
tab=$(printf '\t')
while IFS=$tab read -r kind file line col text; do
    count=$((count + 1))
    got=$(sed -n "${line}p" "$tmp/$kind/$file" 2>/dev/null | cut -c"$col"-)
    case $got in
    "$text"*) ;;
    *)
        echo "repos: README.md: $kind $file:$line:$col should start '$text', reads '$got'"
        fail=1
        ;;
    esac
done <"$tmp/defects"
[ "$count" -gt 0 ] || { echo "repos: README.md lists no defects"; fail=1; }
[ "$fail" = 0 ] && echo "repos: $count intended defects located as README.md says"
exit "$fail"
