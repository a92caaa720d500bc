#!/bin/sh
# Times the preview servers' rebuild after a one-page edit: `charter serve`
# beside `hugo server` (when installed), on the generated repository that
# compare.sh uses (made once with gen-history.py). Each server is started,
# left to finish its first build, then EDITS pages are edited one after the
# other (a line appended to a body, not committed), each after the last
# rebuild was reported; the servers run one at a time, RUNS times each,
# alternating. Prints what each server itself reports for each rebuild
# ("rebuilt N pages in X s", "Total in X ms") and their medians. With
# COMMIT=1, each of charter's saves is then committed (`git commit -a`,
# dates pinned) once its rebuild is reported, and the commit's rebuild is
# timed apart (hugo server does not watch git); the repository is reset
# to where it was after each server. Not a test; numbers go in
# docs/performance.md.
# Usage: [SIZE=10000] [RUNS=3] [EDITS=6] [COMMIT=1] [BENCH_DIR=dir] [CHARTER=binary] bench/serve.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
size=${SIZE:-10000}
runs=${RUNS:-3}
edits=${EDITS:-6}
commit=${COMMIT:-0}
bench=${BENCH_DIR:-/dev/shm/charter-bench}
asof=2026-11-25
mkdir -p "$bench"

. "$top/bench/lib.sh"
hugo=$(command -v hugo || true)
commits=$((size / 2))
site=$bench/history-$size-$commits
corpus "$site" "$size" "$commits"

tmp=$(mktemp -d "$bench/serve.XXXXXX")
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    git -C "$site" checkout -q -- content 2>/dev/null || true
    if [ -n "${start:-}" ]; then git -C "$site" reset -q --hard "$start" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
: >"$tmp/results" # tool seconds

# wait_for LOG PATTERN COUNT: until LOG holds COUNT lines matching PATTERN
# (at most 120 s).
wait_for() {
    i=0
    while [ "$(grep -c -- "$2" "$1" 2>/dev/null || true)" -lt "$3" ]; do
        i=$((i + 1))
        if [ "$i" -gt 1200 ]; then
            echo "serve.sh: no '$2' in $1 after 120 s:" >&2
            tail -20 "$1" >&2
            exit 1
        fi
        sleep 0.1
    done
}

# edit_session TOOL LOG PATTERN: edits pages one at a time, each once the
# rebuild of the last was reported (a line of LOG matching PATTERN).
edit_session() {
    n=$(grep -c -- "$3" "$2" || true)
    e=1
    while [ "$e" -le "$edits" ]; do
        page=$(git -C "$site" ls-files -- 'content/*/*.md' | sed -n "$(((e * 1499 + run * 97) % size + 1))p")
        printf '\nA line appended by bench/serve.sh.\n' >>"$site/$page"
        n=$((n + 1))
        wait_for "$2" "$3" "$n"
        if [ "$commit" = 1 ] && [ "$1" = charter ]; then
            GIT_AUTHOR_DATE=2026-11-24T12:00:00Z GIT_COMMITTER_DATE=2026-11-24T12:00:00Z \
                git -C "$site" commit -q -a -m "bench/serve.sh: edit $e"
            n=$((n + 1))
            wait_for "$2" "$3" "$n"
        fi
        e=$((e + 1))
    done
}

echo "# bench/serve.sh"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load:    $(uptime | sed 's/.*load average/load average/')"
echo "charter: $("$charter" --version 2>/dev/null | head -n 1), commit $(git -C "$top" rev-parse --short HEAD), $charter"
if [ -n "$hugo" ]; then
    echo "hugo:    $("$hugo" version)"
else
    echo "hugo:    not installed (no 'hugo' in PATH): skipped"
fi
echo "site:    $site ($size pages, $commits commits); $runs runs of $edits edits each"

# session TOOL NAME READY DONE AWK: the server started in the background
# (its pid in $server, its output in $log) ready once a line of its log
# matches READY; a rebuild reported by a line matching DONE, whose time in
# seconds the awk program AWK prints. Edits, stops it, records the times.
session() {
    wait_for "$log" "$3" 1
    edit_session "$1" "$log" "$4"
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=""
    git -C "$site" checkout -q -- content
    if [ "$commit" = 1 ] && [ "$1" = charter ]; then
        git -C "$site" reset -q --hard "$start"
        # Each save's rebuild, then its commit's.
        awk "$5" "$log" | tail -n $((2 * edits)) >"$tmp/both"
        awk 'NR % 2 == 0' "$tmp/both" >"$tmp/commits"
        awk 'NR % 2 == 1' "$tmp/both" >"$tmp/times"
        sed "s/^/$1-commit /" "$tmp/commits" >>"$tmp/results"
    else
        awk "$5" "$log" | tail -n "$edits" >"$tmp/times"
    fi
    sed "s/^/$1 /" "$tmp/times" >>"$tmp/results"
    echo "  $2, run $run: $(tr '\n' ' ' <"$tmp/times")s"
    if [ -s "$tmp/commits" ]; then
        echo "  $2, run $run, the commits: $(tr '\n' ' ' <"$tmp/commits")s"
        : >"$tmp/commits"
    fi
}

start=$(git -C "$site" rev-parse HEAD)
: >"$tmp/commits"
run=1
while [ "$run" -le "$runs" ]; do
    # charter serve: its builds go to <git dir>/charter/serve/site, kept
    # between runs as they are between an editor's sessions.
    log=$tmp/charter-$run.log
    "$charter" serve --site "$site" --port 0 --as-of "$asof" >/dev/null 2>"$log" &
    server=$!
    session charter "charter serve" "^serving " "^rebuilt " \
        '/^rebuilt / { for (i = 1; i < NF; i++) if ($i == "in") print $(i + 1) }'

    # hugo server: fast render mode (its default), into the scratch folder.
    if [ -n "$hugo" ]; then
        log=$tmp/hugo-$run.log
        rm -rf "$tmp/hugo-out"
        "$hugo" server --enableGitInfo --noBuildLock --port 0 \
            --config "$top/bench/hugo/hugo.toml" --layoutDir "$top/bench/hugo/layouts" \
            --source "$site" --destination "$tmp/hugo-out/public" \
            --cacheDir "$tmp/hugo-out/cache" >"$log" 2>&1 &
        server=$!
        session hugo "hugo server" "Press Ctrl+C to stop" "^Total in " \
            '/^Total in [0-9]+ ms/ { printf "%.3f\n", $3 / 1000 }'
    fi
    run=$((run + 1))
done

python3 - "$tmp/results" <<'EOF'
import statistics, sys
by = {}
for line in open(sys.argv[1]):
    tool, secs = line.split()
    by.setdefault(tool, []).append(float(secs))
for tool, name in (("charter", "charter serve"), ("charter-commit", "charter serve, a commit"),
                   ("hugo", "hugo server (fast render)")):
    v = by.get(tool)
    if v:
        print("  %-27s median %.3f s (%.3f-%.3f, %d rebuilds)" % (name, statistics.median(v), min(v), max(v), len(v)))
if "charter" in by and "hugo" in by:
    print("  hugo / charter, median: %.2fx" % (statistics.median(by["hugo"]) / statistics.median(by["charter"])))
EOF
echo "load at the end: $(uptime | sed 's/.*load average: //')"
