#!/bin/sh
# The history comparison test: charter's api/pages.json against git itself.
#
#   CHARTER=$PWD/build/charter sh tests/history/compare.sh
#
# Builds the fixture repositories (make-repos.sh) in a temporary directory,
# runs `charter build` on each (with TZ far from UTC, so the author's own time
# zone must be used), reads the "history" of every page from api/pages.json
# with python3, and checks it against git (expected.sh) and the contract:
# versions, review-only commits, trailers, uncommitted and untracked pages,
# shallow clones, no repository, an unborn branch, a detached HEAD, a linked
# worktree, a submodule, a site in a subfolder, odd front matter and a
# commit in ISO-8859-1, commits git would not write, what counts as the same
# page (deletions, renames from and to any name, copies), and rebuilds after
# new and rewritten commits. Prints one line per failed check, then
# `history: N checks, F failed`; exits 1 when any failed.
# KEEP=1 keeps the temporary directory (its path is printed).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
command -v python3 >/dev/null || { echo "history: python3 is needed" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-history.XXXXXX")
tmp=$(cd "$tmp" && pwd -P)
if [ "${KEEP:-}" = 1 ]; then
    echo "history: keeping $tmp"
else
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 2' INT TERM
fi

# The same isolation as make-repos.sh, for git and for charter (libgit2 reads
# the global config from HOME and XDG_CONFIG_HOME too).
HOME=$tmp/home
XDG_CONFIG_HOME=$HOME/.config
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=$HOME/.gitconfig
GIT_CEILING_DIRECTORIES=$tmp
PYTHONIOENCODING=utf-8
LC_ALL=C
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL GIT_CEILING_DIRECTORIES \
    PYTHONIOENCODING LC_ALL
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
    GIT_NAMESPACE GIT_COMMON_DIR GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
    GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE 2>/dev/null || true
mkdir -p "$XDG_CONFIG_HOME"
printf '[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n' >"$GIT_CONFIG_GLOBAL"

tab=$(printf '\t')
repos=$tmp/repos
if ! sh "$here/make-repos.sh" "$repos" >"$tmp/make-repos.log" 2>&1; then
    echo "history: make-repos.sh failed:"
    sed 's/^/    /' "$tmp/make-repos.log"
    echo "history: 1 checks, 1 failed"
    exit 1
fi

checks=0
failed=0
pass() { checks=$((checks + 1)); }
fail() {
    checks=$((checks + 1))
    failed=$((failed + 1))
    printf 'history: FAIL %s\n' "$*"
}
# same WHAT GOT WANT
same() {
    if [ "$2" = "$3" ]; then pass; else fail "$1: got '$2', want '$3'"; fi
}
# same_file WHAT GOT_FILE WANT_FILE: compares sorted by page (stably, so each
# page keeps its rows' order) and shows the first lines of the difference.
same_file() {
    sort -s -t "$tab" -k1,1 "$2" >"$2.sorted"
    sort -s -t "$tab" -k1,1 "$3" >"$3.sorted"
    if diff -u "$3.sorted" "$2.sorted" >"$tmp/diff"; then
        pass
    else
        fail "$1 (- git, + charter):"
        sed -n '3,42p' "$tmp/diff" | sed 's/^/    /'
    fi
}

# details WHAT FILE: one check that FILE is empty; else its first lines.
details() {
    if [ -s "$2" ]; then
        fail "$1 ($(wc -l <"$2" | tr -d ' ') problems):"
        sed -n '1,10p' "$2" | sed 's/^/    /'
    else
        pass
    fi
}

# The reader of pages.json. One line per page and per history row, nulls as
# \N, lists joined by " | ", tabs and newlines in strings escaped:
#   P source created last_changed last_changed_by rows
#   R source index kind commit short date author summary version review approved_by reviewed_by
#   E source problem            (a row or page that breaks the shape of the contract)
cat >"$tmp/dump.py" <<'PY'
import json, re, sys

KINDS = ("commit", "uncommitted", "untracked", "truncated")
KEYS = ("kind", "commit", "short", "date", "author", "summary", "version", "review",
        "approved_by", "reviewed_by")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HEX40 = re.compile(r"^[0-9a-f]{40}$")

def s(v):
    if v is None:
        return "\\N"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return " | ".join(s(x) for x in v)
    if not isinstance(v, str):
        return "?" + json.dumps(v)
    return v.replace("\t", "\\t").replace("\n", "\\n")

def out(*fields):
    print("\t".join(fields))

def row_problems(r, i, n):
    if not isinstance(r, dict):
        return ["row %d is not an object" % i]
    p = ["row %d lacks '%s'" % (i, k) for k in KEYS if k not in r]
    if p:
        return p
    k = r["kind"]
    if k not in KINDS:
        return ["row %d: unknown kind %r" % (i, k)]
    if k == "commit":
        if not (isinstance(r["commit"], str) and HEX40.match(r["commit"])):
            p.append("row %d: commit %r is not 40 hex digits" % (i, r["commit"]))
        elif r["short"] != r["commit"][:7]:
            p.append("row %d: short %r is not the commit's first 7" % (i, r["short"]))
        if not (isinstance(r["date"], str) and DATE.match(r["date"])):
            p.append("row %d: date %r" % (i, r["date"]))
        for f in ("author", "summary"):
            if not isinstance(r[f], str):
                p.append("row %d: %s %r is not a string" % (i, f, r[f]))
        if not (isinstance(r["version"], str) and r["version"]):
            p.append("row %d: version %r is not a non-empty string" % (i, r["version"]))
    else:
        for f in ("commit", "short", "date", "author", "summary"):
            if r[f] is not None:
                p.append("row %d (%s): %s is %r, not null" % (i, k, f, r[f]))
        if not isinstance(r["version"], str):
            p.append("row %d (%s): version %r is not a string" % (i, k, r["version"]))
        if k == "uncommitted" and i != 1:
            p.append("row %d: 'uncommitted' is not the first row" % i)
        if k == "uncommitted" and r["version"] != "":
            p.append("row %d: 'uncommitted' has version %r, not ''" % (i, r["version"]))
        if k == "truncated" and i != n:
            p.append("row %d: 'truncated' is not the last row" % i)
        if k == "untracked" and n != 1:
            p.append("row %d: 'untracked' is not the only row" % i)
    if not isinstance(r["review"], bool):
        p.append("row %d: review %r is not a boolean" % (i, r["review"]))
    for f in ("approved_by", "reviewed_by"):
        if not (isinstance(r[f], list) and all(isinstance(x, str) for x in r[f])):
            p.append("row %d: %s %r is not a list of strings" % (i, f, r[f]))
    return p

try:
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    pages = doc["pages"]
except Exception as e:  # reported as one problem
    out("E", "-", "cannot read %s: %s" % (sys.argv[1], e))
    sys.exit(0)
for pg in pages:
    src = pg.get("source", "?")
    h = pg.get("history")
    for f in ("created", "last_changed", "last_changed_by"):
        if f not in pg:
            out("E", src, "no '%s'" % f)
        elif f != "last_changed_by" and pg[f] is not None and not DATE.match(str(pg[f])):
            out("E", src, "%s %r is not YYYY-MM-DD" % (f, pg[f]))
    if not isinstance(h, list):
        out("E", src, "'history' is %r, not a list" % (h,))
        h = []
    out("P", src, s(pg.get("created")), s(pg.get("last_changed")),
        s(pg.get("last_changed_by")), str(len(h)))
    for i, r in enumerate(h, 1):
        for prob in row_problems(r, i, len(h)):
            out("E", src, prob)
        if isinstance(r, dict):
            out("R", src, str(i), *(s(r.get(k)) for k in KEYS))
PY

# build NAME SITE: charter build into $tmp/out/NAME, from a directory outside
# every repository, with TZ at UTC+14. Sets $status; the dump is $tmp/NAME.dump.
build() {
    rm -rf "$tmp/out/$1"
    (cd "$tmp" && TZ=Pacific/Kiritimati "$CHARTER" build --site "$2" --out "$tmp/out/$1" \
        --as-of 2026-11-25 >"$tmp/$1.stdout" 2>"$tmp/$1.stderr")
    status=$?
    if [ -f "$tmp/out/$1/api/pages.json" ]; then
        python3 "$tmp/dump.py" "$tmp/out/$1/api/pages.json" >"$tmp/$1.dump"
    else
        : >"$tmp/$1.dump"
    fi
}
# built NAME: the build exited 0 and pages.json has the contract's shape.
built() {
    if [ "$status" = 0 ]; then
        pass
    else
        fail "$1: charter build exited $status: $(head -n 3 "$tmp/$1.stderr" | tr '\n' ' ')"
    fi
    if [ -s "$tmp/$1.dump" ]; then pass; else fail "$1: no api/pages.json"; fi
    awk -F '\t' '$1 == "E" { print $2 ": " $3 }' "$tmp/$1.dump" >"$tmp/$1.problems"
    details "$1: pages.json breaks the contract's shape" "$tmp/$1.problems"
}
# commit_rows NAME [full]: charter's commit rows as expected.sh prints them.
commit_rows() {
    awk -F '\t' -v OFS='\t' -v full="${2:-}" '$1 == "R" && $4 == "commit" {
        if (full) print $2, $5, $6, $7, $8, $9, $10, $11, $12, $13
        else print $2, $5, $6, $7, $8, $9 }' "$tmp/$1.dump"
}
# field NAME SOURCE COLUMN [KIND]: one column of a page's rows (of one kind),
# in order, space-separated. Columns: 4 kind, 5 commit, 7 date, 8 author,
# 9 summary, 10 version, 11 review, 12 approved_by, 13 reviewed_by.
field() {
    awk -F '\t' -v src="$2" -v col="$3" -v kind="${4:-}" '
        $1 == "R" && $2 == src && (kind == "" || $4 == kind) { printf "%s%s", sep, $col; sep = " " }
        END { print "" }' "$tmp/$1.dump"
}
# row NAME SOURCE SUMMARY COLUMN: a column of the commit row with that summary.
row() {
    awk -F '\t' -v src="$2" -v sum="$3" -v col="$4" '
        $1 == "R" && $2 == src && $4 == "commit" && $9 == sum { print $col; exit }' "$tmp/$1.dump"
}
# nth NAME SOURCE N COLUMN: a column of the page's N-th row (newest first).
nth() {
    awk -F '\t' -v src="$2" -v n="$3" -v col="$4" '$1 == "R" && $2 == src && $3 == n { print $col }' \
        "$tmp/$1.dump"
}
# against_git NAME REPO [SITE [SKIP]]: commit rows, then the full rows, against
# expected.sh; SKIP: a prefix of sources to leave out (a submodule's pages).
against_git() {
    sh "$here/expected.sh" "$2" ${3:+"$3"} >"$tmp/$1.want" 2>"$tmp/$1.want.err" ||
        fail "$1: expected.sh failed: $(head -n 1 "$tmp/$1.want.err")"
    sh "$here/expected.sh" --full "$2" ${3:+"$3"} >"$tmp/$1.want-full" 2>&1
    commit_rows "$1" >"$tmp/$1.got"
    commit_rows "$1" full >"$tmp/$1.got-full"
    if [ -n "${4:-}" ]; then
        grep -v "^$4" "$tmp/$1.got" >"$tmp/$1.got.f"; mv "$tmp/$1.got.f" "$tmp/$1.got"
        grep -v "^$4" "$tmp/$1.got-full" >"$tmp/$1.got.f"; mv "$tmp/$1.got.f" "$tmp/$1.got-full"
    fi
    same_file "$1: commit rows against git log" "$tmp/$1.got" "$tmp/$1.want"
    same_file "$1: version/review/trailer columns against git" "$tmp/$1.got-full" "$tmp/$1.want-full"
}
# only_commits NAME: no row of a kind other than commit.
only_commits() {
    other=$(awk -F '\t' '$1 == "R" && $4 != "commit" { print $2 " (" $4 ")" }' "$tmp/$1.dump" |
        tr '\n' ' ')
    same "$1: rows that are not commits" "$other" ""
}

