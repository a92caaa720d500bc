/* render: turns the site model into files: each page's Markdown through
 * markdown.c, then through its layout chain (template.c) with a dictionary
 * built from the site, the page's front matter and the catalog; static files
 * copied. Pages render in parallel on all cores and stream to the output. */
#ifndef CHARTER_RENDER_H
#define CHARTER_RENDER_H

#include "diag.h"
#include "output.h"
#include "site.h"

/* Renders every published page of s and copies its static files into o.
 * Problems are reported through d. Returns 0, or -1 when the layouts could
 * not be loaded or a write failed (fatal); page-level errors return 0 and
 * show up as error diagnostics. With o NULL (charter check) it loads the
 * layouts and parses every page's Markdown (headings and links, for the
 * checks) but renders and writes nothing. */
int render_site(site *s, output *o, diags *d);

#endif
