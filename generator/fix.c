/* fix: `charter fix`'s edits as data (see fix.h). The body's fixes start at
 * the positions the checks report (heading-without-space from the Markdown
 * parse, link-without-scheme from the link check), so no detection is done
 * twice; the front matter's are found in the page's own YAML tree, whose
 * nodes carry their lines and columns, so only the bytes of the edited key
 * or value change. The diff is computed from the edits, not by comparing
 * texts: each change is the lines an edit touches. */
#include "fix.h"

#include "digest.h"
#include "map.h"
#include "parse.h"
#include "site.h"
#include "yamltree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void fix_edits_init(fix_edits *e)
{
    memset(e, 0, sizeof *e);
}

void fix_edits_release(fix_edits *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i].text);
    free(e->v);
    memset(e, 0, sizeof *e);
}

void fix_edits_add(fix_edits *e, size_t start, size_t end, const char *text, size_t len,
                   const char *id, int line)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 8;
        e->v = xrealloc(e->v, e->cap * sizeof *e->v);
    }
    e->v[e->n++] = (fix_edit){start, end, xstrndup(text, len), id, line};
}

/* --- positions ------------------------------------------------------------------ */

/* The offset of line `line` (1-based) of text, or SIZE_MAX past the end.
 * Line 1 starts after a byte order mark, as the Markdown parse reads it. */
static size_t line_offset(const char *text, size_t len, int line)
{
    if (line < 1)
        return SIZE_MAX;
    size_t at = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    for (int ln = 1; ln < line; ln++) {
        const char *nl = memchr(text + at, '\n', len - at);
        if (!nl)
            return SIZE_MAX;
        at = (size_t)(nl - text) + 1;
    }
    return at;
}

/* The offset of character column `col` (1-based) of the line at `at`, or
 * SIZE_MAX when the line is shorter. */
static size_t col_offset(const char *text, size_t len, size_t at, int col)
{
    for (int c = 1; c < col; c++) {
        if (at >= len || text[at] == '\n')
            return SIZE_MAX;
        size_t n = utf8_seq_len((const unsigned char *)text + at, len - at);
        at += n ? n : 1;
    }
    return at <= len ? at : SIZE_MAX;
}

static size_t offset_of(const char *text, size_t len, int line, int col)
{
    size_t at = line_offset(text, len, line);
    return at == SIZE_MAX ? SIZE_MAX : col_offset(text, len, at, col);
}

/* --- the body -------------------------------------------------------------------- */

size_t fix_heading_space(fix_edits *out, const char *text, size_t len, int line, int col)
{
    size_t at = offset_of(text, len, line, col), hashes = 0;
    if (at == SIZE_MAX)
        return 0;
    while (at + hashes < len && text[at + hashes] == '#')
        hashes++;
    if (hashes == 0 || hashes > 6 || at + hashes >= len || strchr(" \t\r\n", text[at + hashes]))
        return 0;
    fix_edits_add(out, at + hashes, at + hashes, " ", 1, "heading-without-space", line);
    return 1;
}

/* True if the line at s[0..end) holds only blanks: a paragraph ends there. */
static int blank_line(const char *s, const char *end)
{
    while (s < end && strchr(" \t\r", *s))
        s++;
    return s == end || *s == '\n';
}

size_t fix_link_scheme(fix_edits *out, const char *text, size_t len, int line, int col,
                       const char *url)
{
    size_t at = offset_of(text, len, line, col), n = strlen(url);
    if (at == SIZE_MAX || !n)
        return 0;
    for (size_t i = at; i + 2 <= len; i++) {
        if (text[i] == '\n' && blank_line(text + i + 1, text + len))
            break; /* the paragraph ends: the destination is elsewhere */
        if (text[i] != ']' || text[i + 1] != '(')
            continue;
        size_t u = i + 2;
        int angle = u < len && text[u] == '<';
        u += (size_t)angle;
        if (u + n > len || memcmp(text + u, url, n))
            continue;
        char next = u + n < len ? text[u + n] : '\0';
        if (angle ? next != '>' : !strchr(") \t\r\n", next) || !next)
            continue;
        fix_edits_add(out, u, u, "https://", 8, "link-without-scheme", line);
        return 1;
    }
    return 0;
}

