/* render: the page stage of the pipeline. Layouts are loaded and compiled
 * once (a layout names its parent in front matter, Jekyll style); a shared
 * dictionary holds the site-wide values, and each page adds its own small
 * dictionary on top, so per-page work stays proportional to the page. */
#include "render.h"

#include "history.h"
#include "fs.h"
#include "paths.h"
#include "pool.h"
#include "template.h"
#include "watchdog.h"
#include "json.h"
#include "xml.h"

#include <ctype.h>
#include <stdatomic.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <unistd.h>

#define MAX_LAYOUT_DEPTH 16

typedef struct layout {
    char *name;
    tpl *tpl;
    struct layout *parent;
    frontmatter fm;
    buf text;
    int state; /* 0 new, 1 loading, 2 loaded, -1 failed */
} layout;

/* Tags and categories: one page per term, and an index. */
typedef struct term {
    char *name, *slug;
    int is_category;
    const page **pages;
    size_t n;
} term;

typedef struct terms {
    term *v;
    size_t n, cap;
    map *by_key; /* 't' or 'c' and the name -> index + 1 */
} terms;

/* Where a page's handbook body lies in the spool. */
typedef struct spooled {
    unsigned long long off;
    size_t len;
} spooled;

typedef struct renderer {
    site *s;
    output *o;
    diags *d;
    tpl_set *set;
    map *layouts; /* name -> layout */
    layout **all;
    size_t n_all;
    tpl_dict *shared;
    atomic_int failed_write; /* set by pool threads */
    map *cited; /* "framework:id" -> cite list: the pages citing each control */
    terms terms; /* tags and categories, with their slugs */
    map *claims;  /* output path -> what writes it (a claim) */
    map *blocked; /* generated outputs that lost their path to a page */
    /* The handbook's bodies, written as each page renders (spool_body). */
    int spool_fd; /* -1: no handbook */
    _Atomic unsigned long long spool_end;
    spooled *spooled; /* by page index */
} renderer;

static int is_blocked(const renderer *r, const char *out_file);

/* The pages that cite one control, in page order. */
typedef struct cite_list {
    const page **pages;
    size_t n;
} cite_list;

static int valid_layout_name(const char *name)
{
    if (!*name)
        return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return 0;
    return name[0] != '_';
}

/* Loads layout `name` and its parents. `file`/`line`/`col` locate whoever
 * asked for it (a page's `layout` key or a layout's), for the message. */
static layout *layout_get(renderer *r, const char *name, const char *file, int line, int col,
                          int depth)
{
    layout *l = map_get(r->layouts, name);
    if (l) {
        if (l->state == 1) {
            diag_error(r->d, file, line, col, "unknown-layout",
                       "layout '%s' is its own ancestor (a layout cycle)", name);
            return NULL;
        }
        return l->state == 2 ? l : NULL;
    }
    l = xcalloc(1, sizeof *l);
    l->name = xstrdup(name);
    buf_init(&l->text);
    map_put(r->layouts, name, l);
    r->all = xrealloc(r->all, (r->n_all + 1) * sizeof *r->all);
    r->all[r->n_all++] = l;
    l->state = -1;
    if (!valid_layout_name(name)) {
        diag_error(r->d, file, line, col, "unknown-layout",
                   "layout name '%s' must be a plain name like 'policy'", name);
        return NULL;
    }
    if (depth > MAX_LAYOUT_DEPTH) {
        diag_error(r->d, file, line, col, "unknown-layout", "layouts nest deeper than %d levels",
                   MAX_LAYOUT_DEPTH);
        return NULL;
    }
    buf rel;
    buf_init(&rel);
    buf_printf(&rel, "%s/%s.html", r->s->cfg.layouts, name);
    layout *result = NULL;
    int kind = fs_source_kind(&r->s->fs, rel.data, NULL, r->d);
    if (kind < 0)
        goto done;
    if (kind == FS_MISSING || kind == FS_DIR) {
        diag_error(r->d, file, line, col, "unknown-layout", "unknown layout '%s' (no '%s')", name,
                   rel.data);
        goto done;
    }
    if (fs_read_source(&l->text, &r->s->fs, rel.data, r->s->cfg.limits.file_bytes,
                       "limits.file_bytes", r->d) != 0)
        goto done;
    if (frontmatter_parse(&l->fm, l->text.data, l->text.len, rel.data, r->d) != 0)
        goto done;
    l->state = 1;
    const yaml_node *parent = yaml_get(l->fm.data, "layout");
    if (parent && !yaml_is_null(parent)) {
        const char *pname;
        if (yaml_as_string(&pname, parent, "layout", rel.data, r->d) != 0)
            goto done;
        l->parent = layout_get(r, pname, rel.data, parent->line, parent->col, depth + 1);
        if (!l->parent)
            goto done;
    }
    buf tname;
    buf_init(&tname);
    buf_printf(&tname, "%s.html", name);
    l->tpl = tpl_set_add(r->set, tname.data, l->text.data + l->fm.body_start,
                         l->text.len - l->fm.body_start, l->fm.body_line - 1, r->d);
    buf_release(&tname);
    if (!l->tpl)
        goto done;
    l->state = 2;
    result = l;
done:
    if (!result)
        l->state = -1;
    buf_release(&rel);
    return result;
}

static void layout_free(layout *l)
{
    if (!l)
        return;
    free(l->name);
    if (l->fm.data)
        frontmatter_release(&l->fm);
    buf_release(&l->text);
    free(l);
}

/* --- dictionaries ------------------------------------------------------------ */

