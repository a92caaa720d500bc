/* site: loads site.yml, discovers pages and static files under the content
 * directory (skipping `_` and `.` names, as Jekyll does), parses every page's
 * front matter in parallel into typed fields, and derives URLs, sections and
 * review dates. The content model is documented in docs/content-model.md. */
#include "site.h"
#include "fs.h"
#include "paths.h"
#include "pool.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* --- site.yml ------------------------------------------------------------- */

static int config_string(const char **out, const yaml_node *root, const char *key, const char *def,
                         diags *d)
{
    const yaml_node *n = yaml_get(root, key);
    *out = def;
    if (!n || yaml_is_null(n))
        return 0;
    return yaml_as_string(out, n, key, "site.yml", d);
}

static int config_list(const char ***out, size_t *n_out, const yaml_node *root, const char *key,
                       diags *d)
{
    const yaml_node *n = yaml_get(root, key);
    if (!n || yaml_is_null(n))
        return 0;
    if (n->kind != YAML_SEQUENCE)
        return diag_error(d, "site.yml", n->line, n->col, "config", "'%s' must be a list", key);
    *out = xcalloc(n->len + 1, sizeof **out);
    for (size_t i = 0; i < n->len; i++)
        if (yaml_as_string(&(*out)[i], n->items[i], key, "site.yml", d) != 0)
            return -1;
    *n_out = n->len;
    return 0;
}

static int config_duration(duration *out, const yaml_node *parent, const char *key, const char *def,
                           diags *d)
{
    const char *s = def;
    const yaml_node *n = parent ? yaml_get(parent, key) : NULL;
    if (n && !yaml_is_null(n) && yaml_as_string(&s, n, key, "site.yml", d) != 0)
        return -1;
    if (duration_parse(out, s) != 0)
        return diag_error(d, "site.yml", n ? n->line : 0, n ? n->col : 0, "config",
                          "'review.%s' must be a duration like '12 months' or '90 days', not "
                          "'%s'",
                          key, s);
    return 0;
}

/* A directory setting must stay inside the site: it names where charter
 * reads (or, for output, writes), and `..` or an absolute path there is
 * almost always a mistake in a shared repository. Output may be anywhere. */
static int config_dir(const char **out, const yaml_node *root, const char *key, const char *def,
                      diags *d)
{
    if (config_string(out, root, key, def, d) != 0)
        return -1;
    buf p;
    buf_init(&p);
    buf_adds(&p, *out);
    int bad = (*out)[0] == '/' || (*out)[0] == '\0' || path_normalize(&p) != 0 || p.len == 0;
    buf_release(&p);
    if (bad) {
        const yaml_node *n = yaml_get(root, key);
        return diag_error(d, "site.yml", n ? n->line : 0, n ? n->col : 0, "config",
                          "'%s' must be a directory inside the site, not '%s'", key, *out);
    }
    return 0;
}