/* --- the front matter -------------------------------------------------------------- */

/* The byte range of the key k as written (without its quotes), or 0 when
 * the text there is not the key's text. */
static int key_range(size_t *start, size_t *end, const char *text, size_t len, const yaml_node *k)
{
    size_t at = offset_of(text, len, yamltree_line(k), yamltree_col(k));
    const char *name = yamltree_text(k);
    size_t n = yamltree_text_len(k);
    if (at == SIZE_MAX || at >= len)
        return 0;
    char q = text[at];
    if (q == '"' || q == '\'') {
        if (at + 1 + n >= len || memcmp(text + at + 1, name, n) || text[at + 1 + n] != q)
            return 0;
        *start = at + 1;
    } else {
        if (at + n > len || memcmp(text + at, name, n) ||
            (at + n < len && !strchr(": \t", text[at + n])))
            return 0;
        *start = at;
    }
    *end = *start + n;
    return 1;
}

/* "\r\n" when the file's first line ends so, else "\n". */
static const char *line_end(const char *text, size_t len)
{
    const char *nl = memchr(text, '\n', len);
    return nl && nl > text && nl[-1] == '\r' ? "\r\n" : "\n";
}

/* Parses text's front matter into fm, a mapping. 0, or -1 after reporting. */
static int read_frontmatter(frontmatter *fm, const char *text, size_t len, const char *file,
                            const fm_limits *lim, diags *d)
{
    if (frontmatter_parse_limited(fm, text, len, file, lim, d) != 0)
        return -1;
    if (yamltree_kind(fm->data) != YAML_MAPPING) {
        frontmatter_release(fm);
        return diag_error(d, file, 1, 1, "invalid-type",
                          "the front matter must be a mapping of keys");
    }
    return 0;
}

/* Index of the pair whose key is `name`, or -1. */
static long find_pair(const yaml_node *m, const char *name)
{
    for (size_t i = 0; i < yamltree_len(m); i++)
        if (!strcmp(yamltree_text(yamltree_key(m, i)), name))
            return (long)i;
    return -1;
}

/* Where the review date of front matter m is read: the index of its pair
 * in *table (m, or a table of m), or -1. The page's own key wins over an
 * alias, as site_load reads it; a dotted alias (extra.last_reviewed, Zola's
 * and Hugo's tables) names a key of a table. */
static long review_pair(const yaml_node **table, const yaml_node *m, const key_alias *keys,
                        size_t n_keys)
{
    static const char key[] = "last_reviewed";
    *table = m;
    long i = find_pair(m, key);
    for (size_t k = 0; i < 0 && k < n_keys; k++) {
        if (strcmp(keys[k].key, key) != 0)
            continue;
        const char *dot = strchr(keys[k].alias, '.');
        if (!dot) {
            i = find_pair(m, keys[k].alias);
            continue;
        }
        buf t;
        buf_init(&t);
        buf_add(&t, keys[k].alias, (size_t)(dot - keys[k].alias));
        const yaml_node *tab = yamltree_get(m, t.data);
        buf_release(&t);
        long j = tab && yamltree_kind(tab) == YAML_MAPPING ? find_pair(tab, dot + 1) : -1;
        if (j >= 0) {
            *table = tab;
            i = j;
        }
    }
    return i;
}

/* --- checking an edit ------------------------------------------------------------ */

static int cmp_edit(const void *a, const void *b);

/* Whether nodes a and b are the same tree (yamltree_digest). */
static int same_node(const yaml_node *a, const yaml_node *b)
{
    char x[DIGEST_HEX], y[DIGEST_HEX];
    digest *h = digest_new();
    yamltree_digest(h, a);
    digest_hex(h, x);
    digest_free(h);
    h = digest_new();
    yamltree_digest(h, b);
    digest_hex(h, y);
    digest_free(h);
    return !strcmp(x, y);
}

