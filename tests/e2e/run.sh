#!/bin/sh
# End-to-end fixture runner. Each tests/e2e/<case>/ holds:
#   cmd              the command line, starting with `charter` (run in a copy of site/)
#   site/            the input tree (optional: a case may build it in `setup`)
#   setup            optional shell script run in the copy before the command
#   expected/        optional: the expected output tree, compared byte for byte
#                    with the directory named in `expected-dir` (default _site);
#                    the default theme's assets (the repository's assets/),
#                    published unchanged, are left out of it
#   expected-stderr  optional: exact stderr ("in 0.01 s" timings read "in X s")
#   expected-stdout  optional: exact stdout
#   expected-status  exit status (default 0)
#   check            optional shell script run afterwards; fails the case on non-zero
#   writes           optional: files outside the output the command may write
#                    (one path per line); anything else written is a failure
# setup and check may source "$E2E_LIB" (tests/e2e/lib.sh) for shared helpers.
# UPDATE=1 rewrites the expected files from the actual results (review the diff!).
# Needs CHARTER (the binary to test); CASES limits the run to some case names.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
# A pull request's CI names its base, which changes what the approval
# check judges (docs/evidence.md): not the fixtures'.
unset CHARTER_BASE GITHUB_BASE_REF CI_MERGE_REQUEST_TARGET_BRANCH_NAME