static void var_name(buf *out, const char *prefix, const char *key)
{
    buf_adds(out, prefix);
    for (const char *p = key; *p; p++)
        buf_addc(out, isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_');
}

static void set_shown(tpl_dict *d, const char *name, const char *value)
{
    if (value && *value) {
        tpl_dict_set(d, name, value);
        tpl_dict_show_section(d, name);
    }
}

static int truthy(const yaml_node *n)
{
    if (yaml_is_null(n))
        return 0;
    if (n->kind == YAML_SCALAR)
        return n->value_len > 0 &&
               !(n->plain && (strcmp(n->value, "false") == 0 || strcmp(n->value, "no") == 0));
    return n->len > 0;
}

/* Splits a Jekyll tags/categories string on whitespace and commas. */
static void add_split_items(tpl_dict *d, const char *name, const char *s, buf *joined)
{
    while (*s) {
        while (*s && (isspace((unsigned char)*s) || *s == ','))
            s++;
        const char *e = s;
        while (*e && !isspace((unsigned char)*e) && *e != ',')
            e++;
        if (e > s) {
            tpl_dict *item = tpl_dict_add_section(d, name);
            tpl_dict_set_len(item, "ITEM", s, (size_t)(e - s));
            if (joined->len)
                buf_adds(joined, ", ");
            buf_add(joined, s, (size_t)(e - s));
        }
        s = e;
    }
}

/* Gives the templates every front matter key: PAGE_<KEY> as a variable and
 * as a section shown when the value is set; lists repeat with ITEM; nested
 * mappings flatten to PAGE_<KEY>_<SUB>. */
static void add_yaml(tpl_dict *d, const char *name, const char *key, const yaml_node *v, int depth)
{
    if (depth > 8 || !truthy(v))
        return;
    if (v->kind == YAML_SCALAR) {
        int split = depth == 0 && (strcmp(key, "tags") == 0 || strcmp(key, "categories") == 0);
        if (split) {
            buf joined;
            buf_init(&joined);
            add_split_items(d, name, v->value, &joined);
            tpl_dict_set(d, name, joined.data);
            buf_release(&joined);
        } else {
            set_shown(d, name, v->value);
        }
    } else if (v->kind == YAML_SEQUENCE) {
        buf joined;
        buf_init(&joined);
        for (size_t i = 0; i < v->len; i++) {
            tpl_dict *item = tpl_dict_add_section(d, name);
            if (v->items[i]->kind == YAML_SCALAR) {
                tpl_dict_set(item, "ITEM", v->items[i]->value);
                if (joined.len)
                    buf_adds(&joined, ", ");
                buf_adds(&joined, v->items[i]->value);
            } else if (v->items[i]->kind == YAML_MAPPING) {
                buf sub;
                buf_init(&sub);
                for (size_t k = 0; k < v->items[i]->len; k++) {
                    buf_reset(&sub);
                    var_name(&sub, "ITEM_", v->items[i]->keys[k]->value);
                    add_yaml(item, sub.data, v->items[i]->keys[k]->value, v->items[i]->items[k],
                             depth + 1);
                }
                buf_release(&sub);
            }
        }
        tpl_dict_set(d, name, joined.data);
        buf_release(&joined);
    } else {
        tpl_dict_show_section(d, name);
        buf sub;
        buf_init(&sub);
        for (size_t k = 0; k < v->len; k++) {
            buf_reset(&sub);
            buf_adds(&sub, name);
            var_name(&sub, "_", v->keys[k]->value);
            add_yaml(d, sub.data, v->keys[k]->value, v->items[k], depth + 1);
        }
        buf_release(&sub);
    }
}

/* base_url and a URL path of the site, percent-encoded where it is written:
 * a page from "data retention.md" is served at "data%20retention/". */
static void full_url(buf *out, const site *s, const char *url)
{
    buf_adds(out, s->cfg.base_url);
    url_encode_path(out, url + 1);
}

static void set_page_entry(tpl_dict *e, const site *s, const page *p, const char *prefix)
{
    buf n, u;
    buf_init(&n);
    buf_init(&u);
#define ENTRY(suffix, value)                                                                       \
    do {                                                                                           \
        buf_reset(&n);                                                                             \
        buf_printf(&n, "%s_%s", prefix, suffix);                                                   \
        set_shown(e, n.data, value);                                                               \
    } while (0)
    full_url(&u, s, p->url);
    ENTRY("TITLE", p->title ? p->title : p->id);
    ENTRY("URL", u.data);
    ENTRY("DESCRIPTION", p->description);
    ENTRY("OWNER", p->owner);
    ENTRY("STATUS", p->status);
    ENTRY("VERSION", p->version);
    char date[11] = "";
    if (p->next_review >= 0)
        date_format(date, p->next_review);
    ENTRY("NEXT_REVIEW", date);
    ENTRY("REVIEW_STATE", review_state_slug(p->review));
    ENTRY("REVIEW_LABEL", review_state_label(p->review));
#undef ENTRY
    buf_release(&n);
    buf_release(&u);
}

/* Site-wide values, built once and shared (read-only) by every page. */
static int has_changelog(const site *s, const renderer *r);
static int has_layout(const site *s, const char *name);
static void set_change(tpl_dict *cd, const site *s, const change *ch);

/* NAME_URL (and its section) for a generated page whose layout exists. */
static void set_generated_url(tpl_dict *d, const site *s, const char *var, const char *name,
                              const char *url)
{
    if (!has_layout(s, name))
        return;
    buf u;
    buf_init(&u);
    full_url(&u, s, url);
    set_shown(d, var, u.data);
    buf_release(&u);
}

static tpl_dict *shared_dict(const site *s, const renderer *r)
{
    tpl_dict *d = tpl_dict_new();
    set_generated_url(d, s, "SOA_URL", "soa", "/soa/");
    set_generated_url(d, s, "REVIEWS_URL", "dashboard", "/reviews/");
    set_generated_url(d, s, "HANDBOOK_URL", "handbook", "/handbook/");
    set_generated_url(d, s, "CONTROLS_URL", "controls", "/controls/");
    set_generated_url(d, s, "TAGS_URL", "tags", "/tags/");
    {
        buf u;
        buf_init(&u);
        full_url(&u, s, "/search.json");
        set_shown(d, "SEARCH_INDEX_URL", u.data);
        buf_reset(&u);
        buf_adds(&u, s->cfg.assets);
        buf_adds(&u, "/search.js");
        buf full;
        buf_init(&full);
        site_path(&full, s, u.data);
        if (fs_is_dir(full.data) == 0) {
            buf_reset(&u);
            full_url(&u, s, "/assets/search.js");
            set_shown(d, "SEARCH_SCRIPT_URL", u.data);
        }
        buf_release(&full);
        buf_release(&u);
    }
    if (history_found(s->history)) {
        size_t n;
        const change *ch = history_changes(s->history, &n);
        if (n)
            tpl_dict_show_section(d, "HAS_RECENT_CHANGES");
        for (size_t i = 0; i < n && i < 5; i++)
            set_change(tpl_dict_add_section(d, "RECENT_CHANGES"), s, &ch[i]);
    }
    if (history_found(s->history)) {
        buf u;
        buf_init(&u);
        full_url(&u, s, "/feed.xml");
        set_shown(d, "FEED_URL", u.data);
        if (has_changelog(s, r)) {
            buf_reset(&u);
            full_url(&u, s, "/changelog/");
            set_shown(d, "CHANGELOG_URL", u.data);
        }
        buf_release(&u);
    }
    const site_config *c = &s->cfg;
    /* Every scalar setting of site.yml, then the normalised ones on top. */
    buf name;
    buf_init(&name);
    for (size_t i = 0; i < c->yaml->len; i++) {
        buf_reset(&name);
        var_name(&name, "SITE_", c->yaml->keys[i]->value);
        add_yaml(d, name.data, c->yaml->keys[i]->value, c->yaml->items[i], 1);
    }
    buf_release(&name);
    set_shown(d, "SITE_TITLE", c->title);
    set_shown(d, "SITE_DESCRIPTION", c->description);
    set_shown(d, "SITE_ORGANIZATION", c->organization);
    set_shown(d, "REPOSITORY_URL", c->repository_url);
    tpl_dict_set(d, "BASE_URL", c->base_url);
    tpl_dict_set(d, "CHARTER_VERSION", CHARTER_VERSION);
    char date[11];
    date_format(date, s->as_of);
    tpl_dict_set(d, "BUILD_DATE", date);
    long counts[4] = {0}, total = 0;
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (p->ok && p->published && strcmp(p->layout, "policy") == 0) {
            counts[p->review]++;
            total++;
        }
    }
    tpl_dict_set_int(d, "PAGE_COUNT", total);
    tpl_dict_set_int(d, "REVIEW_OK_COUNT", counts[REVIEW_OK]);
    tpl_dict_set_int(d, "REVIEW_DUE_SOON_COUNT", counts[REVIEW_DUE_SOON]);
    tpl_dict_set_int(d, "REVIEW_OVERDUE_COUNT", counts[REVIEW_OVERDUE]);
    tpl_dict_set_int(d, "REVIEW_NONE_COUNT", counts[REVIEW_NONE]);
    for (size_t k = 0; k < s->n_sections; k++) {
        const site_section *sec = &s->sections[k];
        tpl_dict *sd = tpl_dict_add_section(d, "SECTIONS");
        tpl_dict_set(sd, "SECTION_TITLE", sec->title);
        tpl_dict_set(sd, "SECTION_SLUG", sec->slug);
        tpl_dict_set_int(sd, "SECTION_PAGE_COUNT", (long)sec->n_pages);
        for (size_t i = 0; i < sec->n_pages; i++)
            set_page_entry(tpl_dict_add_section(sd, "SECTION_PAGE"), s, sec->pages[i], "ENTRY");
    }
    return d;
}

/* Navigation: every section; the pages of the current page's section only,
 * and only when that section has at most cfg.nav_max_pages pages. A page's
 * navigation then costs a bounded amount however large the site grows (a
 * sidebar of a thousand links helps no reader either); the home page's
 * SECTIONS lists everything once. */
static void add_nav(tpl_dict *d, const site *s, const page *p)
{
    for (size_t k = 0; k < s->n_sections; k++) {
        const site_section *sec = &s->sections[k];
        tpl_dict *sd = tpl_dict_add_section(d, "NAV_SECTION");
        tpl_dict_set(sd, "NAV_SECTION_TITLE", sec->title);
        tpl_dict_set(sd, "NAV_SECTION_SLUG", sec->slug);
        if (!p || !p->section_title || strcmp(sec->title, p->section_title) != 0)
            continue;
        tpl_dict_show_section(sd, "NAV_SECTION_CURRENT");
        if (sec->n_pages > s->cfg.nav_max_pages)
            continue;
        buf u;
        buf_init(&u);
        for (size_t i = 0; i < sec->n_pages; i++) {
            const page *q = sec->pages[i];
            tpl_dict *e = tpl_dict_add_section(sd, "NAV_PAGE");
            tpl_dict_set(e, "NAV_TITLE", q->title ? q->title : q->id);
            buf_reset(&u);
            full_url(&u, s, q->url);
            tpl_dict_set(e, "NAV_URL", u.data);
            if (q == p)
                tpl_dict_show_section(e, "NAV_CURRENT");
        }
        buf_release(&u);
    }
}

/* HISTORY: the page's change table, newest first, and the dates around it. */
static void add_history(tpl_dict *d, const site *s, const page_history *ph)
{
    if (!ph->n)
        return;
    tpl_dict_show_section(d, "HAS_HISTORY");
    const hist_row *newest = NULL, *oldest = NULL;
    int truncated = 0;
    buf u;
    buf_init(&u);
    for (size_t i = 0; i < ph->n; i++) {
        const hist_row *r = &ph->rows[i];
        tpl_dict *hd = tpl_dict_add_section(d, "HISTORY");
        switch (r->kind) {
        case HIST_UNCOMMITTED:
            tpl_dict_show_section(hd, "HISTORY_UNCOMMITTED");
            continue;
        case HIST_UNTRACKED:
            tpl_dict_show_section(hd, "HISTORY_UNTRACKED");
            continue;
        case HIST_TRUNCATED:
            tpl_dict_show_section(hd, "HISTORY_TRUNCATED");
            truncated = 1;
            continue;
        case HIST_COMMIT:
            break;
        }
        if (!newest)
            newest = r;
        oldest = r;
        tpl_dict_show_section(hd, "HISTORY_COMMIT_ROW");
        set_shown(hd, "HISTORY_VERSION", r->version);
        tpl_dict_set(hd, "HISTORY_DATE", r->date);
        set_shown(hd, "HISTORY_AUTHOR", r->author);
        set_shown(hd, "HISTORY_SUMMARY", r->summary);
        tpl_dict_set(hd, "HISTORY_COMMIT", r->shortid);
        tpl_dict_set(hd, "HISTORY_COMMIT_ID", r->commit);
        if (s->cfg.repository_url) {
            buf_reset(&u);
            buf_printf(&u, "%s/commit/%s", s->cfg.repository_url, r->commit);
            set_shown(hd, "HISTORY_COMMIT_URL", u.data);
        } else {
            tpl_dict_show_section(hd, "HISTORY_COMMIT_PLAIN");
        }
        if (r->review)
            tpl_dict_show_section(hd, "HISTORY_REVIEW");
        const char *names[2] = {"HISTORY_APPROVED_BY", "HISTORY_REVIEWED_BY"};
        char **lists[2] = {r->approved_by, r->reviewed_by};
        size_t counts[2] = {r->n_approved, r->n_reviewed};
        for (int k = 0; k < 2; k++) {
            buf_reset(&u);
            for (size_t j = 0; j < counts[k]; j++)
                buf_printf(&u, "%s%s", j ? ", " : "", lists[k][j]);
            set_shown(hd, names[k], u.data);
        }
    }
    if (oldest && !truncated)
        set_shown(d, "CREATED", oldest->date);
    if (newest) {
        set_shown(d, "LAST_CHANGED", newest->date);
        set_shown(d, "LAST_CHANGED_BY", newest->author);
    }
    buf_release(&u);
}

/* /controls/<framework>/<id>/ as a full URL. */
static void control_url(buf *out, const site *s, const control *c)
{
    buf rel;
    buf_init(&rel);
    buf_printf(&rel, "/controls/%s/%s/", c->framework, c->id);
    full_url(out, s, rel.data);
    buf_release(&rel);
}

/* PREV_* and NEXT_*: the neighbours of p in its section's order. */
static void add_prev_next(tpl_dict *d, const site *s, const page *p)
{
    if (!p->section_title)
        return;
    for (size_t k = 0; k < s->n_sections; k++) {
        const site_section *sec = &s->sections[k];
        if (strcmp(sec->title, p->section_title) != 0)
            continue;
        for (size_t i = 0; i < sec->n_pages; i++) {
            if (sec->pages[i] != p)
                continue;
            buf u;
            buf_init(&u);
            if (i > 0) {
                const page *q = sec->pages[i - 1];
                full_url(&u, s, q->url);
                set_shown(d, "PREV_URL", u.data);
                tpl_dict_set(d, "PREV_TITLE", q->title ? q->title : q->id);
            }
            if (i + 1 < sec->n_pages) {
                const page *q = sec->pages[i + 1];
                buf_reset(&u);
                full_url(&u, s, q->url);
                set_shown(d, "NEXT_URL", u.data);
                tpl_dict_set(d, "NEXT_TITLE", q->title ? q->title : q->id);
            }
            buf_release(&u);
            return;
        }
    }
}

