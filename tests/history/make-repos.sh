#!/bin/sh
# Build the git fixture repositories for the history tests (tests/history/).
#
#   sh tests/history/make-repos.sh OUTDIR
#
# OUTDIR must not exist or be empty. Every author, committer and date is
# pinned, and git runs with HOME, XDG_CONFIG_HOME and the global and system
# config pointed away from the user's, so the repositories (and their commit
# ids, all but the submodule's, whose .gitmodules names OUTDIR) are the same on
# every machine. Writes:
#
#   OUTDIR/main       the main fixture: 9 pages at HEAD; edits, a pure rename, a
#                     rename with edits, a move into a subfolder, a --no-ff
#                     merge, an empty commit, .mailmap, Approved-by/Reviewed-by
#                     trailers, a versioned and an unversioned page, a
#                     review-only commit, a page deleted in history; then an
#                     uncommitted edit (backup.md) and an untracked page
#                     (new-page.md) in the working tree
#   OUTDIR/shallow    git clone --depth 3 of main (committed state only)
#   OUTDIR/norepo     a copy of main's working tree without .git
#   OUTDIR/unborn     git init, the site's files, no commit
#   OUTDIR/detached   a clone of main, HEAD detached at HEAD~2
#   OUTDIR/worktree   git worktree add of main (detached at the merge commit)
#   OUTDIR/submodule  a clone of main plus a committed submodule at content/vendor
#   OUTDIR/nested     a repository whose site lives in the subfolder policies/
#   OUTDIR/vendor-src the submodule's upstream (not a site)
#   OUTDIR/odd        one page whose versions are written as YAML allows (a
#                     comment after the value, null, a list, a front matter
#                     never closed) and a commit made with
#                     i18n.commitEncoding=ISO-8859-1 (message, author, trailer)
#   OUTDIR/hostile    commits git itself would not write (hash-object
#                     --literally): no author name, a timestamp at INT64_MAX,
#                     an encoding iconv does not know, an empty message, a
#                     0x1f byte in a name and a trailer; and
#                     revisions with broken YAML and over 4 MiB
#   OUTDIR/follow     what git log --follow calls the same page: a page
#                     deleted and restored, renames from an extensionless
#                     file and a .txt, to a .txt and back, an edited copy of
#                     a kept page, a page filled in from _template.md, a name
#                     reused after a rename, a deleted file taken before a
#                     kept one more alike, a commit changing only a mode
#
# The page list and the commit plan are described next to each step below;
# tests/history/compare.sh asserts on them.
set -eu

[ $# -eq 1 ] || { echo "usage: make-repos.sh OUTDIR" >&2; exit 2; }
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -n "$(ls -A "$out")" ]; then
    echo "make-repos.sh: $out is not empty" >&2
    exit 2
fi

# Isolation from the user's and the system's git configuration and from any
# repository the caller happens to be in.
HOME=$out/.home
XDG_CONFIG_HOME=$HOME/.config
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=$HOME/.gitconfig
GIT_CEILING_DIRECTORIES=$out
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL GIT_CEILING_DIRECTORIES
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
    GIT_NAMESPACE GIT_COMMON_DIR GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
    GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE 2>/dev/null || true
mkdir -p "$XDG_CONFIG_HOME"
printf '[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n' >"$GIT_CONFIG_GLOBAL"
TZ=UTC
LC_ALL=C
export TZ LC_ALL

g() { git -c init.defaultBranch=main -c core.autocrlf=false -c commit.gpgsign=false \
    -c protocol.file.allow=always -c advice.detachedHead=false "$@"; }

# commit AUTHOR EMAIL AUTHOR_DATE COMMITTER_DATE [git commit options...]
# The message is read from $msg. The committer is always the fixture bot, on
# its own (later) date, so charter must read the author's name and date.
msg=$out/.msg
commit() {
    a_name=$1 a_email=$2 a_date=$3 c_date=$4
    shift 4
    GIT_AUTHOR_NAME=$a_name GIT_AUTHOR_EMAIL=$a_email GIT_AUTHOR_DATE=$a_date \
        GIT_COMMITTER_NAME="Fixture Bot" GIT_COMMITTER_EMAIL=bot@ci.example \
        GIT_COMMITTER_DATE=$c_date \
        g commit -q --no-verify --cleanup=verbatim -F "$msg" "$@"
}
message() { printf '%s\n' "$@" >"$msg"; }

# page FILE TITLE LAST_REVIEWED [VERSION]  (body on stdin)
page() {
    mkdir -p "$(dirname "$1")"
    {
        echo '---'
        echo "title: $2"
        echo 'owner: Head of Security'
        [ -z "${4:-}" ] || echo "version: $4"
        echo "last_reviewed: $3"
        echo '---'
        echo
        cat
    } >"$1"
}

