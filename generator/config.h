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

/* defaults: front matter values a page gets when it does not set them,
 * chosen by the page's path (a folder prefix or a glob) and layout, as
 * Jekyll's `defaults:` are; later entries win over earlier ones. */
typedef struct page_default {
    const char *path;   /* "" for every page */
    const char *layout; /* NULL for any layout */
    /* Jekyll's scope type: "pages", a collection's name (or "posts",
     * "drafts", which charter has none of); NULL for any page. */
    const char *type;
    const yaml_node *values; /* a mapping (borrowed from the config's tree) */
} page_default;

/* keys: another name a page's front matter may use for a key charter reads
 * (`last_updated` for `last_reviewed`). */
typedef struct key_alias {
    const char *key;   /* charter's name */
    const char *alias; /* the site's */
} key_alias;

/* What a change of a type must do to the page's `version:`. */
typedef enum version_rule {
    VR_ANY,   /* anything */
    VR_MAJOR, /* raise the first number */
    VR_MINOR, /* raise the second, the first unchanged */
    VR_PATCH, /* raise the third, the first two unchanged */
    VR_SAME   /* leave it as it was */
} version_rule;

/* The change types, in the order of site_config.versioning. */
enum { CHANGE_MATERIAL, CHANGE_MINOR, CHANGE_EDITORIAL, CHANGE_REVIEW };
/* The index of a change type's name (material, minor, editorial, review),
 * or -1. */
int config_change_type(const char *name);
/* A version rule's name as site.yml spells it ("major" ...). */
const char *config_rule_name(version_rule r);

/* oscal_catalogs: an OSCAL catalog of the site (and a profile selecting
 * from it), converted when the catalogs load as `charter catalog import`
 * converts it (oscal.h). Paths relative to the site root. */
typedef struct oscal_catalog_ref {
    const char *catalog;
    const char *profile;   /* or NULL */
    const char *framework; /* or NULL: from the catalog's title */
    const char *name;      /* or NULL: the catalog's title */
} oscal_catalog_ref;

/* charter's own pages that site.yml's generated_pages may move. */
enum { GEN_SOA, GEN_REVIEWS, GEN_HANDBOOK, GEN_CHANGELOG, GEN_MOVABLE };

typedef struct site_config {
    yaml_node *yaml;  /* all of site.yml, for templates */
    const char *file; /* where the settings came from: "site.yml" or "_config.yml" */
    int jekyll;       /* read from a Jekyll _config.yml (no site.yml) */
    const char *title, *organization, *description, *base_url_raw, *repository_url, *branch;
    /* The pages' language, a BCP 47 tag ("en", "fr-FR"): `language`, or
     * Jekyll's `lang`; "en" when unset. */
    const char *language;
    char *language_own; /* language with '_' for '-' (fr_FR): fr-FR */
    const char *content, *controls, *layouts, *output, *assets;
    const char *archetypes; /* charter new's page templates (archetypes/) */
    char *base_url;         /* normalised: starts and ends with '/' */
    char *base_own;         /* base_url_raw, when made from Jekyll's url + baseurl */
    const char **frameworks;
    size_t n_frameworks;
    oscal_catalog_ref *oscal_catalogs;
    size_t n_oscal_catalogs;
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
    /* Jekyll's collections with `output: true`: folder `_<name>` at the
     * content's root, its pages at `permalink` (NULL: /:collection/:path/). */
    struct site_collection {
        const char *name, *permalink;
    } * collections;
    size_t n_collections;
    duration cycle, warn_within;
    int unsafe_html;
    const char *default_layout; /* of a page that names none: policy (Jekyll: page) */
    int fenceless;              /* fenceless_front_matter: comply's header with no opening `---` */
    int readme_index;           /* a folder's README.md is its page when it has no index.md */
    int leaf_bundles; /* Hugo's: a folder with an index.md holds no other page, only its files */
    int html_urls;    /* urls: html: a page at "/a/b.html", not "/a/b/" (mdBook's, MkDocs's) */
    int lower_urls;   /* lowercase_urls: a page's address from its path, lowercased (Hugo's) */
    int strip_number_prefixes; /* Docusaurus's: 01-a/02-b.md at /a/b/, placed 1 and 2 */
    int lax_headings;          /* markdown.lax_headings: `#Title` is a heading (kramdown) */
    /* markdown.heading_ids: 0 as the host renders them (GitLab's on a
     * GitLab host, else GitHub's), 1 GitHub's, 2 GitLab's, 3 MkDocs's,
     * 4 VitePress's. */
    int heading_ids;
    int wiki_links; /* markdown.wiki_links: [[Page]] links (1: a GitHub wiki's, WIKI_OBSIDIAN) */
#define WIKI_OBSIDIAN 2 /* markdown.wiki_links: obsidian */
    page_default *defaults;
    size_t n_defaults;
    key_alias *keys;
    size_t n_keys;
    /* policies: which pages are policies (the policy checks apply to them):
     * any page whose path matches a glob, whose layout is listed, or which
     * sets one of the keys. Defaults: layout policy; keys owner,
     * last_reviewed. */
    const char **policy_paths, **policy_layouts, **policy_keys;
    size_t n_policy_paths, n_policy_layouts, n_policy_keys;
    /* static: directories whose files are published at the site's root
     * (Docusaurus's static/, Hugo's static/). */
    const char **statics;
    size_t n_statics;
    /* framework_aliases: another name for a framework in a qualified id
     * ("TSC" for soc2); control_aliases: an id a site means as another
     * ("iso27001:A.05.01" for "iso27001-2022:A.5.1"). Mappings or NULL. */
    const yaml_node *framework_aliases, *control_aliases;
    size_t nav_max_pages; /* navigation.max_pages: list a section's pages up to this many */
    /* navigation.order: the file whose links give the pages' order
     * (mdBook's SUMMARY.md, Docsify's _sidebar.md, mkdocs.yml), from the
     * site's root, or NULL. */
    const char *nav_order;
    /* navigation.unlisted: omit: the pages nav_order's file does not name
     * are not published (mdBook renders only SUMMARY.md's chapters). */
    int nav_omit_unlisted;
    /* generated_pages: where charter's own pages are published when site.yml
     * moves them (a site's own /handbook/): URL path and output file, or
     * NULL for charter's (config_gen_url). */
    char *gen_url[GEN_MOVABLE], *gen_file[GEN_MOVABLE];
    /* document_files: the name of a file another tool makes of each page,
     * with :id for the page's id (comply's PDFs, "ACME-:id.pdf"): a link to
     * such a file leads to the page. NULL: none. */
    const char *document_files;
    char *dirs_own[8]; /* the folders' settings as normalised (config_dir) */
    size_t n_dirs_own;
    tpl_strip template_strip; /* template_strip: how layouts are loaded */
    site_limits limits;
    /* evidence (docs/evidence.md): the site's OpenPGP keyring and ssh
     * allowed signers (paths in the site, or NULL), and whether changes
     * must carry approval evidence (check unapproved-change), from
     * approval_since (a day, LONG_MIN: always). */
    const char *keyring, *allowed_signers;
    int require_approval;
    long approval_since;
    /* versioning: the rule each change type (CHANGE_*) follows, checked
     * (version-rule) only when site.yml has the section: versioning_on. */
    version_rule versioning[4];
    int versioning_on;
} site_config;