static tpl_dict *page_dict(const renderer *r, const page *p, size_t index)
{
    const site *s = r->s;
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set_shared(d, r->shared);
    buf name, u;
    buf_init(&name);
    buf_init(&u);
    const yaml_node *fm = p->fm.data;
    for (size_t i = 0; i < fm->len; i++) {
        buf_reset(&name);
        var_name(&name, "PAGE_", fm->keys[i]->value);
        add_yaml(d, name.data, fm->keys[i]->value, fm->items[i], 0);
        /* HAS_PAGE_<KEY>: shown once when set, for lists whose PAGE_<KEY>
         * section repeats per item. */
        if (truthy(fm->items[i])) {
            buf_reset(&name);
            var_name(&name, "HAS_PAGE_", fm->keys[i]->value);
            tpl_dict_show_section(d, name.data);
        }
    }
    set_shown(d, "PAGE_ID", p->id);
    set_shown(d, "PAGE_LAYOUT", p->layout);
    tpl_dict_set(d, "TITLE", p->title ? p->title : p->id);
    full_url(&u, s, p->url);
    tpl_dict_set(d, "URL", u.data);
    tpl_dict_set(d, "SOURCE_PATH", p->src);
    set_shown(d, "SECTION_TITLE", p->section_title);
    for (size_t k = 0; k < s->n_sections; k++)
        if (p->section_title && strcmp(s->sections[k].title, p->section_title) == 0)
            tpl_dict_set(d, "SECTION_SLUG", s->sections[k].slug);
    if (s->cfg.repository_url) {
        buf_reset(&u);
        buf_printf(&u, "%s/edit/%s/%s", s->cfg.repository_url, s->cfg.branch, p->src);
        set_shown(d, "EDIT_URL", u.data);
    }
    char date[11] = "";
    if (p->next_review >= 0)
        date_format(date, p->next_review);
    set_shown(d, "NEXT_REVIEW", date);
    tpl_dict_set(d, "REVIEW_STATE", review_state_slug(p->review));
    tpl_dict_set(d, "REVIEW_LABEL", review_state_label(p->review));
    if (p->controls && p->controls->len) {
        tpl_dict_show_section(d, "HAS_CONTROLS");
        for (size_t i = 0; i < p->controls->len; i++) {
            const char *id = p->controls->items[i]->value;
            const control *c = NULL;
            buf canon;
            buf_init(&canon);
            if (id)
                catalog_resolve(s->catalog, id, &c, &canon);
            buf_release(&canon);
            tpl_dict *cd = tpl_dict_add_section(d, "CONTROLS");
            tpl_dict_set(cd, "CONTROL_ID", c ? c->id : id ? id : "");
            if (c) {
                set_shown(cd, "CONTROL_TITLE", c->title);
                set_shown(cd, "CONTROL_GROUP", c->group);
                set_shown(cd, "CONTROL_FRAMEWORK", c->framework);
                if (r->cited) {
                    buf cu;
                    buf_init(&cu);
                    control_url(&cu, s, c);
                    set_shown(cd, "CONTROL_URL", cu.data);
                    buf_release(&cu);
                }
            }
        }
    }
    if (s->history)
        add_history(d, s, history_page(s->history, index));
    add_prev_next(d, s, p);
    size_t n_toc = 0;
    for (size_t i = 0; i < p->doc.n_headings; i++)
        n_toc += p->doc.headings[i].level == 2 || p->doc.headings[i].level == 3;
    if (n_toc >= 3) {
        tpl_dict *toc = tpl_dict_add_section(d, "TOC");
        for (size_t i = 0; i < p->doc.n_headings; i++) {
            const md_heading *h = &p->doc.headings[i];
            if (h->level != 2 && h->level != 3)
                continue;
            tpl_dict *e = tpl_dict_add_section(toc, "TOC_ENTRY");
            tpl_dict_set(e, "TOC_ID", h->id);
            tpl_dict_set(e, "TOC_TEXT", h->text);
            tpl_dict_set_int(e, "TOC_LEVEL", h->level);
        }
    }
    add_nav(d, s, p);
    buf_release(&name);
    buf_release(&u);
    return d;
}

/* --- pages ------------------------------------------------------------------- */

typedef struct link_ctx {
    const site *s;
    const page *p;
} link_ctx;

static int rewrite_link(void *arg, const char *url, buf *out)
{
    const link_ctx *c = arg;
    return site_rewrite_link(out, c->s, c->p, url);
}

#define SEARCH_TEXT_MAX 1500

/* The text of rendered HTML: tags dropped, entities for & < > " ' decoded,
 * whitespace runs folded to one space, at most max bytes (cut at a UTF-8
 * boundary). Caller frees. */
static char *plain_text(const char *html, size_t len, size_t max)
{
    buf out;
    buf_init(&out);
    int in_tag = 0, space = 1, block = 0;
    for (size_t i = 0; i < len && out.len < max; i++) {
        char c = html[i];
        if (in_tag) {
            in_tag = c != '>';
            if (!in_tag && block && !space) {
                buf_addc(&out, ' ');
                space = 1;
            }
            continue;
        }
        if (c == '<') {
            /* Block elements separate words; inline ones (a, em, code) not. */
            static const char *const blocks[] = {
                "p",  "li", "h1",  "h2",  "h3", "h4", "h5", "h6", "br",         "td",
                "th", "tr", "div", "pre", "ul", "ol", "dt", "dd", "blockquote", "table"};
            size_t j = i + 1 + (i + 1 < len && html[i + 1] == '/');
            size_t e = j;
            while (e < len && isalnum((unsigned char)html[e]))
                e++;
            block = 0;
            for (size_t k = 0; k < sizeof blocks / sizeof *blocks && !block; k++)
                block = strlen(blocks[k]) == e - j && !strncasecmp(html + j, blocks[k], e - j);
            in_tag = 1;
            continue;
        }
        if (c == '&') {
            static const struct {
                const char *ent;
                char ch;
            } ents[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
            int done = 0;
            for (size_t k = 0; k < sizeof ents / sizeof *ents && !done; k++) {
                size_t el = strlen(ents[k].ent);
                if (len - i >= el && !memcmp(html + i, ents[k].ent, el)) {
                    buf_addc(&out, ents[k].ch);
                    i += el - 1;
                    done = 1;
                }
            }
            if (done) {
                space = 0;
                continue;
            }
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            if (!space)
                buf_addc(&out, ' ');
            space = 1;
            continue;
        }
        buf_addc(&out, c);
        space = 0;
    }
    if (out.len >= max) {
        /* Cut by max: drop a UTF-8 sequence left incomplete. */
        size_t lead = out.len;
        while (lead > 0 && ((unsigned char)out.data[lead - 1] & 0xC0) == 0x80)
            lead--;
        if (lead > 0 &&
            utf8_seq_len((const unsigned char *)out.data + lead - 1, out.len - (lead - 1)) == 0)
            out.len = lead - 1;
    }
    while (out.len && out.data[out.len - 1] == ' ')
        out.len--;
    out.data[out.len] = '\0';
    return buf_detach(&out);
}

/* "policy-" and the page id as a slug ("policies/access" ->
 * "policy-policies-access"): the policy's anchor in the handbook. */
static void handbook_anchor(buf *out, const page *p)
{
    buf_adds(out, "policy-");
    char *id = xstrdup(p->id);
    for (char *c = id; *c; c++)
        if (*c == '/')
            *c = ' ';
    markdown_slug(out, id);
    free(id);
}

/* The body for the handbook, where every policy shares one page: each
 * id="x" and href="#x" becomes id="<anchor>-x" and href="#<anchor>-x", so
 * headings and footnotes of different policies cannot collide. */
static void prefix_ids(buf *out, const char *html, size_t len, const char *anchor)
{
    static const char *const marks[] = {" id=\"", " href=\"#"};
    const char *p = html, *end = html + len;
    /* The next occurrence of each mark, found again only once passed: a
     * body with many of one and none of the other stays linear. */
    const char *next[2];
    for (int k = 0; k < 2; k++)
        next[k] = memmem(p, len, marks[k], strlen(marks[k]));
    while (next[0] || next[1]) {
        int k = !next[0] || (next[1] && next[1] < next[0]);
        size_t mlen = strlen(marks[k]);
        buf_add(out, p, (size_t)(next[k] - p) + mlen);
        buf_adds(out, anchor);
        buf_addc(out, '-');
        p = next[k] + mlen;
        next[k] = memmem(p, (size_t)(end - p), marks[k], mlen);
    }
    buf_add(out, p, (size_t)(end - p));
}

/* An approved policy (a policy page with status approved, or none). */
static int in_handbook(const page *p)
{
    return p->ok && p->published && !strcmp(p->layout, "policy") &&
           (!p->status || !strcmp(p->status, "approved"));
}

/* Renders d through layout l and its parents: each layout's output becomes
 * the next one's CONTENT. *html holds the first CONTENT and, on return, the
 * page. Returns 0, or -1 after a render error was reported. */
static int render_chain(const renderer *r, const layout *l, tpl_dict *d, buf *html)
{
    buf next;
    buf_init(&next);
    int err = 0;
    for (; l && err == 0; l = l->parent) {
        tpl_dict_set_ref(d, "CONTENT", html->data, html->len);
        buf_reset(&next);
        buf_grow(&next, html->len + 16384);
        err = tpl_render(l->tpl, d, &next, r->d);
        buf t = *html;
        *html = next;
        next = t;
    }
    buf_release(&next);
    return err;
}

static void slots_add(tpl_slots *s, size_t offset, size_t id)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = (tpl_slot){offset, id};
}

/* The slot id CONTENT gets while a layout's output passes to its parent. */
#define CONTENT_SLOT ((size_t)-1)

