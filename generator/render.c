/* render: the pipeline's fifth stage. It runs the generators (gen.h), each
 * making one kind of output from the model, the parsed pages and the
 * history through its layout chain (layout.h), and writing it through
 * output.c: the pages, the changelog and feed, the control pages, the SoA,
 * the review dashboard, the handbook, the tag pages, the redirects from
 * pages' old addresses, the 404 page, the sitemap, the search index, api/pages.json and the OSCAL
 * component definition. */
#include "render.h"

#include "api.h"
#include "digest.h"
#include "gen.h"
#include "heap.h"
#include "oscal_export.h"
#include "pool.h"
#include "splice.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

const tpl_dict *gen_shared(gen *g, const layout *l)
{
    if (!layout_lists_sections(l))
        return g->shared;
    pthread_mutex_lock(&g->lock);
    if (!g->sections) {
        g->sections = vars_sections(g);
        digest *h = digest_new();
        tpl_dict_digest(g->sections, add_to_digest, h);
        digest_hex(h, g->sections_key);
        digest_free(h);
    }
    pthread_mutex_unlock(&g->lock);
    return g->sections;
}

/* Whether the generated page of layout `name` is one of the site's
 * registers and reports (the footer's links, and the home page), which
 * name the commit the site was built from: the other generated pages
 * (each control's, tag's, folder's, the 404) are made again only when what
 * they show changes, not with every commit. */
static int is_register(const char *name)
{
    static const char *const registers[] = {"home",     "soa",       "dashboard",
                                            "handbook", "changelog", "controls"};
    for (size_t i = 0; i < sizeof registers / sizeof *registers; i++)
        if (!strcmp(name, registers[i]))
            return 1;
    return 0;
}

const layout *gen_layout(gen *g, const char *name, tpl_dict *d)
{
    const layout *l = layouts_get(g->s->layouts, name);
    if (!l)
        return NULL;
    tpl_dict_set_shared(d, gen_shared(g, l));
    vars_nav(d, g->s, NULL); /* every section, none current */
    /* In d: in the page's key (gen_key). */
    if (is_register(name) || layout_shows_changes(l))
        vars_site_build(d, g, layout_shows_changes(l));
    return l;
}

/* --- the registers, spliced around the commit they name -------------------- */

/* The registers name the commit the site was built from (BUILD_COMMIT*, in
 * the footer), and most commits change nothing else of the statement of
 * applicability or the controls' list: 2.9 MB each at 10,000 pages, which
 * a commit rendered again for those 47 digits. Such a page is written in
 * segments (splice.h): the text between the places where the commit's
 * digits went, keyed by what the page is made from but the commit (its key
 * with a stand-in commit), and the digits. The next build, made from the
 * same but at another commit, copies the text from the file it replaces
 * and writes its own digits. What a template writes of a value, whatever
 * its modifiers (but javascript_escape_with_arg=number, and where the
 * marks are lost: tpl_render_marked), holds the value's digits and letters
 * as they are: another commit's digits in their place are what a render
 * would write. */
typedef struct reg_part {
    long long from, len; /* in html, or in the previous file when copying (or `old`) */
    int digits;          /* 0: text or a row; 40 or 7: the commit, whole or short */
    long old;            /* a row left out: the previous file's segment of it, else -1 */
    char key[65];        /* a row's key ("": text) */
} reg_part;

typedef struct reg_stream {
    gen *g;
    const char *rel;
    splice_stream *sp;
    const char *commit;
    buf text_key, digits_key[2]; /* "<k0> text", "<k0> digits 40", "<k0> digits 7" */
    int copying;                 /* the parts are the previous file's, else html's */
    const buf *html;
    reg_part *parts;
    size_t n, next; /* parts, and the next to write */
    long long at;   /* how much of the next one is written */
    /* Rows (tpl_rows_fn): the key of what every row of the page is made
     * from (the site's and the layouts': gen_key's base), that of a
     * section's rows (the base, where the section is, what they read
     * beside their own dictionaries), and a row's segment key,
     * "<hex> row". */
    char base[DIGEST_HEX], rows[DIGEST_HEX];
    buf row_key;
    size_t rows_copied;
} reg_stream;

/* The digits a segment of key k holds (40 or 7), 0 for text, -1 for a key
 * of another page or made from something else. */
static int reg_segment(const reg_stream *rs, const char *k)
{
    if (!strcmp(k, rs->text_key.data))
        return 0;
    for (int i = 0; i < 2; i++)
        if (!strcmp(k, rs->digits_key[i].data))
            return i ? 7 : 40;
    return -1;
}

/* Whether segment key k is a row's ("<64 hex digits> row"). */
static int reg_is_row(const char *k)
{
    return digest_hex_span(k, strlen(k)) == DIGEST_HEX - 1 && !strcmp(k + DIGEST_HEX - 1, " row");
}

/* The previous file's segments as parts, when they were made from what
 * this page is made from but the commit: 1, else 0. Its rows were made
 * from that too, whatever their keys, when its text was. */