/* Page `which`'s URL path ("/soa/", relative to base_url) and output file
 * ("soa/index.html"): site.yml's, else charter's. Borrowed from c or
 * static. */
const char *config_gen_url(const site_config *c, int which);
const char *config_gen_file(const site_config *c, int which);
/* Its name in generated_pages ("handbook"), and the address charter init
 * moves it to when the site has a page at charter's ("/policy-handbook/").
 * Static. */
const char *config_gen_name(int which);
const char *config_gen_alternative(int which);

/* Parses the text of site.yml into c (the directory settings are checked
 * against the file system by site_load, not here). Returns 0, or -1 after
 * reporting every problem (id config); either way release c with
 * config_release. */
int config_parse(site_config *c, const char *text, size_t len, diags *d);
/* Whether tag may be a page's language (lang=): BCP 47's shape, a
 * language of 2 or 3 letters, then subtags of 1 to 8 letters or digits
 * ("fr", "fr-FR", "zh-Hant-TW"). */
int config_language_ok(const char *tag);
/* Why u cannot be base_url (a static phrase: "names no host"), or NULL
 * when it can: a path, or an http(s) address with a host, in plain
 * characters. */
const char *config_base_url_problem(const char *u);
/* Whether language tag's primary subtag is written right to left (ar,
 * he, fa, ur...). */
int config_language_rtl(const char *tag);

/* Parses a Jekyll site's _config.yml into c, for a site with no site.yml:
 * title (else `fallback_title`), description, url + baseurl, exclude,
 * include, defaults and destination are read; the pages are at the root
 * (content: .), the theme, assets and catalogs are charter's own
 * (embedded, or in .charter/), and kramdown's spaceless headings are
 * rendered as headings. Jekyll's other settings are ignored. Returns as
 * config_parse does. */
int config_parse_jekyll(site_config *c, const char *text, size_t len, const char *fallback_title,
                        diags *d);
void config_release(site_config *c);

/* The names policy templates and other tools give charter's keys (a SOC 2
 * template's last_review_date, approved_by), which `keys:` can read: init
 * writes those the pages use, and a missing required key names one a page
 * has. Static; n entries in config_n_common_aliases. */
typedef struct config_common_alias {
    const char *key, *alias;
} config_common_alias;
extern const config_common_alias config_common_aliases[];
extern const size_t config_n_common_aliases;

#endif
