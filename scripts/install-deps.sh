#!/bin/sh
# Installs from Debian the packages charter needs to build and test, only when
# they are missing. Idempotent and silent when everything is present; uses
# sudo when not run as root.
# Usage: scripts/install-deps.sh [--test | --fuzz | --deb]
set -eu

pkgs="pkg-config gcc make libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libgit2-dev libutf8proc-dev nettle-dev libxxhash-dev libdeflate-dev libmicrohttpd-dev libgpgme-dev libjansson-dev"
if [ "${1:-}" = "--test" ]; then
    # libctemplate-dev and g++: the ctemplate oracle; python3-jsonschema and
    # python3-rfc3987: validating SARIF reports (tests/sarif/) and OSCAL
    # documents (tests/oscal/), whose \p{L} patterns need python3-regex.
    pkgs="$pkgs libcriterion-dev git libctemplate-dev g++ python3-jsonschema python3-rfc3987 libxml2-utils curl python3-yaml"
    pkgs="$pkgs python3-regex"
    # gnupg (gpg, gpg-agent) and openssh-client (ssh-keygen): keys made and
    # commits signed at test time (test_signature, tests/evidence/).
    pkgs="$pkgs gnupg openssh-client"
    # groff-base (groff -ww checks charter.1) and zsh (zsh -n parses the
    # zsh completion): tests/man/run.sh.
    pkgs="$pkgs groff-base zsh"
    # npm fetches the SARIF schema; Debian's npm only when none is installed
    # (a Node.js from elsewhere brings its own).
    command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
fi
if [ "${1:-}" = "--fuzz" ]; then
    # make fuzz (tests/fuzz/): clang with libFuzzer and the sanitizer runtimes.
    pkgs="$pkgs clang libclang-rt-14-dev"
fi

if [ "${1:-}" = "--deb" ]; then
    # make deb and make check-deb (scripts/build-deb.sh, tests/deb/):
    # dpkg-buildpackage with debhelper; git exports the source.
    pkgs="$pkgs debhelper dpkg-dev fakeroot git"
fi

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "install-deps: missing packages:$missing; run as root or install sudo" >&2
    exit 2
fi

echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have empty package lists: update once, then install.
$sudo apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
