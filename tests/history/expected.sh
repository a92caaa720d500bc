#!/bin/sh
# The history charter should report for each page, computed with git itself.
#
#   sh tests/history/expected.sh [--full] REPO [SITE]
#
# REPO is the top of a working tree (a repository, a linked worktree or a
# clone); SITE is the site's folder inside it (default: the top). For every
# page that exists at HEAD (SITE/content/**/*.md, skipping names that start
# with '_' or '.' but _index.md, as charter does; CONTENT=. in the environment: the pages
# are SITE/**/*.md, a site whose content is its root), prints its commit
# rows, newest first, one line each:
#
#   source<TAB>hash<TAB>short<TAB>date<TAB>author<TAB>summary
#
# source is the path relative to SITE (content/a.md), short the first 7 hex
# digits, date the author date in the author's own zone (--date=short), author
# the name after .mailmap (%aN), summary the subject (%s). --full appends
#
#   <TAB>version<TAB>review<TAB>approved_by<TAB>reviewed_by
#
# version: the page's `version:` front matter in that commit (see version_of),
# else the running number of the row counted from the oldest; review: true
# when every changed line of the page against the first parent is a
# `last_reviewed:` line; approved_by / reviewed_by: the values of the
# `Approved-by:` / `Reviewed-by:` trailers as git parses them (folded lines
# unfolded), joined by " | ".
#
# The merge rule: `git log --follow -M --first-parent -m -- PATH`. --follow
# follows renames (git's default 50% similarity); --first-parent walks only
# the first parent of merges, so commits made on a merged branch never show,
# and -m diffs a merge against that first parent, so the merge commit itself
# shows when it changed the page relative to its first parent. (Since git 2.31
# --first-parent implies that diff; -m makes older gits agree.) Plain
# `git log --follow` would instead list the branch's commits and not the merge.
# --follow goes on through a deletion (the D line: no blob, so the running
# number and no review), and at an add looks for the page's source among all
# the parent's files, copies included (R or C lines name the old path).
set -eu

usage() { echo "usage: expected.sh [--full] REPO [SITE]" >&2; exit 2; }
full=0
if [ "${1:-}" = --full ]; then full=1; shift; fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
repo=$1
site=${2:-.}
case $site in
    . | ./) prefix= ;;
    *) prefix=${site%/}/ ;;
esac
LC_ALL=C
export LC_ALL
tab=$(printf '\t')
nil=$(printf '\034')
fmt_approved='%(trailers:key=Approved-by,valueonly,unfold,separator= | )'
fmt_reviewed='%(trailers:key=Reviewed-by,valueonly,unfold,separator= | )'

g() {
    git -C "$repo" -c core.quotePath=false -c log.showSignature=false -c diff.renameLimit=0 \
        -c color.ui=never "$@"
}

# The page's version: value in a blob as YAML reads its simple forms: a
# quoted value without its quotes, a plain one up to a ` #` comment; empty
# when it declares none, when the value is null (~, null, nothing), a list or
# a mapping, or when the front matter is never closed.
version_of() {
    g show "$1" 2>/dev/null | awk '
        NR == 1 { sub(/^\357\273\277/, ""); sub(/\r$/, ""); if ($0 != "---") exit; next }
        { sub(/\r$/, "") }
        $0 == "---" || $0 == "..." { closed = 1; exit }
        /^version:/ && !found {
            found = 1
            v = substr($0, 9)
            sub(/^[ \t]+/, "", v)
            if (v ~ /^"/ || v ~ /^\047/) {
                q = substr(v, 1, 1)
                v = substr(v, 2)
                v = index(v, q) ? substr(v, 1, index(v, q) - 1) : ""
            } else {
                sub(/(^|[ \t])#.*$/, "", v)
                sub(/[ \t]+$/, "", v)
                if (v ~ /^(~|null|Null|NULL)$/ || v ~ /^[[{]/) v = ""
            }
        }
        END { if (closed && found) print v }'
}

# true when every changed line between two blobs is a last_reviewed: line.
review_only() {
    g diff --no-ext-diff --no-textconv -U0 "$1" "$2" 2>/dev/null | awk '
        /^@@/ { body = 1; next }
        !body { next }
        /^[-+]/ { n++; if ($0 !~ /^[-+]last_reviewed:/) bad = 1 }
        END { print (n > 0 && !bad) ? "true" : "false" }'
}

content=${CONTENT:-content}
if [ "$content" = . ]; then
    top=${prefix:-.} cp=$prefix
else
    top=$prefix$content cp=$prefix$content/
fi
g ls-tree -r --name-only HEAD -- "$top" |
    awk -v p="$cp" '
        (p == "" || index($0, p) == 1) && /\.md$/ {
            rest = substr($0, length(p) + 1)
            r = rest
            sub(/(^|\/)_index\.md$/, "/index.md", r) # Hugo: a folder page
            if (r ~ /(^|\/)[_.]/) next
            print
        }' |
    while IFS= read -r path; do
        source=${path#"$prefix"}
        # Header lines start with "@"; the name-status line after each gives
        # the page's path in that commit (and its path in the parent). Fields
        # that may be empty become $nil, as `read` would merge empty fields.
        g log --follow -M --first-parent -m --date=short --name-status \
            --format="@%H%x09%ad%x09%aN%x09%s%x09$fmt_approved%x09$fmt_reviewed" HEAD -- "$path" |
            awk -F '\t' -v OFS='\t' -v nil="$nil" '
                function flush() { if (h != "") print st, old, cur, h }
                /^@/ {
                    flush()
                    $0 = substr($0, 2)
                    for (i = 1; i <= 6; i++) if ($i == "") $i = nil
                    h = $0; st = ""; next
                }
                NF >= 2 && st == "" { st = substr($1, 1, 1); old = $2; cur = $NF }
                END { flush() }' >"${TMPDIR:-/tmp}/expected.$$"
        total=$(wc -l <"${TMPDIR:-/tmp}/expected.$$")
        i=0
        while IFS="$tab" read -r st old cur hash date author summary approved reviewed; do
            i=$((i + 1))
            [ "$author" != "$nil" ] || author=
            [ "$summary" != "$nil" ] || summary=
            [ "$approved" != "$nil" ] || approved=
            [ "$reviewed" != "$nil" ] || reviewed=
            short=$(printf '%.7s' "$hash")
            line="$source	$hash	$short	$date	$author	$summary"
            if [ $full = 1 ]; then
                version=$(version_of "$hash:$cur")
                [ -n "$version" ] || version=$((total - i + 1))
                review=false
                # A (added) also covers a root commit and a shallow boundary.
                [ "$st" = A ] || review=$(review_only "$hash^1:$old" "$hash:$cur")
                line="$line	$version	$review	$approved	$reviewed"
            fi
            printf '%s\n' "$line"
        done <"${TMPDIR:-/tmp}/expected.$$"
        rm -f "${TMPDIR:-/tmp}/expected.$$"
    done
