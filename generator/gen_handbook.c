/* gen_handbook: every approved policy in one page, by section, for reading
 * straight through and printing as one controlled document. The layout
 * renders once, with a slot where each body goes (recorded out of band: no
 * text of a page can pose as one); each body is the page's parsed HTML with
 * its ids prefixed, so anchors of different policies cannot collide. It is
 * streamed in segments (splice.h), the skeleton's text before each slot and
 * each body, so that a build copies what did not change out of the
 * previous handbook, and renders no skeleton when it is the same. */
#include "gen.h"

#include "digest.h"
#include "fs.h"
#include "markdown.h"

#include <stdint.h>
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

/* An approved policy (a policy page with status approved, or none), but
 * not one its author lays out as a plain page or the home page (an "About
 * this site" page that names an owner): the handbook prints policies. */
static int in_handbook(const page *p)
{
    return p->ok && p->published && p->policy && (!p->status || !strcmp(p->status, "approved")) &&
           !(p->layout && (!strcmp(p->layout, "page") || !strcmp(p->layout, "home")));
}

/* The page is written in chunks, a segment at a time: the skeleton's text
 * up to a slot (a gap), then that policy's body, read back from the parse
 * stage's scratch file or copied out of the previous handbook.
 *
 * A gap's key is "g <skeleton key> <k> <slot>": the k-th gap, followed by
 * the slot of that id ("end" after the last). A body's is "b <parse key>
 * <page id>": its HTML and its anchor. When the previous handbook's gaps
 * are keyed by this skeleton's key, its skeleton is this one, slots and
 * all: the gaps are copied, and the slots read from their keys. */
