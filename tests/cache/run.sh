#!/bin/sh
# The build caches under hostile or damaged conditions: charter keeps its
# caches in <git dir>/charter (parse.cache, load.cache, output-*.cache,
# output-*.splice, history.cache, stamp-*),
# and whatever is found there (a truncated file, garbage, a link, a folder,
# a cache of another output) must never change what is built: each build
# below must equal a --no-cache build of the same site, byte for byte, and
# nothing outside the repository may be read or written through a link.
#
#   CHARTER=$PWD/build/charter sh tests/cache/run.sh
#
# Prints `ok N - what` or `not ok N - what` per check, then a summary; exits
# 1 when any check failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${CHARTER:?set CHARTER to the charter binary}"
case $CHARTER in /*) ;; *) CHARTER=$(pwd)/$CHARTER ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-cache.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"
site=$tmp/site
example_repo "$site"
cache=$site/.git/charter

# build_and_compare WHAT: an incremental build into out/ must equal a
# --no-cache build into cold/.
build_and_compare() {
    rm -rf "$tmp/cold"
    "$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet 2>"$tmp/err"
    rc=$?
    "$CHARTER" build --no-cache --site "$site" --out "$tmp/cold" --as-of 2026-11-25 --quiet \
        2>"$tmp/cold-err"
    cold_rc=$?
    if [ "$rc" -ne 0 ] || [ "$cold_rc" -ne 0 ]; then
        not_ok "$1 (exit $rc, cold exit $cold_rc)"
        sed 's/^/#   /' "$tmp/err" | head -5
    elif ! diff -r "$tmp/out" "$tmp/cold" >"$tmp/diff" 2>&1; then
        not_ok "$1 (output differs from a cold build)"
        sed 's/^/#   /' "$tmp/diff" | head -5
    else
        ok "$1"
    fi
}

build_and_compare "first build"
if [ -f "$cache/parse.cache" ] && ls "$cache"/output-*.cache >/dev/null 2>&1; then
    ok "the caches are written in the git directory"
else
    not_ok "the caches are written in the git directory"
fi
cp "$cache/parse.cache" "$tmp/good.cache"
size=$(wc -c <"$tmp/good.cache")

# A page edited since: the cache's entry for it is not used.
printf '\nA sentence added since the cache was written.\n' >>"$site/content/about.md"
build_and_compare "an edited page"
git -C "$site" checkout -q -- content/about.md

# Edits one after another: each build adds the new HTML and an index to
# the parse cache in place (the same file, longer); once what it holds
# that is no longer read is over half of it, the cache is written anew
# (another file). Each build's output is a cold build's.
appended=0
rewritten=0
for k in 1 2 3 4 5 6 7 8; do
    was=$(stat -c '%i %s' "$cache/parse.cache")
    printf '\nEdit %s.\n' "$k" >>"$site/content/about.md"
    build_and_compare "edit $k in a row"
    now=$(stat -c '%i %s' "$cache/parse.cache")
    if [ "${now% *}" = "${was% *}" ] && [ "${now#* }" -gt "${was#* }" ]; then
        appended=$((appended + 1))
    elif [ "${now% *}" != "${was% *}" ]; then
        rewritten=$((rewritten + 1))
    fi
done
git -C "$site" checkout -q -- content/about.md
if [ "$appended" -gt 0 ] && [ "$rewritten" -gt 0 ]; then
    ok "the parse cache added to in place $appended times, written anew $rewritten"
else
    not_ok "the parse cache added to in place $appended times, written anew $rewritten"
fi

head -c $((size / 2)) "$tmp/good.cache" >"$cache/parse.cache"
build_and_compare "a truncated parse cache"

cp "$tmp/good.cache" "$cache/parse.cache"
# Garbage over the index (near the end), then over the HTML counts.
printf 'garbagegarbagegarbagegarbagegarbage' |
    dd of="$cache/parse.cache" bs=1 seek=$((size - 200)) conv=notrunc 2>/dev/null
build_and_compare "garbage in the parse cache's index"

head -c 100000 /dev/urandom >"$cache/parse.cache"
build_and_compare "a parse cache of random bytes"

# One byte of a page's HTML changed (the file starts with the HTML): the
# index and the trailer are intact, the page's record's digest is not.
# Into a new output, so that every page is rendered from its HTML (an
# output's unchanged pages are linked from it, their HTML not read).
cp "$tmp/good.cache" "$cache/parse.cache"
rm -rf "$tmp/out"
python3 - "$cache/parse.cache" <<'PY' || not_ok "the parse cache starts with HTML"
import sys
data = bytearray(open(sys.argv[1], "rb").read())
assert data[:1] == b"<", "not HTML"
data[1] ^= 0x20
open(sys.argv[1], "wb").write(data)
PY
cp "$cache/parse.cache" "$tmp/damaged.cache"
CHARTER_TIMINGS=1 build_and_compare "a byte of a page's HTML changed in the parse cache"
# Found as the page's HTML was read back: parsed again, and the cache (whose
# rewrite may have copied the damaged bytes) removed, so that the next
# build parses every page.
if grep -q "the parse cache was damaged" "$tmp/err" &&
    ! cmp -s "$cache/parse.cache" "$tmp/damaged.cache"; then
    ok "a damaged parse cache is removed after the build that found it"
else
    not_ok "a damaged parse cache is removed after the build that found it"
fi
build_and_compare "the build after a damaged parse cache"

# Counts near 2^32 in a record must not allocate or read past the end.
python3 - "$tmp/good.cache" "$cache/parse.cache" <<'PY' || not_ok "the parse cache's record is laid out as this test knows"
import ctypes, struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
trailer = 48  # offset, length, magic, the check (16 hex digits)
off, length = struct.unpack_from("<QQ", data, len(data) - trailer)
i = off
# The first record: its length (u32), key (u32 length + bytes), offset,
# length, its text's digest and its HTML's check (each u32 length + bytes),
# then the heading count: set it huge.
klen = struct.unpack_from("<I", data, i + 4)[0]
at = i + 8 + klen + 16
for want in (64, 16):
    tlen = struct.unpack_from("<I", data, at)[0]
    assert tlen in (want, 0xFFFFFFFF), "not a digest's length"
    at += 4 + (0 if tlen == 0xFFFFFFFF else tlen)
assert struct.unpack_from("<I", data, at)[0] < 1000, "not a heading count"
struct.pack_into("<I", data, at, 0xFFFFFFF0)
# With a check that matches (XXH3's 64 bits of the index, then of the
# trailer's offset, length and magic: generator/digest.c, through the
# libxxhash charter links), so the reader's own bounds are what is tested.
xxh = ctypes.CDLL("libxxhash.so.0")
xxh.XXH3_64bits.restype = ctypes.c_uint64
xxh.XXH3_64bits.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
t = len(data) - trailer
covered = bytes(data[off:off + length]) + bytes(data[t:t + 32])
data[t + 32:] = b"%016x" % xxh.XXH3_64bits(covered, len(covered))
open(sys.argv[2], "wb").write(data)
PY
build_and_compare "a parse cache with a huge count"

# A link: not followed, and its target is neither read nor written.
echo "outside" >"$tmp/outside"
rm -f "$cache/parse.cache"
ln -s "$tmp/outside" "$cache/parse.cache"
build_and_compare "a parse cache that is a link"
if [ "$(cat "$tmp/outside")" = outside ]; then
    ok "the link's target is untouched"
else
    not_ok "the link's target is untouched"
fi
rm -f "$cache/parse.cache"

mkdir "$cache/parse.cache"
build_and_compare "a parse cache that is a folder"
rmdir "$cache/parse.cache" 2>/dev/null

# The build stamp (a build with nothing to do says so from it).
build_and_compare "caches rebuilt for the stamp"
if ls "$cache"/stamp-* >/dev/null 2>&1; then
    ok "a good build writes its stamp"
else
    not_ok "a good build writes its stamp"
fi
for f in "$cache"/stamp-*; do
    head -c 5000 /dev/urandom >"$f"
done
build_and_compare "a stamp of random bytes"
for f in "$cache"/stamp-*; do
    rm -f "$f"
    ln -s "$tmp/outside" "$f"
done
build_and_compare "a stamp that is a link"
if [ "$(cat "$tmp/outside")" = outside ]; then
    ok "the stamp link's target is untouched"
else
    not_ok "the stamp link's target is untouched"
fi
# A stamp that holds in all but its record of one file: the stylesheet
# (outside the content folder, which git's status covers) was edited since,
# its size and times restored: the stamp must not hold.
build_and_compare "caches rebuilt, the stamp trusted"
sleep 0.05
"$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 2>"$tmp/err"
if grep -q 'nothing changed since the last build' "$tmp/err"; then
    ok "a build with nothing to do says so"
else
    not_ok "a build with nothing to do says so"
    sed 's/^/#   /' "$tmp/err" | head -5
fi
python3 - "$site/assets/style.css" <<'PY'
import os, sys
p = sys.argv[1]
st = os.stat(p)
data = bytearray(open(p, "rb").read())
data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")
open(p, "wb").write(data)
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
build_and_compare "a stylesheet edited with its size and mtime restored"
git -C "$site" checkout -q -- assets/style.css

for f in "$cache"/output-*.cache; do
    printf 'charter-output-cache 1\t/somewhere/else\n' >"$f"
done
build_and_compare "an output cache of another directory"
for f in "$cache"/output-*.cache; do
    head -c 5000 /dev/urandom >"$f"
done
build_and_compare "an output cache of random bytes"

# An output file changed behind charter's back, its size and times kept:
# the output cache must not vouch for it (the build refuses the output).
build_and_compare "caches rebuilt"
f=$tmp/out/404.html
python3 - "$f" <<'PY'
import os, sys
p = sys.argv[1]
st = os.stat(p)
data = bytearray(open(p, "rb").read())
data[0] = ord("X") if data[0] != ord("X") else ord("Y")
open(p, "wb").write(data)
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
if "$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet 2>"$tmp/err"; then
    not_ok "an output edited behind charter's back is refused"
elif grep -q "'404.html' in it was changed since charter wrote it" "$tmp/err"; then
    ok "an output edited behind charter's back is refused"
else
    not_ok "an output edited behind charter's back is refused"
    sed 's/^/#   /' "$tmp/err" | head -5
fi

# The parse cache is rewritten only when it would change: a build that
# parses every page from it (an asset changed: the build is not up to date,
# no page is new) keeps the file as it is; a page gone from the site is
# dropped from it (its file is written anew).
rm -rf "$tmp/out"
"$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet 2>/dev/null
before=$(stat -c '%i %Y.%y' "$cache/parse.cache")
printf '/* touched */\n' >>"$site/assets/style.css"
"$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet 2>/dev/null
if [ "$(stat -c '%i %Y.%y' "$cache/parse.cache")" = "$before" ]; then
    ok "a build with every page from the parse cache keeps it as it is"