# A minimal charter site: site.yml, two layouts, a home page.
skeleton() {
    mkdir -p "$1/content" "$1/layouts"
    printf 'title: History fixture\nchecks:\n  orphan-page: off\n' >"$1/site.yml"
    printf '<title>{{TITLE}}</title>\n{{CONTENT}}\n' >"$1/layouts/policy.html"
    printf '<title>{{TITLE}}</title>\n{{CONTENT}}\n' >"$1/layouts/page.html"
    cat >"$1/content/index.md" <<'MD'
---
title: History fixture
layout: page
---

The home page of the history fixture.
MD
}

A1='alice'                ; E1='alice@example.com'           # .mailmap: Alice Lindqvist
A2='A. Lindqvist'         ; E2='a.lindqvist@old.example'     # .mailmap: Alice Lindqvist
B='Bob Okafor'            ; EB='bob@example.com'
J='Jörg Ünal'             ; EJ='joerg@example.com'

# ---------------------------------------------------------------- main
m=$out/main
mkdir -p "$m"
g init -q "$m"
cd "$m"
skeleton .
cat >.mailmap <<'MAP'
# Two addresses of one person, one canonical name.
Alice Lindqvist <alice@example.com>
Alice Lindqvist <alice@example.com> <a.lindqvist@old.example>
MAP
page content/backup.md 'Backup Policy' 2026-01-05 <<'MD'
## Scope

Backups cover every production database and the object store.

## Retention

Daily backups are kept for 30 days.
MD
page content/legacy.md 'Legacy Systems' 2026-01-05 <<'MD'
This page describes the mainframe that was switched off in 2025.
It stays for reference until the archive is audited.
MD
page content/old-name.md 'Business Continuity' 2026-01-05 <<'MD'
## Purpose

Keep the service running when a region fails.

## Recovery objectives

- RTO: 4 hours
- RPO: 1 hour
MD
g add -A
# C1: the first commit (author "alice", mapped by .mailmap).
message 'Initial site'
commit "$A1" "$E1" '2026-01-05T09:00:00+00:00' '2026-01-05T09:05:00+00:00'

# C2: the versioned page, version "0.1" (quoted); a Reviewed-by trailer.
page content/access.md 'Access Control Policy' 2026-01-12 '"0.1"' <<'MD'
## Purpose

Access to systems is granted on the principle of least privilege.
MD
g add content/access.md
message 'Add access control policy' '' 'Reviewed-by: Alice Lindqvist <alice@example.com>'
commit "$B" "$EB" '2026-01-12T10:00:00+00:00' '2026-01-13T08:00:00+00:00'

# C3: a plain edit, by Alice's old address (mailmap).
page content/backup.md 'Backup Policy' 2026-01-05 <<'MD'
## Scope

Backups cover every production database and the object store.

## Retention

Daily backups are kept for 35 days, monthly backups for a year.
MD
message 'Backup: longer retention'
commit "$A2" "$E2" '2026-01-20T16:45:00+00:00' '2026-01-20T17:00:00+00:00' -a

# C4: four new pages in one commit, by a non-ASCII author; one file name
# with a space and non-ASCII letters.
page content/draft-crypto.md 'Cryptography' 2026-02-02 <<'MD'
## Purpose

This policy sets the rules for using cryptography at the company.

## Algorithms

- Data at rest is encrypted with AES-256-GCM.
- Data in transit uses TLS 1.2 or later.
- Passwords are hashed with Argon2id.
- Random numbers come from the operating system.

## Keys

Keys are generated in the key management service.
Keys are rotated every year.
Keys are never stored in source code.
Access to keys is logged and reviewed every quarter.

## Exceptions

Exceptions are approved by the Head of Security and recorded in the risk register.
MD
page content/people.md 'People Security' 2026-02-02 <<'MD'
Everyone completes security training when they join and every year after.
MD
page 'content/données personnelles.md' 'Personal Data' 2026-02-02 <<'MD'
A page whose file name has a space and non-ASCII letters.
MD
page content/incident.md 'Incident Management' 2026-02-02 <<'MD'
## Reporting an incident

Report suspected incidents to the security team at once.
MD
g add content
message 'Add cryptography, people and incident pages'
commit "$J" "$EJ" '2026-02-02T11:00:00+01:00' '2026-02-02T12:00:00+01:00'

# C5: version 0.2 (unquoted), authored at 00:30 in +02:00: the author's own
# date is 2026-03-02, in UTC it is still 2026-03-01. Trailers: two
# Approved-by and one Reviewed-by.
page content/access.md 'Access Control Policy' 2026-03-01 0.2 <<'MD'
## Purpose