/* As render_chain, keeping track of d's slots through the chain: each
 * parent renders with CONTENT as a slot, the child's output is spliced in
 * where it expands, and the child's slots move with it. On return *html is
 * the page and *slots the places of d's slots in it. */
static int render_chain_slots(const renderer *r, const layout *l, tpl_dict *d, buf *html,
                              tpl_slots *slots)
{
    buf next, joined;
    buf_init(&next);
    buf_init(&joined);
    tpl_slots inner = {0}, outer = {0}, merged = {0};
    int err = tpl_render_slots(l->tpl, d, &next, &inner, r->d);
    for (l = l->parent; l && err == 0; l = l->parent) {
        tpl_dict_set_slot(d, "CONTENT", CONTENT_SLOT);
        buf_reset(&joined);
        err = tpl_render_slots(l->tpl, d, &joined, &outer, r->d);
        if (err)
            break;
        /* Splice `next` (with its slots) in at every CONTENT of `joined`. */
        buf spliced;
        buf_init(&spliced);
        merged.n = 0;
        size_t pos = 0;
        for (size_t k = 0; k < outer.n; k++) {
            const tpl_slot *o = &outer.v[k];
            buf_add(&spliced, joined.data + pos, o->offset - pos);
            pos = o->offset;
            if (o->id != CONTENT_SLOT) {
                slots_add(&merged, spliced.len, o->id);
                continue;
            }
            for (size_t j = 0; j < inner.n; j++)
                slots_add(&merged, spliced.len + inner.v[j].offset, inner.v[j].id);
            buf_add(&spliced, next.data, next.len);
        }
        buf_add(&spliced, joined.data + pos, joined.len - pos);
        buf_release(&next);
        next = spliced;
        tpl_slots t = inner;
        inner = merged;
        merged = t;
    }
    buf_add(html, next.data, next.len);
    slots->n = 0;
    for (size_t j = 0; err == 0 && j < inner.n; j++)
        slots_add(slots, inner.v[j].offset, inner.v[j].id);
    tpl_slots_release(&inner);
    tpl_slots_release(&outer);
    tpl_slots_release(&merged);
    buf_release(&next);
    buf_release(&joined);
    return err;
}

static void spool_body(renderer *r, size_t i, const page *p);

static void render_page(void *arg, size_t i)
{
    renderer *r = arg;
    page *p = r->s->pages[i];
    if (!p->ok || !p->published)
        return;
    if (p->collides && r->o)
        return; /* its path is another's: reported when the site was loaded */
    link_ctx lc = {r->s, p};
    md_options opt = {p->src, p->fm.body_line, r->s->cfg.unsafe_html, rewrite_link, &lc};
    /* Debian's cmark-gfm is quadratic on some inputs (docs/security.md):
     * past limits.page_seconds the watchdog ends the build, naming the page. */
    int token = watchdog_enter(p->src, "its Markdown", r->s->cfg.limits.page_seconds,
                               "limits.page_seconds");
    int rc = markdown_render(&p->doc, p->text.data + p->fm.body_start,
                             p->text.len - p->fm.body_start, &opt, r->d);
    watchdog_leave(token);
    if (rc != 0) {
        diag_error(r->d, p->src, 0, 0, "markdown", "cannot render Markdown");
        return;
    }
    layout *l = map_get(r->layouts, p->layout);
    if (!r->o) {
        buf_release(&p->doc.html); /* checking only: headings and links suffice */
        return;
    }
    if (!l || l->state != 2)
        return; /* reported when layouts were loaded */
    tpl_dict *d = page_dict(r, p, i);
    buf html;
    buf_init(&html);
    buf_grow(&html, p->doc.html.len + 16384);
    buf_add(&html, p->doc.html.data, p->doc.html.len);
    int err = render_chain(r, l, d, &html);
    if (err == 0 && output_write(r->o, p->out_file, html.data, html.len, r->d) != 0)
        r->failed_write = 1;
    tpl_dict_free(d);
    buf_release(&html);
    if (r->spool_fd >= 0 && in_handbook(p))
        spool_body(r, i, p);
    /* The page is written: keep its headings and links (for the checks) and
     * its text for search, not its bytes, so memory stays flat however large
     * the site (the handbook reads its bodies back from the spool). */
    p->search_text = plain_text(p->doc.html.data, p->doc.html.len, SEARCH_TEXT_MAX);
    buf_release(&p->doc.html);
    buf_release(&p->text);
}

static void copy_static(void *arg, size_t i)
{
    renderer *r = arg;
    const static_file *f = &r->s->statics[i];
    if (output_copy(r->o, f->out_file, &r->s->fs, f->src, r->s->cfg.limits.static_bytes,
                    "limits.static_bytes", r->d) != 0)
        r->failed_write = 1;
}

/* --- the changelog page and the feed ------------------------------------------- */

/* The theme has layouts/<name>.html. */
static int has_layout(const site *s, const char *name)
{
    buf path, full;
    buf_init(&path);
    buf_init(&full);
    buf_printf(&path, "%s/%s.html", s->cfg.layouts, name);
    site_path(&full, s, path.data);
    int ok = fs_is_dir(full.data) == 0; /* a file, not a directory */
    buf_release(&path);
    buf_release(&full);
    return ok;
}

/* layouts/changelog.html exists and the changelog's path is its own. */
static int has_changelog(const site *s, const renderer *r)
{
    return has_layout(s, "changelog") && !is_blocked(r, "changelog/index.html");
}

static void set_change(tpl_dict *cd, const site *s, const change *ch)
{
    buf u;
    buf_init(&u);
    const hist_row *row = ch->row;
    tpl_dict_set(cd, "CHANGE_DATE", row->date);
    set_shown(cd, "CHANGE_AUTHOR", row->author);
    set_shown(cd, "CHANGE_SUMMARY", row->summary);
    tpl_dict_set(cd, "CHANGE_COMMIT", row->shortid);
    tpl_dict_set(cd, "CHANGE_COMMIT_ID", row->commit);
    if (s->cfg.repository_url) {
        buf_printf(&u, "%s/commit/%s", s->cfg.repository_url, row->commit);
        set_shown(cd, "CHANGE_COMMIT_URL", u.data);
    } else {
        tpl_dict_show_section(cd, "CHANGE_COMMIT_PLAIN");
    }
    for (size_t j = 0; j < ch->n_pages; j++) {
        const page *p = s->pages[ch->pages[j]];
        tpl_dict *pd = tpl_dict_add_section(cd, "CHANGE_PAGE");
        tpl_dict_set(pd, "CHANGE_PAGE_TITLE", p->title ? p->title : p->id);
        buf_reset(&u);
        full_url(&u, s, p->url);
        tpl_dict_set(pd, "CHANGE_PAGE_URL", u.data);
        set_shown(pd, "CHANGE_PAGE_VERSION", ch->rows[j]->version);
        if (ch->rows[j]->review)
            tpl_dict_show_section(pd, "CHANGE_PAGE_REVIEW");
    }
    buf_release(&u);
}

static int render_generated(renderer *r, const char *name, const char *out_file, tpl_dict *d);

/* changelog/index.html through layouts/changelog.html (and its parents),
 * when the theme has that layout: CHANGES, newest first. */
static int render_changelog(renderer *r)
{
    const site *s = r->s;
    if (!has_changelog(s, r))
        return 0;
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set(d, "TITLE", "Changelog");
    buf u;
    buf_init(&u);
    full_url(&u, s, "/changelog/");
    tpl_dict_set(d, "URL", u.data);
    size_t n;
    const change *ch = history_changes(s->history, &n);
    if (n)
        tpl_dict_show_section(d, "HAS_CHANGES");
    for (size_t i = 0; i < n; i++)
        set_change(tpl_dict_add_section(d, "CHANGES"), s, &ch[i]);
    int err = render_generated(r, "changelog", "changelog/index.html", d);
    tpl_dict_free(d);
    buf_release(&u);
    return err;
}

/* feed.xml: an Atom feed of the newest 50 policy changes. Entry ids are
 * urn:uuid: IRIs made from the commit ids, stable across builds. */
