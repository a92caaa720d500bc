#!/bin/sh
# Build the Docusaurus fixture: an ISO/IEC 27001 ISMS kept as a Docusaurus
# site (docs/ with category folders, static/ served at the root, a React
# src/ and a blog), with namespaced control ids and [TBD] placeholders
# (tests/repos/README.md describes its shape, history and intended defects).
#
#   sh tests/repos/docusaurus-iso.sh TARGET
#
# TARGET must be absent or empty; the same commits (and ids) on every run.
set -eu
. "$(dirname "$0")/lib.sh"
repo_init docusaurus-iso "$@"

JM='Joanna Mensah'  ; EJM='joanna.mensah@brightwater.health'
LK='Lukas Keller'   ; ELK='lukas.keller@brightwater.health'
RP='Rosa Pereira'   ; ERP='rosa@brightwater.health'

# ------------------------------------------------------------ documents
# Each function prints a document as it reads at HEAD; `early DATE` on a
# pipe makes an older revision (an older review, no controls).

intro() {
    cat <<'MD'
---
title: Brightwater Health ISMS
sidebar_position: 1
slug: /
---

# Brightwater Health ISMS

![Brightwater Health](/img/logo.png)

This site holds the information security management system (ISMS) of
Brightwater Health, certified to ISO/IEC 27001:2022. It covers the patient
messaging platform, the teams that build and run it and the offices in
Leeds and Lisbon.

:::info

The signed copy of the [Information Security Policy](/files/policy.pdf) is
the one auditors ask for. The pages here are the working text.

:::

## Where to start

- New starters read the [Acceptable Use Policy](people/acceptable-use.md)
  first.
- Engineers read the [Access Control Policy](technology/access-control.md) and
  the [Cryptography Policy](technology/cryptography.md).
- Something went wrong? Follow [Incident Response](/docs/operations/incident-response).

Each policy shows its owner and its next review. A policy without an owner is
listed on the ISMS board until someone takes it.
MD
}

isp() {
    cat <<'MD'
---
title: Information Security Policy
sidebar_position: 1
owner: Chief Executive Officer
last_reviewed: 2026-02-16
next_review: 2027-02-16
controls: [iso27001:A.05.01, iso27001:A.5.2, iso27001:A.5.4]
---

# Information Security Policy

Brightwater Health carries messages between patients and their clinics. We
protect the confidentiality, integrity and availability of that information
because patients trust us with their health.

## Commitments

Management commits to:

- meet the requirements of ISO/IEC 27001:2022, UK GDPR and the NHS Data
  Security and Protection Toolkit;
- set security objectives every year and review them at the management
  review;
- give the ISMS the people and budget it needs;
- improve the ISMS continually.

## Scope

The ISMS covers the patient messaging platform, its supporting systems and
the people who build, run and sell it.

## Policy framework

This policy is supported by topic-specific policies, such as
[Risk Management](./risk-management.md) and
[Roles and Responsibilities](./roles-and-responsibilities.md). The signed PDF
is [here](/files/policy.pdf).
MD
}

risk_management() {
    cat <<'MD'
---
title: Risk Management
sidebar_position: 2
owner: Head of Information Security
last_reviewed: 2026-02-16
next_review: 2027-02-16
controls: [iso27001:A.5.7, iso27001:A.5.8]
---

# Risk Management

## Method

Risks are assessed against the assets in the asset register. Likelihood and
impact are scored from 1 to 5; their product is the risk score.

| Score | Level | Treatment |
|---|---|---|
| 1-6 | Low | accept |
| 8-12 | Medium | treat within 6 months or accept with the owner's sign-off |
| 15-25 | High | treat within 3 months; reported to the management review |

## Threat intelligence

The security team follows the NCSC and NHS England cyber alerts and adds new
threats to the register within a week.

## Projects

Every new project or major change has a security risk assessment before it
goes live.
MD
}

roles() {
    cat <<'MD'
---
title: Roles and Responsibilities
sidebar_position: 3
owner: Chief Executive Officer
last_reviewed: 2026-02-16
next_review: 2027-02-16
controls: [iso27001:A.5.2, iso27001:A.5.3]
---

# Roles and Responsibilities

| Role | Responsibilities |
|---|---|
| Chief Executive Officer | owns the ISMS, chairs the management review |
| Head of Information Security | runs the ISMS, risk register, audits |
| Data Protection Officer | UK GDPR, data subject requests |
| Head of Engineering | security of the platform and its delivery |
| Every employee | follows the policies, reports incidents |

No one approves their own access request, their own code change or their own
expenses.
MD
}

