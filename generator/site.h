/* site: the model of a site: its configuration (site.yml), its pages (every
 * .md file under the content dir, with typed front matter and computed URL,
 * section and review dates), its static files and its control catalog.
 * Loading is the pipeline's first stage; later stages read the model. */
#ifndef CHARTER_SITE_H
#define CHARTER_SITE_H

/* How many folders below the site's top a page or file may lie: a folder
 * deeper is a too-large error and not read (real sites are a few deep;
 * git's ignore rules cost a read of every .gitignore above a folder). */
#define SITE_MAX_DEPTH 256

#include "buf.h"
#include "config.h"
#include "catalog.h"
#include "dates.h"
#include "diag.h"
#include "digest.h"
#include "frontmatter.h"
#include "fs.h"
#include "map.h"
#include "markdown.h"
#include "template.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>

/* A page's review: none set, ok, due soon, overdue; a retired policy is
 * reviewed no more. */
typedef enum review_state {
    REVIEW_NONE,
    REVIEW_OK,
    REVIEW_DUE_SOON,
    REVIEW_OVERDUE,
    REVIEW_RETIRED
} review_state;

typedef struct page {
    char *src;      /* relative to the site root, as on disk: "content/governance/x.md" */
    char *rel;      /* relative to the content dir, in NFC: "governance/x.md" */
    char *url;      /* relative to base_url, starts with '/': "/governance/x/" */
    char *full_url; /* base_url and url percent-encoded: what links to it say */
    char *out_file; /* relative to the output dir: "governance/x/index.html" */
    buf text;       /* the file's bytes; empty after load under site.reread */
    char text_hex[DIGEST_HEX]; /* under site.reread: the digest of the bytes loaded */
    /* Under site.reread, for bytes read by this load (not the load
     * cache's): their check (digest_check_of), which is all the parse's
     * second read needs to tell they did not change; "" otherwise. */
    char text_check[DIGEST_CHECK_HEX];
    struct stat st; /* as the walk found it (links followed), for the load cache */
    /* The check (digest_check_of) of its load cache entry but the bytes'
     * digest: its front matter as read, with its heading's title, and the
     * body's place; "" when the load made no entry (no load cache, a front
     * matter with findings). What site_refresh_page compares. */
    char load_check[DIGEST_CHECK_HEX];
    /* During the load, with a load cache: the page's record, from it
     * (borrowed) or made (in `made`). */
    buf made;
    const char *cached;
    size_t cached_len;
    frontmatter fm;
    /* The digest of fm.data as the load leaves it (yamltree_digest), made
     * once: the page's output keys each include it. */
    char fm_hex[DIGEST_HEX];
    int ok; /* front matter parsed */
    /* Typed front matter; borrowed from fm.data (or owned *_own below). */
    const char *title, *layout, *id, *description, *owner, *status, *version, *section_key;
    char *id_own, *section_title;
    char *owner_own;                 /* owners given as a list, joined: "a@x.com, b@x.com" */
    long last_reviewed, next_review; /* days since epoch, -1 when unset */
    double weight;                   /* its place in its section (`weight`), when weighted */
    int weighted;
    review_state review;
    int published;
    int hides_below;       /* an index whose folder's pages are not published (Hugo's
                            * headless bundle, a cascade of render: never) */
    const char *nav_label; /* its title in the navigation, when not its title
                            * (Docusaurus's sidebar_label, Hugo's linkTitle), or NULL;
                            * borrowed from fm */
    int resource;          /* unpublished as a leaf bundle's Markdown resource (leaf_bundles) */
    int own_section;       /* a page at the top navigation.order names: a section of its own */
    int nav_hidden;        /* in no section of the navigation (just-the-docs' nav_exclude,
                            * Docusaurus's unlisted), yet published */
    int unsearched;        /* not in search.json nor the sitemap (just-the-docs'
                            * search_exclude, Docusaurus's unlisted) */
    int policy;            /* the site's `policies:` rule selects it: the policy checks apply */
    int has_ignore;        /* its front matter has an `ignore` key, not null (page_model):
                            * the pages checks_configure and checks_tune look into */
    int collides;          /* another page or a file has its output path: not written */
    size_t index;          /* in site.pages */
    /* Derived at the end of load: */
    size_t section;            /* index + 1 into site.sections; 0 when in none */
    size_t section_pos;        /* its place in that section's (sorted) pages */
    size_t nav_place;          /* where navigation.order's file first links it, from 1; 0: not */
    const yaml_node *controls; /* a sequence of scalars, or NULL */
} page;

