/* plan: claims on output paths, and their collisions (see plan.h). */
#include "plan.h"

#include "buf.h"
#include "layout.h"
#include "manifest_json.h"
#include "map.h"
#include "oscal_export.h"
#include "output.h"
#include "paths.h"
#include "site.h"
#include "terms.h"
#include "yamltree.h"

#include <stdlib.h>
#include <string.h>

struct plan {
    map *claims;    /* out_file -> index + 1 into `generated` of the output that holds it */
    map *blocked;   /* out_file -> 1: generated outputs that lost their path */
    map *yielded;   /* out_file -> 1: folder indexes whose path another output has */
    map *unwritten; /* out_file -> 1: pages and static files whose folder is a file */
    plan_entry *generated;
    size_t n, cap;
    map *others; /* out_file -> what (owned string), for pages and statics */
    char **owned;
    size_t n_owned;
};

static char *keep(plan *p, char *s)
{
    p->owned = xgrow(p->owned, p->n_owned, sizeof *p->owned);
    return p->owned[p->n_owned++] = s;
}

/* Claims out_file for a generated output; on a collision reports it (at the
 * page when a page holds the path: at its permalink) and marks the output
 * blocked. `url` (may be NULL) is its URL path, for the sitemap. */
static void claim(plan *p, const site *s, const char *out_file, const char *url, const char *what,
                  int needs_history, diags *d)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->generated = xrealloc(p->generated, p->cap * sizeof *p->generated);
    }
    plan_entry *e = &p->generated[p->n++];
    *e = (plan_entry){
        xstrdup(out_file), url ? xstrdup(url) : NULL, xstrdup(what), NULL, 0, needs_history, NULL};
    const page *pg = map_get(s->by_out, out_file);
    const char *other = map_get(p->others, out_file);
    size_t held = (size_t)map_get(p->claims, out_file);
    if (pg) {
        const yaml_node *pl = yamltree_get(pg->fm.data, "permalink");
        /* charter's page that site.yml may move instead: the page's
         * address may be the site's own (a handbook section). */
        int which = 0;
        while (which < GEN_MOVABLE && strcmp(config_gen_file(&s->cfg, which), out_file))
            which++;
        if (which < GEN_MOVABLE)
            diag_error(d, pg->src, pl ? yamltree_line(pl) : 1, pl ? yamltree_col(pl) : 1,
                       "output-collision",
                       "'%s' is claimed by this page and by %s, which charter generates; change "
                       "the page's permalink, or publish charter's elsewhere "
                       "(generated_pages: {%s: %s} in site.yml)",
                       out_file, what, config_gen_name(which), config_gen_alternative(which));
        else
            diag_error(d, pg->src, pl ? yamltree_line(pl) : 1, pl ? yamltree_col(pl) : 1,
                       "output-collision",
                       "'%s' is claimed by this page and by %s, which charter generates; change "
                       "the page's permalink",
                       out_file, what);
        /* The manifests are always written: there, the page is not. */
        if (!strcmp(out_file, OUTPUT_MANIFEST) || !strcmp(out_file, MANIFEST_JSON))
            map_put(p->unwritten, out_file, (void *)1);
        else
            e->blocked = 1;
    } else if (other || held) {
        diag_error(d, NULL, 0, 0, "output-collision", "'%s' is claimed by both %s and %s", out_file,
                   other ? other : p->generated[held - 1].what, what);
        e->blocked = 1;
    } else {
        map_put(p->claims, out_file, (void *)(size_t)p->n);
    }
    if (e->blocked)
        map_put(p->blocked, out_file, (void *)1);
}

/* A page generated_pages moves must not land below a file the site has
 * (`{handbook: /feed.xml/}` would make a folder where feed.xml is): a
 * config error at the setting, and the page is not written. */
