/* diff_out: a diff_result (diff.h) as text for a terminal (with colour when
 * it is one), Markdown for a pull request comment or a job summary (kept
 * under a size limit by summarising the longest redlines), JSON
 * (charter/diff@1), or HTML: an index and a redline page per changed
 * policy, written through output.c. */
#include "diff_out.h"

#include "json.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>

#define CONTEXT 8 /* words kept around each change in text and Markdown */

static const char *const level_names[] = {"error", "warning", "note"};

static const char *control_kind(diff_control_kind k)
{
    switch (k) {
    case DIFF_UNCOVERED:
        return "now covered by no policy";
    case DIFF_COVERED:
        return "now covered";
    case DIFF_NOW_APPLICABLE:
        return "now applicable";
    case DIFF_NOT_APPLICABLE:
        return "now not applicable";
    case DIFF_SOA_CHANGED:
        return "statement of applicability changed";
    }
    return "";
}

static const char *control_key(diff_control_kind k)
{
    static const char *const keys[] = {"uncovered", "covered", "now-applicable", "not-applicable",
                                       "soa-changed"};
    return keys[k];
}

static const char *page_file(const diff_page *p)
{
    return p->new_file ? p->new_file : p->old_file;
}

/* file, then :line and :col where known (a finding about the whole file
 * has neither, as check prints it), then end. */
static void add_where(buf *out, const char *file, int line, int col, const char *end)
{
    buf_adds(out, file);
    if (line > 0) {
        buf_printf(out, ":%d", line);
        if (col > 0)
            buf_printf(out, ":%d", col);
    }
    buf_adds(out, end);
}

/* --- redlines ------------------------------------------------------------------------ */

/* How a redline is marked in one format. */
typedef struct marks {
    const char *del_open, *del_close, *ins_open, *ins_close, *gap;
    const char *para; /* a paragraph break */
    void (*text)(buf *out, const char *s, size_t len);
} marks;

/* For a terminal or a CI log: what the pages say (titles, values, words,
 * messages), which a pull request writes, with control characters, escape
 * sequences and bidirectional overrides made visible (diag_term_safe). */
static void plain(buf *out, const char *s, size_t len)
{
    diag_term_safe(out, s, len);
}

/* s made safe for a terminal (plain), in one of a few scratch buffers: the
 * arguments of one buf_printf each get their own. */
typedef struct scratch {
    buf b[8];
    size_t next;
} scratch;

static const char *ts(scratch *sc, const char *s)
{
    buf *b = &sc->b[sc->next++ % 8];
    buf_reset(b);
    plain(b, s ? s : "", s ? strlen(s) : 0);
    return b->data;
}

static void html_text(buf *out, const char *s, size_t len)
{
    buf_add_html(out, s, len);
}

/* Markdown: the characters that would start markup, escaped; a line
 * break or another control character (which could start a line of
 * markup of its own) a space. */
static void md_text(buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            buf_addc(out, ' ');
            continue;
        }
        /* Bidirectional marks and overrides (U+061C, U+200E, U+200F,
         * U+202A-U+202E, U+2066-U+2069): dropped, as they would reorder
         * the summary a reviewer reads. */
        const unsigned char *u = (const unsigned char *)s + i;
        if ((c == 0xD8 && i + 1 < len && u[1] == 0x9C) ||
            (c == 0xE2 && i + 2 < len && u[1] == 0x80 &&
             (u[2] == 0x8E || u[2] == 0x8F || (u[2] >= 0xAA && u[2] <= 0xAE))) ||
            (c == 0xE2 && i + 2 < len && u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9)) {
            i += c == 0xD8 ? 1 : 2;
            continue;
        }
        if (strchr("\\`*_[]<>#|~!&", s[i]))
            buf_addc(out, '\\');
        buf_addc(out, s[i]);
    }
}

static void words(buf *out, const redline_word *w, size_t from, size_t to, const marks *m)
{
    for (size_t i = from; i < to; i++) {
        if (redline_is_break(&w[i])) {
            buf_adds(out, m->para);
            continue;
        }
        if (i > from && !redline_is_break(&w[i - 1]))
            buf_addc(out, ' ');
        m->text(out, w[i].s, w[i].len);
    }
}

