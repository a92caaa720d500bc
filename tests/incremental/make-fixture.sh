#!/bin/sh
# Build the git fixture of the incremental build test (tests/incremental/):
# the example site of this repository (site.yml, content/, controls/,
# layouts/, assets/) with four commits of history, every name and date pinned.
#
#   sh tests/incremental/make-fixture.sh SRC WORK
#
# SRC is the example site (the repository's top); WORK must not exist or be
# empty: the fixture repository is WORK/repo, git's isolated home WORK/home.
# The history, oldest first:
#   2026-06-01  the import: every file but people/ai-tools.md, with the
#               Cryptography Policy at version 1.7 and an older wording
#   2026-09-10  the Cryptography Policy as it is now (version 1.8), with an
#               Approved-by trailer
#   2026-10-15  people/ai-tools.md added (a draft), by another author
#   2026-11-02  the Risk Management Policy's purpose reworded
# The site leaves two files to charter's default theme, so that steps can add
# a site override of them and remove it: layouts/tag.html, assets/sort.js.
set -eu

[ $# -eq 2 ] || { echo "usage: make-fixture.sh SRC WORK" >&2; exit 2; }
src=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
if [ -n "$(ls -A "$work")" ]; then
    echo "make-fixture.sh: $work is not empty" >&2
    exit 2
fi
. "$(dirname "$0")/lib.sh"

ALICE='Alice Lindqvist <alice@larkspur.example>'
BOB='Bob Okafor <bob@larkspur.example>'

r=$work/repo
mkdir -p "$r"
cp -R "$src/site.yml" "$src/content" "$src/controls" "$src/layouts" "$src/assets" "$r/"
rm "$r/layouts/tag.html" "$r/assets/sort.js"
g init -q "$r"
cd "$r"

# The import: older versions of two pages, and no AI tools policy yet.
mkdir -p "$work/later"
cp content/technology/cryptography.md content/governance/risk-management.md \
    content/people/ai-tools.md "$work/later/"
rm content/people/ai-tools.md
edit content/technology/cryptography.md 's/^version: "1\.8"$/version: "1.7"/'
edit content/technology/cryptography.md 's/^Encryption protects Larkspur and customer information when other controls fail/Encryption protects our information when other controls fail/'
edit content/governance/risk-management.md 's/^No organisation can remove every risk, and trying to would leave no time to build the product\. //'
g add -A
commit "$ALICE" 2026-06-01T09:00:00Z 'Import the security policies'

cp "$work/later/cryptography.md" content/technology/
g add -A
commit "$ALICE" 2026-09-10T14:30:00Z 'Cryptography: annual review, version 1.8

Approved-by: Chief Technology Officer'

cp "$work/later/ai-tools.md" content/people/
g add -A
commit "$BOB" 2026-10-15T11:00:00Z 'Add the draft Generative AI Tools Policy'

cp "$work/later/risk-management.md" content/governance/
g add -A
commit "$ALICE" 2026-11-02T16:45:00Z 'Risk management: say why not every risk is removed'
rm -rf "$work/later" "$work/edit.before"
