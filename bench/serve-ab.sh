#!/bin/sh
# Times two charter binaries' preview servers side by side (not a test;
# numbers go in docs/performance.md): BASE and NEW (default: this checkout's
# build/charter) alternate, ROUNDS sessions each, each session on its own
# copy of the repository compare.sh makes (made once, by `git clone`, in
# BENCH_DIR), the two copies swapped from one round to the next, so that
# neither binary keeps a copy whose caches or layout favour it. A session
# starts `charter serve`, lets it finish its first build, then appends a
# line to EDITS pages one after another (not committed), each once the
# last rebuild is reported; with COMMIT=1 each save is then committed (`git
# commit -a`, dates pinned) and that rebuild is timed apart. Prints each
# binary's median "rebuilt in" for the saves (and the commits), and the
# medians of each stage of the saves (CHARTER_TIMINGS), then resets the
# copies.
# Usage: BASE=binary [NEW=binary] [SIZE=10000] [ROUNDS=3] [EDITS=6] [COMMIT=1]
#        [BENCH_DIR=dir] bench/serve-ab.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
base=${BASE:?set BASE to the charter binary to compare with}
new=${NEW:-$top/build/charter}
size=${SIZE:-10000}
rounds=${ROUNDS:-3}
edits=${EDITS:-6}
commit=${COMMIT:-0}
bench=${BENCH_DIR:-/dev/shm/charter-bench}
. "$top/bench/ab-clones.sh"

tmp=$(mktemp -d "$bench/serve-ab.XXXXXX")
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    for k in 1 2; do
        git -C "$bench/ab-$size-$k" checkout -q -- content 2>/dev/null || true
        git -C "$bench/ab-$size-$k" reset -q --hard origin/HEAD 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
: >"$tmp/results" # tag what seconds

rebuilt() { grep -c '^rebuilt' "$1" || true; }
# wait_rebuilt LOG N: until LOG reports more than N rebuilds (30 s at most).
wait_rebuilt() {
    i=0
    while [ "$(rebuilt "$1")" -le "$2" ] && [ $i -lt 600 ]; do
        sleep 0.05
        i=$((i + 1))
    done
}
# session BINARY COPY TAG
session() {
    dir=$2
    log=$tmp/$3.log
    : >"$log"
    git -C "$dir" checkout -q -- content
    (cd "$dir" && CHARTER_TIMINGS=1 exec "$1" serve --port 0 --as-of 2026-11-25) >/dev/null 2>"$log" &
    pid=$!
    i=0
    until grep -q '^built' "$log" || [ $i -ge 1200 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    sleep 1
    k=1
    while [ $k -le "$edits" ]; do
        page=$(git -C "$dir" ls-files -- 'content/*/*.md' | sed -n "$((k * 997 % size + 1))p")
        n=$(rebuilt "$log")
        printf '\nA line appended by bench/serve-ab.sh.\n' >>"$dir/$page"
        wait_rebuilt "$log" "$n"
        sleep 0.7
        grep '^rebuilt' "$log" | tail -n 1 | awk -v t="$3 save" '{print t, $(NF-1)}' >>"$tmp/results"
        grep 'timings: ' "$log" | tail -n 1 | sed "s/^/$3 /" >>"$tmp/save-timings"
        if [ "$commit" = 1 ]; then
            n=$(rebuilt "$log")
            GIT_AUTHOR_DATE=2026-11-20T10:00:00Z GIT_COMMITTER_DATE=2026-11-20T10:00:00Z \
                git -C "$dir" -c user.name=Bench -c user.email=bench@example.com \
                commit -q -a -m "bench/serve-ab.sh edit $k"
            wait_rebuilt "$log" "$n"
            sleep 0.7
            grep '^rebuilt' "$log" | tail -n 1 | awk -v t="$3 commit" '{print t, $(NF-1)}' >>"$tmp/results"
        fi
        k=$((k + 1))
    done
    kill -INT "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
    git -C "$dir" checkout -q -- content
    git -C "$dir" reset -q --hard origin/HEAD
}

echo "base: $base"
echo "new:  $new"
echo "site: $site ($size pages); $rounds rounds of $edits edits$([ "$commit" = 1 ] && echo ', each committed')"
: >"$tmp/save-timings"
r=1
while [ $r -le "$rounds" ]; do
    if [ $((r % 2)) = 1 ]; then a=1 b=2; else a=2 b=1; fi
    session "$base" "$bench/ab-$size-$a" base
    session "$new" "$bench/ab-$size-$b" new
    echo "  round $r of $rounds done"
    r=$((r + 1))
done
python3 - "$tmp/results" "$tmp/save-timings" <<'EOF'
import re, statistics, sys
res = {}
for line in open(sys.argv[1]):
    tool, what, secs = line.split()
    res.setdefault((what, tool), []).append(float(secs))
for what in ("save", "commit"):
    for tool in ("base", "new"):
        v = res.get((what, tool))
        if v:
            print("  %-6s %-4s median %.3f s (%.3f-%.3f, %d rebuilds)"
                  % (what, tool, statistics.median(v), min(v), max(v), len(v)))
stages = {}
for line in open(sys.argv[2]):
    tool = line.split()[0]
    for m in re.finditer(r"([a-z][a-z ()]*?) ([0-9.]+) s \(cpu", line):
        stages.setdefault(tool, {}).setdefault(m.group(1).strip(), []).append(float(m.group(2)))
for tool in ("base", "new"):
    if tool in stages:
        print("  saves' stages, %s: %s" % (tool, ", ".join(
            "%s %.3f" % (k, statistics.median(v)) for k, v in stages[tool].items())))
EOF
