/* markdown_rewrite: the edits markdown.c makes to a body before cmark-gfm
 * parses it, and the map from the rewritten text back to the source
 * (markdown_int.h). The Liquid of Jekyll sites (https://shopify.github.io/
 * liquid/, with Jekyll's highlight tag) is found here: a plain text scan that
 * skips the code blocks cmark-gfm found and the code spans of each paragraph,
 * linear in the body whatever is left unterminated. */
#include "markdown_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void md_ranges_add(md_ranges *r, size_t start, size_t end)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = xrealloc(r->v, r->cap * sizeof *r->v);
    }
    r->v[r->n++] = (md_range){start, end};
}

void md_ranges_release(md_ranges *r)
{
    if (!r)
        return;
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* --- edits and the map back -------------------------------------------------- */

void md_rewrite_init(md_rewrite *rw)
{
    memset(rw, 0, sizeof *rw);
    buf_init(&rw->reps);
    buf_init(&rw->text);
}

void md_rewrite_release(md_rewrite *rw)
{
    if (!rw)
        return;
    free(rw->edits);
    buf_release(&rw->reps);
    buf_release(&rw->text);
    free(rw->mod);
    free(rw->orig);
    md_rewrite_init(rw);
}

static void add_edit(md_rewrite *rw, size_t start, size_t end, size_t rep, size_t rep_len)
{
    if (rw->n_edits == rw->cap_edits) {
        rw->cap_edits = rw->cap_edits ? rw->cap_edits * 2 : 16;
        rw->edits = xrealloc(rw->edits, rw->cap_edits * sizeof *rw->edits);
    }
    rw->edits[rw->n_edits++] = (md_edit){start, end, rep, rep_len};
}

void md_rewrite_replace(md_rewrite *rw, size_t start, size_t end, const char *rep, size_t len)
{
    add_edit(rw, start, end, rw->reps.len, len);
    buf_add(&rw->reps, rep, len);
}

void md_rewrite_drop(md_rewrite *rw, const char *src, size_t start, size_t end)
{
    size_t rep = rw->reps.len;
    for (size_t i = start; i < end; i++)
        if (src[i] == '\n' || src[i] == '\r')
            buf_addc(&rw->reps, src[i]);
    add_edit(rw, start, end, rep, rw->reps.len - rep);
}

static int cmp_edit(const void *a, const void *b)
{
    const md_edit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return 0;
}

void md_rewrite_sort(md_rewrite *rw)
{
    if (rw->n_edits < 2)
        return;
    qsort(rw->edits, rw->n_edits, sizeof *rw->edits, cmp_edit);
    size_t k = 1;
    for (size_t i = 1; i < rw->n_edits; i++)
        if (rw->edits[i].start >= rw->edits[k - 1].end)
            rw->edits[k++] = rw->edits[i];
    rw->n_edits = k;
}

static void add_anchor(md_rewrite *rw, size_t mod, size_t orig)
{
    rw->mod[rw->n_anchors] = mod;
    rw->orig[rw->n_anchors++] = orig;
}

void md_rewrite_apply(md_rewrite *rw, const char *src, size_t len)
{
    md_rewrite_sort(rw);
    buf_reset(&rw->text);
    free(rw->mod);
    free(rw->orig);
    rw->mod = xmalloc((2 * rw->n_edits + 1) * sizeof *rw->mod);
    rw->orig = xmalloc((2 * rw->n_edits + 1) * sizeof *rw->orig);
    rw->n_anchors = 0;
    add_anchor(rw, 0, 0);
    size_t cur = 0;
    for (size_t i = 0; i < rw->n_edits; i++) {
        const md_edit *e = &rw->edits[i];
        buf_add(&rw->text, src + cur, e->start - cur);
        add_anchor(rw, rw->text.len, e->start);
        buf_add(&rw->text, rw->reps.data + e->rep, e->rep_len);
        add_anchor(rw, rw->text.len, e->end);
        cur = e->end;
    }
    buf_add(&rw->text, src + cur, len - cur);
}

size_t md_rewrite_source(const md_rewrite *rw, size_t off)
{
    if (!rw->n_anchors)
        return off;
    /* The last anchor at or before off: after a deletion's two anchors at
     * one offset, the second, which is past the deleted bytes. */
    size_t lo = 0, hi = rw->n_anchors;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (rw->mod[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    size_t o = rw->orig[lo] + (off - rw->mod[lo]);
    if (lo + 1 < rw->n_anchors && o > rw->orig[lo + 1])
        o = rw->orig[lo + 1];
    return o;
}

/* --- Liquid ----------------------------------------------------------------- */

enum { END_RAW, END_COMMENT, END_HIGHLIGHT };
static const char *const end_names[] = {"endraw", "endcomment", "endhighlight"};

typedef struct scan {
    const char *s;
    const char *view; /* s as md_liquid_mask left it: paragraphs and spans */
    size_t len;
    const md_range *code; /* code blocks, sorted; code[ci] is the next */
    size_t n_code, ci;
    md_rewrite *rw;
    md_liquid *out;
    const char *const *vars; /* name, value pairs for md_liquid_value, or NULL */
    const md_options *opt;   /* its ref and rewrite_ctx, for Hugo's ref */
    /* What a failed search learnt, so nothing unterminated is searched for
     * twice: no end tag END_* at or after no_end[k]; no "%}" (k 0) or "}}"
     * (k 1) in [no_close[k], no_close_bound[k]). */
    size_t no_end[3];
    size_t no_close[2], no_close_bound[2];
    size_t no_comment_end; /* no "#}" at or after it */
    /* The code spans of the paragraph being scanned; spans.v[si] is the
     * next. runs, next and last are scratch for finding them. */
    md_ranges spans, runs;
    size_t si;
    size_t *next, *last;
    size_t next_cap, last_cap;
    /* The line cursor (line_to): the offset reached, its line's start, the
     * end of that line's leading run of ' ', '\t' and '>', and whether
     * anything else came before the offset on it. */
    size_t lpos, lstart, lprefix;
    int ltext;
} scan;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The end of pos's paragraph, as near as lines tell it: the start of the
 * first later line that is blank or starts the next code block, or len. */
static size_t chunk_end(const scan *sc, size_t pos)
{
    const char *s = sc->view;
    size_t code = sc->ci < sc->n_code ? sc->code[sc->ci].start : sc->len;
    const char *nl = memchr(s + pos, '\n', sc->len - pos);
    while (nl) {
        size_t ls = (size_t)(nl - s) + 1, i = ls;
        if (ls >= code)
            return code;
        while (i < sc->len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i == sc->len || s[i] == '\n')
            return ls;
        nl = memchr(s + i, '\n', sc->len - i);
    }
    return sc->len;
}

/* Finds the code spans of s[from, to) (CommonMark 6.1: a run of n
 * backticks opens one that the next run of exactly n closes; backslash
 * escapes are not looked at). Each run's next run of the same length is
 * found in one pass from the right, so unmatched runs cost nothing more. */
static void find_spans(scan *sc, size_t from, size_t to)
{
    const char *s = sc->view;
    size_t longest = 0;
    sc->spans.n = sc->runs.n = sc->si = 0;
    for (size_t p = from; p < to;) {
        const char *b = memchr(s + p, '`', to - p);
        if (!b)
            break;
        size_t st = (size_t)(b - s), e = st;
        while (e < to && s[e] == '`')
            e++;
        md_ranges_add(&sc->runs, st, e - st); /* start, length */
        if (e - st > longest)
            longest = e - st;
        p = e;
    }
    if (sc->runs.n < 2)
        return;
    if (sc->next_cap < sc->runs.n) {
        sc->next_cap = sc->runs.n;
        sc->next = xrealloc(sc->next, sc->next_cap * sizeof *sc->next);
    }
    if (sc->last_cap < longest + 1) {
        sc->last_cap = longest + 1;
        sc->last = xrealloc(sc->last, sc->last_cap * sizeof *sc->last);
    }
    for (size_t k = 0; k <= longest; k++)
        sc->last[k] = SIZE_MAX;
    for (size_t i = sc->runs.n; i-- > 0;) {
        size_t n = sc->runs.v[i].end;
        sc->next[i] = sc->last[n];
        sc->last[n] = i;
    }
    for (size_t i = 0; i < sc->runs.n;) {
        size_t j = sc->next[i];
        if (j == SIZE_MAX) {
            i++;
            continue;
        }
        md_ranges_add(&sc->spans, sc->runs.v[i].start, sc->runs.v[j].start + sc->runs.v[j].end);
        i = j + 1;
    }
}

/* The first "{%" or "{{" in s[p, to), or to. */
/* Whether s[q] opens a comment of Nunjucks, Jinja or Tera (Eleventy's and
 * Zola's templates): "{#" and a space or '-' ("{#- trimmed -#}"), which
 * tells it from a heading's id ("## Scope {#scope}"). */
static int template_comment_at(const char *s, size_t q, size_t to)
{
    return q + 2 < to && s[q + 1] == '#' &&
           (s[q + 2] == '-' || s[q + 2] == ' ' || s[q + 2] == '\t' || s[q + 2] == '\n' ||
            s[q + 2] == '\r');
}

static size_t next_open(const char *s, size_t p, size_t to)
{
    while (p + 1 < to) {
        const char *b = memchr(s + p, '{', to - p - 1);
        if (!b)
            break;
        size_t q = (size_t)(b - s);
        if (s[q + 1] == '%' || s[q + 1] == '{' || template_comment_at(s, q, to))
            return q;
        p = q + 1;
    }
    return to;
}

/* The end of the tag or variable opened at q: just past the first "%}" or
 * "}}" before bound, as Liquid reads it; 0 when there is none. */
static size_t tag_close(scan *sc, size_t q, size_t bound)
{
    int k = sc->s[q + 1] == '{';
    size_t from = q + 2;
    if (sc->no_close_bound[k] == bound && from >= sc->no_close[k])
        return 0;
    const char *hit = from < bound ? memmem(sc->s + from, bound - from, k ? "}}" : "%}", 2) : NULL;
    if (!hit) {
        sc->no_close[k] = from;
        sc->no_close_bound[k] = bound;
        return 0;
    }
    return (size_t)(hit - sc->s) + 2;
}

/* The name of the tag s[q, te): sets *at to its offset, returns its length. */
static size_t tag_name(const char *s, size_t q, size_t te, size_t *at)
{
    size_t p = q + 2;
    if (p < te && s[p] == '-')
        p++;
    while (p < te && is_space(s[p]))
        p++;
    *at = p;
    while (p < te && is_word(s[p]))
        p++;
    return p - *at;
}

/* If s[at] starts the bare tag `{% name %}` (whitespace control allowed),
 * returns its end; else 0. */
static size_t bare_tag_at(const char *s, size_t len, size_t at, const char *name)
{
    size_t p = at + 2, n = strlen(name);
    if (p < len && s[p] == '-')
        p++;
    while (p < len && is_space(s[p]))
        p++;
    if (len - p < n || memcmp(s + p, name, n) != 0)
        return 0;
    p += n;
    if (p < len && is_word(s[p]))
        return 0;
    while (p < len && is_space(s[p]))
        p++;
    if (p < len && s[p] == '-')
        p++;
    if (len - p < 2 || s[p] != '%' || s[p + 1] != '}')
        return 0;
    return p + 2;
}

/* Finds the end tag END_* (which) from `from` on: sets *start to where it
 * starts and returns its end, or returns 0. A highlight block's search
 * steps over raw sections, as Liquid's parser does. */
static size_t find_end(scan *sc, size_t from, int which, size_t *start)
{
    if (from >= sc->no_end[which])
        return 0;
    const char *s = sc->s;
    size_t p = from;
    while (p + 1 < sc->len) {
        const char *hit = memmem(s + p, sc->len - p, "{%", 2);
        if (!hit)
            break;
        size_t at = (size_t)(hit - s), e, rs;
        if ((e = bare_tag_at(s, sc->len, at, end_names[which])) != 0) {
            *start = at;
            return e;
        }
        if (which == END_HIGHLIGHT && (e = bare_tag_at(s, sc->len, at, "raw")) != 0) {
            if ((p = find_end(sc, e, END_RAW, &rs)) == 0)
                break;
            continue;
        }
        p = at + 2;
    }
    sc->no_end[which] = from;
    return 0;
}

/* Moves the line cursor forward to q. */
static void line_to(scan *sc, size_t q)
{
    for (size_t i = sc->lpos; i < q; i++) {
        char c = sc->s[i];
        if (c == '\n') {
            sc->lstart = sc->lprefix = i + 1;
            sc->ltext = 0;
        } else if (!sc->ltext && (c == ' ' || c == '\t' || c == '>')) {
            sc->lprefix = i + 1;
        } else {
            sc->ltext = 1;
        }
    }
    if (q > sc->lpos)
        sc->lpos = q;
}

/* True if s[from, to) has something but spaces before its next newline. */
static int text_follows(const char *s, size_t from, size_t to)
{
    while (from < to && (s[from] == ' ' || s[from] == '\t' || s[from] == '\r'))
        from++;
    return from < to && s[from] != '\n';
}

static size_t dropped(scan *sc, size_t start, size_t end, const char *closer)
{
    md_liquid *l = sc->out;
    md_rewrite_drop(sc->rw, sc->s, start, end);
    if (l->n_tags == l->cap_tags) {
        l->cap_tags = l->cap_tags ? l->cap_tags * 2 : 8;
        l->tags = xrealloc(l->tags, l->cap_tags * sizeof *l->tags);
    }
    l->tags[l->n_tags++] = (md_liquid_tag){start, end, closer};
    return end;
}

static size_t tag(scan *sc, size_t q, size_t bound, int in_code);

/* Scans the code of a highlight block, s[from, to): Liquid there is Liquid
 * (Jekyll renders the block's body), but no Markdown is. */
static void scan_code(scan *sc, size_t from, size_t to)
{
    for (size_t p = from; (p = next_open(sc->s, p, to)) < to;)
        p = tag(sc, p, to, 1);
}

/* Appends a newline and the opener's line prefix (its indentation, its
 * block quote markers), so what follows stays in the same container. */
static void add_break(buf *b, const char *s, size_t prefix, size_t prefix_len)
{
    buf_addc(b, '\n');
    buf_add(b, s + prefix, prefix_len);
}

/* {% highlight lang %} at q (ending at te; lang is s[lang, lang + n)) as
 * a fenced code block: each tag becomes a fence on a line of its own, with
 * a newline added where text shares the line. Returns the end of the
 * block, or 0 when no {% endhighlight %} comes. */
static size_t highlight(scan *sc, size_t q, size_t te, size_t lang, size_t n)
{
    const char *s = sc->s;
    size_t cs, ce = find_end(sc, te, END_HIGHLIGHT, &cs);
    if (!ce)
        return 0;
    /* Longer than any run of backticks in the code, so none closes it. */
    size_t fence = 3, run = 0;
    for (size_t i = te; i < cs; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run >= fence)
            fence = run + 1;
    }
    buf rep;
    buf_init(&rep);
    line_to(sc, q);
    size_t prefix = sc->lstart, prefix_len = sc->lprefix - sc->lstart;
    if (sc->ltext)
        add_break(&rep, s, prefix, prefix_len);
    for (size_t k = 0; k < fence; k++)
        buf_addc(&rep, '`');
    buf_add(&rep, s + lang, n);
    if (text_follows(s, te, cs))
        add_break(&rep, s, prefix, prefix_len);
    md_rewrite_replace(sc->rw, q, te, rep.data, rep.len);
    scan_code(sc, te, cs);
    buf_reset(&rep);
    line_to(sc, cs);
    if (sc->ltext)
        add_break(&rep, s, prefix, prefix_len);
    for (size_t k = 0; k < fence; k++)
        buf_addc(&rep, '`');
    if (text_follows(s, ce, sc->len))
        add_break(&rep, s, prefix, prefix_len);
    md_rewrite_replace(sc->rw, cs, ce, rep.data, rep.len);
    buf_release(&rep);
    md_ranges_add(&sc->out->opaque, q, ce);
    return ce;
}

/* The language of `{% highlight lang [options] %}` (s[q, te)), as Jekyll
 * accepts it ([A-Za-z0-9.+#_-]+): sets *lang, returns its length, 0 if
 * there is none. */
static size_t highlight_lang(const char *s, size_t p, size_t te, size_t *lang)
{
    size_t end = te - 2;
    if (end > p && s[end - 1] == '-')
        end--;
    while (p < end && is_space(s[p]))
        p++;
    *lang = p;
    while (p < end && !is_space(s[p])) {
        char c = s[p];
        if (!is_word(c) && !strchr(".+#-", c))
            return 0;
        p++;
    }
    return p - *lang;
}

/* The one argument of a tag s[from, to): a word without spaces or a
 * quoted string, and nothing after it but spaces and `-` (whitespace
 * control). Sets *arg; returns its length, 0 when it is not one. */
static size_t one_argument(const char *s, size_t from, size_t to, size_t *arg)
{
    while (from < to && is_space(s[from]))
        from++;
    size_t n = 0;
    if (from < to && (s[from] == '"' || s[from] == '\'')) {
        const char *close = memchr(s + from + 1, s[from], to - from - 1);
        if (!close)
            return 0;
        *arg = from + 1;
        n = (size_t)(close - (s + from + 1));
        from = (size_t)(close - s) + 1;
    } else {
        *arg = from;
        while (from < to && !is_space(s[from]))
            from++;
        n = from - *arg;
        if (n > 1 && s[*arg + n - 1] == '-' && from == to)
            n--; /* `{% link x.md-%}`: whitespace control */
    }
    while (from < to && (is_space(s[from]) || s[from] == '-'))
        from++;
    return from == to && n && !memchr(s + *arg, '\n', n) ? n : 0;
}

/* Appends s[0, n) as a link destination: what ends one (spaces,
 * parentheses, angle brackets) percent-encoded, as charter's link check
 * decodes it. */
static void add_destination(buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strchr(" \t()<>", s[i]))
            buf_printf(out, "%%%02X", (unsigned char)s[i]);
        else
            buf_addc(out, s[i]);
    }
}

