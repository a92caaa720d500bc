/* new: what `charter new` writes: a page made from an archetype (the site's
 * archetypes/<kind>.md, or the embedded one), its front matter filled in:
 * the next id of its section's scheme, the title, draft status, the date,
 * the review cycle and empty owner and approver. Pure functions of texts
 * and lists; cmd_new.c reads the site and writes the file (docs/editing.md). */
#ifndef CHARTER_NEW_H
#define CHARTER_NEW_H

#include "buf.h"
#include "config.h"
#include "diag.h"

#include <stddef.h>

/* The embedded archetype of `kind` ("policy"), or NULL when charter has
 * none. Static text. */
const char *new_embedded_archetype(const char *kind);
/* The kinds with an embedded archetype, NULL-terminated. */
extern const char *const new_embedded_kinds[];

/* Appends the next free id for a page of a section whose pages carry
 * section_ids (their front matter `id:`s). An id that ends in digits
 * ("POL-TEC-004") has a scheme: the text before the digits and their
 * count. The scheme most of the section's ids share wins (a tie: the prefix
 * that sorts first); its number is one more than the highest of that
 * prefix among site_ids (every page of the site, so the id is unique even
 * when sections share a prefix), written with at least as many digits as
 * the shortest of the section's. With no such id in the section, the
 * scheme is "<KIN>-<SEC>-" and three digits: the first three letters or
 * digits of kind and section, in capitals ("POL-TEC-001"), or "<KIN>-" for
 * a page outside any section. */
void new_next_id(buf *out, const char *const *section_ids, size_t n_section,
                 const char *const *site_ids, size_t n_site, const char *kind, const char *section);

/* Appends the title made from a page's path: its file name without `.md`
 * (a folder's name for an index.md), '-' and '_' read as spaces, each word
 * capitalised: "technology/vendor-risk.md" -> "Vendor Risk". */
void new_title_from_path(buf *out, const char *rel);

/* What new_fill writes into the archetype's front matter. */
typedef struct new_values {
    const char *id, *title;
    const char *date;      /* YYYY-MM-DD: last_reviewed, and date when the archetype has it */
    const char *cycle;     /* the site's review.cycle, as written ("12 months") */
    const key_alias *keys; /* the site's other names for keys (may be NULL) */
    size_t n_keys;
} new_values;

/* Appends the page made from the archetype text[0..len) (`file` names it in
 * messages): its body as written, and its front matter with id, title,
 * `status: draft` and last_reviewed (and date, when present) set; owner and
 * approver (""), version ("0.1") and review_cycle set unless the archetype
 * gives them a value. A key is found under its name or one of the site's
 * aliases for it; a key the archetype lacks is added at the end of its
 * front matter; every other line is kept. Line ends become LF and a byte
 * order mark is dropped. Returns 0, or -1 after reporting why the
 * archetype's front matter does not read (through d, at `file`). */
int new_fill(buf *out, const char *text, size_t len, const char *file, const new_values *v,
             diags *d);

#endif