/* The page text[0..len), front matter `was`, with the edits out->v[first..)
 * applied, read again (with lim; a front matter the edits made, as a
 * fenced one). 1 with *now (the caller's to release) when it reads as a
 * mapping and its body is the same bytes as before. */
static int reread(frontmatter *now, const char *text, size_t len, const fix_edits *out,
                  size_t first, const frontmatter *was, const fm_limits *lim)
{
    fix_edits mine = {xcalloc(out->n - first + 1, sizeof *mine.v), 0, out->n - first};
    for (size_t i = first; i < out->n; i++)
        mine.v[mine.n++] = out->v[i];
    qsort(mine.v, mine.n, sizeof *mine.v, cmp_edit);
    buf t;
    buf_init(&t);
    fix_apply(&t, text, len, &mine);
    free(mine.v); /* the texts are out's */
    fm_limits fenced;
    if (lim && !was->present) {
        fenced = *lim;
        fenced.fenceless = 0;
        lim = &fenced;
    }
    diags *quiet = diag_new(NULL);
    int ok = frontmatter_parse_limited(now, t.data, t.len, "", lim, quiet) == 0;
    diag_free(quiet);
    if (!ok) {
        buf_release(&t);
        return 0;
    }
    /* Without front matter, the body starts after a byte order mark, where
     * the new front matter goes. */
    size_t from = was->present || was->body_start
                      ? was->body_start
                      : (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0);
    size_t a = from <= len ? len - from : 0,
           b = now->body_start <= t.len ? t.len - now->body_start : 0;
    if (yamltree_kind(now->data) != YAML_MAPPING || from > len || now->body_start > t.len ||
        a != b || memcmp(text + from, t.data + now->body_start, a)) {
        frontmatter_release(now);
        ok = 0;
    }
    buf_release(&t);
    return ok;
}

/* Whether fix_review_date's edits (out->v[first..) of text, front matter
 * `was`) read back as meant: the review date where it was read (or a new
 * last_reviewed) is `date`, and every other entry is as it was, in its
 * order. */
static int review_holds(const char *text, size_t len, const fix_edits *out, size_t first,
                        const frontmatter *was, const fm_limits *lim, const key_alias *keys,
                        size_t n_keys, const char *date)
{
    frontmatter now;
    if (!reread(&now, text, len, out, first, was, lim))
        return 0;
    const yaml_node *wt, *nt;
    long wi = review_pair(&wt, was->data, keys, n_keys),
         ni = review_pair(&nt, now.data, keys, n_keys);
    const yaml_node *v = ni >= 0 ? yamltree_item(nt, (size_t)ni) : NULL;
    int ok = v && yamltree_kind(v) == YAML_SCALAR && !strcmp(yamltree_text(v), date) &&
             yamltree_text_len(v) == strlen(date);
    size_t n = yamltree_len(was->data), m = yamltree_len(now.data);
    ok = ok && m == n + (wi < 0);
    /* The new key's place (anywhere: last, first in JSON, before TOML's
     * first table); else the top-level entry holding the date. */
    long skip = wi < 0 && nt == now.data ? ni : -1, holder = -1;
    for (size_t i = 0; wi >= 0 && i < n && holder < 0; i++)
        if (yamltree_item(was->data, i) == wt || (wt == was->data && (long)i == wi))
            holder = (long)i;
    ok = ok && (wi < 0 ? skip >= 0 : holder >= 0);
    for (size_t i = 0, j = 0; ok && i < n; i++, j++) {
        if ((long)j == skip)
            j++;
        const yaml_node *wv = yamltree_item(was->data, i), *nv = yamltree_item(now.data, j);
        ok = same_node(yamltree_key(was->data, i), yamltree_key(now.data, j));
        if (ok && (long)i != holder)
            ok = same_node(wv, nv);
        else if (ok && wt != was->data) {
            /* The table holding the date: its other entries as they were. */
            ok = nv == nt && yamltree_len(wv) == yamltree_len(nv);
            for (size_t k = 0; ok && k < yamltree_len(wv); k++)
                ok = same_node(yamltree_key(wv, k), yamltree_key(nv, k)) &&
                     ((long)k == wi || same_node(yamltree_item(wv, k), yamltree_item(nv, k)));
        }
    }
    frontmatter_release(&now);
    return ok;
}