/* Hugo's shortcode delimiters: when the tag [q, te) is `{{< ... >}}` or
 * `{{% ... %}}`, the bounds of what they hold in *from and *to, and 1;
 * else 0. */
static int shortcode_inside(const char *s, size_t q, size_t te, size_t *from, size_t *to)
{
    size_t p = q + 2, end = te - 2;
    char close = p < end && s[p] == '<' ? '>' : p < end && s[p] == '%' ? '%' : 0;
    if (!close || end - p < 2 || s[end - 1] != close)
        return 0;
    *from = p + 1;
    *to = end - 1;
    return 1;
}

/* Whether the tag [q, te) is alone on its line, but for blanks (indented
 * as a list item's may be). */
static int alone_on_line(const scan *sc, size_t q, size_t te)
{
    const char *s = sc->s;
    for (size_t b = q; b > 0 && s[b - 1] != '\n'; b--)
        if (s[b - 1] != ' ' && s[b - 1] != '\t')
            return 0;
    for (size_t e = te; e < sc->len && s[e] != '\n'; e++)
        if (s[e] != ' ' && s[e] != '\t' && s[e] != '\r')
            return 0;
    return 1;
}

/* Jekyll's {% link path %} and Hugo's {{< ref "path" >}} (or relref, or
 * with %) at q (ending at te): a link to a page by its source file, which
 * charter resolves as it does a link to the file, so the link is checked
 * and points at the page. Replaced by the path (Jekyll's from the site's
 * root; Hugo's from the page's folder, else where the options' ref finds
 * it); returns 1, or 0 when it is neither. */
