/* gen_changelog: the changelog page, every policy change from the history,
 * newest first (the feed is feed.c). */
#include "gen.h"

typedef struct changes_ctx {
    const site *s;
    const change *ch;
} changes_ctx;

static void fill_change(const void *ctx, size_t i, tpl_dict *d)
{
    const changes_ctx *c = ctx;
    vars_change(d, c->s, &c->ch[i]);
}

int gen_changelog(gen *g)
{
    const site *s = g->s;
    if (!history_found(g->h))
        return 0;
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set(d, "TITLE", "Changelog");
    buf u;
    buf_init(&u);
    vars_full_url(&u, s, "/changelog/");
    tpl_dict_set(d, "URL", u.data);
    size_t n;
    const change *ch = history_changes(g->h, &n);
    if (n)
        tpl_dict_show_section(d, "HAS_CHANGES");
    /* Made a change at a time as it renders: every change whole was tens of
     * megabytes at 10,000 commits. */
    changes_ctx c = {s, ch};
    tpl_dict_add_lazy_section(d, "CHANGES", n, fill_change, &c, sizeof c);
    int err = gen_render(g, "changelog", "changelog/index.html", d);
    tpl_dict_free(d);
    buf_release(&u);
    return err;
}