else
    not_ok "a build with every page from the parse cache keeps it as it is"
fi
git -C "$site" checkout -q -- assets/style.css
printf -- '---\ntitle: Extra\nlayout: page\nowner: Someone\nlast_reviewed: 2026-10-06\n---\nA page for a while.\n' >"$site/content/extra.md"
build_and_compare "a page added"
added=$(stat -c '%i %Y.%y' "$cache/parse.cache")
rm "$site/content/extra.md"
build_and_compare "the page removed again"
if [ "$added" != "$before" ] && [ "$(stat -c '%i %Y.%y' "$cache/parse.cache")" != "$added" ]; then
    ok "a page added goes into the parse cache, and out of it when removed"
else
    not_ok "a page added goes into the parse cache, and out of it when removed"
fi
git -C "$site" reset -q --hard

# The load cache: damaged, a link, and a page edited behind it with its
# size and modification time restored (its change time tells).
sleep 0.05
build_and_compare "caches rebuilt, the load cache among them"
if [ -s "$cache/load.cache" ]; then
    ok "the load cache is written"
else
    not_ok "the load cache is written"
fi
cp "$cache/load.cache" "$tmp/good-load.cache"
lsize=$(wc -c <"$tmp/good-load.cache")
head -c $((lsize / 2)) "$tmp/good-load.cache" >"$cache/load.cache"
touch "$site/assets/style.css" # not up to date: the pages are loaded
build_and_compare "a truncated load cache"
head -c 5000 /dev/urandom >"$cache/load.cache"
touch "$site/assets/style.css"
build_and_compare "a load cache of random bytes"
cp "$tmp/good-load.cache" "$tmp/outside-load"
rm -f "$cache/load.cache"
ln -s "$tmp/outside-load" "$cache/load.cache"
touch "$site/assets/style.css"
build_and_compare "a load cache that is a link"
if cmp -s "$tmp/outside-load" "$tmp/good-load.cache"; then
    ok "the load cache link's target is untouched"
