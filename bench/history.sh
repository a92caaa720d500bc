#!/bin/sh
# Times reading a site's git history (not a test): generates, once, a site
# with PAGES pages and COMMITS commits (bench/gen-history.py), then times
#   a. the floor: one `git log --name-status -M` over content/;
#   b. what Jekyll plugins do: one `git log --follow` per page, timed over a
#      sample of 200 pages and extrapolated to all of them;
#   c. charter, cold (no .charter cache) and warm. `charter check` if it reads
#      history (it leaves SITE/.charter behind), else `charter build`;
#      CHARTER_BENCH_CMD=check|build forces one.
# Usage: bench/history.sh [PAGES] [COMMITS]   (default 10000 20000)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
pages=${1:-10000}
commits=${2:-20000}
bench=${BENCH_DIR:-/tmp/charter-bench}
site=$bench/history-$pages-$commits
out=$bench/history-out-$pages-$commits
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fmt='%H%x09%an%x09%ad%x09%s'
charter=$top/build/charter
mode=${CHARTER_BENCH_CMD:-auto}

make -C "$top" --no-print-directory build/charter >/dev/null
mkdir -p "$bench"

# run LABEL NOTE CMD...: times CMD (exit status 0 or 1 accepted), adds a table row.
run() {
    label=$1 note=$2
    shift 2
    rc=0
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "history.sh: $label failed (exit $rc):" >&2
        tail -5 "$tmp/stderr" >&2
        exit 1
    fi
    read -r wall rss <"$tmp/time"
    printf '%-34s %9.2f %9.1f  %s\n' "$label" "$wall" "$(echo "$rss" | awk '{print $1/1024}')" "$note" >>"$tmp/table"
}

: >"$tmp/table"
run "generate (or reuse) the repository" "bench/gen-history.py" \
    python3 "$top/bench/gen-history.py" "$site" "$pages" "$commits"
cat "$tmp/stdout"
npages=$(git -C "$site" ls-files -- content | grep -c -v '^content/index\.md$')
ncommits=$(git -C "$site" rev-list --count HEAD)

run "a. git log --name-status -M" "the floor: one walk" \
    git -C "$site" log --name-status -M --format="$fmt" --date=short -- content

git -C "$site" ls-files -- content | grep -v '^content/index\.md$' |
    awk -v step=$(( npages / 200 > 0 ? npages / 200 : 1 )) 'NR % step == 0' | head -200 >"$tmp/sample"
nsample=$(wc -l <"$tmp/sample")
run "b. git log --follow x $nsample pages" "measured" \
    sh -c 'cd "$1" && while IFS= read -r f; do git log --follow --format="$2" --date=short -- "$f"; done <"$3"' \
    sh "$site" "$fmt" "$tmp/sample"
read -r follow _ <"$tmp/time"
printf '%-34s %9.2f %9s  %s\n' "b. git log --follow x $npages pages" \
    "$(echo "$follow $npages $nsample" | awk '{print $1 * $2 / $3}')" "-" \
    "extrapolated from $nsample pages" >>"$tmp/table"

check() {
    run "c. charter check ($1)" "$2" "$charter" check --site "$site" --as-of 2026-11-25
}
build() {
    rm -rf "$out"
    run "c. charter build ($1)" "$2" "$charter" build --site "$site" --out "$out" --as-of 2026-11-25 --quiet
}
rm -rf "$site/.charter"
if [ "$mode" = auto ]; then
    check cold "no .charter"
    if [ -d "$site/.charter" ]; then
        mode=check
    else
        echo "charter check left no $site/.charter (reads no history yet?): timing build too" >&2
        mode=build
        rm -rf "$site/.charter"
        build cold "no .charter"
    fi
else
    $mode cold "no .charter"
fi
if [ -d "$site/.charter" ]; then
    $mode warm ".charter present"
else
    $mode warm "no .charter was written"
fi

echo
echo "history: $npages pages, $ncommits commits ($site)"
printf '%-34s %9s %9s  %s\n' "" "wall s" "peak MB" ""
cat "$tmp/table"