typedef struct site_section {
    char *title;
    char *slug;
    page **pages; /* sorted by title, then path */
    size_t n_pages;
    /* Where a link to the section leads (vars_section_url): its register
     * on the home page, when the home's layout lists the sections; else
     * the index of the one folder all its pages are served in, generated
     * or a page's ("/a/", owned); else nowhere (NULL). */
    int on_home;
    char *folder;
    size_t nav_place; /* the first nav_place of its pages; 0: none has one */
} site_section;

typedef struct static_file {
    char *src;      /* relative to the site root, as on disk */
    char *out_file; /* relative to the output dir, in NFC */
    /* A default theme's asset the site does not override (src is then
     * "(embedded)/assets/..."), or NULL for the site's own file. */
    const struct embed_file *embedded;
} static_file;

typedef struct site_folder {
    char *rel;      /* its URL's path ("a/b"; "" for the home) */
    char *url;      /* "/a/b/" */
    char *out_file; /* "a/b/index.html" */
    char *title;    /* from its name ("Access control"), the site's title for the home */
} site_folder;

struct layouts;
struct terms;
struct plan;

struct loadcache;

typedef struct site {
    char *root;      /* the site directory as given ("." by default) */
    char *title_own; /* a Jekyll site's title made from its directory's name */
    /* The Liquid variables pages may use (md_options.liquid_vars): name,
     * value pairs, NULL-terminated; the values are owned by vars_own. */
    const char *liquid_vars[11];
    char *vars_own[2];
    fs_root fs; /* the same, for every read: see fs_read_source */
    site_config cfg;
    long as_of;
    page **pages; /* every .md page, sorted by source path */
    size_t n_pages;
    map *by_rel; /* content-relative source path -> page */
    /* With readme_index: the folders (content-relative, "" for the top)
     * holding an index.md or _index.md page, whose README is not their
     * page. Set by site_load_finish. */
    map *index_folders;
    /* Under markdown.wiki_links: obsidian, each page by its name without
     * its extension, lowercase ("incident response"), as an Obsidian link
     * names it from anywhere in the vault (a name two pages share names
     * neither: it maps to a mark of site.c's). Set by site_load_finish. */
    map *by_name;
    map *statics_by_name; /* the same for the static files, by name ("org chart.png") */
    /* For Hugo's ref by a page's name alone (site_hugo_ref): each page by
     * its file's name without extension, or its folder's for an index.md or
     * _index.md, lowercase; a name two pages share maps to site.c's mark.
     * Made at the first such ref, under by_base_lock. */
    map *by_base;
    pthread_mutex_t by_base_lock;
    map *hiding; /* during the load: the folders whose pages an index hides */
    map *leaves; /* during the load, with leaf_bundles: the folders an index.md makes a
                  * leaf bundle, whose other Markdown files are its resources */
    map *by_url; /* url -> page */
    site_section *sections;
    size_t n_sections;
    static_file *statics;
    size_t n_statics;
    catalog *catalog;
    struct crosswalks *crosswalks; /* between the loaded frameworks (crosswalk.h) */
    int frameworks_inferred;       /* the catalogs were chosen by the ids the pages cite */
    /* Derived at the end of load, owned by the site: */
    map *by_out;             /* output file -> page (pages that are written) */
    map *by_static;          /* output file -> static_file */
    struct layouts *layouts; /* the theme, compiled (layout.h) */
    struct terms *terms;     /* tags and categories (terms.h) */
    struct plan *plan;       /* every output path (plan.h) */
    map *cited;              /* "framework:id" -> the pages citing that control */
    /* Folders of published pages with no page of their own at their URL
     * (no index.md or _index.md), which charter gives a generated index;
     * the home "/" among them when no page is the home. Sorted by URL. */
    site_folder *folders;
    size_t n_folders;
    map *by_folder; /* URL path ("/a/b/") -> site_folder */
    /* `--at`: the site was loaded from a commit's files, written to a
     * scratch folder (root); the history is read from the repository
     * holding git_root (the site as the user named it) from git_commit
     * instead of HEAD and the work tree, and the output and sources are
     * git_root's. Both NULL otherwise (site_set_origin). */
    char *git_root, *git_commit;
    /* The site's folder in its repository's work tree, for the addresses
     * in it (repository_url's): "" at the top (and outside git), else
     * ending in '/' ("docs/"). Set by site_load_finish. */
    char *repo_path;
    /* Set before site_load_finish (a build does): each page's bytes are
     * released as soon as its front matter is read, their digest kept, and
     * the parse reads them again (site_page_reread), so that the pages'
     * bytes, 36 MB at 10,000 pages, are not all held at once. */
    int reread;
    /* Set before site_load_finish (site_use_load_cache): the load cache,
     * whose pages are not read again while their stat holds (loadcache.h;
     * under site.reread only), rewritten and freed at the end of the load;
     * its path (borrowed); how many pages were not read. */
    struct loadcache *load_cache;
    const char *load_cache_path;
    atomic_size_t load_hits;
    long long walked_ns; /* when the walk began (fs_trace_now) */
} site;

