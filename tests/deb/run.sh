#!/bin/sh
# The Debian package (debian/, scripts/build-deb.sh), as a user gets it:
# built with dpkg-buildpackage from a clean export of HEAD, unpacked into an
# empty root with `dpkg-deb -x` (no dpkg database touched), its control
# data declaring the libraries charter links (libgit2, libyaml, cmark-gfm
# and the others, found by dh_shlibdeps) and git, gnupg, openssh-client;
# what make install installs is there (the binary, the man page, the bash
# and zsh completions); the installed /usr/bin/charter runs and builds the
# example site committed to a repository of its own, writing its pages. Not
# part of `make test`: a full compile, about two minutes (`make check-deb`).
# Usage: tests/deb/run.sh [DEB]: DEB, an already built charter_*.deb, skips
# the build. Exit: 0 all pass; 1 a check failed; 2 the build failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-debtest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
. "$top/tests/lib.sh"

if [ $# -ge 1 ]; then
    deb=$1
else
    start=$(date +%s)
    sh "$top/scripts/build-deb.sh" "$tmp/out" >/dev/null || exit 2
    echo "# built in $(($(date +%s) - start)) s"
    deb=$(ls "$tmp"/out/charter_*.deb)
fi
[ -f "$deb" ] || { echo "deb: no package '$deb'" >&2; exit 2; }

root=$tmp/root
mkdir "$root"
check "the package unpacks into an empty root" dpkg-deb -x "$deb" "$root"
dpkg-deb -I "$deb" >"$tmp/info" 2>&1
depends=$(sed -n 's/^ Depends: //p' "$tmp/info")
for lib in libc6 libgit2- libyaml-0-2 libcmark-gfm0 libcmark-gfm-extensions0 libutf8proc libnettle \
        libxxhash0 libdeflate0 libmicrohttpd libgpgme libjansson4; do
    case ", $depends" in
    *", $lib"*) ok "Depends names $lib" ;;
    *) not_ok "Depends names $lib" "Depends: $depends" ;;
    esac
done
check "Recommends git" grep -qx ' Recommends: git' "$tmp/info"
check "Suggests gnupg and openssh-client" grep -qx ' Suggests: gnupg, openssh-client' "$tmp/info"
check "Package, Version and Architecture" sh -c \
    "grep -qx ' Package: charter' '$tmp/info' && grep -qx ' Version: [0-9][0-9.]*' '$tmp/info' && grep -qx ' Architecture: $(dpkg --print-architecture)' '$tmp/info'"

bin=$root/usr/bin/charter
check "/usr/bin/charter is installed and executable" test -x "$bin"
dpkg-deb -c "$deb" | awk '{print $NF}' >"$tmp/files"
check "everything is installed under /usr" sh -c "! grep -v '^\./usr/\|^\./$' '$tmp/files'"
check "the copyright file is installed" grep -qx './usr/share/doc/charter/copyright' "$tmp/files"
# What `make install` installs beside the binary ends up in the package.
check "the man page is installed" sh -c "zcat '$root/usr/share/man/man1/charter.1.gz' | grep -q '^\.TH'"
check "the bash completion is installed" test -s "$root/usr/share/bash-completion/completions/charter"
check "the zsh completion is installed" test -s "$root/usr/share/zsh/vendor-completions/_charter"

version=$(sed -n 's/^ Version: //p' "$tmp/info")
if "$bin" --version >"$tmp/version" 2>&1 && head -n 1 "$tmp/version" | grep -q "^charter $version\( \|$\)"; then
    ok "charter --version says the package's version ($version)"
else
    not_ok "charter --version says the package's version ($version)" "$(cat "$tmp/version")"
fi

site=$tmp/site
example_repo "$site"
if (cd "$site" && "$bin" build --as-of 2026-11-25 --quiet) >"$tmp/build.out" 2>&1; then
    ok "the installed charter builds the example site"
else
    not_ok "the installed charter builds the example site" "$(cat "$tmp/build.out")"
fi
pages=$(find "$site/_site" -name '*.html' 2>/dev/null | wc -l)
if [ "$pages" -ge 10 ] && [ -f "$site/_site/index.html" ] && [ -f "$site/_site/manifest.json" ]; then
    ok "pages were written ($pages HTML files, index.html, manifest.json)"
else
    not_ok "pages were written" "$(ls -R "$site/_site" 2>&1 | head -n 20)"
fi
check "the installed charter checks the example site" sh -c "cd '$site' && '$bin' check --as-of 2026-11-25"

if [ "$failed" -eq 0 ]; then
    echo "deb: all $n passed"
else
    echo "deb: $failed of $n failed"
    exit 1
fi
