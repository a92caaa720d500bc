/* gen_changelog: the changelog page, every policy change from the history,
 * newest first (the feed is feed.c). */
#include "gen.h"

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
    for (size_t i = 0; i < n; i++)
        vars_change(tpl_dict_add_section(d, "CHANGES"), s, &ch[i]);
    int err = gen_render(g, "changelog", "changelog/index.html", d);
    tpl_dict_free(d);
    buf_release(&u);
    return err;
}
