#!/bin/sh
# Times template rendering alone: the policy-page layout in bench/template/
# (a ctemplate-oracle case directory, ~21 KB rendered) rendered N times by
# libctemplate (oracle) and by charter's engine (charter-render), dictionary
# built and templates loaded once. Not a test; numbers go in docs/performance.md.
# Usage: bench/template.sh [N]   (default 50000, about 1-3 s each)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-50000}
make -C "$top" --no-print-directory build/tests/oracle build/tests/charter-render >/dev/null
case_dir="$top/bench/template"
# Both must render the same bytes, or the comparison means nothing.
"$top/build/tests/oracle" "$case_dir" >"${TMPDIR:-/tmp}/bench-oracle.$$"
"$top/build/tests/charter-render" "$case_dir" >"${TMPDIR:-/tmp}/bench-charter.$$"
same=yes
cmp -s "${TMPDIR:-/tmp}/bench-oracle.$$" "${TMPDIR:-/tmp}/bench-charter.$$" || same=NO
echo "page: $(wc -c <"${TMPDIR:-/tmp}/bench-oracle.$$" | tr -d ' ') bytes, identical output: $same"
rm -f "${TMPDIR:-/tmp}/bench-oracle.$$" "${TMPDIR:-/tmp}/bench-charter.$$"
"$top/build/tests/oracle" "$case_dir" --repeat "$n" 2>&1
"$top/build/tests/charter-render" "$case_dir" --repeat "$n" 2>&1
