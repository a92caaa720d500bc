/* api: the machine-readable index of a built site, `api/pages.json`: every
 * published page with its URL, source path, computed review data and its
 * whole front matter. The schema is documented in docs/content-model.md and
 * versioned by its "schema" member. */
#ifndef CHARTER_API_H
#define CHARTER_API_H

#include "buf.h"
#include "site.h"

struct history;
/* Appends api/pages.json for s, with each page's history from h (may be NULL:
 * no history members). */
void api_pages_json(buf *out, const site *s, const struct history *h);
/* Appends n as JSON: mappings as objects, sequences as arrays, plain
 * true/false as booleans, plain null/~/empty as null, every other scalar as
 * a string (so "2.10" and dates keep their exact text). */
void api_yaml_json(buf *out, const yaml_node *n, int indent);

#endif
