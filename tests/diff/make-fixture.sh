#!/bin/sh
# Makes the repository `charter diff` is tested on (tests/diff/run.sh): a
# small ISMS on `main` and a pull-request branch `pr` whose commits make
# every kind of change the diff reports:
#   - a text edit without a version bump (version-not-bumped), its owner
#     changed and last_reviewed moved by a commit without review evidence
#     (review-without-evidence);
#   - a text edit with the version bumped and last_reviewed moved by a commit
#     carrying Reviewed-by: (no rule applies);
#   - a rename (its links followed), a deletion of a policy that still
#     covers a control (deleted-policy-cited; the link to it from the home
#     page is forgotten: a broken-link finding introduced), a new policy with
#     an empty owner (a placeholder finding introduced);
#   - a control citation dropped so a control is covered by nothing (an
#     uncovered-control finding introduced), one marked not applicable, and
#     a justification rewritten in the statement of applicability;
#   - a broken link on main that the branch fixes (a finding fixed).
# Dates, names and messages are pinned, so commit ids are the same on
# every machine. Usage: make-fixture.sh DIR (DIR must not exist).
set -eu
dir=$1
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null TZ=UTC LC_ALL=C
g() { git -C "$dir" -c init.defaultBranch=main -c commit.gpgsign=false -c core.autocrlf=false "$@"; }
commit() { # commit WHO DATE MESSAGE
    GIT_AUTHOR_NAME=${1% <*} GIT_AUTHOR_EMAIL=$(echo "$1" | sed 's/.*<\(.*\)>/\1/') \
        GIT_AUTHOR_DATE=$2 GIT_COMMITTER_NAME=Fixture GIT_COMMITTER_EMAIL=fixture@example.com \
        GIT_COMMITTER_DATE=$2 g commit -q --no-verify --cleanup=verbatim -m "$3"
}
ALICE='Alice Ng <alice@acme.example>'
BOB='Bob Ruiz <bob@acme.example>'

mkdir -p "$dir/content/policies" "$dir/controls"
cat >"$dir/site.yml" <<'EOF'
title: Acme ISMS
frameworks: [acme]
policies: {paths: ["policies/*"]}
review:
  cycle: 12 months
  warn_within: 30 days
EOF
cat >"$dir/controls/acme.yml" <<'EOF'
framework: acme
name: Acme controls
controls:
  - {id: AC.1, title: Access reviews, group: Access}
  - {id: AC.2, title: Strong authentication, group: Access}
  - {id: CR.1, title: Encryption at rest, group: Crypto}
  - {id: CR.2, title: Key management, group: Crypto}
  - {id: PH.1, title: Clear desks, group: Physical}
  - {id: PH.2, title: Visitor logs, group: Physical}
  - {id: VR.1, title: Vendor assessment, group: Vendors}
EOF
cat >"$dir/controls/applicability.yml" <<'EOF'
AC.1: {applicable: true, status: implemented, justification: Quarterly access reviews.}
AC.2: {applicable: true, status: implemented, justification: Security keys for all staff.}
CR.1: {applicable: true, status: implemented, justification: Disks and backups are encrypted.}
CR.2: {applicable: true, status: implemented, justification: Keys live in the cloud KMS.}
PH.1: {applicable: true, status: implemented, justification: The office has a clear desk rule.}
PH.2: {applicable: true, status: planned, justification: A visitor book at reception.}
VR.1: {applicable: false, justification: No vendors yet.}
EOF
cat >"$dir/content/index.md" <<'EOF'
---
title: Acme policies
owner: Security team
last_reviewed: 2026-06-01
---

The [access](policies/access.md), [cryptography](policies/crypto.md),
[office](policies/office.md) and [clear desk](policies/clear-desk.md)
policies, and the [travel policy](policies/travel.md).
EOF
cat >"$dir/content/policies/access.md" <<'EOF'
---
title: Access Control Policy
id: POL-001
owner: Head of IT
approver: CEO
status: approved
version: "1.0"
last_reviewed: 2026-06-01
controls: [AC.1, AC.2]
---

## Rules

Access to systems is granted on the principle of least privilege and
reviewed every quarter by the system owner.

Staff sign in with a security key. Passwords alone are not enough.
EOF
cat >"$dir/content/policies/crypto.md" <<'EOF'
---
title: Cryptography Policy
id: POL-002
owner: Head of IT
approver: CEO
status: approved
version: "2.1"
last_reviewed: 2026-06-01
controls: [CR.1, CR.2]
---

## Rules

