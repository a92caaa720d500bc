/* layout: loading layout chains once, at load, and rendering through them
 * (see layout.h). A layout or include the site's layouts directory lacks
 * comes from the default theme compiled in (embed.h), file by file.
 * Compiling is not thread-safe, so everything is compiled here on one
 * thread; rendering is, for distinct dictionaries. */
#include "layout.h"

#include "digest.h"
#include "embed.h"
#include "fs.h"
#include "map.h"
#include "site.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LAYOUT_DEPTH 16

static int layout_exists(const site *s, const char *name);

/* What a page naming a layout that nowhere exists is rendered with: the
 * layout a page without `layout:` gets (default_layout: `policy`, or a
 * Jekyll site's `page`), when there is one; a policy's is `policy` (a
 * Jekyll policy's `layout: default` shows its owner and change table). */
static const char *fallback_layout(const site *s, int policy)
{
    const char *d = s->cfg.default_layout;
    return !policy && d && strcmp(d, "policy") != 0 && layout_exists(s, d) ? d : "policy";
}

const char *const layout_generated[] = {"control",   "controls", "soa",  "dashboard",
                                        "handbook",  "tag",      "tags", "404",
                                        "changelog", "folder",   "home", NULL};

struct layout {
    char *name;
    tpl *tpl;
    struct layout *parent;
    frontmatter fm;
    buf text;
    int state;          /* 1 loading, 2 loaded, -1 failed */
    int lists_sections; /* the chain mentions SECTIONS (layout_lists_sections) */
    int shows_changes;  /* the chain mentions RECENT_CHANGES (layout_shows_changes) */
};

struct layouts {
    const site *s;
    tpl_set *set;
    map *by_name;  /* name -> layout */
    map *present;  /* name -> 1: the theme has the file */
    map *fallback; /* name -> 1: a page names it, no theme has it */
    layout **all;
    size_t n_all;
    /* Every template text the theme read (layouts and includes, with their
     * names), as read: what a rendered page depends on besides its data. */
    digest *texts;
    char hex[DIGEST_HEX];
};

static int valid_layout_name(const char *name)
{
    if (!*name)
        return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return 0;
    return name[0] != '_';
}

/* The default theme's copy of `name` (relative to the layouts directory:
 * "policy.html", "_includes/nav.html"), or NULL. */
static const embed_file *theme_file(const char *name)
{
    buf rel;
    buf_init(&rel);
    buf_printf(&rel, "layouts/%s", name);
    const embed_file *f = embed_find(rel.data);
    buf_release(&rel);
    return f;
}

/* Includes are read like every source (fs_read_source): inside the site,
 * regular files only, within limits.file_bytes. One the site does not
 * have comes from the default theme. */
static int read_include(void *ctx, const char *name, buf *out, buf *shown, int *missing, diags *d)
{
    layouts *ls = ctx;
    const site *s = ls->s;
    size_t start = out->len;
    buf rel;
    buf_init(&rel);
    buf_printf(&rel, "%s/%s", s->cfg.layouts, name);
    int err = -1, kind = fs_source_kind(&s->fs, rel.data, NULL, d);
    const embed_file *f = kind == FS_MISSING ? theme_file(name) : NULL;
    *missing = kind == FS_MISSING && !f;
    if (kind == FS_FILE || kind == FS_SPECIAL || kind == FS_DIR) {
        err =
            fs_read_source(out, &s->fs, rel.data, s->cfg.limits.file_bytes, "limits.file_bytes", d);
    } else if (f) {
        buf_add(out, f->data, f->len);
        embed_shown(shown, f);
        err = 0;
    }
    if (err == 0) {
        digest_add(ls->texts, name, strlen(name) + 1);
        digest_add(ls->texts, out->data + start, out->len - start);
    }
    if (err == 0 && !f) {
        /* Copied into every page that includes it: bytes that are not
         * UTF-8, and NUL, are reported (the build stops) and replaced, as
         * a page's are. */
        buf clean;
        buf_init(&clean);
        if (diag_check_text(&clean, out->data + start, out->len - start, rel.data, 1, d)) {
            out->len = start;
            buf_add(out, clean.data, clean.len);
        }
        buf_release(&clean);
    }
    buf_release(&rel);
    return err;
}

