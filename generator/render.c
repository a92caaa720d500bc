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

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

typedef struct renderer {
    site *s;
    const output *o;
    diags *d;
    tpl_set *set;
    map *layouts; /* name -> layout */
    layout **all;
    size_t n_all;
    tpl_dict *shared;
    int failed_write;
} renderer;

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
    buf rel, path;
    buf_init(&rel);
    buf_init(&path);
    buf_printf(&rel, "%s/%s.html", r->s->cfg.layouts, name);
    site_path(&path, r->s, rel.data);
    layout *result = NULL;
    if (fs_is_dir(path.data) != 0) {
        diag_error(r->d, file, line, col, "unknown-layout", "unknown layout '%s' (no '%s')", name,
                   rel.data);
        goto done;
    }
    if (fs_read(&l->text, path.data, rel.data, r->d) != 0)
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
    buf_release(&path);
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

static void full_url(buf *out, const site *s, const char *url)
{
    buf_adds(out, s->cfg.base_url);
    buf_adds(out, url + 1);
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

static tpl_dict *shared_dict(const site *s, const renderer *r)
{
    tpl_dict *d = tpl_dict_new();
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
        if (!p->section_title || strcmp(sec->title, p->section_title) != 0)
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
            const control *c = id ? catalog_find(s->catalog, id) : NULL;
            tpl_dict *cd = tpl_dict_add_section(d, "CONTROLS");
            tpl_dict_set(cd, "CONTROL_ID", c ? c->id : id ? id : "");
            if (c) {
                set_shown(cd, "CONTROL_TITLE", c->title);
                set_shown(cd, "CONTROL_GROUP", c->group);
                set_shown(cd, "CONTROL_FRAMEWORK", c->framework);
            }
        }
    }
    if (s->history)
        add_history(d, s, history_page(s->history, index));
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

static void render_page(void *arg, size_t i)
{
    renderer *r = arg;
    page *p = r->s->pages[i];
    if (!p->ok || !p->published)
        return;
    link_ctx lc = {r->s, p};
    md_options opt = {p->src, p->fm.body_line, r->s->cfg.unsafe_html, rewrite_link, &lc};
    if (markdown_render(&p->doc, p->text.data + p->fm.body_start, p->text.len - p->fm.body_start,
                        &opt, r->d) != 0) {
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
    buf html, next;
    buf_init(&html);
    buf_init(&next);
    buf_grow(&html, p->doc.html.len + 16384);
    buf_add(&html, p->doc.html.data, p->doc.html.len);
    int err = 0;
    for (; l && err == 0; l = l->parent) {
        tpl_dict_set_ref(d, "CONTENT", html.data, html.len);
        buf_reset(&next);
        buf_grow(&next, html.len + 16384);
        err = tpl_render(l->tpl, d, &next, r->d);
        buf t = html;
        html = next;
        next = t;
    }
    if (err == 0 && output_write(r->o, p->out_file, html.data, html.len, r->d) != 0)
        r->failed_write = 1;
    tpl_dict_free(d);
    buf_release(&html);
    buf_release(&next);
    /* The page is written: keep its headings and links (for the checks), not
     * its bytes, so memory stays flat however large the site. */
    buf_release(&p->doc.html);
    buf_release(&p->text);
}

static void copy_static(void *arg, size_t i)
{
    renderer *r = arg;
    buf src;
    buf_init(&src);
    site_path(&src, r->s, r->s->statics[i].src);
    if (output_copy(r->o, r->s->statics[i].out_file, src.data, r->d) != 0)
        r->failed_write = 1;
    buf_release(&src);
}

/* --- the changelog page and the feed ------------------------------------------- */

/* layouts/changelog.html exists and no page of the site claims /changelog/. */
static int has_changelog(const site *s, const renderer *r)
{
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s/changelog.html", s->cfg.layouts);
    buf full;
    buf_init(&full);
    site_path(&full, s, path.data);
    int ok = fs_is_dir(full.data) == 0; /* a file, not a directory */
    buf_release(&path);
    buf_release(&full);
    (void)r;
    return ok && !map_get(s->by_url, "/changelog/");
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

/* changelog/index.html through layouts/changelog.html (and its parents),
 * when the theme has that layout: CHANGES, newest first. */
static int render_changelog(renderer *r)
{
    const site *s = r->s;
    if (!has_changelog(s, r))
        return 0;
    layout *l = layout_get(r, "changelog", NULL, 0, 0, 0);
    if (!l)
        return 0; /* reported by layout_get */
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set_shared(d, r->shared);
    tpl_dict_set(d, "TITLE", "Changelog");
    buf u, html, next;
    buf_init(&u);
    buf_init(&html);
    buf_init(&next);
    full_url(&u, s, "/changelog/");
    tpl_dict_set(d, "URL", u.data);
    size_t n;
    const change *ch = history_changes(s->history, &n);
    if (n)
        tpl_dict_show_section(d, "HAS_CHANGES");
    for (size_t i = 0; i < n; i++)
        set_change(tpl_dict_add_section(d, "CHANGES"), s, &ch[i]);
    int err = 0;
    for (; l && err == 0; l = l->parent) {
        tpl_dict_set_ref(d, "CONTENT", html.data, html.len);
        buf_reset(&next);
        err = tpl_render(l->tpl, d, &next, r->d);
        buf t = html;
        html = next;
        next = t;
    }
    if (err == 0)
        err = output_write(r->o, "changelog/index.html", html.data, html.len, r->d);
    tpl_dict_free(d);
    buf_release(&u);
    buf_release(&html);
    buf_release(&next);
    return err;
}

static void xml_escape(buf *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '&')
            buf_adds(out, "&amp;");
        else if (*s == '<')
            buf_adds(out, "&lt;");
        else if (*s == '>')
            buf_adds(out, "&gt;");
        else if (*s == '"')
            buf_adds(out, "&quot;");
        else
            buf_addc(out, *s);
    }
}

