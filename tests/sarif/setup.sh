#!/bin/sh
# Fetches the SARIF 2.1.0 JSON schema (draft-07, as published with SARIF 2.1.0)
# into tests/sarif/cache/ for validate.sh. No Debian package ships the schema,
# so it is taken from a pinned npm package that bundles it verbatim
# (@datadog/datadog-ci, Apache-2.0; only its tarball is fetched with
# `npm pack`, none of its dependencies). The file's SHA-256 is pinned below.
# Idempotent and silent when the schema is already in place.
# Exit: 0 ready, 2 cannot fetch (npm missing, network, checksum mismatch).
set -eu

PKG="@datadog/datadog-ci@2.48.0"
MEMBER="package/dist/commands/sarif/json-schema/sarif-schema-2.1.0.json"
SHA256="10666d46649b52e262001e70d43e6c52f7c0279ca3dbdfe9a7dc2e4071556454"

here=$(cd "$(dirname "$0")" && pwd)
cache="$here/cache"
schema="$cache/sarif-schema-2.1.0.json"

ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$SHA256" ]; }

ok "$schema" && exit 0

if ! command -v npm >/dev/null 2>&1; then
    echo "sarif-setup: npm not found; install Node.js and npm (Debian: apt-get install npm)" >&2
    exit 2
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! (cd "$tmp" && npm pack --silent --ignore-scripts "$PKG" >pack.out 2>pack.err); then
    echo "sarif-setup: 'npm pack $PKG' failed:" >&2
    cat "$tmp/pack.err" >&2
    exit 2
fi
tgz="$tmp/$(tail -n 1 "$tmp/pack.out")"
if ! tar -xzf "$tgz" -C "$tmp" "$MEMBER" 2>"$tmp/tar.err"; then
    echo "sarif-setup: $MEMBER not found in $PKG:" >&2
    cat "$tmp/tar.err" >&2
    exit 2
fi
if ! ok "$tmp/$MEMBER"; then
    echo "sarif-setup: checksum mismatch for the schema from $PKG (want sha256 $SHA256)" >&2
    exit 2
fi
mv -f "$tmp/$MEMBER" "$schema"