/* Whether layout `name` is there to load, in the site or the default theme
 * (a link out of the site counts: loading it reports it). Reports nothing. */
static int layout_exists(const site *s, const char *name)
{
    if (!valid_layout_name(name))
        return 0;
    buf rel;
    buf_init(&rel);
    buf_printf(&rel, "%s/%s.html", s->cfg.layouts, name);
    diags *quiet = diag_new(NULL);
    int kind = fs_source_kind(&s->fs, rel.data, NULL, quiet);
    diag_free(quiet);
    buf_reset(&rel);
    buf_printf(&rel, "%s.html", name);
    int found = (kind != FS_MISSING && kind != FS_DIR) || theme_file(rel.data);
    buf_release(&rel);
    return found;
}

/* Loads layout `name` and its parents. `file`/`line`/`col` locate whoever
 * asked for it (a page's `layout` key or a layout's), for the message. */
static layout *layout_get(layouts *ls, const char *name, const char *file, int line, int col,
                          int depth, diags *d)
{
    const site *s = ls->s;
    layout *l = map_get(ls->by_name, name);
    if (l) {
        if (l->state == 1) {
            diag_error(d, file, line, col, "unknown-layout",
                       "layout '%s' is its own ancestor (a layout cycle)", name);
            return NULL;
        }
        return l->state == 2 ? l : NULL;
    }
    l = xcalloc(1, sizeof *l);
    l->name = xstrdup(name);
    buf_init(&l->text);
    map_put(ls->by_name, name, l);
    ls->all = xgrow(ls->all, ls->n_all, sizeof *ls->all);
    ls->all[ls->n_all++] = l;
    l->state = -1;
    if (!valid_layout_name(name)) {
        diag_error(d, file, line, col, "unknown-layout",
                   "layout name '%s' must be a plain name like 'policy'", name);
        return NULL;
    }
    if (depth > MAX_LAYOUT_DEPTH) {
        diag_error(d, file, line, col, "unknown-layout", "layouts nest deeper than %d levels",
                   MAX_LAYOUT_DEPTH);
        return NULL;
    }
    buf rel, tname, shown, clean;
    buf_init(&rel);
    buf_init(&tname);
    buf_init(&shown);
    buf_init(&clean);
    buf_printf(&rel, "%s/%s.html", s->cfg.layouts, name);
    buf_printf(&tname, "%s.html", name);
    layout *result = NULL;
    const embed_file *ef = NULL;
    int kind = fs_source_kind(&s->fs, rel.data, NULL, d);
    if (kind < 0)
        goto done;
    if (kind == FS_MISSING || kind == FS_DIR) {
        if (!(ef = theme_file(tname.data))) {
            diag_error(d, file, line, col, "unknown-layout",
                       "unknown layout '%s' (no '%s', nor one in the default theme)", name,
                       rel.data);
            goto done;
        }
        buf_add(&l->text, ef->data, ef->len);
        embed_shown(&shown, ef);
    } else if (fs_read_source(&l->text, &s->fs, rel.data, s->cfg.limits.file_bytes,
                              "limits.file_bytes", d) != 0) {
        goto done;
    }
    /* How messages name it: the site's file, or the embedded one. */
    const char *src = ef ? shown.data : rel.data;
    if (frontmatter_parse(&l->fm, l->text.data, l->text.len, src, d) != 0)
        goto done;
    l->state = 1;
    const yaml_node *parent = yamltree_get(l->fm.data, "layout");
    if (parent && !yamltree_is_null(parent)) {
        const char *pname;
        if (yamltree_as_string(&pname, parent, "layout", src, d) != 0)
            goto done;
        l->parent =
            layout_get(ls, pname, src, yamltree_line(parent), yamltree_col(parent), depth + 1, d);
        if (!l->parent)
            goto done;
    }
    /* Copied into every page that uses it: a body's bytes that are not
     * UTF-8, and NUL, are reported (the build stops) and replaced, as a
     * page's are; its front matter's are frontmatter_parse's. */
    const char *body = l->text.data + l->fm.body_start;
    size_t body_len = l->text.len - l->fm.body_start;
    if (!ef && diag_check_text(&clean, body, body_len, src, l->fm.body_line, d)) {
        body = clean.data;
        body_len = clean.len;
    }
    l->tpl = tpl_set_add_shown(ls->set, tname.data, ef ? shown.data : NULL, body, body_len,
                               l->fm.body_line - 1, d);
    if (!l->tpl)
        goto done;
    l->lists_sections =
        tpl_mentions(l->tpl, "SECTIONS") || (l->parent && l->parent->lists_sections);
    l->shows_changes = tpl_mentions(l->tpl, "RECENT_CHANGES") ||
                       tpl_mentions(l->tpl, "HAS_RECENT_CHANGES") ||
                       (l->parent && l->parent->shows_changes);
    l->state = 2;
    result = l;
done:
    if (!result)
        l->state = -1;
    buf_release(&rel);
    buf_release(&tname);
    buf_release(&shown);
    buf_release(&clean);
    return result;
}