static int load_config(site *s, diags *d)
{
    site_config *c = &s->cfg;
    buf path, text;
    buf_init(&path);
    buf_init(&text);
    int err = -1;
    site_path(&path, s, "site.yml");
    if (fs_is_dir(path.data) < 0) {
        diag_error(d, NULL, 0, 0, "config",
                   "no 'site.yml' in '%s': run charter in a site's directory or pass --site DIR",
                   s->root);
        goto done;
    }
    if (fs_read(&text, path.data, "site.yml", d) != 0)
        goto done;
    if (yaml_parse(&c->yaml, text.data, text.len, "site.yml", 0, d) != 0)
        goto done;
    const yaml_node *y = c->yaml;
    if (y->kind != YAML_MAPPING) {
        diag_error(d, "site.yml", y->line, y->col, "config",
                   "site.yml must be a mapping of settings");
        goto done;
    }
    int bad = 0;
    const yaml_node *t = yaml_get(y, "title");
    if (!t || yaml_is_null(t)) {
        diag_error(d, "site.yml", 1, 1, "config", "missing required setting 'title'");
        bad = 1;
    }
    bad |= config_string(&c->title, y, "title", "", d);
    bad |= config_string(&c->organization, y, "organization", NULL, d);
    bad |= config_string(&c->description, y, "description", NULL, d);
    bad |= config_string(&c->base_url_raw, y, "base_url", "/", d);
    bad |= config_string(&c->repository_url, y, "repository_url", NULL, d);
    bad |= config_string(&c->branch, y, "repository_branch", "main", d);
    bad |= config_dir(&c->content, y, "content", "content", d);
    bad |= config_dir(&c->controls, y, "controls", "controls", d);
    bad |= config_dir(&c->layouts, y, "layouts", "layouts", d);
    bad |= config_dir(&c->assets, y, "assets", "assets", d);
    bad |= config_string(&c->output, y, "output", "_site", d);
    bad |= config_list(&c->frameworks, &c->n_frameworks, y, "frameworks", d);
    bad |= config_list(&c->sections, &c->n_sections, y, "sections", d);
    if (yaml_get(y, "required")) {
        bad |= config_list(&c->required, &c->n_required, y, "required", d);
    } else {
        static const char *def[] = {"title", "owner", "last_reviewed"};
        c->required = xcalloc(4, sizeof *c->required);
        memcpy(c->required, def, sizeof def);
        c->n_required = 3;
    }
    const yaml_node *review = yaml_get(y, "review");
    if (review && !yaml_is_null(review) && review->kind != YAML_MAPPING) {
        diag_error(d, "site.yml", review->line, review->col, "config",
                   "'review' must be a mapping with 'cycle' and 'warn_within'");
        bad = 1;
        review = NULL;
    }
    if (review && yaml_is_null(review))
        review = NULL;
    bad |= config_duration(&c->cycle, review, "cycle", "12 months", d);
    bad |= config_duration(&c->warn_within, review, "warn_within", "30 days", d);
    c->nav_max_pages = 100;
    const yaml_node *nav = yaml_get(y, "navigation");
    if (nav && !yaml_is_null(nav)) {
        const yaml_node *m = nav->kind == YAML_MAPPING ? yaml_get(nav, "max_pages") : NULL;
        long max = 0;
        if (nav->kind != YAML_MAPPING) {
            bad |= diag_error(d, "site.yml", nav->line, nav->col, "config",
                              "'navigation' must be a mapping with 'max_pages'");
        } else if (m && yaml_as_int(&max, m, "navigation.max_pages", "site.yml", d) != 0) {
            bad = 1;
        } else if (m && max < 0) {
            bad |= diag_error(d, "site.yml", m->line, m->col, "config",
                              "'navigation.max_pages' must not be negative");
        } else if (m) {
            c->nav_max_pages = (size_t)max;
        }
    }
    c->template_strip = TPL_STRIP_BLANK_LINES;
    const yaml_node *ts = yaml_get(y, "template_strip");
    if (ts && !yaml_is_null(ts)) {
        static const char *const modes[] = {"DO_NOT_STRIP", "STRIP_BLANK_LINES",
                                            "STRIP_WHITESPACE"};
        const char *v = NULL;
        int found = 0;
        if (yaml_as_string(&v, ts, "template_strip", "site.yml", d) != 0) {
            bad = 1;
        } else {
            for (int i = 0; i < 3; i++)
                if (!strcmp(v, modes[i])) {
                    c->template_strip = (tpl_strip)i;
                    found = 1;
                }
            if (!found)
                bad |= diag_error(d, "site.yml", ts->line, ts->col, "config",
                                  "'template_strip' must be DO_NOT_STRIP, STRIP_BLANK_LINES or "
                                  "STRIP_WHITESPACE, not '%s'",
                                  v);
        }
    }
    const yaml_node *u = yaml_get(y, "unsafe_html");
    if (u && !yaml_is_null(u))
        bad |= yaml_as_bool(&c->unsafe_html, u, "unsafe_html", "site.yml", d);
    if (bad)
        goto done;

    /* base_url: "/", "/handbook/" or "https://x.example/handbook"; always
     * stored with a trailing slash so templates write {{BASE_URL}}assets/. */
    buf b;
    buf_init(&b);
    if (c->base_url_raw[0] != '/' && !url_is_external(c->base_url_raw))
        buf_addc(&b, '/');
    buf_adds(&b, c->base_url_raw);
    if (b.data[b.len - 1] != '/')
        buf_addc(&b, '/');
    c->base_url = buf_detach(&b);
    err = 0;
done:
    buf_release(&path);
    buf_release(&text);
    return err;
}