static int page_link(scan *sc, size_t q, size_t te)
{
    const char *s = sc->s;
    size_t at, n, arg, len;
    if (s[q + 1] == '%') {
        n = tag_name(s, q, te, &at);
        if (n != 4 || memcmp(s + at, "link", 4) || !(len = one_argument(s, at + 4, te - 2, &arg)))
            return 0;
        buf rep;
        buf_init(&rep);
        if (s[arg] != '/')
            buf_addc(&rep, '/');
        add_destination(&rep, s + arg, len);
        md_rewrite_replace(sc->rw, q, te, rep.data, rep.len);
        buf_release(&rep);
        return 1;
    }
    /* {{< ref "x.md" >}}, {{% relref "x.md" %}} */
    size_t p, end;
    if (!shortcode_inside(s, q, te, &p, &end))
        return 0;
    while (p < end && is_space(s[p]))
        p++;
    n = 0;
    while (p + n < end && is_word(s[p + n]))
        n++;
    if (!((n == 3 && !memcmp(s + p, "ref", 3)) || (n == 6 && !memcmp(s + p, "relref", 6))) ||
        !(len = one_argument(s, p + n, end, &arg)))
        return 0;
    buf rep, there;
    buf_init(&rep);
    buf_init(&there);
    /* Not from the page's folder: from the content's top, or the page of
     * that name, as Hugo looks next (the caller's ref says where). */
    const md_options *o = sc->opt;
    if (o && o->ref && o->ref(o->rewrite_ctx, s + arg, len, &there))
        add_destination(&rep, there.data, there.len);
    else
        add_destination(&rep, s + arg, len);
    buf_release(&there);
    md_rewrite_replace(sc->rw, q, te, rep.data, rep.len);
    buf_release(&rep);
    return 1;
}

