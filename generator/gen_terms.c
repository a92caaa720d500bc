/* gen_terms: a page per tag and per category (terms.h gives each its
 * slug), listing the pages that use it, and the index of them all. */
#include "gen.h"

#include "terms.h"

static void fill_tag_page(const void *ctx, size_t i, tpl_dict *e)
{
    const page_list *c = ctx;
    vars_page_link(e, c->pages[i]);
}

int gen_terms(gen *g)
{
    const site *s = g->s;
    size_t n_terms;
    const term *tv = terms_list(s->terms, &n_terms);
    if (!layouts_has(s->layouts, "tag"))
        return 0;
    int err = 0;
    buf u, out;
    buf_init(&u);
    buf_init(&out);
    tpl_dict *index = tpl_dict_new();
    tpl_dict_set(index, "TITLE", "Tags and categories");
    vars_full_url(&u, s, "/tags/");
    tpl_dict_set(index, "URL", u.data);
    tpl_dict *group = NULL;
    int group_kind = -1;
    for (size_t i = 0; i < n_terms && !err; i++) {
        const term *tm = &tv[i];
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
        vars_full_url(&u, s, out.data);
        tpl_dict_set(d, "URL", u.data);
        page_list c = {(const page *const *)tm->pages, g->entry_keys};
        tpl_dict_add_lazy_section_keyed(d, "TAG_PAGE", tm->n, fill_tag_page, vars_page_list_key,
                                        "link", &c, sizeof c);
        buf_reset(&out);
        buf_printf(&out, "%s/%s/index.html", dir, tm->slug);
        err = gen_render(g, "tag", out.data, d);
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
    if (!err && n_terms)
        err = gen_render(g, "tags", "tags/index.html", index);
    tpl_dict_free(index);
    buf_release(&u);
    buf_release(&out);
    return err;
}