static int write_feed(renderer *r)
{
    const site *s = r->s;
    size_t n;
    const change *ch = history_changes(s->history, &n);
    buf out, u, text;
    buf_init(&out);
    buf_init(&u);
    buf_init(&text);
    buf_adds(&out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    buf_printf(&text, "%s: policy changes", s->cfg.title);
    xml_elem(&out, 2, "title", text.data);
    full_url(&u, s, "/feed.xml");
    buf_adds(&out, "  <link rel=\"self\"");
    xml_attr(&out, "href", u.data);
    buf_adds(&out, "/>\n");
    buf_reset(&text);
    if (url_is_external(u.data)) {
        buf_adds(&text, u.data);
    } else {
        /* No absolute address: a urn:uuid: from the site's title, stable. */
        uint64_t h1 = 1469598103934665603ULL, h2 = 0x9e3779b97f4a7c15ULL;
        for (const char *c = s->cfg.title; *c; c++) {
            h1 = (h1 ^ (unsigned char)*c) * 1099511628211ULL;
            h2 = (h2 ^ (unsigned char)*c) * 1099511628211ULL;
        }
        buf_printf(&text, "urn:uuid:%08x-%04x-%04x-%04x-%012llx", (unsigned)(h1 >> 32),
                   (unsigned)(h1 >> 16) & 0xffff, (unsigned)h1 & 0xffff, (unsigned)(h2 >> 48),
                   (unsigned long long)(h2 & 0xffffffffffffULL));
    }
    xml_elem(&out, 2, "id", text.data);
    buf_printf(&out, "  <updated>%sT00:00:00Z</updated>\n", n ? ch[0].row->date : "1970-01-01");
    for (size_t i = 0; i < n && i < 50; i++) {
        const hist_row *row = ch[i].row;
        const char *c = row->commit;
        buf_adds(&out, "  <entry>\n");
        xml_elem(&out, 4, "title", row->summary);
        buf_printf(&out,
                   "    <id>urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s</id>\n"
                   "    <updated>%sT00:00:00Z</updated>\n    <author><name>",
                   c, c + 8, c + 12, c + 16, c + 20, row->date);
        xml_escapes(&out, row->author);
        buf_adds(&out, "</name></author>\n");
        buf_reset(&u);
        full_url(&u, s, s->pages[ch[i].pages[0]]->url);
        buf_adds(&out, "    <link");
        xml_attr(&out, "href", u.data);
        buf_adds(&out, "/>\n    <content type=\"html\">");
        buf html;
        buf_init(&html);
        buf_adds(&html, "<ul>");
        for (size_t j = 0; j < ch[i].n_pages; j++) {
            const page *p = s->pages[ch[i].pages[j]];
            buf_reset(&u);
            full_url(&u, s, p->url);
            buf_adds(&html, "<li><a href=\"");
            buf_add_html(&html, u.data, u.len);
            buf_adds(&html, "\">");
            const char *t = p->title ? p->title : p->id;
            buf_add_html(&html, t, strlen(t));
            buf_adds(&html, "</a>");
            if (ch[i].rows[j]->version && *ch[i].rows[j]->version) {
                buf_adds(&html, " (version ");
                buf_add_html(&html, ch[i].rows[j]->version, strlen(ch[i].rows[j]->version));
                buf_adds(&html, ")");
            }
            if (ch[i].rows[j]->review)
                buf_adds(&html, " (reviewed)");
            buf_adds(&html, "</li>");
        }
        buf_adds(&html, "</ul>");
        xml_escape(&out, html.data, html.len);
        buf_release(&html);
        buf_adds(&out, "</content>\n  </entry>\n");
    }
    buf_adds(&out, "</feed>\n");
    int err = output_write(r->o, "feed.xml", out.data, out.len, r->d);
    buf_release(&out);
    buf_release(&u);
    buf_release(&text);
    return err;
}

/* --- generated pages: controls, SoA, reviews, tags, handbook, 404 --------------- */

/* The URLs of the generated pages, for the sitemap: "/" a "/" b "/" with the
 * empty parts left out. */
typedef struct url_list {
    char **v;
    size_t n;
} url_list;

static void url_add(url_list *l, const char *a, const char *b)
{
    buf u;
    buf_init(&u);
    buf_printf(&u, "/%s/", a);
    if (b)
        buf_printf(&u, "%s/", b);
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = buf_detach(&u);
}

/* Renders d through layout `name` and its parents into out_file. The layout
 * must have been loaded (layout_get) before any thread renders. */
/* Renders d through layout `name` and its parents into html. Returns 1 when
 * the theme has no such layout (or it failed to load, already reported), 0,
 * or -1 after a render error. */
static int render_to(renderer *r, const char *name, tpl_dict *d, buf *html)
{
    layout *l = map_get(r->layouts, name);
    if (!l || l->state != 2)
        return 1;
    tpl_dict_set_shared(d, r->shared);
    add_nav(d, r->s, NULL); /* every section, none current */
    return render_chain(r, l, d, html);
}

/* As render_to, recording d's slots (render_chain_slots). */
static int render_to_slots(renderer *r, const char *name, tpl_dict *d, buf *html,
                           tpl_slots *slots)
{
    layout *l = map_get(r->layouts, name);
    if (!l || l->state != 2)
        return 1;
    tpl_dict_set_shared(d, r->shared);
    add_nav(d, r->s, NULL); /* every section, none current */
    return render_chain_slots(r, l, d, html, slots);
}

static int render_generated(renderer *r, const char *name, const char *out_file, tpl_dict *d)
{
    if (is_blocked(r, out_file))
        return 0; /* reported by plan_outputs */
    buf html;
    buf_init(&html);
    int err = render_to(r, name, d, &html);
    if (err == 0 && output_write(r->o, out_file, html.data, html.len, r->d) != 0)
        err = -1;
    buf_release(&html);
    return err < 0 ? -1 : 0;
}

static void free_cites(void *ctx, const char *key, void *value)
{
    (void)ctx;
    (void)key;
    cite_list *cl = value;
    free(cl->pages);
    free(cl);
}

/* Which published pages cite each control, by "framework:id". */
static map *build_citations(const site *s)
{
    map *m = map_new();
    buf key, canon;
    buf_init(&key);
    buf_init(&canon);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published || !p->controls)
            continue;
        for (size_t j = 0; j < p->controls->len; j++) {
            const control *c = NULL;
            buf_reset(&canon);
            if (catalog_resolve(s->catalog, p->controls->items[j]->value, &c, &canon) ==
                    CONTROL_UNKNOWN ||
                !c)
                continue;
            buf_reset(&key);
            buf_printf(&key, "%s:%s", c->framework, c->id);
            cite_list *cl = map_get(m, key.data);
            if (!cl) {
                cl = xcalloc(1, sizeof *cl);
                map_put(m, key.data, cl);
            }
            if (cl->n && cl->pages[cl->n - 1] == p)
                continue; /* cited twice by one page */
            cl->pages = xrealloc(cl->pages, (cl->n + 1) * sizeof *cl->pages);
            cl->pages[cl->n++] = p;
        }
    }
    buf_release(&key);
    buf_release(&canon);
    return m;
}

static const cite_list *cites_of(const renderer *r, const control *c)
{
    buf key;
    buf_init(&key);
    buf_printf(&key, "%s:%s", c->framework, c->id);
    const cite_list *cl = map_get(r->cited, key.data);
    buf_release(&key);
    return cl;
}

static const char *status_label(const char *status)
{
    if (!status)
        return NULL;
    if (!strcmp(status, "implemented"))
        return "Implemented";
    if (!strcmp(status, "planned"))
        return "Planned";
    if (!strcmp(status, "not-implemented"))
        return "Not implemented";
    return status;
}

/* The applicability columns of a control, for its page and the SoA. */
static void set_control(tpl_dict *d, const renderer *r, const control *c, const framework *fw,
                        const char *list, const char *title_var, const char *url_var)
{
    const site *s = r->s;
    buf u;
    buf_init(&u);
    tpl_dict_set(d, "CONTROL_ID", c->id);
    set_shown(d, "CONTROL_TITLE", c->title);
    set_shown(d, "CONTROL_GROUP", c->group);
    tpl_dict_set(d, "CONTROL_FRAMEWORK", fw->id);
    tpl_dict_set(d, "CONTROL_FRAMEWORK_NAME", fw->name);
    control_url(&u, s, c);
    tpl_dict_set(d, "CONTROL_URL", u.data);
    tpl_dict_show_section(d, c->applicable ? "CONTROL_APPLICABLE" : "CONTROL_NOT_APPLICABLE");
    tpl_dict_set(d, "CONTROL_APPLICABLE_LABEL", c->applicable ? "Applicable" : "Not applicable");
    tpl_dict_set(d, "CONTROL_APPLICABLE_SLUG", c->applicable ? "yes" : "no");
    set_shown(d, "CONTROL_JUSTIFICATION", c->justification);
    set_shown(d, "CONTROL_STATUS", c->status);
    set_shown(d, "CONTROL_STATUS_LABEL", status_label(c->status));
    const cite_list *cl = cites_of(r, c);
    for (size_t i = 0; cl && i < cl->n; i++) {
        const page *p = cl->pages[i];
        tpl_dict *e = tpl_dict_add_section(d, list);
        tpl_dict_set(e, title_var, p->title ? p->title : p->id);
        buf_reset(&u);
        full_url(&u, s, p->url);
        tpl_dict_set(e, url_var, u.data);
        if (!strcmp(list, "CITED_BY")) {
            set_shown(e, "CITED_STATUS", p->status);
            set_shown(e, "CITED_OWNER", p->owner);
        }
    }
    if (cl && cl->n)
        tpl_dict_show_section(d, !strcmp(list, "CITED_BY") ? "HAS_CITED_BY" : "HAS_COVER");
    else
        tpl_dict_show_section(d, !strcmp(list, "CITED_BY") ? "NO_CITATIONS" : "NO_COVER");
    buf_release(&u);
}

typedef struct control_job {
    const control *c;
    const framework *fw;
} control_job;

typedef struct control_jobs {
    renderer *r;
    control_job *v;
    size_t n;
} control_jobs;

static void render_control_page(void *arg, size_t i)
{
    control_jobs *cj = arg;
    const control *c = cj->v[i].c;
    tpl_dict *d = tpl_dict_new();
    buf t, out;
    buf_init(&t);
    buf_init(&out);
    buf_printf(&t, "%s %s", c->id, c->title ? c->title : "");
    tpl_dict_set(d, "TITLE", t.data);
    set_control(d, cj->r, c, cj->v[i].fw, "CITED_BY", "CITED_TITLE", "CITED_URL");
    buf_printf(&out, "controls/%s/%s/index.html", c->framework, c->id);
    buf_reset(&t);
    control_url(&t, cj->r->s, c);
    tpl_dict_set(d, "URL", t.data);
    if (render_generated(cj->r, "control", out.data, d) != 0)
        cj->r->failed_write = 1;
    tpl_dict_free(d);
    buf_release(&t);
    buf_release(&out);
}

/* FRAMEWORK sections with every control's row: the SoA and controls index. */
static void add_frameworks(tpl_dict *d, const renderer *r)
{
    size_t nf;
    const framework *fws = catalog_frameworks(r->s->catalog, &nf);
    for (size_t f = 0; f < nf; f++) {
        tpl_dict *fd = tpl_dict_add_section(d, "FRAMEWORK");
        tpl_dict_set(fd, "FRAMEWORK_ID", fws[f].id);
        tpl_dict_set(fd, "FRAMEWORK_NAME", fws[f].name);
        long applicable = 0, covered = 0, implemented = 0;
        for (size_t i = 0; i < fws[f].n_controls; i++) {
            const control *c = &fws[f].controls[i];
            set_control(tpl_dict_add_section(fd, "FW_CONTROL"), r, c, &fws[f], "COVER",
                        "COVER_TITLE", "COVER_URL");
            applicable += c->applicable;
            covered += c->applicable && cites_of(r, c);
            implemented += c->status && !strcmp(c->status, "implemented");
        }
        tpl_dict_set_int(fd, "FW_TOTAL", (long)fws[f].n_controls);
        tpl_dict_set_int(fd, "FW_APPLICABLE_COUNT", applicable);
        tpl_dict_set_int(fd, "FW_NOT_APPLICABLE_COUNT", (long)fws[f].n_controls - applicable);
        tpl_dict_set_int(fd, "FW_COVERED_COUNT", covered);
        tpl_dict_set_int(fd, "FW_IMPLEMENTED_COUNT", implemented);
    }
}