/* --- discovery -------------------------------------------------------------- */

typedef struct walk {
    site *s;
    char **mds;
    size_t n_mds, cap_mds;
    diags *d;
} walk;

static void add_static(site *s, const char *src, const char *out_file)
{
    s->statics = xrealloc(s->statics, (s->n_statics + 1) * sizeof *s->statics);
    s->statics[s->n_statics++] = (static_file){xstrdup(src), xstrdup(out_file)};
}

/* Walks dir (relative to the site root; `rel` is the part below the walk's
 * top). Pages are collected when `pages` is set; every other file becomes a
 * static file under out_prefix. */
static int walk_dir(walk *w, const char *top, const char *rel, int pages, const char *out_prefix)
{
    buf dir, child_rel, full, out;
    buf_init(&dir);
    buf_init(&child_rel);
    buf_init(&full);
    buf_init(&out);
    char **list = NULL;
    int err = -1;
    path_join(&dir, top, rel);
    buf abs;
    buf_init(&abs);
    site_path(&abs, w->s, dir.data);
    int rc = fs_list(&list, abs.data, 0, w->d);
    buf_release(&abs);
    if (rc != 0)
        goto done;
    err = 0;
    for (char **p = list; *p; p++) {
        if (path_is_hidden(*p))
            continue;
        buf_reset(&child_rel);
        if (rel[0])
            buf_printf(&child_rel, "%s/%s", rel, *p);
        else
            buf_adds(&child_rel, *p);
        buf_reset(&full);
        path_join(&full, top, child_rel.data);
        buf_reset(&abs);
        site_path(&abs, w->s, full.data);
        int isdir = fs_is_dir(abs.data);
        buf_release(&abs);
        if (isdir == 1) {
            err |= walk_dir(w, top, child_rel.data, pages, out_prefix);
            continue;
        }
        size_t n = strlen(*p);
        if (pages && n > 3 && strcmp(*p + n - 3, ".md") == 0) {
            if (w->n_mds == w->cap_mds) {
                w->cap_mds = w->cap_mds ? w->cap_mds * 2 : 64;
                w->mds = xrealloc(w->mds, w->cap_mds * sizeof *w->mds);
            }
            w->mds[w->n_mds++] = xstrdup(child_rel.data);
        } else if (isdir == 0) {
            buf_reset(&out);
            path_join(&out, out_prefix, child_rel.data);
            add_static(w->s, full.data, out.data);
        }
    }
done:
    fs_list_free(list);
    buf_release(&dir);
    buf_release(&child_rel);
    buf_release(&full);
    buf_release(&out);
    return err;
}

/* --- pages ------------------------------------------------------------------ */

static void humanize(buf *out, const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = name[i] == '-' || name[i] == '_' ? ' ' : name[i];
        buf_addc(out, i == 0 ? (char)toupper((unsigned char)c) : c);
    }
}

static int is_known_status(const char *s)
{
    return strcmp(s, "draft") == 0 || strcmp(s, "approved") == 0 || strcmp(s, "retired") == 0;
}

/* A string or a list of strings; a string is split on whitespace and commas
 * when the list is read (templates). Here only the types are checked. */