static int reg_copyable(reg_stream *rs)
{
    size_t n = splice_count(rs->sp), texts = 0;
    rs->parts = xcalloc(n ? n : 1, sizeof *rs->parts);
    for (size_t i = 0; i < n; i++) {
        const char *k = splice_key(rs->sp, i);
        int digits = reg_segment(rs, k);
        if (digits < 0 && !reg_is_row(k))
            return 0;
        texts += digits == 0;
        splice_extent(rs->sp, i, &rs->parts[i].from, &rs->parts[i].len);
        rs->parts[i].digits = digits < 0 ? 0 : digits;
        rs->parts[i].old = -1;
    }
    rs->n = n;
    return texts > 0;
}

/* The digits a watched mark holds (7 or 40), 0 for a row's mark. */
static size_t mark_digits(const tpl_mark *k)
{
    return k->which >= TPL_MARKS_WATCH ? 0 : k->which == 1 ? 7 : 40;
}

int gen_commit_marks(const tpl_marks *m, const buf *html, const char *commit)
{
    size_t pos = 0;
    for (size_t i = 0; i < m->n; i++) {
        const tpl_mark *k = &m->v[i];
        size_t n = mark_digits(k), end = k->offset + k->len;
        if (!n) { /* a row: where the text around it is cut */
            if (k->offset < pos || end > html->len)
                return 0;
            pos = end;
            continue;
        }
        if (k->len < n || (k->which != 2 && k->len != n) || end - n < pos || end > html->len ||
            memcmp(html->data + end - n, commit, n) != 0)
            return 0;
        pos = end;
    }
    return !m->lost;
}

static void reg_row_key(reg_stream *rs, const char *hex)
{
    buf_reset(&rs->row_key);
    buf_adds(&rs->row_key, hex);
    buf_adds(&rs->row_key, " row");
}

static void part_add(reg_stream *rs, long long from, long long len, int digits)
{
    reg_part *p = &rs->parts[rs->n++];
    p->from = from;
    p->len = len;
    p->digits = digits;
    p->old = -1;
    p->key[0] = '\0';
}

/* Cuts html into text, the commit's digits and rows where the marks put
 * them: 0, or -1 when gen_commit_marks refuses them (the page is then
 * written whole; never with rows left out). */
static int reg_parts(reg_stream *rs, const buf *html, const tpl_marks *m)
{
    if (!gen_commit_marks(m, html, rs->commit))
        return -1;
    free(rs->parts);
    rs->parts = xcalloc(2 * m->n + 1, sizeof *rs->parts);
    rs->n = 0;
    size_t pos = 0;
    for (size_t i = 0; i < m->n; i++) {
        const tpl_mark *k = &m->v[i];
        size_t n = mark_digits(k), end = k->offset + k->len;
        if (n) {
            part_add(rs, (long long)pos, (long long)(end - n - pos), 0);
            part_add(rs, (long long)(end - n), (long long)n, (int)n);
            pos = end;
            continue;
        }
        if (k->offset > pos)
            part_add(rs, (long long)pos, (long long)(k->offset - pos), 0);
        part_add(rs, (long long)k->offset, (long long)k->len, 0);
        reg_part *p = &rs->parts[rs->n - 1];
        memcpy(p->key, k->key, sizeof p->key);
        if (k->which == TPL_MARK_ROW_KEPT) {
            reg_row_key(rs, k->key);
            p->old = splice_find(rs->sp, rs->row_key.data);
            if (p->old < 0)
                return -1; /* (asked for, so never) */
            splice_extent(rs->sp, (size_t)p->old, &p->from, &p->len);
        }
        pos = end;
    }
    part_add(rs, (long long)pos, (long long)(html->len - pos), 0);
    rs->html = html;
    return 0;
}

/* Appends the next parts, a text a piece at a time: a chunk of megabytes
 * would fault in fresh pages for each page written. */
static int reg_fill(void *ctx, buf *chunk)
{
    reg_stream *rs = ctx;
    while (rs->next < rs->n && chunk->len < FS_CHUNK_BYTES) {
        const reg_part *p = &rs->parts[rs->next];
        if (p->digits) {
            size_t from = chunk->len;
            buf_add(chunk, rs->commit, (size_t)p->digits);
            splice_mark_made(rs->sp, rs->digits_key[p->digits == 7].data, chunk->data + from,
                             (size_t)p->digits);
            rs->next++;
            continue;
        }
        if (p->old >= 0 && rs->at == 0 && p->len <= (long long)FS_CHUNK_BYTES) {
            /* A row, whole: read through the splice's window, one read for
             * many rows. */
            if (splice_peek(rs->sp, (size_t)p->old, chunk) != 0)
                return diag_error(rs->g->d, NULL, 0, 0, "io",
                                  "cannot read the previous '%s' in '%s'", rs->rel,
                                  output_target(rs->g->o));
            splice_took(rs->sp, (size_t)p->old);
            rs->rows_copied++;
            rs->next++;
            continue;
        }
        int old = rs->copying || p->old >= 0;
        if (rs->at == 0) { /* the text begins: recorded as the new file's next segment */
            if (rs->copying)
                splice_took(rs->sp, rs->next);
            else if (p->old >= 0) {
                splice_took(rs->sp, (size_t)p->old);
                rs->rows_copied++;
            } else {
                if (p->key[0])
                    reg_row_key(rs, p->key);
                splice_mark_made(rs->sp, p->key[0] ? rs->row_key.data : rs->text_key.data,
                                 rs->html->data + p->from, (size_t)p->len);
            }
        }
        long long n = p->len - rs->at;
        if (n > (long long)FS_CHUNK_BYTES)
            n = (long long)FS_CHUNK_BYTES;
        if (!old)
            buf_add(chunk, rs->html->data + p->from + rs->at, (size_t)n);
        else if (splice_read_old(rs->sp, p->from + rs->at, (size_t)n, chunk) != 0)
            return diag_error(rs->g->d, NULL, 0, 0, "io", "cannot read the previous '%s' in '%s'",
                              rs->rel, output_target(rs->g->o));
        rs->at += n;
        if (rs->at == p->len) {
            rs->at = 0;
            rs->next++;
        }
    }
    return rs->next < rs->n;
}

