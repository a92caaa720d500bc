/* api: the machine-readable index of a built site, `api/pages.json`: every
 * published page with its URL, source path, computed review data and its
 * whole front matter. The schema is documented in docs/content-model.md and
 * versioned by its "schema" member. */
#ifndef CHARTER_API_H
#define CHARTER_API_H

#include "buf.h"
#include "site.h"

struct history;
struct splice_stream;
/* Appends api/pages.json for s, with each page's history from h (may be NULL:
 * no history members). */
void api_pages_json(buf *out, const site *s, const struct history *h);
/* The same in parts, for output_stream (a 10,000-page site's is ~19 MB):
 * api_pages_fill appends the next part to chunk and returns 1 while more
 * follows, 0 with the last. api_pages_new's result is the caller's, freed
 * with api_pages_free (NULL allowed); s and h must outlive it. */
typedef struct api_pages api_pages;
api_pages *api_pages_new(const site *s, const struct history *h);
int api_pages_fill(void *ctx, buf *chunk);
void api_pages_free(api_pages *a);
/* The key of api/pages.json (see output_reuse_keyed): charter itself, and
 * everything api_pages_fill writes from (the site's title, base URL and
 * date; each page's place, title, layout, section, review data, history
 * rows and front matter), not the pages' bodies: an edit of a body links
 * the previous build's file. h as api_pages_new's. */
void api_pages_key(char key[65], const site *s, const struct history *h);
/* api_pages_key's key, made from a key per page entry that a's fill then
 * uses: call before the first api_pages_fill when splicing. */
void api_pages_keys(api_pages *a, char key[65]);
/* Streams a's file in segments (splice.h; after api_pages_keys): each
 * page's entry whose key the previous file has is copied from it, the rest
 * made. With `check` (CHARTER_CHECK_REUSE), each copied entry is made
 * again beside it and compared; api_pages_mismatches counts the
 * differences. */
void api_pages_splice(api_pages *a, struct splice_stream *sp, int check);
size_t api_pages_mismatches(const api_pages *a);
/* Appends n as JSON: mappings as objects, sequences as arrays, plain
 * true/false as booleans, plain null/~/empty as null, every other scalar as
 * a string (so "2.10" and dates keep their exact text). */
void api_yaml_json(buf *out, const yaml_node *n, int indent);

#endif
