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

/* Renders every output of s into o, in parallel where it can, but those
 * render_site_early made (`made`, 0 for none). `h` may be NULL (no
 * history), as may `prov` (what the build is made from, for the
 * BUILD_COMMIT variables: none). Page-level problems are reported through
 * d and leave 0; returns -1 when a write failed or a layout could not
 * render (reported). */
int render_site(const site *s, const parsed *pp, const history *h, const build_provenance *prov,
                output *o, unsigned made, diags *d);
/* Renders, one after another on the calling thread, the outputs made from
 * neither the history nor the layouts' shared values (the OSCAL export,
 * search.json), until *stop is set (stop may be NULL: all): a build makes
 * them while its history is still being read. Records which it made in
 * *made, for render_site. Returns 0, or -1 when a write failed (reported). */
int render_site_early(unsigned *made, const site *s, const parsed *pp, const build_provenance *prov,
                      output *o, const atomic_int *stop, diags *d);

#endif