# ------------------------------------------------------------------ main
m=$repos/main
build main "$m"
built main
against_git main "$m"

# versions: quoted, unquoted and single-quoted values; running numbers.
same "main: access.md versions" "$(field main content/access.md 10 commit)" "1.0 0.2 0.1"
same "main: backup.md (no version) versions" "$(field main content/backup.md 10 commit)" "4 3 2 1"
same "main: continuity.md (a version: from its third commit) versions" \
    "$(field main content/continuity.md 10 commit)" "2.0 2 1"
same "main: suppliers.md (merged) versions" "$(field main content/suppliers.md 10 commit)" "2 1"
# review-only: exactly the incident page's review commit.
same "main: review-only rows" \
    "$(awk -F '\t' '$1 == "R" && $11 == "true" { printf "%s%s: %s", s, $2, $9; s = ", " }' "$tmp/main.dump")" \
    "content/incident.md: Review the incident page"
same "main: version+last_reviewed commit is not review-only" \
    "$(row main content/access.md 'Access policy 1.0' 11)" false
# trailers
same "main: Approved-by of the 0.2 commit" "$(row main content/access.md 'Access policy 0.2: quarterly reviews' 12)" \
    "Carol Chen <carol@example.com> | Dan Park <dan@example.com>"
same "main: Reviewed-by of the 0.2 commit" "$(row main content/access.md 'Access policy 0.2: quarterly reviews' 13)" \
    "Jörg Ünal <joerg@example.com>"