/* Whether fix_canonical_keys' edits (out->v[first..)) read back as meant:
 * every entry as it was, in its order, `renamed` of them under charter's
 * name for the alias they had. */
static int renames_hold(const char *text, size_t len, const fix_edits *out, size_t first,
                        const frontmatter *was, const fm_limits *lim, const key_alias *keys,
                        size_t n_keys, long renamed)
{
    frontmatter now;
    if (!reread(&now, text, len, out, first, was, lim))
        return 0;
    size_t n = yamltree_len(was->data);
    int ok = yamltree_len(now.data) == n;
    long seen = 0;
    for (size_t i = 0; ok && i < n; i++) {
        const yaml_node *wk = yamltree_key(was->data, i), *nk = yamltree_key(now.data, i);
        ok = same_node(yamltree_item(was->data, i), yamltree_item(now.data, i));
        if (ok && !same_node(wk, nk)) {
            const char *canon = NULL;
            for (size_t a = 0; a < n_keys && !canon; a++)
                if (!strcmp(keys[a].alias, yamltree_text(wk)))
                    canon = keys[a].key;
            ok = canon && yamltree_kind(nk) == YAML_SCALAR && !strcmp(yamltree_text(nk), canon);
            seen++;
        }
    }
    frontmatter_release(&now);
    return ok && seen == renamed;
}

/* Takes back the edits out->v[first..). */
static void drop_edits(fix_edits *out, size_t first)
{
    for (size_t i = first; i < out->n; i++)
        free(out->v[i].text);
    out->n = first;
}

