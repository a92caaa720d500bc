/* gen_handbook: every approved policy in one page, by section, for reading
 * straight through and printing as one controlled document. The layout
 * renders once, with a slot where each body goes (recorded out of band: no
 * text of a page can pose as one); each body is the page's parsed HTML with
 * its ids prefixed, so anchors of different policies cannot collide. */
#include "gen.h"

#include "fs.h"
#include "markdown.h"

#include <stdlib.h>
#include <string.h>

/* "policy-" and the page id as a slug ("policies/access" ->
 * "policy-policies-access"): the policy's anchor in the handbook. */
static void handbook_anchor(buf *out, const page *p)
{
    buf_adds(out, "policy-");
    char *id = xstrdup(p->id);
    for (char *c = id; *c; c++)
        if (*c == '/')
            *c = ' ';
    markdown_slug(out, id);
    free(id);
}

/* An approved policy (a policy page with status approved, or none). */
static int in_handbook(const page *p)
{
    return p->ok && p->published && p->policy && (!p->status || !strcmp(p->status, "approved"));
}

/* The page is written in chunks: skeleton text up to a slot, then that
 * policy's body, read back from the parse stage's scratch file. */
typedef struct handbook_stream {
    gen *g;
    size_t *pages; /* by slot id: indexes into s->pages */
    size_t n;
    buf skeleton;
    tpl_slots slots;
    size_t pos;         /* how much of the skeleton is written */
    size_t next;        /* the next slot to fill */
    parsed_reader html; /* the bodies, read back in about the parse's order */
} handbook_stream;

/* Appends the body of s->pages[i] as the handbook shows it. */
static int add_body(handbook_stream *hs, size_t i, buf *out)
{
    gen *g = hs->g;
    buf html, anchor;
    buf_init(&html);
    buf_init(&anchor);
    int err = parsed_read_html(&hs->html, i, &html, g->d);
    if (err == 0) {
        handbook_anchor(&anchor, g->s->pages[i]);
        markdown_prefix_ids(out, html.data, html.len, anchor.data);
    }
    buf_release(&html);
    buf_release(&anchor);
    return err;
}

static int handbook_fill(void *ctx, buf *chunk)
{
    handbook_stream *hs = ctx;
    /* Skeleton text and the bodies it places, FS_CHUNK_BYTES at a time. */
    size_t full = chunk->len + FS_CHUNK_BYTES;
    while (hs->pos < hs->skeleton.len || hs->next < hs->slots.n) {
        if (chunk->len >= full)
            return 1;
        size_t until = hs->next < hs->slots.n ? hs->slots.v[hs->next].offset : hs->skeleton.len;
        buf_add(chunk, hs->skeleton.data + hs->pos, until - hs->pos);
        hs->pos = until;
        if (hs->next < hs->slots.n) {
            size_t id = hs->slots.v[hs->next++].id;
            if (id < hs->n && add_body(hs, hs->pages[id], chunk) != 0)
                return -1;
        }
    }
    return 0;
}

/* A section's policies in the handbook: page indexes, and the slot id of
 * the first (they follow in order). */
typedef struct handbook_entries {
    const site *s;
    const size_t *pages;
    size_t first;
} handbook_entries;

