/* embed: the default theme (layouts/, layouts/_includes/, assets/) and the
 * control catalogs (controls/<framework>.yml) compiled into the binary from
 * the example site at the repository root; scripts/embed.sh writes the table
 * at build time. A file of the same relative name in the site's own
 * directory overrides an embedded one, file by file (Hugo's lookup order). */
#ifndef CHARTER_EMBED_H
#define CHARTER_EMBED_H

#include "buf.h"

#include <stddef.h>

typedef struct embed_file {
    const char *path;          /* as the example site names it: "layouts/policy.html" */
    const unsigned char *data; /* len bytes, then a NUL not counted in len */
    size_t len;
} embed_file;

/* How diagnostics name an embedded file: "(embedded)/layouts/policy.html".
 * Embedded files are charter's own, so an error in one is a bug in charter. */
#define EMBED_SHOWN "(embedded)/"

/* The embedded file at `rel` ("layouts/policy.html"), or NULL. Borrowed,
 * static: valid for the life of the process. */
const embed_file *embed_find(const char *rel);
/* The embedded files whose path starts with `prefix` ("assets/"), sorted
 * bytewise by path, and their number in *n (0: the result is not to be
 * read). Borrowed, static. */
const embed_file *embed_list(const char *prefix, size_t *n);
/* The embedded file a diagnostic names (EMBED_SHOWN + its path), or NULL
 * for any other name. */
const embed_file *embed_find_shown(const char *shown);
/* Appends the name diagnostics give f: EMBED_SHOWN + its path. */
void embed_shown(buf *out, const embed_file *f);

/* The table, sorted bytewise by path without duplicates: generated
 * ($(BUILD)/gen/embedded.c); read it through the functions above. */
extern const embed_file embed_table[];
extern const size_t embed_table_len;

#endif