/* CHARTER_CHECK_REUSE: whether the page copied from the previous file as
 * reg_fill would copy it is html. */
static int reg_copies_same(reg_stream *rs, const buf *html)
{
    buf c;
    buf_init(&c);
    int ok = 1;
    for (size_t i = 0; ok && i < splice_count(rs->sp); i++) {
        int digits = reg_segment(rs, splice_key(rs->sp, i));
        if (digits > 0)
            buf_add(&c, rs->commit, (size_t)digits);
        else
            ok = splice_peek(rs->sp, i, &c) == 0;
    }
    ok = ok && c.len == html->len && !memcmp(c.data, html->data, c.len);
    buf_release(&c);
    return ok;
}

/* CHARTER_CHECK_REUSE: whether html with its rows left out (marks m) put
 * back from the previous file is `whole`, the page rendered with none. */
static int reg_rows_same(reg_stream *rs, const buf *html, const tpl_marks *m, const buf *whole)
{
    buf c;
    buf_init(&c);
    size_t pos = 0;
    int ok = 1;
    for (size_t i = 0; ok && i < m->n; i++) {
        const tpl_mark *k = &m->v[i];
        if (k->which != TPL_MARK_ROW_KEPT)
            continue;
        buf_add(&c, html->data + pos, k->offset - pos);
        reg_row_key(rs, k->key);
        long old = splice_find(rs->sp, rs->row_key.data);
        ok = old >= 0 && splice_peek(rs->sp, (size_t)old, &c) == 0;
        pos = k->offset;
    }
    buf_add(&c, html->data + pos, html->len - pos);
    ok = ok && c.len == whole->len && !memcmp(c.data, whole->data, c.len);
    buf_release(&c);
    return ok;
}

/* tpl_rows_fn: a section's rows begin. */
static void reg_rows(void *ctx, const char *where, const char *variant, const void *context,
                     size_t len)
{
    reg_stream *rs = ctx;
    digest *h = digest_new();
    digest_add_str(h, rs->base);
    digest_add_str(h, where);
    digest_add_str(h, variant);
    digest_add(h, context, len);
    digest_hex(h, rs->rows);
    digest_free(h);
}

/* tpl_row_fn: a row's key is its section's rows' and its own; the
 * previous file holds it when it has a segment of that key. */
static int reg_row(void *ctx, const char *key, char full[65])
{
    reg_stream *rs = ctx;
    digest *h = digest_new();
    digest_add_str(h, rs->rows);
    digest_add_str(h, key);
    digest_hex(h, full);
    digest_free(h);
    reg_row_key(rs, full);
    return splice_find(rs->sp, rs->row_key.data) >= 0;
}

/* Page d through l into rel, d naming the commit the site is built from
 * (gen_render's, or gen_render_page's with the page's HTML, content, and
 * its key, extra; else NULL): linked from the previous build when made
 * from the same. */