/* GitBook's `{% hint style="info" %}` (the name at at, n bytes; the tag
 * [q, te)) and `{% endhint %}`: recorded in out->boxes for the caller,
 * and 1; else 0. */
static int hint_box(scan *sc, size_t q, size_t te, size_t at, size_t n)
{
    const char *s = sc->s;
    size_t type = 0, type_len = 0;
    /* Alone on its line (indented as its list item may be), as GitBook
     * writes it; sharing one with text, it is a tag like any other. */
    if (!alone_on_line(sc, q, te))
        return 0;
    if (n == 7 && !memcmp(s + at, "endhint", 7)) {
        for (size_t p = at + 7; p + 2 < te; p++)
            if (!is_space(s[p]) && s[p] != '-')
                return 0;
    } else if (n == 4 && !memcmp(s + at, "hint", 4)) {
        size_t p = at + 4;
        while (p < te && is_space(s[p]))
            p++;
        if (te - p < 8 || memcmp(s + p, "style=", 6) || (s[p + 6] != '"' && s[p + 6] != '\''))
            return 0;
        char quote = s[p + 6];
        type = p + 7;
        while (type + type_len < te && s[type + type_len] != quote &&
               ((s[type + type_len] >= 'a' && s[type + type_len] <= 'z') ||
                (s[type + type_len] >= 'A' && s[type + type_len] <= 'Z')))
            type_len++;
        if (!type_len || type + type_len >= te || s[type + type_len] != quote)
            return 0;
    } else {
        return 0;
    }
    md_liquid *l = sc->out;
    if (l->n_boxes == l->cap_boxes) {
        l->cap_boxes = l->cap_boxes ? l->cap_boxes * 2 : 4;
        l->boxes = xrealloc(l->boxes, l->cap_boxes * sizeof *l->boxes);
    }
    l->boxes[l->n_boxes++] = (md_liquid_box){q, te, type, type_len, 0, 0};
    return 1;
}

