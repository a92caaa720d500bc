/* gen_redirects: a small page at each old address of a page (Hugo's
 * aliases:, Jekyll's redirect_from:, as plan.c claimed them) that sends
 * the reader on to the page: a refresh, a canonical link and a plain link
 * for readers without either, kept out of search engines and the sitemap. */
#include "gen.h"

#include "digest.h"

#include <string.h>

int gen_redirects(gen *g)
{
    size_t n;
    const plan_entry *e = plan_generated(g->s->plan, &n);
    int err = 0;
    buf html;
    buf_init(&html);
    for (size_t i = 0; i < n; i++) {
        const page *p = e[i].redirect_to;
        if (!p || e[i].blocked)
            continue;
        const char *title = p->title ? p->title : p->id;
        buf_reset(&html);
        /* In the page's language: its title is in it. */
        const yaml_node *ln = yamltree_get(p->fm.data, "lang");
        const char *lang = ln && yamltree_kind(ln) == YAML_SCALAR ? yamltree_text(ln) : NULL;
        buf_printf(&html,
                   "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<title>",
                   lang && config_language_ok(lang) ? lang : g->s->cfg.language);
        buf_add_html(&html, title, strlen(title));
        buf_adds(&html, "</title>\n<meta name=\"robots\" content=\"noindex\">\n"
                        "<link rel=\"canonical\" href=\"");
        buf_add_html(&html, p->full_url, strlen(p->full_url));
        buf_adds(&html, "\">\n<meta http-equiv=\"refresh\" content=\"0; url=");
        buf_add_html(&html, p->full_url, strlen(p->full_url));
        buf_adds(&html, "\">\n</head>\n<body>\n<p>This page has moved: <a href=\"");
        buf_add_html(&html, p->full_url, strlen(p->full_url));
        buf_adds(&html, "\">");
        buf_add_html(&html, title, strlen(title));
        buf_adds(&html, "</a>.</p>\n</body>\n</html>\n");
        /* Made from its own bytes alone. */
        char key[DIGEST_HEX];
        digest *h = digest_new();
        digest_add_str(h, "charter redirect 1");
        digest_add(h, html.data, html.len);
        digest_hex(h, key);
        digest_free(h);
        if (!output_reuse_keyed(g->o, e[i].out_file, key) &&
            output_write_keyed(g->o, e[i].out_file, key, html.data, html.len, g->d) != 0)
            err = -1;
    }
    buf_release(&html);
    return err;
}