static int render_register(gen *g, const layout *l, const char *rel, tpl_dict *d,
                           const buf *content, const char *extra)
{
    reg_stream rs = {.g = g, .rel = rel, .commit = g->prov->commit};
    /* Its key is that of what it is made from but the commit, k0 (made with
     * a stand-in commit), and the commit. */
    char k0[DIGEST_HEX], key[DIGEST_HEX];
    vars_build_commit(d, g, GEN_STAND_IN_COMMIT);
    gen_key(k0, g, l, d, extra ? &extra : NULL, extra != NULL);
    vars_build_commit(d, g, rs.commit);
    digest *h = digest_new();
    digest_add_str(h, k0);
    digest_add_str(h, rs.commit);
    digest_hex(h, key);
    digest_free(h);
    if (output_reuse_keyed(g->o, rel, key))
        return 0;
    buf_init(&rs.text_key);
    buf_init(&rs.row_key);
    buf_printf(&rs.text_key, "%s text", k0);
    for (int i = 0; i < 2; i++) {
        buf_init(&rs.digits_key[i]);
        buf_printf(&rs.digits_key[i], "%s digits %d", k0, i ? 7 : 40);
    }
    rs.sp = output_splice(g->o, rel);
    rs.copying = reg_copyable(&rs);
    buf html, whole_html;
    buf_init(&html);
    buf_init(&whole_html);
    if (content) {
        buf_add(&html, content->data, content->len);
        buf_add(&whole_html, content->data, content->len);
    }
    tpl_marks m = {.watch = {tpl_dict_get(d, "BUILD_COMMIT", NULL),
                             tpl_dict_get(d, "BUILD_COMMIT_SHORT", NULL),
                             tpl_dict_get(d, "BUILD_COMMIT_URL", NULL)},
                   .n_watch = 3};
    int err = 0, whole = 0, streamed = 0;
    if (!rs.copying || g->check_reuse) {
        /* Made again: its rows (a change, a page under review, a citation)
         * each a segment, those the previous file holds of the same key
         * left out and copied from it. */
        if (!rs.copying) {
            gen_key_base(rs.base, g, l);
            m.rows_begin = reg_rows;
            m.rows = reg_row;
            m.rows_ctx = &rs;
        }
        /* A layout that cannot render is a finding (reported), as in
         * gen_render. */
        if (layout_render_marked(l, d, &html, &m, g->d) != 0)
            goto done;
        int cut = !m.lost && gen_commit_marks(&m, &html, rs.commit);
        if (m.rows && (!cut || (m.kept && g->check_reuse))) {
            /* Made again with every row, the commit's digits marked: where
             * rows left out would not be the previous file's text there,
             * or a row read the commit; and under CHARTER_CHECK_REUSE, to
             * compare with the rows copied. */
            tpl_marks w = {.watch = {m.watch[0], m.watch[1], m.watch[2]}, .n_watch = 3};
            if (layout_render_marked(l, d, &whole_html, &w, g->d) != 0) {
                tpl_marks_release(&w);
                goto done;
            }
            if (cut) {
                if (!reg_rows_same(&rs, &html, &m, &whole_html))
                    gen_report_spliced(g, rel, 1);
                tpl_marks_release(&w);
            } else {
                tpl_marks_release(&m);
                m = w;
                buf t = html;
                html = whole_html;
                whole_html = t;
            }
        }
        if (rs.copying && !reg_copies_same(&rs, &html))
            gen_report_spliced(g, rel, 1);
        rs.copying = 0;
        whole = reg_parts(&rs, &html, &m) != 0;
    }
    if (whole && m.kept) /* (rows left out but not found again: never) */
        err = diag_error(g->d, NULL, 0, 0, "internal",
                         "'%s': rows copied from the previous build went missing", rel);
    else if (whole)
        err = output_write_keyed(g->o, rel, key, html.data, html.len, g->d);
    else {
        int copying = rs.copying;
        err = output_stream_keyed(g->o, rel, key, reg_fill, &rs, g->d);
        streamed = err == 0;
        if (streamed && copying)
            output_count_recommitted(g->o);
        if (streamed && rs.rows_copied)
            output_count_rows(g->o, rs.rows_copied);
    }
done:
    output_splice_end(g->o, rel, rs.sp, streamed ? 0 : -1);
    tpl_marks_release(&m);
    buf_release(&html);
    buf_release(&whole_html);
    buf_release(&rs.text_key);
    buf_release(&rs.row_key);
    buf_release(&rs.digits_key[0]);
    buf_release(&rs.digits_key[1]);
    free(rs.parts);
    return err;
}

int gen_names_commit(const gen *g, const tpl_dict *d)
{
    return g->prov && strlen(g->prov->commit) == sizeof g->prov->commit - 1 &&
           tpl_dict_get(d, "BUILD_COMMIT", NULL);
}

int gen_render_page(gen *g, const layout *l, const char *rel, tpl_dict *d, const buf *html,
                    const char *body)
{
    return render_register(g, l, rel, d, html, body);
}

int gen_render(gen *g, const char *name, const char *out_file, tpl_dict *d)
{
    if (plan_blocked(g->s->plan, out_file))
        return 0; /* its path is a page's: reported by the plan */
    const layout *l = gen_layout(g, name, d);
    if (!l)
        return 0; /* the theme has none (or it did not load: reported) */
    if (gen_names_commit(g, d))
        return render_register(g, l, out_file, d, NULL, NULL);
    /* Made from the same as last time: linked, not rendered again. */
    char key[DIGEST_HEX];
    gen_key(key, g, l, d, NULL, 0);
    if (output_reuse_keyed(g->o, out_file, key))
        return 0;
    buf html;
    buf_init(&html);
    /* A layout that cannot render is a finding in the site (reported, exit
     * 1, nothing published); only a failed write is this stage's failure. */
    int err = 0;
    if (layout_render(l, d, &html, g->d) == 0 &&
        output_write_keyed(g->o, out_file, key, html.data, html.len, g->d) != 0)
        err = -1;
    buf_release(&html);
    return err;
}

