/* gen: what the render stage's generators share. render.c runs them in
 * order over the model (site.h), the parsed pages (parse.h) and the history
 * (history.h); each makes one kind of output through its layout and writes
 * it through output.c. They never read a source file and never parse: both
 * happened in the stages before. Only render*.c, vars.c, gen_*.c and the
 * writers of feed, sitemap and search include this header. */
#ifndef CHARTER_GEN_H
#define CHARTER_GEN_H

#include "digest.h"
#include "history.h"
#include "layout.h"
#include "manifest_json.h"
#include "output.h"
#include "parse.h"
#include "plan.h"
#include "site.h"
#include "template.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct gen {
    const site *s;
    const parsed *pp;
    const history *h;             /* may be NULL or found nothing */
    const build_provenance *prov; /* the source commit; may be NULL */
    output *o;
    diags *d;
    tpl_dict *shared;  /* site-wide values, built once (vars_shared) */
    atomic_int failed; /* a page or a write failed (set by pool threads) */
    /* What every page is rendered from besides its own dictionary: charter
     * itself, the theme's texts and the shared values (a digest, hex). */
    char key_base[65];
    /* key_base and what vars_site_build gives a page (the build's commit,
     * the latest changes): the key base of a page of the site's own whose
     * layout shows them (gen_page_key). */
    char build_key[65];
    /* SECTIONS over the shared values (vars_sections), made for the first
     * layout that lists it (gen_shared), under `lock`; and its digest. */
    pthread_mutex_t lock;
    tpl_dict *sections;
    char sections_key[65];
    /* CHARTER_CHECK_REUSE (set by the test suites): a page linked from the
     * previous build by its key is rendered all the same and compared. */
    int check_reuse;
    atomic_size_t pages_made; /* content pages given a dictionary */
    /* Each page's key as an entry of a list of pages (vars_entry_key), by
     * page index: what the lists of pages (the sections', a folder's, a
     * tag's, the reviews', a control's citations) digest for their keys
     * instead of filling every entry. Made by gen_init. */
    char (*entry_keys)[65];
    /* The navigation every page shows, as its key digests it (vars_nav_key),
     * or "": made by gen_init. */
    char nav_key[65];
    int search_made; /* search.json's entries made, not linked by its key */
    /* render_site's keys (render.h), or NULL; `keys_pages`: a content
     * page's key may be taken from them (render_keys_take). */
    struct render_keys *keys;
    int keys_pages;
} gen;

/* Sets g up to render s (what the other arguments are: render_site's): the
 * shared values and the key base; release with gen_release. */
void gen_init(gen *g, const site *s, const parsed *pp, const history *h,
              const build_provenance *prov, output *o, diags *d);
/* As gen_init; with `same` (render.h's keys of the last render of this
 * very model, or NULL), the pages' entry keys are taken from it. */
void gen_init_keyed(gen *g, const site *s, const parsed *pp, const history *h,
                    const build_provenance *prov, output *o, const struct render_keys *same,
                    diags *d);
void gen_release(gen *g);

/* The dictionary that a page rendered through l looks up site-wide values
 * in: the shared values, with SECTIONS over them when l lists it (made once,
 * on first need; owned by g). Thread-safe. */
const tpl_dict *gen_shared(gen *g, const layout *l);

/* Feeds data to the digest ctx (for tpl_dict_digest). */
void add_to_digest(void *ctx, const void *data, size_t len);
/* The key of an output rendered through layout l from dictionary d (see
 * output_reuse_keyed): charter, the theme, the shared values (key_base),
 * SECTIONS when l lists it (gen_shared, called first, made it), the
 * layout, d's tree and n_extra more strings (what else goes into the
 * output, such as the keys of the pages' HTML spliced into it). */
void gen_key(char key[65], const gen *g, const layout *l, const tpl_dict *d,
             const char *const *extra, size_t n_extra);
/* Whether d names the commit the site is built from (BUILD_COMMIT, of a
 * build of a commit): its page is then written around that commit's
 * digits, and its rows apart (render.c). */
int gen_names_commit(const gen *g, const tpl_dict *d);
/* A content page that names the commit (gen_names_commit), through l from
 * its HTML `html` (made from the parse key `body`), into rel, as gen_render
 * writes a register: its key made from d, the layout and body; its text
 * copied from the previous build's around the commit's digits, and the
 * rows of its apart sections (the home page's register of every page).
 * Returns 0, or -1 when it could not be written (a layout that cannot
 * render is reported, and returns 0). */
