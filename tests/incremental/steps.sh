# Shared by run.sh (the scripted sequence) and random.sh (random
# sequences), sourced after `here` is set: the fixture repository in a
# temporary directory, and the steps' machinery. `begin WHAT` starts a
# step, `run CMD...` makes one of its edits, `build WANT` runs the
# incremental and the cold build and reports the step (WANT: the exit
# status both must give, or `any` for the same one), `report` prints
# `ok N` or `not ok N`; `finish` prints the plan and the summary.
set -u
top=$(cd "$here/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac

# run.sh writes some ninety output trees: on a tmpfs it runs in a third of
# the time it takes on a disk, so /dev/shm is the default when there is one.
scratch=${TMPDIR:-/tmp}
[ -n "${TMPDIR:-}" ] || ! [ -d /dev/shm ] || ! [ -w /dev/shm ] || scratch=/dev/shm
tmp=$(mktemp -d "$scratch/charter-incremental.XXXXXX")
tmp=$(cd "$tmp" && pwd -P)
if [ "${KEEP:-}" = 1 ]; then
    echo "# keeping $tmp"
else
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 2' INT TERM PIPE
fi

# FIXTURE: the example site (make-fixture.sh), or one of the repositories
# shaped like users' (tests/repos/<FIXTURE>.sh), read as `charter init`
# reads it (the Jekyll one as it is) with its site.yml committed. Those
# hold the defects a real repository has, so their builds run --no-check.
FIXTURE=${FIXTURE:-example}
work=$tmp/work
flags=
made=0
if [ "$FIXTURE" = example ]; then
    sh "$here/make-fixture.sh" "$top" "$work" >"$tmp/make-fixture.log" 2>&1 && made=1
elif [ -f "$top/tests/repos/$FIXTURE.sh" ]; then
    flags=--no-check
    mkdir -p "$work" &&
        sh "$top/tests/repos/$FIXTURE.sh" "$work/repo" >"$tmp/make-fixture.log" 2>&1 && made=1
else
    echo "no fixture 'example' nor 'tests/repos/$FIXTURE.sh'" >"$tmp/make-fixture.log"
fi
# no_fixture WHAT LOG: the one check, failed.
no_fixture() {
    echo "not ok 1 - $1:"
    sed 's/^/#   /' "$2"
    echo "1..1"
    echo "fixture: 1 checks, 1 failed"
    exit 1
}
[ $made = 1 ] || no_fixture "the fixture '$FIXTURE' could not be made" "$tmp/make-fixture.log"
. "$here/lib.sh"
if [ "$FIXTURE" != example ] && [ "$FIXTURE" != jekyll-isms ]; then
    (cd "$work/repo" && "$CHARTER" init >"$tmp/init.log" 2>&1 && g add site.yml &&
        commit "Fixture Bot <bot@ci.example>" 2026-11-09T08:00:00Z "charter init") ||
        no_fixture "charter init failed" "$tmp/init.log"
fi

R=$work/repo                    # the site, a git repository
A=$tmp/A                        # the incremental builds' output, kept
B=$tmp/B                        # each cold build's output, made afresh
asof=2026-11-25                 # the example site is clean on this day
nocache=unknown                 # does charter know `build --no-cache`?
ALICE='Alice Lindqvist <alice@larkspur.example>'
BOB='Bob Okafor <bob@larkspur.example>'
cd "$R" || exit 2

n=0
failed=0
failed_reuse=0
fast_steps=0

# A step's commit is dated $at: N hours (N the step's number) after
# 2026-11-10 08:00 UTC, after the fixture's history and before the --as-of day.
t0=$(date -u -d 2026-11-10T08:00:00Z +%s)

# sums DIR: every entry of DIR (type, mode, name, link target) and the
# sha256 of every file, or "absent".
sums() {
    if [ -d "$1" ]; then
        (cd "$1" && find . -printf '%y %m %p %l\n' | sort &&
            find . -type f -exec sha256sum {} + | sort -k 2)
    else
        echo absent
    fi
}

# begin WHAT: starts a step; run CMD...: one of its edits, whose failure
# fails the step (the example site no longer has the line it edits, say).
begin() {
    n=$((n + 1))
    what=$1
    at=$(date -u -d "@$((t0 + n * 3600))" +%Y-%m-%dT%H:%M:%SZ)
    setup=
    : >"$tmp/setup.log"
}
run() {
    "$@" >>"$tmp/setup.log" 2>&1 || setup=${setup:-$*}
}

# to_toml FILE: FILE's YAML front matter rewritten as Hugo's TOML (`key:
# value` lines as `key = "value"`, lists of words and dates as TOML's);
# what does not convert cleanly fails both builds alike.
to_toml() {
    awk 'NR == 1 && /^---/ { print "+++"; fm = 1; next }
        fm && /^---/ { print "+++"; fm = 0; next }
        fm && /^[A-Za-z_]+: / { k = $0; sub(/:.*/, "", k); v = $0; sub(/^[A-Za-z_]+: */, "", v)
            if (v ~ /^\[/) { gsub(/, */, "\", \"", v); sub(/^\[/, "[\"", v); sub(/\]$/, "\"]", v) }
            else if (v !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ && v !~ /^".*"$/) v = "\"" v "\""
            print k " = " v; next }
        { print }' "$1" >"$tmp/toml.md" && run cp "$tmp/toml.md" "$1"
}

# report KIND: prints the step's line from $tmp/why (empty: ok); KIND is
# equality or reuse.
report() {
    if [ -s "$tmp/why" ]; then
        failed=$((failed + 1))
        [ "$1" = reuse ] && failed_reuse=$((failed_reuse + 1))
        echo "not ok $n - $what"
        head -n 24 "$tmp/why" | sed 's/^/#   /'
    else
        echo "ok $n - $what"
    fi
}

# cold AS_OF: the cold build into a fresh $B, its messages in $tmp/cold.err;
# returns its exit status. Until charter has --no-cache, the repository's
# cache is moved aside for the build and put back after it, so the cold build
# finds none and the incremental builds keep theirs. With --no-cache, the
# cache must be left as it was (checked here, noted in $tmp/cold.why).
cold() {
    rm -rf "$B"
    : >"$tmp/cold.why"
    sums "$R/.git/charter" >"$tmp/cache.before"
    if [ "$nocache" != no ]; then
        "$CHARTER" build --no-cache $flags --site "$R" --out "$B" --as-of "$1" --quiet \
            >"$tmp/cold.out" 2>"$tmp/cold.err"
        c=$?
        if [ "$nocache" = unknown ]; then
            if [ $c = 2 ] && grep -q 'unknown option' "$tmp/cold.err"; then
                nocache=no
                echo "# charter has no --no-cache: each cold build moves .git/charter aside"
            else
                nocache=yes
            fi
        fi
    fi
    if [ "$nocache" = no ]; then
        rm -rf "$tmp/cache.aside" "$B"
        [ ! -e "$R/.git/charter" ] || mv "$R/.git/charter" "$tmp/cache.aside"
        "$CHARTER" build $flags --site "$R" --out "$B" --as-of "$1" --quiet \
            >"$tmp/cold.out" 2>"$tmp/cold.err"
        c=$?
        rm -rf "$R/.git/charter"
        [ ! -e "$tmp/cache.aside" ] || mv "$tmp/cache.aside" "$R/.git/charter"
    else
        sums "$R/.git/charter" >"$tmp/cache.after"
        if ! diff -u "$tmp/cache.before" "$tmp/cache.after" >"$tmp/cache.diff"; then
            echo "the --no-cache build changed .git/charter:" >"$tmp/cold.why"
            sed -n '3,8p' "$tmp/cache.diff" >>"$tmp/cold.why"
        fi
    fi
    return "$c"
}

# build WANT [AS_OF]: the step's two builds; both must exit WANT (0 or 1),
# or, with WANT `any`, the same status. Sets `last` to the incremental's.
build() {
    want=$1
    day=${2:-$asof}
    : >"$tmp/why"
    if [ -n "$setup" ]; then
        echo "the step's edit failed: $setup" >>"$tmp/why"
        sed 's/^/  /' "$tmp/setup.log" >>"$tmp/why"
    fi
    # Only a failing step needs the snapshot: a build that fails where it
    # should not fails the step anyway.
    [ "$want" = 0 ] || sums "$A" >"$tmp/A.before"
    # Past the racy window (FS_RACY_NS, 20 ms) of the step's edits: the
    # build's stamp then vouches for them, and the next step's build must
    # see its own edits through the stamp, or through nothing.
    sleep 0.05
    CHARTER_CHECK_REUSE=1 CHARTER_TIMINGS=1 "$CHARTER" build $flags --site "$R" --out "$A" \
        --as-of "$day" --quiet >"$tmp/inc.out" 2>"$tmp/inc.all"
    i=$?
    last=$i
    # The timings say whether the build had nothing to do (the stamp held).
    grep -v '^charter: timings: ' "$tmp/inc.all" >"$tmp/inc.err"
    if grep -q '^charter: timings: \(probe [^)]*), \)\?up to date ' "$tmp/inc.all"; then
        fast=yes
        fast_steps=$((fast_steps + 1))
    else
        fast=no
    fi
    cold "$day"
    c=$?
    cat "$tmp/cold.why" >>"$tmp/why"
    if [ $i != $c ]; then
        echo "exit status: incremental $i, cold $c" >>"$tmp/why"
    elif [ "$want" != any ] && [ $i != "$want" ]; then
        echo "both builds exited $i, the step expects $want" >>"$tmp/why"
    fi
    if [ $i != $c ] || { [ "$want" != any ] && [ $i != "$want" ]; }; then
        sed 's/^/  incremental: /' "$tmp/inc.err" | head -n 4 >>"$tmp/why"
        sed 's/^/  cold: /' "$tmp/cold.err" | head -n 4 >>"$tmp/why"
    elif ! cat "$tmp/inc.out" "$tmp/inc.err" | sed "s|$A|OUT|g" >"$tmp/inc.msg" ||
        ! cat "$tmp/cold.out" "$tmp/cold.err" | sed "s|$B|OUT|g" >"$tmp/cold.msg" ||
        ! diff -u "$tmp/cold.msg" "$tmp/inc.msg" >"$tmp/msg.diff"; then
        echo "messages differ (- cold, + incremental):" >>"$tmp/why"
        sed -n '3,12p' "$tmp/msg.diff" >>"$tmp/why"
    fi
    if [ $i = 0 ] && [ $c = 0 ]; then
        if ! (cd "$tmp" && diff -rq A B) >"$tmp/tree.diff" 2>&1; then
            echo "diff -r A B: $(wc -l <"$tmp/tree.diff") files differ or are in one tree only:"
            head -n 6 "$tmp/tree.diff"
            (cd "$tmp" && diff -r -x .charter-manifest A B) | head -n 8
        fi >>"$tmp/why"
        (cd "$A" && find . -printf '%y %m %p\n' | sort) >"$tmp/A.modes"
        (cd "$B" && find . -printf '%y %m %p\n' | sort) >"$tmp/B.modes"
        diff -u "$tmp/B.modes" "$tmp/A.modes" >"$tmp/modes.diff" ||
            { echo "types or modes differ (- cold, + incremental):" &&
                sed -n '3,8p' "$tmp/modes.diff"; } >>"$tmp/why"
    elif [ $i != 0 ] && [ "$want" != 0 ]; then
        sums "$A" >"$tmp/A.after"
        diff -u "$tmp/A.before" "$tmp/A.after" >"$tmp/A.diff" ||
            { echo "the failed incremental build changed its output directory:" &&
                sed -n '3,10p' "$tmp/A.diff"; } >>"$tmp/why"
    fi
    report equality
}

# expect_fast yes|no: the step's incremental build had nothing to do (its
# stamp held), or did not.
expect_fast() {
    n=$((n + 1))
    what="stamp: the build had nothing to do: $1 (${what})"
    : >"$tmp/why"
    [ "$fast" = "$1" ] || echo "it was $fast" >"$tmp/why"
    report equality
}

# keep FILE...: before a step's builds, notes the inode and mtime of outputs
# that must be kept; change FILE: notes one that must change. After
# build, kept prints one reuse line per file noted.
keep() {
    : >"$tmp/keep"
    for f; do echo "$f $(stat -c '%i %Y' "$A/$f" 2>&1)" >>"$tmp/keep"; done
}
change() {
    change_file=$1
    change_sum=$(sha256sum <"$A/$1" 2>&1)
}
kept() {
    saved_what=$what
    while read -r f was; do
        n=$((n + 1))
        what="reuse: $f keeps its inode and mtime ($1)"
        now=$(stat -c '%i %Y' "$A/$f" 2>&1)
        : >"$tmp/why"
        [ "$now" = "$was" ] || echo "inode and mtime were '$was', are '$now'" >"$tmp/why"
        report reuse
    done <"$tmp/keep"
    if [ -n "${change_file:-}" ]; then
        n=$((n + 1))
        what="reuse: $change_file is rewritten ($1)"
        : >"$tmp/why"
        [ "$(sha256sum <"$A/$change_file" 2>&1)" != "$change_sum" ] ||
            echo "its content did not change" >"$tmp/why"
        report reuse
        change_file=
    fi
    what=$saved_what
}

# keep_all / kept_all MESSAGE: the same for every output but the manifest,
# with the names of the first files rewritten.
keep_all() {
    (cd "$A" && find . -type f ! -path ./.charter-manifest -exec stat -c '%n %i %Y' {} + |
        sort) >"$tmp/keep.all" 2>&1
}
kept_all() {
    n=$((n + 1))
    what="reuse: every output but .charter-manifest keeps its inode and mtime ($1)"
    (cd "$A" && find . -type f ! -path ./.charter-manifest -exec stat -c '%n %i %Y' {} + |
        sort) >"$tmp/kept.all" 2>&1
    : >"$tmp/why"
    if ! diff "$tmp/keep.all" "$tmp/kept.all" >"$tmp/kept.diff"; then
        echo "$(grep -c '^>' "$tmp/kept.diff") of $(wc -l <"$tmp/keep.all") files rewritten:" \
            "$(grep '^>' "$tmp/kept.diff" | cut -d ' ' -f 2 | sed 's|^\./||' | tr '\n' ' ')" |
            cut -c 1-300 >"$tmp/why"
    fi
    report reuse
}

# finish NAME: the plan and the summary line; returns 1 when a check failed.
finish() {
    echo "1..$n"
    echo "$1: $n checks, $failed failed ($((failed - failed_reuse)) equality, $failed_reuse reuse); $fast_steps builds had nothing to do"
    [ $failed = 0 ]
}
