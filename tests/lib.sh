# Shared by the shell test scripts (sourced, not run): git isolated from the
# user's configuration with a pinned author and date (HOME is $tmp/home),
# TAP-style lines, and the example site as a git repository. The script
# sets $tmp (a scratch folder) and $top (the repository's root) first.
#   ok WHAT / not_ok WHAT [DETAIL]: one line `ok N - WHAT` or `not ok N - WHAT`
#     (DETAIL's first lines indented below it); counts in $n and $failed.
#   check WHAT COMMAND...: ok when COMMAND succeeds, else not_ok with its output.
#   example_repo DIR: the example site (site.yml, content, controls, layouts,
#     assets) committed to a new repository in DIR, on main.
export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES="$tmp"
export GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.com GIT_COMMITTER_NAME=Ada
export GIT_COMMITTER_EMAIL=ada@example.com
export GIT_AUTHOR_DATE='2026-06-01T10:00:00Z' GIT_COMMITTER_DATE='2026-06-01T10:00:00Z'
mkdir -p "$HOME"
# A pull request's CI names its base, which changes what the approval
# check judges (docs/evidence.md): not the scripts'.
unset CHARTER_BASE GITHUB_BASE_REF CI_MERGE_REQUEST_TARGET_BRANCH_NAME
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
