/* api: writes api/pages.json (schema "charter/pages@1"), the documented
 * machine-readable index of the site, with stable key order and 2-space
 * indentation so that diffs between builds stay readable. */
#include "api.h"

#include "history.h"

#include <string.h>

static void indent_to(buf *out, int n)
{
    buf_addc(out, '\n');
    for (int i = 0; i < n; i++)
        buf_adds(out, "  ");
}

void api_yaml_json(buf *out, const yaml_node *n, int indent)
{
    if (n->kind == YAML_SCALAR) {
        if (yaml_is_null(n))
            buf_adds(out, "null");
        else if (n->plain && (strcmp(n->value, "true") == 0 || strcmp(n->value, "false") == 0))
            buf_adds(out, n->value);
        else
            buf_add_json(out, n->value, n->value_len);
        return;
    }
    int is_map = n->kind == YAML_MAPPING;
    buf_addc(out, is_map ? '{' : '[');
    for (size_t i = 0; i < n->len; i++) {
        if (i)
            buf_addc(out, ',');
        indent_to(out, indent + 1);
        if (is_map) {
            buf_add_json(out, n->keys[i]->value, n->keys[i]->value_len);
            buf_adds(out, ": ");
        }
        api_yaml_json(out, n->items[i], indent + 1);
    }
    if (n->len)
        indent_to(out, indent);
    buf_addc(out, is_map ? '}' : ']');
}

static void member(buf *out, int indent, const char *key, const char *value, int comma)
{
    indent_to(out, indent);
    buf_add_json(out, key, strlen(key));
    buf_adds(out, ": ");
    if (value)
        buf_add_json(out, value, strlen(value));
    else
        buf_adds(out, "null");
    if (comma)
        buf_addc(out, ',');
}

static void json_list(buf *out, char **items, size_t n)
{
    buf_addc(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_adds(out, ", ");
        buf_add_json(out, items[i], strlen(items[i]));
    }
    buf_addc(out, ']');
}

static void json_or_null(buf *out, const char *s)
{
    if (s && *s)
        buf_add_json(out, s, strlen(s));
    else
        buf_adds(out, "null");
}

/* "history": the page's rows, newest first, one line each; then created,
 * last_changed and last_changed_by. */
static void history_json(buf *out, const page_history *ph)
{
    static const char *const kinds[] = {"commit", "uncommitted", "untracked", "truncated"};
    const hist_row *newest = NULL, *oldest = NULL;
    int truncated = 0;
    indent_to(out, 3);
    buf_adds(out, "\"history\": [");
    for (size_t i = 0; i < ph->n; i++) {
        const hist_row *r = &ph->rows[i];
        if (r->kind == HIST_COMMIT) {
            if (!newest)
                newest = r;
            oldest = r;
        }
        truncated |= r->kind == HIST_TRUNCATED;
        if (i)
            buf_addc(out, ',');
        indent_to(out, 4);
        buf_printf(out, "{\"kind\": \"%s\", \"commit\": ", kinds[r->kind]);
        json_or_null(out, r->commit);
        buf_adds(out, ", \"short\": ");
        json_or_null(out, r->shortid);
        buf_adds(out, ", \"date\": ");
        json_or_null(out, r->date);
        buf_adds(out, ", \"author\": ");
        json_or_null(out, r->author);
        buf_adds(out, ", \"summary\": ");
        json_or_null(out, r->summary);
        buf_adds(out, ", \"version\": ");
        buf_add_json(out, r->version ? r->version : "", r->version ? strlen(r->version) : 0);
        buf_printf(out, ", \"review\": %s, \"approved_by\": ", r->review ? "true" : "false");
        json_list(out, r->approved_by, r->n_approved);
        buf_adds(out, ", \"reviewed_by\": ");
        json_list(out, r->reviewed_by, r->n_reviewed);
        buf_addc(out, '}');
    }
    if (ph->n)
        indent_to(out, 3);
    buf_adds(out, "],");
    indent_to(out, 3);
    buf_adds(out, "\"created\": ");
    json_or_null(out, oldest && !truncated ? oldest->date : NULL);
    buf_addc(out, ',');
    indent_to(out, 3);
    buf_adds(out, "\"last_changed\": ");
    json_or_null(out, newest ? newest->date : NULL);
    buf_addc(out, ',');
    indent_to(out, 3);
    buf_adds(out, "\"last_changed_by\": ");
    json_or_null(out, newest ? newest->author : NULL);
    buf_addc(out, ',');
}

void api_pages_json(buf *out, const site *s)
{
    char date[11];
    buf url;
    buf_init(&url);
    buf_adds(out, "{");
    member(out, 1, "schema", "charter/pages@1", 1);
    indent_to(out, 1);
    buf_adds(out, "\"site\": {");
    member(out, 2, "title", s->cfg.title, 1);
    member(out, 2, "base_url", s->cfg.base_url, 1);
    date_format(date, s->as_of);
    member(out, 2, "as_of", date, 0);
    indent_to(out, 1);
    buf_adds(out, "},");
    indent_to(out, 1);
    buf_adds(out, "\"pages\": [");
    int first = 1;
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published)
            continue;
        if (!first)
            buf_addc(out, ',');
        first = 0;
        indent_to(out, 2);
        buf_addc(out, '{');
        buf_reset(&url);
        buf_adds(&url, s->cfg.base_url);
        buf_adds(&url, p->url + 1);
        member(out, 3, "url", url.data, 1);
        member(out, 3, "output", p->out_file, 1);
        member(out, 3, "source", p->src, 1);
        member(out, 3, "id", p->id, 1);
        member(out, 3, "title", p->title, 1);
        member(out, 3, "layout", p->layout, 1);
        member(out, 3, "section", p->section_title, 1);
        if (p->next_review >= 0)
            date_format(date, p->next_review);
        member(out, 3, "next_review", p->next_review >= 0 ? date : NULL, 1);
        member(out, 3, "review_state", review_state_slug(p->review), 1);
        if (s->history)
            history_json(out, history_page(s->history, i));
        indent_to(out, 3);
        buf_adds(out, "\"front_matter\": ");
        api_yaml_json(out, p->fm.data, 3);
        indent_to(out, 2);
        buf_addc(out, '}');
    }
    indent_to(out, 1);
    buf_adds(out, "]\n}\n");
    buf_release(&url);
}
