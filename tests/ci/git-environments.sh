#!/bin/sh
# charter in the git checkouts CI jobs make: a shallow clone (actions/checkout's
# default), one made whole later (git fetch --unshallow), a partial clone
# whose blobs arrive later, a checkout owned by another user (a container
# job) trusted by safe.directory in the forms git reads, an index another
# git holds locked, a git directory charter cannot write in, and a work tree
# named by GIT_DIR and GIT_WORK_TREE (a deploy hook). Each shape is what
# a user's CI has; each check failed before the change that made it pass.
# Needs CHARTER; the ownership checks need root (they are skipped without).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-gitenv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"

# A site with an approval gate, three commits: the first approved, the
# second (access.md's version 1.1) and the third (index.md only) not.
src=$tmp/src
mkdir -p "$src/content"
cd "$src" || exit 2
git init -q -b main
git config uploadpack.allowFilter true
printf 'title: T\nevidence:\n  require_approval: true\n' >site.yml
printf -- '---\ntitle: Home\nowner: IT\nlast_reviewed: 2026-01-10\n---\nSee [access](access.md).\n' \
    >content/index.md
printf -- '---\ntitle: Access\nowner: IT\nversion: "1.0"\nlast_reviewed: 2026-01-10\n---\nText.\n' \
    >content/access.md
git add -A
GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
    git commit -q -m "Initial" -m "Approved-by: Boss <b@example.com>"
sed -i 's/version: "1.0"/version: "1.1"/' content/access.md
GIT_AUTHOR_DATE=2026-01-02T00:00:00Z GIT_COMMITTER_DATE=2026-01-02T00:00:00Z \
    git commit -q -am "Access 1.1"
printf 'More.\n' >>content/index.md
GIT_AUTHOR_DATE=2026-01-03T00:00:00Z GIT_COMMITTER_DATE=2026-01-03T00:00:00Z \
    git commit -q -am "Home only" -m "Approved-by: Boss <b@example.com>"
cd "$tmp" || exit 2

# rows OUT URL: the kinds and versions of that page's change table.
rows() {
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1] + "/api/pages.json"))
print(" ".join("%s:%s" % (h["kind"], h.get("version") or "") for p in d["pages"]
               if p["url"] == sys.argv[2] for h in p["history"]))' "$1" "$2"
}

# --- a shallow clone of depth 1: its one commit, HEAD, "adds" every file.
git clone -q --depth 1 "file://$src" "$tmp/shallow"
cd "$tmp/shallow" || exit 2
"$CHARTER" check --as-of 2026-02-01 >"$tmp/shallow-check.txt" 2>&1
status=$?
check "shallow: check warns that the history it gates is cut short" \
    grep -q "shallow clone.*\[history\]" "$tmp/shallow-check.txt"
check "shallow: check exits 0 without --strict (no finding but the warning)" test $status = 0
"$CHARTER" check --as-of 2026-02-01 --strict >/dev/null 2>&1
check "shallow: check --strict fails on it" test $? = 1
"$CHARTER" build --as-of 2026-02-01 --quiet --out "$tmp/o-shallow" 2>/dev/null
# The boundary commit changed index.md only; whether it changed access.md
# is unknown without its parent: no row of either page claims it.
check "shallow: the boundary commit is no row of a page it may not have changed" \
    test "$(rows "$tmp/o-shallow" /access/)" = "truncated:"
check "shallow: nor of the page it did change (unknown without its parent)" \
    test "$(rows "$tmp/o-shallow" /)" = "truncated:"
"$CHARTER" build --as-of 2026-02-01 --out "$tmp/o-shallow2" >"$tmp/shallow-again.txt" 2>&1
check "shallow: a second build (another output) still warns" \
    grep -q "shallow clone.*\[history\]" "$tmp/shallow-again.txt"
"$CHARTER" check --at HEAD~1 --as-of 2026-02-01 >"$tmp/shallow-at.txt" 2>&1
check "shallow: --at an older commit says the clone is shallow, and how to fetch the rest" \
    grep -q "is a shallow clone, whose older commits are not here: 'git fetch --unshallow'" \
    "$tmp/shallow-at.txt"
"$CHARTER" diff --as-of 2026-02-01 HEAD~1 >"$tmp/shallow-diff.txt" 2>&1
check "shallow: diff from an older commit too" \
    grep -q "unknown revision 'HEAD~1' (the repository is a shallow clone" "$tmp/shallow-diff.txt"
git fetch -q --unshallow
"$CHARTER" build --as-of 2026-02-01 --quiet --no-check --out "$tmp/o-whole" 2>"$tmp/whole.txt"
check "unshallowed: the next build has the whole history, not a cached cut one" \
    test "$(rows "$tmp/o-whole" /access/)" = "commit:1.1 commit:1.0"