static int check_list_or_string(const yaml_node *n, const char *key, const char *file, diags *d)
{
    if (n->kind == YAML_SCALAR)
        return 0;
    if (n->kind != YAML_SEQUENCE)
        return diag_error(d, file, n->line, n->col, "invalid-type",
                          "'%s' must be a list or a string, not a mapping", key);
    int err = 0;
    const char *s;
    for (size_t i = 0; i < n->len; i++)
        err |= yaml_as_string(&s, n->items[i], key, file, d);
    return err;
}

static int page_model(page *p, const site *s, diags *d)
{
    const yaml_node *fm = p->fm.data;
    const char *f = p->src;
    int err = 0;
    p->layout = "policy";
    p->published = 1;
    p->last_reviewed = p->next_review = -1;
    const char *permalink = NULL, *cycle = NULL;
    for (size_t i = 0; i < fm->len; i++) {
        const char *k = fm->keys[i]->value;
        const yaml_node *v = fm->items[i];
        if (yaml_is_null(v))
            continue;
        /* String-valued keys of the content model. */
        static const struct {
            const char *key;
            size_t off;
        } strs[] = {
            {"title", offsetof(page, title)},     {"layout", offsetof(page, layout)},
            {"id", offsetof(page, id)},           {"description", offsetof(page, description)},
            {"owner", offsetof(page, owner)},     {"status", offsetof(page, status)},
            {"version", offsetof(page, version)}, {"section", offsetof(page, section_key)},
        };
        int done = 0;
        for (size_t j = 0; j < sizeof strs / sizeof strs[0] && !done; j++) {
            if (strcmp(k, strs[j].key) == 0) {
                err |= yaml_as_string((const char **)((char *)p + strs[j].off), v, k, f, d);
                done = 1;
            }
        }
        if (done)
            continue;
        const char *tmp;
        long date;
        if (strcmp(k, "approver") == 0 || strcmp(k, "classification") == 0) {
            err |= yaml_as_string(&tmp, v, k, f, d);
        } else if (strcmp(k, "permalink") == 0) {
            err |= yaml_as_string(&permalink, v, k, f, d);
        } else if (strcmp(k, "review_cycle") == 0) {
            if (yaml_as_string(&cycle, v, k, f, d) != 0) {
                err = -1;
            } else {
                duration dur;
                if (duration_parse(&dur, cycle) != 0)
                    err = diag_error(d, f, v->line, v->col, "invalid-type",
                                     "'review_cycle' must be a duration like '12 months' or "
                                     "'90 days', not '%s'",
                                     cycle);
            }
        } else if (strcmp(k, "published") == 0) {
            err |= yaml_as_bool(&p->published, v, k, f, d);
        } else if (strcmp(k, "last_reviewed") == 0) {
            err |= yaml_as_date(&p->last_reviewed, v, k, f, d);
        } else if (strcmp(k, "next_review") == 0) {
            err |= yaml_as_date(&p->next_review, v, k, f, d);
        } else if (strcmp(k, "date") == 0) {
            err |= yaml_as_date(&date, v, k, f, d);
        } else if (strcmp(k, "tags") == 0 || strcmp(k, "categories") == 0) {
            err |= check_list_or_string(v, k, f, d);
        } else if (strcmp(k, "controls") == 0) {
            if (v->kind != YAML_SEQUENCE) {
                err = diag_error(d, f, v->line, v->col, "invalid-type",
                                 "'controls' must be a list of control ids");
            } else {
                for (size_t j = 0; j < v->len; j++)
                    err |= yaml_as_string(&tmp, v->items[j], "controls", f, d);
                p->controls = v;
            }
        }
        /* Any other key is the team's own and reaches templates untouched. */
    }
    if (p->status && !is_known_status(p->status)) {
        const yaml_node *v = yaml_get(fm, "status");
        err = diag_error(d, f, v->line, v->col, "unknown-status",
                         "'status' must be draft, approved or retired, not '%s'", p->status);
    }

    /* URL: the permalink, else the pretty URL of the source path. */
    buf url, out;
    buf_init(&url);
    buf_init(&out);
    if (permalink) {
        const char *why;
        if (path_permalink(&url, &out, permalink, &why) != 0) {
            const yaml_node *v = yaml_get(fm, "permalink");
            err = diag_error(d, f, v->line, v->col, "invalid-permalink", "permalink '%s' %s",
                             permalink, why);
            buf_reset(&url);
            buf_reset(&out);
        }
    }
    if (!url.len)
        path_page_url(&url, &out, p->rel);
    p->url = buf_detach(&url);
    p->out_file = buf_detach(&out);

    if (!p->id) {
        size_t n = strlen(p->rel);
        p->id = p->id_own = xstrndup(p->rel, n > 3 ? n - 3 : n);
    }

    buf sec;
    buf_init(&sec);
    if (p->section_key) {
        buf_adds(&sec, p->section_key);
    } else {
        const char *slash = strchr(p->rel, '/');
        if (slash)
            humanize(&sec, p->rel, (size_t)(slash - p->rel));
    }
    p->section_title = sec.len ? buf_detach(&sec) : NULL;
    buf_release(&sec);

    /* Required keys apply to policies: pages using the default layout. */
    if (p->published && strcmp(p->layout, "policy") == 0) {
        for (size_t i = 0; i < s->cfg.n_required; i++) {
            const yaml_node *v = yaml_get(fm, s->cfg.required[i]);
            if (!v || yaml_is_null(v))
                err = diag_error(d, f, v ? v->line : 1, v ? v->col : 1, "missing-required-key",
                                 "missing required key '%s'", s->cfg.required[i]);
        }
    }

    /* Review dates: next_review, else last_reviewed + the page's cycle, else
     * + the site's cycle. */
    if (p->next_review < 0 && p->last_reviewed >= 0) {
        duration dur = s->cfg.cycle;
        if (cycle)
            duration_parse(&dur, cycle);
        p->next_review = date_add(p->last_reviewed, dur);
    }
    if (p->next_review < 0)
        p->review = REVIEW_NONE;
    else if (p->next_review < s->as_of)
        p->review = REVIEW_OVERDUE;
    else if (p->next_review <= date_add(s->as_of, s->cfg.warn_within))
        p->review = REVIEW_DUE_SOON;
    else
        p->review = REVIEW_OK;
    return err;
}