int gen_render_page(gen *g, const layout *l, const char *rel, tpl_dict *d, const buf *html,
                    const char *body);
/* gen_key's part that is every output's of layout l, whatever its
 * dictionary: what the rows of a register are made from beside their own
 * (render.c). */
void gen_key_base(char key[65], const gen *g, const layout *l);
/* The key of content page p rendered through l from HTML whose key (its
 * parse's) is `body`: as gen_key over the page's dictionary, but made
 * from what that dictionary is made from (vars_page_key), without it.
 * Thread-safe. */
void gen_page_key(char key[65], gen *g, const layout *l, const page *p, const char *body);
/* Page i's key as the last render of the same model kept it (g->keys),
 * when it was made from the parse key `body` and the history rows ph has
 * (NULL: none), each by its digest, and g->keys_pages allows: 1 and key
 * filled; else 0. */
int render_keys_take(gen *g, size_t i, const char *body, const page_history *ph, char key[65]);
/* Records page i's key (NULL: none this time) and what it was made from,
 * for the next render. Each page by one thread only. */
void render_keys_put(gen *g, size_t i, const char *body, const page_history *ph, const char *key);

/* The commit that stands in for the build's in the key of a page that
 * names it (BUILD_COMMIT*): the key of what the page is made from but the
 * commit, whose digits are then written apart (render.c, gen_handbook.c). */
#define GEN_STAND_IN_COMMIT "0000000000000000000000000000000000000000"
/* Whether the marks (tpl_render_marked) of BUILD_COMMIT (0),
 * BUILD_COMMIT_SHORT (1) and BUILD_COMMIT_URL (2) in html each end with
 * commit's digits (40, 7 and 40 of them), in order and apart, none lost:
 * then another commit's digits in their places are what a render for it
 * would write. 1, else 0. */
int gen_commit_marks(const tpl_marks *m, const buf *html, const char *commit);

/* CHARTER_CHECK_REUSE: makes rel again through fill (as output_stream
 * would write it) and compares its digest with `was`, the digest of the
 * file linked from the previous build by its key; a difference is
 * reported as an internal error (the key misses an input). Returns 0, or
 * -1 when fill failed. */
int gen_check_remade(gen *g, const char *rel, const char was[65],
                     int (*fill)(void *ctx, buf *chunk), void *ctx);

/* CHARTER_CHECK_REUSE: reports, when n > 0, that n segments of rel copied
 * from the previous build by their keys (splice.h) are made differently
 * now, as an internal error (a key misses an input). */
void gen_report_spliced(gen *g, const char *rel, size_t n);

/* --- vars.c: the model as template variables (docs/templates.md) --------- */

/* Appends base_url and a URL path of the site ("/a b/"), percent-encoded. */
void vars_full_url(buf *out, const site *s, const char *url);
/* Sets NAME to value and shows section NAME, when value is set. */
void vars_set_shown(tpl_dict *d, const char *name, const char *value);
/* Site-wide values, built once and shared (read-only) by every page:
 * none that changes with a commit that leaves a page alone. */
tpl_dict *vars_shared(const gen *g);
/* What the pages charter generates (not those made from a source file)
 * show of the build in d: BUILD_COMMIT* (the commit the site is built
 * from) and, with `changes`, RECENT_CHANGES (the latest changes, for the
 * home page). In d, not the shared dictionary, so that they are in those
 * pages' keys only (gen_layout); a commit that leaves a page of the site's
 * own alone leaves its key alone. */
void vars_site_build(tpl_dict *d, const gen *g, int changes);
/* BUILD_COMMIT* as vars_site_build sets them, for `commit` (40 hex digits)
 * rather than the build's. */
void vars_build_commit(tpl_dict *d, const gen *g, const char *commit);
/* SECTIONS (every section and its pages, an entry per page, made as it
 * renders: tpl_dict_add_lazy_section) in a new dictionary over g->shared,
 * for the layouts that list it; caller frees. */
tpl_dict *vars_sections(const gen *g);
/* ENTRY_TITLE, ENTRY_URL and ENTRY_DESCRIPTION (shown when set): page p as
 * an entry of a list of pages (a folder's, a tag's). */