acceptable_use() {
    cat <<'MD'
---
title: Acceptable Use Policy
sidebar_position: 1
owner: Head of Information Security
last_reviewed: 2026-02-16
next_review: 2027-02-16
controls: [iso27001:A.5.10, iso27001:A.6.2]
---

# Acceptable Use Policy

## Devices

Use the company laptop for work. Keep it updated, locked when you step away
and never lent to anyone.

## Patient data

Open patient data only when your task needs it. Never copy it to personal
devices, personal email or AI tools that are not on the approved list.

## Passwords

Use the password manager and multi-factor authentication on every account
that offers it; see the [Access Control Policy](../technology/access-control.md).

## Reporting

Report anything suspicious as described in
[Incident Response](../operations/incident-response).
MD
}

awareness() {
    cat <<'MD'
---
title: Security Awareness and Training
sidebar_position: 2
owner: [TBD]
last_reviewed: 2026-02-16
next_review: 2027-02-16
controls: [iso27001:A.6.3]
---

# Security Awareness and Training

- Everyone completes security induction in their first week.
- Everyone completes annual refresher training and the data protection
  module.
- Engineers complete secure development training every year.
- A phishing simulation runs every quarter; people who click get a short
  follow-up module, not a reprimand.

Completion is tracked in the HR system and reported at the management review.
MD
}

access_control() {
    cat <<'MD'
---
title: Access Control Policy
sidebar_position: 1
owner: Head of Engineering
last_reviewed: 2026-02-16
next_review: 2027-02-16
controls: [iso27001:A.5.15, iso27001:A.5.18, iso27001:A.8.2, iso27001:A.8.5]
---

# Access Control Policy

## Principles

Access follows least privilege and is granted to roles, not people. Each
person has one account; service accounts have an owner.

## Production

Engineers reach production through the bastion with short-lived certificates.
Standing administrator access is limited to two people on call.

## Reviews

Access to production and to patient data is reviewed every quarter; leavers
lose access on their last day.

## Authentication

Single sign-on with multi-factor authentication protects every system that
supports it. Keys and certificates follow the [Cryptography Policy](./cryptography).
MD
}

cryptography() {
    cat <<'MD'
---
title: Cryptography Policy
sidebar_position: 2
owner: Head of Engineering
last_reviewed: 2026-02-16
next_review: 2027-02-16
controls: [iso27001:A.8.24]
---

# Cryptography Policy

| Data | Protection |
|---|---|
| Patient messages at rest | AES-256-GCM, keys in the cloud KMS |
| Traffic on public networks | TLS 1.2 or later, HSTS |
| Backups | encrypted before they leave the region |
| Laptops | full-disk encryption, enforced by device management |

```yaml
# Platform default
tls_min_version: "1.2"
kms_key_rotation_days: 365
```

Keys are rotated every year, and at once if a key may have been exposed.
MD
}

logging() {
    cat <<'MD'
---
title: Logging and Monitoring
sidebar_position: 3
owner: Head of Engineering
last_reviewed: 2026-02-16
next_review: 2027-02-16
controls: [iso27001:A.8.15, iso27001:A.8.16, iso27001:A.8.35]
---

# Logging and Monitoring

- Application, access and administrator logs go to the central log service
  and are kept for 13 months.
- Logs never contain message bodies or other patient data.
- Alerts for failed logins, privilege changes and unusual data exports page
  the on-call engineer.
- Clocks of all systems are synchronised to the cloud provider's time service.
MD
}

incident_response() {
    cat <<'MD'
---
title: Incident Response
sidebar_position: 1
owner: Head of Information Security
last_reviewed: 2026-02-16
next_review: 2027-02-16
controls: [iso27001:A.5.24, iso27001:A.5.25, iso27001:A.5.26, iso27001:A.6.8]
---

# Incident Response

## Report

Report a suspected incident in the `#security` channel or by calling the
on-call number. Do not investigate on your own.

## Respond

1. The on-call engineer triages and sets a severity.
2. For a personal data breach, the Data Protection Officer decides within 24
   hours whether to notify the ICO; the deadline is 72 hours.
3. Clinics affected are told by their account manager.

## Learn

Every high-severity incident gets a blameless review within two weeks. Backups
used in recovery follow the [Backup Policy](backup.md).
MD
}

