# Shared by bench/compare.sh and bench/serve.sh (sourced, with $top and
# $bench set): sets $charter to $CHARTER, or to a release build of this
# checkout made for the benchmark (build-bench/, its log kept on failure),
# and defines corpus (corpus.sh).
. "$top/bench/corpus.sh"
if [ -z "${CHARTER:-}" ]; then
    make -C "$top" --no-print-directory BUILD=build-bench build-bench/charter >/dev/null 2>"$bench.make.log" ||
        { cat "$bench.make.log" >&2; exit 1; }
    rm -f "$bench.make.log"
    charter=$top/build-bench/charter
else
    charter=$CHARTER
fi