/* Reports, at a page's `layout:` key, that layout `name` exists nowhere
 * and which one the page gets instead. */
static void warn_fallback(const site *s, const char *file, int line, int col, const char *name,
                          int policy, diags *d)
{
    if (valid_layout_name(name))
        diag_warning(d, file, line, col, "unknown-layout",
                     "unknown layout '%s' (no '%s/%s.html', nor one in the default theme): the "
                     "page uses '%s' instead",
                     name, s->cfg.layouts, name, fallback_layout(s, policy));
    else
        diag_warning(d, file, line, col, "unknown-layout",
                     "layout name '%s' must be a plain name like 'policy': the page uses '%s' "
                     "instead",
                     name, fallback_layout(s, policy));
}

layouts *layouts_load(const site *s, diags *d)
{
    layouts *ls = xcalloc(1, sizeof *ls);
    ls->s = s;
    ls->by_name = map_new();
    ls->present = map_new();
    ls->fallback = map_new();
    /* The set reads through read_include: its folder only names the files
     * in findings, and as the site's other findings do, relative to the
     * site (a site's full path there was joined to it again when shown). */
    ls->set = tpl_set_new(s->cfg.layouts, s->cfg.template_strip, TPL_AUTO_REQUIRED);
    tpl_set_reader(ls->set, read_include, ls);
    ls->texts = digest_new();
    int strip = (int)s->cfg.template_strip;
    digest_add(ls->texts, &strip, sizeof strip);
    /* default_layout must name a layout: said once, at the setting, rather
     * than as a fallback warning at every page that names none. */
    const char *dl = s->cfg.default_layout;
    if (dl && strcmp(dl, "policy") != 0 && !layout_exists(s, dl)) {
        const yaml_node *n = yamltree_get(s->cfg.yaml, "default_layout");
        diag_error(d, s->cfg.file, n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0, "config",
                   "'default_layout' names '%s', which is neither in '%s' nor in the default "
                   "theme",
                   dl, s->cfg.layouts);
    }
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published)
            continue;
        const yaml_node *v = yamltree_get(p->fm.data, "layout");
        int line = v ? yamltree_line(v) : 1, col = v ? yamltree_col(v) : 1;
        const char *name = p->layout;
        /* A layout no theme has is a warning, not a lost page: the page
         * is rendered with the fallback (a Jekyll page's `layout: post`). */
        if (map_get(ls->fallback, name) ||
            (!map_get(ls->by_name, name) && !layout_exists(s, name))) {
            warn_fallback(s, p->src, line, col, name, p->policy, d);
            map_put(ls->fallback, name, (void *)1);
            name = fallback_layout(s, p->policy);
        }
        layout_get(ls, name, p->src, line, col, 0, d);
    }
    /* The generated pages' layouts, where the theme has them (the default
     * theme has them all): a missing one is no error (that page is just not
     * made); a broken one is. */
    for (const char *const *g = layout_generated; *g; g++) {
        if (!layout_exists(s, *g))
            continue;
        map_put(ls->present, *g, (void *)1);
        layout_get(ls, *g, NULL, 0, 0, 0, d);
    }
    for (size_t i = 0; i < ls->n_all; i++) {
        const layout *l = ls->all[i];
        digest_add(ls->texts, l->name, strlen(l->name) + 1);
        digest_add(ls->texts, l->text.data, l->text.len);
        int state = l->state;
        digest_add(ls->texts, &state, sizeof state);
    }
    digest_hex(ls->texts, ls->hex);
    digest_free(ls->texts);
    ls->texts = NULL;
    return ls;
}

