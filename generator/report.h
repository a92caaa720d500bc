/* report: writes the findings of a check in the formats CI systems read:
 * text (people), json (a stable schema, charter/check@1), github (workflow
 * commands that become annotations), sarif (SARIF 2.1.0, one rule per check
 * id) and junit (a testcase per page and check). */
#ifndef CHARTER_REPORT_H
#define CHARTER_REPORT_H

#include "buf.h"
#include "diag.h"
#include "site.h"

typedef enum report_format {
    REPORT_TEXT,
    REPORT_JSON,
    REPORT_GITHUB,
    REPORT_SARIF,
    REPORT_JUNIT
} report_format;

/* Parses a --format value; returns 0, or -1 when it names no format. */
int report_format_parse(report_format *out, const char *name);

/* Appends the report of every finding in d (sorted first) to out, each file
 * named from the working directory (diag_shown_file). Text is plain lines
 * without source excerpts, for a file (diag_print_text prints a terminal's).
 * s may be NULL when the site could not be loaded (no pages then). `strict`
 * makes warnings failures where the format has the notion (junit). */
void report_write(buf *out, report_format f, diags *d, const site *s, long as_of, int strict);

/* "3 errors, 2 warnings in 18 pages" (no newline) to out. */
void report_summary(buf *out, diags *d, const site *s);

#endif