Access to systems is granted on the principle of least privilege.

## Reviews

Access rights are reviewed every quarter.
MD
message 'Access policy 0.2: quarterly reviews' '' \
    'Quarterly access reviews were agreed with the audit committee.' '' \
    'Approved-by: Carol Chen <carol@example.com>' \
    'Approved-by: Dan Park <dan@example.com>' \
    'Reviewed-by: Jörg Ünal <joerg@example.com>'
commit "$B" "$EB" '2026-03-02T00:30:00+02:00' '2026-03-02T09:00:00+02:00' -a

# C6: a pure rename (git mv alone).
g mv content/old-name.md content/continuity.md
message 'Rename old-name to continuity'
commit "$A1" "$E1" '2026-03-10T08:00:00+00:00' '2026-03-10T08:10:00+00:00'

# C7: a rename with edits in the same commit (about 70% similar).
g mv content/draft-crypto.md content/cryptography.md
page content/cryptography.md 'Cryptography Policy' 2026-03-18 <<'MD'
## Purpose

This policy sets the rules for using cryptography at the company.

## Algorithms

- Data at rest is encrypted with AES-256-GCM.
- Data in transit uses TLS 1.3 only.
- Passwords are hashed with Argon2id.
- Random numbers come from the operating system.

## Keys

Keys are generated in the hardware security module.
Keys are rotated every six months.
Keys are never stored in source code.
Access to keys is logged and reviewed every quarter.

## Exceptions

Exceptions are approved by the Head of Security and recorded in the risk register.
MD
g add content/cryptography.md
message 'Rename draft cryptography page and tighten the rules'
commit "$J" "$EJ" '2026-03-18T14:00:00+01:00' '2026-03-18T14:30:00+01:00'

# C8: a move into a subfolder.
mkdir -p content/hr
g mv content/people.md content/hr/people.md
message 'Move the people page into hr/'
commit "$B" "$EB" '2026-04-02T09:00:00+00:00' '2026-04-02T09:30:00+00:00'

# C9: a new page, authored at 21:15 in -05:00 (02:15 the next day in UTC),
# by an address .mailmap has in other case (git compares emails ignoring case).
page content/suppliers.md 'Supplier Security' 2026-04-10 <<'MD'
## Scope

Every supplier that processes customer data.
MD
g add content/suppliers.md
message 'Add supplier policy'
commit "$A1" 'Alice@Example.COM' '2026-04-10T21:15:00-05:00' '2026-04-10T21:20:00-05:00'

# A branch that edits suppliers.md twice (B1, B2), while main edits
# backup.md (C10); then a --no-ff merge (M) with an Approved-by trailer.
# Only the merge appears in suppliers.md's history (first parent only).
g checkout -q -b supplier-review
cat >>content/suppliers.md <<'MD'

## Due diligence

Suppliers are assessed before a contract is signed.
MD
message 'Suppliers: add due diligence'
commit "$J" "$EJ" '2026-04-15T10:00:00+02:00' '2026-04-15T10:00:00+02:00' -a
sed 's/assessed before/assessed before and after/' content/suppliers.md >content/suppliers.md.tmp
mv content/suppliers.md.tmp content/suppliers.md
message 'Suppliers: reassess after signing'
commit "$J" "$EJ" '2026-04-20T10:00:00+02:00' '2026-04-20T10:00:00+02:00' -a
g checkout -q main
# C10 has a two-line first paragraph: its summary is both lines joined.
cat >>content/backup.md <<'MD'

## Restore tests

A restore is tested every month.
MD
message 'Backup: monthly restore tests' 'and a runbook' '' 'A subject of two lines: %s joins them with a space.'
commit "$B" "$EB" '2026-04-18T09:00:00+00:00' '2026-04-18T09:00:00+00:00' -a
message "Merge branch 'supplier-review'" '' 'Approved-by: Carol Chen <carol@example.com>'
GIT_AUTHOR_NAME=$A1 GIT_AUTHOR_EMAIL=$E1 GIT_AUTHOR_DATE='2026-04-25T12:00:00+00:00' \
    GIT_COMMITTER_NAME="Fixture Bot" GIT_COMMITTER_EMAIL=bot@ci.example \
    GIT_COMMITTER_DATE='2026-04-25T12:00:00+00:00' \
    g merge -q --no-ff --no-verify --no-edit -F "$msg" supplier-review
g branch -q -D supplier-review