/* Whether run's last (or first) word is a paragraph break. */
static int edge_break(const redline *r, const redline_run *run, int last)
{
    const redline_word *w = run->op == REDLINE_INS ? r->b : r->a;
    return run->to > run->from && redline_is_break(&w[last ? run->to - 1 : run->from]);
}

/* Appends r's redline; with context, unchanged stretches keep CONTEXT words
 * at each side of a change and the rest becomes m->gap. */
static void redline_out(buf *out, const redline *r, const marks *m, int context)
{
    for (size_t i = 0; i < r->n_runs; i++) {
        const redline_run *run = &r->runs[i];
        if (i && !edge_break(r, &r->runs[i - 1], 1) && !edge_break(r, run, 0))
            buf_addc(out, ' ');
        if (run->op == REDLINE_DEL) {
            buf_adds(out, m->del_open);
            words(out, r->a, run->from, run->to, m);
            buf_adds(out, m->del_close);
        } else if (run->op == REDLINE_INS) {
            buf_adds(out, m->ins_open);
            words(out, r->b, run->from, run->to, m);
            buf_adds(out, m->ins_close);
        } else if (!context || run->to - run->from <= 2 * CONTEXT + 1) {
            words(out, r->a, run->from, run->to, m);
        } else {
            size_t head = i ? CONTEXT : 0, tail = i + 1 < r->n_runs ? CONTEXT : 0;
            if (head)
                words(out, r->a, run->from, run->from + head, m);
            buf_adds(out, head ? " " : "");
            buf_adds(out, m->gap);
            if (tail) {
                buf_addc(out, ' ');
                words(out, r->a, run->to - tail, run->to, m);
            }
        }
    }
}

/* The controls a page cites now and no longer, in one line, as m marks
 * them (added with ins_open/close, removed with del_open/close). */
static void controls_out(buf *out, const diff_page *p, const char *lead, const char *end,
                         const marks *m)
{
    if (!p->n_added && !p->n_removed)
        return;
    buf_adds(out, lead);
    for (size_t k = 0; k < p->n_added + p->n_removed; k++) {
        int added = k < p->n_added;
        const char *id = added ? p->controls_added[k] : p->controls_removed[k - p->n_added];
        buf_addc(out, ' ');
        buf_adds(out, added ? m->ins_open : m->del_open);
        m->text(out, id, strlen(id));
        buf_adds(out, added ? m->ins_close : m->del_close);
    }
    buf_adds(out, end);
}

static const marks plain_controls = {"-", "", "+", "", "", "", plain};
static const marks md_controls = {"~~", "~~", "**+", "**", "", "", plain};
static const marks html_controls = {"<del>", "</del>", "<ins>", "</ins>", "", "", html_text};

/* --- text ------------------------------------------------------------------------------ */

static void color(buf *out, int on, const char *code)
{
    if (on)
        buf_printf(out, "\x1b[%sm", code);
}