else
    not_ok "the load cache link's target is untouched"
fi
rm -f "$cache/load.cache"
sleep 0.05
touch "$site/assets/style.css"
build_and_compare "caches rebuilt, every page in the load cache"
if grep -q 'content/about.md' "$cache/load.cache"; then
    ok "the load cache records content/about.md"
else
    not_ok "the load cache records content/about.md"
fi
python3 - "$site/content/about.md" <<'PY'
import os, sys
p = sys.argv[1]
st = os.stat(p)
data = bytearray(open(p, "rb").read())
i = data.index(b"title: ") + 7
data[i] = ord("X") if data[i] != ord("X") else ord("Y")
open(p, "wb").write(data)
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
build_and_compare "a page's title edited with its size and mtime restored"
git -C "$site" checkout -q -- content/about.md

# --no-cache writes no cache.
rm -rf "$cache" "$tmp/cold2"
"$CHARTER" build --no-cache --site "$site" --out "$tmp/cold2" --as-of 2026-11-25 --quiet 2>/dev/null
if [ -e "$cache" ]; then
    not_ok "--no-cache writes no cache"
else
    ok "--no-cache writes no cache"
fi

# timings_say WHAT TUNABLES PATTERN: a build with GLIBC_TUNABLES set to
# TUNABLES (unset when empty) ends its timings line as PATTERN says.
timings_say() {
    if [ -n "$2" ]; then
        GLIBC_TUNABLES=$2 CHARTER_TIMINGS=1 "$CHARTER" build --site "$site" --out "$tmp/out" \
            --as-of 2026-11-25 --quiet 2>"$tmp/err"
    else
        CHARTER_TIMINGS=1 "$CHARTER" build --site "$site" --out "$tmp/out" \
            --as-of 2026-11-25 --quiet 2>"$tmp/err"
    fi
    if grep -q "^charter: timings: .*$3\$" "$tmp/err"; then
        ok "$1"
    else
        not_ok "$1"
        sed 's/^/#   /' "$tmp/err" | head -5
    fi
}