# C11: delete a page (legacy.md exists only in history).
g rm -q content/legacy.md
message 'Remove the legacy systems page'
commit "$B" "$EB" '2026-05-03T10:00:00+00:00' '2026-05-03T10:00:00+00:00'

# C12: an empty commit.
message 'Empty commit to trigger a deploy'
commit "$A1" "$E1" '2026-05-10T10:00:00+00:00' '2026-05-10T10:00:00+00:00' --allow-empty

# C13: review-only: the only change is incident.md's last_reviewed line.
# Authored at 23:58 UTC. A Reviewed-by trailer.
sed 's/^last_reviewed: 2026-02-02$/last_reviewed: 2026-05-31/' content/incident.md >content/incident.md.tmp
mv content/incident.md.tmp content/incident.md
message 'Review the incident page' '' 'Reviewed-by: Bob Okafor <bob@example.com>'
commit "$J" "$EJ" '2026-05-31T23:58:00+00:00' '2026-06-01T00:03:00+00:00' -a

# C14: version '1.0' (single quotes) and a new last_reviewed: not review-only.
page content/access.md 'Access Control Policy' 2026-06-15 "'1.0'" <<'MD'
## Purpose

Access to systems is granted on the principle of least privilege.

## Reviews

Access rights are reviewed every quarter.
MD
message 'Access policy 1.0' '' 'Approved-by: Carol Chen <carol@example.com>'
commit "$B" "$EB" '2026-06-15T10:00:00+00:00' '2026-06-15T10:00:00+00:00' -a

# C15: two pages in one commit (continuity.md gets its first version:, so
# its rows read "2.0", "2", "1"); quotes and non-ASCII in the subject; an
# "Approved-by:" line in the body that is not a trailer (not in the last
# paragraph).
sed 's/35 days/40 days/' content/backup.md >content/backup.md.tmp
mv content/backup.md.tmp content/backup.md
sed -e 's/RTO: 4 hours/RTO: 2 hours/' -e 's/^last_reviewed:/version: "2.0"\
last_reviewed:/' content/continuity.md >content/continuity.md.tmp
mv content/continuity.md.tmp content/continuity.md
message 'Backup and continuity: "offsite" copies, RTO 2 h – agreed' '' \
    'Approved-by: nobody yet, this is prose in the body' '' \
    'The last paragraph has no trailers either.'
commit "$A2" "$E2" '2026-07-01T10:00:00+00:00' '2026-07-01T10:00:00+00:00' -a

# C16: a layout change only: no page history.
printf '<title>{{TITLE}}</title>\n<main>{{CONTENT}}</main>\n' >layouts/page.html
message 'Layout: wrap content in main'
commit "$J" "$EJ" '2026-07-20T10:00:00+02:00' '2026-07-20T10:00:00+02:00' -a

# C17: edits to the moved and the renamed page; a "Reviewed-By" trailer (git
# matches trailer keys ignoring case).
sed 's/every year after/every year after, and after a role change/' content/hr/people.md >content/hr/people.md.tmp
mv content/hr/people.md.tmp content/hr/people.md
sed 's/rotated every six months/rotated every six months or on compromise/' content/cryptography.md >content/cryptography.md.tmp
mv content/cryptography.md.tmp content/cryptography.md
message 'People and cryptography: small fixes' '' 'Reviewed-By: Alice Lindqvist <alice@example.com>' \
    'Approved-by: Carol Chen <carol@example.com>'
commit "$B" "$EB" '2026-08-05T10:00:00+00:00' '2026-08-05T10:00:00+00:00' -a

# ---------------------------------------------------------------- clones
# (before main's working tree gets its uncommitted and untracked changes)
g clone -q --depth 3 "file://$m" "$out/shallow"
g clone -q "$m" "$out/detached"
g -C "$out/detached" checkout -q --detach HEAD~2
g -C "$m" worktree add -q --detach "$out/worktree" HEAD~7

# Working tree only: an uncommitted edit and an untracked page.
sed 's/A restore is tested every month./A restore is tested every two weeks./' content/backup.md >content/backup.md.tmp
mv content/backup.md.tmp content/backup.md
page content/new-page.md 'New Page' 2026-11-01 <<'MD'
A page nobody has committed yet.
MD

# ---------------------------------------------------------------- norepo
mkdir -p "$out/norepo"
(cd "$m" && tar cf - --exclude=./.git .) | (cd "$out/norepo" && tar xf -)

# ---------------------------------------------------------------- unborn
mkdir -p "$out/unborn"
skeleton "$out/unborn"
page "$out/unborn/content/access.md" 'Access Control Policy' 2026-11-01 '"0.1"' <<'MD'
Nothing committed yet.
MD
g init -q "$out/unborn"