int gen_simple(gen *g, const char *name, const char *title, const char *url, const char *out_file,
               void (*fill)(tpl_dict *d, const gen *g))
{
    if (!layouts_get(g->s->layouts, name) || plan_blocked(g->s->plan, out_file))
        return 0;
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set(d, "TITLE", title);
    buf u;
    buf_init(&u);
    vars_full_url(&u, g->s, url);
    tpl_dict_set(d, "URL", u.data);
    if (fill)
        fill(d, g);
    int err = gen_render(g, name, out_file, d);
    tpl_dict_free(d);
    buf_release(&u);
    return err;
}

void add_to_digest(void *ctx, const void *data, size_t len)
{
    digest_add(ctx, data, len);
}

/* What every page of layout l is made from: the site's and the layouts'
 * key, the layout, and the sections' list when it shows it (gen_shared). */
static void add_base(digest *h, const gen *g, const layout *l)
{
    digest_add(h, g->key_base, DIGEST_HEX);
    digest_add(h, layout_name(l), strlen(layout_name(l)) + 1);
    if (layout_lists_sections(l))
        digest_add(h, g->sections_key, DIGEST_HEX);
}

void gen_key_base(char key[65], const gen *g, const layout *l)
{
    digest *h = digest_new();
    add_base(h, g, l);
    digest_hex(h, key);
    digest_free(h);
}

void gen_key(char key[65], const gen *g, const layout *l, const tpl_dict *d,
             const char *const *extra, size_t n_extra)
{
    digest *h = digest_new();
    add_base(h, g, l);
    for (size_t i = 0; i < n_extra; i++)
        digest_add(h, extra[i], strlen(extra[i]) + 1);
    tpl_dict_digest(d, add_to_digest, h);
    digest_hex(h, key);
    digest_free(h);
}

void gen_page_key(char key[65], gen *g, const layout *l, const page *p, const char *body)
{
    digest *h = digest_new();
    digest_add(h, g->key_base, DIGEST_HEX);
    digest_add(h, layout_name(l), strlen(layout_name(l)) + 1);
    if (layout_lists_sections(l)) {
        gen_shared(g, l); /* makes SECTIONS' key */
        digest_add(h, g->sections_key, DIGEST_HEX);
    }
    digest_add_str(h, body);
    vars_page_key(h, g, p);
    if (layout_shows_changes(l))
        digest_add(h, g->build_key, DIGEST_HEX);
    digest_hex(h, key);
    digest_free(h);
}

/* The generators, each a task; they write different files and share only
 * thread-safe sinks (the output, diagnostics), so they run side by side
 * (several of them on all cores again inside). The largest come first, so
 * that the small ones fill in beside them. */
static int task_changelog(gen *g)
{
    if (!history_found(g->h))
        return 0;
    int err = gen_changelog(g);
    if (!plan_blocked(g->s->plan, "feed.xml"))
        err |= feed_write(g);
    return err;
}

static int task_pages(gen *g)
{
    gen_pages(g);
    return 0;
}

static int task_small(gen *g)
{
    int err = gen_reviews(g);
    err |= gen_terms(g);
    err |= gen_folders(g);
    err |= gen_redirects(g);
    err |= gen_simple(g, "404", "Page not found", "/404.html", "404.html", NULL);
    if (!plan_blocked(g->s->plan, "sitemap.xml"))
        err |= sitemap_write(g);
    return err;
}

static int task_search(gen *g)
{
    return plan_blocked(g->s->plan, "search.json") ? 0 : search_write(g);
}

/* api/pages.json, 19 MB at 10,000 pages: linked from the previous build
 * when nothing it is made from changed (api_pages_key), as after an edit
 * of a page's body. */
static int task_api(gen *g)
{
    static const char rel[] = "api/pages.json";
    if (plan_blocked(g->s->plan, rel))
        return 0;
    char key[DIGEST_HEX], was[DIGEST_HEX];
    api_pages *a = api_pages_new(g->s, g->h);
    api_pages_keys(a, key);
    int reused = output_reuse_keyed(g->o, rel, key), err = 0;
    if (reused && !(g->check_reuse && output_keyed_digest(g->o, rel, key, was))) {
        api_pages_free(a);
        return 0;
    }
    if (reused)
        err = gen_check_remade(g, rel, was, api_pages_fill, a);
    else {
        /* In segments, an entry per page: an edit makes the entries whose
         * page changed and copies the others from the previous file. */
        splice_stream *sp = output_splice(g->o, rel);
        api_pages_splice(a, sp, g->check_reuse);
        err = output_stream_keyed(g->o, rel, key, api_pages_fill, a, g->d);
        output_splice_end(g->o, rel, sp, err);
        gen_report_spliced(g, rel, api_pages_mismatches(a));
    }
    api_pages_free(a);
    return err;
}

int gen_check_remade(gen *g, const char *rel, const char was[DIGEST_HEX],
                     int (*fill)(void *ctx, buf *chunk), void *ctx)
{
    digest *h = digest_new();
    buf chunk;
    buf_init(&chunk);
    int more = 1;
    while (more > 0) {
        buf_reset(&chunk);
        more = fill(ctx, &chunk);
        digest_add(h, chunk.data, chunk.len);
    }
    char now[DIGEST_HEX];
    digest_hex(h, now);
    if (more == 0 && strcmp(now, was) != 0)
        diag_report(g->d, DIAG_ERROR, NULL, 0, 0, "internal",
                    "'%s' was linked from the previous build as made from the same inputs, but "
                    "is made differently now: its key misses an input",
                    rel);
    buf_release(&chunk);
    digest_free(h);
    return more < 0 ? -1 : 0;
}