long fix_review_date(fix_edits *out, const char *text, size_t len, const char *file,
                     const fm_limits *lim, const key_alias *keys, size_t n_keys, const char *date,
                     diags *d)
{
    static const char key[] = "last_reviewed";
    frontmatter fm;
    long added = -1;
    if (read_frontmatter(&fm, text, len, file, lim, d) != 0)
        return -1;
    size_t first = out->n;
    const char *eol = line_end(text, len);
    buf line;
    buf_init(&line);
    const yaml_node *table;
    long i = review_pair(&table, fm.data, keys, n_keys);
    if (i < 0) {
        if (fm.present && fm.format == FM_JSON) {
            /* Hugo's JSON: the first member, after the '{'. */
            size_t at = (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0) + 1;
            buf_printf(&line, "%s  \"%s\": \"%s\"%s", eol, key, date,
                       yamltree_len(fm.data) ? "," : "");
            fix_edits_add(out, at, at, line.data, line.len, "last_reviewed", 1);
        } else if (fm.present) {
            /* The last line of the front matter, before its closing line;
             * TOML's `key = value` between `+++` lines, before its first
             * [table] (after it, the key would be the table's). */
            int at_line = fm.body_line - 1;
            for (int l = 2; fm.format == FM_TOML && l < fm.body_line - 1; l++) {
                size_t o = line_offset(text, len, l);
                while (o < len && (text[o] == ' ' || text[o] == '\t'))
                    o++;
                if (o < len && text[o] == '[') {
                    at_line = l;
                    break;
                }
            }
            size_t at = line_offset(text, len, at_line);
            buf_printf(&line, "%s%s%s%s", key, fm.format == FM_TOML ? " = " : ": ", date, eol);
            fix_edits_add(out, at, at, line.data, line.len, "last_reviewed", at_line);
        } else {
            size_t at = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
            buf_printf(&line, "---%s%s: %s%s---%s", eol, key, date, eol, eol);
            fix_edits_add(out, at, at, line.data, line.len, "last_reviewed", 1);
        }
        added = 1;
        goto done;
    }
    const yaml_node *k = yamltree_key(table, (size_t)i), *v = yamltree_item(table, (size_t)i);
    const char *name = yamltree_text(k);
    size_t ks, ke;
    if (!key_range(&ks, &ke, text, len, k))
        goto cannot;
    if (yamltree_kind(v) != YAML_SCALAR)
        goto cannot;
    const char *val = yamltree_text(v);
    size_t n = yamltree_text_len(v);
    if (n == strlen(date) && !memcmp(val, date, n)) {
        added = 0;
        goto done;
    }
    if (yamltree_plain(v) && n == 0) {
        /* `last_reviewed:` with no value: the date goes after the colon. */
        size_t c = ke + (text[ke] == ':' ? 0 : 1);
        while (c < len && (text[c] == ' ' || text[c] == '\t'))
            c++;
        if (c >= len || text[c] != ':')
            goto cannot;
        size_t after = c + 1;
        if (after < len && !strchr(" \t\r\n", text[after]))
            goto cannot;
        buf_printf(&line, " %s", date);
        fix_edits_add(out, after, after, line.data, line.len, "last_reviewed", yamltree_line(k));
        added = 1;
        goto done;
    }
    if (yamltree_line(v) != yamltree_line(k))
        goto cannot;
    size_t at = offset_of(text, len, yamltree_line(v), yamltree_col(v));
    if (at == SIZE_MAX || at >= len)
        goto cannot;
    char q = text[at];
    if (!yamltree_plain(v) && (q == '"' || q == '\'')) {
        /* Inside its quotes, when the date is written there as it reads. */
        if (at + 1 + n >= len || memcmp(text + at + 1, val, n) || text[at + 1 + n] != q)
            goto cannot;
        at++;
    } else if (!yamltree_plain(v) || at + n > len || memcmp(text + at, val, n) ||
               (at + n < len && !strchr(" \t\r\n", text[at + n]))) {
        goto cannot; /* a block scalar, a tag, a value over several lines */
    }
    fix_edits_add(out, at, at + n, date, strlen(date), "last_reviewed", yamltree_line(v));
    added = 1;
    goto done;
cannot:
    diag_error(d, file, yamltree_line(k), yamltree_col(k), "fix",
               "cannot set '%s': its value is not one date on its line; set it by hand", name);
done:
    /* Read back before it is kept: an edit that would change what else
     * the page says, or leave it unreadable (YAML's rules hold surprises:
     * a `...` after a lone CR ends the document), is not made. */
    if (added > 0 && !review_holds(text, len, out, first, &fm, lim, keys, n_keys, date)) {
        drop_edits(out, first);
        added = diag_error(d, file, 1, 1, "fix",
                           "cannot set the review date: the front matter would not read as "
                           "before with it; set '%s' by hand",
                           key);
    }
    frontmatter_release(&fm);
    buf_release(&line);
    return added;
}

long fix_canonical_keys(fix_edits *out, const char *text, size_t len, const char *file,
                        const fm_limits *lim, const key_alias *keys, size_t n_keys, diags *d)
{
    frontmatter fm;
    long added = 0;
    if (read_frontmatter(&fm, text, len, file, lim, d) != 0)
        return -1;
    size_t first = out->n;
    for (size_t i = 0; i < yamltree_len(fm.data); i++) {
        const yaml_node *k = yamltree_key(fm.data, i);
        const char *name = yamltree_text(k), *canon = NULL;
        for (size_t a = 0; a < n_keys && !canon; a++)
            if (!strcmp(keys[a].alias, name))
                canon = keys[a].key;
        if (!canon || !strcmp(canon, name))
            continue;
        size_t ks, ke;
        if (find_pair(fm.data, canon) >= 0) {
            diag_warning(d, file, yamltree_line(k), yamltree_col(k), "fix",
                         "'%s' is left as it is: the page also sets '%s', which wins", name, canon);
        } else if (!key_range(&ks, &ke, text, len, k)) {
            diag_warning(d, file, yamltree_line(k), yamltree_col(k), "fix",
                         "'%s' is left as it is: it is not written as a plain or quoted key", name);
        } else {
            fix_edits_add(out, ks, ke, canon, strlen(canon), "canonical-key", yamltree_line(k));
            added++;
        }
    }
    /* Read back before they are kept (fix_review_date). */
    if (added > 0 && !renames_hold(text, len, out, first, &fm, lim, keys, n_keys, added)) {
        drop_edits(out, first);
        added = diag_error(d, file, 1, 1, "fix",
                           "cannot rename the keys: the front matter would not read as before "
                           "with them; rename them by hand");
    }
    frontmatter_release(&fm);
    return added;
}