static int cmp_review(const void *a, const void *b)
{
    const page *x = *(const page *const *)a, *y = *(const page *const *)b;
    long nx = x->next_review < 0 ? LONG_MAX : x->next_review;
    long ny = y->next_review < 0 ? LONG_MAX : y->next_review;
    if (nx != ny)
        return nx < ny ? -1 : 1;
    return strcmp(x->src, y->src);
}

/* REVIEW_ROW: every policy, the next review first. */
static void add_review_rows(tpl_dict *d, const site *s)
{
    const page **v = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < s->n_pages; i++)
        if (s->pages[i]->ok && s->pages[i]->published && !strcmp(s->pages[i]->layout, "policy"))
            v[n++] = s->pages[i];
    qsort(v, n, sizeof *v, cmp_review);
    buf u, label;
    buf_init(&u);
    buf_init(&label);
    char date[11];
    for (size_t i = 0; i < n; i++) {
        const page *p = v[i];
        tpl_dict *e = tpl_dict_add_section(d, "REVIEW_ROW");
        tpl_dict_set(e, "ENTRY_TITLE", p->title ? p->title : p->id);
        buf_reset(&u);
        full_url(&u, s, p->url);
        tpl_dict_set(e, "ENTRY_URL", u.data);
        set_shown(e, "ENTRY_OWNER", p->owner);
        if (p->last_reviewed >= 0) {
            date_format(date, p->last_reviewed);
            set_shown(e, "ENTRY_LAST_REVIEWED", date);
        }
        tpl_dict_set(e, "ENTRY_REVIEW_STATE", review_state_slug(p->review));
        tpl_dict_set(e, "ENTRY_REVIEW_LABEL", review_state_label(p->review));
        buf_reset(&label);
        if (p->next_review >= 0) {
            date_format(date, p->next_review);
            set_shown(e, "ENTRY_NEXT_REVIEW", date);
            long days = p->next_review - s->as_of;
            tpl_dict_set_int(e, "ENTRY_DAYS", days);
            if (days == 0)
                buf_adds(&label, "today");
            else if (days > 0)
                buf_printf(&label, "in %ld day%s", days, days == 1 ? "" : "s");
            else
                buf_printf(&label, "%ld day%s overdue", -days, days == -1 ? "" : "s");
        } else {
            tpl_dict_set(e, "ENTRY_DAYS", "");
            buf_adds(&label, "\xe2\x80\x94"); /* an em dash */
        }
        tpl_dict_set(e, "ENTRY_DAYS_LABEL", label.data);
    }
    buf_release(&u);
    buf_release(&label);
    free(v);
}



/* Adds page p under the term `name` (its exact spelling: "C", "c" and
 * "C++" are three terms, as in Jekyll). Slugs are given afterwards. */
static void add_term(terms *t, const page *p, const char *name, size_t len, int is_category)
{
    buf key;
    buf_init(&key);
    buf_addc(&key, is_category ? 'c' : 't');
    buf_add(&key, name, len);
    if (memchr(name, '\0', len)) {
        buf_release(&key);
        return;
    }
    intptr_t k = (intptr_t)map_get(t->by_key, key.data);
    if (!k) {
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 16;
            t->v = xrealloc(t->v, t->cap * sizeof *t->v);
        }
        t->v[t->n] = (term){xstrndup(name, len), NULL, is_category, NULL, 0};
        k = (intptr_t)++t->n;
        map_put(t->by_key, key.data, (void *)k);
    }
    term *tm = &t->v[k - 1];
    if (!tm->n || tm->pages[tm->n - 1] != p) {
        tm->pages = xrealloc(tm->pages, (tm->n + 1) * sizeof *tm->pages);
        tm->pages[tm->n++] = p;
    }
    buf_release(&key);
}

static int cmp_term_name(const void *a, const void *b)
{
    const term *x = a, *y = b;
    if (x->is_category != y->is_category)
        return x->is_category - y->is_category;
    return strcmp(x->name, y->name);
}

static int cmp_term(const void *a, const void *b);

/* Gives every term a slug of its own: its name's slug ("tag" when nothing
 * is left of it, as of "!!!"), and for names that share one ("C++", "C"
 * and "c" all give "c"), "-2", "-3"... in the order of the names' bytes.
 * Then sorts the terms by kind and slug. */
static void assign_slugs(terms *t)
{
    if (t->n > 1)
        qsort(t->v, t->n, sizeof *t->v, cmp_term_name);
    map *used = map_new();
    buf slug, key;
    buf_init(&slug);
    buf_init(&key);
    for (size_t i = 0; i < t->n; i++) {
        term *tm = &t->v[i];
        buf_reset(&slug);
        markdown_slug_with(&slug, tm->name, "tag");
        size_t base = slug.len;
        for (long k = 2;; k++) {
            buf_reset(&key);
            buf_printf(&key, "%c%s", tm->is_category ? 'c' : 't', slug.data);
            if (!map_get(used, key.data))
                break;
            buf_truncate(&slug, base);
            buf_printf(&slug, "-%ld", k);
        }
        map_put(used, key.data, (void *)1);
        tm->slug = xstrdup(slug.data);
    }
    map_free(used);
    buf_release(&slug);
    buf_release(&key);
    if (t->n > 1)
        qsort(t->v, t->n, sizeof *t->v, cmp_term);
}

static void terms_release(terms *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].name);
        free(t->v[i].slug);
        free(t->v[i].pages);
    }
    free(t->v);
    map_free(t->by_key);
    memset(t, 0, sizeof *t);
}

static void collect_terms(terms *t, const site *s)
{
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published)
            continue;
        for (int cat = 0; cat < 2; cat++) {
            const yaml_node *v = yaml_get(p->fm.data, cat ? "categories" : "tags");
            if (!v || yaml_is_null(v))
                continue;
            if (v->kind == YAML_SEQUENCE) {
                for (size_t j = 0; j < v->len; j++)
                    if (v->items[j]->kind == YAML_SCALAR)
                        add_term(t, p, v->items[j]->value, v->items[j]->value_len, cat);
            } else if (v->kind == YAML_SCALAR) {
                for (const char *q = v->value; *q;) {
                    while (*q && (isspace((unsigned char)*q) || *q == ','))
                        q++;
                    const char *e = q;
                    while (*e && !isspace((unsigned char)*e) && *e != ',')
                        e++;
                    if (e > q)
                        add_term(t, p, q, (size_t)(e - q), cat);
                    q = e;
                }
            }
        }
    }
}

static int cmp_term(const void *a, const void *b)
{
    const term *x = a, *y = b;
    if (x->is_category != y->is_category)
        return x->is_category - y->is_category;
    return strcmp(x->slug, y->slug);
}

static int render_terms(renderer *r, url_list *urls)
{
    const site *s = r->s;
    const terms t = r->terms;
    int err = 0;
    buf u, out;
    buf_init(&u);
    buf_init(&out);
    tpl_dict *index = tpl_dict_new();
    tpl_dict_set(index, "TITLE", "Tags and categories");
    full_url(&u, s, "/tags/");
    tpl_dict_set(index, "URL", u.data);
    tpl_dict *group = NULL;
    int group_kind = -1;
    for (size_t i = 0; i < t.n && !err; i++) {
        term *tm = &t.v[i];
        const char *dir = tm->is_category ? "categories" : "tags";
        tpl_dict *d = tpl_dict_new();
        buf_reset(&u);
        buf_printf(&u, "%s: %s", tm->is_category ? "Category" : "Tag", tm->name);
        tpl_dict_set(d, "TITLE", u.data);
        tpl_dict_set(d, "TAG_NAME", tm->name);
        tpl_dict_set(d, "TAG_KIND", tm->is_category ? "Category" : "Tag");
        buf_reset(&out);
        buf_printf(&out, "/%s/%s/", dir, tm->slug);
        buf_reset(&u);
        full_url(&u, s, out.data);
        tpl_dict_set(d, "URL", u.data);
        for (size_t j = 0; j < tm->n; j++) {
            tpl_dict *e = tpl_dict_add_section(d, "TAG_PAGE");
            const page *p = tm->pages[j];
            tpl_dict_set(e, "ENTRY_TITLE", p->title ? p->title : p->id);
            buf_reset(&out);
            full_url(&out, s, p->url);
            tpl_dict_set(e, "ENTRY_URL", out.data);
            set_shown(e, "ENTRY_DESCRIPTION", p->description);
        }
        buf_reset(&out);
        buf_printf(&out, "%s/%s/index.html", dir, tm->slug);
        if (!is_blocked(r, out.data))
            url_add(urls, dir, tm->slug);
        err = render_generated(r, "tag", out.data, d);
        tpl_dict_free(d);
        if (group_kind != tm->is_category) {
            group = tpl_dict_add_section(index, "TAG_GROUP");
            tpl_dict_set(group, "TAG_GROUP_TITLE", tm->is_category ? "Categories" : "Tags");
            group_kind = tm->is_category;
        }
        tpl_dict *e = tpl_dict_add_section(group, "TAG");
        tpl_dict_set(e, "TAG_NAME", tm->name);
        tpl_dict_set(e, "TAG_URL", u.data);
        tpl_dict_set_int(e, "TAG_COUNT", (long)tm->n);
    }
    if (!err && t.n && !is_blocked(r, "tags/index.html")) {
        err = render_generated(r, "tags", "tags/index.html", index);
        url_add(urls, "tags", NULL);
    }
    tpl_dict_free(index);
    buf_release(&u);
    buf_release(&out);
    return err;
}

/* The handbook: every approved policy's body, by section, in one page. Each
 * body was spooled when its page was rendered (Markdown is parsed once); the
 * layout renders once, with a slot where each body goes, and the page is
 * written in chunks, reading the bodies back one by one, so however many
 * policies there are, only one is in memory. Slots are recorded out of
 * band: no text of a page can pose as one. */
typedef struct handbook_stream {
    renderer *r;
    size_t *pages; /* by slot id: indexes into s->pages */
    size_t n;
    buf skeleton;
    tpl_slots slots;
    size_t pos;  /* how much of the skeleton is written */
    size_t next; /* the next slot to fill */
} handbook_stream;

