#!/bin/sh
# Times two charter binaries' `charter build` side by side (not a test;
# numbers go in docs/performance.md): BASE and NEW (default: this
# checkout's build/charter) alternate, a build each in turn, each binary on
# its own copy of the repository compare.sh makes (made once, by `git
# clone`, in BENCH_DIR) with its own output folder, so that neither finds
# caches the other wrote (a build's caches hold for the binary that wrote
# them only). Halfway the copies are swapped, so that neither copy's
# layout favours one binary. WHAT is the build timed: `edit` (a line
# appended to a page's body, not committed, before each build), `commit`
# (the same, then committed: `git commit -a`, dates pinned), `warm`
# (nothing changed) or `cold` (no caches, no output). Prints each binary's
# median wall and CPU (user + sys) time per half and over both, then
# resets the copies (to the commit they were at, after WHAT=commit).
# Usage: BASE=binary [NEW=binary] [WHAT=edit|commit|warm|cold] [SIZE=10000] [RUNS=10]
#        [BENCH_DIR=dir] bench/build-ab.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
base=${BASE:?set BASE to the charter binary to compare with}
new=${NEW:-$top/build/charter}
what=${WHAT:-edit}
size=${SIZE:-10000}
runs=${RUNS:-10}
bench=${BENCH_DIR:-/dev/shm/charter-bench}
case "$what" in edit | commit | warm | cold) ;; *)
    echo "build-ab.sh: WHAT must be edit, commit, warm or cold, not '$what'" >&2
    exit 2
    ;;
esac
. "$top/bench/ab-clones.sh"

tmp=$(mktemp -d "$bench/build-ab.XXXXXX")
for k in 1 2; do
    git -C "$bench/ab-$size-$k" rev-parse HEAD >"$tmp/head-$k"
done
# reset_copies: each copy as it was (its commits since taken back).
reset_copies() {
    for k in 1 2; do
        git -C "$bench/ab-$size-$k" checkout -q -- content 2>/dev/null || true
        git -C "$bench/ab-$size-$k" reset -q --hard "$(cat "$tmp/head-$k")" 2>/dev/null || true
    done
}
cleanup() {
    reset_copies
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
: >"$tmp/results" # tag half wall cpu

# build BINARY COPY TAG HALF: one build of COPY (WHAT's) into its own
# output folder, timed when TAG is set.
build() {
    out=$tmp/out-$(basename "$2")
    if [ "$what" = cold ]; then
        rm -rf "$out" "$2/.git/charter"
    elif [ "$what" = edit ] || [ "$what" = commit ]; then
        page=$(git -C "$2" ls-files -- 'content/*/*.md' | tail -n 3 | head -n 1)
        printf '\nA line appended by bench/build-ab.sh.\n' >>"$2/$page"
    fi
    if [ "$what" = commit ]; then
        GIT_AUTHOR_DATE=2026-11-24T12:00:00Z GIT_COMMITTER_DATE=2026-11-24T12:00:00Z \
            git -C "$2" -c user.name=Bench -c user.email=bench@example.com commit -q -a \
            -m "bench/build-ab.sh: an edit"
    fi
    /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$1" build --site "$2" --out "$out" \
        --as-of 2026-11-25 --quiet >/dev/null 2>&1 || true
    if [ -n "$3" ]; then
        awk -v t="$3" -v h="$4" '{print t, h, $1, $2 + $3}' "$tmp/time" >>"$tmp/results"
    fi
}

echo "base: $base"
echo "new:  $new"
echo "site: $site ($size pages); $what builds, $runs of each binary per half, alternating"
for half in 1 2; do
    if [ "$half" = 1 ]; then a=1 b=2; else a=2 b=1; fi
    reset_copies
    for k in 1 2; do
        rm -rf "$tmp/out-ab-$size-$k"
    done
    # Each binary's caches and output made first, untimed: twice, so that
    # an edit's are the next edit's (the first after a full build also
    # makes the spare tree).
    for k in 1 2; do
        build "$base" "$bench/ab-$size-$a" "" ""
        build "$new" "$bench/ab-$size-$b" "" ""
    done
    r=1
    while [ $r -le "$runs" ]; do
        build "$base" "$bench/ab-$size-$a" base "$half"
        build "$new" "$bench/ab-$size-$b" new "$half"
        r=$((r + 1))
    done
    echo "  half $half of 2 done (base on ab-$size-$a, new on ab-$size-$b)"
done
python3 - "$tmp/results" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for half in ("1", "2", None):
    for tool in ("base", "new"):
        v = [(float(w), float(c)) for t, h, w, c in rows if t == tool and (half is None or h == half)]
        if v:
            print("  %-11s %-4s wall median %.3f s (%.3f-%.3f), cpu median %.3f s, %d builds"
                  % ("half " + half if half else "both halves", tool,
                     statistics.median(w for w, _ in v), min(w for w, _ in v),
                     max(w for w, _ in v), statistics.median(c for _, c in v), len(v)))
EOF
