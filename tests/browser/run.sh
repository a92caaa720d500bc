#!/bin/sh
# Browser tests of the example site: makes its repository with
# scripts/example-repo.sh (two years of history, so pages show a change
# table of real-looking people and commits), builds it twice with $CHARTER,
# once at base_url "/" and once under "/policies/" (a clone with one more
# commit), runs test.mjs on both and serve.mjs on `charter serve` of the
# second's sources, in
# Debian's Chromium (/usr/bin/chromium, never a downloaded browser) through
# playwright-core, with axe-core for accessibility. Screenshots and the
# handbook PDF go to tests/browser/out/.
#
#   CHARTER=$PWD/build/charter sh tests/browser/run.sh
#
# Skips (exit 0, one line) when Chromium or Node.js/npm is missing, or fails
# then if BROWSER_REQUIRED is set; installs the pinned npm packages (npm ci)
# when node_modules is missing or stale (`run.sh --install` does only that).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM

# Missing tools skip the tests, unless BROWSER_REQUIRED is set (as in CI).
skip() {
    if [ -n "${BROWSER_REQUIRED:-}" ]; then
        echo "browser: FAIL ($1; BROWSER_REQUIRED is set)"
        exit 1
    fi
    echo "browser: SKIP ($1)"
    exit 0
}
if [ ! -x "$CHROMIUM" ]; then
    skip "chromium not installed: apt-get install chromium"
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    skip "node/npm not installed: apt-get install nodejs npm"
fi

# npm ci when node_modules is missing or was installed from another lock.
lock_sum=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
stamp="$here/node_modules/.charter-lock-sha256"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
    if ! (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
        echo "browser: FAIL (npm ci failed in $here)"
        exit 1
    fi
    echo "$lock_sum" >"$stamp"
fi
if [ "${1:-}" = --install ]; then
    exit 0
fi
: "${CHARTER:?set CHARTER to the charter binary}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-browser.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
builds=""

# build NAME SITE_DIR OUT_DIR: a failed build is a failed check; it is built
# again with --no-check so that the browser tests still run.
build() {
    if "$CHARTER" build --site "$2" --out "$3" --as-of "$as_of" --quiet 2>"$tmp/$1.err"; then
        builds="$builds$1	ok
"
        return 0
    fi
    echo "browser: [$1] charter build failed:"
    sed 's/^/    /' "$tmp/$1.err" | head -20
    if "$CHARTER" build --site "$2" --out "$3" --as-of "$as_of" --quiet --no-check 2>"$tmp/$1.err"; then
        builds="$builds$1	build failed; built again with --no-check
"
        return 0
    fi
    sed 's/^/    /' "$tmp/$1.err" | head -20
    echo "browser: 1 checks, 1 failed"
    exit 1
}

# At base_url "/", from the example's repository, as `make site` builds it
# (the same --as-of: one review due soon, none overdue).
as_of=2027-01-10
if ! sh "$top/scripts/example-repo.sh" "$tmp/example" >"$tmp/example.log" 2>&1; then
    echo "browser: scripts/example-repo.sh failed:"
    sed 's/^/    /' "$tmp/example.log" | head -20
    echo "browser: 1 checks, 1 failed"
    exit 1
fi
build root "$tmp/example" "$tmp/root"

# Under /policies/: a clone of it with base_url changed in one more commit.
(
    git clone -q "$tmp/example" "$tmp/src" &&
        cd "$tmp/src" &&
        sed -i 's|^base_url:.*|base_url: /policies/|' site.yml &&
        GIT_AUTHOR_DATE=2026-11-30T12:00:00Z GIT_COMMITTER_DATE=2026-11-30T12:00:00Z \
            git -c user.name="Browser Test" -c user.email=browser-test@example.invalid \
            -c commit.gpgsign=false commit -q -m "Serve the policies under /policies/" site.yml
) >/dev/null 2>&1 || true
grep -q '^base_url: /policies/$' "$tmp/src/site.yml" || {
    echo "browser: could not make the /policies/ copy of the example"
    echo "browser: 1 checks, 1 failed"
    exit 1
}
build policies "$tmp/src" "$tmp/policies"

cd "$here"
status=0
BROWSER_BUILDS=$builds node test.mjs root "$tmp/root" / policies "$tmp/policies" /policies/ || status=1
# charter serve on the same git copy: its banner and the reload after an edit.
node serve.mjs "$CHARTER" "$tmp/src" || status=1
exit $status