/* Reads the load cache at path (borrowed until s is freed) for
 * site_load_finish (under site.reread): a page whose file has the stat the
 * cache recorded is not read again. None there, or an unusable one, is
 * none. At the end of the pages' load the cache is rewritten with every
 * page read whole without findings in its front matter (unless every page
 * came from it; a failure to write is a warning) and freed. */
void site_use_load_cache(site *s, const char *path);
/* The key of the load cache for s's settings (loadcache_key), for a
 * cache read ahead of the walk. */
void site_load_cache_key(const site *s, char key[DIGEST_HEX]);
/* As site_use_load_cache, with the cache at path already read (taken;
 * NULL: none could be). */
void site_adopt_load_cache(site *s, const char *path, struct loadcache *lc);

/* Every catalog charter has built in, read as the site's catalogs are (a
 * file of the same name in its controls folder replaces one), whether the
 * site uses it or not: for a finding about an id the site's catalogs lack
 * ("CC9.2 is a SOC 2 control"). A new catalog (caller frees with
 * catalog_free), or NULL when none can be read. */
catalog *site_builtin_catalogs(const site *s);

/* The published pages that cite control c, in page order (borrowed), and
 * their number in *n; NULL and 0 when none does. */
const page *const *site_cited_by(const site *s, const control *c, size_t *n);

/* Whether page p is in force: not a draft (status: draft), not retired.
 * Only such a page covers a control: a draft's controls are planned, a
 * retired page's no longer implemented. */
int site_page_in_force(const page *p);

/* How a control is covered: by a published page in force citing it; else
 * through a crosswalk (crosswalk.h) from a control so cited that includes
 * all of it (equal or superset); else in part (subset or intersects); else
 * not. */
typedef enum coverage { COVER_NONE, COVER_PARTIAL, COVER_CROSSWALK, COVER_POLICY } coverage;
coverage site_coverage(const site *s, const control *c);

