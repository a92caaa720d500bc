#!/bin/sh
# Build the comply fixture: a SOC 2 repository laid out by strongdm's comply
# (`comply init`), whose documents open with a YAML header that has no opening
# `---` and ends at the first `---` line (tests/repos/README.md describes its
# shape, its history and its intended defects).
#
#   sh tests/repos/comply-soc2.sh TARGET
#
# TARGET must be absent or empty; the same commits (and ids) on every run.
set -eu
. "$(dirname "$0")/lib.sh"
repo_init comply-soc2 "$@"

DO='Dana Okoye'    ; EDO='dana@kestrelpay.com'
PL='Priya Lal'     ; EPL='priya.lal@kestrelpay.com'
SV='Sam Varga'     ; ESV='sam@kestrelpay.com'

# ------------------------------------------------------------ documents
# Each function prints a document as it reads at HEAD; `before DATE` on a
# pipe drops the revision entries dated DATE and later.

access() {
    cat <<'MD'
name: Access Onboarding and Termination Policy
acronym: AOTP
satisfies:
  TSC:
    - CC6.1
    - CC6.2
    - CC6.3
majorRevisions:
  - date: Jun 3 2019
    comment: Initial document
  - date: Mar 22 2021
    comment: Quarterly access reviews
  - date: Jun 1 2024
    comment: Annual review
---

# Purpose and Scope

a. This policy sets out how {{.Name}} grants, changes and removes access to
   its systems and data.

b. It applies to every employee, contractor and service account with access to
   production systems, the corporate network or customer data.

# Policy

a. Access is granted on the principle of least privilege and only after the
   request is approved by the employee's manager and the system owner.

b. Every person uses an individual account protected by multi-factor
   authentication. Shared accounts are not allowed.

c. Access to production is granted through the access gateway for a limited
   time; standing production access needs the CTO's approval.

d. On termination, access to all systems is removed within one business day,
   and within one hour for an involuntary termination.

e. System owners review the access to their systems every quarter. Removals
   found in the review are made within five business days.
MD
}

application() {
    cat <<'MD'
name: Application Security Policy
acronym: ASP
satisfies:
  TSC:
    - CC7.1
    - CC8.1
majorRevisions:
  - date: Jun 3 2019
    comment: Initial document
  - date: Jun 1 2024
    comment: Annual review
---

# Purpose and Scope

a. This policy sets the security requirements for the software {{.Name}}
   builds and runs, from design to retirement.

# Policy

a. Every change to production code is reviewed by an engineer other than its
   author before it is merged.

b. Dependencies are scanned for known vulnerabilities on every build. Critical
   findings block the release; high findings are fixed within 30 days.

c. Secrets are never stored in source code; they are read from the secrets
   manager at run time.

d. A third party tests the payment API for security flaws every year and
   after any major change to it.
MD
}

change() {
    cat <<'MD'
acronym: CMP
satisfies:
  TSC:
    - CC3.4
    - CC8.1
majorRevisions:
  - date: Jul 15 2019
    comment: Initial document
  - date: May 9 2022
    comment: Emergency changes
  - date: Jun 1 2024
    comment: Annual review
---

# Purpose and Scope

a. This policy makes sure that changes to production systems are planned,
   tested, approved and recorded.

# Policy

a. Every change to production is made through a pull request or a change
   ticket that says what changes, why, and how to roll it back.

b. Changes are tested in staging before they reach production.

c. A change is approved by someone other than the person who makes it.

d. Emergency changes may be made first and approved within one business day;
   the change ticket records why the change could not wait.
MD
}