/* feed.xml: an Atom feed of the newest 50 policy changes. Entry ids are
 * urn:uuid: IRIs made from the commit ids, stable across builds. */
static int write_feed(renderer *r)
{
    const site *s = r->s;
    size_t n;
    const change *ch = history_changes(s->history, &n);
    buf out, u;
    buf_init(&out);
    buf_init(&u);
    buf_adds(&out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>");
    xml_escape(&out, s->cfg.title);
    buf_adds(&out, ": policy changes</title>\n");
    full_url(&u, s, "/feed.xml");
    buf_adds(&out, "  <link rel=\"self\" href=\"");
    xml_escape(&out, u.data);
    buf_adds(&out, "\"/>\n  <id>");
    if (url_is_external(u.data)) {
        xml_escape(&out, u.data);
    } else {
        /* No absolute address: a urn:uuid: from the site's title, stable. */
        uint64_t h1 = 1469598103934665603ULL, h2 = 0x9e3779b97f4a7c15ULL;
        for (const char *c = s->cfg.title; *c; c++) {
            h1 = (h1 ^ (unsigned char)*c) * 1099511628211ULL;
            h2 = (h2 ^ (unsigned char)*c) * 1099511628211ULL;
        }
        buf_printf(&out, "urn:uuid:%08x-%04x-%04x-%04x-%012llx", (unsigned)(h1 >> 32),
                   (unsigned)(h1 >> 16) & 0xffff, (unsigned)h1 & 0xffff, (unsigned)(h2 >> 48),
                   (unsigned long long)(h2 & 0xffffffffffffULL));
    }
    buf_printf(&out, "</id>\n  <updated>%sT00:00:00Z</updated>\n",
               n ? ch[0].row->date : "1970-01-01");
    for (size_t i = 0; i < n && i < 50; i++) {
        const hist_row *row = ch[i].row;
        const char *c = row->commit;
        buf_adds(&out, "  <entry>\n    <title>");
        xml_escape(&out, row->summary);
        buf_printf(&out,
                   "</title>\n    <id>urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s</id>\n"
                   "    <updated>%sT00:00:00Z</updated>\n    <author><name>",
                   c, c + 8, c + 12, c + 16, c + 20, row->date);
        xml_escape(&out, row->author);
        buf_adds(&out, "</name></author>\n");
        buf_reset(&u);
        full_url(&u, s, s->pages[ch[i].pages[0]]->url);
        buf_adds(&out, "    <link href=\"");
        xml_escape(&out, u.data);
        buf_adds(&out, "\"/>\n    <content type=\"html\">");
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
        xml_escape(&out, html.data);
        buf_release(&html);
        buf_adds(&out, "</content>\n  </entry>\n");
    }
    buf_adds(&out, "</feed>\n");
    int err = output_write(r->o, "feed.xml", out.data, out.len, r->d);
    buf_release(&out);
    buf_release(&u);
    return err;
}

int render_site(site *s, const output *o, diags *d)
{
    renderer r = {.s = s, .o = o, .d = d};
    buf dir;
    buf_init(&dir);
    site_path(&dir, s, s->cfg.layouts);
    r.set = tpl_set_new(dir.data, s->cfg.template_strip, TPL_AUTO_REQUIRED);
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
    r.shared = shared_dict(s, &r);
    markdown_init();
    pool_run(s->n_pages, render_page, &r);
    if (o)
        pool_run(s->n_statics, copy_static, &r);
    if (o && history_found(s->history) && (render_changelog(&r) != 0 || write_feed(&r) != 0))
        r.failed_write = 1;
    if (r.failed_write)
        err = -1;
    tpl_dict_free(r.shared);
    for (size_t i = 0; i < r.n_all; i++)
        layout_free(r.all[i]);
    free(r.all);
    map_free(r.layouts);
    tpl_set_free(r.set);
    buf_release(&dir);
    return err;
}