void gen_report_spliced(gen *g, const char *rel, size_t n)
{
    if (n)
        diag_report(g->d, DIAG_ERROR, NULL, 0, 0, "internal",
                    "%zu parts of '%s' copied from the previous build as made from the same "
                    "inputs are made differently now: their keys miss an input",
                    n, rel);
}

static int task_oscal(gen *g)
{
    if (plan_blocked(g->s->plan, OSCAL_EXPORT_FILE))
        return 0;
    /* Tens of megabytes at 10,000 pages: linked from the previous build
     * when nothing it is made from changed. */
    char key[DIGEST_HEX];
    oscal_export_key(key, g->s, g->prov);
    if (output_reuse_keyed(g->o, OSCAL_EXPORT_FILE, key))
        return 0;
    /* In segments: what the first edit of a clean work tree changes is the
     * version in its head; every requirement and resource is copied. */
    oscal_export *e = oscal_export_new(g->s, g->prov);
    splice_stream *sp = output_splice(g->o, OSCAL_EXPORT_FILE);
    oscal_export_splice(e, sp, g->check_reuse);
    int err = output_stream_keyed(g->o, OSCAL_EXPORT_FILE, key, oscal_export_fill, e, g->d);
    output_splice_end(g->o, OSCAL_EXPORT_FILE, sp, err);
    gen_report_spliced(g, OSCAL_EXPORT_FILE, oscal_export_mismatches(e));
    oscal_export_free(e);
    return err;
}

/* In the order handed out: the pages last, since they come in runs of 32
 * on threads of their own (gen_pages), so the two cores end together;
 * first, a generator taken last ran alone at the end (at 10,000 pages the
 * API and the small ones, a tenth of a second on one core).
 * `early`: made from neither the history nor the layouts' shared values
 * (which name the recent changes), so render_early_start may make it.
 * `trim`: what it held (the handbook's skeleton and dictionary, tens of
 * megabytes at 10,000 pages) would lie free in its thread's malloc arena
 * while the other thread grows its own, so it is returned to the system
 * when the task ends. Only there: trimming after every generator lowered
 * the peak no further and cost a tenth of a second in pages faulted in
 * again. */
static const struct {
    int (*run)(gen *g);
    int early, trim;
} tasks[] = {{gen_handbook, 0, 1}, {task_oscal, 1, 0}, {task_changelog, 0, 0},
             {gen_controls, 0, 0}, {task_api, 0, 0},   {task_search, 1, 0},
             {task_small, 0, 0},   {task_pages, 0, 0}};
#define N_TASKS (sizeof tasks / sizeof *tasks)

struct render_early {
    gen g; /* without the history and the shared values */
    const atomic_int *stop;
    atomic_uint taken; /* the tasks taken, by the run or by render_site: a bit each */
    unsigned made;     /* the tasks the run made */
    pthread_t thread;
    int threaded;
};

/* Takes task i for the caller: 1 unless the other taker has (e may be
 * NULL: 1). */
static int take_task(render_early *e, size_t i)
{
    return !e || !(atomic_fetch_or(&e->taken, 1u << i) & (1u << i));
}

/* render_site's pool: the tasks in order, each made unless early took it. */
typedef struct task_list {
    gen *g;
    render_early *early;
} task_list;

static void run_task(void *ctx, size_t i)
{
    task_list *tl = ctx;
    if (!take_task(tl->early, i))
        return;
    if (tasks[i].run(tl->g) != 0)
        atomic_store(&tl->g->failed, 1);
    if (tasks[i].trim)
        heap_trim();
}

/* CHARTER_CHECK_REUSE is set (the test suites): see gen.check_reuse. */
static int check_reuse(void)
{
    const char *check = getenv("CHARTER_CHECK_REUSE");
    return check && *check;
}

static void make_early(render_early *e)
{
    for (size_t i = 0; i < N_TASKS && !(e->stop && atomic_load(e->stop)); i++) {
        if (!tasks[i].early || !take_task(e, i))
            continue;
        if (tasks[i].run(&e->g) != 0)
            atomic_store(&e->g.failed, 1);
        e->made |= 1u << i;
    }
}

static void *early_thread(void *arg)
{
    render_early *e = arg;
    /* Beside the history's thread, then beside the render: the render's
     * pool works with a thread fewer until this one is done. */
    pool_hold();
    make_early(e);
    pool_unhold();
    return NULL;
}