same "main: Approved-by of the merge" "$(row main content/suppliers.md "Merge branch 'supplier-review'" 12)" \
    "Carol Chen <carol@example.com>"
same "main: an Approved-by line in the body is no trailer" \
    "$(row main content/continuity.md 'Backup and continuity: "offsite" copies, RTO 2 h – agreed' 12)" ""
same "main: a Reviewed-By trailer (keys ignore case)" \
    "$(row main content/hr/people.md 'People and cryptography: small fixes' 13)" "Alice Lindqvist <alice@example.com>"
# .mailmap
same "main: authors not mapped by .mailmap" \
    "$(awk -F '\t' '$1 == "R" && ($8 == "alice" || $8 == "A. Lindqvist") { printf "%s ", $8 }' "$tmp/main.dump")" ""
same "main: author of the old-address commit" "$(row main content/backup.md 'Backup: longer retention' 8)" "Alice Lindqvist"
same "main: author of a commit whose email differs in case" "$(row main content/suppliers.md 'Add supplier policy' 8)" \
    "Alice Lindqvist"
# the summary is git's subject: the first paragraph, lines joined by a space
same "main: summary of a two-line subject" "$(field main content/backup.md 9 commit | grep -c 'Backup: monthly restore tests and a runbook')" 1
same "main: rows of the page named 'données personnelles.md'" "$(field main 'content/données personnelles.md' 4)" commit
# dates in the author's own zone
same "main: date of a commit at 00:30 +02:00" "$(row main content/access.md 'Access policy 0.2: quarterly reviews' 7)" 2026-03-02
same "main: date of a commit at 21:15 -05:00" "$(row main content/suppliers.md 'Add supplier policy' 7)" 2026-04-10
same "main: date of a commit at 23:58 +00:00" "$(row main content/incident.md 'Review the incident page' 7)" 2026-05-31
# first parent only; renames followed; commits that touch no page absent
same "main: suppliers.md rows (first parent)" "$(field main content/suppliers.md 9 commit)" \
    "Merge branch 'supplier-review' Add supplier policy"
same "main: continuity.md rows (pure rename)" "$(field main content/continuity.md 7 commit)" \
    "2026-07-01 2026-03-10 2026-01-05"
same "main: cryptography.md rows (rename with edits)" "$(field main content/cryptography.md 7 commit)" \
    "2026-08-05 2026-03-18 2026-02-02"
same "main: hr/people.md rows (moved into a folder)" "$(field main content/hr/people.md 7 commit)" \
    "2026-08-05 2026-04-02 2026-02-02"
same "main: rows of the empty, layout-only and deleting commits" \
    "$(awk -F '\t' '$1 == "R" && ($9 ~ /^Empty commit|^Layout:|^Remove the legacy/) { printf "%s ", $9 }' "$tmp/main.dump")" ""