# ---------------------------------------------------------------- submodule
v=$out/vendor-src
mkdir -p "$v"
g init -q "$v"
printf 'Vendor notice.\n' >"$v/NOTICE.txt"
printf -- '---\ntitle: Vendor page\nowner: Vendor\nlast_reviewed: 2026-01-01\n---\n\nFrom a submodule.\n' >"$v/vendor.md"
g -C "$v" add -A
(cd "$v" && message 'Vendor files' && commit "Vera Vendor" vera@vendor.example \
    '2026-02-01T10:00:00+00:00' '2026-02-01T10:00:00+00:00')
g clone -q "$m" "$out/submodule"
cd "$out/submodule"
g submodule add -q "file://$v" content/vendor
message 'Add the vendor submodule'
commit "$B" "$EB" '2026-09-01T10:00:00+00:00' '2026-09-01T10:00:00+00:00'

# ---------------------------------------------------------------- nested
# The site is the folder policies/ of a larger repository.
n=$out/nested
mkdir -p "$n"
g init -q "$n"
cd "$n"
printf 'A repository with a site in policies/.\n' >README.md
skeleton policies
page policies/content/access.md 'Access Control Policy' 2026-02-01 '"0.1"' <<'MD'
Least privilege.
MD
g add -A
message 'Start'
commit "$A1" "$E1" '2026-02-01T10:00:00+00:00' '2026-02-01T10:00:00+00:00'
g mv policies/content/access.md policies/content/access-control.md
page policies/content/access-control.md 'Access Control Policy' 2026-02-01 '"0.2"' <<'MD'
Least privilege.
MD
g add -A
message 'Rename the access page'
commit "$B" "$EB" '2026-02-03T10:00:00+00:00' '2026-02-03T10:00:00+00:00'

# ---------------------------------------------------------------- odd
# content/policy.md's versions, newest first: 3.1 3.0 5 4 3 2.2 2.1 (5, 4, 3:
# the running number, as the revision declares none YAML can read).
o=$out/odd
mkdir -p "$o"
g init -q "$o"
cd "$o"
skeleton .
# policy VERSION_LINE CLOSING (body fixed): the page with a raw version line.
policy() {
    {
        printf -- '---\ntitle: Odd Policy\nowner: Head of Security\n%s\nlast_reviewed: 2026-01-10\n' "$1"
        [ "$2" = open ] || echo '---'
        printf '\nPolicies are written by people, and so is their front matter.\n'
    } >content/policy.md
}
policy 'version: "2.1"' closed
g add -A
message 'Add the odd policy'
commit "$B" "$EB" '2026-01-10T10:00:00+00:00' '2026-01-10T10:00:00+00:00'
# A comment after a quoted value: YAML reads 2.2.
policy 'version: "2.2"   # bumped' closed
message 'Policy 2.2'
commit "$B" "$EB" '2026-01-11T10:00:00+00:00' '2026-01-11T10:00:00+00:00' -a
# The front matter is never closed: no version can be read from it.
policy 'version: "2.3"' open
message 'Policy 2.3 with its front matter left open'
commit "$B" "$EB" '2026-01-12T10:00:00+00:00' '2026-01-12T10:00:00+00:00' -a
policy 'version: ~' closed
message 'Policy with a null version'
commit "$B" "$EB" '2026-01-13T10:00:00+00:00' '2026-01-13T10:00:00+00:00' -a
policy 'version: [1, 2]' closed
message 'Policy with a list for a version'
commit "$B" "$EB" '2026-01-14T10:00:00+00:00' '2026-01-14T10:00:00+00:00' -a
# ISO-8859-1: message, author name and trailer in Latin-1 bytes (\351 is é,
# \350 is è); git records "encoding ISO-8859-1" and `git log` shows UTF-8.
policy 'version: 3.0 # plain, with a comment' closed
printf 'Caf\351: r\351vision approuv\351e\n\nApproved-by: Ren\351e Dub\351 <renee@example.com>\n' >"$msg"
GIT_AUTHOR_NAME=$(printf 'Zo\351 Lef\350vre') GIT_AUTHOR_EMAIL=zoe@example.com \
    GIT_AUTHOR_DATE='2026-01-15T10:00:00+01:00' \
    GIT_COMMITTER_NAME="Fixture Bot" GIT_COMMITTER_EMAIL=bot@ci.example \
    GIT_COMMITTER_DATE='2026-01-15T10:00:00+01:00' \
    g -c i18n.commitEncoding=ISO-8859-1 commit -q --no-verify --cleanup=verbatim -F "$msg" -a