typedef struct load_ctx {
    site *s;
    diags *d;
} load_ctx;

static void load_page(void *arg, size_t i)
{
    load_ctx *ctx = arg;
    page *p = ctx->s->pages[i];
    buf path;
    buf_init(&path);
    site_path(&path, ctx->s, p->src);
    if (fs_read(&p->text, path.data, p->src, ctx->d) == 0 &&
        frontmatter_parse(&p->fm, p->text.data, p->text.len, p->src, ctx->d) == 0) {
        p->ok = 1;
        page_model(p, ctx->s, ctx->d);
    } else {
        /* Keep the page addressable so links to it do not cascade errors. */
        p->layout = "policy";
        p->last_reviewed = p->next_review = -1;
        buf url, out;
        buf_init(&url);
        buf_init(&out);
        path_page_url(&url, &out, p->rel);
        p->url = buf_detach(&url);
        p->out_file = buf_detach(&out);
    }
    buf_release(&path);
}

static int cmp_page_title(const void *a, const void *b)
{
    const page *x = *(page *const *)a, *y = *(page *const *)b;
    int c = strcmp(x->title ? x->title : x->rel, y->title ? y->title : y->rel);
    return c ? c : strcmp(x->rel, y->rel);
}

static void build_sections(site *s)
{
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        if (!p->ok || !p->published || !p->section_title)
            continue;
        size_t k = 0;
        while (k < s->n_sections && strcmp(s->sections[k].title, p->section_title) != 0)
            k++;
        if (k == s->n_sections) {
            s->sections = xrealloc(s->sections, (k + 1) * sizeof *s->sections);
            buf slug;
            buf_init(&slug);
            markdown_slug(&slug, p->section_title);
            s->sections[k] = (site_section){xstrdup(p->section_title), buf_detach(&slug), NULL, 0};
            s->n_sections++;
        }
        site_section *sec = &s->sections[k];
        sec->pages = xrealloc(sec->pages, (sec->n_pages + 1) * sizeof *sec->pages);
        sec->pages[sec->n_pages++] = p;
    }
    for (size_t k = 0; k < s->n_sections; k++)
        qsort(s->sections[k].pages, s->sections[k].n_pages, sizeof(page *), cmp_page_title);
    /* Order: as listed in site.yml `sections`, then the rest by title. */
    site_section *sorted = xcalloc(s->n_sections + 1, sizeof *sorted);
    size_t n = 0;
    char *used = xcalloc(s->n_sections + 1, 1);
    for (size_t i = 0; i < s->cfg.n_sections; i++)
        for (size_t k = 0; k < s->n_sections; k++)
            if (!used[k] && strcmp(s->sections[k].title, s->cfg.sections[i]) == 0) {
                sorted[n++] = s->sections[k];
                used[k] = 1;
            }
    size_t first_rest = n;
    for (size_t k = 0; k < s->n_sections; k++)
        if (!used[k])
            sorted[n++] = s->sections[k];
    for (size_t i = first_rest + 1; i < n; i++)
        for (size_t j = i; j > first_rest && strcmp(sorted[j - 1].title, sorted[j].title) > 0;
             j--) {
            site_section t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    free(used);
    free(s->sections);
    s->sections = sorted;
}

