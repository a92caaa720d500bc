# Helpers for e2e `setup` and `check` scripts (sourced: . "$E2E_LIB").
# CHARTER is set by run.sh; scripts run in the case's work directory.

# Builds a small valid site into DIR (default _site), as an earlier good
# build would have left it, and records every file's bytes in
# ../previous.sums, so a check can prove a failed build did not touch it.
previous_site() {
    out=${1:-_site}
    prev=../previous-site
    mkdir -p "$prev/content" "$prev/layouts"
    printf 'title: Previous\n' >"$prev/site.yml"
    printf -- '---\ntitle: Old\nowner: o\nlast_reviewed: 2026-11-01\n---\nOld page.\n' \
        >"$prev/content/old.md"
    printf '<p>{{TITLE:h}}</p>{{CONTENT}}\n' >"$prev/layouts/policy.html"
    "$CHARTER" build --quiet --site "$prev" --out "$out" --as-of 2026-11-25 --no-check \
        2>/dev/null || return 1
    (cd "$out" && find . -type f -exec sha256sum {} + | LC_ALL=C sort) >../previous.sums
}

# Fails unless DIR (default _site) is byte for byte what previous_site left,
# and no staging directory is left beside it.
previous_unchanged() {
    out=${1:-_site}
    now=$(cd "$out" && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
    if [ "$now" != "$(cat ../previous.sums)" ]; then
        echo "the previous output '$out' changed"
        return 1
    fi
    if ls -d "$out".tmp-* "$out".old-* "$out"/.charter-staging-* >/dev/null 2>&1; then
        echo "a staging directory was left behind"
        return 1
    fi
}

# drop_theme_assets TREE [EXPECTED]: removes TREE/assets/X when it is the
# repository's assets/X byte for byte (the embedded default theme's,
# published unchanged) and EXPECTED, if given, does not hold assets/X
# itself; expected/ trees leave those out rather than keep a copy each.
drop_theme_assets() {
    _theme=$(cd "$(dirname "$E2E_LIB")/../../assets" && pwd)
    for _f in "$_theme"/*; do
        _b=$(basename "$_f")
        [ -f "$1/assets/$_b" ] || continue
        [ -n "${2:-}" ] && [ -e "$2/assets/$_b" ] && continue
        if cmp -s "$_f" "$1/assets/$_b"; then rm -f "$1/assets/$_b"; fi
    done
    rmdir "$1/assets" 2>/dev/null || true
}