static void fill_policy(const void *ctx, size_t i, tpl_dict *e)
{
    const handbook_entries *h = ctx;
    const page *p = h->s->pages[h->pages[i]];
    char date[11];
    buf a;
    buf_init(&a);
    tpl_dict_reserve(e, 14); /* title, URL, anchor, slot, five shown values */
    tpl_dict_set(e, "ENTRY_TITLE", p->title ? p->title : p->id);
    tpl_dict_set(e, "ENTRY_URL", p->full_url);
    handbook_anchor(&a, p);
    tpl_dict_set(e, "ENTRY_ANCHOR", a.data);
    vars_set_shown(e, "ENTRY_OWNER", p->owner);
    const yaml_node *ap = yamltree_get(p->fm.data, "approver");
    vars_set_shown(e, "ENTRY_APPROVER",
                   ap && yamltree_kind(ap) == YAML_SCALAR ? yamltree_text(ap) : NULL);
    vars_set_shown(e, "ENTRY_VERSION", p->version);
    if (p->last_reviewed >= 0) {
        date_format(date, p->last_reviewed);
        vars_set_shown(e, "ENTRY_LAST_REVIEWED", date);
    }
    if (p->next_review >= 0) {
        date_format(date, p->next_review);
        vars_set_shown(e, "ENTRY_NEXT_REVIEW", date);
    }
    tpl_dict_set_slot(e, "POLICY_CONTENT", h->first + i);
    buf_release(&a);
}

int gen_handbook(gen *g)
{
    const site *s = g->s;
    if (!layouts_has(s->layouts, "handbook") || plan_blocked(s->plan, "handbook/index.html"))
        return 0;
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set(d, "TITLE", "Policy handbook");
    handbook_stream hs = {g, NULL, 0, {0}, {0}, 0, 0, {0}};
    buf_init(&hs.skeleton);
    parsed_reader_init(&hs.html, g->pp);
    buf u;
    buf_init(&u);
    vars_full_url(&u, s, "/handbook/");
    tpl_dict_set(d, "URL", u.data);
    /* Every policy first, by section (slot ids in order), then a section
     * entry per section that has any, its policies made as it renders. */
    hs.pages = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *hs.pages);
    for (size_t k = 0; k < s->n_sections; k++) {
        const site_section *sec = &s->sections[k];
        size_t first = hs.n;
        for (size_t i = 0; i < sec->n_pages; i++)
            if (in_handbook(sec->pages[i]))
                hs.pages[hs.n++] = sec->pages[i]->index;
        if (hs.n == first)
            continue;
        tpl_dict *sd = tpl_dict_add_section(d, "HANDBOOK_SECTION");
        tpl_dict_set(sd, "HANDBOOK_SECTION_TITLE", sec->title);
        tpl_dict_set(sd, "HANDBOOK_SECTION_SLUG", sec->slug);
        handbook_entries he = {s, hs.pages + first, first};
        tpl_dict_add_lazy_section(sd, "HANDBOOK_POLICY", hs.n - first, fill_policy, &he, sizeof he);
    }
    tpl_dict_set_int(d, "HANDBOOK_COUNT", (long)hs.n);
    int err = 0;
    const layout *l = gen_layout(g, "handbook", d);
    /* With a cache, every policy's HTML is known by its parse's key: the
     * handbook made from the same as last time is linked, not rebuilt. */
    char key[65];
    const char **bodies = xcalloc(hs.n + 1, sizeof *bodies);
    int keyed = l != NULL;
    for (size_t i = 0; keyed && i < hs.n; i++)
        keyed = (bodies[i] = parsed_page_key(g->pp, hs.pages[i])) != NULL;
    if (keyed)
        gen_key(key, g, l, d, bodies, hs.n);
    free(bodies);
    if (keyed && output_reuse_keyed(g->o, "handbook/index.html", key))
        l = NULL;
    /* A render error is a finding (reported); a failed write is ours. The
     * dictionary (an entry per policy) is not needed once the skeleton is
     * made: freed before the bodies stream. */
    int skeleton = l && layout_render_slots(l, d, &hs.skeleton, &hs.slots, g->d) == 0;
    tpl_dict_free(d);
    if (skeleton)
        err = output_stream_keyed(g->o, "handbook/index.html", keyed ? key : NULL, handbook_fill,
                                  &hs, g->d);
    free(hs.pages);
    parsed_reader_release(&hs.html);
    tpl_slots_release(&hs.slots);
    buf_release(&hs.skeleton);
    buf_release(&u);
    return err < 0 ? -1 : 0;
}