static int index_pages(site *s, diags *d)
{
    int err = 0;
    map *by_out = map_new();
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        map_put(s->by_rel, p->rel, p);
        if (!p->published)
            continue;
        page *prev = map_put(s->by_url, p->url, p);
        if (prev) {
            err = diag_error(d, p->src, 1, 1, "duplicate-url", "page has the same URL '%s' as '%s'",
                             p->url, prev->src);
        }
        map_put(by_out, p->out_file, p);
    }
    for (size_t i = 0; i < s->n_statics; i++) {
        page *p = map_get(by_out, s->statics[i].out_file);
        if (p)
            err = diag_error(d, p->src, 1, 1, "duplicate-url",
                             "page would overwrite static file '%s' at '%s'", s->statics[i].src,
                             s->statics[i].out_file);
    }
    map_free(by_out);
    return err;
}

int site_load(site **out, const char *root, long as_of, diags *d)
{
    int err = -1;
    site *s = xcalloc(1, sizeof *s);
    s->root = xstrdup(root && *root ? root : ".");
    s->as_of = as_of;
    s->by_rel = map_new();
    s->by_url = map_new();
    walk w = {.s = s, .d = d};
    buf abs;
    buf_init(&abs);

    if (load_config(s, d) != 0)
        goto done;
    site_path(&abs, s, s->cfg.content);
    if (fs_is_dir(abs.data) != 1) {
        diag_error(d, "site.yml", 0, 0, "config", "content directory '%s' does not exist",
                   s->cfg.content);
        goto done;
    }
    if (walk_dir(&w, s->cfg.content, "", 1, "") != 0)
        goto done;
    buf_reset(&abs);
    site_path(&abs, s, s->cfg.assets);
    if (fs_is_dir(abs.data) == 1 && walk_dir(&w, s->cfg.assets, "", 0, s->cfg.assets) != 0)
        goto done;

    s->pages = xcalloc(w.n_mds + 1, sizeof *s->pages);
    s->n_pages = w.n_mds;
    for (size_t i = 0; i < w.n_mds; i++) {
        page *p = xcalloc(1, sizeof *p);
        buf src;
        buf_init(&src);
        path_join(&src, s->cfg.content, w.mds[i]);
        p->src = buf_detach(&src);
        p->rel = w.mds[i];
        buf_init(&p->text);
        s->pages[i] = p;
    }
    free(w.mds);
    w.mds = NULL;
    load_ctx ctx = {s, d};
    pool_run(s->n_pages, load_page, &ctx);
    index_pages(s, d);
    build_sections(s);

    buf_reset(&abs);
    site_path(&abs, s, s->cfg.controls);
    if (catalog_load(&s->catalog, abs.data, s->cfg.controls, s->cfg.frameworks, s->cfg.n_frameworks,
                     d) != 0)
        goto done;
    err = 0;
done:
    for (size_t i = 0; i < w.n_mds && w.mds; i++)
        free(w.mds[i]);
    free(w.mds);
    buf_release(&abs);
    if (err) {
        site_free(s);
        s = NULL;
    }
    *out = s;
    return err;
}

