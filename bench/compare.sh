#!/bin/sh
# Times charter beside Hugo (and Jekyll, when installed) on generated policy
# sites with history (not a test; numbers go in docs/performance.md). At each
# size, bench/gen-history.py makes (once) a repository of PAGES pages and
# PAGES/2 commits; the git floors are timed once; then the tools run
# alternately, RUNS times each: charter cold, Hugo cold, charter warm, Hugo
# warm, charter after a one-page edit, charter after the next edit, charter
# once the two edits are committed (then taken back). Prints
# min/median/max, peak memory, time per page, the ratios, and Markdown
# tables to paste. On a busy machine, compare the cpu column (user + sys,
# median) and the printed load.
# Usage: [SIZES="2500 10000"] [RUNS=3] [BENCH_DIR=dir] [CHARTER=binary] bench/compare.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sizes=${SIZES:-2500 5000 10000 20000 40000}
runs=${RUNS:-3}
bench=${BENCH_DIR:-/dev/shm/charter-bench}
asof=2026-11-25
mkdir -p "$bench"

t_start=$(date +%s)
. "$top/bench/lib.sh"
hugo=$(command -v hugo || true)
jekyll=$(command -v jekyll || true)

tmp=$(mktemp -d "$bench/compare.XXXXXX")
edited=""       # a page appended to, restored on exit
committed=""    # a corpus with the edits committed, taken back on exit
cleanup() {
    if [ -n "$committed" ]; then git -C "$committed" reset -q --hard HEAD~1 || true; fi
    if [ -n "$edited" ]; then git -C "$edited" checkout -q -- "$edited_page" ${edited_page2:+"$edited_page2"} || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
: >"$tmp/results"   # size tool what run wall user sys kb
: >"$tmp/sizes"     # size pages commits gen floor_log floor_log_kb floor_blobs floor_blobs_kb blobs

# The statistics: `stats.py size SIZE ...` prints one size's block,
# `stats.py summary all ...` the tables across sizes.
cat >"$tmp/stats.py" <<'EOF'
import statistics, sys

mode, only, sizes_file, results_file = sys.argv[1:5]
sizes = {}
for line in open(sizes_file):
    f = line.split()
    sizes[int(f[0])] = dict(pages=int(f[1]), commits=int(f[2]), gen=int(f[3]),
                            flog=float(f[4]), flog_kb=int(f[5]), fblob=float(f[6]),
                            fblob_kb=int(f[7]), blobs=int(f[8]))
runs = {}   # (size, tool, what) -> {run: (wall, kb)}
cpu = {}    # (size, tool, what) -> [user + sys]
for line in open(results_file):
    size, tool, what, run, wall, user, sys_, kb = line.split()
    runs.setdefault((int(size), tool, what), {})[int(run)] = (float(wall), int(kb))
    cpu.setdefault((int(size), tool, what), []).append(float(user) + float(sys_))

NAMES = [("charter", "cold", "charter cold"), ("charter", "warm", "charter warm"),
         ("charter", "edit", "charter one-page edit"), ("charter", "edit2", "charter next edit"),
         ("charter", "commit", "charter, the edits committed"),
         ("hugo", "cold", "hugo cold (GitInfo)"),
         ("hugo", "warm", "hugo warm (full build)")]

def walls(size, tool, what):
    return [w for w, _ in runs.get((size, tool, what), {}).values()]

def peak_kb(size, tool, what):
    return max(k for _, k in runs[(size, tool, what)].values())

def ratio(size, what):
    """Hugo over charter, per run pair: (median, min, max, pairs) or None."""
    h, c = runs.get((size, "hugo", what)), runs.get((size, "charter", what))
    if not h or not c:
        return None
    r = [h[i][0] / c[i][0] for i in sorted(h) if i in c and c[i][0] > 0]
    return (statistics.median(r), min(r), max(r), len(r)) if r else None

def per_page_ms(size, tool, what):
    w = walls(size, tool, what)
    return statistics.median(w) * 1000 / sizes[size]["pages"] if w else None

def kb_per_page(size, tool, what):
    if (size, tool, what) not in runs:
        return None
    return peak_kb(size, tool, what) / sizes[size]["pages"]

def spread(xs):
    xs = [x for x in xs if x]
    return max(xs) / min(xs) if xs else None

def num(n):
    return "{:,}".format(n)

if mode == "size":
    size = int(only)
    s = sizes[size]
    print("  %-24s %7s %7s %7s %8s %8s %8s %8s" % ("", "min s", "med s", "max s", "cpu s",
                                                 "peak MB", "ms/page", "KB/page"))
    for tool, what, name in NAMES:
        w = walls(size, tool, what)
        if not w:
            continue
        print("  %-24s %7.2f %7.2f %7.2f %8.2f %8.1f %8.3f %8.1f" % (
            name, min(w), statistics.median(w), max(w), statistics.median(cpu[(size, tool, what)]),
            peak_kb(size, tool, what) / 1024,
            per_page_ms(size, tool, what), kb_per_page(size, tool, what)))
    for what in ("cold", "warm"):
        r = ratio(size, what)
        if r:
            print("  hugo/charter %s: %.2fx (%.2f-%.2f over %d run pair(s))" % ((what,) + r))
    c = statistics.median(walls(size, "charter", "cold"))
    print("  charter cold (median) / floors: %.2fx the git log, %.2fx the blobs,"
          " %.2fx the two together" % (c / s["flog"], c / s["fblob"], c / (s["flog"] + s["fblob"])))
    sys.exit(0)

order = sorted(sizes)
tools = ["charter"] + (["hugo"] if any(t == "hugo" for _, t, _ in runs) else [])
names = [n for n in NAMES if n[0] in tools]
print("## time and memory per page across sizes (target: within 1.3x of each other)")
print("  %-8s" % "pages" + "".join(" %13s" % (t + " " + w) for t, w, _ in names)
      + "".join(" %13s" % (t + " KB/p") for t in tools))
for size in order:
    print("  %-8s" % num(sizes[size]["pages"])
          + "".join(" %10.3f ms" % (per_page_ms(size, t, w) or 0) for t, w, _ in names)
          + "".join(" %13.1f" % (max(kb_per_page(size, t, w) or 0 for tt, w, _ in names if tt == t))
                    for t in tools))
print("  %-8s" % "max/min"
      + "".join(" %12.2fx" % (spread(per_page_ms(s, t, w) for s in order) or 0) for t, w, _ in names)
      + "".join(" %12.2fx" % (spread(max(kb_per_page(s, t, w) or 0 for tt, w, _ in names if tt == t)
                                      for s in order) or 0) for t in tools))

def cpu_ms(size, tool, what):
    c = cpu.get((size, tool, what))
    return statistics.median(c) * 1000 / sizes[size]["pages"] if c else None

print("  cpu (user + sys, median) per page, less sensitive to the machine's load:")
for size in order:
    print("  %-8s" % num(sizes[size]["pages"])
          + "".join(" %10.3f ms" % (cpu_ms(size, t, w) or 0) for t, w, _ in names))
print("  %-8s" % "max/min"
      + "".join(" %12.2fx" % (spread(cpu_ms(s, t, w) for s in order) or 0) for t, w, _ in names))

def cell(size, tool, what):
    w = walls(size, tool, what)
    if not w:
        return "-"
    return "%.2f s (%.2f-%.2f)" % (statistics.median(w), min(w), max(w))

def rcell(size, what):
    r = ratio(size, what)
    return "%.2fx (%.2f-%.2f)" % r[:3] if r else "-"

def ms(size, tool, what):
    v = per_page_ms(size, tool, what)
    return "%.3f" % v if v else "-"

def mem(size, tool):
    kb = [peak_kb(size, tool, w) for t, w, _ in NAMES if t == tool and (size, t, w) in runs]
    if not kb:
        return "-"
    return "%.0f MB (%.1f KB/page)" % (max(kb) / 1024, max(kb) / sizes[size]["pages"])

print()
print("Markdown (wall time: median, min-max in parentheses; peak: the largest of a tool's runs):")
print()
print("| Pages (commits) | charter cold | charter warm | one-page edit | next edit | committed"
      " | Hugo cold | Hugo warm | Hugo / charter, cold | Hugo / charter, warm |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for size in order:
    print("| %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        num(sizes[size]["pages"]), num(sizes[size]["commits"]), cell(size, "charter", "cold"),
        cell(size, "charter", "warm"), cell(size, "charter", "edit"),
        cell(size, "charter", "edit2"), cell(size, "charter", "commit"), cell(size, "hugo", "cold"),
        cell(size, "hugo", "warm"), rcell(size, "cold"), rcell(size, "warm")))
print()
print("| Pages | ms/page: charter cold | charter warm | Hugo cold | Hugo warm | charter peak"
      " | Hugo peak | floors: git log, blobs | charter cold / floors |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for size in order:
    s = sizes[size]
    c = statistics.median(walls(size, "charter", "cold"))
    print("| %s | %s | %s | %s | %s | %s | %s | %.2f s, %.2f s | %.2fx |" % (
        num(s["pages"]), ms(size, "charter", "cold"), ms(size, "charter", "warm"),
        ms(size, "hugo", "cold"), ms(size, "hugo", "warm"), mem(size, "charter"),
        mem(size, "hugo"), s["flog"], s["fblob"], c / (s["flog"] + s["fblob"])))
if len(order) > 1:
    print("| max/min | %s | %s | %s | %s | | | | |" % tuple(
        "%.2fx" % (spread(per_page_ms(s, t, w) for s in order) or 0)
        for t, w in (("charter", "cold"), ("charter", "warm"), ("hugo", "cold"), ("hugo", "warm"))))
EOF

# timed SIZE TOOL WHAT RUN MAXRC CMD...: times CMD (its stdout and stderr
# discarded; an exit status above MAXRC fails the script), adds a row.
timed() {
    t_size=$1 t_tool=$2 t_what=$3 t_run=$4 t_max=$5
    shift 5
    rc=0
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr" || rc=$?
    if [ "$rc" -gt "$t_max" ]; then
        echo "compare.sh: $t_tool $t_what failed at $t_size pages (exit $rc): $*" >&2
        tail -20 "$tmp/stderr" >&2
        exit 1
    fi
    if [ "$rc" -ne 0 ]; then
        echo "  note: $t_tool $t_what exited $rc (run $t_run): $(grep -c . "$tmp/stderr") lines on stderr"
    fi
    echo "$t_size $t_tool $t_what $t_run $(tail -1 "$tmp/time")" >>"$tmp/results"
}

# The machine and the tools.
echo "# bench/compare.sh"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load:    $(uptime | sed 's/.*load average/load average/')"
echo "nproc:   $(nproc)"
dirty=""
[ -z "$(git -C "$top" status --porcelain -- generator Makefile 2>/dev/null)" ] ||
    dirty=" (with uncommitted changes in generator/)"
echo "charter: $("$charter" --version 2>/dev/null | head -n 1), commit $(git -C "$top" rev-parse --short HEAD)$dirty, $charter"
if [ -n "$hugo" ]; then
    echo "hugo:    $("$hugo" version)"
else
    echo "hugo:    not installed (no 'hugo' in PATH): skipped"
fi
if [ -z "$jekyll" ]; then
    echo "jekyll:  not installed (no 'jekyll' in PATH): skipped"
else
    # Its git dates need a plugin that runs git log once per page
    # (bench/history.sh: ~0.9 s a page at 10,000 pages), and its layouts
    # would have to live inside the repository: not set up here.
    echo "jekyll:  $("$jekyll" --version 2>/dev/null): installed, but compare.sh has no Jekyll setup yet: skipped"
fi
echo "sizes:   $sizes; runs: $runs; corpora in $bench"
echo

for size in $sizes; do
    commits=$((size / 2))
    site=$bench/history-$size-$commits
    cout=$tmp/charter-out
    hout=$tmp/hugo-out
    echo "## $size pages, $commits commits"

    t0=$(date +%s)
    corpus "$site" "$size" "$commits"
    gen=$(($(date +%s) - t0))
    npages=$(git -C "$site" ls-files -- content | grep -c -v '^content/index\.md$')
    ncommits=$(git -C "$site" rev-list --count HEAD)

    # The floors, once: one walk of the history over content/, and every
    # version of every page inflated once.
    /usr/bin/time -f "%e %M" -o "$tmp/time" \
        git -C "$site" log --name-status -M --format=%H -- content >/dev/null
    read -r flog flog_kb <"$tmp/time"
    git -C "$site" rev-list --objects HEAD -- content |
        awk '$2 ~ /^content\/.*\.md$/ { print $1 }' >"$tmp/blobs"
    nblobs=$(wc -l <"$tmp/blobs")
    /usr/bin/time -f "%e %M" -o "$tmp/time" sh -c '
        git -C "$1" rev-list --objects HEAD -- content |
            awk '\''$2 ~ /^content\/.*\.md$/ { print $1 }'\'' |
            git -C "$1" cat-file --batch >/dev/null' sh "$site"
    read -r fblob fblob_kb <"$tmp/time"
    echo "$size $npages $ncommits $gen $flog $flog_kb $fblob $fblob_kb $nblobs" >>"$tmp/sizes"
    echo "  floors (once): git log --name-status -M -- content: $flog s, $((flog_kb / 1024)) MB;" \
        "every page blob version inflated once (rev-list --objects | cat-file --batch," \
        "$nblobs blobs): $fblob s, $((fblob_kb / 1024)) MB"

    # A page that a commit edited late in the history, to see its author and
    # commit in both outputs.
    sample=$(git -C "$site" log -50 --no-merges --diff-filter=M --format= --name-only -- 'content/*/*.md' |
        while read -r f; do [ -f "$site/$f" ] && echo "$f" && break; done)
    sample_who=$(git -C "$site" log -1 --no-merges --format='%an' -- "$sample")
    sample_hash=$(git -C "$site" log -1 --no-merges --format='%H' -- "$sample" | cut -c1-7)
    sample_url=${sample#content/}
    sample_url=${sample_url%.md}/index.html

    run=1
    while [ "$run" -le "$runs" ]; do
        # charter, cold: no history cache, no previous output.
        rm -rf "$site/.git/charter" "$cout"
        timed "$size" charter cold "$run" 1 \
            "$charter" build --site "$site" --out "$cout" --as-of "$asof" --quiet
        # Hugo, cold: fresh destination, cache and resource directories.
        if [ -n "$hugo" ]; then
            rm -rf "$hout"
            timed "$size" hugo cold "$run" 0 env HUGO_RESOURCEDIR="$hout/resources" \
                "$hugo" --enableGitInfo --quiet --noBuildLock \
                --config "$top/bench/hugo/hugo.toml" --layoutDir "$top/bench/hugo/layouts" \
                --source "$site" --destination "$hout/public" --cacheDir "$hout/cache"
        fi
        # charter, warm: nothing changed, the same output directory.
        timed "$size" charter warm "$run" 1 \
            "$charter" build --site "$site" --out "$cout" --as-of "$asof" --quiet
        # Hugo, warm: the same command again (a full build: Hugo rebuilds
        # incrementally only inside `hugo server`).
        if [ -n "$hugo" ]; then
            timed "$size" hugo warm "$run" 0 env HUGO_RESOURCEDIR="$hout/resources" \
                "$hugo" --enableGitInfo --quiet --noBuildLock \
                --config "$top/bench/hugo/hugo.toml" --layoutDir "$top/bench/hugo/layouts" \
                --source "$site" --destination "$hout/public" --cacheDir "$hout/cache"
        fi
        # charter after a one-page edit: a line appended to one page's body
        # (not committed), then the page checked out again.
        edited_page=$(git -C "$site" ls-files -- 'content/*/*.md' | sed -n "$((run * 997 % npages + 1))p")
        edited=$site
        printf '\nA line appended by bench/compare.sh.\n' >>"$site/$edited_page"
        timed "$size" charter edit "$run" 1 \
            "$charter" build --site "$site" --out "$cout" --as-of "$asof" --quiet
        if [ "$run" -eq 1 ]; then
            edited_url=${edited_page#content/}
            edited_url=${edited_url%.md}/index.html
            if ! grep -q "A line appended by bench/compare.sh" "$cout/$edited_url"; then
                echo "compare.sh: charter's output $edited_url lacks the line appended to $edited_page" >&2
                exit 1
            fi
            echo "  check: charter's one-page edit shows in $edited_url"
        fi
        # charter after the next edit, another page (the first still
        # edited): an editing session's build, where the site the last
        # build replaced is kept to be written over (the spare tree).
        edited_page2=$(git -C "$site" ls-files -- 'content/*/*.md' |
            sed -n "$(((run * 997 + npages / 2) % npages + 1))p")
        printf '\nA line appended by bench/compare.sh.\n' >>"$site/$edited_page2"
        timed "$size" charter edit2 "$run" 1 \
            "$charter" build --site "$site" --out "$cout" --as-of "$asof" --quiet
        # charter after the two edits are committed: their history rows, the
        # changelog, the registers that name the commit, the OSCAL export's
        # version; then the commit taken back.
        GIT_AUTHOR_DATE="${asof}T12:00:00Z" GIT_COMMITTER_DATE="${asof}T12:00:00Z" \
            git -C "$site" -c user.name=Bench -c user.email=bench@example.com \
            commit -q -m "Two lines appended by bench/compare.sh" -- "$edited_page" "$edited_page2"
        committed=$site
        timed "$size" charter commit "$run" 1 \
            "$charter" build --site "$site" --out "$cout" --as-of "$asof" --quiet
        git -C "$site" reset -q --hard HEAD~1
        committed=""
        edited=""

        if [ "$run" -eq 1 ]; then
            # What each wrote: pages, and the sample page's last author and commit.
            for t in charter hugo; do
                o=$cout
                [ "$t" = hugo ] && o=$hout/public
                [ "$t" = hugo ] && [ -z "$hugo" ] && continue
                n=$(find "$o" -path '*/policy-*/index.html' | wc -l)
                who=no hash=no
                grep -q "$sample_who" "$o/$sample_url" 2>/dev/null && who=yes
                grep -q "$sample_hash" "$o/$sample_url" 2>/dev/null && hash=yes
                echo "  check: $t wrote $n policy pages of $npages;" \
                    "$sample_url names '$sample_who': $who, $sample_hash: $hash"
                if [ "$n" -ne "$npages" ] || [ "$who" = no ]; then
                    echo "compare.sh: $t did not build every page with its history" >&2
                    exit 1
                fi
            done
        fi
        run=$((run + 1))
    done
    echo "  load: $(uptime | sed 's/.*load average: //')"
    python3 "$tmp/stats.py" size "$size" "$tmp/sizes" "$tmp/results"
    rm -rf "$cout" "$hout" "$site/.git/charter"
    echo
done

python3 "$tmp/stats.py" summary all "$tmp/sizes" "$tmp/results"
echo
echo "whole run: $(($(date +%s) - t_start)) s; load at the end: $(uptime | sed 's/.*load average: //')"