backup() {
    cat <<'MD'
---
title: Backup Policy
sidebar_position: 2
owner: Head of Engineering
last_reviewed: 2026-02-16
next_review: [TBD]
controls: [iso27001:A.8.13]
---

# Backup Policy

- Databases are backed up continuously with point-in-time recovery for 35
  days.
- A copy is kept in a second region under a separate account.
- A restore is tested every quarter and the result recorded.
MD
}

supplier() {
    cat <<'MD'
---
title: Supplier Management
sidebar_position: 3
owner: [TBD]
last_reviewed: 2026-02-16
next_review: [TBD]
controls: [iso27001:A.5.19, iso27001:A.5.20, iso27001:A.5.23]
---

# Supplier Management

Suppliers that process patient data sign a data processing agreement and are
assessed before they start and every year after. Cloud services are approved
by the Head of Information Security before anyone signs up.

The supplier register lists each supplier, its data, its assessment date and
its contract owner.
MD
}

category() {
    printf '{\n  "label": "%s",\n  "position": %s,\n  "link": {\n    "type": "generated-index"\n  }\n}\n' "$1" "$2"
}

# early DATE: an older revision of the page on stdin.
early() {
    sed -e "s/^last_reviewed: .*/last_reviewed: $1/" -e '/^next_review:/d' -e '/^controls:/d'
}

# ------------------------------------------------------------ C1
cat >package.json <<'JSON'
{
  "name": "brightwater-isms",
  "version": "0.0.0",
  "private": true,
  "scripts": {
    "docusaurus": "docusaurus",
    "start": "docusaurus start",
    "build": "docusaurus build",
    "serve": "docusaurus serve"
  },
  "dependencies": {
    "@docusaurus/core": "2.4.3",
    "@docusaurus/preset-classic": "2.4.3",
    "@mdx-js/react": "^1.6.22",
    "clsx": "^1.2.1",
    "prism-react-renderer": "^1.3.5",
    "react": "^17.0.2",
    "react-dom": "^17.0.2"
  },
  "engines": {
    "node": ">=16.14"
  }
}
JSON
cat >babel.config.js <<'JS'
module.exports = {
  presets: [require.resolve('@docusaurus/core/lib/babel/preset')],
};
JS
cat >docusaurus.config.js <<'JS'
// @ts-check
/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'Brightwater Health ISMS',
  tagline: 'Information security policies',
  url: 'https://isms.brightwater.health',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  favicon: 'img/logo.png',
  presets: [
    [
      'classic',
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: {
          sidebarPath: require.resolve('./sidebars.js'),
        },
        blog: false,
        theme: {
          customCss: require.resolve('./src/css/custom.css'),
        },
      }),
    ],
  ],
};

module.exports = config;
JS
cat >sidebars.js <<'JS'
/** @type {import('@docusaurus/plugin-content-docs').SidebarsConfig} */
const sidebars = {
  policies: [{type: 'autogenerated', dirName: '.'}],
};

module.exports = sidebars;
JS
cat >.gitignore <<'TXT'
/node_modules
/build
.docusaurus
.cache-loader
TXT
cat >README.md <<'MD'
# Brightwater Health ISMS