/* The value of attribute `name` ("url", "src") in the tag s[from, to),
 * quoted: its offset in *v and length, or 0. */
static size_t tag_attr(const char *s, size_t from, size_t to, const char *name, size_t *v)
{
    size_t nl = strlen(name);
    for (size_t p = from; p + nl + 2 < to; p++) {
        if ((p > from && !is_space(s[p - 1])) || memcmp(s + p, name, nl) || s[p + nl] != '=' ||
            (s[p + nl + 1] != '"' && s[p + nl + 1] != '\''))
            continue;
        char quote = s[p + nl + 1];
        size_t b = p + nl + 2, e = b;
        while (e < to && s[e] != quote && s[e] != '<' && s[e] != '>' && s[e] != '\n')
            e++;
        if (e >= to || s[e] != quote || e == b)
            return 0;
        *v = b;
        return e - b;
    }
    return 0;
}

/* GitBook's blocks (the name at at, n bytes; the tag [q, te)): `{% embed
 * url="..." %}` is its address as a link, `{% file src="x.pdf" %}` a link
 * to the file, named by it (checked as any link), `{% tab title="X" %}`
 * its title in bold; the tags that only wrap what they show (content-ref
 * around its link, code around its fence, tabs, steppers, and the closing
 * tags) go without a word. 1 when handled, else 0. */
static int gitbook_tag(scan *sc, size_t q, size_t te, size_t at, size_t n)
{
    const char *s = sc->s;
    static const char *const wrappers[] = {
        "endembed", "endfile", "content-ref", "endcontent-ref", "code", "endcode", "tabs",
        "endtabs",  "endtab",  "stepper",     "endstepper",     "step", "endstep"};
    while (at + n < te && (s[at + n] == '-' || is_word(s[at + n]))) /* content-ref */
        n++;
    for (size_t k = 0; k < sizeof wrappers / sizeof *wrappers; k++)
        if (n == strlen(wrappers[k]) && !memcmp(s + at, wrappers[k], n)) {
            md_rewrite_drop(sc->rw, s, q, te);
            return 1;
        }
    size_t v = 0, len = 0;
    int tab = n == 3 && !memcmp(s + at, "tab", 3), embed = n == 5 && !memcmp(s + at, "embed", 5);
    if (tab)
        len = tag_attr(s, at + 3, te, "title", &v);
    else if (embed)
        len = tag_attr(s, at + 5, te, "url", &v);
    else if (n == 4 && !memcmp(s + at, "file", 4))
        len = tag_attr(s, at + 4, te, "src", &v);
    if (!len)
        return 0;
    buf rep;
    buf_init(&rep);
    if (tab) {
        buf_adds(&rep, "**");
        buf_add(&rep, s + v, len);
        buf_adds(&rep, "**");
    } else {
        /* [the address](<it>) for an embed; [the file's name](<its path>). */
        const char *name = s + v;
        for (size_t i = 0; i < len; i++)
            if (s[v + i] == '/')
                name = s + v + i + 1;
        size_t name_len = (size_t)(s + v + len - name);
        buf_addc(&rep, '[');
        for (size_t i = 0; i < (embed ? len : name_len); i++) {
            char c = embed ? s[v + i] : name[i];
            if (c == '[' || c == ']' || c == '\\')
                buf_addc(&rep, '\\');
            buf_addc(&rep, c);
        }
        buf_adds(&rep, "](<");
        buf_add(&rep, s + v, len);
        buf_adds(&rep, ">)");
    }
    md_rewrite_replace(sc->rw, q, te, rep.data, rep.len);
    buf_release(&rep);
    return 1;
}