/* Appends the spooled body of s->pages[i]. */
static int read_spooled(const renderer *r, size_t i, buf *out)
{
    const spooled *sp = &r->spooled[i];
    buf_grow(out, sp->len);
    size_t done = 0;
    while (done < sp->len) {
        ssize_t n = pread(r->spool_fd, out->data + out->len + done, sp->len - done,
                          (off_t)(sp->off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return diag_error(r->d, NULL, 0, 0, "io", "cannot read the handbook's spool: %s",
                              n < 0 ? strerror(errno) : "short read");
        done += (size_t)n;
    }
    out->len += done;
    out->data[out->len] = '\0';
    return 0;
}

static int handbook_fill(void *ctx, buf *chunk)
{
    handbook_stream *hs = ctx;
    /* Up to ~1 MB per chunk: skeleton text and the bodies it places. */
    while (hs->pos < hs->skeleton.len || hs->next < hs->slots.n) {
        if (chunk->len >= (1u << 20))
            return 1;
        size_t until = hs->next < hs->slots.n ? hs->slots.v[hs->next].offset : hs->skeleton.len;
        buf_add(chunk, hs->skeleton.data + hs->pos, until - hs->pos);
        hs->pos = until;
        if (hs->next < hs->slots.n) {
            size_t id = hs->slots.v[hs->next++].id;
            if (id < hs->n && read_spooled(hs->r, hs->pages[id], chunk) != 0)
                return -1;
        }
    }
    return 0;
}

/* The body of p as the handbook shows it: ids prefixed with the policy's
 * anchor, appended to the spool. Called from the thread rendering p. */
static void spool_body(renderer *r, size_t i, const page *p)
{
    buf anchor, body;
    buf_init(&anchor);
    buf_init(&body);
    handbook_anchor(&anchor, p);
    prefix_ids(&body, p->doc.html.data, p->doc.html.len, anchor.data);
    unsigned long long off = atomic_fetch_add(&r->spool_end, (unsigned long long)body.len);
    size_t done = 0;
    while (done < body.len) {
        ssize_t n = pwrite(r->spool_fd, body.data + done, body.len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            diag_error(r->d, NULL, 0, 0, "io", "cannot write the handbook's spool: %s",
                       strerror(errno));
            r->failed_write = 1;
            break;
        }
        done += (size_t)n;
    }
    r->spooled[i] = (spooled){off, body.len};
    buf_release(&anchor);
    buf_release(&body);
}

static int render_handbook(renderer *r)
{
    const site *s = r->s;
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set(d, "TITLE", "Policy handbook");
    handbook_stream hs = {r, NULL, 0, {0}, {0}, 0, 0};
    buf_init(&hs.skeleton);
    buf u, a;
    buf_init(&u);
    buf_init(&a);
    full_url(&u, s, "/handbook/");
    tpl_dict_set(d, "URL", u.data);
    char date[11];
    for (size_t k = 0; k < s->n_sections; k++) {
        const site_section *sec = &s->sections[k];
        tpl_dict *sd = NULL;
        for (size_t i = 0; i < sec->n_pages; i++) {
            const page *p = sec->pages[i];
            if (!in_handbook(p))
                continue;
            if (!sd) {
                sd = tpl_dict_add_section(d, "HANDBOOK_SECTION");
                tpl_dict_set(sd, "HANDBOOK_SECTION_TITLE", sec->title);
                tpl_dict_set(sd, "HANDBOOK_SECTION_SLUG", sec->slug);
            }
            tpl_dict *e = tpl_dict_add_section(sd, "HANDBOOK_POLICY");
            tpl_dict_set(e, "ENTRY_TITLE", p->title ? p->title : p->id);
            buf_reset(&u);
            full_url(&u, s, p->url);
            tpl_dict_set(e, "ENTRY_URL", u.data);
            buf_reset(&a);
            handbook_anchor(&a, p);
            tpl_dict_set(e, "ENTRY_ANCHOR", a.data);
            set_shown(e, "ENTRY_OWNER", p->owner);
            const yaml_node *ap = yaml_get(p->fm.data, "approver");
            set_shown(e, "ENTRY_APPROVER", ap && ap->kind == YAML_SCALAR ? ap->value : NULL);
            set_shown(e, "ENTRY_VERSION", p->version);
            if (p->last_reviewed >= 0) {
                date_format(date, p->last_reviewed);
                set_shown(e, "ENTRY_LAST_REVIEWED", date);
            }
            if (p->next_review >= 0) {
                date_format(date, p->next_review);
                set_shown(e, "ENTRY_NEXT_REVIEW", date);
            }
            tpl_dict_set_slot(e, "POLICY_CONTENT", hs.n);
            hs.pages = xrealloc(hs.pages, (hs.n + 1) * sizeof *hs.pages);
            hs.pages[hs.n++] = p->index;
        }
    }
    tpl_dict_set_int(d, "HANDBOOK_COUNT", (long)hs.n);
    int err = render_to_slots(r, "handbook", d, &hs.skeleton, &hs.slots);
    if (err == 0)
        err = output_stream(r->o, "handbook/index.html", handbook_fill, &hs, r->d);
    tpl_dict_free(d);
    free(hs.pages);
    tpl_slots_release(&hs.slots);
    buf_release(&hs.skeleton);
    buf_release(&u);
    buf_release(&a);
    return err < 0 ? -1 : 0;
}

/* A page with only a title: the 404 page, the review dashboard... */
static int render_simple(renderer *r, const char *name, const char *title, const char *url,
                         const char *out_file, void (*fill)(tpl_dict *d, const renderer *r))
{
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set(d, "TITLE", title);
    buf u;
    buf_init(&u);
    full_url(&u, r->s, url);
    tpl_dict_set(d, "URL", u.data);
    if (fill)
        fill(d, r);
    int err = render_generated(r, name, out_file, d);
    tpl_dict_free(d);
    buf_release(&u);
    return err;
}

static void fill_reviews(tpl_dict *d, const renderer *r)
{
    add_review_rows(d, r->s);
}

static void fill_frameworks(tpl_dict *d, const renderer *r)
{
    add_frameworks(d, r);
}

/* sitemap.xml: every page's URL. */
static void sitemap_url(buf *out, buf *u, const site *s, const char *url)
{
    buf_reset(u);
    full_url(u, s, url);
    buf_adds(out, "  <url><loc>");
    xml_escape(out, u->data, u->len);
    buf_adds(out, "</loc></url>\n");
}

static int write_sitemap(renderer *r, char *const *extra, size_t n_extra)
{
    const site *s = r->s;
    buf out, u;
    buf_init(&out);
    buf_init(&u);
    buf_adds(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (size_t i = 0; i < s->n_pages; i++)
        if (s->pages[i]->ok && s->pages[i]->published)
            sitemap_url(&out, &u, s, s->pages[i]->url);
    for (size_t i = 0; i < n_extra; i++)
        sitemap_url(&out, &u, s, extra[i]);
    buf_adds(&out, "</urlset>\n");
    int err = output_write(r->o, "sitemap.xml", out.data, out.len, r->d);
    buf_release(&out);
    buf_release(&u);
    return err;
}

/* One entry of search.json, on one line; section may be NULL. */
static void search_entry(json_writer *w, const char *title, const char *url, const char *section,
                         const char *text)
{
    json_begin_object(w, JSON_LINE);
    json_member_str(w, "title", title);
    json_member_str(w, "url", url);
    json_member_str(w, "section", section);
    json_member_str(w, "text", text);
    json_end(w);
}

/* search.json: title, URL, section and text of every page, and of every
 * control page when the theme has them ("A.5.15 Access control"). */
static int write_search_index(renderer *r)
{
    const site *s = r->s;
    buf out, u, t, x;
    buf_init(&out);
    buf_init(&u);
    buf_init(&t);
    buf_init(&x);
    json_writer w;
    json_writer_init(&w, &out, 0);
    json_begin_object(&w, JSON_LINE);
    json_key(&w, "pages");
    json_begin_array(&w, JSON_BLOCK);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published)
            continue;
        buf_reset(&u);
        full_url(&u, s, p->url);
        search_entry(&w, p->title ? p->title : p->id, u.data, p->section_title,
                     p->search_text ? p->search_text : "");
    }
    size_t nf = 0;
    const framework *fws =
        s->catalog && has_layout(s, "control") ? catalog_frameworks(s->catalog, &nf) : NULL;
    for (size_t f = 0; f < nf; f++)
        for (size_t i = 0; i < fws[f].n_controls; i++) {
            const control *c = &fws[f].controls[i];
            buf_reset(&t);
            buf_printf(&t, "%s %s", c->id, c->title ? c->title : "");
            buf_reset(&u);
            control_url(&u, s, c);
            buf_reset(&x);
            buf_printf(&x, "%s %s", c->group ? c->group : "",
                       c->justification ? c->justification : "");
            search_entry(&w, t.data, u.data, fws[f].name, x.data);
        }
    json_end(&w);
    json_end(&w);
    buf_addc(&out, '\n');
    json_writer_release(&w);
    int err = output_write(r->o, "search.json", out.data, out.len, r->d);
    buf_release(&out);
    buf_release(&u);
    buf_release(&t);
    buf_release(&x);
    return err;
}

/* --- the plan: every output path, claimed before anything is written ------------ */

typedef struct claim {
    const page *page; /* the page it is the output of, or NULL */
    char *what;       /* otherwise what writes it: "the handbook" */
} claim;

static void free_claim(void *ctx, const char *key, void *value)
{
    (void)ctx;
    (void)key;
    claim *c = value;
    free(c->what);
    free(c);
}

/* Claims out_file for a generated output (`what` names it in messages).
 * Returns 1 when it is free. When a page has that path already, reports
 * the collision at the page (its permalink) and returns 0: the page is kept
 * and the generated output is not written, so nothing silently replaces
 * anything, and the build fails. */
static int claim_output(renderer *r, const char *out_file, const char *what)
{
    const claim *held = map_get(r->claims, out_file);
    if (!held) {
        claim *c = xcalloc(1, sizeof *c);
        c->what = xstrdup(what);
        map_put(r->claims, out_file, c);
        return 1;
    }
    if (held->page) {
        const page *p = held->page;
        const yaml_node *pl = yaml_get(p->fm.data, "permalink");
        diag_error(r->d, p->src, pl ? pl->line : 1, pl ? pl->col : 1, "output-collision",
                   "'%s' is claimed by this page and by %s, which charter generates; change the "
                   "page's permalink",
                   out_file, what);
    } else {
        diag_error(r->d, NULL, 0, 0, "output-collision", "'%s' is claimed by both %s and %s",
                   out_file, held->what, what);
    }
    map_put(r->blocked, out_file, (void *)1);
    return 0;
}

/* True when a generated output lost its path to a page (not written). */
static int is_blocked(const renderer *r, const char *out_file)
{
    return map_get(r->blocked, out_file) != NULL;
}

/* Claims every output the build writes: the pages and static files (whose
 * own collisions the model reported), then every generated output, in the
 * order they are generated. Runs for `charter check` too, so a permalink
 * that would take the handbook's place is a finding before any build. */
static void plan_outputs(renderer *r)
{
    const site *s = r->s;
    buf p, w;
    buf_init(&p);
    buf_init(&w);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *pg = s->pages[i];
        if (!pg->ok || !pg->published || pg->collides)
            continue;
        claim *c = xcalloc(1, sizeof *c);
        c->page = pg;
        map_put(r->claims, pg->out_file, c);
    }
    for (size_t i = 0; i < s->n_statics; i++) {
        claim *c = xcalloc(1, sizeof *c);
        buf_reset(&w);
        buf_printf(&w, "the file '%s'", s->statics[i].src);
        c->what = xstrdup(w.data);
        claim *prev = map_put(r->claims, s->statics[i].out_file, c);
        if (prev)
            free_claim(NULL, NULL, prev); /* two files: reported by the model */
    }
    if (s->catalog && has_layout(s, "control")) {
        size_t nf;
        const framework *fws = catalog_frameworks(s->catalog, &nf);
        for (size_t f = 0; f < nf; f++)
            for (size_t i = 0; i < fws[f].n_controls; i++) {
                buf_reset(&p);
                buf_reset(&w);
                buf_printf(&p, "controls/%s/%s/index.html", fws[f].id, fws[f].controls[i].id);
                buf_printf(&w, "the page of control '%s'", fws[f].controls[i].id);
                claim_output(r, p.data, w.data);
            }
    }
    static const struct {
        const char *layout, *out_file, *what;
        int needs_catalog;
    } pages[] = {
        {"controls", "controls/index.html", "the controls index", 1},
        {"soa", "soa/index.html", "the statement of applicability", 1},
        {"dashboard", "reviews/index.html", "the review dashboard", 0},
        {"handbook", "handbook/index.html", "the handbook", 0},
        {"changelog", "changelog/index.html", "the changelog", 0},
        {"404", "404.html", "the 404 page", 0},
    };
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        if ((!pages[i].needs_catalog || s->catalog) && has_layout(s, pages[i].layout))
            claim_output(r, pages[i].out_file, pages[i].what);
    if (has_layout(s, "tag")) {
        for (size_t i = 0; i < r->terms.n; i++) {
            const term *tm = &r->terms.v[i];
            buf_reset(&p);
            buf_reset(&w);
            buf_printf(&p, "%s/%s/index.html", tm->is_category ? "categories" : "tags", tm->slug);
            buf_printf(&w, "the page of %s '%s'", tm->is_category ? "category" : "tag", tm->name);
            claim_output(r, p.data, w.data);
        }
        if (r->terms.n && has_layout(s, "tags"))
            claim_output(r, "tags/index.html", "the tags index");
    }
    /* Always reserved, whether or not this run writes them (feed.xml needs
     * git): a page's URL must not depend on where the site is built. */
    claim_output(r, "feed.xml", "the Atom feed");
    claim_output(r, "sitemap.xml", "the sitemap");
    claim_output(r, "search.json", "the search index");
    claim_output(r, "api/pages.json", "the page index api/pages.json");
    claim_output(r, OUTPUT_MANIFEST, "the output manifest");
    buf_release(&p);
    buf_release(&w);
}