void diff_write_text(buf *out, const diff_result *r, int use_color)
{
    scratch sc = {.next = 0};
    for (size_t i = 0; i < 8; i++)
        buf_init(&sc.b[i]);
    buf_printf(out, "charter diff: %s -> %s\n", ts(&sc, r->base_label), ts(&sc, r->head_label));
    if (!r->n_pages && !r->n_controls && !r->n_added && !r->n_fixed) {
        buf_adds(out, "no change to the policies\n");
        goto done;
    }
    marks m = {use_color ? "\x1b[31m[-" : "[-",
               use_color ? "-]\x1b[m" : "-]",
               use_color ? "\x1b[32m{+" : "{+",
               use_color ? "+}\x1b[m" : "+}",
               "...",
               "\n           ",
               plain};
    if (r->n_pages)
        buf_adds(out, "\npages:\n");
    for (size_t i = 0; i < r->n_pages; i++) {
        const diff_page *p = &r->pages[i];
        color(out, use_color, "1");
        if (p->kind == DIFF_ADDED)
            buf_printf(out, "  added    %s", ts(&sc, p->new_file));
        else if (p->kind == DIFF_REMOVED)
            buf_printf(out, "  removed  %s", ts(&sc, p->old_file));
        else if (p->renamed)
            buf_printf(out, "  renamed  %s -> %s", ts(&sc, p->old_file), ts(&sc, p->new_file));
        else
            buf_printf(out, "  changed  %s", ts(&sc, p->new_file));
        color(out, use_color, "0");
        buf_printf(out, " (%s%s%s)\n", ts(&sc, p->title), p->id[0] ? ", " : "", ts(&sc, p->id));
        for (size_t k = 0; k < p->n_fields; k++)
            buf_printf(out, "           %s: %s -> %s\n", ts(&sc, p->fields[k].key),
                       p->fields[k].old[0] ? ts(&sc, p->fields[k].old) : "(none)",
                       p->fields[k].new[0] ? ts(&sc, p->fields[k].new) : "(none)");
        controls_out(out, p, "           controls:", "\n", &plain_controls);
        if (p->body_changed) {
            buf_printf(out, "           text: %zu word%s removed, %zu added\n           ",
                       p->red.deleted, p->red.deleted == 1 ? "" : "s", p->red.inserted);
            redline_out(out, &p->red, &m, 1);
            buf_addc(out, '\n');
        }
    }
    if (r->n_controls)
        buf_adds(out, "\ncontrols:\n");
    for (size_t i = 0; i < r->n_controls; i++) {
        const diff_control *c = &r->controls[i];
        buf_printf(out, "  %s %s (%s): %s", ts(&sc, c->framework), ts(&sc, c->id),
                   ts(&sc, c->title), control_kind(c->kind));
        if (c->old || c->new)
            buf_printf(out, ": '%s' -> '%s'", ts(&sc, c->old), ts(&sc, c->new));
        buf_addc(out, '\n');
    }
    const diff_finding *lists[2] = {r->added, r->fixed};
    size_t ns[2] = {r->n_added, r->n_fixed};
    const char *heads[2] = {"\nfindings this change introduces:\n", "\nfindings it fixes:\n"};
    for (int l = 0; l < 2; l++) {
        if (ns[l])
            buf_adds(out, heads[l]);
        for (size_t i = 0; i < ns[l]; i++) {
            const diff_finding *f = &lists[l][i];
            buf_adds(out, "  ");
            if (f->file)
                add_where(out, ts(&sc, f->file), f->line, f->col, ": ");
            color(out, use_color, f->level == DIAG_ERROR ? "31" : "33");
            buf_adds(out, level_names[f->level]);
            color(out, use_color, "0");
            buf_printf(out, ": %s [%s]\n", ts(&sc, f->message), ts(&sc, f->id));
        }
    }
    buf_printf(out,
               "\n%zu page%s changed; %zu control change%s; %zu finding%s introduced, %zu fixed\n",
               r->n_pages, r->n_pages == 1 ? "" : "s", r->n_controls, r->n_controls == 1 ? "" : "s",
               r->n_added, r->n_added == 1 ? "" : "s", r->n_fixed);
done:
    for (size_t i = 0; i < 8; i++)
        buf_release(&sc.b[i]);
}

/* --- Markdown ------------------------------------------------------------------------------ */

/* The Markdown of one page's redline, or its summary. */
static void md_redline(buf *out, const diff_page *p, int summary, const char *url)
{
    if (summary) {
        buf_printf(out,
                   "\n> Redline left out to keep this comment short: %zu words removed, %zu "
                   "added.",
                   p->red.deleted, p->red.inserted);
        if (url)
            buf_printf(out, " The full redline: <%s>.", url);
        buf_addc(out, '\n');
        return;
    }
    marks m = {"<del>", "</del>", "<ins>", "</ins>", "…", "\n>\n> ", md_text};
    buf_adds(out, "\n> ");
    redline_out(out, &p->red, &m, 1);
    buf_addc(out, '\n');
}

