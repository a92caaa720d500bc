/* search: search.json, the index the theme's search box reads: every
 * page's title, URL, section and the start of its text, and every control
 * page when the theme has them. Written through the one JSON writer. */
#include "gen.h"

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
} search_stream;

enum { SEARCH_CHUNK_PAGES = 512 };

static void search_controls(search_stream *ss)
{
    const site *s = ss->g->s;
    size_t nf = 0;
    const framework *fws = s->catalog && layouts_has(s->layouts, "control")
                               ? catalog_frameworks(s->catalog, &nf)
                               : NULL;
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
    for (size_t k = 0; ss->next < s->n_pages && k < SEARCH_CHUNK_PAGES; ss->next++) {
        const page *p = s->pages[ss->next];
        if (!p->ok || !p->published)
            continue;
        k++;
        char *text;
        if (parsed_text(&text, ss->g->pp, ss->next, ss->g->d) != 0)
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

/* search.json: title, URL, section and text of every page, and of every
 * control page when the theme has them ("A.5.15 Access control"). */
int search_write(gen *g)
{
    search_stream ss = {.g = g};
    json_writer_init(&ss.w, NULL, 0);
    buf_init(&ss.u);
    buf_init(&ss.t);
    buf_init(&ss.x);
    int err = output_stream(g->o, "search.json", search_fill, &ss, g->d);
    json_writer_release(&ss.w);
    buf_release(&ss.u);
    buf_release(&ss.t);
    buf_release(&ss.x);
    return err;
}