# An output folder deleted: the next build removes what the cache kept
# for it (its output cache, the site it replaced as the spare tree, its
# stamp), and keeps another output's. Builds into gone/ twice with an edit
# between (so the first site is kept as the spare), into kept/ once.
rm -rf "$cache" "$tmp/gone" "$tmp/kept"
for o in gone kept; do
    "$CHARTER" build --site "$site" --out "$tmp/$o" --as-of 2026-11-25 --quiet 2>/dev/null
done
printf '\nA sentence added for the spare tree.\n' >>"$site/content/about.md"
"$CHARTER" build --site "$site" --out "$tmp/gone" --as-of 2026-11-25 --quiet 2>/dev/null
git -C "$site" checkout -q -- content/about.md
holds_gone() { grep -ls "	$tmp/gone\$\|^target $tmp/gone\$" "$cache"/output-*.cache "$cache"/stamp-* 2>/dev/null; }
gone_cache=$(holds_gone | grep '/output-' | head -n 1)
gone_id=${gone_cache%.cache}
if [ -z "$gone_cache" ] || [ ! -d "$gone_id.spare" ] || ! holds_gone | grep -q /stamp-; then
    not_ok "a deleted output's caches go (no spare, cache or stamp of gone/ to begin with)"
else
    rm -rf "$tmp/gone"
    "$CHARTER" build --site "$site" --out "$tmp/kept" --as-of 2026-11-25 --quiet 2>/dev/null
    left="$(holds_gone) $(ls -d "$gone_id".* 2>/dev/null)"
    if [ "$left" != " " ]; then
        not_ok "a deleted output's caches go (left: $left)"
    elif ! grep -qs "	$tmp/kept\$" "$cache"/output-*.cache || \
        ! grep -qs "^target $tmp/kept\$" "$cache"/stamp-*; then
        not_ok "a deleted output's caches go (kept/'s went too)"
    else
        ok "a deleted output's caches go, its spare tree and stamp too; another's stay"
    fi
fi

# The output named through a link, the link then pointed at another
# folder: the stamp does not hold (HEAD~1 said "nothing changed" of the
# folder the link used to lead to, exit 0, and left the one named empty).
rm -rf "$tmp/la" "$tmp/lb" "$tmp/link"
mkdir -p "$tmp/la" "$tmp/lb"
ln -s "$tmp/la" "$tmp/link"
"$CHARTER" build --site "$site" --out "$tmp/link" --as-of 2026-11-25 --quiet 2>/dev/null
rm "$tmp/link"
ln -s "$tmp/lb" "$tmp/link"
"$CHARTER" build --site "$site" --out "$tmp/link" --as-of 2026-11-25 2>"$tmp/err"
if [ -f "$tmp/lb/index.html" ] && ! grep -q "nothing changed" "$tmp/err"; then
    ok "an output link pointed elsewhere: built there, not 'up to date'"
else
    not_ok "an output link pointed elsewhere: built there, not 'up to date'"
    sed 's/^/#   /' "$tmp/err" | head -3
fi
rm -rf "$tmp/la" "$tmp/lb" "$tmp/link"