continuity() {
    cat <<'MD'
name: Business Continuity Policy
acronym: BCP
satisfies:
  TSC:
    - A1.2
    - A1.3
    - CC9.1
majorRevisions:
  - date: Jul 15 2019
    comment: Initial document
  - date: May 9 2022
    comment: Renamed from the BCP plan
  - date: Jun 1 2024
    comment: Annual review
---

# Purpose and Scope

a. This policy keeps the payment platform running, or restores it quickly,
   when a region, a supplier or a key person is lost.

# Policy

a. The payment API runs in two regions. The recovery time objective is one
   hour and the recovery point objective five minutes.

b. Databases are backed up continuously to the second region; backups are
   restored as a test every quarter.

c. The continuity plan is exercised once a year and updated with what the
   exercise found.
MD
}

encryption() {
    cat <<'MD'
name: Encryption Policy
acronym: EP
satisfies:
  TSC:
    - CC6.1
    - CC6.7
majorRevisions:
  - date: Jun 3 2019
    comment: Initial document
  - date: Jun 1 2024
    comment: Annual review
---

# Purpose and Scope

a. This policy sets how {{.Name}} uses encryption to protect cardholder and
   customer data.

# Policy

a. Data at rest is encrypted with AES-256 using keys from the cloud key
   management service.

b. Data in transit over public networks uses TLS 1.2 or later.

c. Encryption keys are rotated every year and when a person with access to
   them leaves.
MD
}

incident() {
    cat <<'MD'
name: Security Incident Response Policy
acronym: SIRP
satisfies:
  TSC:
    - CC7.2
    - CC7.3 - Incident Detection and Response
    - CC7.4
    - CC7.5
majorRevisions:
  - date: Feb 10 2020
    comment: Initial document
  - date: Mar 22 2021
    comment: Severity levels
  - date: Jun 1 2024
    comment: Annual review
---

# Purpose and Scope

a. This policy sets how {{.Name}} detects, responds to and learns from
   security incidents.

# Policy

a. Alerts from the monitoring systems page the on-call engineer at any hour.

b. Incidents are classified by severity:

   | Severity | Example | Response |
   |---|---|---|
   | SEV1 | cardholder data exposed | 15 minutes |
   | SEV2 | a production system compromised | 1 hour |
   | SEV3 | a phishing email reported | 1 business day |

c. The incident commander keeps a timeline in the incident ticket and decides
   who must be told: customers, card schemes and regulators are notified as
   contracts and law require.

d. Every SEV1 and SEV2 incident gets a written post-mortem within ten business
   days.
MD
}

vendor() {
    cat <<'MD'
name: Vendor Management Policy
acronym: VMP
satisfies:
  TSC:
    - CC9.2
    - CC9.9
majorRevisions:
  - date: Feb 10 2020
    comment: Initial document
  - date: Apr 11 2023
    comment: Vendor tiers
  - date: Jun 1 2024
    comment: Annual review
---

# Purpose and Scope

a. This policy sets how {{.Name}} chooses and monitors vendors that handle
   its data or run part of its service.

# Policy

a. Vendors are tiered by the data and systems they reach. Tier 1 vendors hold
   customer data or run production systems.

b. Before a contract, Tier 1 vendors provide a SOC 2 Type II report or an
   ISO/IEC 27001 certificate, or complete the security questionnaire.

c. Contracts with Tier 1 vendors require notice of a breach within 48 hours.

d. Tier 1 vendors are reviewed every year.
MD
}

risk() {
    cat <<'MD'
name: Risk Assessment Policy
acronym: RAP
satisfies:
  TSC:
    - CC3.1
    - CC3.2
    - CC3.3
majorRevisions:
  - date: Jul 15 2019
    comment: Initial document
  - date: Jun 1 2024
    comment: Annual review
---

# Purpose and Scope

a. This policy sets how {{.Name}} identifies and treats risks to its
   objectives, including fraud.

# Policy

a. The security team runs a risk assessment every year and after major
   changes to the business or the platform.

b. Each risk is scored by likelihood and impact and has an owner. Risks above
   the appetite set by the board have a treatment plan.

c. The risk register is reviewed by the leadership team every quarter.
MD
}