/* --- applying ---------------------------------------------------------------------- */

static int cmp_edit(const void *a, const void *b)
{
    const fix_edit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return strcmp(x->text, y->text);
}

size_t fix_edits_normalize(fix_edits *e, const char *file, diags *d)
{
    if (e->n)
        qsort(e->v, e->n, sizeof *e->v, cmp_edit);
    size_t kept = 0;
    for (size_t i = 0; i < e->n; i++) {
        fix_edit *x = &e->v[i];
        if (kept) {
            const fix_edit *p = &e->v[kept - 1];
            int same = p->start == x->start && p->end == x->end && !strcmp(p->text, x->text);
            /* Two insertions at one place would depend on their order. */
            int overlap = x->start < p->end || (x->start == p->start && p->start == p->end);
            if (same || overlap) {
                if (!same)
                    diag_warning(d, file, x->line, 0, "fix",
                                 "the %s fix overlaps the %s fix before it and is left out; run "
                                 "charter fix again",
                                 x->id, p->id);
                free(x->text);
                continue;
            }
        }
        e->v[kept++] = *x;
    }
    e->n = kept;
    return kept;
}

void fix_apply(buf *out, const char *text, size_t len, const fix_edits *e)
{
    size_t base = out->len;
    buf_add(out, text, len);
    /* From the last edit to the first: the ranges before an edit keep
     * their offsets. */
    for (size_t i = e->n; i-- > 0;) {
        const fix_edit *x = &e->v[i];
        size_t n = strlen(x->text), old = x->end - x->start;
        if (n > old)
            buf_grow(out, n - old);
        char *at = out->data + base + x->start;
        memmove(at + n, at + old, out->len - base - x->end);
        memcpy(at, x->text, n);
        out->len = out->len + n - old;
        out->data[out->len] = '\0';
    }
}

/* --- the diff ------------------------------------------------------------------------ */

/* The start of each line of t[0..len) in (*at)[0..n), and len at (*at)[n]. */
static size_t split_lines(size_t **at, const char *t, size_t len)
{
    size_t n = 0, cap = 16;
    *at = xmalloc(cap * sizeof **at);
    for (size_t i = 0; i < len;) {
        if (n + 1 >= cap)
            *at = xrealloc(*at, (cap *= 2) * sizeof **at);
        (*at)[n++] = i;
        const char *nl = memchr(t + i, '\n', len - i);
        i = nl ? (size_t)(nl - t) + 1 : len;
    }
    (*at)[n] = len;
    return n;
}

/* The line (0-based) holding offset off; n for the end of a text whose
 * last line is complete. */