static void moved_inside_files(plan *p, const site *s, diags *d)
{
    const yaml_node *gp = yamltree_get(s->cfg.yaml, "generated_pages");
    buf anc;
    buf_init(&anc);
    for (int g = 0; g < GEN_MOVABLE; g++) {
        const char *file = s->cfg.gen_file[g];
        if (!file)
            continue;
        buf_reset(&anc);
        buf_adds(&anc, file);
        const char *hit = NULL;
        for (char *slash = strrchr(anc.data, '/'); slash && !hit; slash = strrchr(anc.data, '/')) {
            buf_truncate(&anc, (size_t)(slash - anc.data));
            if (map_get(p->claims, anc.data) || map_get(p->others, anc.data) ||
                map_get(s->by_out, anc.data) || site_static_by_out(s, anc.data))
                hit = anc.data;
        }
        if (!hit)
            continue;
        const yaml_node *v = gp ? yamltree_get(gp, config_gen_name(g)) : NULL;
        diag_error(d, s->cfg.file, v ? yamltree_line(v) : 0, v ? yamltree_col(v) : 0, "config",
                   "'generated_pages.%s' ('%s') is inside '%s', which is a file of the site, "
                   "not a folder; choose another address",
                   config_gen_name(g), s->cfg.gen_url[g], hit);
        size_t held = (size_t)map_get(p->claims, file);
        if (held)
            p->generated[held - 1].blocked = 1;
        map_put(p->blocked, file, (void *)1);
    }
    buf_release(&anc);
}

/* What holds `file` as a file, for a message: a page, a static file or a
 * generated output; NULL when nothing does. */
static const char *file_holder(const plan *p, const site *s, const char *file, buf *tmp)
{
    const page *pg = map_get(s->by_out, file);
    if (pg) {
        buf_reset(tmp);
        buf_printf(tmp, "the page '%s'", pg->src);
        return tmp->data;
    }
    const char *other = map_get(p->others, file);
    if (other)
        return other;
    size_t held = (size_t)map_get(p->claims, file);
    return held ? p->generated[held - 1].what : NULL;
}

/* out_file (held by `what`; by page pg when it is a page's) needs the
 * folders above it: where one of them is a file of the site (a page at
 * /feed.xml/ would need a folder where the Atom feed is written), an
 * output-collision error, at the page when a page is the one below, and
 * neither is written (the page's and the static file's writes ask
 * plan_blocked too), so that no build stops at a write it cannot make. */
static void check_folders_above(plan *p, const site *s, const char *out_file, const char *what,
                                const page *pg, buf *anc, buf *tmp, map *clear, diags *d)
{
    buf_reset(anc);
    buf_adds(anc, out_file);
    for (char *slash = strrchr(anc->data, '/'); slash; slash = strrchr(anc->data, '/')) {
        buf_truncate(anc, (size_t)(slash - anc->data));
        /* A folder found clear for an output before: so are those above
         * it (each output's folders cost its path once, not once per
         * folder: 10,000 folders deep took hours). */
        void **seen = map_ref(clear, anc->data);
        if (*seen)
            break;
        const char *holder = file_holder(p, s, anc->data, tmp);
        if (!holder) {
            *seen = (void *)1;
            continue;
        }
        if (pg) {
            const yaml_node *pl = yamltree_get(pg->fm.data, "permalink");
            diag_error(d, pg->src, pl ? yamltree_line(pl) : 1, pl ? yamltree_col(pl) : 1,
                       "output-collision",
                       "this page's '%s' needs a folder '%s', where %s is written as a file; "
                       "give the page another permalink",
                       out_file, anc->data, holder);
        } else {
            diag_error(d, NULL, 0, 0, "output-collision",
                       "'%s' (%s) needs a folder '%s', where %s is written as a file", out_file,
                       what, anc->data, holder);
        }
        /* Each is a generated output (blocked) or a page's or a static
         * file's (unwritten). */
        const char *both[] = {anc->data, out_file};
        for (int k = 0; k < 2; k++) {
            size_t held = (size_t)map_get(p->claims, both[k]);
            if (held) {
                p->generated[held - 1].blocked = 1;
                map_put(p->blocked, both[k], (void *)1);
            } else {
                map_put(p->unwritten, both[k], (void *)1);
            }
        }
        return;
    }
}