policy "version: '3.1'" closed
message 'Policy 3.1'
commit "$B" "$EB" '2026-01-16T10:00:00+00:00' '2026-01-16T10:00:00+00:00' -a
# content/trailers.md: trailers in the shapes git reads and libgit2 1.5
# misreads, newest first: a fold, CRLF lines, an empty Approved-by, a block
# that is trailers by git's quarter rule (one Signed-off-by among them).
echo 'Approvals written in every shape.' | page content/trailers.md 'Trailer Policy' 2026-01-17
g add -A
printf 'Add the trailer policy\n\nSome context.\nMore context.\nA third line.\nSigned-off-by: Bob <bob@example.com>\nApproved-by: Quarter Rule\n' >"$msg"
commit "$B" "$EB" '2026-01-17T10:00:00+00:00' '2026-01-17T10:00:00+00:00'
echo 'Empty approval.' >>content/trailers.md
printf 'An empty approval\n\nApproved-by:\nReviewed-by: Ruth\n' >"$msg"
commit "$B" "$EB" '2026-01-18T10:00:00+00:00' '2026-01-18T10:00:00+00:00' -a
echo 'CRLF message.' >>content/trailers.md
printf 'A message with CRLF lines\r\n\r\nApproved-by: Carla\r\nReviewed-by: Rex\r\n' >"$msg"
commit "$B" "$EB" '2026-01-19T10:00:00+00:00' '2026-01-19T10:00:00+00:00' -a
echo 'Folded approval.' >>content/trailers.md
printf 'A folded approval\n\nApproved-by: Fiona Long-Name\n  <fiona@example.com>\nReviewed-by: Rex\n' >"$msg"
commit "$B" "$EB" '2026-01-20T10:00:00+00:00' '2026-01-20T10:00:00+00:00' -a

# ---------------------------------------------------------------- hostile
# content/policy.md's versions, newest first: 1.6 1.5 1.4 1.3 3 2 1.0.
h=$out/hostile
mkdir -p "$h"
g init -q "$h"
cd "$h"
skeleton .
# hpolicy VERSION (body on stdin)
hpolicy() { page content/policy.md 'Hostile Policy' 2026-02-01 "\"$1\""; }
echo 'A page in a repository written by tools other than git.' | hpolicy 1.0
g add -A
message 'Add the hostile policy'
commit "$B" "$EB" '2026-02-01T10:00:00+00:00' '2026-02-01T10:00:00+00:00'
# YAML that does not parse (an unclosed flow sequence): no version, no finding.
sed 's/^owner: .*/owner: [Head of Security/' content/policy.md >content/policy.md.tmp
sed 's/^version: .*/version: "1.1"/' content/policy.md.tmp >content/policy.md
rm content/policy.md.tmp
message 'Policy 1.1 with broken YAML'
commit "$B" "$EB" '2026-02-02T10:00:00+00:00' '2026-02-02T10:00:00+00:00' -a
# Over 4 MiB: not read, so no version.
{ echo 'A page that grew too large.'; yes 'Filler line of the oversized revision.' | head -n 130000; } |
    hpolicy 1.2
message 'Policy 1.2, over 4 MiB'
commit "$B" "$EB" '2026-02-03T10:00:00+00:00' '2026-02-03T10:00:00+00:00' -a
# raw_commit HEADER_LINES MESSAGE: a commit of the index, written as given.
raw_commit() {
    g add -A
    c=$(printf 'tree %s\nparent %s\n%s\n\n%s' "$(g write-tree)" "$(g rev-parse HEAD)" "$1" "$2" |
        g hash-object -t commit -w --stdin --literally)
    g update-ref HEAD "$c"
}
bot='committer Fixture Bot <bot@ci.example> 1770199200 +0000'
echo 'Back to a normal size.' | hpolicy 1.3
raw_commit "author <nobody@example.com> 9223372036854775807 +1400
$bot" 'No author name, and a date past any calendar
'
echo 'An encoding nobody knows.' | hpolicy 1.4
raw_commit "author $B <$EB> 1770285600 +0000
$bot
encoding x-no-such-charset" "$(printf 'Caf\351 in an unknown encoding')
"
echo 'An empty message.' | hpolicy 1.5
raw_commit "author $B <$EB> 1770372000 +0000
$bot" ''
# A name and a trailer holding the byte the history cache separates fields by.
echo 'A unit separator.' | hpolicy 1.6
raw_commit "author $(printf 'Unit\037Separator') <us@example.com> 1770458400 +0000
$bot" "$(printf 'Unit separator in a name\n\nApproved-by: Ann\037Bell <ab@example.com>')
"

