/* config: site.yml, the site's settings (docs/content-model.md lists them):
 * parsed into typed values, each checked with a message at its key. Only
 * `title` is required. The directory settings are checked against the file
 * system by site_load, not here, so this module reads no file. */
#ifndef CHARTER_CONFIG_H
#define CHARTER_CONFIG_H

#include "dates.h"
#include "diag.h"
#include "template.h"
#include "yamltree.h"

#include <stddef.h>

/* limits: in site.yml; caps on what one input may cost (docs/security.md). */
typedef struct site_limits {
    size_t page_bytes;        /* a page's file */
    size_t frontmatter_bytes; /* a page's front matter block */
    size_t scalar_bytes;      /* one front matter value */
    size_t frontmatter_keys;  /* keys in one page's front matter, at any depth */
    size_t static_bytes;      /* a static file (assets, images, PDFs) */
    size_t file_bytes;        /* any other source: layouts, includes, catalogs */
    long page_seconds;        /* Markdown of one page */
    long history_seconds;     /* reading the git history */
} site_limits;

/* The caps that apply before site.yml is read, and its own size cap. */
#define SITE_YML_MAX ((size_t)1 << 20)
extern const site_limits config_default_limits;

typedef struct site_config {
    yaml_node *yaml; /* all of site.yml, for templates */
    const char *title, *organization, *description, *base_url_raw, *repository_url, *branch;
    const char *content, *controls, *layouts, *output, *assets;
    char *base_url; /* normalised: starts and ends with '/' */
    const char **frameworks;
    size_t n_frameworks;
    const char **sections;
    size_t n_sections;
    const char **required;
    size_t n_required;
    /* exclude: globs of paths the content and assets walks skip; include:
     * globs of `_`- or `.`-prefixed names they walk all the same (Jekyll's
     * settings of the same names). Matched against the path below the
     * walked directory and, for a pattern without '/', each name in it. */
    const char **exclude, **include;
    size_t n_exclude, n_include;
    duration cycle, warn_within;
    int unsafe_html;
    size_t nav_max_pages;     /* navigation.max_pages: list a section's pages up to this many */
    tpl_strip template_strip; /* template_strip: how layouts are loaded */
    site_limits limits;
} site_config;

/* Parses the text of site.yml into c (the directory settings are checked
 * against the file system by site_load, not here). Returns 0, or -1 after
 * reporting every problem (id config); either way release c with
 * config_release. */
int config_parse(site_config *c, const char *text, size_t len, diags *d);
void config_release(site_config *c);

#endif