/* Hugo's admonition shortcodes, as the themes most used for documents
 * write them: hugo-book's `{{< hint warning >}}` ... `{{< /hint >}}` and
 * Relearn's (and Learn's) `{{% notice note "Title" %}}` (or
 * `style="note" title="..."`) ... `{{% /notice %}}`, each alone on its
 * line (the tag [q, te)): recorded in out->boxes as GitBook's hints are,
 * a box without a type named by its tag. 1 when handled, else 0. */
static int hugo_box(scan *sc, size_t q, size_t te)
{
    const char *s = sc->s;
    size_t p, end;
    if (!shortcode_inside(s, q, te, &p, &end) || !alone_on_line(sc, q, te))
        return 0;
    while (p < end && is_space(s[p]))
        p++;
    int closing = p < end && s[p] == '/';
    if (closing)
        p++;
    size_t n = 0;
    while (p + n < end && is_word(s[p + n]))
        n++;
    /* hugo-book's hint, the Relearn theme's notice, Docsy's alert and
     * pageinfo. */
    if (!((n == 4 && !memcmp(s + p, "hint", 4)) || (n == 6 && !memcmp(s + p, "notice", 6)) ||
          (n == 5 && !memcmp(s + p, "alert", 5)) || (n == 8 && !memcmp(s + p, "pageinfo", 8))))
        return 0;
    size_t name = p, type = 0, type_len = 0, title = 0, title_len = 0;
    p += n;
    while (p < end && is_space(s[p]))
        p++;
    if (closing) {
        if (p != end)
            return 0;
    } else {
        /* Its arguments: the type then the title, each a word or quoted,
         * or named (style=, type=, title=; quoted or not). */
        int positional = 0;
        while (p < end) {
            size_t k = 0;
            while (p + k < end && is_word(s[p + k]))
                k++;
            size_t key = p, key_len = k && p + k < end && s[p + k] == '=' ? k : 0;
            if (key_len)
                p += k + 1;
            size_t v = p, v_len = 0;
            if (p < end && (s[p] == '"' || s[p] == '\'' || s[p] == '`')) {
                char quote = s[p];
                v = ++p;
                while (p < end && s[p] != quote && s[p] != '\n')
                    p++;
                v_len = p - v;
                p += p < end;
            } else {
                while (p < end && !is_space(s[p]))
                    p++;
                v_len = p - v;
            }
            int is_title = key_len ? key_len == 5 && !memcmp(s + key, "title", 5) : positional == 1;
            int is_type = key_len ? (key_len == 5 && !memcmp(s + key, "style", 5)) ||
                                        (key_len == 4 && !memcmp(s + key, "type", 4)) ||
                                        (key_len == 5 && !memcmp(s + key, "color", 5))
                                  : positional == 0;
            if (!key_len)
                positional++;
            if (is_type && v_len) {
                type = v;
                type_len = v_len;
            } else if (is_title && v_len) {
                title = v;
                title_len = v_len;
            }
            while (p < end && is_space(s[p]))
                p++;
        }
        /* A type is a word: "warning", not text. */
        for (size_t i = 0; i < type_len; i++)
            if (!is_word(s[type + i]) && s[type + i] != '-')
                type_len = 0;
        if (!type_len) { /* {{< hint >}}: a box named by its tag */
            type = name;
            type_len = n;
        }
    }
    md_liquid *l = sc->out;
    if (l->n_boxes == l->cap_boxes) {
        l->cap_boxes = l->cap_boxes ? l->cap_boxes * 2 : 4;
        l->boxes = xrealloc(l->boxes, l->cap_boxes * sizeof *l->boxes);
    }
    l->boxes[l->n_boxes++] = (md_liquid_box){q, te, type, closing ? 0 : type_len, title, title_len};
    return 1;
}

/* Hugo's figure shortcode (`{{< figure src="/img/org.png" alt="Org"
 * caption="..." >}}`, the tag [q, te)) as the image it shows, its alt text
 * the alt, else the caption or title, and the caption after it in
 * emphasis; checked as any image. 1 when handled, else 0 (no src). */