# E2E_JOBS=2 (make test): the cases in two halves, side by side, each a
# run of this script with its own temporary folder; their reports, then
# the sum. The cases share nothing but the binary.
if [ "${E2E_JOBS:-1}" -gt 1 ] && [ -z "${CASES:-}" ] && [ "${UPDATE:-}" != 1 ]; then
    halves=$(mktemp -d "${TMPDIR:-/tmp}/charter-e2e-halves.XXXXXX")
    trap 'rm -rf "$halves"' EXIT
    i=0
    for dir in "$here"/*/; do
        [ -f "$dir/cmd" ] || continue
        echo "$(basename "$dir")" >>"$halves/cases$((i % 2))"
        i=$((i + 1))
    done
    for k in 0 1; do
        CASES=$(tr '\n' ' ' <"$halves/cases$k") E2E_JOBS=1 sh "$0" >"$halves/out$k" 2>&1 &
        eval "pid$k=\$!"
    done
    wait "$pid0"
    st0=$?
    wait "$pid1"
    st1=$?
    grep -hv '^e2e: [0-9]* passed, [0-9]* failed$' "$halves/out0" "$halves/out1"
    pass=0
    fail=0
    for k in 0 1; do
        line=$(grep '^e2e: [0-9]* passed, [0-9]* failed$' "$halves/out$k" | tail -n 1)
        [ -n "$line" ] || { echo "e2e: half $k reported nothing"; fail=$((fail + 1)); continue; }
        set -- $line
        pass=$((pass + $2))
        fail=$((fail + $4))
    done
    echo "e2e: $pass passed, $fail failed"
    [ "$fail" = 0 ] && [ "$st0" = 0 ] && [ "$st1" = 0 ]
    exit
fi
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-e2e.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

E2E_LIB=$here/lib.sh
. "$E2E_LIB" # drop_theme_assets

for dir in "$here"/*/; do
    name=$(basename "$dir")
    if [ -n "${CASES:-}" ]; then
        case " $CASES " in *" $name "*) ;; *) continue ;; esac
    fi
    [ -f "$dir/cmd" ] || continue
    work="$tmp/$name"
    mkdir -p "$work"
    if [ -d "$dir/site" ]; then cp -R "$dir/site/." "$work/"; fi
    ok=1
    if [ -f "$dir/setup" ]; then
        (cd "$work" && CHARTER="$CHARTER" E2E_LIB="$here/lib.sh" sh "$dir/setup") ||
            { echo "e2e $name: setup failed"; ok=0; }
    fi
    outdir=_site
    [ -f "$dir/expected-dir" ] && outdir=$(cat "$dir/expected-dir")
    # Everything outside the output (and the history cache in the git
    # directory) before the command, to prove it writes nowhere else. Nor
    # git's index: the status pass refreshes it as `git status` does
    # (GIT_STATUS_OPT_UPDATE_INDEX) when the setup's commit left racily
    # clean entries, which a fast machine's does within one second.
    snapshot() {
        (cd "$work" && find . \( -path "./$outdir" -o -path "./$outdir/*" -o -path ./.git/charter \
            -o -path './.git/charter/*' -o -path ./.git/index -o -path "./$outdir.tmp-*" \) \
            -prune -o \
            \( -type d -printf '%p/\n' \) -o -printf '%p %s %T@\n' | LC_ALL=C sort)
    }
    snapshot >"$tmp/$name.before"
    cmd=$(sed -n '1p' "$dir/cmd")
    # shellcheck disable=SC2086
    (cd "$work" && eval "\"\$CHARTER\" ${cmd#charter}") >"$tmp/$name.out" 2>"$tmp/$name.err"
    status=$?
    snapshot >"$tmp/$name.after"
    if ! diff "$tmp/$name.before" "$tmp/$name.after" >"$tmp/$name.writes"; then
        # Paths created, changed or removed, less those the case allows.
        stray=$(grep '^[<>]' "$tmp/$name.writes" | sed 's/^[<>] //; s/ [0-9.]* [0-9.]*$//; s|/$||' |
            LC_ALL=C sort -u | while read -r p; do
                if [ -f "$dir/writes" ] && grep -qxF "${p#./}" "$dir/writes"; then continue; fi
                echo "$p"
            done)
        if [ -n "$stray" ]; then
            echo "e2e $name: touched files outside the output directory:"; echo "$stray" | head -10; ok=0
        fi
    fi
    sed -E 's/ in [0-9]+\.[0-9]+ s/ in X s/' "$tmp/$name.err" >"$tmp/$name.err.n"
    want=0
    [ -f "$dir/expected-status" ] && want=$(cat "$dir/expected-status")
    if [ "${UPDATE:-}" = 1 ]; then
        echo "$status" >"$dir/expected-status"
        cp "$tmp/$name.err.n" "$dir/expected-stderr"
        [ -s "$tmp/$name.out" ] && cp "$tmp/$name.out" "$dir/expected-stdout"
        if [ -d "$work/$outdir" ] && [ -d "$dir/expected" ]; then
            rm -rf "$dir/expected" && cp -R "$work/$outdir" "$dir/expected"
            rm -f "$dir/expected/.charter-manifest" "$dir/expected/manifest.json"
            drop_theme_assets "$dir/expected"
        fi
        want=$status
    fi
    if [ "$status" != "$want" ]; then
        echo "e2e $name: exit status $status, expected $want"
        ok=0
    fi
    if [ -f "$dir/expected-stderr" ] && ! diff -u "$dir/expected-stderr" "$tmp/$name.err.n" >"$tmp/$name.diff"; then
        echo "e2e $name: stderr differs:"; cat "$tmp/$name.diff"; ok=0
    fi
    if [ -f "$dir/expected-stdout" ] && ! diff -u "$dir/expected-stdout" "$tmp/$name.out" >"$tmp/$name.diff"; then
        echo "e2e $name: stdout differs:"; cat "$tmp/$name.diff"; ok=0
    fi
    if [ -d "$dir/expected" ]; then
        # The manifest holds every other file's SHA-256: rather than pin its
        # bytes, check that it lists exactly the tree and that every digest
        # holds (sha256sum -c, as an auditor would).
        # The default theme's assets, published unchanged, are not kept in
        # expected/ (a copy per case): compared with the repository's instead.
        rm -rf "$tmp/$name.tree" && cp -R "$work/$outdir" "$tmp/$name.tree"
        # Nor is manifest.json (it lists the theme's assets too): charter
        # verify checks it instead; tests/verify checks verify.
        rm -f "$tmp/$name.tree/manifest.json"
        drop_theme_assets "$tmp/$name.tree" "$dir/expected"
        if ! diff -r -u -x .charter-manifest "$dir/expected" "$tmp/$name.tree" >"$tmp/$name.diff" 2>&1; then
            echo "e2e $name: output tree differs:"; head -60 "$tmp/$name.diff"; ok=0
        fi
        if ! (cd "$work/$outdir" && sha256sum -c --strict --quiet .charter-manifest) >"$tmp/$name.diff" 2>&1; then
            echo "e2e $name: manifest does not match the output:"; head -20 "$tmp/$name.diff"; ok=0
        fi
        listed=$(sed 's/^[0-9a-f]*  //' "$work/$outdir/.charter-manifest" | LC_ALL=C sort)
        present=$(cd "$work/$outdir" && find . -type f ! -name .charter-manifest | sed 's|^\./||' | LC_ALL=C sort)
        if [ "$listed" != "$present" ]; then
            echo "e2e $name: manifest does not list exactly the files of the output"; ok=0
        fi
        if [ -f "$work/$outdir/manifest.json" ] &&
            ! "$CHARTER" verify "$work/$outdir" >"$tmp/$name.diff" 2>&1; then
            echo "e2e $name: charter verify fails:"; head -20 "$tmp/$name.diff"; ok=0
        fi
    fi
    if [ -f "$dir/check" ]; then
        (cd "$work" && CHARTER="$CHARTER" E2E_LIB="$here/lib.sh" sh "$dir/check") ||
            { echo "e2e $name: check failed"; ok=0; }
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL e2e $name"; fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
