/* gen_folders: the generated index of each folder of pages that has no
 * index.md or _index.md (site.h, site_folder), listing its pages and its
 * subfolders, and the home page when no page is the home. */
#include "gen.h"

#include <stdlib.h>
#include <string.h>

/* The URL of the folder holding url ("/a/b/" -> "/a/"), into out; 0 when
 * url is the home. */
static int parent_url(buf *out, const char *url)
{
    size_t n = strlen(url);
    if (n <= 1)
        return 0;
    n--; /* the trailing '/' */
    while (n > 0 && url[n - 1] != '/')
        n--;
    buf_reset(out);
    buf_add(out, url, n);
    return 1;
}

/* A folder's pages, in the order of the site's pages. */
typedef struct folder_pages {
    const page **v;
    size_t n, cap;
} folder_pages;

static void fill_folder_page(const void *ctx, size_t i, tpl_dict *e)
{
    const page_list *c = ctx;
    vars_page_link(e, c->pages[i]);
}

int gen_folders(gen *g)
{
    const site *s = g->s;
    if (!s->n_folders)
        return 0;
    int err = 0;
    tpl_dict **dicts = xcalloc(s->n_folders, sizeof *dicts);
    folder_pages *pages = xcalloc(s->n_folders, sizeof *pages);
    buf u, par;
    buf_init(&u);
    buf_init(&par);
    for (size_t i = 0; i < s->n_folders; i++) {
        const site_folder *f = &s->folders[i];
        tpl_dict *d = dicts[i] = tpl_dict_new();
        tpl_dict_set(d, "TITLE", f->title);
        buf_reset(&u);
        vars_full_url(&u, s, f->url);
        tpl_dict_set(d, "URL", u.data);
        if (parent_url(&par, f->url) && strcmp(par.data, "/") != 0) {
            const page *pp = site_page_by_url(s, par.data);
            const site_folder *pf = pp ? NULL : site_folder_by_url(s, par.data);
            tpl_dict *pd = tpl_dict_add_section(d, "FOLDER_PARENT");
            buf_reset(&u);
            vars_full_url(&u, s, par.data);
            tpl_dict_set(pd, "FOLDER_PARENT_URL", u.data);
            tpl_dict_set(pd, "FOLDER_PARENT_TITLE",
                         pp   ? (pp->title ? pp->title : pp->id)
                         : pf ? pf->title
                              : par.data);
        }
    }
    /* One pass over the pages, then one over the folders: each goes into
     * the folder that holds its URL, when that folder's index is generated. */
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published || p->collides || !parent_url(&par, p->url))
            continue;
        const site_folder *f = site_folder_by_url(s, par.data);
        if (!f)
            continue;
        folder_pages *fp = &pages[f - s->folders];
        if (fp->n == fp->cap) {
            fp->cap = fp->cap ? fp->cap * 2 : 16;
            fp->v = xrealloc(fp->v, fp->cap * sizeof *fp->v);
        }
        fp->v[fp->n++] = p;
    }
    /* Each folder's entries are made as it renders (every page of the site
     * is in one folder or another). */
    for (size_t i = 0; i < s->n_folders; i++) {
        if (!pages[i].n)
            continue;
        const folder_pages *fp = &pages[i];
        tpl_dict_show_section(dicts[i], "HAS_FOLDER_PAGES");
        page_list c = {fp->v, g->entry_keys};
        tpl_dict_add_lazy_section_keyed(dicts[i], "FOLDER_PAGE", fp->n, fill_folder_page,
                                        vars_page_list_key, "link", &c, sizeof c);
    }
    for (size_t i = 0; i < s->n_folders; i++) {
        const site_folder *sub = &s->folders[i];
        /* A folder whose path a generated page has (handbook/) is not one
         * to list: its link would lead to that page. */
        if (plan_yielded(s->plan, sub->out_file) || !parent_url(&par, sub->url))
            continue;
        const site_folder *f = site_folder_by_url(s, par.data);
        if (!f)
            continue;
        tpl_dict *d = dicts[f - s->folders];
        tpl_dict_show_section(d, "HAS_SUBFOLDERS");
        tpl_dict *e = tpl_dict_add_section(d, "SUBFOLDER");
        tpl_dict_set(e, "ENTRY_TITLE", sub->title);
        buf_reset(&u);
        vars_full_url(&u, s, sub->url);
        tpl_dict_set(e, "ENTRY_URL", u.data);
    }
    for (size_t i = 0; i < s->n_folders && !err; i++) {
        const site_folder *f = &s->folders[i];
        if (plan_yielded(s->plan, f->out_file))
            continue;
        /* The home: the theme's home layout, with no introduction. */
        err = gen_render(g, f->rel[0] ? "folder" : "home", f->out_file, dicts[i]);
    }
    for (size_t i = 0; i < s->n_folders; i++) {
        tpl_dict_free(dicts[i]);
        free(pages[i].v);
    }
    free(dicts);
    free(pages);
    buf_release(&u);
    buf_release(&par);
    return err;
}
