#!/bin/sh
# The incremental build test: after every edit of a scripted sequence on a
# fixture repository (make-fixture.sh), `charter build` into a kept output
# directory (the incremental build) must give the same exit status, the same
# messages and a byte-identical tree as `charter build --no-cache` into a
# fresh one (the cold build).
#
#   CHARTER=$PWD/build/charter sh tests/incremental/run.sh
#
# Each step prints `ok N - what` or `not ok N - what` with the first lines
# of the difference. When both builds fail (findings, exit 1), the kept
# output must be unchanged. Lines starting `reuse:` check that an
# incremental build keeps (same inode and mtime) what it need not rewrite.
# The incremental builds run with CHARTER_CHECK_REUSE=1: each page linked
# from the previous build by its key (gen_page_key) is rendered all the same,
# and one that renders differently is an error, which fails the step.
# Ends with `1..N` and `incremental: N checks, F failed (E equality, R
# reuse)`; exits 1 when any failed. KEEP=1 keeps the temporary directory.
# A charter without `build --no-cache` is tested all the same: its cold
# builds run with the repository's .git/charter moved aside (and put back).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/steps.sh"

crypto=content/technology/cryptography.md
endpoint=content/technology/endpoint-security.md

begin "first build: no output, no cache"
build 0

# Only the edited page's footer says "with uncommitted changes": the
# first uncommitted edit rewrites that page, not every page.
begin "edit a page body (uncommitted)"
run edit $crypto 's/^All Larkspur systems, including the platform, /All Larkspur systems, including the customer platform, /'
keep 404.html people/remote-working/index.html
change technology/cryptography/index.html
build 0
kept "a body edit of $crypto"
# An older cache, restored near the end as a CI cache would be.
[ ! -d .git/charter ] || cp -R .git/charter "$tmp/cache.old"

# A commit rewrites the committed page (its history gains the commit)
# and the registers that name the build's commit, not every page: a page
# of the site's own names the commit that last changed its file.
begin "commit the edit"
run g add $crypto
run commit "$ALICE" "$at" 'Cryptography: the scope names the customer platform'
keep 404.html people/remote-working/index.html
change technology/cryptography/index.html
build 0
kept "a commit of $crypto"

begin "rebuild with no change"
keep_all
build 0
expect_fast yes
kept_all "a rebuild with no change"

begin "rebuild with no change again"
build 0
expect_fast yes

# What only the stamp's git facts see: nothing the build reads as a file.
begin "git rm --cached a page: untracked now (the index alone changed)"
run g rm -q --cached $endpoint
build 0
expect_fast no

begin "git add the page again"
run g add $endpoint
build 0
expect_fast no

begin "an empty commit (HEAD moves, no file changes)"
run commit "$BOB" "$at" 'An empty commit' --allow-empty
build 0
expect_fast no

begin "a .mailmap, not committed, gives Bob his full name"
printf '%s\n' 'Robert Okafor <bob@larkspur.example>' >.mailmap
build 0
expect_fast no

begin "the .mailmap removed"
run rm .mailmap
build 0
expect_fast no

begin "a file removed from the output: rebuilt"
run rm "$A/404.html"
build 0
expect_fast no

begin "a file beside the pages that is not one (content/people/notes.txt)"
echo 'draft notes' >content/people/notes.txt
build 0
expect_fast no

begin "the file removed"
run rm content/people/notes.txt
build 0
expect_fast no

begin "rebuild with no change after all that"
build 0
expect_fast yes

begin "edit a title (the section's navigation of every People page changes)"
run edit content/people/acceptable-use.md 's/^title: Acceptable Use Policy$/title: Acceptable Use of IT Policy/'
build 0

begin "edit version (committed, with a trailer)"
run edit content/governance/risk-management.md 's/^version: "2\.2"$/version: "2.3"/'
run commit "$ALICE" "$at" 'Risk management: version 2.3

Approved-by: Security Steering Group' -- content/governance/risk-management.md
build 0

begin "edit last_reviewed (uncommitted)"
run edit content/operations/backup-and-recovery.md 's/^last_reviewed: .*/last_reviewed: 2026-11-20/'
build 0

begin "change a page's cited controls"
run edit content/technology/network-security.md 's/^controls: \[A\.8\.20, A\.8\.21, A\.8\.22, A\.8\.23\]$/controls: [A.5.14, A.8.20, A.8.21, A.8.22, A.8.23]/'
build 0