static int hugo_figure(scan *sc, size_t q, size_t te)
{
    const char *s = sc->s;
    size_t p = q + 2;
    if (p >= te || (s[p] != '<' && s[p] != '%'))
        return 0;
    p++;
    while (p < te && is_space(s[p]))
        p++;
    if (te - p < 6 || memcmp(s + p, "figure", 6) || !is_space(s[p + 6]))
        return 0;
    size_t src, src_n = tag_attr(s, p + 6, te, "src", &src), alt = 0, alt_n = 0, cap = 0,
                cap_n = tag_attr(s, p + 6, te, "caption", &cap);
    if (!src_n)
        return 0;
    if (!(alt_n = tag_attr(s, p + 6, te, "alt", &alt)) && !(alt_n = cap_n, alt = cap, alt_n))
        alt_n = tag_attr(s, p + 6, te, "title", &alt);
    buf rep;
    buf_init(&rep);
    buf_adds(&rep, "![");
    for (size_t i = 0; i < alt_n; i++) {
        if (s[alt + i] == '[' || s[alt + i] == ']' || s[alt + i] == '\\')
            buf_addc(&rep, '\\');
        buf_addc(&rep, s[alt + i]);
    }
    buf_adds(&rep, "](<");
    buf_add(&rep, s + src, src_n);
    buf_adds(&rep, ">)");
    if (cap_n) {
        buf_adds(&rep, " *");
        for (size_t i = 0; i < cap_n; i++) {
            if (strchr("*_[]\\`<", s[cap + i]))
                buf_addc(&rep, '\\');
            buf_addc(&rep, s[cap + i]);
        }
        buf_addc(&rep, '*');
    }
    md_rewrite_replace(sc->rw, q, te, rep.data, rep.len);
    buf_release(&rep);
    return 1;
}

/* Handles the tag or variable opened at q, which must end before bound;
 * returns where the scan goes on. in_code: inside a highlight block, where
 * only raw is a block. */
static size_t tag(scan *sc, size_t q, size_t bound, int in_code)
{
    const char *s = sc->s;
    if (s[q + 1] == '#') {
        /* {# comment #}: printed by none of those templates, so neither
         * here; it may span paragraphs, as {% comment %} may. Unclosed, it
         * is text. */
        const char *hit =
            q + 2 < sc->no_comment_end ? memmem(s + q + 2, sc->len - q - 2, "#}", 2) : NULL;
        if (!hit) {
            if (sc->no_comment_end > q + 2)
                sc->no_comment_end = q + 2;
            return q + 2;
        }
        size_t e = (size_t)(hit - s) + 2;
        if (in_code && e > bound)
            return q + 2;
        md_rewrite_drop(sc->rw, s, q, e);
        md_ranges_add(&sc->out->opaque, q, e);
        return e;
    }
    size_t te = tag_close(sc, q, bound);
    if (!te)
        return q + 2; /* unterminated: text */
    if (!in_code && (page_link(sc, q, te) || hugo_figure(sc, q, te) || hugo_box(sc, q, te)))
        return te;
    if (s[q + 1] == '{') {
        buf v;
        buf_init(&v);
        int known = md_liquid_value(&v, s + q + 2, te - q - 4, sc->vars);
        if (known)
            md_rewrite_replace(sc->rw, q, te, v.data, v.len);
        buf_release(&v);
        return known ? te : dropped(sc, q, te, NULL);
    }
    size_t at, n = tag_name(s, q, te, &at), e, rs;
    if (n == 3 && !memcmp(s + at, "raw", 3) && bare_tag_at(s, te, q, "raw") == te) {
        e = find_end(sc, te, END_RAW, &rs);
        if (!e || (in_code && e > bound))
            return dropped(sc, q, te, end_names[END_RAW]);
        md_rewrite_drop(sc->rw, s, q, te);
        md_rewrite_drop(sc->rw, s, rs, e);
        return e;
    }
    if (in_code)
        return dropped(sc, q, te, NULL);
    if (n == 7 && !memcmp(s + at, "comment", 7) && bare_tag_at(s, te, q, "comment") == te) {
        /* Jekyll prints nothing of a comment: neither does charter, and
         * there is nothing to warn about. */
        if (!(e = find_end(sc, te, END_COMMENT, &rs)))
            return dropped(sc, q, te, end_names[END_COMMENT]);
        md_rewrite_drop(sc->rw, s, q, e);
        md_ranges_add(&sc->out->opaque, q, e);
        return e;
    }
    if (hint_box(sc, q, te, at, n) || gitbook_tag(sc, q, te, at, n))
        return te;
    size_t lang, lang_len;
    if (n == 9 && !memcmp(s + at, "highlight", 9) &&
        (lang_len = highlight_lang(s, at + 9, te, &lang)) != 0) {
        if ((e = highlight(sc, q, te, lang, lang_len)) != 0)
            return e;
        return dropped(sc, q, te, end_names[END_HIGHLIGHT]);
    }
    return dropped(sc, q, te, NULL);
}

static const char *var_of(const char *const *vars, const char *name, size_t n)
{
    for (size_t i = 0; vars && vars[i]; i += 2)
        if (strlen(vars[i]) == n && !memcmp(vars[i], name, n))
            return vars[i + 1];
    return NULL;
}