# ---------------------------------------------------------------- follow
# What git log --follow --first-parent calls the same page, beyond plain
# renames: a page deleted and later restored at its path (the history goes
# on through the deletion); renames from and to names that are not .md (an
# extensionless file, a .txt); a page copied from a kept page, edited, and
# one filled in from a template the site does not publish (_template.md);
# a path renamed away and later reused by an unrelated page; a new page as
# like a deleted page as a kept one (git takes the deleted one). Page
# texts are unlike each other unless a step says otherwise: git compares a
# new page with every file (--follow finds copies as -C -C does).
f=$out/follow
mkdir -p "$f"
g init -q "$f"
cd "$f"
skeleton .
page content/retention.md 'Data Retention' 2026-01-05 '"1.0"' <<'MD'
Records are kept for as long as the law asks and no longer.
Invoices stay ten years; payroll records stay six.
MD
# No extension: a page saved without .md (so not published yet).
page content/acceptable-use 'Acceptable Use' 2026-01-05 <<'MD'
Company laptops are for company work; light personal use is tolerated.
Installing unapproved software needs a ticket.
Sharing passwords is never acceptable.
MD
printf 'Glossary notes kept as plain text.\nRPO: how much data may be lost.\nRTO: how long a restore may take.\nMFA: a second factor at login.\nSoA: the statement of applicability.\nISMS: the management system itself.\n' \
    >content/notes.txt
page content/access.md 'Access Control' 2026-01-05 '"1.0"' <<'MD'
## Purpose

Access to systems follows least privilege.

## Accounts

- Every account belongs to one named person.
- Shared accounts need an exception.
- Accounts of leavers are closed on their last day.
- Administrator rights are granted per system.
- Access requests are approved by the system owner.
- Rights are reviewed every quarter.
- Service accounts have an owner and no login shell.
- Emergency access is logged and reviewed the next day.
MD
page content/_template.md 'TITLE' 2026-01-05 '"0.1"' <<'MD'
## Purpose

State why this policy exists and what it protects.

## Scope

List the systems, people and places it covers.

## Roles

Name the owner, the approver and who must comply.

## Exceptions

Exceptions are requested from the owner, approved in writing and reviewed yearly.

## Review

The owner reviews this policy every year and after any major incident.
MD
page content/incident.md 'Incident Handling' 2026-01-05 <<'MD'
Call the on-call engineer; open an incident channel; keep a timeline.
MD
page content/old-vendor.md 'Vendor Checks' 2026-01-05 <<'MD'
Vendors answer a security questionnaire before onboarding.
Vendors with customer data are reviewed every year.
Contracts name a contact for security incidents.
Vendors must notify us of a breach within 72 hours.
Subprocessors are listed in the contract annex.
Offboarding a vendor revokes its access the same day.
Vendor checks are kept in the register.
Questionnaires are stored for five years.
MD
page content/suppliers.md 'Suppliers' 2026-01-05 <<'MD'
Vendors answer a security questionnaire before onboarding.
Vendors with customer data are reviewed every year.
Contracts name a contact for security incidents.
Vendors must notify us of a breach within 72 hours.
Subprocessors are listed in the contract annex.
Offboarding a vendor revokes its access the same day.
Vendors sign the code of conduct.
Payment details are confirmed by phone.
Critical vendors have an exit plan.
Supplier risk is reported to the board once a year.
MD
page content/glossary.md 'Glossary' 2026-01-05 <<'MD'
Asset: anything of value to the company.
Risk: the effect of uncertainty on objectives.
Control: a measure that modifies risk.
MD
g add -A
message 'Start the follow fixture'
commit "$A1" "$E1" '2026-01-05T09:00:00+00:00' '2026-01-05T09:00:00+00:00'

# F2: edits, one of them to the extensionless file.
sed 's/six\./seven./' content/retention.md >content/r.tmp && mv content/r.tmp content/retention.md
printf 'Personal devices never hold customer data.\n' >>content/acceptable-use
printf 'Supplier contracts are renewed every year.\n' >>content/suppliers.md
message 'Small fixes to retention, acceptable use and suppliers'
commit "$B" "$EB" '2026-01-12T10:00:00+00:00' '2026-01-12T10:00:00+00:00' -a

# F3: the retention page is deleted.
g rm -q content/retention.md
message 'Drop the retention page'
commit "$J" "$EJ" '2026-01-20T10:00:00+01:00' '2026-01-20T10:00:00+01:00'

# F4: the extensionless file gets its .md (a pure rename); the notes become
# a page (a rename from .txt, with front matter added).
g mv content/acceptable-use content/acceptable-use.md
g mv content/notes.txt content/notes.md
{ printf -- '---\ntitle: Notes\nowner: Head of Security\nlast_reviewed: 2026-02-01\n---\n\n'; cat content/notes.md; } >content/n.tmp
mv content/n.tmp content/notes.md
g add -A
message 'Give acceptable use and the notes their .md'
commit "$A1" "$E1" '2026-02-01T10:00:00+00:00' '2026-02-01T10:00:00+00:00'