typedef struct handbook_stream {
    gen *g;
    size_t *pages; /* by slot id: indexes into s->pages */
    size_t n;
    buf skeleton;
    tpl_slots slots;
    size_t pos;         /* how much of the skeleton is written */
    size_t next;        /* the next slot to fill */
    parsed_reader html; /* the bodies, read back in about the parse's order */
    splice_stream *sp;  /* NULL: no keys (no cache) */
    const char *skel;   /* the skeleton's key */
    int from_prev;      /* the skeleton is the previous handbook's: not rendered */
    size_t seg;         /* from_prev: the next of the previous segments */
    int body_due;       /* the gap before slot `next` is written, its body not */
    int done;
    size_t differing; /* CHARTER_CHECK_REUSE: segments copied, made otherwise now */
    buf key;
    /* The commit the site is built from, when skel is made without it (a
     * stand-in in its place, as render.c does for the registers): the
     * digits it puts in the skeleton are segments of their own, so that a
     * commit that changes nothing else copies the skeleton's text. NULL
     * when skel holds it. */
    const char *commit;
    tpl_marks marks; /* where the skeleton names it */
    size_t mark;     /* the next of marks to write */
    int recommitted; /* the skeleton copied, another commit's digits replaced */
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

/* A decimal number at *p, moved past it: 0, or -1 when there is none. */
static int decimal(const char **p, size_t *out)
{
    const char *q = *p;
    size_t v = 0;
    if (*q < '0' || *q > '9')
        return -1;
    for (; *q >= '0' && *q <= '9'; q++) {
        if (v > (SIZE_MAX - 9) / 10)
            return -1;
        v = v * 10 + (size_t)(*q - '0');
    }
    *p = q;
    *out = v;
    return 0;
}

static void gap_key(handbook_stream *hs, size_t k, const size_t *slot)
{
    buf_reset(&hs->key);
    if (slot)
        buf_printf(&hs->key, "g %s %zu %zu", hs->skel, k, *slot);
    else
        buf_printf(&hs->key, "g %s %zu end", hs->skel, k);
}

/* The key of a piece of gap k before its slot: "p <skeleton key> <k>" for
 * text, "d <skeleton key> <k> <n>" for the commit's n digits (n > 0). */
static void piece_key(handbook_stream *hs, size_t k, size_t n)
{
    buf_reset(&hs->key);
    if (n)
        buf_printf(&hs->key, "d %s %zu %zu", hs->skel, k, n);
    else
        buf_printf(&hs->key, "p %s %zu", hs->skel, k);
}

/* What a previous segment's key is as a piece of gap k of skeleton skel:
 * 0 for text, the digits' count, or -1 when it is none. */
static int piece_of(const char *key, const char *skel, size_t k)
{
    size_t n = strlen(skel);
    if ((key[0] != 'p' && key[0] != 'd') || key[1] != ' ' || strncmp(key + 2, skel, n) != 0 ||
        key[2 + n] != ' ')
        return -1;
    const char *p = key + 3 + n;
    size_t at, digits = 0;
    if (decimal(&p, &at) != 0 || at != k)
        return -1;
    if (key[0] == 'p')
        return *p ? -1 : 0;
    return *p++ == ' ' && decimal(&p, &digits) == 0 && !*p && (digits == 40 || digits == 7)
               ? (int)digits
               : -1;
}

static void body_key(handbook_stream *hs, size_t id)
{
    const page *p = hs->g->s->pages[hs->pages[id]];
    buf_reset(&hs->key);
    buf_adds(&hs->key, "b ");
    buf_adds(&hs->key, parsed_page_key(hs->g->pp, p->index));
    buf_addc(&hs->key, ' ');
    buf_adds(&hs->key, p->id);
}

/* A body to make (splice_segment's make): page `page`'s. */
typedef struct body_job {
    handbook_stream *hs;
    size_t page;
} body_job;

static int make_body(void *ctx, buf *into)
{
    body_job *b = ctx;
    return add_body(b->hs, b->page, into);
}

/* Appends slot id's body, copied from the previous handbook when it has
 * one of its key, else made. `at`: the previous segment this slot's body
 * was, when known (-1: looked up by its key). */
static int add_slot(handbook_stream *hs, size_t id, long at, buf *chunk)
{
    if (id >= hs->n)
        return 0; /* a slot no policy fills */
    if (!hs->sp)
        return add_body(hs, hs->pages[id], chunk);
    body_key(hs, id);
    body_job b = {hs, hs->pages[id]};
    return splice_segment(hs->sp, hs->key.data, at, chunk, make_body, &b, hs->g->check_reuse,
                          &hs->differing) == -2
               ? -1
               : 0;
}

/* The next segment from the rendered skeleton: a gap, or the body after it. */
static int next_rendered(handbook_stream *hs, buf *chunk)
{
    if (hs->body_due) {
        hs->body_due = 0;
        return add_slot(hs, hs->slots.v[hs->next++].id, -1, chunk);
    }
    int last = hs->next >= hs->slots.n;
    size_t until = last ? hs->skeleton.len : hs->slots.v[hs->next].offset;
    /* The commit's digits in this gap, each a segment, after the text
     * before it. */
    for (; hs->sp && hs->commit && hs->mark < hs->marks.n; hs->mark++) {
        const tpl_mark *m = &hs->marks.v[hs->mark];
        size_t n = m->which == 1 ? 7 : 40, at = m->offset + m->len - n;
        if (at >= until)
            break;
        for (int digits = 0; digits < 2; digits++) {
            size_t from = chunk->len, len = digits ? n : at - hs->pos;
            buf_add(chunk, hs->skeleton.data + hs->pos, len);
            hs->pos += len;
            piece_key(hs, hs->next, digits ? n : 0);
            splice_mark_made(hs->sp, hs->key.data, chunk->data + from, len);
        }
    }
    size_t from = chunk->len;
    buf_add(chunk, hs->skeleton.data + hs->pos, until - hs->pos);
    hs->pos = until;
    if (hs->sp) {
        gap_key(hs, hs->next, last ? NULL : &hs->slots.v[hs->next].id);
        splice_mark_made(hs->sp, hs->key.data, chunk->data + from, chunk->len - from);
    }
    hs->done = last;
    hs->body_due = !last;
    return 0;
}

/* The slot a previous gap's key names after this skeleton's key and index
 * k: 1 and *slot, 0 for "end", -1 when it is another key. */
static int gap_slot(const char *key, const char *skel, size_t k, size_t *slot)
{
    size_t n = strlen(skel), at;
    if (key[0] != 'g' || key[1] != ' ' || strncmp(key + 2, skel, n) != 0 || key[2 + n] != ' ')
        return -1;
    const char *p = key + 3 + n;
    if (decimal(&p, &at) != 0 || at != k || *p++ != ' ')
        return -1;
    if (!strcmp(p, "end"))
        return 0;
    return decimal(&p, slot) == 0 && !*p ? 1 : -1;
}

/* Whether the previous handbook's segments are this skeleton's: gap k
 * keyed by it for k = 0, 1, ..., each followed by its slot's body when a
 * policy fills that slot, the last one "end". */
static int same_skeleton(handbook_stream *hs)
{
    size_t n = splice_count(hs->sp), i = 0, k = 0;
    while (i < n) {
        size_t slot;
        while (hs->commit && i < n && piece_of(splice_key(hs->sp, i), hs->skel, k) >= 0)
            i++;
        if (i == n)
            return 0;
        int r = gap_slot(splice_key(hs->sp, i++), hs->skel, k++, &slot);
        if (r <= 0)
            return r == 0 && i == n;
        if (slot < hs->n && (i >= n || strncmp(splice_key(hs->sp, i++), "b ", 2) != 0))
            return 0;
    }
    return 0;
}

/* Appends to got previous segment i's bytes, just taken into chunk from
 * `at` (read again when the take left them unread): 0, or -1. */
static int copied_into(buf *got, splice_stream *sp, size_t i, const buf *chunk, size_t at)
{
    long long off, len;
    splice_extent(sp, i, &off, &len);
    const char *b = splice_bytes(sp, i, chunk, at);
    if (!b)
        return -1;
    buf_add(got, b, (size_t)len);
    return 0;
}

/* The next segment with the previous skeleton: a gap copied, or the body
 * of the slot its key names. Under CHARTER_CHECK_REUSE the skeleton is
 * rendered all the same, and each gap copied compared with its own. */
static int next_copied(handbook_stream *hs, buf *chunk)
{
    size_t slot;
    int digits, failed = 0;
    /* CHARTER_CHECK_REUSE: the bytes copied, gathered (a take may leave
     * them unread: splice_lazy). */
    buf got;
    buf_init(&got);
    /* The pieces before the gap's last: text copied, this commit's digits. */
    while (!failed && hs->commit &&
           (digits = piece_of(splice_key(hs->sp, hs->seg), hs->skel, hs->next)) >= 0) {
        if (!digits) {
            size_t at = chunk->len;
            failed = splice_take(hs->sp, hs->seg, chunk) != 0;
            if (!failed && hs->g->check_reuse)
                failed = copied_into(&got, hs->sp, hs->seg, chunk, at);
        } else {
            /* Another commit's than the previous handbook's: counted. */
            buf was;
            buf_init(&was);
            hs->recommitted |= splice_peek(hs->sp, hs->seg, &was) != 0 ||
                               memcmp(was.data, hs->commit, (size_t)digits) != 0;
            buf_release(&was);
            size_t at = chunk->len;
            buf_add(chunk, hs->commit, (size_t)digits);
            splice_mark_made(hs->sp, splice_key(hs->sp, hs->seg), chunk->data + at, (size_t)digits);
            if (hs->g->check_reuse)
                buf_add(&got, hs->commit, (size_t)digits);
        }
        hs->seg++;
    }
    size_t i = hs->seg, gap_at = chunk->len;
    int r = gap_slot(splice_key(hs->sp, i), hs->skel, hs->next, &slot);
    if (failed || r < 0 || splice_take(hs->sp, i, chunk) != 0 ||
        (hs->g->check_reuse && copied_into(&got, hs->sp, i, chunk, gap_at) != 0)) {
        buf_release(&got);
        return diag_error(hs->g->d, NULL, 0, 0, "io",
                          "cannot read the previous 'handbook/index.html' in '%s'",
                          output_target(hs->g->o));
    }
    if (hs->g->check_reuse) {
        int last = hs->next >= hs->slots.n;
        size_t until = last ? hs->skeleton.len : hs->slots.v[hs->next].offset;
        hs->differing += until - hs->pos != got.len ||
                         memcmp(hs->skeleton.data + hs->pos, got.data, until - hs->pos) ||
                         last != (r == 0) || (!last && hs->slots.v[hs->next].id != slot);
        hs->pos = until;
    }
    buf_release(&got);
    hs->seg++;
    hs->next++;
    if (r == 0) {
        hs->done = 1;
        return 0;
    }
    long at = -1;
    if (slot < hs->n)
        at = (long)hs->seg++; /* the previous body: taken if its key is the same */
    return add_slot(hs, slot, at, chunk);
}

static int handbook_fill(void *ctx, buf *chunk)
{
    handbook_stream *hs = ctx;
    size_t full = chunk->len + FS_CHUNK_BYTES;
    while (!hs->done) {
        if (chunk->len >= full)
            return 1;
        if ((hs->from_prev ? next_copied(hs, chunk) : next_rendered(hs, chunk)) != 0)
            return -1;
    }
    return 0;
}

/* A section's policies in the handbook: page indexes, and the slot id of
 * the first (they follow in order). */
typedef struct handbook_entries {
    const site *s;
    const size_t *pages;
    size_t first;
    char (*keys)[65]; /* gen.entry_keys */
} handbook_entries;

static void policy_key(const void *ctx, size_t i, char key[65])
{
    const handbook_entries *h = ctx;
    memcpy(key, h->keys[h->pages[i]], 65);
}

static void fill_policy(const void *ctx, size_t i, tpl_dict *e)
{
    const handbook_entries *h = ctx;
    const page *p = h->s->pages[h->pages[i]];
    char date[11];
    buf a;
    buf_init(&a);
    tpl_dict_reserve(e, 16); /* title, URL, anchor, slot, review state and label, five shown */
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
        /* Printed as the policy page shows it: overdue, due soon. */
        tpl_dict_set(e, "ENTRY_REVIEW_STATE", review_state_slug(p->review));
        tpl_dict_set(e, "ENTRY_REVIEW_LABEL", review_state_label(p->review));
    }
    tpl_dict_set_slot(e, "POLICY_CONTENT", h->first + i);
    buf_release(&a);
}