The ISMS, built with [Docusaurus](https://docusaurus.io/).

    npm ci
    npm start        # http://localhost:3000
    npm run build    # static site in build/

Policies live in `docs/`, one folder per theme. Each page's front matter
names its owner, its review dates and the ISO/IEC 27001 controls it covers.
MD
mkdir -p src/css src/pages static/img docs
cat >src/css/custom.css <<'CSS'
:root {
  --ifm-color-primary: #0b6e79;
  --ifm-color-primary-dark: #0a636d;
  --ifm-color-primary-light: #0c7985;
  --ifm-code-font-size: 95%;
}
CSS
cat >src/pages/index.js <<'JS'
import React from 'react';
import {Redirect} from '@docusaurus/router';

export default function Home() {
  return <Redirect to="/docs/" />;
}
JS
: >static/.nojekyll
printf '\211\120\116\107\015\012\032\012\000\000\000\015\111\110\104\122\000\000\000\001\000\000\000\001\010\002\000\000\000\220\167\123\336\000\000\000\014\111\104\101\124\170\332\143\220\317\137\001\000\001\347\001\067\175\277\166\031\000\000\000\000\111\105\116\104\256\102\140\202' \
    >static/img/logo.png
intro | sed -e 's/certified to/built to/' -e '/^:::info$/,/^:::$/d' | cat -s >docs/intro.md
commit "$JM" "$EJM" '2024-01-08T09:15:00+00:00' 'Initialise the ISMS site with Docusaurus 2'

# ------------------------------------------------------------ C2
mkdir -p docs/governance static/files
category Governance 2 >docs/governance/_category_.json
isp | early 2024-01-22 >docs/governance/information-security-policy.md
risk_management | early 2024-01-22 >docs/governance/risk-management.md
roles | early 2024-01-22 >docs/governance/roles-and-responsibilities.md
cat >static/files/policy.pdf <<'PDF'
%PDF-1.4
1 0 obj
<< /Type /Catalog /Pages 2 0 R >>
endobj
2 0 obj
<< /Type /Pages /Kids [3 0 R] /Count 1 >>
endobj
3 0 obj
<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>
endobj
4 0 obj
<< /Length 153 >>
stream
BT /F1 18 Tf 72 770 Td (Brightwater Health - Information Security Policy) Tj 0 -28 Td /F1 11 Tf (Signed copy, approved by the Board on 2026-02-16.) Tj ET
endstream
endobj
5 0 obj
<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>
endobj
xref
0 6
0000000000 65535 f 
0000000009 00000 n 
0000000058 00000 n 
0000000115 00000 n 
0000000241 00000 n 
0000000445 00000 n 
trailer
<< /Size 6 /Root 1 0 R >>
startxref
515
%%EOF
PDF
commit "$JM" "$EJM" '2024-01-22T14:00:00+00:00' 'Governance policies and the signed policy PDF'

# ------------------------------------------------------------ C3
mkdir -p docs/people docs/technology
category People 3 >docs/people/_category_.json
category Technology 4 >docs/technology/_category_.json
acceptable_use | early 2024-02-05 >docs/people/acceptable-use.md
awareness | early 2024-02-05 | sed 's/^owner: .*/owner: HR Business Partner/' >docs/people/security-awareness.md
access_control | early 2024-02-05 >docs/technology/access-control.md
cryptography | early 2024-02-05 >docs/technology/cryptography.md
logging | early 2024-02-05 | sed 's/^title: .*/title: Monitoring/' >docs/technology/monitoring.md
commit "$LK" "$ELK" '2024-02-05T16:40:00+00:00' 'People and technology policies'

# ------------------------------------------------------------ C4, C5, merge
# A pull request maps the policies to controls while main gains the
# operations folder; GitHub merges it.
g checkout -q -b iso-controls
for f in docs/governance/information-security-policy.md docs/governance/risk-management.md \
    docs/governance/roles-and-responsibilities.md docs/people/acceptable-use.md \
    docs/people/security-awareness.md docs/technology/access-control.md \
    docs/technology/cryptography.md; do
    case $f in
    */information-security-policy.md) c=$(isp | grep '^controls:') ;;
    */risk-management.md) c=$(risk_management | grep '^controls:') ;;
    */roles-and-responsibilities.md) c=$(roles | grep '^controls:') ;;
    */acceptable-use.md) c=$(acceptable_use | grep '^controls:') ;;
    */security-awareness.md) c=$(awareness | grep '^controls:') ;;
    */access-control.md) c=$(access_control | grep '^controls:') ;;
    */cryptography.md) c=$(cryptography | grep '^controls:') ;;
    esac
    edit "$f" "/^last_reviewed:/a\\
$c"
done
edit docs/technology/monitoring.md '/^last_reviewed:/a\
controls: [iso27001:A.8.16]'
commit "$RP" "$ERP" '2024-03-11T10:20:00+00:00' 'Map policies to ISO 27001 Annex A controls' \
    '' 'Ids are written iso27001:<id> so the framework is explicit.'
g checkout -q main
mkdir -p docs/operations
category Operations 5 >docs/operations/_category_.json
incident_response | early 2024-03-11 >docs/operations/incident-response.md
backup | early 2024-03-11 >docs/operations/backup.md
commit "$LK" "$ELK" '2024-03-11T15:05:00+00:00' 'Operations policies: incident response and backup'
merge "$RP" "$ERP" '2024-03-12T09:00:00+00:00' iso-controls \
    'Merge pull request #7 from brightwater-health/iso-controls' '' 'Map policies to ISO 27001 Annex A controls'
g branch -q -D iso-controls