/* Loads site.yml from root, then every page, static file and catalog.
 * Problems in pages are reported through d and leave the page in the model
 * with ok == 0; problems with the configuration or IO are fatal.
 * Returns 0 and a new site in *out (caller frees with site_free), or -1 on a
 * fatal error (already reported; the caller exits 2). */
int site_load(site **out, const char *root, long as_of, diags *d);
/* As site_load, with base_url (NULL: site.yml's) as the address the site is
 * served at: `charter serve` previews it there. */
int site_load_at(site **out, const char *root, long as_of, const char *base_url, diags *d);
/* site_load_at in two halves, so that the git history can be read beside
 * the second. site_load_start reads site.yml and walks the folders: every
 * page has its src, rel and index, and s->cfg is final; nothing is read of
 * the pages yet. Returns 0 and a new site in *out (caller frees with
 * site_free), or -1 on a fatal error (reported). site_load_finish reads and
 * models the pages, the catalogs and the theme; it writes no page's src or
 * rel, nor s->cfg, so another thread may read those meanwhile. Returns 0, or
 * -1 on a fatal error (reported; the caller still frees s). */
int site_load_start(site **out, const char *root, long as_of, const char *base_url, diags *d);
/* The nearest folder above dir holding a site (its site.yml, or a Jekyll
 * _config.yml), as git finds a repository from a folder inside it: the
 * search stops at the repository's top (the folder holding .git), at
 * another file system, or at '/'. Appends it as a path from dir ("..",
 * "../..") and returns 0; -1, nothing appended, when there is none. */
int site_find_above(buf *out, const char *dir);
/* site_load_start's two steps, for a caller with work to do beside the
 * walk: site_load_config opens root and reads site.yml (s->cfg final; 0 and
 * a new site in *out, caller frees with site_free, or -1 with *out NULL,
 * reported); site_load_walk then walks the folders (0, or -1 on a fatal
 * error, reported; the caller still frees s). */
int site_load_config(site **out, const char *root, long as_of, const char *base_url, diags *d);
int site_load_walk(site *s, diags *d);
int site_load_finish(site *s, diags *d);
void site_free(site *s);
/* Frees every page's bytes (page.text), leaving it empty: a build calls it
 * once the pages are parsed and checked, the last stages that read them, so
 * that 10,000 pages' text is not held through rendering. With the build's
 * parse (parse_site_cached, which reads each page's bytes again under
 * s->reread and frees them once parsed) the one change to the model after
 * load. */
void site_release_texts(site *s);
/* The page whose source is src (as on disk, relative to the site root:
 * "content/x.md"), or NULL. */
page *site_page_by_src(const site *s, const char *src);
/* For a site kept between builds (charter serve), under s->reread: reads
 * page p's file again, as the load would (with site_page_reread, the only
 * change to a page after its load). When only its body changed (its
 * front matter, heading title and body's place are as loaded, nothing to
 * report) takes its new bytes' digests, for the parse to read it again,
 * and returns 1; else 0, the page untouched: the site must be loaded
 * again. */
int site_refresh_page(const site *s, page *p);
/* Under s->reread, reads page p's bytes again into p->text for the parse,
 * checking they are the bytes the load read: 0 (also when there is nothing
 * to read: no reread, or p not loaded or not published), or -1 after
 * reporting that the file cannot be read or changed since (p->text then
 * empty). Thread-safe for distinct pages. */
int site_page_reread(const site *s, page *p, diags *d);

/* Appends root + "/" + rel (or just rel when root is "."). */
void site_path(buf *out, const site *s, const char *rel);
/* The same below the site as the user named it: git_root under --at (the
 * work tree, where the output goes), else root. */
void site_user_path(buf *out, const site *s, const char *rel);
/* Marks s, just loaded from the files of commit `commit` (40 hex) written
 * to a scratch folder, as the site at git_root at that commit (--at). */
void site_set_origin(site *s, const char *git_root, const char *commit);