same "main: legacy.md (deleted) is no page" "$(awk -F '\t' '$2 == "content/legacy.md"' "$tmp/main.dump")" ""
# the working tree
same "main: backup.md row kinds" "$(field main content/backup.md 4)" "uncommitted commit commit commit commit"
same "main: pages with an uncommitted row" \
    "$(awk -F '\t' '$1 == "R" && $4 == "uncommitted" { printf "%s ", $2 }' "$tmp/main.dump")" "content/backup.md "
same "main: new-page.md (untracked) rows" "$(field main content/new-page.md 4)" untracked
# created / last_changed / last_changed_by: the oldest and the newest commit
awk -F '\t' '
    $1 == "P" { page[$2] = $3 "\t" $4 "\t" $5 }
    $1 == "R" && $4 == "commit" { if (!($2 in newest)) newest[$2] = $7 "\t" $8; oldest[$2] = $7 }
    END { for (p in newest) { split(newest[p], n, "\t"); split(page[p], g, "\t")
          if (g[1] != oldest[p]) print p ": created " g[1] ", want " oldest[p]
          if (g[2] != n[1] || g[3] != n[2])
              print p ": last_changed " g[2] " by " g[3] ", want " n[1] " by " n[2] } }' \
    "$tmp/main.dump" | sort >"$tmp/main.dates"
details "main: created/last_changed/last_changed_by against the commit rows" "$tmp/main.dates"
(cd "$tmp" && TZ=Pacific/Kiritimati "$CHARTER" check --site "$m" --as-of 2026-11-25 >"$tmp/check.out" 2>&1)
same "main: charter check exit status" "$?" 0

# ------------------------------------------------------------------ shallow
s=$repos/shallow
build shallow "$s"
built shallow
boundary=$(cat "$s/.git/shallow" 2>/dev/null)
same "shallow: the clone is shallow" "$(printf '%s' "$boundary" | wc -l | tr -d ' ')" 0
same "shallow: pages whose last row is not 'truncated'" \
    "$(awk -F '\t' '$1 == "P" { n[$2] = $6 } $1 == "R" { k[$2 "\t" $3] = $4 }
        END { for (p in n) if (k[p "\t" n[p]] != "truncated") printf "%s ", p }' "$tmp/shallow.dump")" ""
# The commits above the boundary exactly as in main's full history; the
# boundary commit (whose parent is missing, so that it "adds" every file) is
# no row of any page: what it changed is unknown.
git -C "$s" rev-list HEAD | grep -v "^$boundary\$" >"$tmp/shallow.commits"
grep -F -f "$tmp/shallow.commits" "$tmp/main.want" >"$tmp/shallow.want"
commit_rows shallow | grep -v -F "$boundary" >"$tmp/shallow.got"
same_file "shallow: commit rows above the boundary against main's" "$tmp/shallow.got" "$tmp/shallow.want"
same "shallow: rows of the boundary commit" "$(commit_rows shallow | grep -c -F "$boundary")" 0

# ------------------------------------------------------------------ norepo
build norepo "$repos/norepo"
built norepo
same "norepo: pages with history" \
    "$(awk -F '\t' '$1 == "P" && $6 != 0 { printf "%s ", $2 }' "$tmp/norepo.dump")" ""
same "norepo: pages with created/last_changed" \
    "$(awk -F '\t' '$1 == "P" && ($3 != "\\N" || $4 != "\\N" || $5 != "\\N") { printf "%s ", $2 }' "$tmp/norepo.dump")" ""
if grep -qi git "$tmp/norepo.stderr"; then pass; else fail "norepo: no warning mentioning git on stderr"; fi

# ------------------------------------------------------------------ unborn
build unborn "$repos/unborn"
built unborn
same "unborn: pages whose history is neither [] nor [untracked]" \
    "$(awk -F '\t' '$1 == "P" { n[$2] = $6 } $1 == "R" { k[$2] = k[$2] $4 " " }
        END { for (p in n) if (!(n[p] == 0 || k[p] == "untracked ")) printf "%s ", p }' "$tmp/unborn.dump")" ""

# ------------------------------------------------------------------ detached, worktree
for name in detached worktree; do
    build $name "$repos/$name"
    built $name
    against_git $name "$repos/$name"
    only_commits $name
done
same "worktree: legacy.md (present at its commit) rows" "$(field worktree content/legacy.md 9)" "Initial site"

# ------------------------------------------------------------------ submodule
build submodule "$repos/submodule"
built submodule
if grep -q 'error' "$tmp/submodule.stderr"; then
    fail "submodule: stderr has an error: $(grep -m 1 error "$tmp/submodule.stderr")"
else
    pass
fi
against_git submodule "$repos/submodule" "" content/vendor/
only_commits submodule

# ------------------------------------------------------------------ nested
build nested "$repos/nested/policies"
built nested
against_git nested "$repos/nested" policies
only_commits nested
same "nested: no .mailmap, so the raw name" "$(row nested content/index.md Start 8)" alice

# ------------------------------------------------------------------ odd
# Versions as the front matter parser reads them, and a commit made with
# i18n.commitEncoding=ISO-8859-1, shown in UTF-8 as git log shows it.
o=$repos/odd
build odd "$o"
built odd
against_git odd "$o"
same "odd: policy.md versions" "$(field odd content/policy.md 10 commit)" "3.1 3.0 5 4 3 2.2 2.1"
same "odd: version: \"2.2\" with a comment after it" "$(row odd content/policy.md 'Policy 2.2' 10)" 2.2
same "odd: summary of the ISO-8859-1 commit" "$(nth odd content/policy.md 2 9)" "Café: révision approuvée"
same "odd: author of the ISO-8859-1 commit" "$(nth odd content/policy.md 2 8)" "Zoé Lefèvre"
same "odd: Approved-by of the ISO-8859-1 commit" "$(nth odd content/policy.md 2 12)" \
    "Renée Dubé <renee@example.com>"