# A control's page lists each page citing it with its owner and status:
# their keys digest what each citation shows (gen_controls.c, cite_key_of).
# The first edit of a page adds an uncommitted row to the recent changes
# every page shows; the next ones change only what the page shows.
begin "change a citing page's owner (its controls' pages list it)"
run edit content/technology/network-security.md 's/^owner: Head of Platform Engineering$/owner: Head of Networks/'
build 0

begin "change that owner again (only the citations show it)"
run edit content/technology/network-security.md 's/^owner: Head of Networks$/owner: Network Lead/'
build 0

# A draft covers no control: its controls, cited by no other page, are
# uncovered-control errors, warnings under --no-check, where the step's
# build still makes the site to compare.
begin "change its status (the citations and the SoA show it)"
run edit content/technology/network-security.md 's/^status: approved$/status: draft/'
flags=--no-check
build 0
flags=

begin "both back"
run edit content/technology/network-security.md 's/^owner: Network Lead$/owner: Head of Platform Engineering/; s/^status: draft$/status: approved/'
build 0

# The lists of pages (a tag's, a folder's, the home page's sections, the
# reviews') digest each page's entry key (vars_entry_key) instead of
# filling every entry: what only such a list shows of a page, changed.
begin "change its description (its tags', its folder's and the home page's lists show it)"
run edit content/technology/network-security.md 's/^description: How Larkspur designs, /description: How Larkspur builds, /'
build 0

begin "pin its next review (the reviews' row shows it)"
run edit content/technology/network-security.md 's/^review_cycle: 12 months$/next_review: 2027-05-01/'
build 0

begin "change its last review, the next pinned (only the reviews' row and the page show it)"
run edit content/technology/network-security.md 's/^last_reviewed: 2026-06-09$/last_reviewed: 2026-07-01/'
build 0

begin "all three back"
run edit content/technology/network-security.md 's/^description: How Larkspur builds, /description: How Larkspur designs, /; s/^next_review: 2027-05-01$/review_cycle: 12 months/; s/^last_reviewed: 2026-07-01$/last_reviewed: 2026-06-09/'
build 0

begin "change its approver (only the handbook's entry and the page show it)"
run edit content/technology/network-security.md 's/^approver: Chief Technology Officer$/approver: Chief Information Security Officer/'
build 0

begin "its approver back"
run edit content/technology/network-security.md 's/^approver: Chief Information Security Officer$/approver: Chief Technology Officer/'
build 0

begin "add a page (untracked)"
cat >content/people/travel-security.md <<'EOF'
---
title: Travel Security Standard
id: STD-PPL-001
description: How staff keep devices and information safe when travelling for work.
owner: Head of Security
approver: Chief Operating Officer
status: approved
version: "1.0"
classification: Internal
last_reviewed: 2026-11-09
controls: [A.6.7, A.7.9]
tags: [travel, remote-working]
---

## Purpose

This standard adds to the [Remote and Hybrid Working Policy](remote-working.md) for work done while travelling.

## Requirements

1. Laptops travel as hand luggage and are shut down, not asleep, at border crossings.
2. Staff travelling to a country on the Head of Security's high-risk list take a loan laptop.
EOF
build 0

# The untracked page is read once, then comes from the load cache, which
# trusts its stat: the stamp must still see the page (git's status shows
# an untracked file's name, not its bytes).
begin "edit another page (the untracked one comes from the load cache)"
run edit content/operations/backup-and-recovery.md 's/^last_reviewed: 2026-11-20$/last_reviewed: 2026-11-21/'
build 0

begin "edit the untracked page, which the last build did not read"
run edit content/people/travel-security.md 's/^1\. Laptops travel as hand luggage/1. Laptops always travel as hand luggage/'
build 0
expect_fast no

begin "commit the new page"
run g add content/people/travel-security.md
run commit "$BOB" "$at" 'Add the Travel Security Standard'
build 0

begin "delete a page (git rm, committed, with the link to it)"
run g rm -q content/operations/clear-desk.md
run edit content/operations/physical-security.md 's/\[Clear Desk and Clear Screen Policy\](clear-desk\.md)/Clear Desk and Clear Screen Policy/'
run commit "$ALICE" "$at" 'Remove the retired Clear Desk Policy' -a
build 0

begin "rename a page (git mv, committed, with the links to it)"
run g mv content/people/ai-tools.md content/people/generative-ai-tools.md
run edit content/people/acceptable-use.md 's/(ai-tools\.md)/(generative-ai-tools.md)/'
run edit content/governance/data-protection.md 's|(\.\./people/ai-tools\.md)|(../people/generative-ai-tools.md)|'
run commit "$BOB" "$at" 'Rename the AI tools policy' -a
build 0

