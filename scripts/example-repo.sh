#!/bin/sh
# scripts/example-repo.sh DIR: the example site (the ISMS of the fictional
# Larkspur Analytics) as a git repository of its own in DIR, with two years
# of a policy programme behind it (November 2024 to November 2026): named
# owners and approvers, merge requests on GitLab, then pull requests on
# GitHub (merge commits and squash merges), Approved-by / Reviewed-by /
# Co-authored-by / Change-Type trailers, annual reviews, material and minor
# versions, a rename, a .mailmap, a few direct commits with no approval, and
# at the end one OpenPGP-signed and one SSH-signed commit. Its last tree is
# the example site of this repository (site.yml, content, controls, layouts,
# assets), which stays the source of truth, plus the signing keys and the
# evidence settings in site.yml. Every date is pinned: two runs give the
# same commits but for the last two, whose keys and signatures are new
# each time (docs/example.md). The theme (layouts, assets) comes in the
# third last commit, so that editing it changes only the last three ids.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: scripts/example-repo.sh DIR" >&2
    exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
if [ -n "$(ls -A "$out")" ]; then
    echo "example-repo: '$out' is not empty" >&2
    exit 2
fi

# Git, GnuPG and ssh-keygen see nothing of the user's set-up. GNUPGHOME is
# short (under /tmp): gpg-agent's socket path must fit in 108 bytes.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/charter-example.XXXXXX")
cleanup() {
    gpgconf --kill all >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
    GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL || true
export HOME="$tmp/home" GNUPGHOME="$tmp/gnupg" GIT_CONFIG_NOSYSTEM=1 TZ=UTC LC_ALL=C
mkdir -p "$HOME" "$GNUPGHOME" "$tmp/state"
chmod 700 "$GNUPGHOME"
cd "$out"
git init -q -b main
git config core.autocrlf false
git config commit.gpgsign false
git config user.useConfigOnly true
# No automatic gc or maintenance after each commit (half the processes).
git config gc.auto 0
git config maintenance.auto false

# --- people ---------------------------------------------------------------
dom=larkspur-analytics.example
maya="Maya Okafor <maya.okafor@$dom>"          # Head of Security
maya_old="Maya O <maya@$dom>"                  # her address until mid-2025 (.mailmap)
sofia="Sofia Lindqvist <sofia.lindqvist@$dom>" # Chief Executive Officer
daniel="Daniel Brandt <daniel.brandt@$dom>"    # Chief Technology Officer
chloe="Chloe Martin <chloe.martin@$dom>"       # Chief Operating Officer
tomas="Tomás Herrera <tomas.herrera@$dom>"     # Head of IT Operations
priya="Priya Raman <priya.raman@$dom>"         # Head of Platform Engineering
oliver="Oliver Grant <oliver.grant@$dom>"      # VP Engineering
hannah="Hannah Weiss <hannah.weiss@$dom>"      # Head of People
amara="Amara Nwosu <amara.nwosu@$dom>"         # General Counsel
lena="Lena Fischer <lena.fischer@$dom>"        # Data Protection Officer
lena_old="Lena Schulz <lena.schulz@$dom>"      # her name until August 2025 (.mailmap)
ravi="Ravi Patel <ravi.patel@$dom>"            # Office and Facilities Manager
jonas="Jonas Berg <jonas.berg@$dom>"           # Security Engineer
github="GitHub <noreply@github.com>"
project=larkspur-analytics/security-policies

# when 2025-06-10T14:32: $at, the time in Leeds (BST from April to
# October, which holds for every date used here). No subshells here and in
# `as` and `by`: forks are most of the time this script takes.
when() {
    case $1 in
    ????-0[4-9]-* | ????-10-*) at="$1:00+01:00" ;;
    *) at="$1:00+00:00" ;;
    esac
}
# as PERSON WHEN: author and committer of the next commits.
# by PERSON WHEN: another committer (the one who merged or applied it).
as() {
    when "$2"
    GIT_AUTHOR_NAME=${1% <*} GIT_AUTHOR_EMAIL=${1#*<} GIT_AUTHOR_DATE=$at
    GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL%>}
    export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE
    by "$1" "$2"
}
by() {
    when "$2"
    GIT_COMMITTER_NAME=${1% <*} GIT_COMMITTER_EMAIL=${1#*<} GIT_COMMITTER_DATE=$at
    GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL%>}
    export GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE
}
email_of() {
    e=${1#*<}
    echo "${e%>}"
}
# commit [GIT-OPTION...] <<EOF: everything as it stands, message on stdin.
commit() {
    git add -A
    git commit -q "$@" -F -
}
# branch NAME / onto main: work on a topic branch, then back.
branch() { git checkout -q -b "$1"; }
main() { git checkout -q main; }
# gitlab_merge BRANCH MR TITLE [TRAILER...]: GitLab's merge commit.
gitlab_merge() {
    b=$1 mr=$2 title=$3
    shift 3
    {
        printf "Merge branch '%s' into 'main'\n\n%s\n\nSee merge request %s!%s\n" "$b" "$title" "$project" "$mr"
        [ $# -eq 0 ] || printf '\n'
        for t in "$@"; do printf '%s\n' "$t"; done
    } >"$tmp/message"
    git merge -q --no-ff "$b" -F "$tmp/message"
    git branch -q -D "$b"
}
# github_merge BRANCH PR TITLE [TRAILER...]: GitHub's merge commit.
github_merge() {
    b=$1 pr=$2 title=$3
    shift 3
    {
        printf 'Merge pull request #%s from larkspur-analytics/%s\n\n%s\n' "$pr" "$b" "$title"
        [ $# -eq 0 ] || printf '\n'
        for t in "$@"; do printf '%s\n' "$t"; done
    } >"$tmp/message"
    git merge -q --no-ff "$b" -F "$tmp/message"
    git branch -q -D "$b"
}
tr_() { echo "$1: $(eval "echo \"\$$2\"")"; }
approved() { tr_ Approved-by "$1"; }
reviewed() { tr_ Reviewed-by "$1"; }
coauthor() { tr_ Co-authored-by "$1"; }

# --- pages ----------------------------------------------------------------
# put PAGE VERSION REVIEWED [STATEMENTS [SED]]: the page as it once was: the
# project's file with that version and last_reviewed, without the numbered
# statements listed (each the last of its subsection, so the numbering of
# the rest holds), and SED applied. Before the rename of June 2025 the
# Remote and Hybrid Working Policy was the Home Working Policy.
era='s/remote-working\.md/home-working.md/g; s/Remote and Hybrid Working Policy/Home Working Policy/g'
put() {
    f=$1 v=$2 r=$3 drops=${4:-} extra=${5:-}
    script="s/^version: .*/version: \"$v\"/; s/^last_reviewed: .*/last_reviewed: $r/"
    set -- # the statements to drop, as grep patterns, checked at once
    k=0
    for s in $drops; do
        script="$script; /^${s%%.*}\\.${s#*.} /d"
        set -- "$@" -e "^${s%%.*}\\.${s#*.} "
        k=$((k + 1))
    done
    if [ $k -gt 0 ] && [ "$(grep -c "$@" "$top/$f")" -ne $k ]; then
        echo "example-repo: not every statement of '$drops' is in $f" >&2
        exit 1
    fi
    sed -e "$script" -e "$era" -e "$extra" "$top/$f" | cat -s >"$f"
    printf '%s\n' "$f" "$v" "$r" "$drops" "$extra" >"$tmp/state/$f"
}
# reput PAGE: the page again as last put (after a change of era).
reput() {
    {
        read -r f
        read -r v
        read -r r
        read -r drops
        read -r extra
    } <"$tmp/state/$1"
    put "$f" "$v" "$r" "$drops" "$extra"
}
# final PAGE: the page as it is in this project.
final() {
    cp "$top/$1" "$1"
}

# Older states of some pages, beyond dropped statements.
typo='s/rotated automatically at least/rotated automaticaly at least/'
access_v1='s/, including the access broker//; /^7\.2 /d; /^### 10\. /d; /^10\.1 /d; /^| 2\.[01] |/d; s/after one hour for production access/after four hours for production access/'
access_v2='/^| 2\.1 |/d; s/after one hour for production access/after four hours for production access/'
physical_v2='/^### 6\. /d; /^6\.[0-9] /d; s/^### 7\./### 6./; s/^7\.\([0-9]\)/6.\1/; s/^### 8\./### 7./; s/^8\.\([0-9]\)/7.\1/; s/^### 9\./### 8./; s/^9\.\([0-9]\)/8.\1/'
index_v1='/^The policies live as Markdown files/d'
ai_draft='s/^status: .*/status: draft/'

# clear_desk VERSION REVIEWED: the Clear Desk and Clear Screen Policy while
# it was in force (retired in January 2026, see its last version).
clear_desk() {
    sed -e "$era" >content/operations/clear-desk.md <<EOF
---
title: Clear Desk and Clear Screen Policy
id: POL-OPS-007
description: What staff must do to keep information on desks and screens out of sight of people who should not see it.
owner: Office and Facilities Manager
approver: Chief Operating Officer
status: approved
version: "$1"
classification: Public
last_reviewed: $2
review_cycle: 12 months
controls: [A.7.7]
tags: [physical]
---

## Purpose

Information left on a desk, a whiteboard or an unlocked screen can be read by anyone who walks past. This policy sets the simple habits that keep it out of sight.

## Scope

Everyone who works at the Leeds office, and anyone working with Larkspur information elsewhere.

## Policy statements

1. Lock your screen whenever you leave your desk. Laptops lock themselves after five minutes without use.
2. At the end of the day, take your laptop home or lock it away, and clear your desk of papers.
3. Papers with Confidential or Restricted information are locked in pedestals while not in use and shredded when no longer needed.
4. Whiteboards in meeting rooms are wiped after meetings that discuss Confidential or Restricted matters.

## Related documents

- [Physical and Environmental Security Policy](physical-security.md)
- [Remote and Hybrid Working Policy](../people/remote-working.md)
EOF
}

# --- November 2024: the policies come out of the wiki ---------------------
for d in content/governance content/operations content/people content/technology; do
    mkdir -p "$d" "$tmp/state/$d"
done
mkdir -p "$tmp/state/content"
cp "$top/site.yml" site.yml
sed -i 's|^repository_url: .*|repository_url: https://gitlab.com/larkspur-analytics/security-policies|' site.yml
cp -R "$top/controls" .
cat >README.md <<'EOF'
# Larkspur Analytics security policies

The policies of our information security management system, as Markdown
with YAML front matter, published as a site by charter.

To change a policy, branch, edit its page under `content/`, bump its
`version:` (major for a material change, minor otherwise) and ask its owner
for review. The approver named on the page approves the change before it
is merged. An annual review that changes nothing else moves only
`last_reviewed:` and says who reviewed it in a `Reviewed-by:` trailer.
EOF
put content/index.md "" 2024-11-04 "" "$index_v1"
put content/about.md "" 2024-11-04
put content/governance/information-security-policy.md 3.1 2024-03-12 "2.3 6.3"
put content/governance/risk-management.md 2.0 2024-02-20 "4.4 7.2"
put content/governance/asset-management.md 2.3 2024-04-15 "3.3 5.4 6.3"
put content/governance/supplier-security.md 1.3 2024-05-07 "4.4 7.1"
put content/governance/compliance-and-legal.md 1.2 2024-06-10 "3.4 4.5"
put content/governance/data-protection.md 2.1 2024-01-30 "5.4 8.2" '/ai-tools\.md/d'
put content/operations/backup-and-recovery.md 2.0 2024-05-02 "4.4 5.2"
put content/operations/business-continuity.md 1.4 2024-01-22 "3.4 5.4"
put content/operations/change-management.md 2.3 2024-03-25 "3.4 4.2 6.2"
clear_desk 1.2 2024-01-25
put content/operations/incident-management.md 3.0 2024-07-09 "1.4 3.5 5.3"
put content/operations/physical-security.md 2.1 2024-09-24 "1.5" "$physical_v2"
put content/operations/vulnerability-management.md 1.3 2024-09-03 "3.4 4.4"
put content/people/acceptable-use.md 4.2 2024-09-10 "4.4 8.2 9.1" '/ai-tools\.md/d'
put content/people/human-resources-security.md 2.1 2024-02-26 "2.4 5.4"
put content/people/remote-working.md 1.3 2024-07-22 "3.4 5.2"
mv content/people/remote-working.md content/people/home-working.md
put content/people/security-awareness.md 1.4 2024-10-01 "4.4 5.2"
put content/technology/access-control.md 1.4 2024-09-18 "" "$access_v1"
put content/technology/configuration-management.md 1.0 2024-10-22 "3.3 6.4"
put content/technology/cryptography.md 1.6 2024-05-29 "3.6 3.7" "$typo"
put content/technology/endpoint-security.md 2.2 2024-08-27 "1.4 3.4"
put content/technology/logging-and-monitoring.md 1.2 2024-04-03 "3.3 5.4 6.3"
put content/technology/network-security.md 1.3 2024-06-11 "4.4 5.3"
put content/technology/secure-development.md 2.4 2024-08-13 "3.4 5.4 7.3"
as "$maya_old" 2024-11-04T16:05
commit <<'EOF'
Import the ISMS policies from Confluence

Each page as approved in Confluence, converted to Markdown with its
document-control table as front matter. From now on this repository is
the master copy; the Confluence space is read-only.
EOF

# --- December 2024 to May 2025: merge requests on GitLab ------------------
branch emergency-changes
put content/operations/change-management.md 2.4 2024-03-25 "3.4 6.2"
as "$oliver" 2024-12-09T11:20
commit <<EOF
Change management: emergency changes need a retrospective review

Change-Type: minor
EOF
main
as "$daniel" 2024-12-10T09:41
gitlab_merge emergency-changes 3 "Change management: retrospective review of emergency changes" "$(approved daniel)"

branch incident-severity
put content/operations/incident-management.md 3.1 2025-01-14 "3.5 5.3"
as "$maya_old" 2025-01-13T15:02
commit <<EOF
Incident management: define severity levels and the on-call rota

Change-Type: minor
$(reviewed jonas)
EOF
main
as "$sofia" 2025-01-14T10:12
gitlab_merge incident-severity 5 "Incident management: severity levels" "$(approved sofia)"

put content/operations/business-continuity.md 1.4 2025-01-20 "3.4 5.4"
as "$chloe" 2025-01-20T14:30
commit <<EOF
Annual review of the Business Continuity Policy

No changes; the plan was exercised in November.

Change-Type: review
$(reviewed sofia)
EOF

put content/people/remote-working.md 1.3 2025-01-21 "3.4 5.2"
mv content/people/remote-working.md content/people/home-working.md
as "$tomas" 2025-01-21T09:55
commit <<EOF
Six-monthly review of the Home Working Policy

Change-Type: review
$(reviewed chloe)
EOF

clear_desk 1.2 2025-01-23
as "$ravi" 2025-01-23T12:10
commit <<EOF
Annual review of the Clear Desk and Clear Screen Policy

Change-Type: review
$(reviewed chloe)
EOF

put content/governance/data-protection.md 2.1 2025-01-28 "5.4 8.2" '/ai-tools\.md/d'
as "$lena_old" 2025-01-28T16:44
commit <<EOF
Annual review of the Data Protection Policy

Change-Type: review
$(reviewed sofia)
EOF

put content/governance/information-security-policy.md 3.1 2025-02-11 "2.3 6.3"
as "$maya_old" 2025-02-11T10:00
commit <<EOF
Annual review of the Information Security Policy

Reviewed at the management review meeting of 11 February.

Change-Type: review
$(reviewed sofia)
EOF

branch hr-screening
put content/people/human-resources-security.md 2.2 2025-02-25 "5.4"
as "$hannah" 2025-02-24T13:25
commit <<EOF
HR security: screening of contractors with production access

Change-Type: minor
EOF
main
as "$chloe" 2025-02-25T11:03
gitlab_merge hr-screening 9 "HR security: contractor screening" "$(approved chloe)"

branch risk-appetite
put content/governance/risk-management.md 2.1 2025-03-04 "7.2"
as "$maya_old" 2025-03-03T17:12
commit <<EOF
Risk management: state the risk appetite for customer data

Change-Type: minor
EOF
main
put content/operations/vulnerability-management.md 1.3 2025-03-04 "3.4 4.4"
as "$jonas" 2025-03-04T09:30
commit <<EOF
Six-monthly review of the Vulnerability Management Policy

Change-Type: review
$(reviewed daniel)
EOF
as "$sofia" 2025-03-04T15:47
gitlab_merge risk-appetite 11 "Risk management: risk appetite" "$(approved sofia)"

branch change-freeze
put content/operations/change-management.md 2.5 2025-03-27 "6.2"
as "$oliver" 2025-03-26T10:18
commit <<EOF
Change management: change freeze around the year-end

Change-Type: minor
EOF
main
as "$daniel" 2025-03-27T08:52
gitlab_merge change-freeze 12 "Change management: change freeze" "$(approved daniel)"

put content/technology/logging-and-monitoring.md 1.2 2025-04-01 "3.3 5.4 6.3"
as "$maya_old" 2025-04-01T11:11
commit <<EOF
Annual review of the Logging and Monitoring Policy

Change-Type: review
$(reviewed daniel)
EOF

branch access-broker
put content/technology/access-control.md 2.0 2025-04-02 "" "$access_v2"
as "$tomas" 2025-03-31T16:40
commit <<EOF
Access control: production access only through the access broker

Removes standing administrative access to production; elevation is
time-limited, approved by a second engineer and recorded.

Change-Type: material
$(coauthor priya)
EOF
main
as "$daniel" 2025-04-02T10:20
gitlab_merge access-broker 14 "Access control: introduce the access broker" "$(approved daniel)"

branch asset-classification
put content/governance/asset-management.md 3.0 2025-04-22 "6.3"
as "$tomas" 2025-04-17T14:05
commit <<EOF
Asset management: merge in the information classification scheme

Change-Type: material
$(reviewed lena_old)
EOF
main
as "$daniel" 2025-04-22T09:15
gitlab_merge asset-classification 15 "Asset management and information classification" "$(approved daniel)"

branch restore-tests
put content/operations/backup-and-recovery.md 2.1 2025-05-06 "5.2"
as "$priya" 2025-05-05T15:30
commit <<EOF
Backup: quarterly restore tests of every production database

Change-Type: minor
EOF
main
as "$daniel" 2025-05-06T10:02
gitlab_merge restore-tests 17 "Backup: restore tests" "$(approved daniel)"

put content/governance/supplier-security.md 1.3 2025-05-13 "4.4 7.1"
as "$maya_old" 2025-05-13T13:13
commit <<EOF
Annual review of the Supplier Security Policy

Change-Type: review
$(reviewed chloe)
EOF

branch tls-certificates
put content/technology/cryptography.md 1.7 2025-05-27 "3.7" "$typo"
as "$priya" 2025-05-26T11:45
commit <<EOF
Cryptography: short-lived TLS certificates, renewed automatically

Change-Type: minor
EOF
main
as "$daniel" 2025-05-27T09:20
gitlab_merge tls-certificates 18 "Cryptography: TLS certificate lifetime" "$(approved daniel)"

# --- June 2025: the repository moves to GitHub ----------------------------
sed -i 's|^repository_url: .*|repository_url: https://github.com/larkspur-analytics/security-policies|' site.yml
put content/index.md "" 2024-11-04
cat >.mailmap <<EOF
$maya $maya_old
EOF
as "$maya" 2025-06-02T09:05
commit <<'EOF'
Move the repository to GitHub

Changes are now proposed as pull requests on GitHub; the home page says
how. .mailmap maps my old address to the new one.
EOF

as "$priya" 2025-06-09T16:20
by "$github" 2025-06-10T10:31
put content/technology/network-security.md 1.4 2025-06-10 "5.3"
commit <<EOF
Network security: separate VPC for the data pipeline (#21)

Change-Type: minor
$(approved daniel)
EOF

as "$amara" 2025-06-16T12:00
by "$github" 2025-06-17T14:22
put content/governance/compliance-and-legal.md 1.3 2025-06-17 "4.5"
commit <<EOF
Compliance: register of legal and contractual requirements (#22)

Change-Type: minor
$(approved sofia)
EOF

# The rename: home working becomes remote and hybrid working (a material
# change); the pages that link to it follow in the same commit.
branch remote-and-hybrid-working
git mv content/people/home-working.md content/people/remote-working.md
era=
put content/people/remote-working.md 2.0 2025-06-24 "5.2"
for p in content/technology/network-security.md content/technology/endpoint-security.md \
    content/operations/physical-security.md content/people/acceptable-use.md; do
    reput "$p"
done
clear_desk 1.2 2025-01-23
as "$tomas" 2025-06-20T15:10
commit <<EOF
Rename the Home Working Policy to Remote and Hybrid Working Policy

The office is now used two days a week; the policy covers both. Links
from other policies updated.

Change-Type: material
$(approved chloe)
EOF
main
as "$chloe" 2025-06-24T09:48
by "$github" 2025-06-24T09:48
github_merge remote-and-hybrid-working 24 "Remote and Hybrid Working Policy"

put content/operations/incident-management.md 3.1 2025-07-15 "3.5 5.3"
as "$maya" 2025-07-15T10:30
commit <<EOF
Six-monthly review of the Incident Management Policy

Change-Type: review
$(reviewed sofia)
EOF

as "$lena_old" 2025-07-21T09:10
by "$github" 2025-07-22T11:40
put content/governance/data-protection.md 2.2 2025-01-28 "5.4" '/ai-tools\.md/d'
commit <<EOF
Data protection: records of processing reviewed each quarter (#26)

Change-Type: minor
$(approved sofia)
EOF

cat >.mailmap <<EOF
$maya $maya_old
$lena $lena_old
EOF
as "$lena" 2025-08-04T09:00
commit <<'EOF'
.mailmap: Lena Schulz is now Lena Fischer
EOF

branch secure-development-v3
put content/technology/secure-development.md 3.0 2025-08-12 "5.4 7.3"
as "$oliver" 2025-08-07T14:50
commit <<EOF
Secure development: threat modelling for new services

Change-Type: material
$(coauthor jonas)
EOF
main
as "$daniel" 2025-08-12T10:05
by "$github" 2025-08-12T10:05
github_merge secure-development-v3 28 "Secure Development Policy 3.0" "$(approved daniel)"

as "$tomas" 2025-08-25T13:30
by "$github" 2025-08-26T09:12
put content/technology/endpoint-security.md 2.3 2025-08-26 "1.4"
commit <<EOF
Endpoint security: lost devices wiped remotely within an hour (#29)

Change-Type: minor
$(approved daniel)
EOF

branch vulnerability-sla
put content/operations/vulnerability-management.md 2.0 2025-09-02 "4.4"
as "$maya" 2025-08-29T16:25
commit <<EOF
Vulnerability management: remediation times by severity

Change-Type: material
$(coauthor jonas)
$(approved daniel)
EOF
main
as "$maya" 2025-09-02T11:00
by "$github" 2025-09-02T11:00
github_merge vulnerability-sla 31 "Vulnerability Management Policy 2.0"

as "$tomas" 2025-09-15T10:40
by "$github" 2025-09-16T08:58
put content/people/acceptable-use.md 4.3 2025-09-16 "8.2 9.1" '/ai-tools\.md/d'
commit <<EOF
Acceptable use: personal use of company laptops (#32)

Change-Type: minor
$(approved chloe)
EOF

as "$ravi" 2025-09-29T15:00
by "$github" 2025-09-30T09:30
put content/operations/physical-security.md 2.2 2025-09-30 "" "$physical_v2"
commit <<EOF
Physical security: visitor badges returned at reception (#33)

Change-Type: minor
$(approved chloe)
EOF

as "$maya" 2025-10-06T14:00
by "$github" 2025-10-07T10:10
put content/people/security-awareness.md 1.5 2025-10-07 "5.2"
commit <<EOF
Security awareness: phishing simulations every quarter (#35)

Change-Type: minor
$(approved chloe)
EOF

put content/index.md "" 2025-10-07
put content/about.md "" 2025-10-07
as "$maya" 2025-10-07T15:20
commit <<EOF
Annual review of the home and about pages

Change-Type: review
$(reviewed sofia)
EOF

as "$priya" 2025-10-20T11:11
by "$github" 2025-10-21T09:45
put content/technology/configuration-management.md 1.1 2025-10-21 "6.4"
commit <<EOF
Configuration management: capacity reviewed monthly (#36)

Change-Type: minor
$(approved daniel)
EOF

# No approval at all: the evidence check has something to find.
put content/technology/cryptography.md 1.7 2025-05-27 "3.7"
as "$jonas" 2025-11-12T17:40
commit <<'EOF'
Fix a typo in the cryptography policy

Change-Type: editorial
EOF

# --- 2026 ------------------------------------------------------------------
branch ai-tools-draft
final content/people/ai-tools.md
put content/people/ai-tools.md 0.1 2026-01-08 "2.2 3.3" "$ai_draft"
as "$jonas" 2026-01-07T10:30
commit <<EOF
Draft: Generative AI Tools Policy

Change-Type: material
$(reviewed maya)
EOF
main
as "$maya" 2026-01-08T09:00
by "$github" 2026-01-08T09:00
github_merge ai-tools-draft 39 "Draft Generative AI Tools Policy"

branch incident-comms
put content/operations/incident-management.md 3.2 2026-01-13 "3.5"
as "$maya" 2026-01-12T15:45
commit <<EOF
Incident management: customer notification templates

Change-Type: minor
EOF
main
as "$sofia" 2026-01-13T10:00
by "$github" 2026-01-13T10:00
github_merge incident-comms 40 "Incident management: customer notifications" "$(approved sofia)"

branch business-continuity-2026
final content/operations/business-continuity.md
as "$chloe" 2026-01-16T14:20
commit <<EOF
Business continuity: warm standby in the secondary region

Change-Type: material
EOF
main
as "$sofia" 2026-01-19T11:30
by "$github" 2026-01-19T11:30
github_merge business-continuity-2026 41 "Business Continuity Policy 2.0" "$(approved sofia)"

put content/people/remote-working.md 2.0 2026-01-20 "5.2"
as "$tomas" 2026-01-20T09:40
commit <<EOF
Six-monthly review of the Remote and Hybrid Working Policy

Change-Type: review
$(reviewed chloe)
EOF

branch retire-clear-desk
put content/operations/physical-security.md 3.0 2026-01-22
as "$ravi" 2026-01-21T10:00
commit <<EOF
Physical security: take in the clear desk and clear screen rules

Change-Type: material
$(approved chloe)
EOF
main
as "$chloe" 2026-01-22T14:15
by "$github" 2026-01-22T14:15
github_merge retire-clear-desk 42 "Physical security 3.0: clear desk and clear screen"

as "$ravi" 2026-01-21T10:05
by "$github" 2026-01-22T14:20
final content/operations/clear-desk.md
commit <<EOF
Retire the Clear Desk and Clear Screen Policy (#38)

Its rules are now section 6 of the Physical and Environmental Security
Policy.

Change-Type: minor
$(approved chloe)
EOF

as "$lena" 2026-01-26T16:00
by "$github" 2026-01-27T10:25
final content/governance/data-protection.md
commit <<EOF
Data Protection Policy 3.0: international transfers and AI tools (#43)

Change-Type: material
$(coauthor amara)
$(approved sofia)
EOF

as "$jonas" 2026-01-28T11:00
by "$github" 2026-01-29T09:10
put content/technology/secure-development.md 3.1 2025-08-12 "7.3"
commit <<EOF
Secure development: dependency review for new packages (#44)

Change-Type: minor
$(approved daniel)
EOF

branch information-security-policy-4
final content/governance/information-security-policy.md
as "$maya" 2026-02-05T15:00
commit <<EOF
Information Security Policy 4.0: objectives for 2026

Change-Type: material
$(reviewed daniel)
EOF
main
as "$sofia" 2026-02-10T12:00
by "$github" 2026-02-10T12:00
github_merge information-security-policy-4 46 "Information Security Policy 4.0" "$(approved sofia)"

as "$hannah" 2026-02-23T10:15
by "$github" 2026-02-24T09:05
final content/people/human-resources-security.md
commit <<EOF
HR security: leavers' access removed on the last working day (#47)

Change-Type: minor
$(approved chloe)
EOF

as "$maya" 2026-03-02T16:30
by "$github" 2026-03-03T10:00
final content/governance/risk-management.md
commit <<EOF
Risk management: treatment plans reviewed each quarter (#49)

Change-Type: minor
$(approved sofia)
EOF

put content/operations/vulnerability-management.md 2.0 2026-03-03 "4.4"
as "$jonas" 2026-03-03T14:10
commit <<EOF
Six-monthly review of the Vulnerability Management Policy

Change-Type: review
$(reviewed daniel)
EOF

branch access-review-2026
final content/technology/access-control.md
as "$tomas" 2026-03-12T11:20
commit <<EOF
Access control: one-hour sessions for production access

Annual review; shorter sessions for production, as agreed with the
platform team.

Change-Type: minor
$(coauthor priya)
EOF
main
as "$daniel" 2026-03-14T09:30
by "$github" 2026-03-14T09:30
github_merge access-review-2026 50 "Access Control Policy: annual review 2026" "$(approved daniel)"

as "$oliver" 2026-03-25T13:00
by "$github" 2026-03-26T10:45
final content/operations/change-management.md
commit <<EOF
Change management: changes to the change process itself (#51)

Change-Type: minor
$(approved daniel)
EOF

branch logging-v2
final content/technology/logging-and-monitoring.md
as "$maya" 2026-03-30T15:35
commit <<EOF
Logging and monitoring: central log platform, retention by class

Change-Type: material
$(coauthor jonas)
EOF
main
as "$daniel" 2026-04-02T10:00
by "$github" 2026-04-02T10:00
github_merge logging-v2 53 "Logging and Monitoring Policy 2.0" "$(approved daniel)"

as "$tomas" 2026-04-20T14:00
by "$github" 2026-04-21T09:20
final content/governance/asset-management.md
commit <<EOF
Asset management: inventory reconciled each quarter (#54)

Change-Type: minor
$(approved daniel)
EOF

as "$priya" 2026-05-04T11:30
by "$github" 2026-05-05T09:00
final content/operations/backup-and-recovery.md
commit <<EOF
Backup: immutable copies in a separate account (#56)

Change-Type: minor
$(approved daniel)
EOF

branch supplier-security-v2
final content/governance/supplier-security.md
as "$maya" 2026-05-08T10:10
commit <<EOF
Supplier security: tiers, and what each tier must show us

Change-Type: material
$(reviewed amara)
EOF
main
as "$chloe" 2026-05-12T15:00
by "$github" 2026-05-12T15:00
github_merge supplier-security-v2 57 "Supplier Security Policy 2.0" "$(approved chloe)"

as "$priya" 2026-05-27T16:45
by "$github" 2026-05-28T09:30
final content/technology/cryptography.md
commit <<EOF
Cryptography: plan for post-quantum key exchange (#58)

Change-Type: minor
$(approved daniel)
EOF

as "$priya" 2026-06-08T10:20
by "$github" 2026-06-09T11:00
final content/technology/network-security.md
commit <<EOF
Network security: egress allow-lists for production (#60)

Change-Type: minor
$(approved daniel)
EOF

as "$amara" 2026-06-17T14:40
by "$github" 2026-06-18T09:50
final content/governance/compliance-and-legal.md
commit <<EOF
Compliance: the EU AI Act in the register of requirements (#61)

Change-Type: minor
$(approved sofia)
EOF

as "$maya" 2026-07-07T15:15
by "$github" 2026-07-08T10:00
final content/operations/incident-management.md
commit <<EOF
Incident management: lessons learned within ten working days (#63)

Change-Type: minor
$(approved sofia)
EOF

as "$tomas" 2026-07-17T11:00
by "$github" 2026-07-20T09:15
final content/people/remote-working.md
commit <<EOF
Remote working: video calls on the approved tool only (#64)

Change-Type: minor
$(approved chloe)
EOF

as "$oliver" 2026-08-10T16:00
by "$github" 2026-08-11T09:40
final content/technology/secure-development.md
commit <<EOF
Secure development: signed release artefacts (#66)

Change-Type: minor
$(approved daniel)
EOF

as "$tomas" 2026-08-24T13:30
by "$github" 2026-08-25T10:05
final content/technology/endpoint-security.md
commit <<EOF
Endpoint security: operating system updates within 14 days (#68)

Change-Type: minor
$(approved daniel)
EOF

as "$maya" 2026-09-01T15:50
by "$github" 2026-09-02T09:00
final content/operations/vulnerability-management.md
commit <<EOF
Vulnerability management: exceptions expire after 90 days (#70)

Change-Type: minor
$(approved daniel)
EOF

branch acceptable-use-v5
final content/people/acceptable-use.md
as "$tomas" 2026-09-10T10:00
commit <<EOF
Acceptable use: generative AI tools, and a shorter list of rules

Change-Type: material
$(coauthor jonas)
$(reviewed hannah)
EOF
main
as "$chloe" 2026-09-15T16:20
by "$github" 2026-09-15T16:20
github_merge acceptable-use-v5 71 "Acceptable Use Policy 5.0" "$(approved chloe)"

put content/people/ai-tools.md 0.2 2026-09-22 "3.3" "$ai_draft"
as "$jonas" 2026-09-22T17:05
commit <<'EOF'
AI tools draft: list the approved assistants

Change-Type: minor
EOF

final content/operations/physical-security.md
as "$ravi" 2026-09-29T11:30
commit <<EOF
Annual review of the Physical and Environmental Security Policy

Reviewed after the move to the new Leeds office; nothing to change.

Change-Type: review
$(reviewed chloe)
EOF

as "$maya" 2026-10-05T10:30
by "$github" 2026-10-06T09:10
final content/people/security-awareness.md
commit <<EOF
Security awareness: role-based training for engineers (#74)

Change-Type: minor
$(approved chloe)
EOF

final content/index.md
final content/about.md
as "$maya" 2026-10-06T14:00
commit <<EOF
Annual review of the home and about pages

Change-Type: review
$(reviewed sofia)
EOF

as "$priya" 2026-10-19T15:00
by "$github" 2026-10-20T09:35
final content/technology/configuration-management.md
commit <<EOF
Configuration management: drift detection alerts (#75)

Change-Type: minor
$(approved daniel)
EOF

# The theme comes last (charter's built-in one is the same until then), so
# that a change of the project's layouts or styles changes only the ids of
# the last few commits, not of the whole history.
cp -R "$top/layouts" "$top/assets" .
as "$jonas" 2026-11-09T16:30
commit <<'EOF'
Site: keep our layouts and styles in the repository

The same as charter's built-in theme today; from now on we change them
here.

Change-Type: editorial
EOF

# --- the last two commits: signed, so different on every run --------------
# Maya's OpenPGP key signs the commit that publishes the approvers' keys and
# asks charter for approval evidence; Daniel's SSH key signs the last one.
gpg --batch --quiet --passphrase '' --quick-gen-key "$maya" ed25519 sign never 2>/dev/null
fpr=$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
mkdir -p keys "$tmp/ssh"
gpg --batch --armor --export "$fpr" >keys/approvers.asc
ssh-keygen -q -t ed25519 -N '' -C "$(email_of "$daniel")" -f "$tmp/ssh/daniel"
printf '%s namespaces="git" %s\n' "$(email_of "$daniel")" "$(cut -d' ' -f1-2 "$tmp/ssh/daniel.pub")" >keys/allowed_signers
cp "$top/site.yml" site.yml
cat >>site.yml <<'EOF'
# Approval evidence (docs/evidence.md): every policy change since the
# policies came out of Confluence on 4 November 2024 needs a pull or merge
# request or an Approved-by/Reviewed-by trailer; the few that have none are
# reported as warnings. Signatures are verified against these keys.
evidence:
  keyring: keys/approvers.asc
  allowed_signers: keys/allowed_signers
  require_approval: true
  approval_since: 2024-11-05
versioning:
  material: major
  minor: minor
# A review running late is shown on the dashboard and reported, but does
# not stop the site being published.
checks:
  unapproved-change: warning
  review-overdue: warning
EOF
as "$maya" 2026-11-16T10:00
git config user.signingkey "$fpr"
commit -S <<EOF
Require approval evidence; publish the approvers' signing keys

Change-Type: editorial
$(approved sofia)
EOF

final content/people/ai-tools.md
as "$jonas" 2026-11-23T11:00
by "$daniel" 2026-11-23T11:00
git config gpg.format ssh
git config user.signingkey "$tmp/ssh/daniel.pub"
commit -S <<EOF
AI tools draft 0.3: after the review of 4 November

Change-Type: minor
$(reviewed maya)
EOF
git config --unset gpg.format
git config --unset user.signingkey
git config --unset gc.auto
git config --unset maintenance.auto

# The last tree is the project's example site, as promised.
for d in content controls layouts assets; do
    diff -r "$top/$d" "$d" >/dev/null || {
        echo "example-repo: $d differs from the project's" >&2
        diff -r "$top/$d" "$d" | head -n 20 >&2
        exit 1
    }
done
head -n "$(wc -l <"$top/site.yml")" site.yml | cmp -s - "$top/site.yml" || {
    echo "example-repo: site.yml does not start with the project's" >&2
    exit 1
}
test -z "$(git status --porcelain)"