static void md_all(buf *out, const diff_result *r, const char *const *summarised, size_t limit,
                   const char *url)
{
    buf_printf(out, "### Policy changes: %s → %s\n\n", r->base_label, r->head_label);
    if (!r->n_pages && !r->n_controls && !r->n_added && !r->n_fixed) {
        buf_adds(out, "No change to the policies.\n");
        return;
    }
    buf_printf(out,
               "%zu page%s changed, %zu control change%s, **%zu finding%s introduced**, %zu "
               "fixed.\n",
               r->n_pages, r->n_pages == 1 ? "" : "s", r->n_controls, r->n_controls == 1 ? "" : "s",
               r->n_added, r->n_added == 1 ? "" : "s", r->n_fixed);
    for (size_t i = 0; i < r->n_pages; i++) {
        const diff_page *p = &r->pages[i];
        static const char *const kinds[] = {"Added", "Removed", "Changed"};
        buf_printf(out, "\n#### %s: ", p->renamed ? "Renamed" : kinds[p->kind]);
        md_text(out, p->title, strlen(p->title));
        buf_adds(out, " (`");
        buf_adds(out, p->renamed ? p->old_file : page_file(p));
        if (p->renamed)
            buf_printf(out, "` → `%s", p->new_file);
        buf_adds(out, "`)\n");
        if (p->n_fields) {
            buf_adds(out, "\n| Key | Before | After |\n| --- | --- | --- |\n");
            for (size_t k = 0; k < p->n_fields; k++) {
                buf_printf(out, "| %s | ", p->fields[k].key);
                md_text(out, p->fields[k].old, strlen(p->fields[k].old));
                buf_adds(out, " | ");
                md_text(out, p->fields[k].new, strlen(p->fields[k].new));
                buf_adds(out, " |\n");
            }
        }
        controls_out(out, p, "\nControls:", "\n", &md_controls);
        if (p->body_changed) {
            int cut = 0;
            for (size_t k = 0; summarised && summarised[k]; k++)
                cut |= !strcmp(summarised[k], page_file(p));
            md_redline(out, p, cut, url);
        }
    }
    if (r->n_controls) {
        buf_adds(out, "\n#### Coverage and applicability\n\n| Control | Change |\n| --- | --- |\n");
        for (size_t i = 0; i < r->n_controls; i++) {
            const diff_control *c = &r->controls[i];
            buf_printf(out, "| %s %s ", c->framework, c->id);
            md_text(out, c->title, strlen(c->title));
            buf_printf(out, " | %s", control_kind(c->kind));
            if (c->old || c->new) {
                buf_adds(out, ": ");
                md_text(out, c->old ? c->old : "", c->old ? strlen(c->old) : 0);
                buf_adds(out, " → ");
                md_text(out, c->new ? c->new : "", c->new ? strlen(c->new) : 0);
            }
            buf_adds(out, " |\n");
        }
    }
    const diff_finding *lists[2] = {r->added, r->fixed};
    size_t ns[2] = {r->n_added, r->n_fixed};
    const char *heads[2] = {"\n#### Findings introduced\n\n", "\n#### Findings fixed\n\n"};
    for (int l = 0; l < 2; l++) {
        if (!ns[l])
            continue;
        buf_adds(out, heads[l]);
        for (size_t i = 0; i < ns[l]; i++) {
            const diff_finding *f = &lists[l][i];
            buf_printf(out, "- **%s** ", level_names[f->level]);
            if (f->file) {
                buf_addc(out, '`');
                add_where(out, f->file, f->line, f->col, "` ");
            }
            md_text(out, f->message, strlen(f->message));
            buf_printf(out, " `[%s]`\n", f->id);
        }
    }
    (void)limit;
}

static int by_redline_size(const void *x, const void *y)
{
    const diff_page *a = *(const diff_page *const *)x, *b = *(const diff_page *const *)y;
    size_t sa = a->red.deleted + a->red.inserted, sb = b->red.deleted + b->red.inserted;
    return sa < sb ? 1 : sa > sb ? -1 : strcmp(page_file(a), page_file(b));
}

void diff_write_markdown(buf *out, const diff_result *r, size_t limit, const char *redline_url)
{
    size_t start = out->len;
    md_all(out, r, NULL, limit, redline_url);
    if (out->len - start <= limit)
        return;
    /* Too long: the longest redlines give way to a line each, one by one. */
    const diff_page **order = xcalloc(r->n_pages + 1, sizeof *order);
    const char **cut = xcalloc(r->n_pages + 1, sizeof *cut);
    size_t n = 0, ncut = 0;
    for (size_t i = 0; i < r->n_pages; i++)
        if (r->pages[i].body_changed)
            order[n++] = &r->pages[i];
    qsort(order, n, sizeof *order, by_redline_size);
    while (out->len - start > limit && ncut < n) {
        cut[ncut] = page_file(order[ncut]);
        ncut++;
        buf_truncate(out, start);
        md_all(out, r, cut, limit, redline_url);
    }
    if (out->len - start > limit) {
        /* Still too long (thousands of pages): cut at a line, and say so. */
        const char *note = "\n\n*The rest is left out: see the full report.*\n";
        size_t keep = limit - strlen(note);
        while (keep > 0 && out->data[start + keep] != '\n')
            keep--;
        buf_truncate(out, start + keep);
        buf_adds(out, note);
    }
    free(order);
    free(cut);
}