begin "add a heading"
run edit $crypto '/^4\.1 The General Counsel is consulted/a\
\
### 5. Recovery key escrow\
\
5.1 Recovery keys for full-disk encryption are escrowed in the device management service and released only to IT Operations.'
build 0

begin "link to the new heading with a fragment from another page"
run edit $endpoint 's/recovery key escrowed in device management |$/recovery key escrowed in device management ([Cryptography Policy](cryptography.md#5-recovery-key-escrow)) |/'
build 0

begin "a broken link: both builds fail, the kept output is unchanged"
run edit content/operations/incident-management.md 's/^4\.2 The General Counsel decides when external forensic specialists are needed\.$/& They are listed in the [Forensic Readiness Procedure](forensic-readiness.md)./'
build 1

begin "fix the broken link"
run edit content/operations/incident-management.md 's/\[Forensic Readiness Procedure\](forensic-readiness\.md)/Forensic Readiness Procedure/'
build 0

begin "rename the heading a fragment names: both builds fail"
run edit $crypto 's/^### 5\. Recovery key escrow$/### 5. Escrow of recovery keys/'
build 1

begin "fix the fragment"
run edit $endpoint 's/#5-recovery-key-escrow)/#5-escrow-of-recovery-keys)/'
build 0

begin "change a layout (layouts/policy.html)"
run edit layouts/policy.html 's|<h2 class="visually-hidden">Document control</h2>|<h2 class="visually-hidden">Document control and history</h2>|'
build 0

begin "change an include (layouts/_includes/footer.html)"
run edit layouts/_includes/footer.html 's|>Atom feed</a>|>Atom feed of changes</a>|'
build 0

begin "add a site override of a theme file (layouts/tag.html)"
run cp "$top/layouts/tag.html" layouts/tag.html
run edit layouts/tag.html 's|<li><a href="{{BASE_URL:h}}">Home</a></li>|<li><a href="{{BASE_URL:h}}">Policies</a></li>|'
build 0

begin "remove the override (the theme's tag.html again)"
run rm layouts/tag.html
build 0

begin "a page links a file beside the pages (../../controls/applicability.yml) and names its approver"
run sh -c "printf '\\nSee the [applicability](../../controls/applicability.yml), approved by {{ page.approver }}.\\n' >>$crypto"
build 0

begin "site.yml's repository_url changes (the link to that file follows)"
run edit site.yml 's|^repository_url: https://github.com/larkspur-analytics/security-policies$|repository_url: https://github.com/larkspur/policies|'
build 0

begin "site.yml's repository_branch changes"
run edit site.yml 's/^repository_branch: main$/repository_branch: trunk/'
build 0

begin "a heading with an ampersand (its id GitHub's: keys--certificates)"
run sh -c "printf '\\n## Keys & Certificates\\n\\nKept apart.\\n' >>$crypto"
build 0

begin "site.yml's markdown.heading_ids: gitlab (the heading's id follows: keys-certificates)"
run sh -c "printf 'markdown: {heading_ids: gitlab}\\n' >>site.yml"
build 0

begin "site.yml's defaults give the page an approver ({{ page.approver }} follows)"
run sh -c "printf 'defaults:\\n  - scope: {path: technology}\\n    values: {approver: Board}\\n' >>site.yml"
build 0

begin "the default approver changes"
run edit site.yml 's/values: {approver: Board}$/values: {approver: Audit Committee}/'
build 0

begin "change site.yml (the title)"
run edit site.yml 's/^title: Larkspur Analytics Security Policies$/title: Larkspur Analytics Information Security Policies/'
build 0

begin "change a control's title in the catalog"
run edit controls/iso27001-2022.yml '/- id: A\.8\.24$/,/title:/s/title: Using cryptography$/title: Use of cryptography/'
build 0

begin "change an asset (assets/style.css)"
run edit assets/style.css 's/^    --accent: #1a5bbf;$/    --accent: #1d4ed8;/'
build 0

begin "touch files without changing them (mtime only)"
run touch content/people/remote-working.md $crypto layouts/page.html layouts/_includes/nav.html \
    controls/applicability.yml assets/style.css site.yml
build 0
expect_fast no

begin "revert a page to the bytes an earlier build saw (git checkout)"
run g checkout -q -- content/operations/backup-and-recovery.md
build 0

begin "commit everything"
run g add -A
run commit "$ALICE" "$at" 'Policy updates from the November review'
build 0

begin "amend the last commit (HEAD rewritten)"
run edit content/people/acceptable-use.md 's/^title: Acceptable Use of IT Policy$/title: Acceptable Use of IT Systems Policy/'
run commit "$ALICE" "$at" 'Policy updates from the November review (amended)' -a --amend
build 0