# A page edited while the build reads it (between the load, which reads its
# front matter, and the parse, which reads it again): the build stops with
# exit 2, names the page, and leaves the output as it was; the next build
# has it. tests/cache/change-on-reopen.c edits the page at its second open,
# every time at the same point. Not under a sanitizer (its runtime must be
# the first library loaded).
what="a page changed during the build: exit 2, the output as it was"
# exit_2_changed WHAT: the build just run (its exit in $rc, its messages in
# $tmp/err) stopped with exit 2, naming content/about.md as changed during
# the build; else WHAT is reported failed, and the status is 1.
exit_2_changed() {
    if [ "$rc" -ne 2 ]; then
        not_ok "$1 (exit $rc)"
    elif ! grep -q "error: 'content/about.md' changed during the build; build again \[io\]" \
        "$tmp/err"; then
        not_ok "$1 (message)"
    else
        return 0
    fi
    sed 's/^/#   /' "$tmp/err" | head -5
    return 1
}
if ldd "$CHARTER" 2>/dev/null | grep -q 'lib[at]san'; then
    ok "$what # SKIP a sanitizer's build"
elif ! cc -shared -fPIC -O2 -o "$tmp/change-on-reopen.so" "$top/tests/cache/change-on-reopen.c" \
    -ldl 2>"$tmp/cc-err"; then
    not_ok "$what (cannot build the library)"
    sed 's/^/#   /' "$tmp/cc-err" | head -5
else
    "$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet 2>/dev/null
    rm -rf "$tmp/before"
    cp -a "$tmp/out" "$tmp/before"
    printf '\nA line added before the build.\n' >>"$site/content/about.md"
    LD_PRELOAD=$tmp/change-on-reopen.so CHANGE_ON_REOPEN=content/about.md \
        "$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet 2>"$tmp/err"
    rc=$?
    if ! exit_2_changed "$what"; then
        :
    elif ! diff -r "$tmp/before" "$tmp/out" >"$tmp/diff" 2>&1; then
        not_ok "$what (the output changed)"
        sed 's/^/#   /' "$tmp/diff" | head -5
    elif ! grep -q "added while the build read the page" "$site/content/about.md"; then
        not_ok "$what (the page was not changed: the library did nothing)"
    else
        build_and_compare "$what; the next build has the page as it is now"
        if ! grep -q "A line added while the build read the page" "$tmp/out/about/index.html"; then
            not_ok "$what (the next build lacks the line)"
        fi
    fi
    git -C "$site" checkout -q -- content/about.md
    # Past the racy window (FS_RACY_NS): a page changed within it of a
    # build's start is read again by the next build, not taken from the
    # caches, which a fast machine's build writes within it.
    sleep 0.05

    # The same page's HTML damaged in the parse cache, and the page changed
    # before the build reads it again to parse it anew (its first open in
    # a build whose caches hold it): exit 2, the output as it was.
    what="a page whose cached HTML is damaged changed before it is parsed again: exit 2"
    "$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet 2>/dev/null
    rm -rf "$tmp/fresh"
    python3 - "$cache/parse.cache" <<'PY' || not_ok "$what (about.md's HTML is in the parse cache)"
import sys
data = bytearray(open(sys.argv[1], "rb").read())
# Every copy: a build that added pages to the cache in place left the HTML
# of the ones it replaced where it was (generator/parse_cache.c).
text = b"a small static site generator for compliance as code"
at = data.find(text)
assert at > 0, "not found"
while at >= 0:
    data[at] ^= 0x20
    at = data.find(text, at + 1)
open(sys.argv[1], "wb").write(data)
PY
    # Into a new output, so that every page is rendered from its HTML.
    LD_PRELOAD=$tmp/change-on-reopen.so CHANGE_ON_REOPEN=content/about.md CHANGE_ON_OPEN_NTH=1 \
        "$CHARTER" build --site "$site" --out "$tmp/fresh" --as-of 2026-11-25 --quiet 2>"$tmp/err"
    rc=$?
    if ! exit_2_changed "$what"; then
        :
    elif [ -e "$tmp/fresh" ]; then
        not_ok "$what (the output was published)"
    else
        build_and_compare "$what; the next build has the page as it is now"
    fi
    git -C "$site" checkout -q -- content/about.md
    sleep 0.05 # past the racy window, as above
fi

# The handbook in segments (generator/splice.c): each build records, beside
# the output's cache, the segments of handbook/index.html (the skeleton's
# text between the policies, each policy's body) and the next copies those
# whose key is the same out of the handbook it replaces. What it builds
# must still equal a cold build, whatever the segments file holds.
policy=content/governance/data-protection.md
"$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet 2>/dev/null
segs=$(ls "$cache"/output-*.splice 2>/dev/null | head -1)
hb_hex=$(sha256sum "$tmp/out/handbook/index.html" | cut -c1-64)
hb_size=$(wc -c <"$tmp/out/handbook/index.html")
if [ -n "$segs" ] && grep -q "^file $hb_hex $hb_size [0-9]* [1-9][0-9]* handbook/index.html\$" "$segs"; then
    ok "the handbook's segments and its digest's states are kept beside the output's cache"
