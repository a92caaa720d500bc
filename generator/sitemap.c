/* sitemap: sitemap.xml (sitemaps.org protocol 0.9): every page and every
 * generated page charter writes, as the plan lists them. The protocol wants
 * fully qualified URLs, so it is written only when base_url has a scheme
 * and host (https://policies.example.com/): a sitemap of "/soa/" would be
 * refused by every search engine that reads it. */
#include "gen.h"

#include "paths.h"
#include "xml.h"

/* sitemap.xml: every page's URL (full: base_url and the path encoded). */
static void sitemap_url(buf *out, const char *full, size_t len)
{
    buf_adds(out, "  <url><loc>");
    xml_escape(out, full, len);
    buf_adds(out, "</loc></url>\n");
}

int sitemap_write(gen *g)
{
    const site *s = g->s;
    if (!url_is_external(s->cfg.base_url))
        return 0;
    buf out, u;
    buf_init(&out);
    buf_init(&u);
    buf_adds(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (size_t i = 0; i < s->n_pages; i++)
        if (s->pages[i]->ok && s->pages[i]->published && !s->pages[i]->unsearched)
            sitemap_url(&out, s->pages[i]->full_url, strlen(s->pages[i]->full_url));
    /* The generated pages, as planned, less those not written. */
    size_t n;
    const plan_entry *e = plan_generated(s->plan, &n);
    for (size_t i = 0; i < n; i++)
        if (e[i].url && !e[i].blocked && (!e[i].needs_history || history_found(g->h))) {
            buf_reset(&u);
            vars_full_url(&u, s, e[i].url);
            sitemap_url(&out, u.data, u.len);
        }
    buf_adds(&out, "</urlset>\n");
    int err = output_write(g->o, "sitemap.xml", out.data, out.len, g->d);
    buf_release(&out);
    buf_release(&u);
    return err;
}