/* Rewrites a link written in page `from` (relative to its source file, so
 * it also works on GitHub) into a URL that works from the page's pretty URL:
 * a relative link to a published page's .md file becomes that page's URL; a
 * relative link to anything else becomes the absolute URL of the path it
 * names in the content directory, or, with repository_url, when the site
 * publishes nothing there, its address in the repository (as does a link
 * leaving the content directory): from the link and the site's pages and
 * files alone, never from what else is on disk (the link checks report a
 * link to nothing). Query and fragment are kept. Appends to out and returns
 * 1, or returns 0 (leave the link as written) for external, absolute and
 * fragment-only links, and, without repository_url, links leaving the
 * content directory and .md links to no published page. */
int site_rewrite_link(buf *out, const site *s, const page *from, const char *url);

/* Resolves the relative link `target` (its path part) from page `from`,
 * as path_resolve does from its file in the content directory; a path
 * that leaves the content directory and comes back into it
 * ("../content/x.md") is taken too, relative to the content directory.
 * 0 with the result in out, else -1. */
int site_resolve(buf *out, const struct site *s, const struct page *from, const char *target);

/* For a relative link from page `from` that leaves the content directory
 * (path decoded, as site_link_target makes it, without query or fragment):
 * the file or folder it names in the site's folder, as GitHub reads it
 * from the page's file (docs/policy.md's "../LICENSE" is "LICENSE"),
 * appended to out relative to the site's folder. 1 when there is one (a
 * regular file, or a folder: *folder set), 0 when the link leaves the site
 * too or names nothing there. */
int site_outside_content(buf *out, int *folder, const site *s, const page *from, const char *path);
/* For a path res relative to the content directory that the site does
 * not publish (hidden, excluded): the file or folder it names there,
 * appended to out relative to the site's folder, with *folder set, and 1;
 * 0 when there is none (or it is in the git directory). */
int site_unpublished_file(buf *out, int *folder, const site *s, const char *res);
/* Appends the address of rel (relative to the site's folder: a page's
 * src, site_outside_content's path) in the repository (repository_url):
 * `<repository_url>/<how>/<branch>/<path in the work tree>` (with /-/
 * before <how> on GitLab: site_repository_page), how being
 * "blob", "tree" for a folder, "raw" for an image, "edit" to edit it;
 * percent-encoded. Nothing when repository_url is unset. */
void site_repository_url(buf *out, const site *s, const char *rel, const char *how);
/* Appends repository_url's page `what` ("commit/<id>", "blob"): after
 * "/-/" on a GitLab host, else "/". Nothing without repository_url. */
void site_repository_page(buf *out, const site_config *c, const char *what);
/* A relative link from page `from` that climbs out of the repository's
 * tree as its web view shows the page ("../../issues" from the top's
 * README.md is the repository's issues, as GitHub and GitLab follow it):
 * appends that address to out and returns 1; 0 (nothing appended) without
 * repository_url, or for a link that stays in the tree or leaves the
 * repository. */
int site_repository_above(buf *out, const struct site *s, const struct page *from,
                          const char *target);
/* 1 when repository_url's host is GitLab's (its name holds "gitlab"):
 * its links take /-/ paths. */
int site_gitlab_hosted(const site_config *c);
/* Whose rule makes the headings' ids (md_options.heading_ids, MD_IDS_*):
 * markdown.heading_ids says, else GitLab's when a GitLab host renders
 * them, else GitHub's. */
int site_heading_ids(const site_config *c);

/* Docusaurus's own forms of a link, as the link the site reads them as:
 * `pathname:///x` is x below base_url (outside Docusaurus's router), and
 * `@site/x` the file x of the site's folder: a static folder's file at
 * its published place (below base_url), anything else as `/x` below
 * base_url (where a page's file, `/docs/x.md`, is that page); Zola's `@/x`,
 * x of the content folder, as `/x` below base_url. Returns the link so
 * read (in tmp), or url itself for any other link. */
const char *site_link_alias(buf *tmp, const site *s, const char *url);