check "unshallowed: and no history warning" sh -c "! grep -q '\[history\]' '$tmp/whole.txt'"
"$CHARTER" check --as-of 2026-02-01 >"$tmp/whole-check.txt" 2>&1
check "unshallowed: check finds the unapproved change" \
    grep -q "has no approval evidence.*unapproved-change" "$tmp/whole-check.txt"
cd "$tmp" || exit 2

# --- a partial clone without blobs: versions unknown until they arrive.
git clone -q --filter=blob:none "file://$src" "$tmp/partial"
cd "$tmp/partial" || exit 2
"$CHARTER" build --as-of 2026-02-01 --quiet --no-check --out "$tmp/o-partial" 2>/dev/null
git log -p >/dev/null 2>&1 # fetches every blob
"$CHARTER" build --as-of 2026-02-01 --quiet --no-check --out "$tmp/o-partial2" 2>/dev/null
check "partial: once the blobs are there, the versions are read, not the cache's" \
    test "$(rows "$tmp/o-partial2" /access/)" = "commit:1.1 commit:1.0"
cd "$tmp" || exit 2

# --- an index locked (a git running, or one that crashed) whose stat data
# is stale: the edited page is still marked uncommitted (the status pass,
# which asks to refresh the index, failed and said nothing).
git clone -q "file://$src" "$tmp/locked"
cd "$tmp/locked" || exit 2
touch -d '2026-03-01 00:00:00' content/index.md
printf 'Edited, not committed.\n' >>content/access.md
touch .git/index.lock
"$CHARTER" build --as-of 2026-02-01 --quiet --no-check --out "$tmp/o-locked" 2>/dev/null
check "index.lock: the edited page is marked uncommitted" \
    grep -q "Uncommitted changes" "$tmp/o-locked/access/index.html"
check "index.lock: the lock is left as it was" test -f .git/index.lock
rm -f .git/index.lock
cd "$tmp" || exit 2

# --- a git directory charter cannot write its caches in (a read-only
# checkout; here .git/charter is a file): one warning, not one per cache,
# and serve builds into a temporary folder (it refused to start).
git clone -q "file://$src" "$tmp/readonly"
cd "$tmp/readonly" || exit 2
printf 'not a folder\n' >.git/charter
"$CHARTER" build --as-of 2026-02-01 --no-check --out "$tmp/o-readonly" >/dev/null 2>"$tmp/readonly.txt"
status=$?
check "cannot write the caches: the build succeeds" test $status = 0
check "cannot write the caches: one warning" \
    test "$(grep -c 'building without the build caches' "$tmp/readonly.txt")" = 1
check "cannot write the caches: and no other about them" \
    test "$(grep -c "cannot" "$tmp/readonly.txt")" = 1
"$CHARTER" serve --port 0 --as-of 2026-02-01 --no-check >"$tmp/serve.out" 2>"$tmp/serve.txt" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q "serving" "$tmp/serve.txt" "$tmp/serve.out" 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
done
kill $pid 2>/dev/null
wait $pid 2>/dev/null
check "cannot write the caches: serve starts, in a temporary folder" \
    grep -q "building into a temporary folder instead" "$tmp/serve.txt"
check "cannot write the caches: serve served" grep -q "serving" "$tmp/serve.txt" "$tmp/serve.out"
check "cannot write the caches: .git/charter is left as it was" \
    test "$(cat .git/charter)" = "not a folder"
cd "$tmp" || exit 2

# --- the content in a submodule: its history is its own repository's,
# its edits in no status of the superproject's. HEAD~1 said nothing, gave
# the pages no history and called an uncommitted edit in it clean.
mkdir -p "$tmp/super"
git -C "$tmp/super" init -q -b main
git -C "$tmp/super" -c protocol.file.allow=always submodule add -q "file://$src" pol
printf 'title: T\ncontent: pol/content\n' >"$tmp/super/site.yml"
git -C "$tmp/super" add -A
git -C "$tmp/super" commit -q -m "The policies as a submodule"
printf 'Edited in the submodule.\n' >>"$tmp/super/pol/content/index.md"
(cd "$tmp/super" && "$CHARTER" build --as-of 2026-02-01 --no-check --out "$tmp/o-super" \
    >/dev/null 2>"$tmp/super.txt")
check "submodule: a warning says the pages get no history, and why" \
    grep -q "the content directory is in 'pol', a git submodule" "$tmp/super.txt"