else
    not_ok "the handbook's segments and its digest's states are kept beside the output's cache"
fi
# copied_say WHAT: the last build (its timings in err) copied some of what
# it streamed in segments from the previous build, not all.
copied_say() {
    line=$(grep "^charter: timings: " "$tmp/err" |
        sed -n 's/.*; \([0-9]*\) of \([0-9]*\) bytes streamed in segments copied.*/\1 \2/p')
    set -- "$1" $line
    if [ $# -eq 3 ] && [ "$2" -gt 0 ] && [ "$2" -lt "$3" ]; then
        ok "$1 ($2 of $3 bytes copied)"
    else
        not_ok "$1 (${2:-none} of ${3:-none} bytes copied)"
        sed 's/^/#   /' "$tmp/err" | head -3
    fi
}
printf '\nA sentence added to one policy.\n' >>"$site/$policy"
CHARTER_TIMINGS=1 "$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet \
    2>"$tmp/err"
copied_say "one policy's body edited: the rest of the handbook copied"
# ... and every other page loaded and parsed from the caches (read ahead of
# the walk, on a thread of their own).
line=$(grep -o '[0-9]* of [0-9]* pages from the load cache, [0-9]* of [0-9]* from the parse cache' \
    "$tmp/err" | sed 's/[^0-9 ]//g')
set -- $line
if [ $# -eq 4 ] && [ "$2" -gt 1 ] && [ "$1" -eq $(($2 - 1)) ] && [ "$4" -gt 1 ] &&
    [ "$3" -eq $(($4 - 1)) ]; then
    ok "one policy's body edited: every other page from the load and parse caches ($1 of $2, $3 of $4)"
else
    not_ok "one policy's body edited: every other page from the load and parse caches (${*:-none})"
    sed 's/^/#   /' "$tmp/err" | head -3
fi
build_and_compare "one policy's body edited: the handbook as a cold build's"
# A title: the skeleton (the table of contents) changes, the bodies do not.
sed -i 's/^title: Data Protection Policy$/title: Data Protection Policy (revised)/' "$site/$policy"
CHARTER_TIMINGS=1 "$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet \
    2>"$tmp/err"
copied_say "a policy's title edited: the bodies copied"
build_and_compare "a policy's title edited: the handbook as a cold build's"
# The suites' check of what is copied: each segment made again and compared.
# reuse_checked_say WHAT: a build under CHARTER_CHECK_REUSE exits 0 and
# reports no difference between what it copied and what it would make.
reuse_checked_say() {
    CHARTER_CHECK_REUSE=1 "$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 \
        --quiet 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq 0 ] && ! grep -q "internal" "$tmp/err"; then
        ok "$1 (CHARTER_CHECK_REUSE)"
    else
        not_ok "$1 (CHARTER_CHECK_REUSE; exit $rc)"
        sed 's/^/#   /' "$tmp/err" | head -5
    fi
}
printf '\nAnother sentence.\n' >>"$site/$policy"
reuse_checked_say "what is copied is what would be made"
# A damaged segments file: ignored.
segs=$(ls "$cache"/output-*.splice 2>/dev/null | head -1)
if [ -n "$segs" ]; then
    printf 'X' | dd of="$segs" bs=1 seek=200 conv=notrunc 2>/dev/null
fi
printf '\nA third sentence.\n' >>"$site/$policy"
build_and_compare "a damaged segments file: ignored"
git -C "$site" checkout -q -- "$policy"

# The registers and the handbook name the commit the site is built from,
# in their footer: a commit that changes nothing else of one copies its
# text from the previous build around the commit's digits (render.c,
# gen_handbook.c), which a cold build must write the same.
# commit_site MESSAGE [OPTION...]: a commit of the site (-a, unless
# other options are given), its dates pinned.
commit_site() {
    msg=$1
    shift
    [ $# -gt 0 ] || set -- -a
    GIT_AUTHOR_DATE=2026-11-20T10:00:00Z GIT_COMMITTER_DATE=2026-11-20T10:00:00Z \
        git -C "$site" -c user.name=Tester -c user.email=t@example.com commit -q "$@" -m "$msg"
}
printf '\nA committed sentence.\n' >>"$site/$policy"
"$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet 2>/dev/null
commit_site "A committed sentence"
CHARTER_TIMINGS=1 "$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet \
    2>"$tmp/err"
n=$(sed -n 's/.*; \([0-9]*\) files copied but for the commit they name.*/\1/p' "$tmp/err")
if [ "${n:-0}" -ge 3 ]; then
    ok "a commit: the pages that name it copied around its digits ($n of them)"
else
    not_ok "a commit: the pages that name it copied around its digits (${n:-none})"
    sed 's/^/#   /' "$tmp/err" | head -3
fi
# ... and the changelog, which the commit adds a change to, copies the
# rows of the others from the previous build's (render.c: rows apart).
n=$(sed -n 's/.*; \([0-9]*\) rows* of the registers copied from the previous build.*/\1/p' "$tmp/err")
if [ "${n:-0}" -ge 1 ]; then
    ok "a commit: the changelog's other changes copied ($n of their rows)"
else
    not_ok "a commit: the changelog's other changes copied (${n:-none})"
    sed 's/^/#   /' "$tmp/err" | head -3
fi
build_and_compare "a commit: the pages that name it as a cold build's"
printf '\nAnother committed sentence.\n' >>"$site/$policy"
"$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 --quiet 2>/dev/null
commit_site "Another committed sentence"
reuse_checked_say "a commit: what is copied around its digits is what would be made"
build_and_compare "a commit, checked: as a cold build's"
git -C "$site" reset -q --hard HEAD~2
build_and_compare "two commits taken back"

# Edits one after another, each built into the same output: once the
# first builds' folders have settled (a small site's build does not wait
# out the racy window: what it wrote is recorded as unknown), each build
# stages in the site before last (the spare tree) and takes it by its
# folders' stat, listing the few an edit changed within the racy window
# before its cache was written (the edited page's), not by reading every
# file again (which every other build did, when those folders were
# reason enough).
for k in 1 2 3 4 5 6; do
    printf '\nEdit %s, one after another.\n' "$k" >>"$site/$policy"
    CHARTER_TIMINGS=1 "$CHARTER" build --site "$site" --out "$tmp/edits" --as-of 2026-11-25 \
        --quiet 2>"$tmp/err"
    grep -o 'the spare tree taken [^;]*' "$tmp/err" >"$tmp/spare-$k" || echo "(not taken)" >"$tmp/spare-$k"
done
if grep -q '^the spare tree taken by its folders' "$tmp/spare-5" &&
    grep -q '^the spare tree taken by its folders' "$tmp/spare-6"; then
    ok "edits one after another take the spare tree by its folders"
else
    not_ok "edits one after another take the spare tree by its folders ($(cat "$tmp/spare-5"); $(cat "$tmp/spare-6"))"
fi
git -C "$site" checkout -q -- "$policy"

# A build with nothing to do finds it out from the stamp before git is
# read (build_probe), and says so. After an edit, the probe's finding that
# the stamp does not hold reaches the build (across its new start for huge
# pages, CHARTER_STAMP_STALE, cmd_build.c), which does not read the stamp
# again. Set by hand, CHARTER_STAMP_STALE is heeded only in a run started
# so (CHARTER_HEAP_RESTORE set): there it builds, the same bytes.
build_and_compare "caches rebuilt for the probe"
sleep 0.05
timings_say "an up-to-date build is found so before git is read" "" \
    "probe .*), up to date .*"
printf '\nA sentence for the probe.\n' >>"$site/$policy"
sleep 0.05
timings_say "after an edit, the build is told the stamp does not hold" "" \
    "; the stamp known not to hold, not checked.*"
git -C "$site" checkout -q -- "$policy"
# A commit since (nothing else): HEAD names another commit, which git's own
# files tell the probe without libgit2 (history_head_peek), loose refs or
# packed; git's status is not read for the stamp then. `git status` (which
# rewrites the index) and packing the refs change nothing.
build_and_compare "caches rebuilt for the probe, before commits"
sleep 0.05
git -C "$site" status >/dev/null
timings_say "after git status, still up to date before git is read" "" "probe .*), up to date .*"
commit_site "An empty commit" --allow-empty
timings_say "after a commit, the build is told the stamp does not hold" "" \
    "; the stamp known not to hold, not checked.*"
git -C "$site" pack-refs --all
timings_say "with packed refs, up to date before git is read" "" "probe .*), up to date .*"
git -C "$site" reset -q --soft HEAD~1
git -C "$site" pack-refs --all
timings_say "a branch moved back, its ref packed: the stamp does not hold" "" \
    "; the stamp known not to hold, not checked.*"
build_and_compare "commits taken back: the output as a cold build's"
build_and_compare "caches rebuilt for the probe, again"
sleep 0.05
CHARTER_STAMP_STALE=1 "$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 \
    2>"$tmp/err"
if grep -q 'nothing changed since the last build' "$tmp/err"; then
    ok "CHARTER_STAMP_STALE set by hand is not heeded"
else
    not_ok "CHARTER_STAMP_STALE set by hand is not heeded" "$(cat "$tmp/err")"
fi
CHARTER_HEAP_RESTORE= CHARTER_STAMP_STALE=1 "$CHARTER" build --site "$site" --out "$tmp/out" \
    --as-of 2026-11-25 2>"$tmp/err"
if grep -q 'nothing changed since the last build' "$tmp/err"; then
    not_ok "told the stamp does not hold, a build does not read it" "$(cat "$tmp/err")"
else
    ok "told the stamp does not hold, a build does not read it"
fi
build_and_compare "told the stamp does not hold: the output as a cold build's"
# A stamp whose trace holds but which is otherwise malformed (a finding line
# cut short): the probe finds it not holding too, as the full check would.
sleep 0.05
for f in "$cache"/stamp-*; do
    sed -i 's/^trace$/finding\tcut short\ntrace/' "$f"
done
timings_say "a malformed stamp is found not holding before git is read" "" \
    "; the stamp known not to hold, not checked.*"
build_and_compare "a malformed stamp: the output as a cold build's"

# Not a cache, but the same kind of machinery: a build with work to do
# starts charter once more with malloc's huge pages asked for
# (generator/heap.c), unless the user named the tunable, and sets malloc's
# top pad, unless the user named that one; an up-to-date build does not
# start again. A sanitizer's build (its own allocator) does neither.
if ldd "$CHARTER" 2>/dev/null | grep -q 'lib[at]san'; then
    ok "a build asks malloc for huge pages and a top pad # SKIP a sanitizer's build"
    ok "not an up-to-date build # SKIP a sanitizer's build"
    ok "not for huge pages when the user refused them # SKIP a sanitizer's build"
    ok "not for a top pad when the user named one # SKIP a sanitizer's build"
    # There the model is freed, for the leak check at exit to prove it can be.
    printf '\nOne more sentence.\n' >>"$site/$policy"
    CHARTER_TIMINGS=1 "$CHARTER" build --site "$site" --out "$tmp/out" --as-of 2026-11-25 \
        --quiet 2>"$tmp/err"
    git -C "$site" checkout -q -- "$policy"
    if grep -q "^charter: timings: .*the model left to the process's exit" "$tmp/err"; then
        not_ok "a sanitizer's build frees its model" "$(cat "$tmp/err")"
    else
        ok "a sanitizer's build frees its model"
    fi
else
    # A build leaves its model (the pages, their parse, the history) to the
    # process's exit rather than free it block by block.
    printf '\nA sentence first.\n' >>"$site/$policy"
    timings_say "a build leaves its model to the process's exit" "" \
        "; the model left to the process's exit; malloc with huge pages and a 16 MB top pad"

    printf '\nOne more sentence.\n' >>"$site/$policy"
    sleep 0.05 # past the racy window: the stamp can vouch for the page
    timings_say "a build asks malloc for huge pages and a top pad" "" \
        "; malloc with huge pages and a 16 MB top pad"
    sleep 0.05
    timings_say "not an up-to-date build" "" "up to date [^;]*; malloc with a 16 MB top pad"
    printf '\nAnd another.\n' >>"$site/$policy"
    timings_say "not for huge pages when the user refused them" glibc.malloc.hugetlb=0 \
        "; malloc with a 16 MB top pad"
    printf '\nAnd a third.\n' >>"$site/$policy"
    timings_say "not for a top pad when the user named one" glibc.malloc.top_pad=131072 \
        "; malloc with huge pages"
    git -C "$site" checkout -q -- "$policy"
fi

# The load cache's entry holds the title a page takes from its heading:
# site.yml's settings that decide it are part of its key. HEAD~1 of this
# fix kept 'a' for a kramdown '#Foreword' page after lax_headings was
# turned on, and 'Heading' after `name` became the title's alias.
printf -- '---\nlayout: page\n---\n#Foreword\n\ntext\n' >"$site/content/untitled-a.md"
printf -- '---\nlayout: page\nname: Real Title\n---\n# Heading\n\ntext\n' >"$site/content/untitled-b.md"
cp "$site/site.yml" "$tmp/site.yml.before"
build_and_compare "pages titled by their heading"
printf '\nmarkdown: {lax_headings: true}\n' >>"$site/site.yml"
build_and_compare "site.yml turns lax_headings on: '#Foreword' titles its page"
printf '\nkeys: {title: [name]}\n' >>"$site/site.yml"
build_and_compare "site.yml makes 'name' the title's alias"
cp "$tmp/site.yml.before" "$site/site.yml"
rm -f "$site/content/untitled-a.md" "$site/content/untitled-b.md"

echo "cache: $n checks, $failed failed"
[ "$failed" -eq 0 ]