const char *layouts_digest(const layouts *ls)
{
    return ls->hex;
}

int layout_lists_sections(const layout *l)
{
    return l && l->lists_sections;
}

int layout_shows_changes(const layout *l)
{
    return l && l->shows_changes;
}

const char *layout_name(const layout *l)
{
    return l->name;
}

void layouts_free(layouts *ls)
{
    if (!ls)
        return;
    for (size_t i = 0; i < ls->n_all; i++) {
        layout *l = ls->all[i];
        free(l->name);
        if (l->fm.data)
            frontmatter_release(&l->fm);
        buf_release(&l->text);
        free(l);
    }
    free(ls->all);
    digest_free(ls->texts);
    map_free(ls->by_name);
    map_free(ls->present);
    map_free(ls->fallback);
    tpl_set_free(ls->set);
    free(ls);
}

int layouts_has(const layouts *ls, const char *name)
{
    return ls && (map_get(ls->present, name) || layouts_get(ls, name));
}

const layout *layouts_get(const layouts *ls, const char *name)
{
    const layout *l = ls ? map_get(ls->by_name, name) : NULL;
    return l && l->state == 2 ? l : NULL;
}

const layout *layouts_for_page(const layouts *ls, const char *name, int policy)
{
    return layouts_get(ls,
                       ls && map_get(ls->fallback, name) ? fallback_layout(ls->s, policy) : name);
}

int layout_render(const layout *l, tpl_dict *d, buf *html, diags *dg)
{
    buf next;
    buf_init(&next);
    int err = 0;
    for (; l && err == 0; l = l->parent) {
        tpl_dict_set_ref(d, "CONTENT", html->data, html->len);
        buf_reset(&next);
        buf_grow(&next, html->len + 16384);
        err = tpl_render(l->tpl, d, &next, dg);
        buf t = *html;
        *html = next;
        next = t;
    }
    buf_release(&next);
    return err;
}

/* Appends mark `from` to m, moved to offset. */
static void marks_add(tpl_marks *m, const tpl_mark *from, size_t offset)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->v = xrealloc(m->v, m->cap * sizeof *m->v);
    }
    m->v[m->n] = *from;
    m->v[m->n++].offset = offset;
}