/* Every output's folders, checked against the files (check_folders_above).
 * The folder indexes from first_index on are there for the pages below
 * them, whose finding says it: theirs are not reported again. */
static void folders_not_files(plan *p, const site *s, size_t first_index, diags *d)
{
    diags *quiet = diag_new(NULL);
    map *clear = map_new();
    buf anc, tmp;
    buf_init(&anc);
    buf_init(&tmp);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *pg = s->pages[i];
        if (pg->ok && pg->published && !pg->collides && strchr(pg->out_file, '/'))
            check_folders_above(p, s, pg->out_file, NULL, pg, &anc, &tmp, clear, d);
    }
    for (size_t i = 0; i < s->n_statics; i++)
        if (strchr(s->statics[i].out_file, '/'))
            check_folders_above(p, s, s->statics[i].out_file,
                                map_get(p->others, s->statics[i].out_file), NULL, &anc, &tmp, clear,
                                d);
    for (size_t i = 0; i < p->n; i++)
        if (!p->generated[i].blocked && strchr(p->generated[i].out_file, '/'))
            check_folders_above(p, s, p->generated[i].out_file, p->generated[i].what, NULL, &anc,
                                &tmp, clear, i < first_index ? d : quiet);
    map_free(clear);
    diag_free(quiet);
    buf_release(&anc);
    buf_release(&tmp);
}

/* Claims the old addresses of page pg that `key` lists (Hugo's aliases,
 * Jekyll's redirect_from): a path, or a list of them, each relative to
 * base_url, or, without a leading '/', to the folder of the page's URL.
 * An address that is no path of the site, or another page's, is an error
 * at its place; the page's own is left alone. */
static void claim_aliases(plan *p, const site *s, const page *pg, const char *key, diags *d)
{
    const yaml_node *v = yamltree_get(pg->fm.data, key);
    if (!v || yamltree_is_null(v))
        return;
    int list = yamltree_kind(v) == YAML_SEQUENCE;
    size_t n = list ? yamltree_len(v) : 1;
    buf abs, url, out, w;
    buf_init(&abs);
    buf_init(&url);
    buf_init(&out);
    buf_init(&w);
    for (size_t i = 0; i < n; i++) {
        const yaml_node *a = list ? yamltree_item(v, i) : v;
        if (yamltree_kind(a) != YAML_SCALAR) {
            diag_error(d, pg->src, yamltree_line(a), yamltree_col(a), "invalid-type",
                       "'%s' must be a path or a list of paths", key);
            continue;
        }
        const char *text = yamltree_text(a), *why = NULL;
        buf_reset(&abs);
        buf_reset(&url);
        buf_reset(&out);
        if (text[0] != '/' && !url_is_external(text)) {
            /* The folder of "/a/b/" and of "/a/b.html": "/a/". */
            size_t end = strlen(pg->url);
            if (end > 1 && pg->url[end - 1] == '/')
                end--;
            while (end > 1 && pg->url[end - 1] != '/')
                end--;
            buf_add(&abs, pg->url, end ? end : 1);
        }
        buf_adds(&abs, text);
        if (path_permalink(&url, &out, abs.data, &why) != 0) {
            diag_error(d, pg->src, yamltree_line(a), yamltree_col(a), "invalid-permalink",
                       "'%s' address '%s' %s", key, text, why);
            continue;
        }
        if (!strcmp(out.data, pg->out_file))
            continue; /* its own */
        /* A folder of it that is a file of the site (/robots.txt/x/): it
         * could not be written. */
        const char *file = NULL;
        for (char *c = strchr(out.data, '/'); c && !file; c = strchr(c + 1, '/')) {
            *c = '\0';
            if (map_get(s->by_out, out.data) || map_get(p->others, out.data) ||
                map_get(p->claims, out.data))
                file = xstrdup(out.data);
            *c = '/';
        }
        if (file) {
            diag_error(d, pg->src, yamltree_line(a), yamltree_col(a), "output-collision",
                       "'%s' address '%s' is below '%s', which is a file of the site", key, text,
                       file);
            free((char *)file);
            continue;
        }
        const page *other = map_get(s->by_out, out.data);
        if (other) {
            diag_error(d, pg->src, yamltree_line(a), yamltree_col(a), "output-collision",
                       "'%s' address '%s' is the page '%s'; remove one or the other", key, text,
                       other->src);
            continue;
        }
        buf_reset(&w);
        buf_printf(&w, "the redirect from '%s' (%s of '%s')", url.data, key, pg->src);
        claim(p, s, out.data, NULL, w.data, 0, d);
        p->generated[p->n - 1].redirect_to = pg;
    }
    buf_release(&abs);
    buf_release(&url);
    buf_release(&out);
    buf_release(&w);
}

