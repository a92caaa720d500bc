/* plan: every path the build will write, claimed at the end of load before
 * anything is rendered: the pages and static files, then every generated
 * output in the order it is generated. Two claims on one path are an error
 * naming both (output-collision), for `charter check` as for a build, and
 * the generated output that lost its path is not written: nothing is ever
 * silently replaced. The sitemap lists the planned pages. A page's old
 * addresses (Hugo's aliases:, Jekyll's redirect_from:) are planned too,
 * each a page that sends the reader to the page. */
#ifndef CHARTER_PLAN_H
#define CHARTER_PLAN_H

#include "diag.h"

#include <stddef.h>

struct site;
struct page;

typedef struct plan_entry {
    char *out_file;          /* relative to the output directory */
    char *url;               /* the page's URL path ("/soa/"), or NULL: not a page */
    char *what;              /* for messages: "the handbook" */
    const struct page *page; /* a content page's claim, else NULL */
    int blocked;             /* a generated output whose path a page has */
    int needs_history;       /* written only when the site's history was read */
    const struct page *redirect_to; /* an alias of this page (aliases:, redirect_from:) */
} plan_entry;

typedef struct plan plan;

/* Plans the outputs of s (its pages, statics, layouts, catalog and terms
 * must be loaded), reporting collisions through d. Returns a new plan
 * (caller frees with plan_free); never NULL. */
plan *plan_outputs(const struct site *s, diags *d);
void plan_free(plan *p);
/* True when out_file is a generated output that lost its path to a page. */
int plan_blocked(const plan *p, const char *out_file);
/* True for a page's or a static file's out_file that is not written: a
 * folder above it is a file of the site (output-collision, reported). */
int plan_unwritten(const plan *p, const char *out_file);
/* True for a folder index that yields its path to another output (a folder
 * named handbook/ is the handbook's): not written, and not a collision. */
int plan_yielded(const plan *p, const char *out_file);
/* The generated outputs, in order (borrowed). */
const plan_entry *plan_generated(const plan *p, size_t *n);
/* The page whose old address (aliases:, redirect_from:) the URL path
 * `url` ("/isp/", relative to base_url) is, when a redirect is written
 * there; else NULL. */
const struct page *plan_redirect(const plan *p, const char *url);

#endif
