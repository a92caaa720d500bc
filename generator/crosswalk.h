/* crosswalk: the correspondences between the controls of two frameworks
 * (controls/crosswalk-<from>-<to>.yml, the site's or charter's own), loaded
 * for the pairs of frameworks the site uses. Each control then knows the
 * controls of other frameworks it maps to, so coverage by policies citing
 * one framework is shown (and checked) for the other. */
#ifndef CHARTER_CROSSWALK_H
#define CHARTER_CROSSWALK_H

#include "catalog.h"
#include "diag.h"
#include "fs.h"

/* How one control relates to another, read "the first is <rel> the
 * second": equal to, a subset of (part of), a superset of (all of and
 * more), or intersecting (overlapping in part). */
typedef enum xw_rel { XW_EQUAL, XW_SUBSET, XW_SUPERSET, XW_INTERSECTS } xw_rel;

/* A mapping seen from one control: `other` is `rel` this control (so
 * XW_SUPERSET: the other control includes all of this one). */
typedef struct xw_link {
    const control *other;
    xw_rel rel;
    const char *note;   /* the row's note, or NULL */
    const char *source; /* the crosswalk's `source`, or NULL */
    const char *file;   /* the crosswalk file, for messages */
    int line, col;      /* the row */
} xw_link;

typedef struct crosswalks crosswalks;

/* Loads every crosswalk in `dir` (relative to the site root, through
 * fs_read_source, at most max bytes each) and every one of charter's own
 * (embed.h) the site has no file of that name for, keeping those whose two
 * frameworks are both loaded in c (borrowed; it must outlive the result).
 * Returns 0 and a new set in *out (caller frees with crosswalks_free), or
 * -1 after reporting errors (id crosswalk): a malformed file, a row naming
 * no control of its framework or an unknown relationship. */
int crosswalks_load(crosswalks **out, const fs_root *fs, const char *dir, const catalog *c,
                    size_t max, diags *d);
void crosswalks_free(crosswalks *x);

/* The mappings of control ctl, in crosswalk file then row order (borrowed),
 * and their number in *n; NULL and 0 when it has none. Accepts a NULL x. */
const xw_link *crosswalks_links(const crosswalks *x, const control *ctl, size_t *n);

/* The relationship's word ("equal", "subset", "superset", "intersects"). */
const char *crosswalk_rel_name(xw_rel rel);
/* Whether a policy covering the other control of a link covers all of this
 * one (the other is equal to or a superset of it). */
int crosswalk_rel_covers(xw_rel rel);

#endif