/* --- JSON ------------------------------------------------------------------------------------ */

static void json_redline(json_writer *w, const redline *r)
{
    json_begin_array(w, JSON_BLOCK);
    for (size_t i = 0; i < r->n_runs; i++) {
        const redline_run *run = &r->runs[i];
        const redline_word *v = run->op == REDLINE_INS ? r->b : r->a;
        buf text;
        buf_init(&text);
        for (size_t k = run->from; k < run->to; k++) {
            if (k > run->from && !redline_is_break(&v[k]) && !redline_is_break(&v[k - 1]))
                buf_addc(&text, ' ');
            buf_add(&text, v[k].s, v[k].len);
        }
        json_begin_object(w, JSON_LINE);
        json_member_str(w, "op",
                        run->op == REDLINE_SAME  ? "same"
                        : run->op == REDLINE_DEL ? "delete"
                                                 : "insert");
        json_member_str(w, "text", text.data);
        json_end(w);
        buf_release(&text);
    }
    json_end(w);
}

static void json_findings(json_writer *w, const char *key, const diff_finding *v, size_t n)
{
    json_key(w, key);
    json_begin_array(w, JSON_BLOCK);
    for (size_t i = 0; i < n; i++) {
        json_begin_object(w, JSON_LINE);
        json_member_str(w, "level", level_names[v[i].level]);
        json_key(w, "file");
        if (v[i].file)
            json_str(w, v[i].file);
        else
            json_null(w);
        json_member_int(w, "line", v[i].line);
        json_member_int(w, "column", v[i].col);
        json_member_str(w, "id", v[i].id);
        json_member_str(w, "message", v[i].message);
        json_key(w, "rule");
        json_bool(w, v[i].rule);
        json_end(w);
    }
    json_end(w);
}

static void json_list(json_writer *w, const char *key, char *const *v, size_t n)
{
    json_key(w, key);
    json_begin_array(w, JSON_LINE);
    for (size_t i = 0; i < n; i++)
        json_str(w, v[i]);
    json_end(w);
}

void diff_write_json(buf *out, const diff_result *r)
{
    json_writer w;
    json_writer_init(&w, out, 0);
    json_begin_object(&w, JSON_BLOCK);
    json_member_str(&w, "schema", "charter/diff@1");
    json_member_str(&w, "base", r->base_label);
    json_member_str(&w, "head", r->head_label);
    json_key(&w, "pages");
    json_begin_array(&w, JSON_BLOCK);
    static const char *const kinds[] = {"added", "removed", "changed"};
    for (size_t i = 0; i < r->n_pages; i++) {
        const diff_page *p = &r->pages[i];
        json_begin_object(&w, JSON_BLOCK);
        json_member_str(&w, "change", p->renamed ? "renamed" : kinds[p->kind]);
        json_key(&w, "old_file");
        p->old_file ? json_str(&w, p->old_file) : json_null(&w);
        json_key(&w, "new_file");
        p->new_file ? json_str(&w, p->new_file) : json_null(&w);
        json_member_str(&w, "title", p->title);
        json_member_str(&w, "id", p->id);
        json_key(&w, "fields");
        json_begin_array(&w, JSON_BLOCK);
        for (size_t k = 0; k < p->n_fields; k++) {
            json_begin_object(&w, JSON_LINE);
            json_member_str(&w, "key", p->fields[k].key);
            json_member_str(&w, "old", p->fields[k].old);
            json_member_str(&w, "new", p->fields[k].new);
            json_end(&w);
        }
        json_end(&w);
        json_list(&w, "controls_added", p->controls_added, p->n_added);
        json_list(&w, "controls_removed", p->controls_removed, p->n_removed);
        json_key(&w, "text_changed");
        json_bool(&w, p->body_changed);
        if (p->body_changed) {
            json_member_int(&w, "words_removed", (long long)p->red.deleted);
            json_member_int(&w, "words_added", (long long)p->red.inserted);
            json_key(&w, "redline");
            json_redline(&w, &p->red);
        }
        json_end(&w);
    }
    json_end(&w);
    json_key(&w, "controls");
    json_begin_array(&w, JSON_BLOCK);
    for (size_t i = 0; i < r->n_controls; i++) {
        const diff_control *c = &r->controls[i];
        json_begin_object(&w, JSON_LINE);
        json_member_str(&w, "change", control_key(c->kind));
        json_member_str(&w, "framework", c->framework);
        json_member_str(&w, "id", c->id);
        json_member_str(&w, "title", c->title);
        if (c->old || c->new) {
            json_member_str(&w, "old", c->old ? c->old : "");
            json_member_str(&w, "new", c->new ? c->new : "");
        }
        json_end(&w);
    }
    json_end(&w);
    json_findings(&w, "findings_introduced", r->added, r->n_added);
    json_findings(&w, "findings_fixed", r->fixed, r->n_fixed);
    json_end(&w);
    buf_addc(out, '\n');
    json_writer_release(&w);
}

