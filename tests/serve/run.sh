#!/bin/sh
# `charter serve` through a real HTTP client (curl), against a server on a
# free loopback port serving a git copy of the example site: what it
# answers and with which headers, every safety point of issue 13 (Host
# names, paths that leave the output, links in it, oversized requests, a
# thousand idle connections), a rebuild after an edit seen on the event
# stream, a failed build that keeps the last good one served with its
# errors on the overlay, a clean stop on Ctrl-C (SIGINT) that keeps its
# private build for the next server, which starts from it, and outside git
# leaves nothing behind; rebuilds of the site it kept (a commit, a page's
# body saved) equal to a cold build's, on the example site and on the
# fixture repositories of tests/repos/.
#
#   CHARTER=$PWD/build/charter sh tests/serve/run.sh
#
# Prints `ok N - what` or `not ok N - what` per check, then a summary;
# exits 1 when any check failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-serve-test.XXXXXX")
pid=
events=
cleanup() {
    [ -z "$events" ] || kill "$events" 2>/dev/null
    [ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"
site=$tmp/site
example_repo "$site"

# start ARGS...: starts charter serve in $site on a free port; sets $pid,
# $port, $u (the base URL). Waits up to 60 s (a loaded machine runs other suites beside it) for its "serving" line.
start() {
    # Emptied here, not only by the background job's redirection: the loop
    # below could read the last server's "serving" line (its port) before
    # that job ran, and a loaded machine made that happen.
    : >"$tmp/serve.log"
    (cd "$site" && exec "$CHARTER" serve --port 0 --as-of 2026-11-25 "$@") >"$tmp/serve.log" 2>&1 &
    pid=$!
    i=0
    while [ $i -lt 600 ]; do
        port=$(sed -n 's|^serving .* at http://[^ ]*:\([0-9][0-9]*\)/.*|\1|p' "$tmp/serve.log")
        [ -z "$port" ] || break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    u=http://127.0.0.1:$port
}
# stop: SIGINT, as Ctrl-C; the status in $stopped (or "hung"). A
# sanitizer's report in the server's log (make test-san) is counted in
# $reported, checked at the end, and shown.
reported=0
stop() {
    kill -INT "$pid" 2>/dev/null
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        stopped=hung
        kill -KILL "$pid"
    else
        wait "$pid"
        stopped=$?
    fi
    pid=
    if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$tmp/serve.log"; then
        reported=$((reported + 1))
        grep -E -A30 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$tmp/serve.log" | head -n 60 >&2
    fi
}
# code URL [curl options...]: the status code of a GET.
code() {
    url=$1
    shift
    curl -s -o "$tmp/body" -D "$tmp/headers" --path-as-is --max-time 10 -w '%{http_code}' "$@" "$url"
}
header() { # header NAME: its value in the last answer
    tr -d '\r' <"$tmp/headers" | sed -n "s/^$1: //Ip" | head -n 1
}
# expect_code WHAT WANT URL [curl options...]
expect_code() {
    what=$1 want=$2
    shift 2
    got=$(code "$@")
    if [ "$got" = "$want" ]; then ok "$what ($want)"; else not_ok "$what: $got, not $want" "$(head -c 300 "$tmp/body")"; fi
}
# wait_for FILE PATTERN: up to 15 s.
wait_for() {
    i=0
    while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 150 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    grep -q "$2" "$1" 2>/dev/null
}

start
if [ -n "$port" ]; then ok "it starts and says where it serves"; else
    not_ok "it starts and says where it serves" "$(cat "$tmp/serve.log")"
    echo "1..$n"
    echo "serve: $n checks, $failed failed"
    exit 1
fi
check "it listens on 127.0.0.1 only" grep -q "at http://127.0.0.1:$port/" "$tmp/serve.log"
# Started again with malloc's huge pages asked for (generator/heap.c), by
# the binary's own path: same pid, same name. Not in a sanitizer's build.
check "it keeps its name (ps, pgrep)" test "$(cat /proc/$pid/comm)" = "$(basename "$CHARTER" | cut -c1-15)"
if ldd "$CHARTER" 2>/dev/null | grep -q 'lib[at]san'; then
    ok "it started again with malloc's huge pages asked for # SKIP a sanitizer's build"
else
    check "it started again with malloc's huge pages asked for" \
        sh -c "tr '\\0' '\\n' </proc/$pid/environ | grep -q '^GLIBC_TUNABLES=glibc.malloc.hugetlb=1\$'"
fi
check "the site's output folder is not written" test ! -e "$site/_site"

expect_code "the home page" 200 "$u/"
check "  as HTML" test "$(header Content-Type)" = "text/html; charset=utf-8"
check "  not cached without asking (Cache-Control: no-cache)" test "$(header Cache-Control)" = no-cache
check "  with an ETag and a Last-Modified date" sh -c "[ -n '$(header ETag)' ] && [ -n '$(header Last-Modified)' ]"
check "  with the banner and the reload script, no inline script" \
    sh -c "grep -q '<script src=\"/_charter/reload.js\"></script></body>' '$tmp/body' && grep -q 'id=\"charter-serve\"' '$tmp/body' && ! grep -q '<script>' '$tmp/body'"
etag=$(header ETag)
expect_code "the same ETag again: Not Modified" 304 "$u/" -H "If-None-Match: $etag"
expect_code "HEAD" 200 "$u/" -I
check "  without a body" sh -c "! grep -q '<html' '$tmp/body'"
expect_code "POST is refused" 405 "$u/" -X POST -d x=1
check "  naming what is allowed" test "$(header Allow)" = "GET, HEAD"
expect_code "PUT is refused" 405 "$u/" -X PUT -d x=1
expect_code "a missing page" 404 "$u/no/such/page/"
check "  is the site's 404 page" grep -q 'Page not found' "$tmp/body"
expect_code "a stylesheet" 200 "$u/assets/style.css"
check "  as CSS" test "$(header Content-Type)" = "text/css; charset=utf-8"
expect_code "the search index" 200 "$u/search.json"
check "  as JSON" test "$(header Content-Type)" = "application/json"
expect_code "a folder without its slash is redirected" 301 "$u/people"
check "  to the folder" test "$(header Location)" = /people/
# "//people" sent Location: //people/, which a browser reads as the host
# "people": any page could send an editor through the preview elsewhere.
expect_code "a folder named after two slashes is redirected" 301 "$u//people"
check "  to the folder on this server, not to another host" test "$(header Location)" = /people/
expect_code "the reload script" 200 "$u/_charter/reload.js"
check "  as JavaScript" test "$(header Content-Type)" = "text/javascript; charset=utf-8"
expect_code "the findings overlay" 200 "$u/_charter/"

# DNS rebinding: the Host header must be a name of this server.
expect_code "Host: another name" 400 "$u/" -H "Host: attacker.example:$port"
expect_code "Host: another name without a port" 400 "$u/" -H "Host: attacker.example"
expect_code "Host: localhost at the port" 200 "$u/" -H "Host: localhost:$port"
expect_code "Host: 127.0.0.1 at another port" 400 "$u/" -H "Host: 127.0.0.1:1"

# Paths that leave the output: 400 or 404, never a file outside.
for p in '/../../../../etc/passwd' '/%2e%2e/%2e%2e/%2e%2e/etc/passwd' '/assets%2f..%2f..%2fsite.yml' \
    '/..%5c..%5c..%5cetc%5cpasswd' '/%252e%252e/%252e%252e/etc/passwd' '/index.html%00.txt' \
    '/.%2e/.%2e/site.yml' '/assets/../../site.yml'; do
    got=$(code "$u$p")
    if { [ "$got" = 400 ] || [ "$got" = 404 ]; } && ! grep -q -e 'root:' -e '^title:' "$tmp/body"; then
        ok "'$p' gets $got"
    else
        not_ok "'$p' gets $got" "$(head -c 200 "$tmp/body")"
    fi
done
# A link inside the output is not followed (the served build is in site/).
served=$site/.git/charter/serve/site
check "the build is served from .git/charter/serve/site" test -f "$served/index.html"
# Idle after its first build, it made the spare tree (the site linked, in
# the build cache) that the next build writes over instead of making every
# folder and link anew.
spare=$(ls -d "$site"/.git/charter/output-*.spare 2>/dev/null | head -n 1)
check "the first build's spare tree is made, its files the served ones" \
    sh -c "[ -n '$spare' ] && [ \"\$(stat -c %i '$served/index.html')\" = \"\$(stat -c %i '$spare/index.html')\" ]"
ln -s /etc/passwd "$served/leak.txt"
ln -s "$site" "$served/up"
expect_code "a link to a file outside, inside the output" 404 "$u/leak.txt"
expect_code "a link to a folder outside, inside the output" 404 "$u/up/site.yml"
rm -f "$served/leak.txt" "$served/up"

long=$(printf '%040000d' 0)
expect_code "a 40,000-byte URL" 414 "$u/$long"
expect_code "a 40,000-byte header" 431 "$u/" -H "X-Big: $long"

# A thousand idle connections (opened, nothing sent) must not stop it.
cat >"$tmp/idle.py" <<'PY'
import socket, sys, time, os
port = int(sys.argv[1])
conns = []
for _ in range(1000):
    s = socket.socket()
    s.connect(("127.0.0.1", port))
    conns.append(s)
open(sys.argv[2], "w").write("open\n")
time.sleep(float(sys.argv[3]))
PY
python3 "$tmp/idle.py" "$port" "$tmp/idle.ready" 8 &
idle=$!
wait_for "$tmp/idle.ready" open
expect_code "an answer with 1,000 idle connections open" 200 "$u/" --max-time 5
kill "$idle" 2>/dev/null
wait "$idle" 2>/dev/null

# An edit: rebuilt, published, announced on the event stream.
curl -s -N --max-time 60 "$u/_charter/events" >"$tmp/events" 2>/dev/null &
events=$!
if wait_for "$tmp/events" '^data: 1$'; then ok "the event stream names the build on connecting"; else
    not_ok "the event stream names the build on connecting" "$(cat "$tmp/events")"
fi
printf '\nA sentence added while serving.\n' >>"$site/content/about.md"
if wait_for "$tmp/events" '^data: 2$'; then ok "an edit is rebuilt and announced (event: build)"; else
    not_ok "an edit is rebuilt and announced (event: build)" "$(cat "$tmp/events"; tail -n 5 "$tmp/serve.log")"
fi
code "$u/about/" >/dev/null
check "  and served" grep -q 'A sentence added while serving.' "$tmp/body"

# Requests while a rebuild runs get the last complete build, whole: with
# 1,500 more pages a rebuild takes a while; every answer during it is 200
# with the page as it was or as it is now, never a missing file.
mkdir -p "$site/content/bulk"
i=0
while [ $i -lt 1500 ]; do
    printf -- '---\ntitle: Bulk %d\n---\n\nText %d.\n' $i $i >"$site/content/bulk/b$i.md"
    i=$((i + 1))
done
if wait_for "$tmp/events" '^data: 3$'; then ok "1,500 pages added: rebuilt"; else
    not_ok "1,500 pages added: rebuilt" "$(tail -n 5 "$tmp/serve.log")"
fi
printf '\nA second sentence.\n' >>"$site/content/about.md"
: >"$tmp/during"
i=0
while [ $i -lt 60 ] && ! grep -q '^data: 4$' "$tmp/events"; do
    c=$(curl -s -o "$tmp/page" -w '%{http_code}' --max-time 5 "$u/about/")
    if [ "$c" = 200 ] && grep -q 'A sentence added while serving.' "$tmp/page"; then
        echo ok >>"$tmp/during"
    else
        echo "$c" >>"$tmp/during"
    fi
    i=$((i + 1))
done
check "every answer during the rebuild was whole ($(wc -l <"$tmp/during") requests)" \
    sh -c "[ -s '$tmp/during' ] && ! grep -v '^ok$' '$tmp/during'"
wait_for "$tmp/events" '^data: 4$'
rm -rf "$site/content/bulk"
if wait_for "$tmp/events" '^data: 5$'; then ok "the pages removed: rebuilt"; else not_ok "the pages removed: rebuilt"; fi
git -C "$site" checkout -q -- content/about.md
printf '\nA sentence added while serving.\n' >>"$site/content/about.md"
if wait_for "$tmp/events" '^data: 6$'; then ok "back to the first edit"; else not_ok "back to the first edit"; fi

# A failed build: the last good one stays, with the errors shown.
printf '\n[a broken link](missing-page.md)\n' >>"$site/content/about.md"
if wait_for "$tmp/events" '^data: 7$'; then ok "a failed build is announced"; else
    not_ok "a failed build is announced" "$(cat "$tmp/events"; tail -n 5 "$tmp/serve.log")"
fi
expect_code "the last good build is still served" 200 "$u/about/"
check "  with its text" grep -q 'A sentence added while serving.' "$tmp/body"
check "  and a banner saying the build failed" grep -q 'The last build failed (1 error)' "$tmp/body"
code "$u/_charter/" >/dev/null
check "the overlay lists the error at its line" \
    grep -q 'content/about.md:[0-9]*:[0-9]*</code> <strong>error</strong>: link' "$tmp/body"
check "  with how to fix it" grep -q 'Fix: Point the link at an existing page' "$tmp/body"
git -C "$site" checkout -q -- content/about.md
if wait_for "$tmp/events" '^data: 8$'; then ok "the fix is rebuilt"; else not_ok "the fix is rebuilt"; fi
code "$u/about/" >/dev/null
check "  and the page is as committed again" sh -c "! grep -q 'A sentence added while serving' '$tmp/body'"

(cd "$site" && "$CHARTER" serve --port 0 --as-of 2026-11-25) >"$tmp/second.log" 2>&1
second=$?
check "a second server for the same site is refused (exit 2)" \
    sh -c "[ $second = 2 ] && grep -q \"another 'charter serve' is serving this site\" '$tmp/second.log'"
expect_code "  and the first still answers" 200 "$u/"

stop
check "Ctrl-C stops it, exit 0" test "$stopped" = 0
check "  saying so" grep -q '^stopped$' "$tmp/serve.log"
check "  ending the event stream" sh -c "sleep 0.5; ! kill -0 $events 2>/dev/null"
events=
check "  keeping its build for the next server" test -f "$served/index.html"
check "  and nothing else in its folder but the lock" \
    sh -c "[ \"\$(ls -A '$site/.git/charter/serve' | tr '\n' ' ')\" = 'lock site ' ]"
check "  and leaving the site as it was" test -z "$(git -C "$site" status --porcelain)"

# Elsewhere than this machine: said so. A server started again starts from
# the last one's build: with nothing changed, at once.
start --bind 0.0.0.0
check "--bind 0.0.0.0 warns that others can read the site" \
    grep -q 'warning: listening on 0.0.0.0, not on this machine only' "$tmp/serve.log"
check "a server started again with nothing changed builds nothing" \
    grep -q '^built [0-9]* pages in .* (nothing changed)$' "$tmp/serve.log"
expect_code "  and serves the site" 200 "$u/about/"
stop

# A site that already has findings: shown as build --no-check publishes it,
# its errors in the banner, and each edit still shows.
printf '\n[an old broken link](no-such-page.md)\n' >>"$site/content/about.md"
start
expect_code "a site with an error from before is still shown" 200 "$u/about/"
check "  the banner says so" grep -q 'This build has 1 error, shown anyway' "$tmp/body"
curl -s -N --max-time 30 "$u/_charter/events" >"$tmp/events2" 2>/dev/null &
events=$!
wait_for "$tmp/events2" '^data: 1$'
printf '\nAn edit of a site with an error.\n' >>"$site/content/about.md"
if wait_for "$tmp/events2" '^data: 2$'; then ok "  an edit is rebuilt"; else not_ok "  an edit is rebuilt"; fi
code "$u/about/" >/dev/null
check "  and shown, though the site still has the error" grep -q 'An edit of a site with an error.' "$tmp/body"
kill "$events" 2>/dev/null
events=
stop
git -C "$site" checkout -q -- content/about.md

# One save, one build: the builds leave git's index alone (a refresh of
# its stat data, which git status makes, was a write serve saw and built
# again for), and a commit on a branch named feature/x (its ref a file in
# refs/heads/feature/, which was not watched) is built.
start
curl -s -N --max-time 60 "$u/_charter/events" >"$tmp/events3" 2>/dev/null &
events=$!
wait_for "$tmp/events3" '^data: 1$'
cp "$site/content/about.md" "$tmp/about.orig"
printf '\nOne save.\n' >>"$site/content/about.md"
wait_for "$tmp/events3" '^data: 2$'
cat "$tmp/about.orig" >"$site/content/about.md" # undone by hand: the index's stat is stale
wait_for "$tmp/events3" '^data: 3$'
sleep 2
check "an edit and its undoing: two builds, no third for the index" \
    sh -c "! grep -q '^data: 4$' '$tmp/events3'"
git -C "$site" checkout -q -b feature/x
sleep 1
printf '\nOn a branch with a slash.\n' >>"$site/content/about.md"
wait_for "$tmp/events3" '^data: 4$'
# The commit's objects and index first, the branch's ref a moment later
# (a slow commit hook, a passphrase): only the ref's change is left to see.
git -C "$site" add content/about.md
tree=$(git -C "$site" write-tree)
commit=$(git -C "$site" commit-tree "$tree" -p HEAD -m "On feature/x")
sleep 1.5
n_mid=$(grep -c '^data:' "$tmp/events3")
git -C "$site" update-ref refs/heads/feature/x "$commit"
if wait_for "$tmp/events3" "^data: $((n_mid + 1))\$"; then
    ok "a commit on feature/x is built"
else
    not_ok "a commit on feature/x is built" "$(tail -n 3 "$tmp/serve.log")"
fi
code "$u/about/" >/dev/null
check "  and the page says it is built from it" \
    grep -q "$(git -C "$site" rev-parse --short=7 "$commit")" "$tmp/body"
kill "$events" 2>/dev/null
events=
stop
git -C "$site" checkout -q main
git -C "$site" branch -q -D feature/x

# A save seen by the server is a source changed: its build does not check
# the stamp (CHARTER_TIMINGS prints each build's stages, and says so). A
# change only in git's folder (a new branch) is no file of the site
# written: the stamp is checked, and holds.
export CHARTER_TIMINGS=1
start
curl -s -N --max-time 60 "$u/_charter/events" >"$tmp/events4" 2>/dev/null &
events=$!
wait_for "$tmp/events4" '^data: 1$'
printf '\nA save for the stamp.\n' >>"$site/content/about.md"
wait_for "$tmp/events4" '^data: 2$'
if grep -q 'timings: .*the stamp known not to hold, not checked' "$tmp/serve.log"; then
    ok "a save: its build is told the stamp does not hold"
else
    not_ok "a save: its build is told the stamp does not hold" "$(grep -o "; the .*" "$tmp/serve.log")"
fi
# Its private folder, which nothing else writes, is taken as its last
# build left it: the previous site is not stat-ed file by file. Touched
# since (here its manifest: a build of another charter would replace it),
# it is verified, and the page is served as edited either way.
if grep -q 'timings: .*the previous site taken as this server left it' "$tmp/serve.log"; then
    ok "a save: the private folder taken as the server left it"
else
    not_ok "a save: the private folder taken as the server left it" "$(grep -o "; the .*" "$tmp/serve.log")"
fi
# What it reads first of that folder (its manifests and caches) it read
# while it waited for the save.
check "  its manifests and caches read while it waited" \
    grep -q 'timings: .*4 of the output.s manifests and caches read while it waited' "$tmp/serve.log"
# A server goes on after a build: it frees its model, which charter build
# leaves to its exit.
check "  its model freed, not left to an exit" \
    sh -c "! grep -q 'timings: .*the model left' '$tmp/serve.log'"
touch "$site/.git/charter/serve/site/.charter-manifest"
printf '\nA save after the folder was touched.\n' >>"$site/content/about.md"
wait_for "$tmp/events4" '^data: 3$'
check "  touched since: its next build stats it" \
    test "$(grep -c 'timings: .*the previous site taken as this server left it' "$tmp/serve.log")" = 1
check "  ... and serves the page as edited" \
    sh -c "curl -s '$u/about/' | grep -q 'A save after the folder was touched'"
# A commit moves HEAD, and the stamp names the commit the site was built
# from: that build does not check it either.
n_stale=$(grep -c 'timings: .*the stamp known not to hold' "$tmp/serve.log")
git -C "$site" commit -q -m "A commit while serving" content/about.md
head7=$(git -C "$site" rev-parse --short=7 HEAD)
i=0
until curl -s "$u/about/" | grep -q "$head7" || [ $i -ge 600 ]; do
    sleep 0.1
    i=$((i + 1))
done
check "a commit: its build is told the stamp does not hold" \
    test "$(grep -c 'timings: .*the stamp known not to hold' "$tmp/serve.log")" -gt "$n_stale"
git -C "$site" branch -q elsewhere
wait_for "$tmp/serve.log" '^rebuilt .*(nothing changed)$'
check "  a new branch: the stamp is checked, and holds" \
    grep -q '^rebuilt .*(nothing changed)$' "$tmp/serve.log"
kill "$events" 2>/dev/null
events=
stop
unset CHARTER_TIMINGS
git -C "$site" branch -q -D elsewhere
git -C "$site" reset -q HEAD~1
git -C "$site" checkout -q -- content/about.md

# What the server builds, edit after edit, is what a cold build makes of
# the same files: a save, a new page, its removal, a layout's change, a
# commit, a save. Its rebuilds take its private folder as it left it
# (above), so a file it reused wrongly would show here. The commit changes
# nothing of the site's files: its build takes the site the last build
# loaded, and shows what that load reported (a misspelt setting of
# site.yml); the last save changes a page's body alone: that page is read
# again into the site kept, though site.yml's defaults add to its front
# matter as it is loaded.
orig=$(git -C "$site" rev-parse HEAD)
printf 'descripton: x\ndefaults:\n  - scope: {path: governance}\n    values: {department: Governance}\n' >>"$site/site.yml"
export CHARTER_TIMINGS=1
start
built=$(grep -c '^rebuilt\|^built' "$tmp/serve.log")
# rebuilt_after [LINES]: waits for the rebuild that follows a change: one
# more of the log's lines LINES matches (by default the builds' reports; a
# site with findings, served as --no-check would publish it, reports
# "build failed: ...").
rebuilt_after() {
    built=$((built + 1))
    i=0
    while [ "$(grep -c "${1:-^rebuilt\|^built}" "$tmp/serve.log")" -lt "$built" ] && [ $i -lt 300 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    sleep 0.3
}
# served_as_cold WHAT [LINES]: with the server stopped, what it served
# must be what a cold build of the same files serves: a server's first
# build, without any cache (its report one of the log's LINES).
served_as_cold() {
    cp -R "$site/.git/charter/serve/site" "$tmp/served"
    rm -rf "$site/.git/charter"
    start
    wait_for "$tmp/serve.log" "${2:-^built}"
    stop
    check "$1" diff -r "$tmp/served" "$site/.git/charter/serve/site"
    rm -rf "$tmp/served"
}
printf '\nA sentence saved while serving.\n' >>"$site/content/governance/risk-management.md"
rebuilt_after
sed 's|^title: .*|title: About us, again|; s|^permalink: .*|permalink: /about-again/|' \
    "$site/content/about.md" >"$site/content/about-again.md"
rebuilt_after
rm "$site/content/about-again.md"
rebuilt_after
printf '<!-- a layout saved while serving -->\n' >>"$site/layouts/default.html"
rebuilt_after
git -C "$site" add -A
git -C "$site" commit -q -m "Saved while serving"
rebuilt_after
check "a commit: its build takes the site the last build loaded" \
    grep -q 'timings: .*the site kept from the last build, not walked nor loaded again' "$tmp/serve.log"
code "$u/_charter/" >/dev/null
check "  and shows what that build's load reported" \
    grep -q "site.yml:[0-9]*:[0-9]*</code> <strong>warning</strong>: unknown setting .*descripton" "$tmp/body"
check "  its registers name the commit" \
    sh -c "curl -s '$u/soa/' | grep -q \"$(git -C "$site" rev-parse --short=7 HEAD)\""
kept=$(grep -c 'timings: .*the site kept from the last build' "$tmp/serve.log")
printf '\nA sentence saved after the commit.\n' >>"$site/content/governance/risk-management.md"
rebuilt_after
check "a save of a page's body: its build takes the site kept, the page read again" \
    test "$(grep -c 'timings: .*the site kept from the last build' "$tmp/serve.log")" = $((kept + 1))
check "  and serves the page as saved" \
    sh -c "curl -s '$u/governance/risk-management/' | grep -q 'A sentence saved after the commit'"
stop
owned=$(grep -c 'timings: .*the previous site taken as this server left it' "$tmp/serve.log")
rebuilds=$(grep -c '^rebuilt' "$tmp/serve.log")
unset CHARTER_TIMINGS
served_as_cold "six changes served: the same files as a cold build of them"
check "  each rebuild took the folder as the last left it" \
    test "$rebuilds" -ge 5 -a "$owned" = "$rebuilds"
git -C "$site" reset -q --hard "$orig"

# start_kept: starts a server with CHARTER_TIMINGS and commits twice (the
# second commit's build at the latest takes the site kept); $kept: how many
# builds took it so far.
start_kept() {
    export CHARTER_TIMINGS=1
    start
    wait_for "$tmp/serve.log" '^built'
    built=$(grep -c '^rebuilt\|^built' "$tmp/serve.log")
    git -C "$site" commit -q --allow-empty -m "An empty commit"
    rebuilt_after
    git -C "$site" commit -q --allow-empty -m "Another"
    rebuilt_after
    kept=$(grep -c 'timings: .*the site kept from the last build' "$tmp/serve.log")
}
# Only a build with nothing of the site seen changing since the last one
# began but pages' bodies takes that one's site: after a layout is
# touched (no save, no new commit), a page's front matter changes, the
# heading a page without a title takes its title from, or only the layout
# of its front matter (a comment: the lines of its keys move), the site is
# walked and loaded again.
start_kept
touch "$site/layouts/default.html"
rebuilt_after
check "a layout touched: its build walks the site again" \
    test "$kept" -ge 1 -a "$(grep -c 'timings: .*the site kept from the last build' "$tmp/serve.log")" = "$kept" -a "$(grep -c '^rebuilt' "$tmp/serve.log")" = 3
printf -- '---\nowner: Head of Security\nlast_reviewed: 2026-10-06\n---\n\n# A title from its heading\n\nFirst.\n' >"$site/content/untitled.md"
rebuilt_after
sed 's|^title: About this site|title: About this site, retitled|' "$site/content/about.md" >"$tmp/about.md"
cat "$tmp/about.md" >"$site/content/about.md"
rebuilt_after
check "a page's front matter changed: walked again" \
    sh -c "[ \$(grep -c 'timings: .*the site kept from the last build' '$tmp/serve.log') = $kept ] && curl -s '$u/about/' | grep -q 'About this site, retitled'"
sed 's|^# A title from its heading|# Another title from its heading|' "$site/content/untitled.md" >"$tmp/untitled.md"
cat "$tmp/untitled.md" >"$site/content/untitled.md"
rebuilt_after
check "  a page's title, from its heading: walked again" \
    sh -c "[ \$(grep -c 'timings: .*the site kept from the last build' '$tmp/serve.log') = $kept ] && curl -s '$u/untitled/' | grep -q '<title>Another title from its heading'"
sed '1a\
# a comment in the front matter' "$site/content/about.md" >"$tmp/about.md"
cat "$tmp/about.md" >"$site/content/about.md"
rebuilt_after
check "  a comment in a page's front matter: walked again" \
    test "$(grep -c 'timings: .*the site kept from the last build' "$tmp/serve.log")" = "$kept"
printf '\nA sentence.\n' >>"$site/content/about.md"
rebuilt_after
check "  and a save of that page's body after it: the site kept" \
    test "$(grep -c 'timings: .*the site kept from the last build' "$tmp/serve.log")" = $((kept + 1))
# An editor's swap and backup files beside the page saved (vim's) are no
# change of the site.
printf 'swap' >"$site/content/.about.md.swp"
cp "$site/content/about.md" "$site/content/about.md~"
printf '\nAnother sentence.\n' >>"$site/content/about.md"
rebuilt_after
check "  and one beside an editor's swap and backup files: the site kept" \
    test "$(grep -c 'timings: .*the site kept from the last build' "$tmp/serve.log")" = $((kept + 2))
rm -f "$site/content/.about.md.swp" "$site/content/about.md~"
stop
rm -f "$site/content/untitled.md"
unset CHARTER_TIMINGS
git -C "$site" reset -q --hard "$orig"

# A build of the kept site asks git's status only of the files that may
# have changed since the last build's pass (seen changing, their index
# entries changed, or changed by a commit since), the rest taken from that
# pass, while info/exclude stays as it was: what is served is a cold build's after a page's body is saved, after the page
# is put back as committed, after the same bytes are saved again beside an
# editor's swap file (untracked: the site is no longer clean, and the
# OSCAL export's version turns from the commit to the day), and after the
# page is taken out of the index (no file of the site changed, but its
# entry in git's index: asked of it, git finds it untracked).
narrowed() { grep -c "timings: .*git's status narrowed to what changed since the last build's ($1 seen changing" "$tmp/serve.log"; }
# The history the last build read, taken for the next (history_reuse) while
# HEAD stays and no page's file leaves or enters its tree: $1 1 taken, 0 not.
history_kept() {
    test "$(grep 'timings: ' "$tmp/serve.log" | tail -n 1 | grep -c 'the history kept from the last build')" = "$1"
}
# The pages' keys the last render made (render_keys) are taken for the
# pages whose body and history rows (each by its digest) stand: a second
# save takes all but the saved page's (the home page, which names the
# commit and the latest changes, is written as a register: no key kept). Under CHARTER_CHECK_REUSE every page so
# linked is rendered all the same and compared: a key that missed an
# input is an error. A commit reads the history again: the keys of the
# pages it did not change are taken all the same (below).
keys_kept() { grep 'timings: ' "$tmp/serve.log" | tail -n 1 | sed -n "s/.* \([0-9][0-9]*\) of \([0-9][0-9]*\) pages' keys kept from the last build.*/\1 \2/p"; }
export CHARTER_CHECK_REUSE=1
start_kept
printf '\nA sentence for git to tell.\n' >>"$site/content/about.md"
rebuilt_after
check "a page's body saved: git's status asked of that file alone" test "$(narrowed '1 file')" = 1
check "  and the history the last build read taken, but for that page's row" history_kept 1
printf '\nA second sentence for the keys.\n' >>"$site/content/about.md"
rebuilt_after
kk=$(keys_kept)
taken=${kk%% *} total=${kk##* }
check "  saved again: every page's key the last build made taken but that page's (${kk:-none})" \
    test -n "$kk" -a "${taken:-0}" -gt 0 -a "${taken:-0}" = $((${total:-0} - 1))
check "  and no page linked by a key that missed an input" \
    sh -c "! grep -q 'renders differently now' '$tmp/serve.log'"
stop
unset CHARTER_TIMINGS CHARTER_CHECK_REUSE
served_as_cold "  and what is served is a cold build's"
start_kept
git -C "$site" show HEAD:content/about.md >"$tmp/about.md" # the index untouched
cat "$tmp/about.md" >"$site/content/about.md"
rebuilt_after
check "the page put back as committed: git's status asked of it alone" test "$(narrowed '1 file')" = 1
check "  and the history the last build read taken" history_kept 1
stop
unset CHARTER_TIMINGS
served_as_cold "  and what is served is a cold build's"
start_kept
printf 'swap' >"$site/content/.about.md.swp"
cp "$site/content/about.md" "$tmp/about.md"
cat "$tmp/about.md" >"$site/content/about.md"
rebuilt_after
check "the same bytes saved beside a swap file: git's status asked of the two" \
    test "$(narrowed '2 files')" = 1
code "$u/manifest.json" >/dev/null
check "  which leave the site unclean" grep -q '"clean": false' "$tmp/body"
stop
unset CHARTER_TIMINGS
served_as_cold "  and what is served is a cold build's"
rm -f "$site/content/.about.md.swp"
start_kept
git -C "$site" rm -q --cached content/about.md
rebuilt_after
check "the page taken out of the index: git's status asked of its entry alone" \
    sh -c "grep 'timings: ' '$tmp/serve.log' | tail -n 1 | grep -q \"narrowed to what changed since the last build's (0 files seen changing)\""
check "  and the history read again: the page's file left HEAD's tree" history_kept 0
stop
unset CHARTER_TIMINGS
served_as_cold "  and what is served is a cold build's"
git -C "$site" reset -q --hard "$orig"
# A commit of what was staged before (as an editor commits): HEAD moved,
# the index's entries as they were; git is asked of the files the commit
# changed.
export CHARTER_CHECK_REUSE=1
start_kept
printf '\nCommitted while serving.\n' >>"$site/content/about.md"
rebuilt_after
git -C "$site" add content/about.md
rebuilt_after
git -C "$site" commit -q -m "About, committed while serving"
rebuilt_after
check "a commit of what was staged: git's status asked of the files it changed" \
    grep -q "timings: .*git's status narrowed to what changed since the last build's (0 files seen changing, and a commit)" "$tmp/serve.log"
check "  and the history read again at the new HEAD" history_kept 0
kk=$(keys_kept)
taken=${kk%% *} total=${kk##* }
check "  and every page's key taken from the last build but the committed page's (${kk:-none})" \
    test -n "$kk" -a "${taken:-0}" -gt 0 -a "${taken:-0}" = $((${total:-0} - 1))
check "  and no page linked by a key that missed an input" \
    sh -c "! grep -q 'renders differently now' '$tmp/serve.log'"
stop
unset CHARTER_TIMINGS CHARTER_CHECK_REUSE
served_as_cold "  and what is served is a cold build's"
git -C "$site" reset -q --hard "$orig"

# navigation.order's file is a page whose body the load reads: a save of
# it loads the site again, and what is served is a cold build's.
printf 'navigation: {order: content/SUMMARY.md}\n' >>"$site/site.yml"
printf -- '---\ntitle: Summary\nowner: Head of Security\nlast_reviewed: 2026-10-06\n---\n\n- [Assets](governance/asset-management.md)\n- [Data](governance/data-protection.md)\n' >"$site/content/SUMMARY.md"
git -C "$site" add -A
git -C "$site" commit -q -m "A navigation order"
start_kept
printf -- '---\ntitle: Summary\nowner: Head of Security\nlast_reviewed: 2026-10-06\n---\n\n- [Data](governance/data-protection.md)\n- [Assets](governance/asset-management.md)\n' >"$site/content/SUMMARY.md"
rebuilt_after
check "navigation.order's page saved: its build loads the site again" \
    test "$kept" -ge 1 -a "$(grep -c 'timings: .*the site kept from the last build' "$tmp/serve.log")" = "$kept"
stop
unset CHARTER_TIMINGS
served_as_cold "  and serves what a cold build makes of it"
git -C "$site" reset -q --hard "$orig"

# More than 64 files changed at once (a checkout, a pull): the site is
# loaded again, and what is served is a cold build's.
mkdir -p "$site/content/bulk"
i=0
while [ $i -lt 70 ]; do
    printf -- '---\ntitle: Bulk %d\nowner: Head of Security\nlast_reviewed: 2026-10-06\n---\n\nText %d.\n' $i $i >"$site/content/bulk/b$i.md"
    i=$((i + 1))
done
git -C "$site" add -A
git -C "$site" commit -q -m "Bulk pages"
start_kept
i=0
while [ $i -lt 70 ]; do
    printf 'More text.\n' >>"$site/content/bulk/b$i.md"
    i=$((i + 1))
done
rebuilt_after
check "70 pages' bodies saved at once: their build loads the site again" \
    test "$kept" -ge 1 -a "$(grep -c 'timings: .*the site kept from the last build' "$tmp/serve.log")" = "$kept"
stop
unset CHARTER_TIMINGS
served_as_cold "  and serves what a cold build makes of them"
rm -rf "$site/content/bulk"
git -C "$site" reset -q --hard "$orig"

# A handbook of more than a megabyte: when the spare's copy of it is
# replaced, the server unlinks it held open, so that the kernel frees its
# pages after the site is shown (output.c, unlink_held), and closes it
# then: once a build is done, no file it removed is still open.
mkdir -p "$site/content/large"
{
    printf -- '---\ntitle: Large\nowner: Head of Security\nlast_reviewed: 2026-10-06\n---\n\n'
    i=0
    while [ $i -lt 12000 ]; do
        printf 'Paragraph %d of a long policy, long enough to be a line of its own.\n\n' $i
        i=$((i + 1))
    done
} >"$site/content/large/large.md"
git -C "$site" add -A
git -C "$site" commit -q -m "A large page"
start
wait_for "$tmp/serve.log" '^built'
built=$(grep -c '^rebuilt\|^built' "$tmp/serve.log")
for k in 1 2 3; do
    printf '\nEdit %d of the large page.\n' $k >>"$site/content/large/large.md"
    rebuilt_after
done
held_deleted() { find "/proc/$pid/fd" -type l -exec readlink {} + 2>/dev/null | grep -c '(deleted)$'; }
i=0
while [ "$(held_deleted)" != 0 ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
check "a handbook over a megabyte replaced three times: no file removed is held open after" \
    test "$(held_deleted)" = 0 -a "$(curl -s "$u/handbook/" | wc -c)" -gt 1048576
check "  and the handbook served has the last edit" \
    sh -c "curl -s '$u/handbook/' | grep -q 'Edit 3 of the large page'"
stop
served_as_cold "  and what is served is a cold build's"
rm -rf "$site/content/large"
git -C "$site" reset -q --hard "$orig"

# A folder made while serving, and one moved in, are watched from then
# on (the watches are added again only when a folder comes): an edit in
# each is rebuilt.
start
wait_for "$tmp/serve.log" '^built'
built=$(grep -c '^rebuilt\|^built' "$tmp/serve.log")
mkdir -p "$site/content/later/deeper"
printf -- '---\ntitle: Later\nowner: Head of Security\nlast_reviewed: 2026-10-06\n---\n\nFirst.\n' >"$site/content/later/deeper/page.md"
rebuilt_after
printf '\nEdited in a folder made while serving.\n' >>"$site/content/later/deeper/page.md"
rebuilt_after
check "a folder made while serving: an edit in it is rebuilt" \
    sh -c "curl -s '$u/later/deeper/page/' | grep -q 'Edited in a folder made while serving'"
mkdir -p "$tmp/outside/moved"
printf -- '---\ntitle: Moved\nowner: Head of Security\nlast_reviewed: 2026-10-06\n---\n\nFirst.\n' >"$tmp/outside/moved/page.md"
mv "$tmp/outside/moved" "$site/content/moved"
rebuilt_after
printf '\nEdited in a folder moved in.\n' >>"$site/content/moved/page.md"
rebuilt_after
check "  and one moved in" \
    sh -c "curl -s '$u/moved/page/' | grep -q 'Edited in a folder moved in'"
# A folder renamed keeps its watch, which then names it by its new name:
# a page saved in it is that page, read again.
mv "$site/content/later" "$site/content/renamed"
rebuilt_after
printf '\nEdited in a folder renamed.\n' >>"$site/content/renamed/deeper/page.md"
rebuilt_after
check "  and one renamed" \
    sh -c "curl -s '$u/renamed/deeper/page/' | grep -q 'Edited in a folder renamed'"
stop
rm -rf "$site/content/later" "$site/content/renamed" "$site/content/moved" "$tmp/outside"

# On a branch with no commit yet, HEAD cannot be read, before a change in
# git's folder or after it: HEAD did not move, and the stamp is checked. A
# file no build reads, added to the index, leaves it holding.
saved_site=$site
site=$tmp/unborn
mkdir -p "$site"
cp -R "$top/site.yml" "$top/content" "$top/controls" "$top/layouts" "$top/assets" "$site/"
git -C "$site" init -q -b main
mkdir -p "$site/node_modules" # not watched: its file is seen in git's index only
echo x >"$site/node_modules/a.txt"
# Files written within the racy window before a build reads them are not
# trusted by its stamp (fs_racy_ns): the server starts after it.
sleep 0.1
start
wait_for "$tmp/serve.log" '^built'
git -C "$site" add -f node_modules/a.txt
wait_for "$tmp/serve.log" '^rebuilt'
check "no commit yet: a change in git's index alone is nothing changed" \
    grep -q '^rebuilt .*(nothing changed)$' "$tmp/serve.log"
stop
site=$saved_site

# The repositories users have (tests/repos/: Jekyll at the root, comply,
# Docusaurus, Hugo; charter init where they have no site.yml), each served
# with the findings they have: a page's body saved, then committed, are
# both built from the site kept, and what is served is a cold build's.
saved_site=$site
for kind in jekyll-isms comply-soc2 docusaurus-iso hugo-plain; do
    site=$tmp/repo-$kind
    sh "$top/tests/repos/$kind.sh" "$site" >/dev/null 2>&1
    [ -f "$site/site.yml" ] || [ -f "$site/_config.yml" ] ||
        (cd "$site" && "$CHARTER" init >/dev/null 2>&1)
    content=$(sed -n 's/^content: *//p' "$site/site.yml" 2>/dev/null | tr -d '"')
    page=$(git -C "$site" ls-files "${content:-.}" | grep '\.md$' |
        grep -v -i 'readme\|license\|changelog\|contributing\|summary\|_sidebar\|todo' | sed -n 3p)
    export CHARTER_TIMINGS=1
    start
    wait_for "$tmp/serve.log" '^built\|^build failed'
    built=$(grep -c '^rebuilt\|^build failed' "$tmp/serve.log")
    printf '\nA sentence saved while serving.\n' >>"$site/$page"
    rebuilt_after '^rebuilt\|^build failed'
    git -C "$site" -c user.name=Editor -c user.email=editor@example.com commit -q -am "A save"
    rebuilt_after '^rebuilt\|^build failed'
    stop
    unset CHARTER_TIMINGS
    check "$kind: a page saved ($page), then committed: both from the site kept" \
        test "$(grep -c 'timings: .*the site kept from the last build' "$tmp/serve.log")" = 2
    served_as_cold "  what is served is a cold build's" '^built\|^build failed'
    rm -rf "$site"
done
site=$saved_site

# many_pages: 3,000 pages in content/many, for a build that takes a while.
many_pages() {
    mkdir -p "$site/content/many"
    i=0
    while [ $i -lt 3000 ]; do
        printf -- '---\ntitle: Many %d\n---\n\nText %d.\n' $i $i >"$site/content/many/m$i.md"
        i=$((i + 1))
    done
}

# Ctrl-C during a build stops the server then, not once the build is done
# (it was read between builds only: a first build of thousands of pages
# ran to its end, and "serving" was announced after Ctrl-C).
many_pages
rm -rf "$site/.git/charter"
: >"$tmp/serve.log"
(cd "$site" && exec "$CHARTER" serve --port 0 --as-of 2026-11-25) >"$tmp/serve.log" 2>&1 &
pid=$!
sleep 0.3
if grep -q '^built' "$tmp/serve.log"; then
    ok "# SKIP Ctrl-C mid-build: the build was done before the signal"
    stop
else
    kill -INT "$pid"
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=
    check "Ctrl-C during the first build stops it before it serves" \
        sh -c "! grep -q '^serving' '$tmp/serve.log'"
fi
rm -rf "$site/content/many"
start
expect_code "  and the next server serves" 200 "$u/about/"
stop

# A page left open from a server before reloads once for the new server's
# first build, not also for a "build 0" announced before it is made: the
# event stream says nothing until then. (3,000 pages: the first build takes
# a while; the server listens from the start.)
many_pages
rm -rf "$site/.git/charter"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
: >"$tmp/serve.log"
(cd "$site" && exec "$CHARTER" serve --port "$port" --as-of 2026-11-25) >"$tmp/serve.log" 2>&1 &
pid=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$port/_charter/" 2>/dev/null || [ $i -ge 300 ]; do
    sleep 0.05
    i=$((i + 1))
done
curl -s -N --max-time 60 "http://127.0.0.1:$port/_charter/events" >"$tmp/events5" 2>/dev/null &
events=$!
opened=$(grep -c '^serving' "$tmp/serve.log")
wait_for "$tmp/serve.log" '^serving'
wait_for "$tmp/events5" '^data:'
if [ "$opened" = 0 ]; then
    check "a stream opened during the first build: the first build it hears of is 1" \
        test "$(grep -m 1 '^data:' "$tmp/events5")" = "data: 1"
else
    ok "# SKIP a stream opened during the first build: the build was done first"
fi
kill "$events" 2>/dev/null
events=
stop
rm -rf "$site/content/many"

# The tool folders no build reads (node_modules/, a bundler's vendor/ at
# the top) are not watched: tens of thousands of folders, each walked again
# after every change, made a save 0.9 s instead of 0.02.
watches() { cat /proc/"$pid"/fdinfo/* 2>/dev/null | grep -c '^inotify wd:'; }
start
w0=$(watches)
stop
for i in 1 2 3 4 5 6 7 8 9 10; do
    mkdir -p "$site/node_modules/pkg$i/lib/sub" "$site/vendor/bundle/gem$i/lib"
done
start
w1=$(watches)
stop
rm -rf "$site/node_modules" "$site/vendor"
check "node_modules/ and vendor/ are not watched ($w0 watches without, $w1 with)" \
    sh -c "[ '$w0' -gt 0 ] && [ '$w1' = '$w0' ]"

# Outside a git repository: a temporary folder, removed on exit.
rm -rf "$site/.git"
export TMPDIR="$tmp/t"
mkdir -p "$TMPDIR"
start
expect_code "outside a git repository it serves too" 200 "$u/"
check "  from a temporary folder" sh -c "ls '$TMPDIR' | grep -q '^charter-serve-'"
stop
check "  removed on exit" test -z "$(ls -A "$TMPDIR")"
# Ctrl-C during its first build: the build ends first, then the folder
# goes (let through mid-build, the signal ended the process and left it).
many_pages
: >"$tmp/serve.log"
(cd "$site" && exec "$CHARTER" serve --port 0 --as-of 2026-11-25) >"$tmp/serve.log" 2>&1 &
pid=$!
sleep 0.3
kill -INT "$pid" 2>/dev/null
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 600 ]; do # the build ends first
    sleep 0.1
    i=$((i + 1))
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=
check "  Ctrl-C during a build into it: removed too" test -z "$(ls -A "$TMPDIR")"
rm -rf "$site/content/many"

# libmicrohttpd is opened by the server (the checks above) and --version
# alone: every other command starts without it (linked, its GnuTLS cost
# each one 8 ms).
LD_DEBUG=libs "$CHARTER" check --help >"$tmp/ld.log" 2>&1
check "libmicrohttpd is not loaded by other commands" sh -c "! grep -q libmicrohttpd '$tmp/ld.log'"
"$CHARTER" --version >"$tmp/version" 2>&1
check "  and for --version" grep -q '^libmicrohttpd: [0-9]' "$tmp/version"

check "no server stopped with a sanitizer's report" test "$reported" = 0

echo "1..$n"
echo "serve: $n checks, $failed failed"
[ "$failed" -eq 0 ]
