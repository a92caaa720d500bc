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

/* Validates site.yml `checks:` (id: off | warning | error) and every page's
 * `ignore:` list (a list of tunable check ids). Returns 0, or -1 after
 * reporting a bad `checks:` entry, a configuration error (exit 2); bad
 * `ignore:` lists are findings (invalid-type). Call before the checks run. */
int checks_configure(const site *s, diags *d);
/* Applies `checks:` and every page's `ignore:` to the findings in d. */
void checks_tune(const site *s, diags *d);

#endif
