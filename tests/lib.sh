# Shared by the shell test scripts (sourced, not run): TAP-style lines and
# the example site as a git repository. The script sets $tmp (a scratch
# folder) and $top (the repository's root) first.
#   ok WHAT / not_ok WHAT [DETAIL]: one line `ok N - WHAT` or `not ok N - WHAT`
#     (DETAIL's first lines indented below it); counts in $n and $failed.
#   check WHAT COMMAND...: ok when COMMAND succeeds, else not_ok with its output.
#   example_repo DIR: the example site (site.yml, content, controls, layouts,
#     assets) committed to a new repository in DIR, on main.
n=0
failed=0

ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}

not_ok() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    [ -z "${2:-}" ] || printf '%s\n' "$2" | head -n 12 | sed 's/^/#   /'
}

check() {
    what=$1
    shift
    if "$@" >"$tmp/check.out" 2>&1; then ok "$what"; else not_ok "$what" "$(cat "$tmp/check.out")"; fi
}

example_repo() {
    mkdir -p "$1"
    cp -R "$top/site.yml" "$top/content" "$top/controls" "$top/layouts" "$top/assets" "$1/"
    git -C "$1" init -q -b main
    git -C "$1" add -A
    git -C "$1" commit -q -m "the example site"
}