# ------------------------------------------------------------ C6
cat >package.json <<'JSON'
{
  "name": "brightwater-isms",
  "version": "0.0.0",
  "private": true,
  "scripts": {
    "docusaurus": "docusaurus",
    "start": "docusaurus start",
    "build": "docusaurus build",
    "serve": "docusaurus serve"
  },
  "dependencies": {
    "@docusaurus/core": "3.4.0",
    "@docusaurus/preset-classic": "3.4.0",
    "@mdx-js/react": "^3.0.0",
    "clsx": "^2.0.0",
    "prism-react-renderer": "^2.3.0",
    "react": "^18.0.0",
    "react-dom": "^18.0.0"
  },
  "engines": {
    "node": ">=18.0"
  }
}
JSON
g rm -q babel.config.js
cat >docusaurus.config.js <<'JS'
// @ts-check
import {themes as prismThemes} from 'prism-react-renderer';

/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'Brightwater Health ISMS',
  tagline: 'Information security policies',
  favicon: 'img/logo.png',
  url: 'https://isms.brightwater.health',
  baseUrl: '/',
  organizationName: 'brightwater-health',
  projectName: 'isms',
  onBrokenLinks: 'throw',
  onBrokenMarkdownLinks: 'warn',
  i18n: {defaultLocale: 'en-GB', locales: ['en-GB']},
  presets: [
    [
      'classic',
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: {
          sidebarPath: './sidebars.js',
          editUrl: 'https://github.com/brightwater-health/isms/edit/main/',
          showLastUpdateTime: true,
        },
        blog: {
          showReadingTime: false,
        },
        theme: {
          customCss: './src/css/custom.css',
        },
      }),
    ],
  ],
  themeConfig:
    /** @type {import('@docusaurus/preset-classic').ThemeConfig} */
    ({
      navbar: {
        title: 'Brightwater ISMS',
        logo: {alt: 'Brightwater Health', src: 'img/logo.png'},
        items: [
          {type: 'docSidebar', sidebarId: 'policies', position: 'left', label: 'Policies'},
          {to: '/blog', label: 'News', position: 'left'},
        ],
      },
      prism: {theme: prismThemes.github, additionalLanguages: ['yaml']},
    }),
};

export default config;
JS
cat >sidebars.js <<'JS'
/** @type {import('@docusaurus/plugin-content-docs').SidebarsConfig} */
const sidebars = {
  policies: [{type: 'autogenerated', dirName: '.'}],
};

export default sidebars;
JS
commit "$LK" "$ELK" '2024-06-17T11:30:00+01:00' 'Upgrade to Docusaurus 3'

# ------------------------------------------------------------ C7
g mv docs/technology/monitoring.md docs/technology/logging-and-monitoring.md
logging | sed -e 's/^last_reviewed: .*/last_reviewed: 2025-02-03/' -e '/^next_review:/d' \
    >docs/technology/logging-and-monitoring.md
supplier | early 2025-02-03 | sed '/^owner:/a\
next_review: [TBD]' >docs/operations/supplier-management.md
commit "$RP" "$ERP" '2025-02-03T13:10:00+00:00' 'Monitoring becomes Logging and Monitoring; supplier management draft'

# ------------------------------------------------------------ C8
mkdir -p blog
cat >blog/authors.yml <<'YML'
jmensah:
  name: Joanna Mensah
  title: Head of Information Security
  email: joanna.mensah@brightwater.health
YML
cat >blog/2025-11-03-certification.md <<'MD'
---
slug: iso-27001-certification
title: We are ISO/IEC 27001:2022 certified
authors: [jmensah]
tags: [iso27001, audit]
---

Our certification audit finished last week with no major nonconformities.
Thank you to everyone who answered the auditors' questions.

<!-- truncate -->

The two minor findings were about supplier reviews and backup restore tests;
both have owners and are due before the surveillance audit.
MD
commit "$JM" "$EJM" '2025-11-03T08:45:00+00:00' 'Blog: ISO 27001 certification'

# ------------------------------------------------------------ C9
intro >docs/intro.md
isp >docs/governance/information-security-policy.md
risk_management >docs/governance/risk-management.md
roles >docs/governance/roles-and-responsibilities.md
acceptable_use >docs/people/acceptable-use.md
awareness >docs/people/security-awareness.md
access_control >docs/technology/access-control.md
cryptography >docs/technology/cryptography.md
logging >docs/technology/logging-and-monitoring.md
incident_response >docs/operations/incident-response.md
backup >docs/operations/backup.md
supplier >docs/operations/supplier-management.md
commit "$JM" "$EJM" '2026-02-16T17:00:00+00:00' 'Annual policy review 2026' '' \
    'The HR business partner has left: security awareness has no owner yet.'
