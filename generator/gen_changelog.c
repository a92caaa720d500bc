/* gen_changelog: the changelog page, every policy change from the history,
 * newest first (the feed is feed.c). */
#include "gen.h"

typedef struct changes_ctx {
    const site *s;
    const change *ch;
    char (*keys)[65]; /* gen.entry_keys */
} changes_ctx;

static void fill_change(const void *ctx, size_t i, tpl_dict *d)
{
    const changes_ctx *c = ctx;
    vars_change(d, c->s, &c->ch[i]);
}

/* What vars_change reads of change i: its row, every field
 * (history_row_digest), and each page it changed (the page's entry key:
 * its title and URL; its row's version and whether it was a review); the
 * repository's URL is the section's variant. */
static void change_key(const void *ctx, size_t i, char key[65])
{
    const changes_ctx *c = ctx;
    const change *ch = &c->ch[i];
    digest *h = digest_new();
    history_row_digest(h, ch->row);
    digest_add_long(h, (long)ch->n_pages);
    for (size_t j = 0; j < ch->n_pages; j++) {
        digest_add(h, c->keys[ch->pages[j]], DIGEST_HEX);
        digest_add_str(h, ch->rows[j]->version);
        digest_add_long(h, ch->rows[j]->review);
    }
    digest_hex(h, key);
    digest_free(h);
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
    vars_full_url(&u, s, config_gen_url(&s->cfg, GEN_CHANGELOG));
    tpl_dict_set(d, "URL", u.data);
    size_t n;
    const change *ch = history_changes(g->h, &n);
    if (n)
        tpl_dict_show_section(d, "HAS_CHANGES");
    /* Made a change at a time as it renders: every change whole was tens of
     * megabytes at 10,000 commits. */
    changes_ctx c = {s, ch, g->entry_keys};
    buf variant;
    buf_init(&variant);
    buf_printf(&variant, "change %d %s", s->cfg.repository_url != NULL,
               s->cfg.repository_url ? s->cfg.repository_url : "");
    tpl_dict_add_lazy_section_keyed(d, "CHANGES", n, fill_change, change_key, variant.data, &c,
                                    sizeof c);
    /* A commit adds a change at the top: the others are copied from the
     * previous build's changelog (render.c), not made again. */
    tpl_dict_rows_apart(d, "CHANGES");
    buf_release(&variant);
    int err = gen_render(g, "changelog", config_gen_file(&s->cfg, GEN_CHANGELOG), d);
    tpl_dict_free(d);
    buf_release(&u);
    return err;
}