check "submodule: manifest.json does not call it clean" \
    grep -q '"clean": false' "$tmp/o-super/manifest.json"

# --- GIT_DIR and GIT_WORK_TREE, as a deploy hook sets them.
git init -q --bare "$tmp/bare.git"
git -C "$src" push -q "$tmp/bare.git" main
mkdir "$tmp/deploy"
GIT_DIR=$tmp/bare.git GIT_WORK_TREE=$tmp/deploy git checkout -q -f main
cd "$tmp/deploy" || exit 2
GIT_DIR=$tmp/bare.git GIT_WORK_TREE=$tmp/deploy \
    "$CHARTER" build --as-of 2026-02-01 --quiet --no-check --out "$tmp/o-deploy" 2>"$tmp/deploy.txt"
check "GIT_DIR: the pages have their history" \
    test "$(rows "$tmp/o-deploy" /access/)" = "commit:1.1 commit:1.0"
check "GIT_DIR: and no 'not in a git repository' warning" sh -c "! grep -q 'git repository' '$tmp/deploy.txt'"
cd "$tmp" || exit 2

# --- a checkout another user owns (root here, the files another uid's).
if [ "$(id -u)" = 0 ]; then
    git clone -q "file://$src" "$tmp/owned"
    chown -R 54321:54321 "$tmp/owned"
    cd "$tmp/owned" || exit 2
    "$CHARTER" check --as-of 2026-02-01 >"$tmp/owned.txt" 2>&1
    check "owned: check warns that git refuses it, naming the path to trust" \
        grep -qF "safe.directory $tmp/owned'" "$tmp/owned.txt"
    for how in star global count; do
        rm -f "$HOME/.gitconfig" "$tmp/global"
        case $how in
        star) git config --global safe.directory '*' ;;
        global) printf '[safe]\n\tdirectory = %s\n' "$tmp/owned" >"$tmp/global" ;;
        esac
        if [ $how = global ]; then
            GIT_CONFIG_GLOBAL=$tmp/global "$CHARTER" check --as-of 2026-02-01 >"$tmp/owned.txt" 2>&1
        elif [ $how = count ]; then
            GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0=$tmp/owned \
                "$CHARTER" check --as-of 2026-02-01 >"$tmp/owned.txt" 2>&1
        else
            "$CHARTER" check --as-of 2026-02-01 >"$tmp/owned.txt" 2>&1
        fi
        check "owned, trusted ($how): the history is read and the gate applies" \
            grep -q "has no approval evidence.*unapproved-change" "$tmp/owned.txt"
    done
    rm -f "$HOME/.gitconfig"
    cd "$tmp" || exit 2
    chown -R 0:0 "$tmp/owned"
    # GIT_DIR names the repository: git does not check its owner then
    # (HEAD~1 refused it, and advised trusting '.').
    chown -R 54321:54321 "$tmp/bare.git"
    (cd "$tmp/deploy" && GIT_DIR=$tmp/bare.git GIT_WORK_TREE=$tmp/deploy \
        "$CHARTER" build --as-of 2026-02-01 --quiet --no-check --out "$tmp/o-deploy-owned" \
        2>"$tmp/deploy-owned.txt")
    chown -R 0:0 "$tmp/bare.git"
    check "GIT_DIR owned by another user: read, as git reads it" \
        test "$(rows "$tmp/o-deploy-owned" /access/)" = "commit:1.1 commit:1.0"
    # A page the job's user cannot read (a checkout of 0600 files another
    # uid owns): an IO error, exit 2, as an unreadable folder is (HEAD~1:
    # exit 1, as if it were a finding of the page's).
    git clone -q "file://$src" "$tmp/unreadable"
    chmod 755 "$tmp" && chmod 600 "$tmp/unreadable/content/access.md"
    chown -R 65534:65534 "$tmp/unreadable" && chown 0:0 "$tmp/unreadable/content/access.md"
    for cmd in check build; do
        (cd "$tmp/unreadable" && setpriv --reuid 65534 --regid 65534 --clear-groups \
            env HOME=/nonexistent "$CHARTER" $cmd --as-of 2026-02-01 \
            >/dev/null 2>"$tmp/unreadable-$cmd.txt")
        check "an unreadable page: $cmd exits 2" sh -c "test $? = 2 &&
            grep -q \"cannot read 'content/access.md': Permission denied \\[io\\]\" '$tmp/unreadable-$cmd.txt'"
    done
    chmod 700 "$tmp"
else
    ok "# SKIP ownership checks (not root)"
fi

if [ "$failed" = 0 ]; then
    echo "git-environments: all $n passed"
else
    echo "git-environments: $failed of $n failed"
    exit 1
fi