/* Everything beyond the content pages, after them (the handbook needs their
 * HTML, search their text). */
/* Everything beyond the content pages, after them (the handbook needs their
 * HTML, search their text). */
static int render_generated_pages(renderer *r)
{
    const site *s = r->s;
    int err = 0;
    url_list urls = {NULL, 0};
    if (has_layout(s, "control") && s->catalog) {
        control_jobs cj = {r, NULL, 0};
        size_t nf;
        const framework *fws = catalog_frameworks(s->catalog, &nf);
        for (size_t f = 0; f < nf; f++)
            for (size_t i = 0; i < fws[f].n_controls; i++) {
                cj.v = xrealloc(cj.v, (cj.n + 1) * sizeof *cj.v);
                cj.v[cj.n++] = (control_job){&fws[f].controls[i], &fws[f]};
                buf cu;
                buf_init(&cu);
                buf_printf(&cu, "controls/%s/%s/index.html", fws[f].id, fws[f].controls[i].id);
                int blocked = is_blocked(r, cu.data);
                buf_reset(&cu);
                buf_printf(&cu, "controls/%s", fws[f].id);
                if (!blocked)
                    url_add(&urls, cu.data, fws[f].controls[i].id);
                buf_release(&cu);
            }
        pool_run(cj.n, render_control_page, &cj);
        free(cj.v);
    }
    if (s->catalog && has_layout(s, "controls") && !is_blocked(r, "controls/index.html")) {
        err |= render_simple(r, "controls", "Controls", "/controls/", "controls/index.html",
                             fill_frameworks);
        url_add(&urls, "controls", NULL);
    }
    if (s->catalog && has_layout(s, "soa") && !is_blocked(r, "soa/index.html")) {
        err |= render_simple(r, "soa", "Statement of Applicability", "/soa/", "soa/index.html",
                             fill_frameworks);
        url_add(&urls, "soa", NULL);
    }
    if (has_layout(s, "dashboard") && !is_blocked(r, "reviews/index.html")) {
        err |= render_simple(r, "dashboard", "Review dashboard", "/reviews/", "reviews/index.html",
                             fill_reviews);
        url_add(&urls, "reviews", NULL);
    }
    if (has_layout(s, "handbook") && !is_blocked(r, "handbook/index.html")) {
        err |= render_handbook(r);
        url_add(&urls, "handbook", NULL);
    }
    if (has_changelog(s, r) && history_found(s->history))
        url_add(&urls, "changelog", NULL);
    if (has_layout(s, "tag"))
        err |= render_terms(r, &urls);
    if (has_layout(s, "404"))
        err |= render_simple(r, "404", "Page not found", "/404.html", "404.html", NULL);
    if (!is_blocked(r, "sitemap.xml"))
        err |= write_sitemap(r, urls.v, urls.n);
    if (!is_blocked(r, "search.json"))
        err |= write_search_index(r);
    for (size_t i = 0; i < urls.n; i++)
        free(urls.v[i]);
    free(urls.v);
    return err ? -1 : 0;
}

/* Includes are read like every source (fs_read_source): inside the site,
 * regular files only, within limits.file_bytes. */
static int read_include(void *ctx, const char *name, buf *out, int *missing, diags *d)
{
    const site *s = ctx;
    buf rel;
    buf_init(&rel);
    buf_printf(&rel, "%s/%s", s->cfg.layouts, name);
    int err = -1, kind = fs_source_kind(&s->fs, rel.data, NULL, d);
    *missing = kind == FS_MISSING;
    if (kind == FS_FILE || kind == FS_SPECIAL || kind == FS_DIR)
        err = fs_read_source(out, &s->fs, rel.data, s->cfg.limits.file_bytes,
                             "limits.file_bytes", d);
    buf_release(&rel);
    return err;
}

int render_site(site *s, output *o, diags *d)
{
    renderer r = {.s = s, .o = o, .d = d};
    buf dir;
    buf_init(&dir);
    site_path(&dir, s, s->cfg.layouts);
    r.set = tpl_set_new(dir.data, s->cfg.template_strip, TPL_AUTO_REQUIRED);
    tpl_set_reader(r.set, read_include, s);
    r.layouts = map_new();
    int err = 0;
    /* Layouts first, on one thread: compiling is not thread-safe, and each
     * layout is compiled once however many pages use it. */
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        if (!p->ok || !p->published)
            continue;
        const yaml_node *v = yaml_get(p->fm.data, "layout");
        layout_get(&r, p->layout, p->src, v ? v->line : 1, v ? v->col : 1, 0);
    }
    /* The generated pages' layouts too, before any thread renders. */
    static const char *const generated[] = {"control", "controls", "soa", "dashboard", "handbook",
                                            "tag",     "tags",     "404", "changelog"};
    if (o)
        for (size_t i = 0; i < sizeof generated / sizeof *generated; i++)
            if (has_layout(s, generated[i]))
                layout_get(&r, generated[i], NULL, 0, 0, 0);
    r.terms = (terms){NULL, 0, 0, map_new()};
    collect_terms(&r.terms, s);
    assign_slugs(&r.terms);
    r.claims = map_new();
    r.blocked = map_new();
    plan_outputs(&r);
    r.spool_fd = -1;
    if (o && has_layout(s, "handbook") && !is_blocked(&r, "handbook/index.html")) {
        r.spool_fd = output_scratch(o, d);
        if (r.spool_fd < 0)
            r.failed_write = 1;
        r.spooled = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *r.spooled);
    }
    r.cited = o && s->catalog ? build_citations(s) : NULL;
    r.shared = shared_dict(s, &r);
    markdown_init();
    pool_run(s->n_pages, render_page, &r);
    if (o)
        pool_run(s->n_statics, copy_static, &r);
    if (o && history_found(s->history) &&
        (render_changelog(&r) != 0 || (!is_blocked(&r, "feed.xml") && write_feed(&r) != 0)))
        r.failed_write = 1;
    if (o && render_generated_pages(&r) != 0)
        r.failed_write = 1;
    if (r.cited) {
        map_each(r.cited, free_cites, NULL);
        map_free(r.cited);
    }
    if (r.failed_write)
        err = -1;
    if (r.spool_fd >= 0)
        close(r.spool_fd);
    free(r.spooled);
    terms_release(&r.terms);
    map_each(r.claims, free_claim, NULL);
    map_free(r.claims);
    map_free(r.blocked);
    tpl_dict_free(r.shared);
    for (size_t i = 0; i < r.n_all; i++)
        layout_free(r.all[i]);
    free(r.all);
    map_free(r.layouts);
    tpl_set_free(r.set);
    buf_release(&dir);
    return err;
}
