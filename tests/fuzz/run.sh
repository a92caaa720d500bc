#!/bin/sh
# Runs each libFuzzer target of tests/fuzz/ for SECONDS, one after the other,
# from the seeds in tests/fuzz/corpus/<target>/. New inputs go to
# BUILD/fuzz-corpus/<target>/, crashes, timeouts, leaks and logs to
# BUILD/fuzz-out/<target>/, never into the repository. Prints one line per
# target; exits 1 if any target found a problem.
# Usage: tests/fuzz/run.sh BUILD SECONDS TARGET...
set -u
build=$1
seconds=$2
shift 2
failed=""
for t in "$@"; do
    out="$build/fuzz-out/$t"
    corpus="$build/fuzz-corpus/$t"
    mkdir -p "$out" "$corpus"
    dict=""
    [ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
    stamp="$out/.started"
    : >"$stamp"
    start=$(date +%s)
    # The first corpus directory is where libFuzzer writes what it finds.
    # shellcheck disable=SC2086
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}" \
        "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$out/" $dict "$corpus" "tests/fuzz/corpus/$t" \
        >"$out/log" 2>&1
    rc=$?
    took=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log" | tail -n 1)
    last=$(grep -E '^#[0-9]+' "$out/log" | tail -n 1 | sed 's/^#[0-9]* *//')
    found=$(find "$out" -maxdepth 1 -newer "$stamp" -type f \
        \( -name 'crash-*' -o -name 'timeout-*' -o -name 'leak-*' -o -name 'oom-*' \) | sort)
    printf 'fuzz %-12s %4ss  %s execs  %s\n' "$t" "$took" "${execs:-?}" "$last"
    if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
        failed="$failed $t"
        echo "fuzz $t: exit $rc; see $out/log" >&2
        # The sanitizer's report: its first line and the first frames.
        awk '!seen && /==[0-9]+==ERROR|runtime error|fuzz invariant failed|ERROR: libFuzzer/ {
                 seen = 1; print; next }
             seen && /^ *#[0-9]+ / && frames++ < 8 { print }' "$out/log" >&2
        for f in $found; do echo "  $f" >&2; done
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: problems found in:$failed (add the inputs to tests/fuzz/regressions/)" >&2
    exit 1
fi
