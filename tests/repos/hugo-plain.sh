#!/bin/sh
# Build the Hugo fixture: security policies kept as a Hugo site (config.toml,
# content/ with _index.md section pages, a page bundle, a folder without an
# index page, links written for GitHub's file view), as teams publish them with
# the hugo-book theme (tests/repos/README.md describes its shape, history and
# intended defects).
#
#   sh tests/repos/hugo-plain.sh TARGET
#
# TARGET must be absent or empty; the same commits (and ids) on every run.
set -eu
. "$(dirname "$0")/lib.sh"
repo_init hugo-plain "$@"

AB='Alex Brennan'   ; EAB='alex@quillfeather.io'
NS='Nia Sandoval'   ; ENS='nia.sandoval@quillfeather.io'

# ------------------------------------------------------------ pages
# Each function prints a page as it reads at HEAD; `dated DATE` on a pipe
# sets its last_updated.

home() {
    cat <<'MD'
---
title: Quillfeather Security Policies
type: docs
---

# Quillfeather Security Policies

Quillfeather builds survey software for universities and research teams.
These pages are our security policies: what we promise our customers and what
we expect of each other.

- [Policies](policies/): the rules every employee follows.
- [Personnel security](/content/personnel/index.md): hiring, training and
  leaving.
- [Operations](operations/): how the platform is run.

Each page says who owns it and when it was last updated. Suggest a change with
the edit link at the bottom of any page.
MD
}

policies_index() {
    cat <<'MD'
---
title: Policies
weight: 1
bookCollapseSection: false
---

# Policies

| Policy | Owner |
|---|---|
| [Information Security Policy](information-security) | Managing Director |
| [Acceptable Use](acceptable-use) | Security Lead |
| [Access Control](access-control) | Head of Engineering |
| [Authentication](authentication) | Head of Engineering |
| [Data Protection](data-protection) | Data Protection Officer |

People-related rules are in [Personnel security](/personnel/index.md).
MD
}

infosec() {
    cat <<'MD'
---
title: Information Security Policy
weight: 1
owner: Managing Director
last_updated: 2026-03-02
---

# Information Security Policy

Quillfeather holds survey responses that universities collect from students,
staff and research participants. Some of them are sensitive. Keeping them
confidential, correct and available is part of what customers pay for.

## Commitments

- We collect and keep only the data our customers ask us to process.
- We design security into the product and test it before each release.
- We tell customers about a breach that affects them within 48 hours.
- We review these policies every year.

## Responsibilities

The Managing Director owns this policy and the Security Lead runs the
programme. Everyone follows the [Acceptable Use](acceptable-use) rules and
reports incidents as [Incident Response](../operations/incident-response)
describes.
MD
}

acceptable_use() {
    cat <<'MD'
---
title: Acceptable Use
weight: 2
owner: Security Lead
last_updated: 2026-03-02
---

# Acceptable Use

- Work on company laptops with disk encryption and automatic updates on.
- Keep customer data in the platform; do not export it to spreadsheets on your
  laptop.
- Sign in as described in [Authentication](authentication).
- Lock your screen when you step away, at home as in the office.

{{< hint warning >}}
Survey responses are never pasted into chat tools or AI assistants.
{{< /hint >}}
MD
}

access_control() {
    cat <<'MD'
---
title: Access Control
weight: 3
owner: Head of Engineering
last_updated: 2026-03-02
---

# Access Control

Staff get access by role. Production access is requested per task, expires
after eight hours and is logged ([Logging](../operations/logging)). Customer
administrators manage their own users; our support staff see customer data
only when a customer opens a ticket that needs it.

Access is reviewed every quarter. Leavers are handled as
[Personnel security](/content/personnel/index.md) sets out.
MD
}

authentication() {
    cat <<'MD'
---
title: Authentication
weight: 4
owner: Head of Engineering
last_updated: 2026-03-02
---

# Authentication

- Single sign-on with a hardware security key for every staff account.
- Passwords, where a system still needs one, come from the password manager:
  at least 16 random characters, never reused.
- Service credentials live in the secrets manager and are rotated every 90
  days.
MD
}

data_protection() {
    cat <<'MD'
---
title: Data Protection
weight: 5
owner: Data Protection Officer
last_updated: 2026-03-02
---

# Data Protection

We process survey data as a processor for our customers under UK GDPR.

## Retention

Responses are deleted 30 days after a customer closes a survey, unless the
customer asks us to keep them longer in writing. Backups age out as
[Backup](../operations/backup) describes.

## Requests

Requests from research participants are passed to the customer within two
working days.
MD
}

