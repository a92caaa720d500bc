/* checks: the findings `charter check` (and `charter build`) report about a
 * loaded site: control citations against the catalogs and the statement of
 * applicability, links between pages, review dates, orphan pages. Every
 * check has a stable id, a default severity and help text (the table below
 * is the one source for docs/checks.md, SARIF rules and JUnit cases), and
 * may be tuned in site.yml (`checks:`) or silenced per page (`ignore:`). */
#ifndef CHARTER_CHECKS_H
#define CHARTER_CHECKS_H

#include "diag.h"
#include "site.h"

typedef struct check_info {
    const char *id;
    diag_level level; /* default severity */
    int tunable;      /* 0: structural, always an error (unparsable input) */
    const char *summary;
    const char *help;
} check_info;

/* Borrowed table of every check id charter reports, in documentation order. */
const check_info *checks_table(size_t *n);
/* The entry for id, or NULL. */
const check_info *checks_find(const char *id);

struct parsed;
/* Runs every check on s and its parsed pages (parse_site), reporting
 * findings through d. Reads; never renders. */
void checks_run(const site *s, const struct parsed *pp, diags *d);

struct history;
/* The checks on the git history (checks_history.c): version-rule on each
 * policy's newest classified change when site.yml has `versioning`,
 * unapproved-change on every change when evidence.require_approval is on. Run after history_load (h NULL:
 * nothing). */
void checks_history(const site *s, const struct history *h, diags *d);
/* 1 when s turns on a check checks_history runs (evidence.require_approval,
 * a `versioning` section): only then need `check` read the history. */
int checks_want_history(const site *s);
/* A version ("2.1", "v3", "1.4.2") as up to three numbers in v: 0, or -1
 * when s is none. */
int checks_version_parse(long v[3], const char *s);
/* 1 when going from version a to b follows rule r, 0 when it does not,
 * -1 when the rule cannot judge them (not numbers). */
int checks_version_follows(version_rule r, const char *a, const char *b);

/* Validates site.yml `checks:` (id: off | warning | error) and every page's
 * `ignore:` list (a list of tunable check ids). Returns 0, or -1 after
 * reporting a bad `checks:` entry, a configuration error (exit 2); bad
 * `ignore:` lists are findings (invalid-type). Call before the checks run. */
int checks_configure(const site *s, diags *d);
/* Applies `checks:` and every page's `ignore:` to the findings in d. */
void checks_tune(const site *s, diags *d);

#endif
