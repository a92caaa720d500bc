/* feed: feed.xml, an Atom feed (RFC 4287) of the newest policy changes
 * from the history, written through the one XML writer. */
#include "gen.h"

#include "paths.h"
#include "xml.h"

#include <stdint.h>
#include <string.h>

/* feed.xml: an Atom feed of the newest 50 policy changes. Entry ids are
 * urn:uuid: IRIs made from the commit ids, stable across builds. */

/* The evidence of a change as a line of the entry: its request, approvers,
 * reviewers, co-authors and a merge's commits' authors, or that no
 * approval is recorded. */
static void evidence_html(buf *html, const hist_row *row)
{
    buf line;
    buf_init(&line);
    if (row->request)
        buf_printf(&line, "%s %s", row->request[0] == '!' ? "Merge request" : "Pull request",
                   row->request);
    char **lists[4] = {row->approved_by, row->reviewed_by, row->co_authors, row->merged_authors};
    size_t counts[4] = {row->n_approved, row->n_reviewed, row->n_co_authors, row->n_merged_authors};
    const char *labels[4] = {"Approved by ", "Reviewed by ", "Co-authored by ",
                             "Merged commits by "};
    for (int k = 0; k < 4; k++)
        if (counts[k]) {
            buf_adds(&line, line.len ? " · " : "");
            buf_adds(&line, labels[k]);
            vars_join_names(&line, lists[k], counts[k]);
        }
    if (!history_row_approved(row))
        buf_adds(&line, "No approval recorded");
    buf_adds(html, "<p>");
    buf_add_html(html, line.data, line.len);
    buf_adds(html, "</p>");
    buf_release(&line);
}

int feed_write(gen *g)
{
    const site *s = g->s;
    size_t n;
    const change *ch = history_changes(g->h, &n);
    buf out, u, text;
    buf_init(&out);
    buf_init(&u);
    buf_init(&text);
    buf_adds(&out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    buf_printf(&text, "%s: policy changes", s->cfg.title);
    xml_elem(&out, 2, "title", text.data);
    vars_full_url(&u, s, "/feed.xml");
    buf_adds(&out, "  <link rel=\"self\"");
    xml_attr(&out, "href", u.data);
    buf_adds(&out, "/>\n");
    buf_reset(&text);
    if (url_is_external(u.data)) {
        buf_adds(&text, u.data);
    } else {
        /* No absolute address: a urn:uuid: from the site's title, stable. */
        uint64_t h1 = 1469598103934665603ULL, h2 = 0x9e3779b97f4a7c15ULL;
        for (const char *c = s->cfg.title; *c; c++) {
            h1 = (h1 ^ (unsigned char)*c) * 1099511628211ULL;
            h2 = (h2 ^ (unsigned char)*c) * 1099511628211ULL;
        }
        buf_printf(&text, "urn:uuid:%08x-%04x-%04x-%04x-%012llx", (unsigned)(h1 >> 32),
                   (unsigned)(h1 >> 16) & 0xffff, (unsigned)h1 & 0xffff, (unsigned)(h2 >> 48),
                   (unsigned long long)(h2 & 0xffffffffffffULL));
    }
    xml_elem(&out, 2, "id", text.data);
    buf_printf(&out, "  <updated>%sT00:00:00Z</updated>\n", n ? ch[0].row->date : "1970-01-01");
    for (size_t i = 0; i < n && i < 50; i++) {
        const hist_row *row = ch[i].row;
        const char *c = row->commit;
        buf_adds(&out, "  <entry>\n");
        /* A material change is the one staff must acknowledge again: its
         * title says so, where a feed reader shows it. */
        int material = row->change_type && !strcmp(row->change_type, "material");
        buf_reset(&text);
        buf_printf(&text, "%s%s", material ? "Material change: " : "", row->summary);
        xml_elem(&out, 4, "title", text.data);
        buf_printf(&out,
                   "    <id>urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s</id>\n"
                   "    <updated>%sT00:00:00Z</updated>\n    <author><name>",
                   c, c + 8, c + 12, c + 16, c + 20, row->date);
        xml_escapes(&out, row->author);
        buf_adds(&out, "</name></author>\n");
        buf_reset(&u);
        vars_full_url(&u, s, s->pages[ch[i].pages[0]]->url);
        buf_adds(&out, "    <link");
        xml_attr(&out, "href", u.data);
        buf_adds(&out, "/>\n    <content type=\"html\">");
        buf html;
        buf_init(&html);
        buf_adds(&html, "<ul>");
        for (size_t j = 0; j < ch[i].n_pages; j++) {
            const page *p = s->pages[ch[i].pages[j]];
            buf_adds(&html, "<li><a href=\"");
            buf_add_html(&html, p->full_url, strlen(p->full_url));
            buf_adds(&html, "\">");
            const char *t = p->title ? p->title : p->id;
            buf_add_html(&html, t, strlen(t));
            buf_adds(&html, "</a>");
            if (ch[i].rows[j]->version && *ch[i].rows[j]->version) {
                buf_adds(&html, " (version ");
                buf_add_html(&html, ch[i].rows[j]->version, strlen(ch[i].rows[j]->version));
                buf_adds(&html, ")");
            }
            if (ch[i].rows[j]->review)
                buf_adds(&html, " (reviewed)");
            buf_adds(&html, "</li>");
        }
        buf_adds(&html, "</ul>");
        evidence_html(&html, row);
        xml_escape(&out, html.data, html.len);
        buf_release(&html);
        buf_adds(&out, "</content>\n  </entry>\n");
    }
    buf_adds(&out, "</feed>\n");
    int err = output_write(g->o, "feed.xml", out.data, out.len, g->d);
    buf_release(&out);
    buf_release(&u);
    buf_release(&text);
    return err;
}
