/* search: search.json, the index the theme's search box reads: every
 * page's title, URL, section and the start of its text, and every control
 * page when the theme has them. Written through the one JSON writer. */
#include "gen.h"

#include "fs.h"
#include "json.h"

#include <stdlib.h>
#include <string.h>

/* One entry of search.json, on one line; section may be NULL. */
static void search_entry(json_writer *w, const char *title, const char *url, const char *section,
                         const char *text)
{
    json_begin_object(w, JSON_LINE);
    json_member_str(w, "title", title);
    json_member_str(w, "url", url);
    json_member_str(w, "section", section);
    json_member_str(w, "text", text);
    json_end(w);
}

/* search.json, written in parts (about 16 MB at 10,000 pages): the pages a
 * few hundred at a time, then the control pages. */
typedef struct search_stream {
    const gen *g;
    json_writer w;
    buf u, t, x;
    size_t next; /* the next page */
    int started;
    parsed_reader html; /* the pages' HTML, read back in order */
} search_stream;

/* The controls search.json lists (search_controls'), or NULL. */
static const framework *search_frameworks(const site *s, size_t *nf)
{
    *nf = 0;
    return s->catalog && layouts_has(s->layouts, "control") ? catalog_frameworks(s->catalog, nf)
                                                            : NULL;
}

static void search_controls(search_stream *ss)
{
    const site *s = ss->g->s;
    size_t nf;
    const framework *fws = search_frameworks(s, &nf);
    for (size_t f = 0; f < nf; f++)
        for (size_t i = 0; i < fws[f].n_controls; i++) {
            const control *c = &fws[f].controls[i];
            buf_reset(&ss->t);
            buf_adds(&ss->t, c->id);
            if (c->title && *c->title)
                buf_printf(&ss->t, " %s", c->title);
            buf_reset(&ss->u);
            vars_control_url(&ss->u, s, c);
            buf_reset(&ss->x);
            /* The group and the justification, a space between when both. */
            buf_adds(&ss->x, c->group ? c->group : "");
            if (c->justification && *c->justification)
                buf_printf(&ss->x, "%s%s", ss->x.len ? " " : "", c->justification);
            search_entry(&ss->w, ss->t.data, ss->u.data, fws[f].name, ss->x.data);
        }
}

static int search_fill(void *ctx, buf *chunk)
{
    search_stream *ss = ctx;
    const site *s = ss->g->s;
    ss->w.out = chunk;
    if (!ss->started) {
        ss->started = 1;
        json_begin_object(&ss->w, JSON_LINE);
        json_key(&ss->w, "pages");
        json_begin_array(&ss->w, JSON_BLOCK);
    }
    for (size_t until = chunk->len + FS_CHUNK_BYTES; ss->next < s->n_pages && chunk->len < until;
         ss->next++) {
        const page *p = s->pages[ss->next];
        if (!p->ok || !p->published || p->unsearched)
            continue;
        char *text;
        if (parsed_text(&text, &ss->html, ss->next, ss->g->d) != 0)
            return -1;
        search_entry(&ss->w, p->title ? p->title : p->id, p->full_url, p->section_title, text);
        free(text);
    }
    if (ss->next < s->n_pages)
        return 1;
    search_controls(ss);
    json_end(&ss->w);
    json_end(&ss->w);
    buf_addc(chunk, '\n');
    return 0;
}

int search_key(char key[DIGEST_HEX], const gen *g)
{
    const site *s = g->s;
    digest *h = digest_new();
    digest_add_str(h, digest_self());
    digest_add_str(h, "search.json");
    digest_add_long(h, (long)s->n_pages);
    int keyed = 1;
    for (size_t i = 0; i < s->n_pages && keyed; i++) {
        const page *p = s->pages[i];
        int shown = p->ok && p->published && !p->unsearched;
        digest_add_long(h, shown);
        if (!shown)
            continue;
        const char *text = parsed_text_key(g->pp, i);
        keyed = text != NULL;
        digest_add_str(h, p->title ? p->title : p->id);
        digest_add_str(h, p->full_url);
        digest_add_str(h, p->section_title);
        digest_add_str(h, text);
    }
    size_t nf;
    const framework *fws = search_frameworks(s, &nf);
    buf u;
    buf_init(&u);
    digest_add_long(h, (long)nf);
    for (size_t f = 0; f < nf; f++) {
        digest_add_str(h, fws[f].name);
        digest_add_long(h, (long)fws[f].n_controls);
        for (size_t i = 0; i < fws[f].n_controls; i++) {
            const control *c = &fws[f].controls[i];
            buf_reset(&u);
            vars_control_url(&u, s, c);
            digest_add_str(h, c->id);
            digest_add_str(h, c->title);
            digest_add_str(h, u.data);
            digest_add_str(h, c->group);
            digest_add_str(h, c->justification);
        }
    }
    buf_release(&u);
    digest_hex(h, key);
    digest_free(h);
    return keyed;
}

/* search.json: title, URL, section and text of every page, and of every
 * control page when the theme has them ("A.5.15 Access control"). Linked
 * from the previous build when what it shows is the same (search_key): an
 * edit past the start of a page's text does not make it again. */
int search_write(gen *g)
{
    char key[DIGEST_HEX], was[DIGEST_HEX];
    int keyed = search_key(key, g);
    int reused = keyed && output_reuse_keyed(g->o, "search.json", key);
    if (reused && !(g->check_reuse && output_keyed_digest(g->o, "search.json", key, was)))
        return 0;
    g->search_made = 1;
    search_stream ss = {.g = g};
    parsed_reader_init(&ss.html, g->pp);
    json_writer_init(&ss.w, NULL, 0);
    buf_init(&ss.u);
    buf_init(&ss.t);
    buf_init(&ss.x);
    /* Under CHARTER_CHECK_REUSE a linked file is made all the same, and
     * compared. */
    int err = reused ? gen_check_remade(g, "search.json", was, search_fill, &ss)
                     : output_stream_keyed(g->o, "search.json", keyed ? key : NULL, search_fill,
                                           &ss, g->d);
    json_writer_release(&ss.w);
    parsed_reader_release(&ss.html);
    buf_release(&ss.u);
    buf_release(&ss.t);
    buf_release(&ss.x);
    return err;
}
