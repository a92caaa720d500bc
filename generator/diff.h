/* diff: what a change to a policy site changes, for the reviewer who must
 * approve it (charter diff): pages added, removed, renamed and changed,
 * with a word-level redline of each changed page's text (its rendered
 * Markdown, so markup noise does not count) and its front matter key by
 * key; the coverage and the statement of applicability; findings
 * introduced and fixed; and the policy rules a reviewer cares about, as
 * findings of their own. diff_out.c writes it as text, Markdown, HTML or
 * JSON. */
#ifndef CHARTER_DIFF_H
#define CHARTER_DIFF_H

#include "buf.h"
#include "diag.h"
#include "map.h"
#include "redline.h"

#include <stddef.h>

struct site;
struct parsed;

/* One side of the comparison: a site loaded, parsed (with HTML) and
 * checked, and its findings. Borrowed. */
typedef struct diff_side {
    const char *label; /* what it is: "main (abc1234)", "the working tree" */
    const char *rev;   /* the commit id, or NULL for the working tree */
    const struct site *s;
    const struct parsed *pp;
    diags *d;
} diff_side;

typedef enum diff_page_kind { DIFF_ADDED, DIFF_REMOVED, DIFF_CHANGED } diff_page_kind;

/* A front matter value that changed ("" when absent). */
typedef struct diff_field {
    const char *key;
    char *old, *new;
} diff_field;

typedef struct diff_page {
    diff_page_kind kind;
    int renamed;               /* DIFF_CHANGED with another path */
    int body_changed;          /* the rendered text differs */
    char *old_file, *new_file; /* site-relative ("content/x.md"), NULL on the side without it */
    char *title;
    char *id;
    diff_field *fields;
    size_t n_fields;
    char **controls_added, **controls_removed;
    size_t n_added, n_removed;
    char *old_text, *new_text; /* the rendered text compared */
    redline red;               /* when body_changed */
} diff_page;

typedef enum diff_control_kind {
    DIFF_UNCOVERED,      /* applicable and covered before, covered by nothing now */
    DIFF_COVERED,        /* applicable and uncovered before, covered now */
    DIFF_NOW_APPLICABLE, /* the statement of applicability includes it now */
    DIFF_NOT_APPLICABLE, /* ... excludes it now */
    DIFF_SOA_CHANGED     /* its status or justification changed */
} diff_control_kind;

typedef struct diff_control {
    diff_control_kind kind;
    char *framework, *id, *title;
    char *old, *new; /* DIFF_SOA_CHANGED: "status: justification" before and after */
} diff_control;

/* A finding of one side that the other has not (compared by check id,
 * file, after renames, and message; not by line), or one of diff's own
 * rules (its `rule` set). */
typedef struct diff_finding {
    diag_level level;
    char *file; /* site-relative, or NULL */
    int line, col;
    char *id, *message;
    int rule; /* version-not-bumped, review-without-evidence, deleted-policy-cited */
} diff_finding;

typedef struct diff_result {
    char *base_label, *head_label;
    diff_page *pages; /* by path: the new one, else the old */
    size_t n_pages;
    diff_control *controls;
    size_t n_controls;
    diff_finding *added, *fixed; /* findings the change introduces, and removes */
    size_t n_added, n_fixed;
} diff_result;

/* Compares base with head. `evidence` (history_evidence: files changed by
 * a commit with Approved-by: or Reviewed-by:; NULL: none known) decides
 * review-without-evidence; `moved` (history_renames: a file's new path to
 * its old; NULL: none known) pairs a page without an id that git sees
 * renamed. Returns a new result (free with diff_result_free); never NULL. */
diff_result *diff_compare(const diff_side *base, const diff_side *head, const map *evidence,
                          const map *moved);
void diff_result_free(diff_result *r);

/* Appends the plain text of rendered HTML: tags dropped (blocks and line
 * breaks become line ends), entities decoded. */
void diff_html_text(buf *out, const char *html, size_t len);

#endif