personnel() {
    cat <<'MD'
---
title: Personnel Security
owner: Operations Manager
last_updated: 2026-03-02
---

# Personnel Security

![Who reports to whom](org-chart.svg)

## Hiring

References are checked for everyone. Roles with production access also need a
basic criminal record check.

## Training

Security training in the first week and every year after; phishing exercises
every quarter.

## Leaving

Accounts are disabled on the last day and laptops returned within a week. See
[Access Control](../policies/access-control).
MD
}

backup() {
    cat <<'MD'
---
title: Backup
weight: 1
owner: Head of Engineering
last_updated: 2026-03-02
---

# Backup

Databases are backed up every hour and kept for 35 days in a separate
account. Restores are tested every quarter; the results are kept in the
operations log.
MD
}

logging() {
    cat <<'MD'
---
title: Logging
weight: 2
owner: Head of Engineering
last_updated: 2024-03-01
---

# Logging

Access and administrator actions are logged centrally and kept for a year.
Logs never hold survey responses. Alerts for unusual exports go to the
on-call engineer.
MD
}

incident_response() {
    cat <<'MD'
---
title: Incident Response
weight: 3
owner: Security Lead
last_updated: 2026-03-02
---

# Incident Response

1. Report anything suspicious in the #security channel.
2. The Security Lead decides the severity and who leads the response.
3. A compromised account is locked at once; passwords are reset as the
   [Password Policy](../policies/password-policy) says.
4. Affected customers hear from us within 48 hours.
5. A short review follows every incident.
MD
}

vulnerability() {
    cat <<'MD'
---
title: Vulnerability Management
weight: 4
owner: Head of Engineering
last_updated: 2026-03-02
---

# Vulnerability Management

Dependencies and container images are scanned on every build. Critical
vulnerabilities are fixed within 7 days, high ones within 30. An external
penetration test runs every year; its findings are tracked like any other
bug. Monitoring of exploitation attempts is described under
[Logging](/content/operations/logging.md).
MD
}

# dated DATE: the page on stdin, last updated on DATE.
dated() {
    sed "s/^last_updated: .*/last_updated: $1/"
}

# ------------------------------------------------------------ C1
cat >config.toml <<'TOML'
baseURL = "https://policies.quillfeather.io/"
languageCode = "en-gb"
title = "Quillfeather Security Policies"
enableGitInfo = true

[module]
  [[module.imports]]
    path = "github.com/alex-shpak/hugo-book"

[params]
  BookSection = "*"
  BookRepo = "https://github.com/quillfeather/security-policies"
  BookEditPath = "edit/main/content"
  BookDateFormat = "2 January 2006"

[markup.goldmark.renderer]
  unsafe = true
TOML
cat >go.mod <<'MOD'
module github.com/quillfeather/security-policies

go 1.20

require github.com/alex-shpak/hugo-book v0.0.0-20230424134111-d86d5e70c7c0 // indirect
MOD
cat >.gitignore <<'TXT'
/public/
/resources/_gen/
.hugo_build.lock
TXT
cat >README.md <<'MD'
# Quillfeather security policies

The source of <https://policies.quillfeather.io/>, built with Hugo and the
hugo-book theme.

    hugo server      # preview on http://localhost:1313/

Pages live in `content/`. Update `last_updated` when you review a page.
MD
mkdir -p archetypes content/policies
cat >archetypes/default.md <<'MD'
---
title: "{{ replace .Name "-" " " | title }}"
owner: ""
last_updated: {{ now.Format "2006-01-02" }}
---
MD
home | sed -e '/Personnel security/,/leaving\./d' -e '/(operations\/)/d' >content/_index.md
policies_index | sed -e '/access-control/d' -e '/data-protection/d' -e '/personnel/d' \
    -e 's/\[Authentication\](authentication)/[Password Policy](password-policy)/' | cat -s >content/policies/_index.md
infosec | dated 2023-01-16 | sed '/reports incidents/,$d' >content/policies/information-security.md
echo 'reports incidents to the Security Lead.' >>content/policies/information-security.md
acceptable_use | dated 2023-01-16 | sed 's/(authentication)/(password-policy)/' >content/policies/acceptable-use.md
authentication | dated 2023-01-16 | sed -e 's/^title: .*/title: Password Policy/' \
    -e 's/^# Authentication/# Password Policy/' >content/policies/password-policy.md
commit "$AB" "$EAB" '2023-01-16T10:30:00+00:00' 'Initial policy site'

# ------------------------------------------------------------ C2
personnel | dated 2023-02-06 | sed -e '/org-chart.svg/,/^$/d' -e 's|\.\./policies/access-control|password-policy|' \
    -e 's/\[Access Control\]/[Password Policy]/' >content/policies/personnel.md
printf 'People-related rules are in [Personnel security](personnel).\n' >>content/policies/_index.md
commit "$NS" "$ENS" '2023-02-06T15:20:00+00:00' 'Add personnel security'

