#!/bin/sh
# The example site (the repository itself) must build with no errors and no
# warnings, and every page must be written. The date is pinned so that the
# example's review dates do not turn this test red as time passes; `make site`
# itself builds as of today.
set -eu
: "${CHARTER:?set CHARTER to the charter binary}"
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-example.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0
"$CHARTER" build --site "$top" --out "$tmp/site" --as-of 2026-11-25 2>"$tmp/err" || status=$?
if [ "$status" != 0 ] ||
    ! grep -qE '^built [0-9]+ pages \([0-9]+ files: [0-9]+ HTML, [0-9]+ other\) in [0-9.]+ s$' \
        "$tmp/err" || [ "$(wc -l <"$tmp/err")" != 1 ]; then
    echo "example site: exit $status, expected a clean build; stderr:"
    cat "$tmp/err"
    exit 1
fi
pages=$(find "$top/content" -name '*.md' ! -path '*/_*' | wc -l)
built=$(grep -c '"source":' "$tmp/site/api/pages.json")
if [ "$pages" != "$built" ]; then
    echo "example site: $pages pages in content/, $built in api/pages.json"
    exit 1
fi
# The summary counts the pages written, and the files in the output (not
# its two manifests, which describe them).
said=$(sed -n 's/^built \([0-9]*\) pages (\([0-9]*\) files.*/\1 \2/p' "$tmp/err")
files=$(find "$tmp/site" -type f ! -name .charter-manifest ! -path "$tmp/site/manifest.json" | wc -l)
if [ "$said" != "$pages $files" ]; then
    echo "example site: the summary says '$said' (pages files), the output has $pages pages, $files files"
    exit 1
fi
test -f "$tmp/site/assets/style.css" || { echo "example site: assets not copied"; exit 1; }
echo "example site: $(cat "$tmp/err")"