static size_t line_of(const size_t *ls, size_t n, size_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ls[mid + 1] <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* One changed run of lines: old lines [a, a + n_old) become the lines of
 * `text` (n_new of them). */
typedef struct change {
    size_t a, n_old;
    buf text;
    size_t *ls, n_new;
} change;

static void put_line(buf *out, char mark, const char *s, size_t n)
{
    buf_addc(out, mark);
    buf_add(out, s, n);
    if (!n || s[n - 1] != '\n')
        buf_adds(out, "\n\\ No newline at end of file\n");
}

static void put_range(buf *out, size_t start, size_t count)
{
    /* As diff -u writes it: a range of one line is its number alone, an
     * empty one starts at the line before it. */
    if (count == 1)
        buf_printf(out, "%zu", start + 1);
    else
        buf_printf(out, "%zu,%zu", count ? start + 1 : start, count);
}

void fix_diff(buf *out, const char *name, const char *text, size_t len, const fix_edits *e)
{
    if (!e->n)
        return;
    size_t *ls;
    size_t n = split_lines(&ls, text, len);
    change *ch = xcalloc(e->n, sizeof *ch);
    size_t n_ch = 0;
    for (size_t i = 0; i < e->n;) {
        /* The edits on the lines this one touches, and those on the next
         * lines as long as they follow on. */
        size_t a = line_of(ls, n, e->v[i].start);
        size_t b = e->v[i].end > e->v[i].start ? line_of(ls, n, e->v[i].end - 1) + 1 : a + 1;
        size_t j = i + 1;
        for (; j < e->n && line_of(ls, n, e->v[j].start) <= b; j++) {
            size_t bj = e->v[j].end > e->v[j].start ? line_of(ls, n, e->v[j].end - 1) + 1
                                                    : line_of(ls, n, e->v[j].start) + 1;
            if (bj > b)
                b = bj;
        }
        if (b > n)
            b = n;
        fix_edits part = {e->v + i, j - i, j - i};
        size_t from = ls[a], to = ls[b];
        fix_edits shifted;
        fix_edits_init(&shifted);
        for (size_t k = 0; k < part.n; k++)
            fix_edits_add(&shifted, part.v[k].start - from, part.v[k].end - from, part.v[k].text,
                          strlen(part.v[k].text), part.v[k].id, part.v[k].line);
        change *c = &ch[n_ch++];
        buf_init(&c->text);
        fix_apply(&c->text, text + from, to - from, &shifted);
        fix_edits_release(&shifted);
        c->n_new = split_lines(&c->ls, c->text.data, c->text.len);
        c->a = a;
        c->n_old = b - a;
        /* Lines alike at either end are context, not change (a line
         * inserted shows as one). */
        size_t skip = 0;
        while (
            skip < c->n_old && skip < c->n_new &&
            ls[a + skip + 1] - ls[a + skip] == c->ls[skip + 1] - c->ls[skip] &&
            !memcmp(text + ls[a + skip], c->text.data + c->ls[skip], c->ls[skip + 1] - c->ls[skip]))
            skip++;
        size_t tail = 0;
        while (tail < c->n_old - skip && tail < c->n_new - skip) {
            size_t o = a + c->n_old - 1 - tail, w = c->n_new - 1 - tail;
            if (ls[o + 1] - ls[o] != c->ls[w + 1] - c->ls[w] ||
                memcmp(text + ls[o], c->text.data + c->ls[w], ls[o + 1] - ls[o]))
                break;
            tail++;
        }
        memmove(c->ls, c->ls + skip, (c->n_new + 1 - skip) * sizeof *c->ls);
        c->n_new -= skip + tail;
        c->a += skip;
        c->n_old -= skip + tail;
        i = j;
    }

    buf_printf(out, "--- a/%s\n+++ b/%s\n", name, name);
    long delta = 0; /* new lines minus old ones, before the hunk */
    for (size_t h = 0; h < n_ch;) {
        /* A hunk: changes whose contexts meet. */
        size_t last = h;
        while (last + 1 < n_ch && ch[last + 1].a <= ch[last].a + ch[last].n_old + 6)
            last++;
        size_t os = ch[h].a >= 3 ? ch[h].a - 3 : 0;
        size_t oe = ch[last].a + ch[last].n_old + 3;
        if (oe > n)
            oe = n;
        long grow = 0;
        for (size_t k = h; k <= last; k++)
            grow += (long)ch[k].n_new - (long)ch[k].n_old;
        size_t ns = (size_t)((long)os + delta);
        buf_addc(out, '@');
        buf_adds(out, "@ -");
        put_range(out, os, oe - os);
        buf_adds(out, " +");
        put_range(out, ns, (size_t)((long)(oe - os) + grow));
        buf_adds(out, " @@\n");
        size_t ln = os;
        for (size_t k = h; k <= last; k++) {
            const change *c = &ch[k];
            for (; ln < c->a; ln++)
                put_line(out, ' ', text + ls[ln], ls[ln + 1] - ls[ln]);
            for (; ln < c->a + c->n_old; ln++)
                put_line(out, '-', text + ls[ln], ls[ln + 1] - ls[ln]);
            for (size_t w = 0; w < c->n_new; w++)
                put_line(out, '+', c->text.data + c->ls[w], c->ls[w + 1] - c->ls[w]);
        }
        for (; ln < oe; ln++)
            put_line(out, ' ', text + ls[ln], ls[ln + 1] - ls[ln]);
        delta += grow;
        h = last + 1;
    }
    for (size_t k = 0; k < n_ch; k++) {
        buf_release(&ch[k].text);
        free(ch[k].ls);
    }
    free(ch);
    free(ls);
}

/* --- a site ------------------------------------------------------------------------- */

void fix_files_free(fix_file *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++)
        fix_edits_release(&f[i].edits);
    free(f);
}

