/* navorder: the pages' order from site.yml's navigation.order file
 * (mdBook's SUMMARY.md, Docsify's _sidebar.md, mkdocs.yml's nav). */
#ifndef CHARTER_NAVORDER_H
#define CHARTER_NAVORDER_H

#include "diag.h"
#include "site.h"

/* Sets the nav_place of each page navigation.order's file names (1 for the
 * first named, and so on; a page named twice keeps its first place), once
 * s->by_rel is filled. Nothing without the setting. 0, or -1 when the file
 * cannot be read (reported at it, with a note at the setting). */
int navorder_places(site *s, diags *d);

#endif