All laptops and servers encrypt their disks. Backups are encrypted before
they leave the building, and keys are kept in the cloud key management
service, never in source code.
EOF
cat >"$dir/content/policies/office.md" <<'EOF'
---
title: Office Security Policy
id: POL-003
owner: Office manager
approver: CEO
status: approved
version: "1.0"
last_reviewed: 2026-06-01
controls: [PH.1, PH.2]
---

## Rules

Visitors sign the visitor book at reception and are accompanied.
Desks are cleared at the end of the day: see the [clear desk policy](clear-desk.md).
EOF
cat >"$dir/content/policies/clear-desk.md" <<'EOF'
---
title: Clear Desk Policy
id: POL-004
owner: Office manager
approver: CEO
status: approved
version: "1.0"
last_reviewed: 2026-06-01
controls: [PH.1]
---

## Rules

Papers are locked away and screens locked when a desk is left. See the
[travel policy](travel.md) for laptops away from the office, and the
[old remote policy](remote.md).
EOF
cat >"$dir/content/policies/travel.md" <<'EOF'
---
title: Travel Policy
id: POL-005
owner: Head of IT
approver: CEO
status: approved
version: "1.0"
last_reviewed: 2026-06-01
controls: [AC.2]
---

## Rules

Laptops are never left unattended when travelling.
EOF
g init -q
g add -A
commit "$ALICE" 2026-06-01T09:00:00Z "Acme ISMS: the first policies"

g checkout -q -b pr
# The cryptography policy's text, no version bump; the owner changes; the
# review date moves, and no commit of this says who reviewed it.
sed -i 's/^owner: Head of IT$/owner: Security lead/; s/^last_reviewed: 2026-06-01$/last_reviewed: 2026-11-20/; s/keys are kept in the cloud key management/keys are kept in a hardware-backed key management/' \
    "$dir/content/policies/crypto.md"
g add -A
commit "$BOB" 2026-11-20T10:00:00Z "Cryptography: keys in a hardware-backed service"
# The access policy: a reviewed revision, version 1.1.
sed -i 's/^version: "1.0"$/version: "1.1"/; s/^last_reviewed: 2026-06-01$/last_reviewed: 2026-11-21/; s/reviewed every quarter by the system owner\./reviewed every quarter by the system owner and the security team./' \
    "$dir/content/policies/access.md"
g add -A
commit "$ALICE" 2026-11-21T10:00:00Z "Access control: the security team joins access reviews

Reviewed-by: Carol Diaz <carol@acme.example>"
# The travel policy becomes the remote working policy (renamed, links
# followed); the clear desk policy is retired (deleted, links dropped) while
# it still covers PH.1, and the broken link on main goes with it.
g mv content/policies/travel.md content/policies/remote-working.md
sed -i 's/^title: Travel Policy$/title: Remote Working Policy/' "$dir/content/policies/remote-working.md"
g rm -q content/policies/clear-desk.md
sed -i 's|(policies/travel.md)|(policies/remote-working.md)|' "$dir/content/index.md"
sed -i 's|^Desks are cleared at the end of the day: see the \[clear desk policy\](clear-desk.md).$|Desks are cleared at the end of the day.|' \
    "$dir/content/policies/office.md"
g add -A
commit "$BOB" 2026-11-22T10:00:00Z "Retire the clear desk policy; travel becomes remote working"
# A vendor policy with no owner yet; vendors become applicable; the
# office policy stops citing PH.2, which nothing else covers.
cat >"$dir/content/policies/vendors.md" <<'EOF'
---
title: Vendor Risk Policy
id: POL-006
owner: ""
approver: CEO
status: draft
version: "0.1"
last_reviewed: 2026-11-23
controls: [VR.1]
---

## Rules

Every vendor that handles customer data is assessed before a contract is
signed, and again every year.
EOF
sed -i 's/^VR.1: .*$/VR.1: {applicable: true, status: planned, justification: Vendors are assessed from now on.}/; s/^CR.2: {applicable: true, status: implemented, justification: Keys live in the cloud KMS.}$/CR.2: {applicable: true, status: implemented, justification: Keys live in a hardware-backed KMS.}/; s/^AC.2: .*$/AC.2: {applicable: false, justification: Replaced by single sign-on at the identity provider.}/' \
    "$dir/controls/applicability.yml"
sed -i 's/^controls: \[PH.1, PH.2\]$/controls: [PH.1]/' "$dir/content/policies/office.md"
g add -A
commit "$ALICE" 2026-11-23T10:00:00Z "Vendor risk policy (draft); applicability updated"
g checkout -q main
