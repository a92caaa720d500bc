/* render: the pipeline's fifth stage: the model (site.h), its parsed pages
 * (parse.h) and its history (history.h) through the theme's layouts into
 * files, written through output.c. Generators for each kind of output live
 * in gen_*.c, feed.c, sitemap.c, search.c and api.c (see gen.h). */
#ifndef CHARTER_RENDER_H
#define CHARTER_RENDER_H

#include "diag.h"
#include "history.h"
#include "manifest_json.h"
#include "output.h"
#include "parse.h"
#include "site.h"

#include <stdatomic.h>

/* The outputs made from neither the history nor the layouts' shared
 * values (the OSCAL export, search.json): a build makes them while its
 * history is still being read. */
typedef struct render_early render_early;
/* Starts making them one after another on a thread of their own, which
 * holds a core while it runs (pool_hold), each taken only while *stop is
 * unset (stop may be NULL: all); where no thread can be started, on the
 * calling thread before it returns. What it has not taken when render_site
 * comes to it is render_site's. Returns the run (the caller ends it with
 * render_early_end, after render_site), never NULL. */
render_early *render_early_start(const site *s, const parsed *pp, const build_provenance *prov,
                                 output *o, const atomic_int *stop, diags *d);
/* Waits for the run's thread and frees the run. Fills *made (may be NULL)
 * with which outputs it made, a bit each. Returns 0, or -1 when a write
 * failed (reported); e may be NULL: 0. */
int render_early_end(render_early *e, unsigned *made);

/* What a render keeps for the next render of the same model, in a process
 * that keeps its site between builds (charter serve): each page's key as
 * an entry of a list (vars_entry_key, made from its model alone), and each
 * content page's key (gen_page_key) with the parse key and the number of
 * history rows it was made from, and the digest of what every page's key
 * takes beside the page. Opaque; free with render_keys_free (accepts
 * NULL). */
typedef struct render_keys render_keys;
render_keys *render_keys_new(void);
void render_keys_free(render_keys *k);
/* What the next render may take of k (which may be NULL), told by its
 * caller: `same_model`, its site is the very model k's keys were made
 * from, only pages' bodies read again since (a page's key is then the same
 * while its parse key, its history rows, each by its digest, and the
 * digest of the rest are). Without a call, nothing. */
void render_keys_allow(render_keys *k, int same_model);
/* How many content pages' keys the last render took from k, and made. */
void render_keys_counts(const render_keys *k, size_t *taken, size_t *made);

/* Renders every output of s into o, in parallel where it can, but those
 * `early` (may be NULL) took: each is taken by one of them only, so the
 * render does not wait for the outputs early is making when the history
 * is there. `h` may be NULL (no history), as may `prov` (what the build is
 * made from, for the BUILD_COMMIT variables: none). Page-level problems
 * are reported through d and leave 0; returns -1 when a write failed or a
 * layout could not render (reported), here or in early's outputs taken so
 * far (render_early_end reports those it makes later). `keys` (may be
 * NULL): what the last render kept, taken as render_keys_allow allows, and
 * filled for the next. */
int render_site(const site *s, const parsed *pp, const history *h, const build_provenance *prov,
                output *o, render_early *early, render_keys *keys, diags *d);

#endif