plan *plan_outputs(const site *s, diags *d)
{
    plan *p = xcalloc(1, sizeof *p);
    p->claims = map_new();
    p->blocked = map_new();
    p->yielded = map_new();
    p->unwritten = map_new();
    p->others = map_new();
    buf f, u, w;
    buf_init(&f);
    buf_init(&u);
    buf_init(&w);
    for (size_t i = 0; i < s->n_statics; i++) {
        buf_reset(&w);
        if (s->statics[i].embedded)
            buf_printf(&w, "the theme's '%s'", s->statics[i].out_file);
        else
            buf_printf(&w, "the file '%s'", s->statics[i].src);
        map_put(p->others, s->statics[i].out_file, keep(p, buf_detach(&w)));
    }
    const layouts *ls = s->layouts;
    if (s->catalog && layouts_has(ls, "control")) {
        size_t nf;
        const framework *fws = catalog_frameworks(s->catalog, &nf);
        for (size_t k = 0; k < nf; k++)
            for (size_t i = 0; i < fws[k].n_controls; i++) {
                const control *c = &fws[k].controls[i];
                buf_reset(&f);
                buf_reset(&u);
                buf_reset(&w);
                buf_printf(&f, "controls/%s/%s/index.html", fws[k].id, c->id);
                buf_printf(&u, "/controls/%s/%s/", fws[k].id, c->id);
                buf_printf(&w, "the page of control '%s'", c->id);
                claim(p, s, f.data, u.data, w.data, 0, d);
            }
    }
    const site_config *c = &s->cfg;
    const struct {
        const char *layout, *out_file, *url, *what;
        int needs_catalog, needs_history;
    } pages[] = {
        {"controls", "controls/index.html", "/controls/", "the controls index", 1, 0},
        {"soa", config_gen_file(c, GEN_SOA), config_gen_url(c, GEN_SOA),
         "the statement of applicability", 1, 0},
        {"dashboard", config_gen_file(c, GEN_REVIEWS), config_gen_url(c, GEN_REVIEWS),
         "the review dashboard", 0, 0},
        {"handbook", config_gen_file(c, GEN_HANDBOOK), config_gen_url(c, GEN_HANDBOOK),
         "the handbook", 0, 0},
        {"changelog", config_gen_file(c, GEN_CHANGELOG), config_gen_url(c, GEN_CHANGELOG),
         "the changelog", 0, 1},
    };
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        if ((!pages[i].needs_catalog || s->catalog) && layouts_has(ls, pages[i].layout))
            claim(p, s, pages[i].out_file, pages[i].url, pages[i].what, pages[i].needs_history, d);
    size_t nt;
    const term *t = terms_list(s->terms, &nt);
    if (layouts_has(ls, "tag")) {
        for (size_t i = 0; i < nt; i++) {
            const char *dir = t[i].is_category ? "categories" : "tags";
            buf_reset(&f);
            buf_reset(&u);
            buf_reset(&w);
            buf_printf(&f, "%s/%s/index.html", dir, t[i].slug);
            buf_printf(&u, "/%s/%s/", dir, t[i].slug);
            buf_printf(&w, "the page of %s '%s'", t[i].is_category ? "category" : "tag", t[i].name);
            claim(p, s, f.data, u.data, w.data, 0, d);
        }
        if (nt && layouts_has(ls, "tags"))
            claim(p, s, "tags/index.html", "/tags/", "the tags index", 0, d);
    }
    if (layouts_has(ls, "404"))
        claim(p, s, "404.html", NULL, "the 404 page", 0, d);
    /* Always reserved, whether or not this run writes them (feed.xml needs
     * git): a page's URL must not depend on where the site is built. */
    claim(p, s, "feed.xml", NULL, "the Atom feed", 0, d);
    claim(p, s, "sitemap.xml", NULL, "the sitemap", 0, d);
    claim(p, s, "search.json", NULL, "the search index", 0, d);
    claim(p, s, "api/pages.json", NULL, "the page index api/pages.json", 0, d);
    claim(p, s, OSCAL_EXPORT_FILE, NULL, "the OSCAL component definition " OSCAL_EXPORT_FILE, 0, d);
    claim(p, s, OUTPUT_MANIFEST, NULL, "the output manifest", 0, d);
    claim(p, s, MANIFEST_JSON, NULL, "the published manifest", 0, d);
    for (size_t i = 0; i < s->n_pages; i++)
        if (s->pages[i]->ok && s->pages[i]->published) {
            /* An Obsidian note's aliases are other names to link it by,
             * not addresses it had. */
            if (s->cfg.wiki_links != WIKI_OBSIDIAN)
                claim_aliases(p, s, s->pages[i], "aliases", d);
            claim_aliases(p, s, s->pages[i], "redirect_from", d);
        }
    /* Folder indexes last, and only where nothing else is: a folder named
     * like a generated page (handbook/) is that page's. */
    size_t first_index = p->n;
    for (size_t i = 0; i < s->n_folders; i++) {
        const site_folder *fo = &s->folders[i];
        if (!layouts_has(ls, fo->rel[0] ? "folder" : "home"))
            continue;
        if (map_get(p->claims, fo->out_file) || map_get(p->others, fo->out_file) ||
            map_get(p->blocked, fo->out_file)) {
            map_put(p->yielded, fo->out_file, (void *)1);
            continue;
        }
        buf_reset(&w);
        if (fo->rel[0])
            buf_printf(&w, "the index of folder '%s'", fo->rel);
        else
            buf_adds(&w, "the home page");
        claim(p, s, fo->out_file, fo->url, w.data, 0, d);
    }
    moved_inside_files(p, s, d);
    folders_not_files(p, s, first_index, d);
    buf_release(&f);
    buf_release(&u);
    buf_release(&w);
    return p;
}

