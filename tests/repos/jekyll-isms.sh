#!/bin/sh
# Build the Jekyll ISMS fixture: a GitHub Pages site at the repository root,
# as many teams publish their ISO/IEC 27001 policies (tests/repos/README.md
# describes its shape, its history and its intended defects).
#
#   sh tests/repos/jekyll-isms.sh TARGET
#
# TARGET must be absent or empty; the same commits (and ids) on every run.
set -eu
. "$(dirname "$0")/lib.sh"
repo_init jekyll-isms "$@"

IH='Ingrid Halvorsen' ; EIH='ingrid.halvorsen@haldenrobotics.no'
TR='Tomás Ruiz'       ; ETR='tomas.ruiz@haldenrobotics.no'
MC='Maya Chen'        ; EMC='maya@haldenrobotics.no'

# ------------------------------------------------------------ page texts
# Each function prints a page as it reads at HEAD; earlier revisions are
# made from it with `early` (an older review date and version, no controls).

isp() {
    cat <<'MD'
---
title: Information Security Policy
owner: Chief Executive Officer
approver: Board of Directors
version: "3.2"
last_reviewed: 2026-03-16
controls: [A.5.1, A.5.2, A.5.4]
---

* TOC
{:toc}

#Foreword

Halden Robotics designs and builds autonomous inspection robots for ports and
offshore sites. Our customers trust us with the layouts of their facilities,
their camera footage and the telemetry of machines that work next to people.
Protecting that information is part of building safe robots.

##Overview

This policy states management's commitment to information security and
frames the topic-specific policies of the ISMS.

<a name="scope"></a>
##Scope

The ISMS covers the design, manufacture, remote operation and support of
Halden robots, the offices in Halden and Bergen, and every system that stores
customer data. It applies to employees, contractors and suppliers with access
to that information.

##Objectives

####We will:

- protect the confidentiality of customer site data;
- keep the remote operations platform available 99.9 % of each month;
- detect incidents and report them within the time each contract sets;
- meet ISO/IEC 27001:2022 and the laws and contracts that apply to us.

##Roles

The Chief Executive Officer owns this policy. The ISMS Manager runs the ISMS
day to day and reports to management every quarter. Each topic-specific
policy names its own owner.

##Policy set

The topic-specific policies are listed on the [home page](../../). Each is
reviewed at least every twelve months and after any significant change.
MD
}

