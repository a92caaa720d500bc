#!/bin/sh
# Times a cold `charter build` of a generated 10,000-page site and reports
# wall time and peak memory (not a test; numbers go in docs/performance.md).
# Usage: bench/build.sh [PAGES]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
pages=${1:-10000}
site=${BENCH_DIR:-/tmp/charter-bench}/site-$pages
make -C "$top" --no-print-directory build/charter >/dev/null
[ -f "$site/site.yml" ] || python3 "$top/bench/gen-site.py" "$site" "$pages"
rm -rf "$site/_site"
for run in 1 2 3; do
    rm -rf "$site/_site"
    /usr/bin/time -f "run $run: %e s wall, %U s user, %S s sys, %M KB peak" \
        "$top/build/charter" build --site "$site" --as-of 2026-11-25 --quiet
done