render_early *render_early_start(const site *s, const parsed *pp, const build_provenance *prov,
                                 output *o, const atomic_int *stop, diags *d)
{
    render_early *e = xcalloc(1, sizeof *e);
    /* search.json, made here in every build with a history, is checked
     * as render_site's outputs are. */
    e->g = (gen){.s = s, .pp = pp, .prov = prov, .o = o, .d = d, .check_reuse = check_reuse()};
    atomic_init(&e->g.failed, 0);
    pthread_mutex_init(&e->g.lock, NULL);
    e->stop = stop;
    atomic_init(&e->taken, 0);
    e->threaded = pthread_create(&e->thread, NULL, early_thread, e) == 0;
    if (!e->threaded)
        make_early(e);
    return e;
}

int render_early_end(render_early *e, unsigned *made)
{
    if (made)
        *made = 0;
    if (!e)
        return 0;
    if (e->threaded)
        pthread_join(e->thread, NULL);
    if (made)
        *made = e->made;
    int failed = atomic_load(&e->g.failed);
    pthread_mutex_destroy(&e->g.lock);
    free(e);
    return failed ? -1 : 0;
}

struct render_keys {
    size_t n;                  /* pages, the arrays' length */
    int made;                  /* filled by a render that did not fail */
    int same_model;            /* render_keys_allow's, for the next render */
    char base[DIGEST_HEX];     /* keys_base's */
    char (*entry)[DIGEST_HEX]; /* gen.entry_keys */
    char (*page)[DIGEST_HEX];  /* each content page's key, or "" */
    char (*body)[DIGEST_HEX];  /* ... the parse key it was made from */
    size_t *n_rows;            /* ... its history rows' number */
    char **rows;               /* ... and their digests, 64 hex digits each (NULL: none) */
    atomic_size_t taken, put;  /* the last render's pages' keys taken, made */
};

render_keys *render_keys_new(void)
{
    render_keys *k = xcalloc(1, sizeof *k);
    atomic_init(&k->taken, 0);
    atomic_init(&k->put, 0);
    return k;
}

/* Frees k's arrays, not k. */
static void keys_arrays_free(render_keys *k)
{
    free(k->entry);
    free(k->page);
    free(k->body);
    for (size_t i = 0; k->rows && i < k->n; i++)
        free(k->rows[i]);
    free(k->rows);
    free(k->n_rows);
}

void render_keys_free(render_keys *k)
{
    if (!k)
        return;
    keys_arrays_free(k);
    free(k);
}

void render_keys_allow(render_keys *k, int same_model)
{
    if (!k)
        return;
    k->same_model = same_model && k->made;
}

void render_keys_counts(const render_keys *k, size_t *taken, size_t *made)
{
    *taken = k ? atomic_load(&k->taken) : 0;
    *made = k ? atomic_load(&k->put) - *taken : 0;
}

/* What every content page's key takes beside the page itself (gen_page_key,
 * vars_page_key): charter, the theme and the shared values, the
 * navigation, whether the build is of a commit and has a history. Not
 * what a page of the site's own shows of the build (the commit, the
 * latest changes): such a page's key is never taken (gen_pages.c). */
static void keys_base(char hex[DIGEST_HEX], const gen *g)
{
    digest *h = digest_new();
    digest_add(h, g->key_base, DIGEST_HEX);
    digest_add(h, g->nav_key, DIGEST_HEX);
    digest_add_long(h, g->prov && g->prov->commit[0]);
    digest_add_long(h, g->h != NULL);
    digest_hex(h, hex);
    digest_free(h);
}

/* Sizes k for s's pages, forgetting what it held when their number
 * changed. */
static void keys_size(render_keys *k, size_t n)
{
    if (k->n == n && k->page)
        return;
    keys_arrays_free(k);
    k->n = n;
    k->entry = xcalloc(n ? n : 1, sizeof *k->entry);
    k->page = xcalloc(n ? n : 1, sizeof *k->page);
    k->body = xcalloc(n ? n : 1, sizeof *k->body);
    k->rows = xcalloc(n ? n : 1, sizeof *k->rows);
    k->n_rows = xcalloc(n ? n : 1, sizeof *k->n_rows);
    k->made = k->same_model = 0;
}

/* Whether k holds page i's rows as ph has them: each row's digest
 * (history_row_digest's; a row without one: not known). */
static int rows_same(const render_keys *k, size_t i, const page_history *ph)
{
    size_t n = ph ? ph->n : 0;
    if (k->n_rows[i] != n)
        return 0;
    for (size_t j = 0; j < n; j++)
        if (!ph->rows[j].digest[0] ||
            memcmp(k->rows[i] + j * (DIGEST_HEX - 1), ph->rows[j].digest, DIGEST_HEX - 1) != 0)
            return 0;
    return 1;
}

/* A page's key stands while the model is the kept one, the base is the
 * same, and so are the page's parse key and its history rows, each by its
 * digest: a save changes one page's rows (its uncommitted row), a commit
 * those of the pages it changed. */
int render_keys_take(gen *g, size_t i, const char *body, const page_history *ph, char key[65])
{
    render_keys *k = g->keys;
    if (!g->keys_pages || !k->page[i][0] || strcmp(k->body[i], body) != 0 || !rows_same(k, i, ph))
        return 0;
    memcpy(key, k->page[i], DIGEST_HEX);
    atomic_fetch_add(&k->taken, 1);
    return 1;
}