void site_free(site *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_pages; i++) {
        page *p = s->pages[i];
        free(p->src);
        free(p->rel);
        free(p->url);
        free(p->out_file);
        free(p->id_own);
        free(p->section_title);
        free(p->search_text);
        buf_release(&p->text);
        if (p->ok)
            frontmatter_release(&p->fm);
        markdown_release(&p->doc);
        free(p);
    }
    free(s->pages);
    for (size_t i = 0; i < s->n_sections; i++) {
        free(s->sections[i].title);
        free(s->sections[i].slug);
        free(s->sections[i].pages);
    }
    free(s->sections);
    for (size_t i = 0; i < s->n_statics; i++) {
        free(s->statics[i].src);
        free(s->statics[i].out_file);
    }
    free(s->statics);
    map_free(s->by_rel);
    map_free(s->by_url);
    catalog_free(s->catalog);
    free(s->cfg.frameworks);
    free(s->cfg.sections);
    free(s->cfg.required);
    free(s->cfg.base_url);
    yaml_tree_free(s->cfg.yaml);
    free(s->root);
    free(s);
}

void site_path(buf *out, const site *s, const char *rel)
{
    if (strcmp(rel, ".") == 0)
        buf_adds(out, s->root);
    else if (strcmp(s->root, ".") == 0 || rel[0] == '/')
        buf_adds(out, rel);
    else
        path_join(out, s->root, rel);
}

/* Rewrites relative links, which are written relative to the source file
 * (so they also work on GitHub), into URLs that work from the page's pretty
 * URL: a link to another page's .md file becomes that page's URL; any other
 * relative link (an image, a PDF) becomes the absolute URL of the file it
 * names in the content directory. The query and fragment are kept. */
int site_rewrite_link(buf *out, const site *s, const page *from, const char *url)
{
    if (!*url || url[0] == '#' || url[0] == '/' || url[0] == '?' || url_is_external(url))
        return 0;
    size_t n = strcspn(url, "?#");
    buf target, resolved;
    buf_init(&target);
    buf_init(&resolved);
    buf_add(&target, url, n);
    int done = 0;
    if (path_resolve(&resolved, from->rel, target.data) == 0) {
        const page *dest = NULL;
        if (n >= 3 && memcmp(url + n - 3, ".md", 3) == 0)
            dest = map_get(s->by_rel, resolved.data);
        if (dest && dest->published) {
            buf_adds(out, s->cfg.base_url);
            buf_adds(out, dest->url + 1);
            done = 1;
        } else if (!dest && !(n >= 3 && memcmp(url + n - 3, ".md", 3) == 0)) {
            buf_adds(out, s->cfg.base_url);
            buf_add(out, resolved.data, resolved.len);
            if (n && url[n - 1] == '/' && resolved.len)
                buf_addc(out, '/');
            done = 1;
        }
        if (done)
            buf_adds(out, url + n);
    }
    buf_release(&target);
    buf_release(&resolved);
    return done;
}

const char *review_state_slug(review_state r)
{
    static const char *const names[] = {"none", "ok", "due-soon", "overdue"};
    return names[r];
}

const char *review_state_label(review_state r)
{
    static const char *const names[] = {"Not set", "OK", "Due soon", "Overdue"};
    return names[r];
}