# ------------------------------------------------------------ C3
# operations/ has no _index.md: Hugo lists it all the same.
mkdir -p content/operations
backup | dated 2023-05-15 >content/operations/backup.md
logging | dated 2023-05-15 >content/operations/logging.md
incident_response | dated 2023-05-15 >content/operations/incident-response.md
home | sed -e '/Personnel security/,/leaving\./d' >content/_index.md
infosec | dated 2023-05-15 >content/policies/information-security.md
commit "$AB" "$EAB" '2023-05-15T09:00:00+01:00' 'Operations pages: backup, logging, incident response'

# ------------------------------------------------------------ C4
for f in content/operations/*.md; do
    edit "$f" 's/^last_updated: .*/last_updated: 2024-03-01/'
done
mkdir -p layouts/partials/docs/inject
cat >layouts/partials/docs/inject/footer.html <<'HTML'
<p class="owner">
  Owner: {{ .Params.owner | default "unassigned" }} &middot;
  Updated: {{ .Params.last_updated }}
</p>
HTML
commit "$NS" "$ENS" '2024-03-01T11:45:00+00:00' 'Review the operations pages; show owner and date in the footer'

# ------------------------------------------------------------ C5
# The password policy becomes Authentication (a rename with edits); the link
# in incident-response.md is not updated: the broken link of this fixture.
g mv content/policies/password-policy.md content/policies/authentication.md
authentication | dated 2024-09-09 >content/policies/authentication.md
access_control | dated 2024-09-09 | sed 's|/content/personnel/index.md|personnel|' >content/policies/access-control.md
acceptable_use | dated 2024-09-09 >content/policies/acceptable-use.md
edit content/policies/personnel.md 's/(password-policy)/(access-control)/; s/\[Password Policy\]/[Access Control]/'
edit content/policies/_index.md 's/\[Password Policy\](password-policy) | Head of Engineering/[Authentication](authentication) | Head of Engineering/'
edit content/policies/_index.md '/\[Acceptable Use\]/a\
| [Access Control](access-control) | Head of Engineering |'
commit "$AB" "$EAB" '2024-09-09T14:10:00+01:00' 'Password policy becomes Authentication; add Access Control'

# ------------------------------------------------------------ C6
# The personnel page moves into its own folder, a page bundle with its image.
mkdir -p content/personnel
g mv content/policies/personnel.md content/personnel/index.md
personnel | dated 2025-01-20 >content/personnel/index.md
cat >content/personnel/org-chart.svg <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 320 120">
  <title>Quillfeather organisation</title>
  <rect x="110" y="10" width="100" height="30" fill="#eef" stroke="#336"/>
  <text x="160" y="30" text-anchor="middle" font-size="11">Managing Director</text>
  <rect x="10" y="80" width="90" height="30" fill="#eef" stroke="#336"/>
  <text x="55" y="100" text-anchor="middle" font-size="11">Engineering</text>
  <rect x="115" y="80" width="90" height="30" fill="#eef" stroke="#336"/>
  <text x="160" y="100" text-anchor="middle" font-size="11">Security</text>
  <rect x="220" y="80" width="90" height="30" fill="#eef" stroke="#336"/>
  <text x="265" y="100" text-anchor="middle" font-size="11">Operations</text>
  <path d="M160 40 V60 M55 60 H265 M55 60 V80 M160 60 V80 M265 60 V80" stroke="#336" fill="none"/>
</svg>
SVG
home >content/_index.md
edit content/policies/_index.md 's|\[Personnel security\](personnel)|[Personnel security](/personnel/index.md)|'
access_control | dated 2025-01-20 >content/policies/access-control.md
commit "$NS" "$ENS" '2025-01-20T16:00:00+00:00' 'Personnel security becomes a page bundle with the org chart'

# ------------------------------------------------------------ C7
data_protection | dated 2025-06-02 >content/policies/data-protection.md
vulnerability | dated 2025-06-02 >content/operations/vulnerability-management.md
edit content/policies/_index.md '/\[Authentication\]/a\
| [Data Protection](data-protection) | Data Protection Officer |'
commit "$AB" "$EAB" '2025-06-02T10:00:00+01:00' 'Add data protection and vulnerability management'

# ------------------------------------------------------------ C8
# The 2026 review; logging.md is overlooked.
policies_index >content/policies/_index.md
infosec >content/policies/information-security.md
acceptable_use >content/policies/acceptable-use.md
access_control >content/policies/access-control.md
authentication >content/policies/authentication.md
data_protection >content/policies/data-protection.md
personnel >content/personnel/index.md
backup >content/operations/backup.md
incident_response >content/operations/incident-response.md
vulnerability >content/operations/vulnerability-management.md
commit "$NS" "$ENS" '2026-03-02T09:30:00+00:00' 'Annual review 2026'
