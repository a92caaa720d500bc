# Shared by the bench scripts (sourced, with $top set). corpus SITE PAGES
# COMMITS: makes the generated repository at SITE (gen-history.py; made
# once, reused after), its report indented as it comes; the script stops
# when it cannot be made (SITE holds something else, say), rather than
# timing whatever is there.
corpus() {
    status=$(mktemp)
    { python3 "$top/bench/gen-history.py" "$1" "$2" "$3" 2>&1; echo $? >"$status"; } | sed 's/^/  /'
    rc=$(cat "$status")
    rm -f "$status"
    [ "$rc" = 0 ] || { echo "bench: no repository of $2 pages at $1" >&2; exit 1; }
}