int gen_handbook(gen *g)
{
    const site *s = g->s;
    if (!layouts_has(s->layouts, "handbook") ||
        plan_blocked(s->plan, config_gen_file(&s->cfg, GEN_HANDBOOK)))
        return 0;
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set(d, "TITLE", "Policy handbook");
    handbook_stream hs = {.g = g};
    buf_init(&hs.skeleton);
    buf_init(&hs.key);
    parsed_reader_init(&hs.html, g->pp);
    buf u;
    buf_init(&u);
    vars_full_url(&u, s, config_gen_url(&s->cfg, GEN_HANDBOOK));
    tpl_dict_set(d, "URL", u.data);
    /* Every policy first, by section (slot ids in order), then a section
     * entry per section that has any, its policies made as it renders. */
    hs.pages = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *hs.pages);
    /* The policies at the top of the content, in no section, first (HEAD~1
     * left them out of the handbook); not the home page, the site's cover. */
    const page **top = xcalloc(s->n_pages + 1, sizeof *top);
    size_t n_top = 0;
    for (size_t i = 0; i < s->n_pages; i++)
        if (!s->pages[i]->section_title && in_handbook(s->pages[i]) &&
            strcmp(s->pages[i]->url, "/") != 0)
            top[n_top++] = s->pages[i];
    site_sort_pages(top, n_top);
    for (size_t k = n_top ? 0 : 1; k <= s->n_sections; k++) {
        const site_section *sec = k ? &s->sections[k - 1] : NULL;
        size_t first = hs.n;
        for (size_t i = 0; i < (sec ? sec->n_pages : n_top); i++)
            if (in_handbook(sec ? sec->pages[i] : top[i]))
                hs.pages[hs.n++] = (sec ? sec->pages[i] : top[i])->index;
        if (hs.n == first)
            continue;
        tpl_dict *sd = tpl_dict_add_section(d, "HANDBOOK_SECTION");
        tpl_dict_set(sd, "HANDBOOK_SECTION_TITLE", sec ? sec->title : "General");
        tpl_dict_set(sd, "HANDBOOK_SECTION_SLUG", sec ? sec->slug : "general-policies");
        /* Keyed by each page's entry key; the slots' numbers follow from
         * the first one's. */
        handbook_entries he = {s, hs.pages + first, first, g->entry_keys};
        char variant[48];
        snprintf(variant, sizeof variant, "policy %zu", first);
        tpl_dict_add_lazy_section_keyed(sd, "HANDBOOK_POLICY", hs.n - first, fill_policy,
                                        policy_key, variant, &he, sizeof he);
    }
    tpl_dict_set_int(d, "HANDBOOK_COUNT", (long)hs.n);
    int err = 0;
    const layout *l = gen_layout(g, "handbook", d);
    /* With a cache, every policy's HTML is known by its parse's key: the
     * handbook made from the same as last time is linked, not rebuilt. Its
     * key: the skeleton's (the layout and the dictionary), then the
     * bodies'. */
    const char *rel = config_gen_file(&s->cfg, GEN_HANDBOOK);
    char skel[DIGEST_HEX], key[DIGEST_HEX];
    int keyed = l != NULL;
    for (size_t i = 0; keyed && i < hs.n; i++)
        keyed = parsed_page_key(g->pp, hs.pages[i]) != NULL;
    /* The commit the skeleton names (BUILD_COMMIT*): out of its key, into
     * the handbook's. */
    if (keyed && g->prov && strlen(g->prov->commit) == sizeof g->prov->commit - 1 &&
        tpl_dict_get(d, "BUILD_COMMIT", NULL))
        hs.commit = g->prov->commit;
    if (keyed) {
        if (hs.commit)
            vars_build_commit(d, g, GEN_STAND_IN_COMMIT);
        gen_key(skel, g, l, d, NULL, 0);
        if (hs.commit)
            vars_build_commit(d, g, hs.commit);
        digest *h = digest_new();
        digest_add_str(h, skel);
        if (hs.commit)
            digest_add_str(h, hs.commit);
        for (size_t i = 0; i < hs.n; i++)
            digest_add_str(h, parsed_page_key(g->pp, hs.pages[i]));
        digest_hex(h, key);
        digest_free(h);
    }
    if (keyed && output_reuse_keyed(g->o, rel, key))
        l = NULL;
    if (l && keyed) {
        hs.sp = output_splice(g->o, rel);
        hs.skel = skel;
        hs.from_prev = same_skeleton(&hs);
    }
    /* A render error is a finding (reported); a failed write is ours. The
     * dictionary (an entry per policy) is not needed once the skeleton is
     * made: freed before the bodies stream. */
    hs.marks = (tpl_marks){.watch = {tpl_dict_get(d, "BUILD_COMMIT", NULL),
                                     tpl_dict_get(d, "BUILD_COMMIT_SHORT", NULL),
                                     tpl_dict_get(d, "BUILD_COMMIT_URL", NULL)},
                           .n_watch = 3};
    int ready = l && ((hs.from_prev && !g->check_reuse) ||
                      layout_render_slots(l, d, &hs.skeleton, &hs.slots,
                                          hs.commit ? &hs.marks : NULL, g->d) == 0);
    if (ready && hs.commit && !hs.from_prev &&
        !gen_commit_marks(&hs.marks, &hs.skeleton, hs.commit)) {
        /* Its digits not where the marks say: the skeleton's gaps keyed by a
         * key that holds the commit, never copied into another's build. */
        digest *h = digest_new();
        digest_add_str(h, skel);
        digest_add_str(h, hs.commit);
        digest_hex(h, skel);
        digest_free(h);
        hs.commit = NULL;
    }
    tpl_dict_free(d);
    if (ready)
        err = output_stream_keyed(g->o, rel, keyed ? key : NULL, handbook_fill, &hs, g->d);
    if (ready && err == 0 && hs.recommitted)
        output_count_recommitted(g->o);
    if (hs.sp)
        output_splice_end(g->o, rel, hs.sp, ready ? err : -1);
    gen_report_spliced(g, rel, hs.differing);
    free(hs.pages);
    free(top);
    parsed_reader_release(&hs.html);
    tpl_slots_release(&hs.slots);
    tpl_marks_release(&hs.marks);
    buf_release(&hs.skeleton);
    buf_release(&hs.key);
    buf_release(&u);
    return err < 0 ? -1 : 0;
}