int md_liquid_value(buf *out, const char *expr, size_t len, const char *const *vars)
{
    if (!vars)
        return 0;
    const char *p = expr, *e = expr + len;
    if (p < e && *p == '-') /* {{- whitespace control -}} */
        p++;
    if (e > p && e[-1] == '-')
        e--;
    while (p < e && is_space(*p))
        p++;
    while (e > p && is_space(e[-1]))
        e--;
    if (p < e && (*p == '"' || *p == '\'')) {
        /* "path" | relative_url, or | absolute_url: the site's base first. */
        const char *close = memchr(p + 1, *p, (size_t)(e - p - 1));
        if (!close)
            return 0;
        const char *f = close + 1;
        while (f < e && is_space(*f))
            f++;
        if (f == e || *f != '|')
            return 0;
        f++;
        while (f < e && is_space(*f))
            f++;
        size_t fn = (size_t)(e - f);
        int absolute = fn == 12 && !memcmp(f, "absolute_url", 12);
        if (!absolute && !(fn == 12 && !memcmp(f, "relative_url", 12)))
            return 0;
        const char *base = var_of(vars, "site.baseurl", 12), *url = var_of(vars, "site.url", 8);
        if (absolute && url)
            buf_adds(out, url);
        if (base)
            buf_adds(out, base);
        if (p + 1 < close && p[1] != '/')
            buf_addc(out, '/');
        buf_add(out, p + 1, (size_t)(close - p - 1));
        return 1;
    }
    const char *v = var_of(vars, p, (size_t)(e - p));
    if (!v)
        return 0;
    buf_adds(out, v);
    return 1;
}

void md_liquid_scan(md_liquid *out, md_rewrite *rw, const char *src, const char *view, size_t len,
                    const md_range *code, size_t n_code, const md_options *opt)
{
    scan sc = {.s = src,
               .vars = opt->liquid_vars,
               .opt = opt,
               .view = view ? view : src,
               .len = len,
               .code = code,
               .n_code = n_code,
               .rw = rw,
               .out = out};
    for (int k = 0; k < 3; k++)
        sc.no_end[k] = SIZE_MAX;
    for (int k = 0; k < 2; k++)
        sc.no_close[k] = sc.no_close_bound[k] = SIZE_MAX;
    sc.no_comment_end = SIZE_MAX;
    size_t pos = 0;
    while (pos < len) {
        while (sc.ci < n_code && code[sc.ci].end <= pos)
            sc.ci++;
        if (sc.ci < n_code && code[sc.ci].start <= pos) {
            pos = code[sc.ci].end;
            continue;
        }
        size_t end = chunk_end(&sc, pos), p = pos;
        find_spans(&sc, pos, end);
        while ((p = next_open(src, p, end)) < end) {
            while (sc.si < sc.spans.n && sc.spans.v[sc.si].end <= p)
                sc.si++;
            if (sc.si < sc.spans.n && sc.spans.v[sc.si].start <= p) {
                p = sc.spans.v[sc.si].end;
                continue;
            }
            /* A raw section, comment or highlight block may end in a
             * later paragraph: the scan then goes on from there. */
            if ((p = tag(&sc, p, end, 0)) > end)
                break;
        }
        pos = p > end ? p : end;
    }
    md_ranges_release(&sc.spans);
    md_ranges_release(&sc.runs);
    free(sc.next);
    free(sc.last);
}

/* The tag {% highlight lang %} at `at`, as tag() reads it: its end, or 0. */
static size_t highlight_at(scan *sc, size_t at)
{
    size_t te = tag_close(sc, at, sc->len), name, lang;
    if (!te || tag_name(sc->s, at, te, &name) != 9 || memcmp(sc->s + name, "highlight", 9) != 0 ||
        !highlight_lang(sc->s, name + 9, te, &lang))
        return 0;
    return te;
}

int md_liquid_mask(buf *out, const char *src, size_t len)
{
    scan sc = {.s = src, .len = len};
    for (int k = 0; k < 3; k++)
        sc.no_end[k] = SIZE_MAX;
    for (int k = 0; k < 2; k++)
        sc.no_close[k] = sc.no_close_bound[k] = SIZE_MAX;
    sc.no_comment_end = SIZE_MAX;
    int masked = 0;
    size_t p = 0;
    while (p + 1 < len) {
        const char *hit = memmem(src + p, len - p, "{%", 2);
        if (!hit)
            break;
        size_t at = (size_t)(hit - src), e, cs, ce;
        int which = -1;
        if ((e = bare_tag_at(src, len, at, "raw")) != 0) {
            ce = find_end(&sc, e, END_RAW, &cs);
            p = ce ? ce : e;
            continue;
        }
        if ((e = bare_tag_at(src, len, at, "comment")) != 0)
            which = END_COMMENT;
        else if ((e = highlight_at(&sc, at)) != 0)
            which = END_HIGHLIGHT;
        if (which < 0 || (ce = find_end(&sc, e, which, &cs)) == 0) {
            p = at + 2;
            continue;
        }
        if (!masked) {
            buf_reset(out);
            buf_add(out, src, len);
            masked = 1;
        }
        for (size_t i = e; i < cs; i++)
            if (out->data[i] != '\n')
                out->data[i] = ' ';
        p = ce;
    }
    return masked;
}

void md_liquid_release(md_liquid *l)
{
    if (!l)
        return;
    free(l->tags);
    free(l->boxes);
    md_ranges_release(&l->opaque);
    memset(l, 0, sizeof *l);
}
