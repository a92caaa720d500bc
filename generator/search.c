/* search: search.json, the index the theme's search box reads: every
 * page's title, URL, section and the start of its text, and every control
 * page when the theme has them. Written through the one JSON writer. */
#include "gen.h"

#include "json.h"

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

/* search.json: title, URL, section and text of every page, and of every
 * control page when the theme has them ("A.5.15 Access control"). */
int search_write(gen *g)
{
    const site *s = g->s;
    buf out, u, t, x;
    buf_init(&out);
    buf_init(&u);
    buf_init(&t);
    buf_init(&x);
    json_writer w;
    json_writer_init(&w, &out, 0);
    json_begin_object(&w, JSON_LINE);
    json_key(&w, "pages");
    json_begin_array(&w, JSON_BLOCK);
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published)
            continue;
        buf_reset(&u);
        vars_full_url(&u, s, p->url);
        search_entry(&w, p->title ? p->title : p->id, u.data, p->section_title,
                     parsed_page_at(g->pp, i)->search_text ? parsed_page_at(g->pp, i)->search_text
                                                           : "");
    }
    size_t nf = 0;
    const framework *fws = s->catalog && layouts_has(s->layouts, "control")
                               ? catalog_frameworks(s->catalog, &nf)
                               : NULL;
    for (size_t f = 0; f < nf; f++)
        for (size_t i = 0; i < fws[f].n_controls; i++) {
            const control *c = &fws[f].controls[i];
            buf_reset(&t);
            buf_adds(&t, c->id);
            if (c->title && *c->title)
                buf_printf(&t, " %s", c->title);
            buf_reset(&u);
            vars_control_url(&u, s, c);
            buf_reset(&x);
            /* The group and the justification, a space between when both. */
            buf_adds(&x, c->group ? c->group : "");
            if (c->justification && *c->justification)
                buf_printf(&x, "%s%s", x.len ? " " : "", c->justification);
            search_entry(&w, t.data, u.data, fws[f].name, x.data);
        }
    json_end(&w);
    json_end(&w);
    buf_addc(&out, '\n');
    json_writer_release(&w);
    int err = output_write(g->o, "search.json", out.data, out.len, g->d);
    buf_release(&out);
    buf_release(&u);
    buf_release(&t);
    buf_release(&x);
    return err;
}