# F5: the retention page comes back, as it was before its deletion.
g checkout -q HEAD~2 -- content/retention.md
message 'Restore the retention page'
commit "$B" "$EB" '2026-02-10T10:00:00+00:00' '2026-02-10T10:00:00+00:00'

# F6: the restored page changes.
sed 's/"1.0"/"1.1"/' content/retention.md >content/r.tmp && mv content/r.tmp content/retention.md
message 'Retention 1.1'
commit "$B" "$EB" '2026-02-15T10:00:00+00:00' '2026-02-15T10:00:00+00:00' -a

# F7: remote access, an edited copy of access.md (which stays).
sed -e 's/^title: Access Control$/title: Remote Access/' \
    -e 's/^- Shared accounts need an exception\.$/- Remote access always uses the VPN and MFA./' \
    content/access.md >content/remote-access.md
g add -A
message 'Add remote access, from the access policy'
commit "$J" "$EJ" '2026-03-01T10:00:00+01:00' '2026-03-01T10:00:00+01:00'

# F8: a page filled in from the template.
sed -e 's/^title: TITLE$/title: Clear Desk/' \
    -e 's/^List the systems, people and places it covers\.$/Every office and every home office./' \
    content/_template.md >content/clear-desk.md
g add -A
message 'Add the clear desk policy from the template'
commit "$A1" "$E1" '2026-03-10T10:00:00+00:00' '2026-03-10T10:00:00+00:00'

# F9-F11: the glossary becomes a .txt, is edited, and becomes a page again.
g mv content/glossary.md content/glossary.txt
message 'Glossary as plain text'
commit "$B" "$EB" '2026-03-20T10:00:00+00:00' '2026-03-20T10:00:00+00:00'
printf 'Incident: an event that harms security.\n' >>content/glossary.txt
message 'Glossary: define incident'
commit "$B" "$EB" '2026-03-21T10:00:00+00:00' '2026-03-21T10:00:00+00:00' -a
g mv content/glossary.txt content/glossary.md
message 'Glossary back as a page'
commit "$B" "$EB" '2026-03-22T10:00:00+00:00' '2026-03-22T10:00:00+00:00'

# F12: incident.md moves away; F13: an unrelated page takes its name.
g mv content/incident.md content/incident-response.md
message 'Rename the incident page'
commit "$J" "$EJ" '2026-04-01T10:00:00+02:00' '2026-04-01T10:00:00+02:00'
page content/incident.md 'Security Incidents Explained' 2026-04-05 <<'MD'
A short explainer for staff: what an incident is and who to tell.
MD
g add -A
message 'New explainer under the old incident name'
commit "$A1" "$E1" '2026-04-05T10:00:00+00:00' '2026-04-05T10:00:00+00:00'

# F14: vendor management replaces old-vendor.md (deleted here; 62% alike)
# and reads even more like suppliers.md (kept; 76%): git takes the deleted
# file.
page content/vendor-management.md 'Vendor Management' 2026-04-10 <<'MD'
Vendors answer a security questionnaire before onboarding.
Vendors with customer data are reviewed every year.
Contracts name a contact for security incidents.
Vendors must notify us of a breach within 72 hours.
Subprocessors are listed in the contract annex.
Offboarding a vendor revokes its access the same day.
Vendors sign the code of conduct.
Payment details are confirmed by phone.
Critical vendors have an exit plan.
Vendor risk is reported to the board twice a year.
MD
g rm -q content/old-vendor.md
g add -A
message 'Vendor management replaces the vendor checks'
commit "$B" "$EB" '2026-04-10T10:00:00+00:00' '2026-04-10T10:00:00+00:00'

# F15: suppliers.md made executable: its mode alone changes, and git log
# lists the commit.
chmod +x content/suppliers.md
message 'Suppliers: executable by mistake'
commit "$A1" "$E1" '2026-04-15T10:00:00+00:00' '2026-04-15T10:00:00+00:00' -a

# F16: a last edit to the copy, so its newest row is its own.
sed 's/VPN and MFA/VPN and MFA, from managed devices/' content/remote-access.md >content/r.tmp
mv content/r.tmp content/remote-access.md
message 'Remote access: managed devices only'
commit "$J" "$EJ" '2026-04-20T10:00:00+01:00' '2026-04-20T10:00:00+01:00' -a

rm -f "$msg"