void render_keys_put(gen *g, size_t i, const char *body, const page_history *ph, const char *key)
{
    render_keys *k = g->keys;
    if (!k)
        return;
    if (!key || !body || strlen(body) != DIGEST_HEX - 1) {
        k->page[i][0] = '\0';
        return;
    }
    memcpy(k->page[i], key, DIGEST_HEX);
    memcpy(k->body[i], body, DIGEST_HEX);
    size_t n = ph ? ph->n : 0;
    if (!rows_same(k, i, ph)) {
        free(k->rows[i]);
        k->rows[i] = n ? xmalloc(n * (DIGEST_HEX - 1)) : NULL;
        for (size_t j = 0; j < n; j++)
            memcpy(k->rows[i] + j * (DIGEST_HEX - 1), ph->rows[j].digest, DIGEST_HEX - 1);
        k->n_rows[i] = n;
    }
    atomic_fetch_add(&k->put, 1);
}

int render_site(const site *s, const parsed *pp, const history *h, const build_provenance *prov,
                output *o, render_early *early, render_keys *keys, diags *d)
{
    gen g;
    if (keys) {
        keys_size(keys, s->n_pages);
        atomic_store(&keys->taken, 0);
        atomic_store(&keys->put, 0);
    }
    gen_init_keyed(&g, s, pp, h, prov, o, keys && keys->same_model ? keys : NULL, d);
    g.check_reuse = check_reuse();
    char base[DIGEST_HEX];
    if (keys) {
        keys_base(base, &g);
        g.keys = keys;
        g.keys_pages = keys->same_model && !strcmp(base, keys->base);
        keys->made = 0; /* until this render ends well */
    }
    /* The pages' files journaled at once, before any is written. */
    const char **rels = xcalloc(s->n_pages + 1, sizeof *rels);
    size_t n_rels = 0;
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (p->ok && p->published && !p->collides && p->out_file &&
            !plan_unwritten(s->plan, p->out_file))
            rels[n_rels++] = p->out_file;
    }
    output_declare(o, rels, n_rels, d);
    free(rels);
    task_list tl = {&g, early};
    pool_run(N_TASKS, run_task, &tl);
    int failed = g.failed || (early && atomic_load(&early->g.failed));
    if (keys && !failed) {
        memcpy(keys->base, base, DIGEST_HEX);
        memcpy(keys->entry, g.entry_keys, s->n_pages * sizeof *keys->entry);
        keys->made = 1;
    }
    if (keys)
        keys->same_model = 0; /* allowed again by the next caller */
    gen_release(&g);
    return failed ? -1 : 0;
}

/* Makes gen.entry_keys, a run of pages per item of pool_run. */
enum { ENTRY_RUN = 512 };

static void entry_keys_run(void *ctx, size_t k)
{
    gen *g = ctx;
    digest *h = digest_new();
    for (size_t i = k * ENTRY_RUN; i < g->s->n_pages && i < (k + 1) * ENTRY_RUN; i++)
        vars_entry_key(g->entry_keys[i], h, g->s->pages[i]);
    digest_free(h);
}

void gen_init(gen *g, const site *s, const parsed *pp, const history *h,
              const build_provenance *prov, output *o, diags *d)
{
    gen_init_keyed(g, s, pp, h, prov, o, NULL, d);
}

void gen_init_keyed(gen *g, const site *s, const parsed *pp, const history *h,
                    const build_provenance *prov, output *o, const render_keys *same, diags *d)
{
    *g = (gen){.s = s, .pp = pp, .h = h, .prov = prov, .o = o, .d = d};
    atomic_init(&g->failed, 0);
    atomic_init(&g->pages_made, 0);
    pthread_mutex_init(&g->lock, NULL);
    g->shared = vars_shared(g);
    vars_nav_key(g->nav_key, s);
    g->entry_keys = xmalloc((s->n_pages ? s->n_pages : 1) * sizeof *g->entry_keys);
    /* Made from each page's model alone: the same model's are the same. */
    if (same && same->n == s->n_pages)
        memcpy(g->entry_keys, same->entry, s->n_pages * sizeof *g->entry_keys);
    else
        pool_run((s->n_pages + ENTRY_RUN - 1) / ENTRY_RUN, entry_keys_run, g);
    digest *base = digest_new();
    digest_add(base, digest_self(), DIGEST_HEX);
    digest_add(base, layouts_digest(s->layouts), DIGEST_HEX);
    tpl_dict_digest(g->shared, add_to_digest, base);
    digest_hex(base, g->key_base);
    /* What vars_site_build gives a page, for the keys of the pages of the
     * site's own that show it (gen_page_key). */
    tpl_dict *build = tpl_dict_new();
    vars_site_build(build, g, 1);
    digest_add(base, "build", 6);
    tpl_dict_digest(build, add_to_digest, base);
    digest_hex(base, g->build_key);
    tpl_dict_free(build);
    digest_free(base);
}

void gen_release(gen *g)
{
    free(g->entry_keys);
    tpl_dict_free(g->sections);
    tpl_dict_free(g->shared);
    pthread_mutex_destroy(&g->lock);
}