void vars_page_link(tpl_dict *e, const page *p);
/* Page p's key as an entry of any list of pages, hex, into key: what every
 * fill of such an entry reads of p (vars_page_link, the sections' entries,
 * the reviews' rows, a control's citations, the handbook's policies; their
 * ids make the handbook's anchors), and a little more. A list
 * keyed by it (tpl_dict_add_lazy_section_keyed, with a variant naming the
 * fill) is made again whenever any of it changes. h is reset by the call. */
void vars_entry_key(char key[65], digest *h, const page *p);
/* A tpl_key_fn for a lazy section over pages: entry i's key is
 * keys[pages[i]->index] (gen.entry_keys), copied. */
typedef struct page_list {
    const page *const *pages;
    char (*keys)[65];
} page_list;
void vars_page_list_key(const void *ctx, size_t i, char key[65]);
/* Navigation: every section; the pages of p's section (p may be NULL). */
void vars_nav(tpl_dict *d, const site *s, const page *p);
/* The URL a link to section sec leads to (site_section), base_url
 * included, appended to out: 0, or -1 (out unchanged) when it leads
 * nowhere. */
int vars_section_url(buf *out, const site *s, const site_section *sec);
/* A content page's own dictionary over the shared one, begun: the
 * controls it cites and its history (caller frees); vars_page_finish adds
 * the rest when it is rendered. */
tpl_dict *vars_page_begin(const gen *g, const page *p);
void vars_page_finish(tpl_dict *d, const gen *g, const page *p);
/* Adds to h what page p's dictionary is made from (not the page's HTML):
 * what vars_page_begin and vars_page_finish read; so that a page's key
 * needs no dictionary at all. */
void vars_page_key(digest *h, const gen *g, const page *p);
/* The digest (hex) of the navigation's sections, as vars_page_key adds
 * it for every page. */
void vars_nav_key(char hex[65], const site *s);
/* CHANGE_*: one entry of the changelog. */
void vars_change(tpl_dict *cd, const site *s, const change *ch);
/* The EVIDENCE_* variables of a commit row (docs/templates.md): its pull
 * or merge request, approvers, reviewers, co-authors, change type and
 * signature, as _includes/evidence.html shows them. */
void vars_evidence(tpl_dict *d, const site *s, const hist_row *r);
/* Appends a trailer list's names joined with ", ", without their emails
 * ("Ann Lee <ann@x>" shows "Ann Lee"). */
void vars_join_names(buf *out, char **items, size_t n);
/* /controls/<framework>/<id>/ as a full URL. */
void vars_control_url(buf *out, const site *s, const control *c);

/* --- render.c: rendering through layouts ------------------------------------ */

/* Renders d through layout `name` (with the shared values and navigation)
 * into out_file, unless the plan gave that path to a page. Returns 0 (also
 * when the theme has no such layout, and when it cannot render: that is
 * reported as a finding), or -1 when the write failed (reported). */
int gen_render(gen *g, const char *name, const char *out_file, tpl_dict *d);
/* A generated page with only a title and URL, and what `fill` adds. */
int gen_simple(gen *g, const char *name, const char *title, const char *url, const char *out_file,
               void (*fill)(tpl_dict *d, const gen *g));
/* Prepares d for rendering through `name`: the shared values and every
 * section for navigation. Returns the layout, or NULL when there is none. */
const layout *gen_layout(gen *g, const char *name, tpl_dict *d);

/* --- the generators, in the order render.c runs them ----------------------- */

void gen_pages(gen *g);    /* every content page, and the static files */
int gen_changelog(gen *g); /* changelog/ (with history) */
int gen_controls(gen *g);  /* control pages, the controls index, the SoA */
int gen_reviews(gen *g);   /* the review dashboard */
int gen_handbook(gen *g);  /* every approved policy in one page */
int gen_terms(gen *g);     /* a page per tag and category, and their index */
int gen_folders(gen *g);   /* folder indexes, and the home, where no page is one */
int gen_redirects(gen *g); /* a page at each old address of a page (aliases:) */
int feed_write(gen *g);    /* feed.xml (with history) */
int sitemap_write(gen *g); /* sitemap.xml */
int search_write(gen *g);  /* search.json */
/* The key of search.json (see output_reuse_keyed): charter, and for every
 * page shown its title, URL, section and the digest of the start of its
 * text (parsed_text_key), then the control pages listed. Returns 1, or 0
 * when a page shown has no such digest (no cache): not to be reused. */
int search_key(char key[DIGEST_HEX], const gen *g);

#endif
