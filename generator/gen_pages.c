/* gen_pages: every content page through its layout chain, in parallel, from
 * its parsed HTML (parse.h) and its own variables (vars_page); and the static
 * files, copied through output_copy (or, for the default theme's assets,
 * written from the binary). */
#include "gen.h"

#include "digest.h"
#include "embed.h"
#include "heap.h"
#include "plan.h"
#include "pool.h"

#include <string.h>

/* Pages rendered one after another by one thread, whose HTML lies about
 * in the order of their indexes (the parse's): read back a window at a
 * time (parsed_reader). */
enum { PAGE_RUN = 32 };

/* Page i (through l, its HTML made from the parse key body) as
 * gen_render_page writes it. */
static void render_as_register(gen *g, parsed_reader *r, size_t i, const layout *l,
                               const char *body)
{
    const page *p = g->s->pages[i];
    buf html;
    buf_init(&html);
    tpl_dict *d = vars_page_begin(g, p);
    vars_page_finish(d, g, p);
    tpl_dict_set_shared(d, gen_shared(g, l));
    vars_site_build(d, g, 1);
    if (parsed_read_html(r, i, &html, g->d) != 0 ||
        gen_render_page(g, l, p->out_file, d, &html, body) != 0)
        g->failed = 1;
    tpl_dict_free(d);
    buf_release(&html);
}

static void render_page(gen *g, parsed_reader *r, size_t i)
{
    const page *p = g->s->pages[i];
    const layout *l = NULL;
    if (!p->ok || !p->published || p->collides || !parsed_page_at(g->pp, i)->ok ||
        plan_unwritten(g->s->plan, p->out_file) ||
        !(l = layouts_for_page(g->s->layouts, p->layout, p->policy))) {
        /* A collision was reported at load or plan, a parse failure by
         * parse, a missing layout when the layouts were loaded. */
        render_keys_put(g, i, NULL, NULL, NULL);
        return;
    }
    /* What the page is made from (with a cache, its HTML is known by its
     * parse's key): when the previous build made it from the same, its file
     * is linked, and neither its dictionary nor its HTML is made. */
    char key[DIGEST_HEX], was[DIGEST_HEX];
    const char *body = parsed_page_key(g->pp, i);
    if (body && layout_shows_changes(l) && g->prov &&
        strlen(g->prov->commit) == sizeof g->prov->commit - 1) {
        /* A page of the site's own naming the commit (the home page, with
         * every page's entry): written as a register, around the commit's
         * digits and its rows apart. */
        render_keys_put(g, i, NULL, NULL, NULL);
        render_as_register(g, r, i, l, body);
        return;
    }
    if (body) {
        /* The same model's key, taken while what it was made from stands
         * (charter serve: at 10,000 pages, 0.03 s of CPU a save or a
         * commit); never a page that shows the build's commit and latest
         * changes (its key has them). */
        const page_history *ph = g->h ? history_page(g->h, p->index) : NULL;
        if (layout_shows_changes(l) || !render_keys_take(g, i, body, ph, key))
            gen_page_key(key, g, l, p, body);
        render_keys_put(g, i, body, ph, key);
    } else {
        render_keys_put(g, i, NULL, NULL, NULL);
    }
    int reused = body && output_reuse_keyed(g->o, p->out_file, key);
    if (reused && !(g->check_reuse && output_keyed_digest(g->o, p->out_file, key, was)))
        return;
    /* A render that proves large (an eighth of the pages made again: a
     * layout changed) gives back what the stages before freed, as build_run
     * does before a render after the history's walk of git (heap_trim). */
    if (atomic_fetch_add(&g->pages_made, 1) == g->s->n_pages / 8)
        heap_trim();
    buf html;
    buf_init(&html);
    tpl_dict *d = vars_page_begin(g, p);
    vars_page_finish(d, g, p);
    tpl_dict_set_shared(d, gen_shared(g, l));
    if (layout_shows_changes(l))
        vars_site_build(d, g, 1); /* a home page of the site's own */
    if (parsed_read_html(r, i, &html, g->d) != 0)
        g->failed = 1;
    else if (layout_render(l, d, &html, g->d) == 0) {
        if (reused) {
            char now[DIGEST_HEX];
            digest_of(now, html.data, html.len);
            if (strcmp(now, was) != 0)
                diag_report(g->d, DIAG_ERROR, p->src, 0, 0, "internal",
                            "'%s' was linked from the previous build as made from the same "
                            "inputs, but renders differently now: its key misses an input",
                            p->out_file);
        } else if (output_write_keyed(g->o, p->out_file, body ? key : NULL, html.data, html.len,
                                      g->d) != 0)
            g->failed = 1;
    }
    tpl_dict_free(d);
    buf_release(&html);
}

/* A static file: the site's, read through the checked door, or one of the
 * default theme's assets, from the binary. */
static void copy_static(void *arg, size_t i)
{
    gen *g = arg;
    const static_file *f = &g->s->statics[i];
    if (plan_unwritten(g->s->plan, f->out_file))
        return; /* its folder is a file (plan: output-collision) */
    const embed_file *e = f->embedded;
    if ((e ? output_write(g->o, f->out_file, (const char *)e->data, e->len, g->d)
           : output_copy(g->o, f->out_file, &g->s->fs, f->src, g->s->cfg.limits.static_bytes,
                         "limits.static_bytes", g->d)) != 0)
        g->failed = 1;
}

static void render_run(void *arg, size_t k)
{
    gen *g = arg;
    parsed_reader r;
    parsed_reader_init(&r, g->pp);
    for (size_t i = k * PAGE_RUN; i < g->s->n_pages && i < (k + 1) * PAGE_RUN; i++)
        render_page(g, &r, i);
    parsed_reader_release(&r);
}

void gen_pages(gen *g)
{
    pool_run((g->s->n_pages + PAGE_RUN - 1) / PAGE_RUN, render_run, g);
    pool_run(g->s->n_statics, copy_static, g);
}