same "odd: trailers.md, a folded Approved-by" "$(nth odd content/trailers.md 1 12)" \
    "Fiona Long-Name <fiona@example.com>"
same "odd: trailers.md, a CRLF message's trailers" "$(nth odd content/trailers.md 2 12)/$(nth odd content/trailers.md 2 13)" \
    "Carla/Rex"
same "odd: trailers.md, an empty Approved-by is none" "$(nth odd content/trailers.md 3 12)/$(nth odd content/trailers.md 3 13)" \
    "/Ruth"
same "odd: trailers.md, trailers by git's quarter rule" "$(nth odd content/trailers.md 4 12)" "Quarter Rule"
same "odd: stderr mentions policy.md (an old revision's YAML is no finding)" \
    "$(grep -c 'policy\.md' "$tmp/odd.stderr")" 0
cp "$tmp/odd.dump" "$tmp/odd.first"
build odd "$o"
if cmp -s "$tmp/odd.first" "$tmp/odd.dump"; then pass; else
    fail "odd: a rebuild from the history cache gives other rows"
fi

# ------------------------------------------------------------------ follow
# What counts as the same page (docs/history.md): against git log --follow
# --first-parent itself, and each shape spelt out.
fo=$repos/follow
build follow "$fo"
built follow
against_git follow "$fo"
same "follow: a page deleted and restored goes on through its deletion" \
    "$(field follow content/retention.md 9 commit | tr ' ' '_')" \
    "Retention_1.1_Restore_the_retention_page_Drop_the_retention_page_Small_fixes_to_retention,_acceptable_use_and_suppliers_Start_the_follow_fixture"
same "follow: the deleting commit's row has no version of its own" \
    "$(field follow content/retention.md 10 commit)" "1.1 1.0 3 1.0 1.0"
same "follow: renamed from a name without an extension" \
    "$(field follow content/acceptable-use.md 7 commit)" "2026-02-01 2026-01-12 2026-01-05"
same "follow: renamed from a .txt, front matter added" \
    "$(field follow content/notes.md 7 commit)" "2026-02-01 2026-01-05"
same "follow: renamed to a .txt and back" \
    "$(field follow content/glossary.md 7 commit)" "2026-03-22 2026-03-21 2026-03-20 2026-01-05"
same "follow: an edited copy of a kept page" \
    "$(field follow content/remote-access.md 7 commit)" "2026-04-20 2026-03-01 2026-01-05"
same "follow: a page filled in from _template.md" \
    "$(field follow content/clear-desk.md 7 commit)" "2026-03-10 2026-01-05"
same "follow: a name reused after a rename" "$(field follow content/incident.md 7 commit)" \
    "2026-04-05 2026-04-01 2026-01-05"
same "follow: the renamed page" "$(field follow content/incident-response.md 7 commit)" \
    "2026-04-01 2026-01-05"
same "follow: the deleted file is taken before a kept one more alike" \
    "$(field follow content/vendor-management.md 7 commit)" "2026-04-10 2026-01-05"
same "follow: a commit that only changes a page's mode" \
    "$(field follow content/suppliers.md 9 commit)" \
    "Suppliers: executable by mistake Small fixes to retention, acceptable use and suppliers Start the follow fixture"
cp "$tmp/follow.dump" "$tmp/follow.first"
build follow "$fo"
if cmp -s "$tmp/follow.first" "$tmp/follow.dump"; then pass; else
    fail "follow: a rebuild from the history cache gives other rows"
fi

# ------------------------------------------------------------------ packed
# The same repositories packed by git: the history reads their blobs from
# the pack itself (history_pack.c), through chains of offset deltas; packed
# with deltas by id instead, libgit2 reads them. Either way, the rows git
# gives.
for name in main follow; do
    for how in ofs ref; do
        p=$tmp/packed-$name-$how
        rm -rf "$p"
        cp -a "$repos/$name" "$p"
        if [ "$how" = ofs ]; then
            git -C "$p" repack -adfq --depth=50 --window=50
        else
            git -C "$p" -c repack.usedeltabaseoffset=false repack -adfq
        fi
        git -C "$p" prune-packed
        same "packed $name ($how): loose objects left" \
            "$(git -C "$p" count-objects -v | sed -n 's/^count: //p')" "0"
        build "packed-$name-$how" "$p"
        built "packed-$name-$how"
        against_git "packed-$name-$how" "$p"
    done
done

# A documented difference (docs/history.md): git looks for a copy's source
# in the whole repository, charter in the content directory only. A page of
# policies/content/ copied from templates/ at the top starts at the copy.
t=$repos/outside
mkdir -p "$t/templates" "$t/policies/content" "$t/policies/layouts"
printf 'title: Outside\nchecks:\n  orphan-page: off\n' >"$t/policies/site.yml"
printf '{{CONTENT}}\n' >"$t/policies/layouts/policy.html"
printf -- '---\ntitle: TITLE\nowner: o\nlast_reviewed: 2026-01-01\n---\n\n## Purpose\n\nState why.\n\n## Scope\n\nSay what.\n\n## Review\n\nYearly.\n' \
    >"$t/templates/policy.md"