static int selected(const page *p, const fix_options *opt)
{
    if (!opt->only)
        return 1;
    for (size_t i = 0; opt->only[i]; i++)
        if (!strcmp(opt->only[i], p->src))
            return 1;
    return 0;
}

fix_file *fix_site(size_t *n, int *failed, const site *s, const parsed *pp, const diags *findings,
                   const fix_options *opt, diags *d)
{
    fix_edits *per = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *per);
    map *by_src = map_new();
    for (size_t i = 0; i < s->n_pages; i++)
        map_put(by_src, s->pages[i]->src, (void *)(uintptr_t)(i + 1));
    const site_limits *l = &s->cfg.limits;
    fm_limits fl = {
        l->frontmatter_bytes,
        {l->scalar_bytes, "limits.scalar_bytes", l->frontmatter_keys, "limits.frontmatter_keys"},
        s->cfg.fenceless};

    /* What the checks found, where they found it. */
    size_t n_found;
    const diag_entry *f = diag_entries(findings, &n_found);
    for (size_t i = 0; i < n_found; i++) {
        int heading = !strcmp(f[i].id, "heading-without-space");
        if (!f[i].file || (!heading && strcmp(f[i].id, "link-without-scheme")))
            continue;
        uintptr_t at = (uintptr_t)map_get(by_src, f[i].file);
        if (!at)
            continue;
        const page *p = s->pages[at - 1];
        if (!selected(p, opt))
            continue;
        if (heading) {
            fix_heading_space(&per[at - 1], p->text.data, p->text.len, f[i].line, f[i].col);
            continue;
        }
        const parsed_page *pg = pp ? parsed_page_at(pp, p->index) : NULL;
        for (size_t k = 0; pg && k < pg->doc.n_links; k++) {
            const md_link *lk = &pg->doc.links[k];
            if (lk->line == f[i].line && lk->col == f[i].col) {
                fix_link_scheme(&per[at - 1], p->text.data, p->text.len, lk->line, lk->col,
                                lk->url);
                break;
            }
        }
    }

    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!selected(p, opt) || !p->text.data)
            continue;
        if (opt->reviewed && fix_review_date(&per[i], p->text.data, p->text.len, p->src, &fl,
                                             s->cfg.keys, s->cfg.n_keys, opt->reviewed, d) < 0)
            *failed = 1;
        /* next_review wins over last_reviewed: the reviewer must move it. */
        const yaml_node *next =
            opt->reviewed && p->ok ? yamltree_get(p->fm.data, "next_review") : NULL;
        if (next)
            diag_warning(d, p->src, yamltree_line(next), yamltree_col(next), "fix",
                         "'next_review' still sets when the page is next reviewed; change it by "
                         "hand");
        if (opt->canonical_keys && fix_canonical_keys(&per[i], p->text.data, p->text.len, p->src,
                                                      &fl, s->cfg.keys, s->cfg.n_keys, d) < 0)
            *failed = 1;
    }

    fix_file *files = NULL;
    size_t n_files = 0;
    for (size_t i = 0; i < s->n_pages; i++) {
        if (fix_edits_normalize(&per[i], s->pages[i]->src, d) == 0) {
            fix_edits_release(&per[i]);
            continue;
        }
        files = xgrow(files, n_files, sizeof *files);
        files[n_files++] = (fix_file){i, per[i]};
    }
    free(per);
    map_free(by_src);
    *n = n_files;
    return files;
}