void plan_free(plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->generated[i].out_file);
        free(p->generated[i].url);
        free(p->generated[i].what);
    }
    free(p->generated);
    for (size_t i = 0; i < p->n_owned; i++)
        free(p->owned[i]);
    free(p->owned);
    map_free(p->claims);
    map_free(p->blocked);
    map_free(p->yielded);
    map_free(p->unwritten);
    map_free(p->others);
    free(p);
}

int plan_blocked(const plan *p, const char *out_file)
{
    return p && map_get(p->blocked, out_file) != NULL;
}

int plan_unwritten(const plan *p, const char *out_file)
{
    return p && map_get(p->unwritten, out_file) != NULL;
}

int plan_yielded(const plan *p, const char *out_file)
{
    return map_get(p->yielded, out_file) != NULL;
}

const plan_entry *plan_generated(const plan *p, size_t *n)
{
    *n = p ? p->n : 0;
    return p ? p->generated : NULL;
}

const page *plan_redirect(const plan *p, const char *url)
{
    buf u, out;
    buf_init(&u);
    buf_init(&out);
    const char *why;
    const page *to = NULL;
    if (p && path_permalink(&u, &out, url, &why) == 0) {
        size_t held = (size_t)map_get(p->claims, out.data);
        if (held && !p->generated[held - 1].blocked)
            to = p->generated[held - 1].redirect_to;
    }
    buf_release(&u);
    buf_release(&out);
    return to;
}