tg() {
    GIT_AUTHOR_NAME='Eve Example' GIT_AUTHOR_EMAIL=eve@example.com GIT_AUTHOR_DATE=$1 \
        GIT_COMMITTER_NAME='Fixture Bot' GIT_COMMITTER_EMAIL=bot@ci.example GIT_COMMITTER_DATE=$1 \
        git -C "$t" -c commit.gpgsign=false commit -q --no-verify -m "$2"
}
git -C "$t" init -q -b main
git -C "$t" add -A
tg '2026-01-01T10:00:00+00:00' 'A template at the top'
sed 's/^title: TITLE$/title: Clear Desk/' "$t/templates/policy.md" >"$t/policies/content/clear-desk.md"
git -C "$t" add -A
tg '2026-01-02T10:00:00+00:00' 'Clear desk, from the template'
build outside "$t/policies"
built outside
same "outside: a copy of a file outside the content directory starts at the copy" \
    "$(field outside content/clear-desk.md 9 commit)" "Clear desk, from the template"
same "outside: where git goes on into the template" \
    "$(git -C "$t" log --follow --first-parent --format=%s -- policies/content/clear-desk.md | tr '\n' '/')" \
    "Clear desk, from the template/A template at the top/"

# ------------------------------------------------------------------ hostile
# Commits git would not write: charter must build, clamp and fall back.
hs=$repos/hostile
build hostile "$hs"
same "hostile: charter build exit status" "$status" 0
same "hostile: stderr beyond the summary line" "$(grep -v '^built ' "$tmp/hostile.stderr")" ""
# An empty author name or summary comes out of api/pages.json as null.
awk -F '\t' '$1 == "E" && $3 !~ /^row [0-9]+: (author|summary) None is not a string$/ {
    print $2 ": " $3 }' "$tmp/hostile.dump" >"$tmp/hostile.problems"
details "hostile: pages.json breaks the contract's shape" "$tmp/hostile.problems"
same "hostile: policy.md row kinds" "$(field hostile content/policy.md 4)" \
    "commit commit commit commit commit commit commit"
same "hostile: policy.md versions (broken YAML, over 4 MiB: running numbers)" \
    "$(field hostile content/policy.md 10 commit)" "1.6 1.5 1.4 1.3 3 2 1.0"
same "hostile: policy.md dates (a timestamp at INT64_MAX: the last day shown)" \
    "$(field hostile content/policy.md 7 commit)" \
    "2026-02-07 2026-02-06 2026-02-05 9999-12-31 2026-02-03 2026-02-02 2026-02-01"
same "hostile: summary of the empty message" "$(nth hostile content/policy.md 2 9 | sed 's/^\\N$//')" ""
same "hostile: summary in an unknown encoding (raw bytes, repaired)" \
    "$(nth hostile content/policy.md 3 9)" "$(printf 'Caf\357\277\275 in an unknown encoding')"
same "hostile: author of the commit without a name" "$(nth hostile content/policy.md 4 8 | sed 's/^\\N$//')" ""
same "hostile: author with a 0x1f byte" "$(nth hostile content/policy.md 1 8)" "$(printf 'Unit\037Separator')"
same "hostile: Approved-by with a 0x1f byte" "$(nth hostile content/policy.md 1 12)" \
    "$(printf 'Ann\037Bell <ab@example.com>')"
cp "$tmp/hostile.dump" "$tmp/hostile.first"
build hostile "$hs"
if cmp -s "$tmp/hostile.first" "$tmp/hostile.dump"; then pass; else
    fail "hostile: a rebuild from the history cache gives other rows:"
    diff "$tmp/hostile.first" "$tmp/hostile.dump" | sed -n '1,10p' | sed 's/^/    /'
fi

# ------------------------------------------------------------------ rebuilds
# Rebuilds of one site after a new commit, an amend, working tree and staged
# edits and a .mailmap change: the history cache (.git/charter/) must
# follow them all.
c=$repos/cache
git clone -q "$m" "$c"
build cache "$c"
built cache
gc() {
    d=$1
    shift
    GIT_AUTHOR_NAME='Eve Example' GIT_AUTHOR_EMAIL=eve@example.com GIT_AUTHOR_DATE=$d \
        GIT_COMMITTER_NAME='Fixture Bot' GIT_COMMITTER_EMAIL=bot@ci.example GIT_COMMITTER_DATE=$d \
        git -C "$c" -c commit.gpgsign=false commit -q --no-verify "$@"
}
sed 's/^version: .*/version: "1.1"/' "$c/content/access.md" >"$c/access.tmp" && mv "$c/access.tmp" "$c/content/access.md"
gc '2026-09-01T10:00:00+00:00' -a -m 'Access policy 1.1'
build cache "$c"
built cache
against_git cache "$c"
same "cache: access.md versions after a new commit" "$(field cache content/access.md 10 commit)" "1.1 1.0 0.2 0.1"
gc '2026-09-02T10:00:00+00:00' --amend -m 'Access policy 1.1 (amended)'
build cache "$c"
built cache
against_git cache "$c"
same "cache: access.md newest summary after an amend" \
    "$(field cache content/access.md 9 commit | cut -c1-28)" "Access policy 1.1 (amended) "