/* Appends the path a link's url[0..n) names, as the site's files are
 * named: percent-decoded ("data%20retention.md" is "data retention.md")
 * and in NFC. Returns 0, or -1 for a path that no file can have (%00). */
int site_link_target(buf *out, const char *url, size_t n);

/* The part of a root-relative URL path below base_url's path, with its
 * leading '/' ("/docs/a/" under "https://x/docs/" is "/a/"), or NULL when
 * the path is outside it. *base is set to base_url's path. */
const char *site_path_in_base(const site *s, const char *path, const char **base);

/* The static file published at out_file ("img/x.png"), or NULL. */
const static_file *site_static_by_out(const site *s, const char *out_file);
/* Under markdown.wiki_links: obsidian, the static file an Obsidian link
 * names by its name alone ("org chart.png", anywhere in the vault), when
 * one file alone has it; else NULL. */
const static_file *site_static_by_name(const site *s, const char *name);
/* Under markdown.wiki_links: obsidian, whether two or more pages (or
 * files) have the name an Obsidian link names, so that it names none. */
int site_name_shared(const site *s, const char *name);

/* The page at a URL path ("/a/b/"; also "/a/b" and "/a/b/index.html"), or
 * NULL. Borrowed from s. */
const page *site_page_by_url(const site *s, const char *path);

/* The published page a link names when read the way the host of the
 * sources would, beyond the plain rule (a .md file relative to the page's
 * own file): GitHub's file view (a folder's index.md, a name without .md;
 * a root-relative path to the .md file from the site or the content
 * directory) and Jekyll's (relative to the page's pretty URL). `path` is
 * decoded (site_link_target), without query or fragment; root-relative
 * paths come with base_url's path removed. Appends each candidate looked
 * at to `tried` (may be NULL), ", "-separated, for messages. Returns the
 * page (borrowed), or NULL. */
const page *site_link_page(const site *s, const page *from, const char *path, buf *tried);

/* Whether sec is a page at the top that is an entry of the navigation of
 * its own (an mdBook prefix chapter): its link is the page's. */
int site_section_is_page(const site_section *sec);

/* With lowercase_urls (Hugo's addresses), url and out, a page's address
 * and output file made from its path, lowercased in place; else nothing. */
void site_address_case(const site *s, buf *url, buf *out);

/* Hugo's {{< ref "path" >}} (or relref) from page `from`, path as written
 * (with any "#fragment"): where it leads when not from the page's own
 * folder, as Hugo looks next, appended to out as a root-relative path to
 * the page's file ("/policies/b.md#scope"): from the content's top, or, for
 * a name without a '/', the one page of that name anywhere. Returns 1 when
 * appended; 0 when the path is to be kept as written (it leads somewhere
 * from the page's folder, or nowhere: the link check says so). */
int site_hugo_ref(buf *out, const site *s, const page *from, const char *path, size_t len);

/* Whether the last part of path is named as site.yml's document_files
 * names another tool's file of a page (comply's "ACME-:id.pdf"). */
int site_document_file(const site *s, const char *path);

/* Sorts v[0..n) as a section's pages are: the folder's index first, then
 * by weight, then by title. */
void site_sort_pages(const page **v, size_t n);

/* Appends a folder's name as a title: '-' and '_' become spaces, the first
 * letter a capital ("access-control" -> "Access control"), as a section
 * named by its folder is titled. */
void site_humanize(buf *out, const char *name, size_t len);

/* The generated folder index at a URL path ("/a/b/", also "/a/b" and
 * "/a/b/index.html"), or NULL. Borrowed from s. */
const site_folder *site_folder_by_url(const site *s, const char *path);

/* Labels for templates and reports: "ok", "due-soon", "overdue", "none" and
 * "OK", "Due soon", "Overdue", "Not set". */
const char *review_state_slug(review_state r);
const char *review_state_label(review_state r);

#endif