begin "build as of another day (review warnings)"
build 0 2027-01-05

begin "build as of the usual day again"
build 0

begin "add a section (a new top folder, committed)"
run mkdir content/finance
cat >content/finance/expense-claims.md <<'EOF'
---
title: Expense Claims and Corporate Cards
id: POL-FIN-001
owner: Finance Director
approver: Chief Operating Officer
status: approved
version: "1.0"
classification: Internal
last_reviewed: 2026-11-12
controls: [A.5.3]
tags: [finance]
---

## Purpose

Corporate cards and expense claims are approved by a second person, as the [Information Security Policy](../governance/information-security-policy.md) requires of payments.
EOF
run g add content/finance
run commit "$BOB" "$at" 'Add the Finance section'
build 0

begin "switch to a branch with a committed edit"
run g checkout -q -b review/access-control
run edit content/technology/access-control.md 's/^version: "\([0-9]*\)\.\([0-9]*\)"$/version: "\1.\2.1"/'
run commit "$ALICE" "$at" 'Access control: clarify the joiner process' -a
build 0

begin "switch back to main"
run g checkout -q main
build 0

# By now every build has staged into the site before last, the spare tree
# (.git/charter/output-*.spare), and each equality check above held with it.
n=$((n + 1))
what="reuse: the replaced site is kept as the spare tree, sharing the unchanged files"
: >"$tmp/why"
spare=$(ls -d .git/charter/output-*.spare 2>/dev/null | head -n 1)
if [ -z "$spare" ]; then
    echo "no .git/charter/output-*.spare" >"$tmp/why"
elif [ "$(stat -c %i "$A/assets/favicon.svg")" != \
    "$(stat -c %i "$spare/assets/favicon.svg" 2>&1)" ]; then
    echo "assets/favicon.svg is not the same file in the output and in '$spare'" >"$tmp/why"
fi
report reuse

begin "the cache removed, the output kept"
run rm -rf .git/charter
build 0

begin "the output removed, the cache kept"
run rm -rf "$A"
build 0

begin "a truncated cache"
find .git/charter -type f >"$tmp/cache.files" 2>/dev/null
while read -r f; do
    run truncate -s "$(($(stat -c %s "$f") / 2))" "$f"
done <"$tmp/cache.files"
build 0

# A page titled by its opening heading: the title is added at load, and the
# load cache's entry must hold it (a later build takes the entry, not the
# page). Every page that lists it shows the new title.
begin "a page's title: line replaced by an opening heading"
run edit $crypto 's/^title: .*$//'
run edit $crypto '0,/^---$/!{0,/^---$/s/^---$/---\n# Keys and Ciphers/}'
build 0

begin "rebuild after the title from a heading, nothing changed"
build 0

begin "the heading edited"
run edit $crypto 's/^# Keys and Ciphers$/# Keys, Ciphers and Certificates/'
build 0

# Hugo's TOML front matter for a page (its findings at TOML's positions).
begin "a page's front matter in TOML"
to_toml $endpoint
build 0

begin "a TOML value edited"
run edit $endpoint 's/^owner = .*/owner = "Head of Endpoints"/'
build 0

begin "an older cache restored (as a CI cache restore would)"
run rm -rf .git/charter
[ ! -d "$tmp/cache.old" ] || run cp -R "$tmp/cache.old" .git/charter
build 0

begin "a --no-cache build leaves no cache behind"
if [ "$nocache" = yes ]; then
    rm -rf .git/charter
    : >"$tmp/why"
    cold "$asof" || echo "the --no-cache build exited $?" >>"$tmp/why"
    [ ! -e .git/charter ] || echo ".git/charter exists: $(ls -A .git/charter | tr '\n' ' ')" >>"$tmp/why"
    report equality
else
    echo "ok $n - $what # SKIP charter has no --no-cache"
fi

begin "a --no-cache build neither reads nor writes .git/charter (here a file)"
if [ "$nocache" = yes ]; then
    rm -rf .git/charter
    echo 'not a cache' >.git/charter
    : >"$tmp/why"
    cold "$asof" || echo "the --no-cache build exited $?" >>"$tmp/why"
    [ ! -s "$tmp/cold.err" ] || sed 's/^/  /' "$tmp/cold.err" >>"$tmp/why"
    [ "$(cat .git/charter 2>&1)" = 'not a cache' ] || echo ".git/charter was changed" >>"$tmp/why"
    report equality
else
    echo "ok $n - $what # SKIP charter has no --no-cache"
fi

finish incremental