onboarding() {
    cat <<'MD'
id: "onboard"
name: "Onboard New Employee"
---

# Onboard New Employee

1. Confirm the signed offer and background check in the HR system.
2. Create the identity account and enrol multi-factor authentication.
3. Add the employee to the groups of their role; nothing else.
4. Assign security awareness training, due within 30 days.
5. Record the laptop serial number in the asset inventory.
MD
}

offboarding() {
    cat <<'MD'
id: "offboard"
name: "Offboard User"
---

# Offboard User

1. Disable the identity account; this ends every single sign-on session.
2. Remove the person from the access gateway and revoke their SSH
   certificates.
3. Transfer ownership of their documents to their manager.
4. Collect the laptop and wipe it.
5. Close the ticket with the time each step was done.
MD
}

patch() {
    cat <<'MD'
id: "patch"
name: "Apply OS Patches"
cron: "0 0 9 1 * *"
---

# Apply OS Patches

1. Rebuild the base images with the latest security updates.
2. Roll the new images out to staging and run the smoke tests.
3. Roll them out to production, one region at a time.
4. Attach the image versions to the ticket.
MD
}

narrative_control() {
    cat <<'MD'
name: Control Environment Narrative
acronym: CEN
satisfies:
  TSC:
    - CC1.1
    - CC1.4
    - CC2.1
    - CC5.3
majorRevisions:
  - date: Jun 3 2019
    comment: Initial document
---

# Control Environment Narrative

{{.Name}} is a payments company of 140 people. The board sets the tone on
integrity through the code of conduct, which every employee signs each year.

## Policies

Security policies are kept in this repository, approved by the CTO and read
by every employee when they join.

## Competence

Engineers complete secure development training every year.
MD
}

narrative_organizational() {
    cat <<'MD'
name: Organizational Narrative
acronym: ON
satisfies:
  TSC:
    - CC1.3
    - CC2.2
majorRevisions:
  - date: Apr 11 2023
    comment: Initial document
---

# Organizational Narrative

The CTO is accountable for security and reports to the board every quarter.
The security team of five people runs the security programme; engineering
managers own the controls of their systems.
MD
}

narrative_system() {
    cat <<'MD'
name: System Narrative
acronym: SN
satisfies:
  TSC:
    - CC6.6
    - CC7.1
majorRevisions:
  - date: Apr 11 2023
    comment: Initial document
---

# System Narrative

The payment API accepts card payments from merchants and settles them with
acquiring banks. It runs on containers in two cloud regions behind a web
application firewall. Cardholder data is tokenised at the edge and kept in an
encrypted vault.
MD
}

# before DATE: drop the revision entries from DATE (a "Mon D YYYY" string)
# on, up to the header's end.
before() {
    awk -v d="  - date: $1" '$0 == d { skip = 1 } /^---$/ { skip = 0 } !skip'
}

# ------------------------------------------------------------ C1
cat >comply.yml <<'YML'
name: "Kestrel Pay"
filePrefix: "KestrelPay"
YML
cat >.gitignore <<'TXT'
output/
TXT
cat >README.md <<'MD'
# Kestrel Pay compliance program