/* --- HTML ---------------------------------------------------------------------------------------
 */

static const char diff_css[] =
    "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "color:#1f2937}\n"
    "del{background:#fee2e2;color:#991b1b}\nins{background:#dcfce7;color:#166534;"
    "text-decoration:none;border-bottom:2px solid #16a34a}\n"
    "table{border-collapse:collapse}td,th{border:1px solid #d1d5db;padding:.25rem .5rem;"
    "text-align:left}\n.redline{white-space:pre-wrap}\n";

/* The redline page's name: the page's path with '/' as '-'. */
static void page_name(buf *out, const diff_page *p)
{
    for (const char *s = page_file(p); *s; s++)
        buf_addc(out, *s == '/' ? '-' : *s);
    buf_adds(out, ".html");
}

static void html_head(buf *out, const char *title, const char *css)
{
    buf_adds(out, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>");
    buf_add_html(out, title, strlen(title));
    buf_printf(out, "</title>\n<link rel=\"stylesheet\" href=\"%s\">\n</head>\n<body>\n<main>\n",
               css);
}

int diff_write_html(const diff_result *r, const char *dir, const char *const *sources, diags *d)
{
    output *o = NULL;
    if (output_begin(&o, dir, sources, d) != 0)
        return -1;
    buf idx, page, name;
    buf_init(&idx);
    buf_init(&page);
    buf_init(&name);
    int err = 0;
    buf title;
    buf_init(&title);
    buf_printf(&title, "Policy changes: %s → %s", r->base_label, r->head_label);
    html_head(&idx, title.data, "diff.css");
    buf_adds(&idx, "<h1>");
    buf_add_html(&idx, title.data, title.len);
    buf_printf(&idx,
               "</h1>\n<p>%zu page%s changed, %zu control change%s, %zu finding%s "
               "introduced, %zu fixed.</p>\n",
               r->n_pages, r->n_pages == 1 ? "" : "s", r->n_controls, r->n_controls == 1 ? "" : "s",
               r->n_added, r->n_added == 1 ? "" : "s", r->n_fixed);
    marks m = {"<del>", "</del>", "<ins>", "</ins>", "…", "\n\n", html_text};
    if (r->n_pages)
        buf_adds(&idx, "<h2>Pages</h2>\n<ul>\n");
    static const char *const kinds[] = {"added", "removed", "changed"};
    for (size_t i = 0; i < r->n_pages; i++) {
        const diff_page *p = &r->pages[i];
        buf_printf(&idx, "<li>%s: ", p->renamed ? "renamed" : kinds[p->kind]);
        buf_reset(&name);
        page_name(&name, p);
        buf_printf(&idx, "<a href=\"%s\">", name.data);
        buf_add_html(&idx, p->title, strlen(p->title));
        buf_adds(&idx, "</a> <code>");
        buf_add_html(&idx, page_file(p), strlen(page_file(p)));
        buf_adds(&idx, "</code></li>\n");
        /* Its own page: the fields, the controls, the whole text as a redline. */
        buf_reset(&page);
        html_head(&page, p->title, "diff.css");
        buf_adds(&page, "<p><a href=\"index.html\">All changes</a></p>\n<h1>");
        buf_add_html(&page, p->title, strlen(p->title));
        buf_printf(&page, "</h1>\n<p>%s <code>", p->renamed ? "renamed" : kinds[p->kind]);
        buf_add_html(&page, page_file(p), strlen(page_file(p)));
        buf_adds(&page, "</code></p>\n");
        if (p->n_fields) {
            buf_adds(&page, "<table>\n<tr><th>Key</th><th>Before</th><th>After</th></tr>\n");
            for (size_t k = 0; k < p->n_fields; k++) {
                buf_printf(&page, "<tr><td>%s</td><td>", p->fields[k].key);
                buf_add_html(&page, p->fields[k].old, strlen(p->fields[k].old));
                buf_adds(&page, "</td><td>");
                buf_add_html(&page, p->fields[k].new, strlen(p->fields[k].new));
                buf_adds(&page, "</td></tr>\n");
            }
            buf_adds(&page, "</table>\n");
        }
        controls_out(&page, p, "<p>Controls:", "</p>\n", &html_controls);
        buf_adds(&page, "<div class=\"redline\">");
        if (p->body_changed) {
            redline_out(&page, &p->red, &m, 0);
        } else if (p->kind == DIFF_ADDED && p->new_text) {
            buf_adds(&page, "<ins>");
            buf_add_html(&page, p->new_text, strlen(p->new_text));
            buf_adds(&page, "</ins>");
        } else if (p->kind == DIFF_REMOVED && p->old_text) {
            buf_adds(&page, "<del>");
            buf_add_html(&page, p->old_text, strlen(p->old_text));
            buf_adds(&page, "</del>");
        } else {
            buf_adds(&page, "The text did not change.");
        }
        buf_adds(&page, "</div>\n</main>\n</body>\n</html>\n");
        err |= output_write(o, name.data, page.data, page.len, d);
    }
    if (r->n_pages)
        buf_adds(&idx, "</ul>\n");
    if (r->n_controls) {
        buf_adds(&idx, "<h2>Coverage and applicability</h2>\n<ul>\n");
        for (size_t i = 0; i < r->n_controls; i++) {
            const diff_control *c = &r->controls[i];
            buf_printf(&idx, "<li>%s %s ", c->framework, c->id);
            buf_add_html(&idx, c->title, strlen(c->title));
            buf_printf(&idx, ": %s</li>\n", control_kind(c->kind));
        }
        buf_adds(&idx, "</ul>\n");
    }
    const diff_finding *lists[2] = {r->added, r->fixed};
    size_t ns[2] = {r->n_added, r->n_fixed};
    const char *heads[2] = {"<h2>Findings introduced</h2>\n<ul>\n",
                            "<h2>Findings fixed</h2>\n<ul>\n"};
    for (int l = 0; l < 2; l++) {
        if (!ns[l])
            continue;
        buf_adds(&idx, heads[l]);
        for (size_t i = 0; i < ns[l]; i++) {
            const diff_finding *f = &lists[l][i];
            buf_printf(&idx, "<li><strong>%s</strong> ", level_names[f->level]);
            if (f->file) {
                buf_adds(&idx, "<code>");
                buf_add_html(&idx, f->file, strlen(f->file));
                add_where(&idx, "", f->line, f->col, "</code> ");
            }
            buf_add_html(&idx, f->message, strlen(f->message));
            buf_printf(&idx, " <code>[%s]</code></li>\n", f->id);
        }
        buf_adds(&idx, "</ul>\n");
    }
    buf_adds(&idx, "</main>\n</body>\n</html>\n");
    err |= output_write(o, "index.html", idx.data, idx.len, d);
    err |= output_write(o, "diff.css", diff_css, sizeof diff_css - 1, d);
    if (!err)
        err = output_commit(o, d);
    output_free(o, d);
    buf_release(&idx);
    buf_release(&page);
    buf_release(&name);
    buf_release(&title);
    return err ? -1 : 0;
}
