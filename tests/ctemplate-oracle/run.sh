#!/bin/sh
# ctemplate differential test: renders every case with Debian's libctemplate
# (ORACLE, built from oracle.cc) and with charter's engine (CHARTER_RENDER,
# from charter-render.c), and compares exit status and output byte for byte.
# Each tests/ctemplate-oracle/cases/<name>/ holds:
#   main.tpl    the template rendered (raw bytes); other *.tpl files it includes
#   dict.yml    optional dictionary (absent: empty, DO_NOT_STRIP):
#                 strip: DO_NOT_STRIP | STRIP_BLANK_LINES | STRIP_WHITESPACE
#                 globals: {NAME: value}          SetGlobalValue / tpl_set_global
#                 dict:                           the root dictionary, in order:
#                   NAME: value                   SetValue (the scalar's exact bytes)
#                   "#SEC": true | false          ShowSection (false: nothing)
#                   "#SEC": [ {A: 1}, {A: 2} ]    AddSectionDictionary per item
#                   ">INC": [ {"@file": f, X: 1} ]  AddIncludeDictionary + SetFilename
#                   "@template_globals": {NAME: value}  SetTemplateGlobalValue
#               Duplicate keys, anchors and aliases are refused.
#   expected + differs  optional, together: where charter deliberately differs
#               from upstream, `differs` says why in one line and charter's
#               output must equal `expected` (the oracle still runs, unchecked)
#   status      optional: 0, or anything else for "fails to load or render";
#               checked against charter (and against the oracle without differs)
#   upstream-hangs  optional, only with differs: upstream loops forever on this
#               case (says how in one line); the oracle runs for at most
#               ORACLE_HANG_TIMEOUT seconds (default 1) and must time out
# Both drivers failing (exit 1) is a pass; exit 2 (bad dict.yml) fails the case.
# Needs ORACLE and CHARTER_RENDER; CASES limits the run to some case names;
# ORACLE_MIN_CASES (default 150) is the fewest cases the corpus may hold;
# ORACLE_TIMEOUT (default 30) caps each driver run in seconds.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${ORACLE:?set ORACLE to the oracle binary}"
: "${CHARTER_RENDER:?set CHARTER_RENDER to the charter-render binary}"
min=${ORACLE_MIN_CASES:-150}
limit=${ORACLE_TIMEOUT:-30}
hang_limit=${ORACLE_HANG_TIMEOUT:-1}
total=0
pass=0
fail=0
# Sanitizer reports must not pass for an ordinary render failure (exit 1).
export ASAN_OPTIONS="exitcode=86${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="exitcode=86${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-oracle.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# run DRIVER CASEDIR OUT ERR [LIMIT]: runs a driver, under timeout(1) when
# present, for at most LIMIT seconds (default ORACLE_TIMEOUT); prints the exit
# status (124: timed out).
run() {
    if command -v timeout >/dev/null 2>&1; then
        timeout "${5:-$limit}" "$1" "$2" >"$3" 2>"$4"
    else
        "$1" "$2" >"$3" 2>"$4"
    fi
    echo $?
}

# run_hanging DRIVER CASEDIR OUT ERR: runs a driver expected to loop forever,
# for ORACLE_HANG_TIMEOUT seconds; prints 0 if it timed out (or cannot be
# capped, and is not run), else "hang expected, exit N".
run_hanging() {
    : >"$3"
    : >"$4"
    command -v timeout >/dev/null 2>&1 || { echo 0; return; }
    st=$(run "$1" "$2" "$3" "$4" "$hang_limit")
    if [ "$st" = 124 ]; then echo 0; else echo "hang expected, exit $st"; fi
}

# show WANT GOT: the first differing byte and od -c of both around it.
show() {
    at=$(cmp "$1" "$2" 2>&1 | sed -n 's/.* byte \([0-9][0-9]*\).*/\1/p' | head -n 1)
    echo "  $(cmp "$1" "$2" 2>&1 | head -n 1 | sed "s|$tmp/||g")"
    skip=0
    [ -n "$at" ] && [ "$at" -gt 48 ] && skip=$(((at - 48) / 16 * 16))
    for f in "$1" "$2"; do
        echo "  --- ${f##*/} ($(wc -c <"$f" | tr -d ' ') bytes), from byte $skip:"
        od -A d -c -j "$skip" -N 128 "$f" | sed 's/^/  /'
    done
}

# status_ok WANT STATUS: whether STATUS is in WANT's class (0 or failure).
status_ok() {
    if [ "$1" = 0 ]; then [ "$2" = 0 ]; else [ "$2" != 0 ]; fi
}

for dir in "$here"/cases/*/; do
    [ -d "$dir" ] || continue
    dir=${dir%/}
    name=${dir##*/}
    total=$((total + 1))
    if [ -n "${CASES:-}" ]; then
        case " $CASES " in *" $name "*) ;; *) continue ;; esac
    fi
    o="$tmp/$name.oracle"
    c="$tmp/$name.charter"
    ok=1
    why=""
    diffs=""
    show_err=0
    pinned=0
    [ -f "$dir/expected" ] && pinned=$((pinned + 1))
    [ -f "$dir/differs" ] && pinned=$((pinned + 1))
    if [ ! -f "$dir/main.tpl" ]; then
        ok=0
        why="no main.tpl"
    elif [ $pinned = 1 ]; then
        ok=0
        why="expected and differs go together"
    elif [ -f "$dir/upstream-hangs" ] && [ $pinned = 0 ]; then
        ok=0
        why="upstream-hangs needs differs and expected"
    else
        if [ -f "$dir/upstream-hangs" ]; then
            os=$(run_hanging "$ORACLE" "$dir" "$o.out" "$o.err")
        else
            os=$(run "$ORACLE" "$dir" "$o.out" "$o.err")
        fi
        cs=$(run "$CHARTER_RENDER" "$dir" "$c.out" "$c.err")
        want=""
        [ -f "$dir/status" ] && want=$(tr -d ' \n' <"$dir/status")
        show_err=1
        if [ "${os#hang expected}" != "$os" ]; then
            ok=0
            why="upstream-hangs, but the oracle did not time out (${os#hang expected, })"
        elif [ "$os" = 2 ] || [ "$cs" = 2 ]; then
            ok=0
            why="bad case (oracle exit $os, charter exit $cs)"
        elif [ "$os" -gt 2 ] || [ "$cs" -gt 2 ]; then
            ok=0
            why="crash, sanitizer error or timeout (oracle exit $os, charter exit $cs)"
        elif [ -f "$dir/differs" ]; then
            if [ -n "$want" ] && ! status_ok "$want" "$cs"; then
                ok=0
                why="charter exit $cs, status says $want"
            elif [ -z "$want" ] && [ "$cs" != 0 ]; then
                ok=0
                why="charter exit $cs with an expected output"
            elif ! cmp -s "$dir/expected" "$c.out"; then
                ok=0
                why="charter's output differs from expected ($(cat "$dir/differs"))"
                cp "$dir/expected" "$tmp/expected"
                diffs=$(show "$tmp/expected" "$c.out")
            fi
        elif [ -n "$want" ] && ! status_ok "$want" "$os"; then
            ok=0
            why="oracle exit $os, status says $want"
        elif [ "$os" != "$cs" ]; then
            ok=0
            why="oracle exit $os, charter exit $cs"
        elif [ "$os" = 0 ] && ! cmp -s "$o.out" "$c.out"; then
            ok=0
            why="output differs"
            diffs=$(show "$o.out" "$c.out")
        fi
    fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
        continue
    fi
    fail=$((fail + 1))
    echo "oracle $name: $why"
    if [ -n "$diffs" ]; then
        printf "%s\n" "$diffs"
    elif [ $show_err = 1 ]; then
        for f in "$o.err" "$c.err"; do
            [ -s "$f" ] && { echo "  --- ${f##*/}:"; head -n 8 "$f" | sed 's/^/  /'; }
        done
    fi
done
run_count=$((pass + fail))
echo "ctemplate oracle: $run_count cases, $pass passed, $fail failed"
if [ "$total" -lt "$min" ]; then
    echo "ctemplate oracle: only $total cases in $here/cases, want at least $min (ORACLE_MIN_CASES)"
    exit 1
fi
[ "$fail" = 0 ]