printf '\nA working tree edit.\n' >>"$c/content/index.md"
build cache "$c"
same "cache: index.md kinds after a working tree edit" "$(field cache content/index.md 4)" "uncommitted commit"
git -C "$c" checkout -q -- content/index.md
build cache "$c"
same "cache: index.md kinds after the edit is undone" "$(field cache content/index.md 4)" "commit"
printf '\nA staged edit.\n' >>"$c/content/index.md"
git -C "$c" add content/index.md
build cache "$c"
same "cache: index.md kinds after a staged edit" "$(field cache content/index.md 4)" "uncommitted commit"
git -C "$c" reset -q --hard
# A new .mailmap entry renames an author in every commit, old ones included:
# names must not come stale from a cache.
printf 'Robert Okafor <bob@example.com>\n' >>"$c/.mailmap"
gc '2026-09-03T10:00:00+00:00' -a -m 'Mailmap: Bob is Robert'
build cache "$c"
built cache
against_git cache "$c"
same "cache: author of an old commit after a .mailmap change" \
    "$(row cache content/access.md 'Add access control policy' 8)" "Robert Okafor"

# A page deleted before the cached HEAD and restored after it: its earlier
# life is in no cached row, so the cache cannot serve it. Then an edited
# copy of a page and a new page, committed after the cache was written.
gone=$(git -C "$c" rev-list -1 HEAD -- content/legacy.md)
git -C "$c" checkout -q "$gone^" -- content/legacy.md
gc '2026-09-04T10:00:00+00:00' -m 'Restore the legacy page'
build cache "$c"
built cache
against_git cache "$c"
same "cache: a page restored after the cached HEAD" "$(field cache content/legacy.md 9 commit)" \
    "Restore the legacy page Remove the legacy systems page Initial site"
sed 's/^title: .*/title: Access Control for Contractors/' "$c/content/access.md" >"$c/content/contractors.md"
printf -- '---\ntitle: Brand New\nowner: o\nlast_reviewed: 2026-09-05\n---\nNothing like any other page.\n' \
    >"$c/content/brand-new.md"
git -C "$c" add content
gc '2026-09-05T10:00:00+00:00' -m 'Contractors, from the access policy; a new page'
build cache "$c"
built cache
against_git cache "$c"
same "cache: a copy made after the cached HEAD" "$(field cache content/contractors.md 10 commit)" \
    "1.1 1.1 1.0 0.2 0.1"

# A corrupt cache, and one written for another content directory, are
# ignored and rebuilt, never trusted.
printf 'charter-history-cache 4\nhead\tnot-an-oid\n' >"$c/.git/charter/history.cache"
build cache "$c"
built cache
against_git cache "$c"
sed 's/^prefix\t.*/prefix\telsewhere\//' "$c/.git/charter/history.cache" >"$tmp/foreign" &&
    cp "$tmp/foreign" "$c/.git/charter/history.cache"
printf 'row\t0\t%040d\t2000-01-01\t0\tForged\x1fforged@example.com\tForged\t-\t\t\n' 0 \
    >>"$c/.git/charter/history.cache"
build cache "$c"
built cache
against_git cache "$c"

# The cache lives in the git directory: the builds above wrote nothing into
# the working tree (the output is outside it), not even an ignored file.
same "cache: the working tree after the builds" "$(git -C "$c" status --porcelain --ignored)" ""
same "cache: written in the git directory" \
    "$(test -f "$c/.git/charter/history.cache" && echo yes)" "yes"
# A symlink where the cache goes is neither read nor written through: it is
# replaced, and its target keeps its bytes.
printf 'not charter\n' >"$tmp/victim"
rm -f "$c/.git/charter/history.cache"
ln -s "$tmp/victim" "$c/.git/charter/history.cache"
build cache "$c"
built cache
against_git cache "$c"
same "cache: the target of a symlinked cache is untouched" "$(cat "$tmp/victim")" "not charter"
same "cache: a symlinked cache is replaced by a file" \
    "$(test -f "$c/.git/charter/history.cache" && ! test -L "$c/.git/charter/history.cache" &&
        echo yes)" "yes"
# The cache directory a symlink: nothing is written through it, a warning.
mkdir "$tmp/elsewhere"
rm -rf "$c/.git/charter"
ln -s "$tmp/elsewhere" "$c/.git/charter"
build cache "$c"
built cache
against_git cache "$c"
same "cache: nothing written through a symlinked cache directory" "$(ls -A "$tmp/elsewhere")" ""
same "cache: the warning for a symlinked cache directory" \
    "$(grep -c "warning: cannot write '.*/charter': it is not a directory \[history\]" \
        "$tmp/cache.stderr")" "1"
rm "$c/.git/charter"

# A .mailmap that is a symlink is not read, as git (2.32 on) does not read
# one: authors stay as committed, as git log's %aN has them.
l=$repos/mailmap-link
git clone -q "$m" "$l"
mv "$l/.mailmap" "$l/mailmap.txt"
ln -s mailmap.txt "$l/.mailmap"
git -C "$l" add -A
GIT_AUTHOR_NAME='Eve Example' GIT_AUTHOR_EMAIL=eve@example.com \
    GIT_AUTHOR_DATE='2026-09-04T10:00:00+00:00' GIT_COMMITTER_NAME='Fixture Bot' \
    GIT_COMMITTER_EMAIL=bot@ci.example GIT_COMMITTER_DATE='2026-09-04T10:00:00+00:00' \
    git -C "$l" -c commit.gpgsign=false commit -q --no-verify -m 'Mailmap as a link'
build mailmap-link "$l"
built mailmap-link
# git says "unable to open mailmap" on stderr each time: only stdout counts.
sh "$here/expected.sh" "$l" >"$tmp/mailmap-link.want" 2>/dev/null
commit_rows mailmap-link >"$tmp/mailmap-link.got"
same_file "mailmap-link: commit rows against git log" "$tmp/mailmap-link.got" \
    "$tmp/mailmap-link.want"