access_control() {
    cat <<'MD'
---
title: Access Control Policy
owner: Head of IT
version: "2.4"
last_reviewed: 2026-03-16
controls: [A.5.15, A.5.16, A.5.18, A.8.2, A.8.5]
---

#Purpose

Only authorised people and systems reach Halden information, and only as far
as their role needs, within the
[scope of the ISMS](../information-security-policy/#scope).

#Principles

- Access is granted on least privilege and need to know.
- Every account belongs to one named person; a shared account needs the
  Head of IT's written exception.
- Privileged access uses accounts separate from day-to-day ones.

#Joiners, movers and leavers

Access is requested through the service desk and approved by the line manager
and the system owner. HR's leaver notice removes access on the last working
day; see [Human Resources Security](hr/human-resources-security.md).

#Authentication

Single sign-on with phishing-resistant multi-factor authentication is required
for every system that supports it. Password rules are in the
[Acceptable Use Policy](../acceptable-use/#passwords).

#Reviews

System owners review access to their systems every quarter, and privileged
access every month.
MD
}

acceptable_use() {
    cat <<'MD'
---
title: Acceptable Use Policy
owner: ISMS Manager
version: "1.3"
last_reviewed: 2026-03-16
controls: [A.5.10, A.6.2, A.8.1]
---

## Purpose

This policy sets out how Halden Robotics equipment, accounts and information
may be used. It applies to everyone who works for us, within the
[ISMS scope](information-security-policy.md#scope).

## General use

- Company devices are for company work; light personal use is fine when it
  does not break this policy.
- Install software only from the company catalogue, or with IT's approval.
- Lock your screen whenever you leave your device.

## Passwords

Use the company password manager. Never reuse a company password elsewhere and
never share it, not even with IT.

## Email and messaging

Customer site data is shared only through the customer portal, never as an
email attachment or in chat.

## Reporting

Report a lost device or a suspected incident to the service desk at once; see
the [Incident Management Policy](../incident-management/).

## Breaches

Breaches of this policy are handled under the
[disciplinary process](hr/disciplinary-process.md).
MD
}

asset_management() {
    cat <<'MD'
---
title: Asset Management Policy
owner: Head of IT
version: "1.1"
last_reviewed: 2026-03-16
controls: [A.5.9, A.5.11, A.5.12, A.5.13]
---

## Purpose

We know what we own, who is responsible for it and how sensitive the
information on it is.

## Inventory

Every laptop, server, robot controller and cloud account is recorded in the
asset register with a named owner. The register is checked against the device
management system every month.

## Classification

| Class | Examples | Who may see it |
|---|---|---|
| Public | brochures, the website | anyone |
| Internal | this ISMS, procedures | staff and contractors |
| Confidential | designs, source code, contracts | named teams |
| Customer Restricted | site maps, camera footage, telemetry | the customer's project team |

Documents carry their class in the footer; repositories in their README.

## Return of assets

Leavers return every asset on their last day; the asset register records the
return.
MD
}

cryptography() {
    cat <<'MD'
---
title: Cryptography Policy
owner: Head of IT
version: "2.0"
last_reviewed: 2026-03-16
controls: [A.8.24]
---

## Purpose

Encryption protects customer data wherever it is stored or sent.

## Rules

- Data at rest is encrypted with AES-256, on laptops, servers and robots.
- Data in transit uses TLS 1.2 or later, and TLS 1.3 for new services.
- Robot telemetry uses mutual TLS with device certificates from our private CA.

## Reference configuration

The load balancers use this TLS profile:

{% highlight yaml %}
tls:
  min_version: "1.2"
  preferred_version: "1.3"
  ciphers:
    - TLS_AES_256_GCM_SHA384
    - TLS_CHACHA20_POLY1305_SHA256
    - ECDHE-ECDSA-AES256-GCM-SHA384
  hsts_max_age: 31536000
{% endhighlight %}

## Keys

Keys are generated and kept in the cloud key management service and rotated
every year. Device certificates live for two years.

{% include note.html content="Never commit a private key or a token to a repository: the secret scanner blocks such pushes." %}
MD
}

supplier_security() {
    cat <<'MD'
---
title: Supplier Security Policy
owner: Head of Procurement
version: "1.4"
last_reviewed: 2026-03-16
controls: [A.5.19, A.5.20, A.5.21, A.5.22, A.5.99]
---

## Purpose

Suppliers that handle our information or build parts of our robots protect it
as we do.

## Before a contract

Procurement rates each supplier Low, Medium or High by the information and
systems it will reach. High suppliers complete our security questionnaire or
show an ISO/IEC 27001 certificate or a SOC 2 Type II report.

## In the contract

Contracts with Medium and High suppliers include confidentiality, breach
notification within 48 hours, the right to audit, and the return or deletion
of our data at the end.

## During the contract

High suppliers are reassessed every year, the others every three years. A
supplier's incident is handled under the
[Incident Management Policy](incident-management.md).
MD
}

incident_management() {
    cat <<'MD'
---
title: Incident Management Policy
owner: ISMS Manager
version: "2.0"
last_reviewed: 2026-03-16
controls: [A.5.24, A.5.25, A.5.26, A.5.27, A.6.8]
---

## Purpose

Incidents are reported early, handled calmly and learned from.

## Reporting

Anyone who notices something odd reports it to the service desk or in the
Slack channel #security-incidents. Reporting a false alarm is never a mistake.

## Severity

| Severity | Example | First response |
|---|---|---|
| 1 | customer data exposed, robot safety at risk | 30 minutes, day or night |
| 2 | a production system compromised | 4 hours |
| 3 | a lost laptop, a phishing click | next working day |

## Response

The on-call engineer leads until the ISMS Manager takes over. Evidence is kept
before systems are rebuilt. Customers and the Datatilsynet are informed when
the law or a contract requires it.

## Continuity

An incident that stops operations starts the
[Business Continuity Plan](business-continuity-plan.md).

## Lessons learned

Every severity 1 and 2 incident gets a blameless review within ten working
days; its actions are tracked to closure.
MD
}

business_continuity() {
    cat <<'MD'
---
title: Business Continuity Policy
owner: Chief Operating Officer
version: "1.2"
last_reviewed: 2023-01-10
controls: [A.5.29, A.5.30, A.8.13, A.8.14]
---

## Purpose

Customers' robots keep working safely, and we keep supporting them, when an
office, a data centre or a key supplier is lost.

## Objectives

| Service | Recovery time | Data loss at most |
|---|---|---|
| Remote operations platform | 4 hours | 15 minutes |
| Customer portal | 1 working day | 1 hour |
| Engineering systems | 3 working days | 1 day |

## Backups

Production data is backed up every 15 minutes to a second region; backups are
encrypted and restored as a test every quarter.

## Exercises

The continuity plan is exercised once a year, alternating a tabletop and a
failover of the remote operations platform.
MD
}

remote_working() {
    cat <<'MD'
---
title: Remote Working Policy
owner: ISMS Manager
version: "2.0"
last_reviewed: 2026-03-16
controls: [A.6.7, A.7.9, A.8.1]
---

## Purpose

Many of us work from home, from customer sites and while travelling. This
policy keeps information as safe there as in the office.

## Where you work

- Work where others cannot read your screen or overhear calls about
  customers.
- Never leave a laptop in a car or unattended in a public place.
- Customer Restricted data may be opened abroad only with the ISMS Manager's
  approval.

## Connecting

Use the company VPN on networks you do not control. Access rules are those of
the [Access Control Policy](../access-control/).

## Equipment

Only company laptops reach company systems. Printing customer data at home is
not allowed.
MD
}

physical_security() {
    cat <<'MD'
---
title: Physical Security Policy
version: "1.0"
last_reviewed: 2026-03-16
controls: [A.7.1, A.7.2, A.7.3, A.7.4]
---

## Purpose

Offices, the workshop and the test hall are protected against unauthorised
entry, theft and damage.

## Zones

| Zone | Examples | Entry |
|---|---|---|
| Public | reception | anyone during opening hours |
| Office | desks, meeting rooms | badge |
| Secure | server room, prototype store | badge and PIN, logged |

## Visitors

Visitors sign in, wear a visitor badge and are escorted beyond reception.

## Monitoring

Entrances to the Secure zone are covered by cameras; recordings are kept for
30 days.
MD
}

hr_security() {
    cat <<'MD'
---
title: Human Resources Security
last_reviewed: 2026-03-16
controls: [A.6.1, A.6.2, A.6.4, A.6.5]
---

## Before employment

Candidates for roles with access to Customer Restricted data are screened:
identity, right to work, references and, where customers require it, a police
certificate.

## During employment

Every employee signs the confidentiality clause of their contract and
completes security awareness training in their first month and every year.

## Leaving

HR tells the service desk of every leaver five working days ahead. Access is
removed on the last day and assets are returned. Confidentiality continues
after employment ends.
MD
}

disciplinary() {
    cat <<'MD'
---
title: Disciplinary Process
last_reviewed: 2026-03-16
controls: [A.6.4]
---

## Principles

A breach of a security policy is handled fairly and in proportion. Honest
mistakes reported promptly are a matter for training, not discipline.

## Steps

1. The line manager and HR establish the facts and hear the employee.
2. The outcome is one of: no action, training, a written warning, dismissal.
3. The employee may appeal to the Chief Operating Officer within ten working
   days.
MD
}

risk_management() {
    cat <<'MD'
---
title: Risk Management Policy
owner: ISMS Manager
version: "1.0"
last_reviewed: 2026-04-20
---

## Purpose

Information security risks are identified, assessed and treated in the same
way across the company (ISO/IEC 27001:2022 clauses 6.1 and 8.2).

## Method

Risks are scored by likelihood and impact from 1 to 5. A score of 12 or more
needs a treatment plan approved by the risk owner; 20 or more goes to the
management review.

## Register

The ISMS Manager keeps the risk register and reviews it with risk owners every
quarter.
MD
}

# early DATE VERSION: an older revision of the page on stdin.
early() {
    sed -e "s/^last_reviewed: .*/last_reviewed: $1/" -e "s/^version: .*/version: \"$2\"/" \
        -e '/^controls:/d'
}

# ------------------------------------------------------------ C1
cat >_config.yml <<'YML'
title: Halden Robotics ISMS
description: Information security policies of Halden Robotics AS
baseurl: ""
url: "https://isms.haldenrobotics.no"
markdown: kramdown
theme: minima
exclude:
  - README.md
  - Gemfile
  - Gemfile.lock
YML
cat >Gemfile <<'RB'
source "https://rubygems.org"

gem "github-pages", group: :jekyll_plugins
RB
cat >README.md <<'MD'
# Halden Robotics ISMS

The information security management system of Halden Robotics AS, published
with GitHub Pages.

To preview the site locally:

    bundle install
    bundle exec jekyll serve

Policies live in `policies/`. Open a pull request for every change; the ISMS
Manager approves it.
MD
cat >index.md <<'MD'
---
layout: home
title: Halden Robotics ISMS
---

This site publishes the information security management system (ISMS) of
{{ site.title }}.

- [Information Security Policy](information-security-policy.md)
- [Access Control Policy](access-control.md)
MD
isp | early 2021-03-01 1.0 >information-security-policy.md
access_control | early 2021-03-01 1.0 >access-control.md
commit "$IH" "$EIH" '2021-03-01T10:12:00+01:00' 'Initial ISMS site'

# ------------------------------------------------------------ C2
# acceptable-use has no extension yet: Jekyll renders it all the same.
mkdir policies
acceptable_use | early 2021-03-15 1.0 >policies/acceptable-use
asset_management | early 2021-03-15 1.0 >policies/asset-management.md
cat >>index.md <<'MD'
- [Acceptable Use Policy](policies/acceptable-use)
- [Asset Management Policy](policies/asset-management.md)
MD
commit "$IH" "$EIH" '2021-03-15T14:40:00+01:00' 'Add acceptable use and asset management policies'

# ------------------------------------------------------------ C3
g mv information-security-policy.md access-control.md policies/
cat >_config.yml <<'YML'
# Site settings for the Halden Robotics ISMS (GitHub Pages).
title: Halden Robotics ISMS
description: >-
  The information security management system of Halden Robotics AS:
  policies and standards mapped to ISO/IEC 27001.
baseurl: "/isms"
url: "https://haldenrobotics.github.io"
permalink: pretty
markdown: kramdown
theme: minima
exclude:
  - README.md
  - Gemfile
  - Gemfile.lock
  - vendor/
  - .bundle/
defaults:
  - scope:
      path: ""
    values:
      layout: page
  - scope:
      path: "policies"
    values:
      layout: page
      classification: Internal
      review_cycle: 12 months
YML
cat >index.md <<'MD'
---
layout: home
title: Halden Robotics ISMS
---

This site publishes the information security management system (ISMS) of
{{ site.title }}.

##Governance

- [Information Security Policy]({{ site.baseurl }}/policies/information-security-policy/)

##People

- [Acceptable Use Policy](policies/acceptable-use)

##Technology

- [Access Control Policy](policies/access-control.md)
- [Asset Management Policy](policies/asset-management.md)
MD
commit "$TR" "$ETR" '2021-06-02T09:03:00+02:00' 'Move policies into policies/ and use pretty permalinks' \
    '' 'GitHub Pages now serves the site from /isms; links between pages are' \
    'relative to the pretty URLs.'

# ------------------------------------------------------------ C4
mkdir _includes
cat >_includes/note.html <<'HTML'
<div class="note" role="note">
  <strong>Note:</strong> {{ include.content | markdownify }}
</div>
HTML
cryptography | early 2021-09-20 1.0 >policies/cryptography.md
supplier_security | early 2021-09-20 1.0 >policies/supplier-security.md
incident_management | early 2021-09-20 1.0 >policies/incident-management.md
business_continuity | early 2021-09-20 1.0 | sed 's/^title: .*/title: Business Continuity Plan/' \
    >policies/business-continuity-plan.md
edit index.md '/Information Security Policy/a\
- [Supplier Security Policy](policies/supplier-security.md)'
edit index.md '/Asset Management Policy/a\
- [Cryptography Policy]({{ "/policies/cryptography/" | relative_url }})\
\
##Operations\
\
- [Incident Management Policy](policies/incident-management.md)\
- [Business Continuity Plan](policies/business-continuity-plan.md)'
commit "$TR" "$ETR" '2021-09-20T16:25:00+02:00' 'Add cryptography, supplier, incident and continuity policies'

# ------------------------------------------------------------ C5
g mv policies/acceptable-use policies/acceptable-use.md
edit index.md 's|(policies/acceptable-use)|(policies/acceptable-use.md)|'
commit "$MC" "$EMC" '2022-01-10T11:30:00+01:00' 'Give acceptable-use a .md extension so GitHub renders it'

# ------------------------------------------------------------ C6
# A copy of the acceptable use policy, to be rewritten later.
sed -e 's/^title: .*/title: Remote Working Policy/' -e 's/^version: .*/version: "0.1"/' \
    policies/acceptable-use.md >policies/remote-working.md
edit index.md '/Acceptable Use Policy/a\
- [Remote Working Policy](policies/remote-working.md)'
commit "$MC" "$EMC" '2022-04-04T15:02:00+02:00' 'Add remote working policy, starting from the acceptable use policy'

# ------------------------------------------------------------ C7
g rm -q policies/incident-management.md
edit index.md '/Incident Management Policy/d'
commit "$TR" "$ETR" '2022-08-30T10:45:00+02:00' 'Remove the incident management policy while it is rewritten'

# ------------------------------------------------------------ C8
# The plan becomes a policy (a rename with edits); the annual review.
g mv policies/business-continuity-plan.md policies/business-continuity.md
business_continuity >policies/business-continuity.md
edit index.md 's|\[Business Continuity Plan\](policies/business-continuity-plan.md)|[Business Continuity Policy](policies/business-continuity.md)|'
for f in policies/*.md; do
    edit "$f" 's/^last_reviewed: .*/last_reviewed: 2023-01-10/'
done
commit "$IH" "$EIH" '2023-01-10T13:00:00+01:00' 'Annual review 2023; the continuity plan becomes a policy'

# ------------------------------------------------------------ C9
# Restored with its old link to business-continuity-plan.md, which no longer
# exists: the broken link of this fixture.
incident_management | early 2023-05-22 2.0 >policies/incident-management.md
edit index.md '/Business Continuity Policy/i\
- [Incident Management Policy](policies/incident-management.md)'
commit "$MC" "$EMC" '2023-05-22T09:41:00+02:00' 'Restore the incident management policy, rewritten'

# ------------------------------------------------------------ C10
mkdir policies/hr
hr_security | early 2024-02-12 1.0 >policies/hr/human-resources-security.md
disciplinary | early 2024-02-12 1.0 >policies/hr/disciplinary-process.md
physical_security | early 2024-02-12 1.0 >policies/physical-security.md
cat >>_config.yml <<'YML'
  - scope:
      path: "policies/hr"
    values:
      owner: People Operations Lead
YML
edit index.md '/Remote Working Policy/a\
- [Human Resources Security](policies/hr/human-resources-security.md)\
- [Disciplinary Process](policies/hr/disciplinary-process.md)'
edit index.md '/Cryptography Policy/a\
- [Physical Security Policy](policies/physical-security.md)'
commit "$TR" "$ETR" '2024-02-12T14:18:00+01:00' 'Add HR and physical security policies' \
    '' 'Pages under policies/hr take their owner from _config.yml.'

# ------------------------------------------------------------ C11
remote_working | early 2025-03-03 1.0 >policies/remote-working.md
commit "$MC" "$EMC" '2025-03-03T08:55:00+01:00' 'Rewrite the remote working policy'

# ------------------------------------------------------------ C12
# The 2026 review: every page but the continuity policy (overlooked).
isp >policies/information-security-policy.md
access_control >policies/access-control.md
acceptable_use >policies/acceptable-use.md
asset_management >policies/asset-management.md
cryptography >policies/cryptography.md
supplier_security >policies/supplier-security.md
incident_management >policies/incident-management.md
remote_working >policies/remote-working.md
physical_security >policies/physical-security.md
hr_security >policies/hr/human-resources-security.md
disciplinary >policies/hr/disciplinary-process.md
commit "$IH" "$EIH" '2026-03-16T16:30:00+01:00' 'Annual ISMS review 2026' '' \
    'Controls mapped to ISO/IEC 27001:2022 Annex A.'

# ------------------------------------------------------------ C13
risk_management >policies/risk-management.md
cat >index.md <<'MD'
---
layout: home
title: Halden Robotics ISMS
---

This site publishes the information security management system (ISMS) of
{{ site.title }}. Every policy is owned by a named role, reviewed at least once
a year and mapped to the controls of ISO/IEC 27001:2022 Annex A.

{% include note.html content="These policies are internal. Ask the ISMS Manager before sharing them outside Halden Robotics." %}

##Governance

- [Information Security Policy]({{ site.baseurl }}/policies/information-security-policy/)
- [Risk Management Policy](policies/risk-management.md)
- [Supplier Security Policy](policies/supplier-security.md)

##People

- [Acceptable Use Policy](policies/acceptable-use.md)
- [Remote Working Policy](policies/remote-working.md)
- [Human Resources Security](policies/hr/human-resources-security.md)
- [Disciplinary Process](policies/hr/disciplinary-process.md)

##Technology

- [Access Control Policy](policies/access-control.md)
- [Asset Management Policy](policies/asset-management.md)
- [Cryptography Policy]({{ "/policies/cryptography/" | relative_url }})
- [Physical Security Policy](policies/physical-security.md)

##Operations

- [Incident Management Policy](policies/incident-management.md)
- [Business Continuity Policy](policies/business-continuity.md)

Questions go to the ISMS Manager at <isms@haldenrobotics.no>.
MD
commit "$TR" "$ETR" '2026-04-20T10:05:00+02:00' 'Add the risk management policy'