Policies, procedures and narratives for our SOC 2 Type II audit, kept with
[comply](https://github.com/strongdm/comply).

    comply build     # writes output/ (HTML and PDF)
    comply serve     # rebuilds on every change

Every change is a pull request approved by the security team.
MD
cat >TODO.md <<'MD'
# Kestrel Pay compliance program

## Authoring
- [x] Prune standards/ to the criteria in scope
- [x] Customize policies/
- [ ] Customize narratives/
- [ ] Customize procedures/

## Audit
- [ ] Choose an auditor
- [ ] Type I report
- [ ] Type II observation period
MD
mkdir -p narratives policies procedures standards templates
printf '# Narratives\n\nNarratives describe how the organisation and its systems meet the criteria.\n' \
    >narratives/README.md
printf '# Policies\n\nOne file per policy. The header names the criteria it satisfies.\n' \
    >policies/README.md
printf '# Procedures\n\nA procedure with a `cron` field opens a ticket on that schedule.\n' \
    >procedures/README.md
printf '# Standards\n\nThe criteria policies and narratives cite under `satisfies`.\n' \
    >standards/README.md
cat >standards/TSC-2017.yml <<'YML'
name: TSC
CC1.1:
  family: CC1
  name: Integrity and Ethics
  description: The entity shows a commitment to integrity and ethical values
CC1.2:
  family: CC1
  name: Board Independence
  description: The board is independent of management and oversees internal control
CC1.3:
  family: CC1
  name: Organizational Structure
  description: Management sets structures, reporting lines and authorities
CC1.4:
  family: CC1
  name: Hiring, Training and Retention
  description: The entity attracts, develops and retains competent people
CC2.1:
  family: CC2
  name: Use of Information Systems
  description: The entity uses relevant, quality information for internal control
CC2.2:
  family: CC2
  name: Internal Communication
  description: The entity communicates internal control information internally
CC2.3:
  family: CC2
  name: External Communication
  description: The entity communicates with external parties about internal control
CC3.1:
  family: CC3
  name: Objectives
  description: The entity sets objectives clearly enough to assess risks to them
CC3.2:
  family: CC3
  name: Risk to Objectives
  description: The entity identifies and analyses risks to its objectives
CC3.3:
  family: CC3
  name: Fraud Risk
  description: The entity considers the potential for fraud when assessing risks
CC3.4:
  family: CC3
  name: Impact of Changes
  description: The entity assesses changes that could affect internal control
CC4.1:
  family: CC4
  name: Monitoring
  description: The entity evaluates whether the parts of internal control are present and working
CC5.3:
  family: CC5
  name: Established Policies
  description: The entity deploys control activities through policies and procedures
CC6.1:
  family: CC6
  name: Logical Access
  description: The entity implements logical access security over protected assets
CC6.2:
  family: CC6
  name: User Access
  description: The entity registers, authorises and removes users
CC6.3:
  family: CC6
  name: Role-Based Access
  description: The entity grants access by role, with least privilege
CC6.4:
  family: CC6
  name: Physical Access
  description: The entity restricts physical access to facilities and protected assets
CC6.5:
  family: CC6
  name: Data Disposal
  description: The entity removes protections from assets only once their data cannot be recovered
CC6.6:
  family: CC6
  name: External Threats
  description: The entity protects against threats from outside its boundaries
CC6.7:
  family: CC6
  name: Data Transmission
  description: The entity restricts and protects the movement of information
CC7.1:
  family: CC7
  name: Vulnerability Detection
  description: The entity detects configuration changes and new vulnerabilities
CC7.2:
  family: CC7
  name: Anomaly Detection
  description: The entity monitors its systems for anomalies and security events
CC7.3:
  family: CC7
  name: Security Incident Evaluation
  description: The entity evaluates security events to decide whether they are incidents
CC7.4:
  family: CC7
  name: Security Incident Response
  description: The entity responds to incidents with a defined programme
CC7.5:
  family: CC7
  name: Security Incident Recovery
  description: The entity recovers from identified security incidents
CC8.1:
  family: CC8
  name: Change Control
  description: The entity authorises, tests, approves and records changes
CC9.1:
  family: CC9
  name: Disruption Risk Mitigation
  description: The entity mitigates risks from business disruptions
CC9.2:
  family: CC9
  name: Vendor Risk Management
  description: The entity assesses and manages risks from vendors and partners
A1.1:
  family: A1
  name: Capacity Planning
  description: The entity monitors capacity and plans for demand
A1.2:
  family: A1
  name: Backup and Recovery
  description: The entity protects and backs up data and recovery infrastructure
A1.3:
  family: A1
  name: Recovery Testing
  description: The entity tests its recovery plan procedures
C1.1:
  family: C1
  name: Confidential Information Identification
  description: The entity identifies and keeps confidential information
YML
cat >templates/default.latex <<'TEX'
\documentclass[11pt]{article}
\usepackage[margin=2.5cm]{geometry}
\usepackage{fancyhdr}
\pagestyle{fancy}
\lhead{$name$}
\rhead{Kestrel Pay -- Confidential}
\title{$name$}
\begin{document}
\maketitle
$body$
\end{document}
TEX
cat >templates/index.ace <<'ACE'
= doctype html
html lang=en
  head
    meta charset=utf-8
    title {{.Project.Name}} compliance program
  body
    h1 {{.Project.Name}} compliance program
    ul
      {{range .Policies}}
        li
          a href={{.OutputFilename}} {{.Name}}
      {{end}}
ACE
access | before 'Mar 22 2021' >policies/access.md
application | before 'Jun 1 2024' >policies/application.md
encryption | before 'Jun 1 2024' >policies/encryption.md
narrative_control >narratives/control.md
commit "$DO" "$EDO" '2019-06-03T17:20:00-07:00' 'comply init; first policies'

# ------------------------------------------------------------ C2
# The continuity policy starts as bcp.md; change.md still has its name.
change | before 'May 9 2022' | sed '1i\
name: Change Management Policy' >policies/change.md
continuity | before 'May 9 2022' | sed 's/^name: .*/name: Business Continuity Plan/' >policies/bcp.md
risk | before 'Jun 1 2024' >policies/risk.md
commit "$DO" "$EDO" '2019-07-15T10:02:00-07:00' 'Add change management, continuity and risk policies'

# ------------------------------------------------------------ C3
onboarding >procedures/onboarding.md
offboarding >procedures/offboarding.md
patch | sed 's/^cron: .*/cron: "0 0 9 15 * *"/' >procedures/patch.md
commit "$PL" "$EPL" '2019-09-02T13:45:00-07:00' 'Add onboarding, offboarding and patch procedures'

# ------------------------------------------------------------ C4
incident | before 'Mar 22 2021' | sed 's/ - Incident Detection and Response$//' >policies/incident.md
vendor | before 'Apr 11 2023' | sed '/- CC9.9$/d' >policies/vendor.md
commit "$PL" "$EPL" '2020-02-10T09:30:00-08:00' 'Add incident response and vendor management policies'

# ------------------------------------------------------------ C5
# The criterion gets its title written next to it, as a reminder.
access | before 'Jun 1 2024' >policies/access.md
incident | before 'Jun 1 2024' >policies/incident.md
cat >>TODO.md <<'MD'

## 2021
- [x] Quarterly access reviews (AOTP)
- [x] Incident severity levels (SIRP)
MD
commit "$SV" "$ESV" '2021-03-22T16:10:00-07:00' 'Access reviews and incident severity levels'

# ------------------------------------------------------------ C6
# bcp.md becomes continuity.md; the change policy's header is rewritten and
# loses its name line on the way.
g mv policies/bcp.md policies/continuity.md
continuity | before 'Jun 1 2024' >policies/continuity.md
change | before 'Jun 1 2024' >policies/change.md
patch >procedures/patch.md
commit "$SV" "$ESV" '2022-05-09T11:00:00-07:00' 'Rename bcp.md to continuity.md; emergency changes' \
    '' 'Patching moves to the first of the month.'

# ------------------------------------------------------------ C7
narrative_organizational >narratives/organizational.md
narrative_system >narratives/system.md
vendor | before 'Jun 1 2024' >policies/vendor.md
commit "$DO" "$EDO" '2023-04-11T14:30:00-07:00' 'Narratives for the organisation and the system; vendor tiers'

# ------------------------------------------------------------ C8
access >policies/access.md
application >policies/application.md
change >policies/change.md
continuity >policies/continuity.md
encryption >policies/encryption.md
incident >policies/incident.md
vendor >policies/vendor.md
risk >policies/risk.md
commit "$PL" "$EPL" '2024-06-01T10:00:00-07:00' 'Annual policy review 2024'