same "mailmap-link: git ignores the linked .mailmap too" \
    "$(git -C "$l" log -1 --format=%aN "$(git -C "$l" rev-list --max-parents=0 HEAD)" 2>/dev/null)" \
    "alice"

# A site whose pages sit at the repository root (content: ., as a Jekyll
# site keeps them), moved there from content/ in one commit: every page's
# history follows the move back into content/, as git log --follow does,
# and nothing outside the pages (site.yml, layouts/) is a page.
r=$repos/root
git clone -q "$m" "$r"
build root-before "$r"
(cd "$r" && git mv content/* .)
printf 'content: .\n' >>"$r/site.yml"
git -C "$r" add -A
GIT_AUTHOR_NAME='Eve Example' GIT_AUTHOR_EMAIL=eve@example.com \
    GIT_AUTHOR_DATE='2026-09-05T10:00:00+00:00' GIT_COMMITTER_NAME='Fixture Bot' \
    GIT_COMMITTER_EMAIL=bot@ci.example GIT_COMMITTER_DATE='2026-09-05T10:00:00+00:00' \
    git -C "$r" -c commit.gpgsign=false commit -q --no-verify -m 'Pages at the root'
# A Hugo section page, committed at the root too.
mkdir -p "$r/hr"
printf -- '---\ntitle: HR\nowner: o\nlast_reviewed: 2026-09-01\nversion: "3"\n---\nPeople.\n' \
    >"$r/hr/_index.md"
git -C "$r" add hr/_index.md
GIT_AUTHOR_NAME='Eve Example' GIT_AUTHOR_EMAIL=eve@example.com \
    GIT_AUTHOR_DATE='2026-09-06T10:00:00+00:00' GIT_COMMITTER_NAME='Fixture Bot' \
    GIT_COMMITTER_EMAIL=bot@ci.example GIT_COMMITTER_DATE='2026-09-06T10:00:00+00:00' \
    git -C "$r" -c commit.gpgsign=false commit -q --no-verify -m 'HR section page'
build root "$r"
built root
same "root: a Hugo section page has its history" "$(field root hr/_index.md 10 commit)" "3"
CONTENT=.
export CONTENT
against_git root "$r"
unset CONTENT
same "root: pages at the root, as in content/ before" \
    "$(awk -F '\t' '$1 == "P" && $2 != "hr/_index.md" { print $2 }' "$tmp/root.dump" | sort |
        tr '\n' ' ')" \
    "$(awk -F '\t' '$1 == "P" { sub(/^content\//, "", $2); print $2 }' "$tmp/root-before.dump" | sort |
        tr '\n' ' ')"
same "root: rows of a page moved to the root" "$(field root access.md 9 commit | cut -c1-17)" \
    "Pages at the root"

# A blob missing from the repository (a damaged or partial clone): the
# build goes on, the row stays, and a warning names the page and the blob.
b=$repos/missing-blob
mkdir -p "$b/content" "$b/layouts"
printf 'title: Missing\nrequired: [title]\nchecks:\n  orphan-page: off\n' >"$b/site.yml"
printf '{{CONTENT}}\n' >"$b/layouts/policy.html"
bg() {
    GIT_AUTHOR_NAME='Eve Example' GIT_AUTHOR_EMAIL=eve@example.com GIT_AUTHOR_DATE=$1 \
        GIT_COMMITTER_NAME='Fixture Bot' GIT_COMMITTER_EMAIL=bot@ci.example GIT_COMMITTER_DATE=$1 \
        git -C "$b" -c commit.gpgsign=false commit -q --no-verify -m "$2"
}
git -C "$b" init -q -b main
printf -- '---\ntitle: P\nversion: "1.0"\n---\nOne.\n' >"$b/content/p.md"
git -C "$b" add -A
bg '2026-01-01T10:00:00+00:00' 'P 1.0'
printf -- '---\ntitle: P\nversion: "2.0"\n---\nTwo.\n' >"$b/content/p.md"
git -C "$b" add -A
bg '2026-02-01T10:00:00+00:00' 'P 2.0'
gone=$(git -C "$b" rev-parse HEAD~1:content/p.md)
rm -f "$b/.git/objects/$(echo "$gone" | cut -c1-2)/$(echo "$gone" | cut -c3-)"
build missing-blob "$b"
built missing-blob
same "missing-blob: both commits still listed" "$(field missing-blob content/p.md 9 commit)" \
    "P 2.0 P 1.0"
same "missing-blob: the newer version is read" "$(nth missing-blob content/p.md 1 10)" "2.0"
# (the build runs in $tmp: the page is named from there)
same "missing-blob: the warning" \
    "$(grep -c "^repos/missing-blob/content/p.md: warning: blob $gone of commit [0-9a-f]\{7\} is missing from the repository" \
        "$tmp/missing-blob.stderr")" "1"

# A repository another user owns: git's ownership check refuses it; charter
# warns, naming safe.directory, and builds without history. Needs root to
# hand the copy to another user; skipped otherwise.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    o="$tmp/owned"
    cp -R "$repos/main" "$o" && chown -R nobody "$o"
    build owned "$o"
    built owned
    if grep -q "safe.directory" "$tmp/owned.stderr"; then pass; else
        fail "owned: no safe.directory advice: $(head -n 2 "$tmp/owned.stderr" | tr '\n' ' ')"
    fi
    same "owned: no history rows" "$(awk -F '\t' '$1 == "R"' "$tmp/owned.dump" | wc -l | tr -d ' ')" "0"
    chown -R "$(id -u)" "$o"
fi

echo "history: $checks checks, $failed failed"
[ "$failed" = 0 ]