int layout_render_marked(const layout *l, tpl_dict *d, buf *html, tpl_marks *marks, diags *dg)
{
    if (marks->n_watch >= TPL_MARKS_WATCH) { /* no room for CONTENT: nothing marked */
        marks->n = 0;
        marks->lost = 1;
        marks->kept = 0;
        return layout_render(l, d, html, dg);
    }
    buf next;
    buf_init(&next);
    size_t content = marks->n_watch; /* CONTENT's index among the watched */
    tpl_marks level = {0}, inner = {0}, moved = {0};
    memcpy(level.watch, marks->watch, content * sizeof *level.watch);
    level.n_watch = content + 1;
    level.rows_begin = marks->rows_begin;
    level.rows = marks->rows;
    level.rows_ctx = marks->rows_ctx;
    int err = 0, lost = 0;
    size_t kept = 0;
    for (; l && err == 0; l = l->parent) {
        tpl_dict_set_ref(d, "CONTENT", html->data, html->len);
        level.watch[content] = tpl_dict_get(d, "CONTENT", NULL);
        buf_reset(&next);
        buf_grow(&next, html->len + 16384);
        err = tpl_render_marked(l->tpl, d, &next, NULL, &level, dg);
        lost |= level.lost;
        kept += level.kept;
        /* This layout's marks, with the child's where its CONTENT went whole. */
        moved.n = 0;
        for (size_t i = 0; i < level.n && !err; i++) {
            const tpl_mark *m = &level.v[i];
            if (m->which != content) {
                marks_add(&moved, m, m->offset);
                continue;
            }
            if (m->len != html->len || memcmp(next.data + m->offset, html->data, m->len) != 0) {
                lost |= inner.n > 0;
                continue;
            }
            for (size_t j = 0; j < inner.n; j++)
                marks_add(&moved, &inner.v[j], m->offset + inner.v[j].offset);
        }
        tpl_marks t = inner;
        inner = moved;
        moved = t;
        buf t2 = *html;
        *html = next;
        next = t2;
    }
    tpl_marks_release(marks);
    marks->v = inner.v;
    marks->n = err ? 0 : inner.n;
    marks->cap = inner.cap;
    marks->lost = lost;
    marks->kept = kept;
    tpl_marks_release(&level);
    tpl_marks_release(&moved);
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

int layout_render_slots(const layout *l, tpl_dict *d, buf *html, tpl_slots *slots, tpl_marks *marks,
                        diags *dg)
{
    buf next, joined;
    buf_init(&next);
    buf_init(&joined);
    tpl_slots inner = {0}, outer = {0}, merged = {0};
    tpl_marks inner_m = {0}, outer_m = {0}, merged_m = {0};
    if (marks) {
        memcpy(inner_m.watch, marks->watch, sizeof inner_m.watch);
        inner_m.n_watch = outer_m.n_watch = marks->n_watch;
        memcpy(outer_m.watch, marks->watch, sizeof outer_m.watch);
    }
    int err = tpl_render_marked(l->tpl, d, &next, &inner, marks ? &inner_m : NULL, dg);
    int lost = inner_m.lost;
    for (l = l->parent; l && err == 0; l = l->parent) {
        tpl_dict_set_slot(d, "CONTENT", CONTENT_SLOT);
        buf_reset(&joined);
        err = tpl_render_marked(l->tpl, d, &joined, &outer, marks ? &outer_m : NULL, dg);
        if (err)
            break;
        lost |= outer_m.lost;
        /* Splice `next` (with its slots and marks) in at every CONTENT of
         * `joined`, moving joined's marks past what goes in before them. */
        buf spliced;
        buf_init(&spliced);
        merged.n = 0;
        merged_m.n = 0;
        size_t pos = 0, mi = 0;
        for (size_t k = 0; k <= outer.n; k++) {
            size_t upto = k < outer.n ? outer.v[k].offset : joined.len + 1;
            for (; mi < outer_m.n && outer_m.v[mi].offset < upto; mi++)
                marks_add(&merged_m, &outer_m.v[mi], outer_m.v[mi].offset - pos + spliced.len);
            if (k == outer.n)
                break;
            const tpl_slot *o = &outer.v[k];
            buf_add(&spliced, joined.data + pos, o->offset - pos);
            pos = o->offset;
            if (o->id != CONTENT_SLOT) {
                slots_add(&merged, spliced.len, o->id);
                continue;
            }
            for (size_t j = 0; j < inner.n; j++)
                slots_add(&merged, spliced.len + inner.v[j].offset, inner.v[j].id);
            for (size_t j = 0; j < inner_m.n; j++)
                marks_add(&merged_m, &inner_m.v[j], spliced.len + inner_m.v[j].offset);
            buf_add(&spliced, next.data, next.len);
        }
        buf_add(&spliced, joined.data + pos, joined.len - pos);
        buf_release(&next);
        next = spliced;
        tpl_slots t = inner;
        inner = merged;
        merged = t;
        tpl_marks tm = inner_m;
        inner_m = merged_m;
        merged_m = tm;
    }
    if (html->len == 0) {
        /* The usual case (a handbook's tens of megabytes): moved, not copied. */
        buf_release(html);
        *html = next;
        buf_init(&next);
    } else {
        buf_add(html, next.data, next.len);
    }
    slots->n = 0;
    for (size_t j = 0; err == 0 && j < inner.n; j++)
        slots_add(slots, inner.v[j].offset, inner.v[j].id);
    if (marks) {
        marks->n = 0;
        for (size_t j = 0; err == 0 && j < inner_m.n; j++)
            marks_add(marks, &inner_m.v[j], inner_m.v[j].offset);
        marks->lost = lost;
    }
    tpl_slots_release(&inner);
    tpl_slots_release(&outer);
    tpl_slots_release(&merged);
    tpl_marks_release(&inner_m);
    tpl_marks_release(&outer_m);
    tpl_marks_release(&merged_m);
    buf_release(&next);
    buf_release(&joined);
    return err;
}
