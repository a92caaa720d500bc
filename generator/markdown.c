/* markdown: GitHub Flavored Markdown to HTML through cmark-gfm (GFM spec,
 * https://github.github.com/gfm/). Only this file includes cmark-gfm. Heading
 * ids are added by swapping each heading for a custom block that carries the
 * same inline children, since cmark-gfm has no attribute API. A Jekyll
 * page's Liquid and kramdown's spaceless headings are edited in a copy of
 * the body first (markdown_rewrite.c), its positions mapped back. */
#include "markdown.h"
#include "unicode.h"
#include "html_safe.h"
#include "arena.h"
#include "map.h"
#include "markdown_int.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static pthread_once_t ext_once = PTHREAD_ONCE_INIT;
/* cmark-gfm parses inlines against one process-wide table of special
 * characters, which every parse fills with its extensions' characters ('~'
 * for strikethrough...) and clears when it ends (github/cmark-gfm#221): two
 * parses at once make the first to finish turn strikethrough off under the
 * other. Parsing is therefore serialised; rendering to HTML, the larger
 * part, stays parallel. */
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

/* --- cmark-gfm's memory ------------------------------------------------------------ */

/* A page's parse makes thousands of nodes and strings, every one gone when
 * the page is done: cmark-gfm takes them from an arena of the page's, a
 * pointer bump each instead of a malloc and a free, and the page's working
 * set is given back in a few blocks rather than left in pieces among what
 * outlives it. cmark-gfm's allocator has no context, so the page's arena is
 * the thread's current one. Frees do nothing in the arena: a parse that has
 * taken more than its budget from it (input that keeps cmark-gfm allocating
 * and freeing) takes the rest from the heap, each piece marked so. */
typedef struct page_mem {
    arena *a;
    size_t used, budget;
} page_mem;

static _Thread_local page_mem *page_mem_now;
enum { MEM_BUDGET_BASE = 1 << 20, MEM_BUDGET_PER_BYTE = 64 };

typedef struct piece {
    size_t size; /* what was asked for */
    size_t heap; /* 1 when malloc'd: freed by mem_free */
} piece;
/* The header before each piece, keeping the piece aligned for any type. */
#define PIECE_HEAD ((sizeof(piece) + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1))

static void *mem_get(size_t size, int zero)
{
    size_t whole = xsize_add(PIECE_HEAD, size);
    page_mem *m = page_mem_now;
    piece *h;
    if (m && whole <= m->budget - m->used) {
        h = arena_alloc(m->a, whole); /* zeroed */
        m->used += whole;
        h->heap = 0;
    } else {
        h = zero ? xcalloc(1, whole) : xmalloc(whole);
        h->heap = 1;
    }
    h->size = size;
    return (char *)h + PIECE_HEAD;
}

static piece *piece_of(void *p)
{
    return (piece *)(void *)((char *)p - PIECE_HEAD);
}

static void *mem_calloc(size_t n, size_t size)
{
    return mem_get(xsize_mul(n, size), 1);
}

static void *mem_realloc(void *p, size_t size)
{
    if (!p)
        return mem_get(size, 0);
    piece *h = piece_of(p);
    if (h->heap) {
        h = xrealloc(h, xsize_add(PIECE_HEAD, size));
        h->size = size;
        return (char *)h + PIECE_HEAD;
    }
    if (size <= h->size)
        return p;
    void *q = mem_get(size, 0);
    memcpy(q, p, h->size);
    return q;
}

static void mem_free(void *p)
{
    if (p && piece_of(p)->heap)
        free(piece_of(p));
}

static cmark_mem page_allocator = {mem_calloc, mem_realloc, mem_free};

static void register_extensions(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

void markdown_init(void)
{
    pthread_once(&ext_once, register_extensions);
}

const char *markdown_version(void)
{
    return cmark_version_string();
}

void markdown_slug(buf *out, const char *text)
{
    markdown_slug_with(out, text, "section");
}

void markdown_slug_with(buf *out, const char *text, const char *empty)
{
    size_t start = out->len;
    unicode_slug(out, text);
    if (out->len == start)
        buf_adds(out, empty);
}

static void plain_text(cmark_node *n, buf *out)
{
    cmark_iter *it = cmark_iter_new(n);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            buf_adds(out, cmark_node_get_literal(c));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            buf_addc(out, ' ');
    }
    cmark_iter_free(it);
}

/* The heading ids given so far, for GitHub's "-1", "-2" suffixes: a scan
 * while a page has few headings, then a hash, with the next suffix to try
 * for each id, so 4,000 headings named alike cost linear time. */
typedef struct id_set {
    map *taken; /* id -> next suffix to try (as intptr_t, at least 1) */
    int rule;   /* md_options.heading_ids */
} id_set;

static int id_taken(const md_doc *doc, id_set *ids, const char *id)
{
    if (!ids->taken && doc->n_headings >= 8) {
        ids->taken = map_new();
        for (size_t i = 0; i < doc->n_headings; i++)
            map_put(ids->taken, doc->headings[i].id, (void *)(intptr_t)1);
    }
    if (ids->taken)
        return map_get(ids->taken, id) != NULL;
    for (size_t i = 0; i < doc->n_headings; i++)
        if (strcmp(doc->headings[i].id, id) == 0)
            return 1;
    return 0;
}

/* Makes id unique among the page's headings and records it. */
static void id_unique(md_doc *doc, id_set *ids, buf *id)
{
    if (id_taken(doc, ids, id->data)) {
        size_t base = id->len;
        buf key;
        buf_init(&key);
        buf_add(&key, id->data, base);
        intptr_t k = ids->taken ? (intptr_t)map_get(ids->taken, key.data) : 1;
        for (;; k++) {
            buf_truncate(id, base);
            /* MkDocs's second "Scope" is scope_1 */
            buf_printf(id, "%c%ld", ids->rule == MD_IDS_MKDOCS ? '_' : '-', (long)k);
            if (!id_taken(doc, ids, id->data))
                break;
        }
        if (ids->taken)
            map_put(ids->taken, key.data, (void *)(k + 1));
        buf_release(&key);
    }
    if (ids->taken)
        map_put(ids->taken, id->data, (void *)(intptr_t)1);
}

/* Renders the inline children of h to HTML, without a wrapping <p>: they
 * are moved into a scratch paragraph and rendered there. */
static void render_inlines(buf *out, cmark_node *h, int options, cmark_llist *exts)
{
    /* In the page's memory, as the children it takes (cmark-gfm refuses to
     * link nodes of two allocators). */
    cmark_node *doc = cmark_node_new_with_mem(CMARK_NODE_DOCUMENT, &page_allocator);
    cmark_node *para = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, &page_allocator);
    cmark_node_append_child(doc, para);
    cmark_node *child;
    while ((child = cmark_node_first_child(h)) != NULL) {
        cmark_node_unlink(child);
        cmark_node_append_child(para, child);
    }
    char *html = cmark_render_html(doc, options, exts);
    size_t n = html ? strlen(html) : 0;
    if (n >= 8 && memcmp(html, "<p>", 3) == 0 && memcmp(html + n - 5, "</p>\n", 5) == 0)
        buf_add(out, html + 3, n - 8);
    mem_free(html);
    cmark_node_free(doc);
}

/* Whether n is an HTML block that is one comment and nothing else. */
static int comment_block(cmark_node *n)
{
    if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK)
        return 0;
    const char *t = cmark_node_get_literal(n);
    if (!t)
        return 0;
    while (*t == ' ' || *t == '\t')
        t++;
    size_t len = strlen(t);
    while (len &&
           (t[len - 1] == '\n' || t[len - 1] == '\r' || t[len - 1] == ' ' || t[len - 1] == '\t'))
        len--;
    if (len < 7 || memcmp(t, "<!--", 4) != 0 || memcmp(t + len - 3, "-->", 3) != 0)
        return 0;
    const char *first_close = memmem(t + 4, len - 4, "-->", 3);
    return first_close == t + len - 3;
}

/* True if heading h's plain text is title, ignoring case and blanks at
 * either end. */
static int same_title(cmark_node *h, const char *title)
{
    buf text;
    buf_init(&text);
    plain_text(h, &text);
    const char *a = text.data, *b = title;
    size_t na = text.len, nb = strlen(title);
    while (na && (*a == ' ' || *a == '\t'))
        a++, na--;
    while (na && (a[na - 1] == ' ' || a[na - 1] == '\t'))
        na--;
    /* Its own id (`{#irp}`, taken off later) is not part of its title. */
    if (na && a[na - 1] == '}') {
        size_t o = na - 1;
        while (o && a[o] != '{')
            o--;
        if (a[o] == '{' && memchr(a + o, '#', na - o))
            for (na = o; na && (a[na - 1] == ' ' || a[na - 1] == '\t');)
                na--;
    }
    while (nb && (*b == ' ' || *b == '\t'))
        b++, nb--;
    while (nb && (b[nb - 1] == ' ' || b[nb - 1] == '\t'))
        nb--;
    /* Letters in any case, a run of blanks as one (a comment dropped
     * from between two words leaves two). */
    size_t i = 0, j = 0;
    int same = 1;
    while (same && i < na && j < nb) {
        int sa = a[i] == ' ' || a[i] == '\t', sb = b[j] == ' ' || b[j] == '\t';
        if (sa && sb) {
            while (i < na && (a[i] == ' ' || a[i] == '\t'))
                i++;
            while (j < nb && (b[j] == ' ' || b[j] == '\t'))
                j++;
            continue;
        }
        same = tolower((unsigned char)a[i]) == tolower((unsigned char)b[j]);
        i++, j++;
    }
    same = same && i == na && j == nb;
    buf_release(&text);
    return same;
}

/* Sets the literal of the text node last to its first keep bytes (t), or
 * removes it when keep is 0 (the text was all an id). */
static void keep_text(cmark_node *last, const char *t, size_t keep)
{
    while (keep && (t[keep - 1] == ' ' || t[keep - 1] == '\t'))
        keep--;
    if (keep) {
        char *rest = xstrndup(t, keep);
        cmark_node_set_literal(last, rest);
        free(rest);
    } else {
        cmark_node_unlink(last);
        cmark_node_free(last);
    }
}

/* A heading's own id, as kramdown, Pandoc, MkDocs (attr_list) and
 * Docusaurus write it: `## Roles {#roles}`, `{ #roles .note }`, or Docsify
 * (`## Roles :id=roles`). When the heading's last text ends in an
 * attribute list naming one id, the list is taken off the text and the id
 * appended to id; returns 1. */
static int take_custom_id(cmark_node *h, buf *id)
{
    cmark_node *last = cmark_node_last_child(h);
    if (!last || cmark_node_get_type(last) != CMARK_NODE_TEXT)
        return 0;
    const char *t = cmark_node_get_literal(last);
    size_t n = t ? strlen(t) : 0;
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        n--;
    /* Docsify's: the last word `:id=name`. */
    size_t w = n;
    while (w && t[w - 1] != ' ' && t[w - 1] != '\t')
        w--;
    if (n - w > 4 && !strncmp(t + w, ":id=", 4)) {
        for (size_t c = w + 4; c < n; c++)
            if (!isalnum((unsigned char)t[c]) && !strchr("-_.", t[c]))
                return 0;
        buf_add(id, t + w + 4, n - w - 4);
        keep_text(last, t, w);
        return 1;
    }
    if (!n || t[n - 1] != '}')
        return 0;
    const char *open = NULL;
    for (size_t i = n - 1; i-- > 0;)
        if (t[i] == '{') {
            open = t + i;
            break;
        } else if (t[i] == '}')
            return 0;
    if (!open)
        return 0;
    /* Its items: exactly one #id, any .class or key=value. */
    const char *found = NULL;
    size_t found_len = 0, items = 0;
    for (const char *p = open + 1; p < t + n - 1;) {
        if (*p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        const char *e = p;
        while (e < t + n - 1 && *e != ' ' && *e != '\t')
            e++;
        if (*p == '#') {
            if (found || e - p < 2)
                return 0;
            for (const char *c = p + 1; c < e; c++)
                if (!isalnum((unsigned char)*c) && !strchr("-_:.", *c))
                    return 0;
            found = p + 1;
            found_len = (size_t)(e - p - 1);
        } else if ((*p != '.' || e - p < 2) && !memchr(p, '=', (size_t)(e - p))) {
            return 0;
        }
        items++;
        p = e;
    }
    if (!found) {
        /* Classes and attributes alone (`## Roles {.important}`, as Hugo's
         * and MkDocs's attribute lists take them): no part of the text. */
        if (items)
            keep_text(last, t, (size_t)(open - t));
        return 0;
    }
    buf_add(id, found, found_len);
    keep_text(last, t, (size_t)(open - t));
    return 1;
}

/* Replaces heading h by a custom block `<hN id="...">...</hN>` and records it. */
static void add_heading(md_doc *doc, id_set *ids, cmark_node *h, size_t *cap, int options,
                        cmark_llist *exts)
{
    buf text, id, tag;
    buf_init(&text);
    buf_init(&id);
    buf_init(&tag);
    int own = take_custom_id(h, &id);
    plain_text(h, &text);
    if (!own && ids->rule == MD_IDS_MKDOCS)
        unicode_slug_mkdocs(&id, text.data);
    else if (!own && ids->rule == MD_IDS_VITEPRESS)
        unicode_slug_vitepress(&id, text.data);
    else if (!own)
        markdown_slug(&id, text.data);
    if (!own && ids->rule == MD_IDS_GITLAB) {
        /* GitLab's rule: "Roles & Responsibilities" is roles-responsibilities. */
        size_t w = 0;
        for (size_t r = 0; r < id.len; r++)
            if (id.data[r] != '-' || !w || id.data[w - 1] != '-')
                id.data[w++] = id.data[r];
        buf_truncate(&id, w);
    }
    /* GitHub's rule: the second "Scope" becomes "scope-1". */
    id_unique(doc, ids, &id);
    int level = cmark_node_get_heading_level(h);
    int line = cmark_node_get_start_line(h);
    buf_printf(&tag, "<h%d id=\"", level);
    buf_add_html(&tag, id.data, id.len);
    buf_adds(&tag, "\">");
    render_inlines(&tag, h, options, exts);
    buf_printf(&tag, "</h%d>", level);
    cmark_node *cb = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &page_allocator);
    cmark_node_set_on_enter(cb, tag.data);
    cmark_node_set_on_exit(cb, "");
    if (doc->n_headings == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        doc->headings = xrealloc(doc->headings, *cap * sizeof *doc->headings);
    }
    doc->headings[doc->n_headings++] =
        (md_heading){level, xstrndup(id.data, id.len), xstrndup(text.data, text.len), line};
    cmark_node_replace(h, cb);
    cmark_node_free(h);
    buf_release(&tag);
    buf_release(&id);
    buf_release(&text);
}

/* Line starts of the body, computed once per page, so that locating a
 * link's source costs O(line length), not O(page). */
typedef struct src_lines {
    const char *data;
    size_t len;
    size_t *start; /* start[i] is the offset of line i + 1 */
    int n;
} src_lines;

/* True if data[i] ends a line as cmark-gfm reads them: '\n', or a '\r' not
 * followed by '\n' (so that line numbers here are cmark-gfm's). */
static int ends_line(const char *data, size_t len, size_t i)
{
    return data[i] == '\n' || (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n'));
}

/* Whether text[0..len) has a '{' followed by one of `next`: a Liquid tag or
 * variable ("%{"), a kramdown attribute list (":"). One memchr pass for the
 * rare '{', where memmem for each pair cost 1% of a build. */
static int brace_pair(const char *text, size_t len, const char *next)
{
    const char *end = text + len;
    for (const char *p = len ? memchr(text, '{', len) : NULL; p && p + 1 < end;
         p = memchr(p + 1, '{', (size_t)(end - p - 1)))
        if (p[1] && strchr(next, p[1]))
            return 1;
    return 0;
}

/* Whether text[i..len) starts with the NUL-terminated s. */
static int at(const char *text, size_t len, size_t i, const char *s)
{
    size_t n = strlen(s);
    return len - i >= n && !memcmp(text + i, s, n);
}

/* What may start a line: MDX's import and export, docsify's helpers. */
static void line_markers(md_markers *m, const char *text, size_t len, size_t i)
{
    m->mdx |= at(text, len, i, "import ") || at(text, len, i, "export ");
    m->helpers |= at(text, len, i, "!> ") || at(text, len, i, "?> ");
}

/* From the run of backticks at v[i]: the offset just past the code span
 * it opens, to the next run as long before `end` (CommonMark's rule), or
 * just past the run when none closes it (then it is text). Each byte
 * looked at costs one of *budget: when none are left, the run is text. */
static size_t span_end(const char *v, size_t i, size_t end, size_t *budget)
{
    size_t r = 1;
    while (i + r < end && v[i + r] == '`')
        r++;
    for (size_t e = i + r; e < end && *budget; --*budget) {
        size_t q = 0;
        while (e + q < end && v[e + q] == '`')
            q++;
        if (q == r)
            return e + r;
        e += q ? q : 1;
    }
    return i + r;
}

/* From just after a `[^` at v[j]: the offset of the `]` that closes its
 * label, inner brackets paired first as cmark-gfm pairs them and those of
 * code spans passed over, or len when none comes within 1,000 bytes,
 * before `end` (the end of its paragraph, when known) or before a blank
 * line; *breaks: whether a line break lies before it. Without `spans`
 * (the paragraph unknown), a backtick counts as a line break. */
static size_t label_close(const char *v, size_t len, size_t j, size_t end, int spans, int *breaks)
{
    size_t stop = j + 1000 < end ? j + 1000 : end;
    int depth = 0;
    *breaks = 0;
    /* Not past the paragraph's end, a blank line (lines end in LF, CR
     * or CRLF). */
    for (size_t i = j; i < stop; i++) {
        if (v[i] != '\n' && v[i] != '\r')
            continue;
        size_t e = i + 1 + (v[i] == '\r' && i + 1 < len && v[i + 1] == '\n');
        while (e < len && (v[e] == ' ' || v[e] == '\t'))
            e++;
        if (e == len || v[e] == '\n' || v[e] == '\r') {
            stop = i;
            break;
        }
    }
    for (; j < stop; j++) {
        char c = v[j];
        if (c == '\\') {
            j++;
        } else if (c == '`' && !spans) {
            /* Its paragraph unknown (md_scan_markers), where a code span
             * ends is too: as if a line break came (footnote_breaks, which
             * knows, looks again). */
            *breaks = 1;
            return j;
        } else if (c == '`') {
            size_t budget = SIZE_MAX;              /* within 1,000 bytes */
            j = span_end(v, j, stop, &budget) - 1; /* its brackets hidden */
        } else if (c == ']' && !depth) {
            return j;
        } else if (c == ']' || c == '[') {
            depth += c == '[' ? 1 : -1;
        } else if (c == '\n' || c == '\r') {
            *breaks = 1;
        }
    }
    return len;
}

void md_scan_markers(md_markers *m, const char *text, size_t len)
{
    memset(m, 0, sizeof *m);
    /* The bytes a marker starts with, and the newline that starts a line:
     * one pass, where a memmem for each marker (27 of them) read a page 27
     * times, 6% of a cold build's CPU. */
    static const char first[] = "<):!?=-/[%]&\n";
    unsigned char interesting[256] = {0};
    for (const char *c = first; *c; c++)
        interesting[(unsigned char)*c] = 1;
    if (len)
        line_markers(m, text, len, 0);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (!interesting[c])
            continue;
        switch (c) {
        case '\n':
            line_markers(m, text, len, i + 1);
            break;
        case '<':
            m->conflicts |= at(text, len, i, "<<<<<<<");
            break;
        case ')':
            m->attrs |= at(text, len, i, "){");
            break;
        case ':':
            m->boxes |=
                (i == 0 || text[i - 1] == '\n' || text[i - 1] == ' ') && at(text, len, i, ":::");
            break;
        case '!':
            m->mkboxes |= at(text, len, i, "!!! ");
            break;
        case '?':
            m->mkboxes |= at(text, len, i, "??? ") || at(text, len, i, "???+ ");
            break;
        case '=':
            m->mktabs |= at(text, len, i, "=== \"") || at(text, len, i, "===! \"") ||
                         at(text, len, i, "===+ \"");
            break;
        case '-':
            m->snippets |= at(text, len, i, "--8<--");
            break;
        case '/':
            m->mdx |= at(text, len, i, "/*");
            break;
        case '[':
            m->wiki |= at(text, len, i, "[[");
            m->alerts |= at(text, len, i, "[!");
            if (!m->fnbreaks && at(text, len, i, "[^")) {
                /* A label running over a line break (footnote_breaks). */
                int breaks;
                m->fnbreaks = label_close(text, len, i + 2, len, 0, &breaks) < len && breaks;
            }
            break;
        case '%':
            m->pct |= at(text, len, i, "%%");
            break;
        case '&':
            m->refs |= at(text, len, i, "&#");
            break;
        case ']':
            m->toc |=
                (i >= 3 && (!memcmp(text + i - 3, "toc", 3) || !memcmp(text + i - 3, "TOC", 3))) ||
                (i >= 4 && (!memcmp(text + i - 4, "toc_", 4) || !memcmp(text + i - 4, "TOC_", 4)));
            break;
        }
    }
}

static void lines_init(src_lines *l, const char *data, size_t len)
{
    l->data = data;
    l->len = len;
    l->n = 1;
    /* Without a CR (nearly every page), the lines end where memchr finds
     * a '\n': a byte at a time, this was 1% of a build. */
    int cr = len && memchr(data, '\r', len);
    if (cr) {
        for (size_t i = 0; i < len; i++)
            l->n += ends_line(data, len, i);
    } else if (len) {
        for (const char *p = data, *end = data + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
            l->n++;
    }
    l->start = xmalloc((size_t)l->n * sizeof *l->start);
    int k = 0;
    l->start[k++] = 0;
    if (cr) {
        for (size_t i = 0; i < len; i++)
            if (ends_line(data, len, i))
                l->start[k++] = i + 1;
    } else if (len) {
        for (const char *p = data, *end = data + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
            l->start[k++] = (size_t)(p - data) + 1;
    }
}

/* The bytes of line `line` (1-based), without its newline; NULL if none. */
static const char *line_at(const src_lines *l, int line, size_t *len)
{
    if (line < 1 || line > l->n)
        return NULL;
    size_t s = l->start[line - 1];
    size_t e = line < l->n ? l->start[line] - 1 : l->len;
    *len = e - s;
    return l->data + s;
}

/* The line (1-based) that holds offset off. */
static int line_of(const src_lines *l, size_t off)
{
    int lo = 0, hi = l->n;
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if (l->start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}

/* Where positions of the parsed text are in the source: the same place, or,
 * when the body was rewritten before parsing, where the rewrite's map says. */
typedef struct pos_map {
    const src_lines *parsed, *src;
    const md_rewrite *rw; /* NULL: the parsed text is the source */
} pos_map;

/* Moves line:col (1-based, col in bytes; 0 for unknown) of the parsed text
 * to the source's. */
static void to_source(const pos_map *m, int *line, int *col)
{
    if (!m->rw || *line < 1 || *line > m->parsed->n)
        return;
    size_t at = m->parsed->start[*line - 1] + (size_t)(*col > 1 ? *col - 1 : 0);
    size_t off = md_rewrite_source(m->rw, at);
    *line = line_of(m->src, off);
    if (*col > 0)
        *col = (int)(off - m->src->start[*line - 1]) + 1;
}

static const char *link_text(cmark_node *n)
{
    cmark_node *t = cmark_node_first_child(n);
    const char *text = t ? cmark_node_get_literal(t) : NULL;
    return text && *text ? text : NULL;
}

/* Whether p[0..len) starts link or image n as written: `[text`, `![text`
 * or `<url` (its text, or its url, follows the opener when known). */
static int starts_written_link(const char *p, size_t len, cmark_node *n)
{
    size_t k = p[0] == '!' ? 2 : 1;
    if (k > len || (p[0] == '!' && p[1] != '['))
        return 0;
    const char *text = p[0] == '<' ? cmark_node_get_url(n) : link_text(n);
    size_t tl = text ? strlen(text) : 0;
    return !tl || (len - k >= tl && !memcmp(p + k, text, tl));
}

/* True if the source at line:col looks like the start of link n: '[', '!'
 * or '<' for written links, or the link's text for extension autolinks
 * (cmark-gfm 0.29 gives those no position, or a column one short). */
static int starts_link(const src_lines *l, int line, int col, cmark_node *n)
{
    size_t len;
    const char *p = line_at(l, line, &len);
    if (!p || col < 1 || (size_t)col > len)
        return 0;
    p += col - 1;
    len -= (size_t)col - 1;
    if (*p == '[' || *p == '!' || *p == '<')
        return 1;
    const char *text = link_text(n);
    return text && len >= strlen(text) && memcmp(p, text, strlen(text)) == 0;
}

/* Where the search for the next autolink resumes: autolinks are met in
 * document order, so within one block each search starts where the last
 * one matched, and 100,000 autolinks in a paragraph cost linear time. */
typedef struct link_cursor {
    cmark_node *block; /* the positioned ancestor searched last */
    int line;          /* where its last match was */
    size_t byte;       /* ... just after it */
    /* Byte-to-character column conversion, resumed along one line. */
    int col_line;
    size_t col_byte;
    int col_chars;
} link_cursor;

/* Finds where an autolink starts: the first occurrence of its text within
 * the lines of its nearest positioned ancestor, after the previous
 * autolink's. Leaves *line and *col at 0 when not found. */
static void locate_autolink(const src_lines *l, cmark_node *n, link_cursor *cur, int *line,
                            int *col)
{
    cmark_node *a = cmark_node_parent(n);
    while (a && cmark_node_get_start_line(a) == 0)
        a = cmark_node_parent(a);
    const char *needle = link_text(n);
    if (!a || !needle)
        return;
    if (cur->block != a) {
        cur->block = a;
        cur->line = cmark_node_get_start_line(a);
        cur->byte = 0;
    }
    size_t nlen = strlen(needle), len;
    for (int ln = cur->line; ln <= cmark_node_get_end_line(a); ln++) {
        const char *p = line_at(l, ln, &len);
        size_t from = ln == cur->line ? cur->byte : 0;
        const char *hit =
            p && from + nlen <= len ? memmem(p + from, len - from, needle, nlen) : NULL;
        if (hit) {
            *line = ln;
            *col = (int)(hit - p) + 1;
            cur->line = ln;
            cur->byte = (size_t)(hit - p) + nlen;
            return;
        }
    }
}

/* The character column of byte column `col` (1-based) of line `line`,
 * resuming from the previous call on the same line. */
static int char_column(const src_lines *l, link_cursor *cur, int line, int col)
{
    size_t len;
    const char *text = line_at(l, line, &len);
    if (!text || col <= 1)
        return col;
    size_t target = (size_t)col - 1 < len ? (size_t)col - 1 : len;
    if (cur->col_line != line || cur->col_byte > target) {
        cur->col_line = line;
        cur->col_byte = 0;
        cur->col_chars = 0;
    }
    for (; cur->col_byte < target; cur->col_byte++)
        cur->col_chars += ((unsigned char)text[cur->col_byte] & 0xC0) != 0x80;
    return cur->col_chars + 1;
}

/* --- anchors in raw HTML ------------------------------------------------------ */

static int is_attr_char(char c)
{
    return c && !strchr(" \t\r\n\f\"'>/=", c);
}

/* Whether a link's address runs or reads something (javascript:,
 * vbscript:, file:, data: but an image's data:image/png, gif, jpeg or
 * webp), as cmark-gfm's renderer judges it without CMARK_OPT_UNSAFE. */
static int dangerous_url(const char *url, int image)
{
    static const char *const bad[] = {"javascript:", "vbscript:", "file:", "data:"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        size_t n = strlen(bad[i]);
        if (strncasecmp(url, bad[i], n))
            continue;
        if (i < 3)
            return 1;
        static const char *const images[] = {"image/png", "image/gif", "image/jpeg", "image/webp"};
        for (size_t k = 0; image && k < sizeof images / sizeof *images; k++)
            if (!strncasecmp(url + n, images[k], strlen(images[k])))
                return 0;
        return 1;
    }
    return 0;
}

/* Appends the value of every id or name attribute of the start tags in
 * html. Linear: a quote that never closes is searched for once, and after
 * that no quote of its kind is taken for a value. */
static void add_html_anchors(md_doc *doc, size_t *cap, const char *html)
{
    const char *p = html;
    int unclosed[2] = {0, 0}; /* '"', '\'' */
    while ((p = strchr(p, '<')) != NULL) {
        p++;
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            continue;
        while (is_attr_char(*p))
            p++; /* the tag name */
        for (;;) {
            while (*p && strchr(" \t\r\n\f/", *p))
                p++;
            if (!*p || *p == '>' || *p == '<')
                break;
            const char *name = p;
            while (is_attr_char(*p))
                p++;
            size_t nlen = (size_t)(p - name);
            if (nlen == 0) {
                p++; /* a stray quote or '=': skip it */
                continue;
            }
            while (*p && strchr(" \t\r\n\f", *p))
                p++;
            if (*p != '=')
                continue; /* an attribute without a value */
            p++;
            while (*p && strchr(" \t\r\n\f", *p))
                p++;
            const char *v = p, *end;
            if (*p == '"' || *p == '\'') {
                int q = *p == '\'';
                end = unclosed[q] ? NULL : strchr(p + 1, *p);
                if (!end) {
                    unclosed[q] = 1;
                    p++;
                    break; /* unterminated: not a tag */
                }
                v = p + 1;
                p = end + 1;
            } else {
                while (*p && !strchr(" \t\r\n\f>", *p))
                    p++;
                end = p;
            }
            int wanted = (nlen == 2 && !strncasecmp(name, "id", 2)) ||
                         (nlen == 4 && !strncasecmp(name, "name", 4));
            if (wanted && end > v) {
                if (doc->n_anchors == *cap) {
                    *cap = *cap ? *cap * 2 : 8;
                    doc->anchors = xrealloc(doc->anchors, *cap * sizeof *doc->anchors);
                }
                doc->anchors[doc->n_anchors++] = xstrndup(v, (size_t)(end - v));
            }
        }
    }
}

/* --- kramdown and Jekyll: spaceless headings, Liquid ------------------------------ */

/* A paragraph line that starts like an ATX heading but lacks the space
 * after its hashes (kramdown's `#Foreword`): kramdown made it a heading,
 * GitHub Flavored Markdown leaves it a paragraph. */
typedef struct spaceless {
    int line;      /* of the body */
    size_t at;     /* the offset of its first '#' */
    size_t hashes; /* 1 to 6 */
} spaceless;

/* What the first parse tells the rewrite: the code blocks (where Liquid is
 * text) and the spaceless headings. */
typedef struct block_scan {
    md_ranges code;
    md_ranges html;  /* HTML blocks (comments, <pre>), for the admonitions */
    md_ranges texts; /* paragraphs and headings, with footnote_breaks */
    spaceless *heads;
    size_t n_heads, cap_heads;
} block_scan;

/* Records the lines of paragraph n that start like a heading without the
 * space. Only paragraph lines are looked at: code, and the lines of quotes
 * and list items (which start with their markers), are not. */
static void find_spaceless(block_scan *bs, cmark_node *n, const src_lines *l)
{
    int from = cmark_node_get_start_line(n), to = cmark_node_get_end_line(n);
    for (int ln = from; ln >= 1 && ln <= to; ln++) {
        size_t len, i = 0;
        const char *p = line_at(l, ln, &len);
        if (!p)
            break;
        while (i < len && i < 3 && p[i] == ' ')
            i++;
        size_t hashes = 0;
        while (i + hashes < len && p[i + hashes] == '#')
            hashes++;
        if (hashes == 0 || hashes > 6 || i + hashes >= len || strchr(" \t\r", p[i + hashes]))
            continue;
        if (bs->n_heads == bs->cap_heads) {
            bs->cap_heads = bs->cap_heads ? bs->cap_heads * 2 : 8;
            bs->heads = xrealloc(bs->heads, bs->cap_heads * sizeof *bs->heads);
        }
        bs->heads[bs->n_heads++] = (spaceless){ln, l->start[ln - 1] + i, hashes};
    }
}

/* Records the byte range of code block n: its lines, fences included. An
 * end at column 0 is the line after the block (cmark-gfm's indented code). */
static void add_block(md_ranges *r, cmark_node *n, const src_lines *l)
{
    int from = cmark_node_get_start_line(n), to = cmark_node_get_end_line(n);
    if (cmark_node_get_end_column(n) == 0 && to > from)
        to--;
    if (from < 1 || from > l->n || to < from)
        return;
    if (to > l->n)
        to = l->n;
    md_ranges_add(r, l->start[from - 1], to < l->n ? l->start[to] : l->len);
}

/* The first parse's walk: code blocks (when the body has Liquid to find)
 * and spaceless headings, in source order. */
static void scan_blocks(block_scan *bs, cmark_node *root, const src_lines *l, int want_code)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_PARAGRAPH)
            find_spaceless(bs, n, l);
        if ((t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) && want_code > 1)
            add_block(&bs->texts, n, l);
        if (t == CMARK_NODE_CODE_BLOCK && want_code)
            add_block(&bs->code, n, l);
        else if (t == CMARK_NODE_HTML_BLOCK && want_code)
            add_block(&bs->html, n, l);
    }
    cmark_iter_free(it);
}

/* True if one of the sorted ranges [v[*k].start, v[*k].end) meets
 * [start, end); *k moves forward, so a walk in source order is linear. */
static int meets(const md_range *v, size_t n, size_t *k, size_t start, size_t end)
{
    while (*k < n && v[*k].end <= start)
        (*k)++;
    return *k < n && v[*k].start < end;
}

/* Warns (heading-without-space) about each spaceless heading that Liquid
 * did not touch (in a highlight block it is code, in a comment gone), and
 * with lax_headings gives it its space, so cmark-gfm reads a heading. The
 * edits of rw must be sorted. */
/* Whether the line s[0, n), `#` then no space, was plainly not meant as
 * a heading: a line of tags (`#policy #iso27001`, Obsidian's), every word
 * of it a `#` word. (`#5 Scope` may well have been kramdown's heading.) */
static int not_a_heading(const char *s, size_t n)
{
    size_t words = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == n)
            break;
        if (s[i] != '#' || i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '#')
            return 0;
        words++;
        while (i < n && s[i] != ' ' && s[i] != '\t')
            i++;
    }
    return words > 1;
}

static void spaceless_headings(const block_scan *bs, const md_liquid *lq, md_rewrite *rw,
                               const src_lines *l, const md_options *opt, diags *d)
{
    size_t ke = 0, ko = 0, n_edits = rw->n_edits;
    md_range *edits = xmalloc((n_edits + 1) * sizeof *edits);
    for (size_t i = 0; i < n_edits; i++)
        edits[i] = (md_range){rw->edits[i].start, rw->edits[i].end};
    for (size_t i = 0; i < bs->n_heads; i++) {
        const spaceless *h = &bs->heads[i];
        size_t rest = h->at + h->hashes; /* the first character after the hashes */
        if (meets(edits, n_edits, &ke, h->at, rest + 1) ||
            meets(lq->opaque.v, lq->opaque.n, &ko, h->at, rest + 1))
            continue;
        size_t len = 0;
        const char *p = line_at(l, h->line, &len);
        if (!p)
            continue;
        size_t i0 = h->at - l->start[h->line - 1], r0 = i0 + h->hashes, end = len;
        while (end > r0 && strchr(" \t\r", p[end - 1]))
            end--;
        if (not_a_heading(p + i0, end - i0))
            continue;
        int shown = end - i0 > 60 ? 60 : (int)(end - i0);
        int tail = end - r0 > 60 ? 60 : (int)(end - r0);
        int n = (int)h->hashes;
        diag_warning(d, opt->file, h->line + opt->first_line - 1, (int)i0 + 1,
                     "heading-without-space",
                     opt->lax_headings ? "'%.*s' is rendered as a heading (markdown.lax_headings), "
                                         "but Markdown needs a space after '%.*s' (write '%.*s "
                                         "%.*s')"
                                       : "'%.*s' is not a heading: Markdown needs a space after "
                                         "'%.*s' (write '%.*s %.*s')",
                     shown, p + i0, n, p + i0, n, p + i0, tail, p + r0);
        if (opt->lax_headings)
            md_rewrite_replace(rw, rest, rest, " ", 1);
    }
    free(edits);
}

/* s[0, n) without the blanks (and a CR) at either end. */
static const char *trimmed(const char *s, size_t n, size_t *out_n)
{
    while (n && strchr(" \t", *s))
        s++, n--;
    while (n && strchr(" \t\r", s[n - 1]))
        n--;
    *out_n = n;
    return s;
}

/* Whether line ln of l starts inside one of the sorted ranges r. *ci moves
 * forward: call with ln rising from 1 and *ci from 0, and a walk over the
 * lines is linear. */
static int line_in(const md_ranges *r, const src_lines *l, int ln, size_t *ci)
{
    size_t at = l->start[ln - 1];
    while (*ci < r->n && r->v[*ci].end <= at)
        (*ci)++;
    return *ci < r->n && r->v[*ci].start <= at;
}

/* Line ln of l (its length in *len) when it lies outside every code block
 * of bs, else NULL (line_in). */
static const char *line_outside_code(const block_scan *bs, const src_lines *l, int ln, size_t *ci,
                                     size_t *len)
{
    const char *p = line_at(l, ln, len);
    return p && !line_in(&bs->code, l, ln, ci) ? p : NULL;
}

typedef struct admonitions admonitions;
static size_t admonition_add(admonitions *ad, const char *line, size_t n, const char *type,
                             size_t tn, const char *title, size_t tl);

/* How many of t[0, n) from the start are ASCII digits: strspn within n
 * bytes, since a line of the text is not NUL-terminated (the text's last
 * one runs to its end). */
static size_t leading_digits(const char *t, size_t n)
{
    size_t d = 0;
    while (d < n && t[d] >= '0' && t[d] <= '9')
        d++;
    return d;
}

/* Whether the line t[0, n) (trimmed, n > 0) starts a block that ends a
 * paragraph: a fence, a heading, a quote, HTML, a table row, a list item,
 * an attribute list. */
static int starts_block(const char *t, size_t n)
{
    if ((t[0] && strchr("#><|", t[0])) ||
        (n >= 3 && (!memcmp(t, "```", 3) || !memcmp(t, "~~~", 3))) ||
        (n >= 2 && t[0] == '{' && t[1] == ':'))
        return 1;
    if (n >= 2 && t[0] && strchr("-*+", t[0]) && t[1] == ' ')
        return 1;
    size_t d = leading_digits(t, n);
    return d && d + 1 < n && (t[d] == '.' || t[d] == ')') && t[d + 1] == ' ';
}

/* The callout an attribute list line names (just-the-docs': `{: .note }`,
 * `.warning`, `.important`, `.highlight`, `.new`): its class, n bytes, or
 * NULL. */
static const char *callout_class(const char *t, size_t n, size_t *cn)
{
    static const char *const classes[] = {"note", "warning", "important", "highlight", "new"};
    size_t i = 2;
    while (i < n && t[i] == ' ')
        i++;
    if (i >= n || t[i] != '.')
        return NULL;
    size_t c = ++i;
    while (i < n && t[i] != ' ' && t[i] != '}')
        i++;
    size_t k = i;
    while (k < n && t[k] == ' ')
        k++;
    if (k != n - 1) /* one class alone */
        return NULL;
    for (size_t j = 0; j < sizeof classes / sizeof *classes; j++)
        if (i - c == strlen(classes[j]) && !memcmp(t + c, classes[j], i - c)) {
            *cn = i - c;
            return t + c;
        }
    return NULL;
}

/* kramdown's markup that GFM prints as text, on a kramdown site
 * (lax_headings): a line that is only an attribute list (`{: .note}`,
 * `{:toc}`) is dropped, and so is the `* TOC` list item a `{:toc}` line
 * turns into a table of contents (the theme makes its own). A callout's
 * list (just-the-docs' `{: .note }`) on the line before a paragraph makes
 * that paragraph the box `:::note` makes. Lines of code blocks are left
 * alone. */
static void kramdown_markers(const block_scan *bs, md_rewrite *rw, const src_lines *l,
                             admonitions *ad)
{
    size_t ci = 0;
    int prev = 0; /* the last line that was not blank */
    buf rep;
    buf_init(&rep);
    for (int ln = 1; ln <= l->n; ln++) {
        size_t len, n;
        const char *p = line_outside_code(bs, l, ln, &ci, &len);
        size_t at = l->start[ln - 1];
        if (!p) {
            prev = 0;
            continue;
        }
        const char *t = trimmed(p, len, &n);
        if (!n)
            continue;
        size_t cn = 0, nl = 0, nn = 0;
        const char *cls = n >= 3 && t[0] == '{' && t[1] == ':' ? callout_class(t, n, &cn) : NULL;
        const char *next = cls && ln < l->n ? line_at(l, ln + 1, &nl) : NULL;
        if (next && (trimmed(next, nl, &nn), nn) && next[0] != ' ' && next[0] != '{' &&
            !line_in(&bs->code, l, ln + 1, &(size_t){ci})) {
            /* The paragraph below, to its last line before a blank one or
             * one that starts another block (a fence, a heading...). */
            int last = ln + 1;
            for (size_t bl = 0, bn = 0, cc = ci; last < l->n; last++) {
                const char *b = line_at(l, last + 1, &bl);
                const char *bt = trimmed(b, bl, &bn);
                if (!bn || line_in(&bs->code, l, last + 1, &cc) || starts_block(bt, bn))
                    break;
            }
            size_t k = admonition_add(ad, t, n, cls, cn, "", 0);
            buf_reset(&rep);
            buf_printf(&rep, "<!--charter-admonition %zu-->", k);
            md_rewrite_replace(rw, at + (size_t)(t - p), at + (size_t)(t - p) + n, rep.data,
                               rep.len);
            size_t ll = 0;
            line_at(l, last, &ll);
            size_t close = admonition_add(ad, "", 0, NULL, 0, NULL, 0);
            buf_reset(&rep);
            buf_printf(&rep, "\n<!--charter-admonition %zu-->", close);
            md_rewrite_replace(rw, l->start[last - 1] + ll, l->start[last - 1] + ll, rep.data,
                               rep.len);
            prev = ln = last;
            continue;
        }
        if (n >= 3 && t[0] == '{' && t[1] == ':' && t[n - 1] == '}' && !memchr(t + 1, '{', n - 1)) {
            md_rewrite_drop(rw, l->data, at, at + len);
            size_t plen = 0, pn = 0;
            const char *pl = prev ? line_at(l, prev, &plen) : NULL;
            if (n == 6 && !memcmp(t, "{:toc}", 6) && pl) {
                /* The list item before it: `* TOC`, `- TOC` or `1. TOC`. */
                const char *pt = trimmed(pl, plen, &pn);
                size_t m = leading_digits(pt, pn);
                int marker =
                    m ? m < pn && pt[m] == '.' : pn && pt[0] && strchr("*+-", pt[0]) != NULL;
                const char *item = marker ? trimmed(pt + m + 1, pn - m - 1, &pn) : NULL;
                if (item && pn == 3 && !memcmp(item, "TOC", 3))
                    md_rewrite_drop(rw, l->data, l->start[prev - 1], l->start[prev - 1] + plen);
            }
        }
        prev = ln;
    }
    buf_release(&rep);
}

/* Whether line p[0, len) is an ES module line of MDX: `import X from
 * '...';`, `import '...';`, `export const ...`, `export default ...`. */
static int es_module_line(const char *p, size_t len)
{
    size_t n;
    const char *t = trimmed(p, len, &n);
    if (t != p)
        return 0; /* at the line's start, as MDX reads them */
    if (n > 7 && !memcmp(t, "import ", 7)) {
        char q = t[n - 1] == ';' && n > 8 ? t[n - 2] : t[n - 1];
        return (q == '\'' || q == '"') &&
               (memmem(t, n, " from '", 7) || memmem(t, n, " from \"", 7) || t[7] == '\'' ||
                t[7] == '"');
    }
    static const char *const exports[] = {"export const ", "export default ", "export function ",
                                          "export {"};
    for (size_t i = 0; i < sizeof exports / sizeof *exports; i++)
        if (n > strlen(exports[i]) && !memcmp(t, exports[i], strlen(exports[i])))
            return 1;
    return 0;
}

/* MDX, which Docusaurus reads its .md pages as: a comment `{/ * ... * /}`
 * (written here with spaces),
 * on one line or several, is the author's note that the Docusaurus site
 * hides; published, it would show what was meant to stay in the
 * repository: dropped. So is an ES module line (`import Tabs from
 * '@theme/Tabs';`), code rather than text. Outside code blocks and inline
 * code; an unclosed comment is left as written. Lines keep their numbers. */
/* A line's runs of backticks, each with the index of the next run as long
 * (SIZE_MAX: none, or a run longer than 64, taken as text). */
typedef struct bt_run {
    size_t pos, len, next;
} bt_run;

typedef struct bt_runs {
    bt_run *v;
    size_t n;
} bt_runs;

static void backtick_runs(bt_runs *r, const char *p, size_t len)
{
    r->n = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] != '`')
            continue;
        size_t k = 1;
        while (i + k < len && p[i + k] == '`')
            k++;
        r->v = xgrow(r->v, r->n, sizeof *r->v);
        r->v[r->n++] = (bt_run){i, k, SIZE_MAX};
        i += k - 1;
    }
    size_t last[65];
    for (size_t k = 0; k < 65; k++)
        last[k] = SIZE_MAX;
    for (size_t j = r->n; j-- > 0;) {
        size_t k = r->v[j].len;
        if (k > 64)
            continue;
        r->v[j].next = last[k];
        last[k] = j;
    }
}

/* At a backtick at i: the index of the last byte of the inline code it
 * opens (to the next run as long on the line), or of its own run when
 * none closes it (it is then text). *ri walks bt's runs along the line. */
static size_t skip_code_span(const bt_runs *bt, size_t *ri, size_t i)
{
    while (*ri < bt->n && bt->v[*ri].pos < i)
        (*ri)++;
    if (*ri < bt->n && bt->v[*ri].next != SIZE_MAX) {
        const bt_run *m = &bt->v[bt->v[*ri].next];
        *ri = bt->v[*ri].next + 1;
        return m->pos + m->len - 1;
    }
    if (*ri < bt->n)
        return i + bt->v[(*ri)++].len - 1;
    return i;
}

/* Warns (liquid-tag) about an ES module line at line ln that imports a
 * Markdown file (Docusaurus's partial: `import Scope from './_scope.md'`),
 * whose text the component (`<Scope />`) would show: it is not published. */
static void mdx_partial(const char *p, size_t len, int ln, const md_options *opt, diags *d)
{
    if (len < 8 || memcmp(p, "import ", 7))
        return;
    size_t n = len;
    while (n && (p[n - 1] == ';' || p[n - 1] == ' ' || p[n - 1] == '\r'))
        n--;
    if (n < 2 || (p[n - 1] != '\'' && p[n - 1] != '"'))
        return;
    size_t e = n - 1, b = e;
    while (b && p[b - 1] != p[n - 1])
        b--;
    size_t pl = e - b;
    if (!b ||
        !(pl > 3 && (!memcmp(p + e - 3, ".md", 3) || (pl > 4 && !memcmp(p + e - 4, ".mdx", 4)))))
        return;
    diag_warning(d, opt->file, ln + opt->first_line - 1, 1, "liquid-tag",
                 "MDX import of '%.*s' is not expanded: the text its component shows is not "
                 "published here; copy it into the page",
                 (int)pl, p + b);
}

static void mdx_markers(const block_scan *bs, md_rewrite *rw, const src_lines *l,
                        const md_options *opt, diags *d)
{
    size_t ci = 0, open = SIZE_MAX, ri = 0;
    bt_runs bt = {NULL, 0};
    int runs_line = 0;
    for (int ln = 1; ln <= l->n; ln++) {
        size_t len;
        ri = 0;
        /* An open comment runs on through whatever the first parse made of
         * its lines (a fence inside it is no code). */
        const char *p =
            open == SIZE_MAX ? line_outside_code(bs, l, ln, &ci, &len) : line_at(l, ln, &len);
        size_t at = l->start[ln - 1];
        if (!p)
            continue;
        if (open == SIZE_MAX && es_module_line(p, len)) {
            mdx_partial(p, len, ln, opt, d);
            md_rewrite_drop(rw, l->data, at, at + len);
            continue;
        }
        for (size_t i = 0; i < len; i++) {
            if (open == SIZE_MAX) {
                if (p[i] == '`') {
                    /* Inline code: a run of backticks and the next run as
                     * long on the line, skipped; a run without one is text.
                     * The runs' matches are found once per line. */
                    if (runs_line != ln)
                        backtick_runs(&bt, p, len), runs_line = ln;
                    i = skip_code_span(&bt, &ri, i);
                    continue;
                }
                if (p[i] != '{')
                    continue;
                size_t o = i + 1;
                while (o < len && (p[o] == ' ' || p[o] == '\t'))
                    o++;
                if (o + 1 < len && p[o] == '/' && p[o + 1] == '*') {
                    open = at + i;
                    i = o + 1;
                }
            } else if (i + 1 < len && p[i] == '*' && p[i + 1] == '/') {
                size_t c = i + 2;
                while (c < len && (p[c] == ' ' || p[c] == '\t'))
                    c++;
                if (c < len && p[c] == '}') {
                    md_rewrite_drop(rw, l->data, open, at + c + 1);
                    open = SIZE_MAX;
                    i = c;
                } else if (c == len) {
                    /* The comment's end at the line's end: its brace may
                     * start the next line. */
                    size_t nl = 0;
                    const char *np = ln < l->n ? line_at(l, ln + 1, &nl) : NULL;
                    size_t b = 0;
                    while (np && b < nl && (np[b] == ' ' || np[b] == '\t'))
                        b++;
                    if (np && b < nl && np[b] == '}') {
                        md_rewrite_drop(rw, l->data, open, l->start[ln] + b + 1);
                        open = SIZE_MAX;
                        ln++;
                        break;
                    }
                }
            }
        }
    }
    free(bt.v);
}

/* The end of Python-Markdown's attribute list (attr_list, MkDocs) that
 * opens at p[i] ('{'): `{ .class #id key="value" }`, items of those three
 * kinds only, each separated by blanks: the index of its '}', or 0 when it
 * is not one. */
static size_t attr_list_end(const char *p, size_t i, size_t len)
{
    size_t e = i + 1, items = 0;
    for (;;) {
        while (e < len && (p[e] == ' ' || p[e] == '\t'))
            e++;
        if (e >= len)
            return 0;
        if (p[e] == '}')
            return items ? e : 0;
        int named = p[e] != '.' && p[e] != '#'; /* key=value */
        size_t s = e + !named;
        e = s;
        while (e < len && (isalnum((unsigned char)p[e]) || p[e] == '-' || p[e] == '_'))
            e++;
        if (e == s)
            return 0;
        if (named) {
            if (e >= len || p[e] != '=')
                return 0;
            e++;
            if (e < len && (p[e] == '"' || p[e] == '\'')) {
                const char *q = memchr(p + e + 1, p[e], len - e - 1);
                if (!q)
                    return 0;
                e = (size_t)(q - p) + 1;
            } else {
                while (e < len && p[e] != ' ' && p[e] != '}' && p[e] != '\t')
                    e++;
            }
        }
        if (e < len && p[e] != ' ' && p[e] != '\t' && p[e] != '}')
            return 0;
        items++;
    }
}

/* Span attribute lists: kramdown's on a kramdown site (lax_headings),
 * `{: .label }` right after a code span, a link, emphasis or a bracket
 * (`` `Approved`{: .label .label-green } ``, just-the-docs' buttons
 * `[Start](x.md){: .btn }`); and on any site Python-Markdown's after a
 * link or an image (MkDocs's `![Flow](flow.png){ width="400" }`,
 * `[Start](x.md){ .md-button }`). They style what they follow; GFM would
 * print them: dropped, outside code. */
static void kramdown_spans(const block_scan *bs, md_rewrite *rw, const src_lines *l, int kramdown)
{
    size_t ci = 0, ri = 0;
    bt_runs bt = {NULL, 0};
    for (int ln = 1; ln <= l->n; ln++) {
        size_t len;
        const char *p = line_outside_code(bs, l, ln, &ci, &len);
        if (!p)
            continue;
        int runs = 0;
        ri = 0;
        for (size_t i = 0; i + 2 < len; i++) {
            if (p[i] == '`') {
                if (!runs)
                    backtick_runs(&bt, p, len), runs = 1;
                i = skip_code_span(&bt, &ri, i);
                continue;
            }
            if (!i || p[i] != '{')
                continue;
            size_t e = 0;
            if (kramdown && p[i + 1] == ':' && strchr(")`*_]", p[i - 1])) {
                e = i + 2;
                while (e < len && p[e] != '}' && p[e] != '{')
                    e++;
            } else if (p[i - 1] == ')') {
                e = attr_list_end(p, i, len);
                if (!e)
                    continue;
            }
            if (e && e < len && p[e] == '}') {
                md_rewrite_drop(rw, l->data, l->start[ln - 1] + i, l->start[ln - 1] + e + 1);
                i = e;
            }
        }
    }
    free(bt.v);
}

/* A line that only asks for a table of contents, which the layout shows
 * anyway: VitePress's and markdown-it's `[[toc]]`, GitLab's `[[_TOC_]]`,
 * Python-Markdown's (MkDocs's) `[TOC]`; outside code, dropped rather than
 * printed. */
static void toc_markers(const block_scan *bs, md_rewrite *rw, const src_lines *l)
{
    static const char *const marks[] = {"[[toc]]", "[[_toc_]]", "[toc]"};
    size_t ci = 0;
    for (int ln = 1; ln <= l->n; ln++) {
        size_t len, n;
        const char *p = line_outside_code(bs, l, ln, &ci, &len);
        const char *t = p ? trimmed(p, len, &n) : NULL;
        for (size_t k = 0; t && k < sizeof marks / sizeof *marks; k++)
            if (n == strlen(marks[k]) && !strncasecmp(t, marks[k], n))
                md_rewrite_drop(rw, l->data, l->start[ln - 1], l->start[ln - 1] + len);
    }
}

/* cmark-gfm (0.29.0.gfm.6, github/cmark-gfm#282) drops the text of what
 * looks like a footnote reference whose label runs over a line break
 * (`see [^note` then `here] and more` shows `see [^] and more`; inner
 * brackets pair first). No label holds a line break, so it is no
 * footnote: in a paragraph or heading of bs, outside code spans, each is
 * recorded in rw as an insertion (of nothing) between its `[` and `^`,
 * where markdown_render puts an empty HTML comment, which cmark-gfm then
 * reads as no footnote, and the text shows as written; a link whose text
 * it starts stays a link. The comment is dropped with the others (kept,
 * invisible, under unsafe_html). */
static void footnote_breaks(const block_scan *bs, md_rewrite *rw, const src_lines *l,
                            const char *view)
{
    for (size_t t = 0; t < bs->texts.n; t++) {
        size_t start = bs->texts.v[t].start, end = bs->texts.v[t].end;
        /* Not into the next block (a setext heading's end can lie past it). */
        if (t + 1 < bs->texts.n && bs->texts.v[t + 1].start < end)
            end = bs->texts.v[t + 1].start;
        /* Code spans, as CommonMark finds them: a run of backticks to the
         * next run as long, else the run is text. The search is bounded:
         * past it, a run is taken as text. */
        size_t budget = 1 << 16;
        for (size_t i = start; i + 1 < end; i++) {
            char c = view[i];
            if (c == '\\') {
                i++;
            } else if (c == '`') {
                i = span_end(view, i, end, &budget) - 1;
            } else if (c == '[' && view[i + 1] == '^') {
                int breaks;
                size_t j = label_close(view, l->len, i + 2, end, 1, &breaks);
                if (j < end && breaks)
                    md_rewrite_replace(rw, i + 1, i + 1, "", 0);
            }
        }
    }
}

static const char *marker_line(const block_scan *bs, const src_lines *l, int ln, size_t *ci,
                               size_t *hi, size_t *len);

/* Docsify's helpers: a paragraph whose first line starts `!> ` (important)
 * or `?> ` (a tip), outside code. Docsify shows them as callouts; charter
 * shows them as quotes (`>  `, of the same length, so columns hold) rather
 * than as text starting "?&gt;". */
static void docsify_helpers(const block_scan *bs, md_rewrite *rw, const src_lines *l)
{
    size_t ci = 0, hi = 0;
    for (int ln = 1; ln <= l->n; ln++) {
        size_t len, pl = 0, pn = 0;
        const char *p = marker_line(bs, l, ln, &ci, &hi, &len);
        if (!p || len < 3 || (p[0] != '!' && p[0] != '?') || p[1] != '>' || p[2] != ' ')
            continue;
        const char *prev = ln > 1 ? line_at(l, ln - 1, &pl) : NULL;
        const char *pt = prev ? trimmed(prev, pl, &pn) : NULL;
        if (pn && pt[0] != '#')
            continue; /* inside a paragraph: its text (a heading ends its line) */
        md_rewrite_replace(rw, l->start[ln - 1], l->start[ln - 1] + 2, "> ", 2);
    }
}

/* Removes each `%%...%%` of the string t, in place (a box's title, under
 * obsidian_comments); a `%%` that none closes stays. */
static void drop_pct_comments(char *t)
{
    char *w = t;
    for (char *r = t; *r;) {
        char *close = r[0] == '%' && r[1] == '%' ? strstr(r + 2, "%%") : NULL;
        if (close)
            r = close + 2;
        else
            *w++ = *r++;
    }
    *w = '\0';
}

/* Obsidian's comments (markdown.wiki_links: obsidian): `%%` to the next
 * `%%`, on one line or across lines, outside code and HTML comments,
 * hidden in Obsidian and dropped here, as HTML and MDX comments are (notes
 * kept for the editors are not published). A `%%` that none closes stays
 * text. Lines keep their numbers. */
static void obsidian_comments(const block_scan *bs, md_rewrite *rw, const src_lines *l)
{
    size_t ci = 0, hi = 0, open = SIZE_MAX, ri = 0;
    bt_runs bt = {NULL, 0};
    int runs_line = 0;
    for (int ln = 1; ln <= l->n; ln++) {
        size_t len;
        ri = 0;
        /* Code and HTML comments hold no %% of a comment, open or not. */
        const char *p = marker_line(bs, l, ln, &ci, &hi, &len);
        if (!p)
            continue;
        size_t at = l->start[ln - 1];
        for (size_t i = 0; i + 1 < len; i++) {
            const char *end;
            if (p[i] == '`') {
                if (runs_line != ln)
                    backtick_runs(&bt, p, len), runs_line = ln;
                i = skip_code_span(&bt, &ri, i);
            } else if (len - i >= 4 && !memcmp(p + i, "<!--", 4) &&
                       (end = memmem(p + i + 4, len - i - 4, "-->", 3))) {
                i = (size_t)(end - p) + 2; /* an HTML comment's text is its own */
            } else if (p[i] == '%' && p[i + 1] == '%') {
                if (open == SIZE_MAX) {
                    open = at + i;
                } else {
                    md_rewrite_drop(rw, l->data, open, at + i + 2);
                    open = SIZE_MAX;
                }
                i++;
            }
        }
    }
    free(bt.v);
}

/* Appends s[0..n) for a Markdown link's text: brackets and backslashes
 * escaped, so the text ends where the link does. */
static void add_link_text(buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '[' || s[i] == ']' || s[i] == '\\')
            buf_addc(out, '\\');
        buf_addc(out, s[i]);
    }
}

/* Whether d[0, n), a wiki link's page or file, can stand between < and >
 * as a link's destination: not empty, no <, >, backslash or control. */
static int dest_ok(const char *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (d[i] == '<' || d[i] == '>' || d[i] == '\\' || (unsigned char)d[i] < 0x20)
            return 0;
    return n > 0;
}

/* Whether the name d[0, n) is an image's (.png, .jpg, .svg...). */
static int image_named(const char *d, size_t n)
{
    static const char *const images[] = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"};
    for (size_t i = 0; i < sizeof images / sizeof *images; i++) {
        size_t e = strlen(images[i]);
        if (n > e && !strncasecmp(d + n - e, images[i], e))
            return 1;
    }
    return 0;
}

/* One GitHub wiki link's inner text t[0..n) as the Markdown link it means:
 * [[Page Name]] and [[Text|Page Name]] link to the page (its name, blanks
 * as '-', as the wiki names the file), [[images/x.png]] and
 * [[images/x.png|alt=Text]] show the image. 0, or -1 when it is none
 * (empty, or holding what no link destination can). */
static int wiki_link(buf *out, const char *t, size_t n)
{
    const char *bar = memchr(t, '|', n);
    const char *a = t, *b = bar ? bar + 1 : t;
    size_t an = bar ? (size_t)(bar - t) : n, bn = bar ? n - an - 1 : n;
    while (an && (*a == ' ' || *a == '\t'))
        a++, an--;
    while (bn && (*b == ' ' || *b == '\t'))
        b++, bn--;
    while (an && (a[an - 1] == ' ' || a[an - 1] == '\t'))
        an--;
    while (bn && (b[bn - 1] == ' ' || b[bn - 1] == '\t'))
        bn--;
    int alt = bar && bn >= 4 && !memcmp(b, "alt=", 4);
    const char *dest = alt ? a : b, *text = alt ? b + 4 : a;
    size_t dn = alt ? an : bn, tn = alt ? bn - 4 : an;
    if (!dest_ok(dest, dn))
        return -1;
    int image = alt || image_named(dest, dn);
    buf_adds(out, image ? "![" : "[");
    add_link_text(out, image && !alt && !bar ? "" : text, image && !alt && !bar ? 0 : tn);
    buf_adds(out, "](<");
    int page = !image && !memmem(dest, dn, "://", 3);
    for (size_t i = 0; i < dn; i++)
        buf_addc(out, page && dest[i] == ' ' ? '-' : dest[i]);
    buf_adds(out, ">)");
    return 0;
}

/* One Obsidian link's inner text t[0..n) as the Markdown link it means:
 * [[Page]], [[Page|Text]], [[Page#Heading]] (the heading's id, as charter
 * makes it), [[#Heading]] on the page itself, the name as written (found
 * anywhere in the vault: site_link_page); embedded (`![[...]]`, embed
 * set), an image is shown (`![[org.png|400]]`: its size left out) and a
 * page linked. 0, or -1 when it is none. */
static int obsidian_link(buf *out, const char *t, size_t n, int embed)
{
    const char *bar = memchr(t, '|', n);
    size_t dn = bar ? (size_t)(bar - t) : n, tn = 0;
    const char *text = bar ? trimmed(bar + 1, n - dn - 1, &tn) : NULL;
    /* In a table's cell the bar is escaped, [[Page\|Text]], as Obsidian
     * writes it there. */
    if (bar && dn && t[dn - 1] == '\\')
        dn--;
    const char *dest = trimmed(t, dn, &dn);
    const char *hash = memchr(dest, '#', dn);
    size_t name_n = hash ? (size_t)(hash - dest) : dn;
    if (!dest_ok(dest, dn))
        return -1;
    int image = embed && image_named(dest, name_n);
    size_t sized = 0; /* ![[x.png|400]], ![[x.png|400x300]]: within tn, not NUL-ended */
    while (text && sized < tn && (text[sized] == 'x' || (text[sized] >= '0' && text[sized] <= '9')))
        sized++;
    int size = text && tn && sized == tn;
    buf_adds(out, image ? "![" : "[");
    if (text && tn && !size) {
        add_link_text(out, text, tn);
    } else if (!image) {
        /* As Obsidian shows it: "Page > Heading", or the heading alone. */
        add_link_text(out, dest, name_n);
        if (hash && name_n)
            buf_adds(out, " > ");
        if (hash)
            add_link_text(out, hash + 1, dn - name_n - 1);
    }
    buf_adds(out, "](<");
    buf_add(out, dest, name_n);
    if (hash) {
        /* A block reference (#^id) names no heading: the page alone. */
        buf heading, id;
        buf_init(&heading);
        buf_init(&id);
        buf_add(&heading, hash + 1, dn - name_n - 1);
        if (heading.len && heading.data[0] != '^') {
            markdown_slug(&id, heading.data);
            buf_addc(out, '#');
            buf_add(out, id.data, id.len);
        }
        buf_release(&heading);
        buf_release(&id);
    }
    buf_adds(out, ">)");
    return 0;
}

/* markdown.wiki_links: a GitHub wiki's [[...]] links (wiki_link), or an
 * Obsidian vault's (obsidian_link, `![[...]]` too), outside code, made
 * Markdown links before the page is parsed again, so that they are
 * checked and rewritten as any link is. */
static void wiki_links(const block_scan *bs, md_rewrite *rw, const src_lines *l, int mode)
{
    size_t ci = 0;
    bt_runs bt = {NULL, 0};
    buf rep;
    buf_init(&rep);
    for (int ln = 1; ln <= l->n; ln++) {
        size_t len, ri = 0;
        const char *p = line_outside_code(bs, l, ln, &ci, &len);
        if (!p || !memmem(p, len, "[[", 2))
            continue;
        size_t at = l->start[ln - 1];
        backtick_runs(&bt, p, len);
        /* The first "]]" after the last "[[" looked at: found again only
         * once passed, so a line of many "[[" is read once. */
        const char *close = NULL;
        for (size_t i = 0; i + 1 < len; i++) {
            if (p[i] == '`') {
                i = skip_code_span(&bt, &ri, i); /* inline code */
                continue;
            }
            if (p[i] != '[' || p[i + 1] != '[' || (i && p[i - 1] == '\\'))
                continue;
            if (!close || close < p + i + 2)
                close = memmem(p + i + 2, len - i - 2, "]]", 2);
            if (!close)
                break; /* none later on the line either */
            size_t inner = i + 2, n = (size_t)(close - p) - inner;
            int embed = mode == MD_WIKI_OBSIDIAN && i && p[i - 1] == '!';
            buf_reset(&rep);
            if (!memchr(p + inner, '[', n) &&
                (mode == MD_WIKI_OBSIDIAN ? obsidian_link(&rep, p + inner, n, embed)
                                          : wiki_link(&rep, p + inner, n)) == 0) {
                md_rewrite_replace(rw, at + i - embed, at + inner + n + 2, rep.data, rep.len);
                i = inner + n + 1;
            }
        }
    }
    buf_release(&rep);
    free(bt.v);
}

/* Docusaurus's admonitions: a line `:::note` (or tip, info, caution,
 * danger, warning; any word), with an optional title, opens a box that a
 * line of colons alone closes. Each such line outside code becomes an
 * HTML comment charter alone writes (`<!--charter-admonition N-->`, the
 * line kept as marker N), so that cmark-gfm makes it a block of its own
 * even inside a paragraph; admonition_boxes then turns each pair into the
 * box. Lines keep their numbers. The edits of rw need not be sorted. */
typedef struct admonition {
    char *line;  /* as written, for a marker left without its pair */
    char *type;  /* an open's, lowercase; NULL for a close */
    char *title; /* an open's, "" when none */
} admonition;

typedef struct admonitions {
    admonition *v;
    size_t n, cap;
} admonitions;

/* Line ln of l (its length in *len) when a marker may stand there: not in
 * code, nor in an HTML block (a comment's hidden text must stay hidden: a
 * marker there would end the comment early); else NULL. */
static const char *marker_line(const block_scan *bs, const src_lines *l, int ln, size_t *ci,
                               size_t *hi, size_t *len)
{
    const char *p = line_outside_code(bs, l, ln, ci, len);
    return p && !line_in(&bs->html, l, ln, hi) ? p : NULL;
}

/* A new admonition of ad: an open (type, title) or a close (type NULL). */
static size_t admonition_add(admonitions *ad, const char *line, size_t n, const char *type,
                             size_t tn, const char *title, size_t tl)
{
    if (ad->n == ad->cap) {
        ad->cap = ad->cap ? ad->cap * 2 : 4;
        ad->v = xrealloc(ad->v, ad->cap * sizeof *ad->v);
    }
    admonition *a = &ad->v[ad->n];
    a->line = xstrndup(line, n);
    a->type = type ? xstrndup(type, tn) : NULL;
    a->title = type ? xstrndup(title, tl) : NULL;
    for (char *c = a->type; c && *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return ad->n++;
}

static void admonition_markers(const block_scan *bs, md_rewrite *rw, const src_lines *l,
                               admonitions *ad)
{
    size_t ci = 0, hi = 0;
    buf rep;
    buf_init(&rep);
    for (int ln = 1; ln <= l->n; ln++) {
        size_t len, n;
        const char *p = marker_line(bs, l, ln, &ci, &hi, &len);
        if (!p)
            continue;
        const char *t = trimmed(p, len, &n);
        size_t colons = 0;
        while (colons < n && t[colons] == ':')
            colons++;
        if (colons < 3)
            continue;
        /* The type, right after the colons or (VitePress's `::: tip`)
         * after blanks. */
        size_t ws = colons;
        while (ws < n && (t[ws] == ' ' || t[ws] == '\t'))
            ws++;
        size_t w = ws;
        while (w < n && ((t[w] >= 'a' && t[w] <= 'z') || (t[w] >= 'A' && t[w] <= 'Z')))
            w++;
        /* The title after a space, or in brackets (`:::tip[Title]`,
         * Docusaurus 3's way). */
        int bracket = w > ws && w < n && t[w] == '[' && t[n - 1] == ']';
        if ((w < n && t[w] != ' ' && t[w] != '\t' && !bracket) || (w == ws && w < n))
            continue; /* `:::` then something else: not one */
        size_t tn = 0;
        const char *title = "";
        if (w > ws && bracket)
            title = trimmed(t + w + 1, n - w - 2, &tn);
        else if (w > ws && w < n)
            title = trimmed(t + w, n - w, &tn);
        size_t k = admonition_add(ad, t, n, w > ws ? t + ws : NULL, w - ws, title, tn);
        /* From its first character: indented, it stays in its list item. */
        size_t from = l->start[ln - 1] + (size_t)(t - p);
        buf_reset(&rep);
        buf_printf(&rep, "<!--charter-admonition %zu-->", k);
        md_rewrite_replace(rw, from, from + n, rep.data, rep.len);
    }
    buf_release(&rep);
}

/* GitBook's hints (`{% hint style="warning" %}` ... `{% endhint %}`) and
 * Hugo's hint, notice, alert and pageinfo shortcodes (hugo-book's, Relearn's,
 * Docsy's), found by the Liquid scan, as markers,
 * each the box a `:::warning` line makes. */
static void liquid_boxes(const md_liquid *lq, md_rewrite *rw, const char *text, admonitions *ad)
{
    buf rep;
    buf_init(&rep);
    for (size_t i = 0; i < lq->n_boxes; i++) {
        const md_liquid_box *b = &lq->boxes[i];
        size_t k = admonition_add(ad, text + b->start, b->end - b->start,
                                  b->type_len ? text + b->type : NULL, b->type_len,
                                  b->title_len ? text + b->title : "", b->title_len);
        buf_reset(&rep);
        buf_printf(&rep, "<!--charter-admonition %zu-->", k);
        md_rewrite_replace(rw, b->start, b->end, rep.data, rep.len);
    }
    buf_release(&rep);
}

/* The body of a MkDocs block opened at line ln, indented ind: the blank
 * lines, and the lines indented four spaces more, which lose those four
 * (Markdown would read them as a code block). Returns its last line (ln
 * when it has none). */
static int mkdocs_body(md_rewrite *rw, const src_lines *l, int ln, size_t ind)
{
    int last = ln;
    for (int b = ln + 1; b <= l->n; b++) {
        size_t bl = 0, bn;
        const char *bp = line_at(l, b, &bl);
        trimmed(bp, bl, &bn);
        if (!bn)
            continue;
        size_t sp = 0;
        while (sp < bl && bp[sp] == ' ')
            sp++;
        if (sp < ind + 4)
            break;
        md_rewrite_replace(rw, l->start[b - 1] + ind, l->start[b - 1] + ind + 4, "", 0);
        last = b;
    }
    return last;
}

/* pymdownx.tabbed's content tabs (MkDocs Material): a line `=== "Title"`
 * (`===!` starts a new set, `===+` is the one selected), its body the
 * lines indented four more spaces below it, which Markdown would read as
 * a code block. charter shows no tabs: the title becomes a paragraph of
 * its own in bold, as a GitBook tab's, and the body loses its four spaces,
 * so each tab's text follows the one before. The title is written as HTML
 * after a comment, which ends its block at its line (a body right below
 * it would continue a Markdown paragraph). Lines keep their numbers. */
static void mkdocs_tabs(const block_scan *bs, md_rewrite *rw, const src_lines *l)
{
    size_t ci = 0, hi = 0;
    int body_end = 0; /* the last line of the tab before */
    buf rep;
    buf_init(&rep);
    for (int ln = 1; ln <= l->n; ln++) {
        size_t len, n, tn = 0, pl = 0, pn = 1;
        const char *p = marker_line(bs, l, ln, &ci, &hi, &len);
        const char *t = p ? trimmed(p, len, &n) : NULL;
        if (!t || n < 6 || memcmp(t, "===", 3) != 0)
            continue;
        /* A tab starts a block, as Python-Markdown reads it: after a blank
         * line or the tab before; a line inside a paragraph is its text. */
        const char *prev = ln > 1 ? line_at(l, ln - 1, &pl) : NULL;
        if (prev)
            trimmed(prev, pl, &pn);
        if (prev && pn && ln - 1 != body_end)
            continue;
        size_t k = 3 + (t[3] == '!' || t[3] == '+');
        if (t[k] != ' ')
            continue;
        const char *title = trimmed(t + k, n - k, &tn);
        if (tn < 3 || title[0] != '"' || title[tn - 1] != '"')
            continue;
        size_t ind = (size_t)(t - p), from = l->start[ln - 1] + ind;
        buf_reset(&rep);
        buf_adds(&rep, "<!-- tab --><p><strong>");
        buf_add_html(&rep, title + 1, tn - 2);
        buf_adds(&rep, "</strong></p>");
        md_rewrite_replace(rw, from, from + n, rep.data, rep.len);
        ln = body_end = mkdocs_body(rw, l, ln, ind);
    }
    buf_release(&rep);
}

/* MkDocs's admonitions (Python-Markdown's, and pymdownx's collapsible
 * ones): a line `!!! note "Title"` (or `???`, `???+`), its body the lines
 * indented four more spaces below it. Markdown reads that body as a code
 * block; here the line becomes an open marker, as a Docusaurus `:::note`
 * line does, the body loses its four spaces, and a close marker follows
 * it, so admonition_boxes makes the same box. Lines keep their numbers. */
static void mkdocs_admonitions(const block_scan *bs, md_rewrite *rw, const src_lines *l,
                               admonitions *ad)
{
    size_t ci = 0, hi = 0;
    buf rep;
    buf_init(&rep);
    for (int ln = 1; ln <= l->n; ln++) {
        size_t len, n;
        const char *p = marker_line(bs, l, ln, &ci, &hi, &len);
        if (!p)
            continue;
        const char *t = trimmed(p, len, &n);
        size_t ind = (size_t)(t - p), k = 0;
        if (n < 5 ||
            !(memcmp(t, "!!! ", 4) == 0 || memcmp(t, "??? ", 4) == 0 || memcmp(t, "???+ ", 5) == 0))
            continue;
        k = t[3] == '+' ? 5 : 4;
        size_t w = k;
        while (w < n && ((t[w] >= 'a' && t[w] <= 'z') || (t[w] >= 'A' && t[w] <= 'Z') ||
                         t[w] == '-' || t[w] == '_'))
            w++;
        if (w == k || (w < n && t[w] != ' '))
            continue;
        /* The title: "quoted" after the type; else the type's own. */
        size_t tn = 0;
        const char *title = w < n ? trimmed(t + w, n - w, &tn) : "";
        if (tn >= 2 && title[0] == '"' && title[tn - 1] == '"') {
            title++;
            tn -= 2;
        } else if (tn) {
            continue; /* something else after the type: not one */
        }
        size_t open = admonition_add(ad, t, n, t + k, w - k, title, tn);
        size_t from = l->start[ln - 1] + ind;
        buf_reset(&rep);
        buf_printf(&rep, "<!--charter-admonition %zu-->", open);
        md_rewrite_replace(rw, from, from + n, rep.data, rep.len);
        int last = mkdocs_body(rw, l, ln, ind);
        size_t close = admonition_add(ad, "", 0, NULL, 0, NULL, 0);
        size_t ll = 0;
        line_at(l, last, &ll);
        buf_reset(&rep);
        buf_printf(&rep, "\n%*s<!--charter-admonition %zu-->", (int)ind, "", close);
        md_rewrite_replace(rw, l->start[last - 1] + ll, l->start[last - 1] + ll, rep.data, rep.len);
        ln = last;
    }
    buf_release(&rep);
}

static void admonitions_release(admonitions *ad)
{
    for (size_t i = 0; i < ad->n; i++) {
        free(ad->v[i].line);
        free(ad->v[i].type);
        free(ad->v[i].title);
    }
    free(ad->v);
}

/* Which marker n is (its number), or -1 for none. */
static long admonition_marker(cmark_node *n, const admonitions *ad)
{
    cmark_node_type t = n ? cmark_node_get_type(n) : CMARK_NODE_NONE;
    if (t != CMARK_NODE_HTML_BLOCK && t != CMARK_NODE_HTML_INLINE)
        return -1;
    const char *lit = cmark_node_get_literal(n);
    static const char mark[] = "<!--charter-admonition ";
    /* An HTML block keeps the indentation its container does not take
     * (a marker indented four spaces in an item whose text starts at two). */
    while (lit && t == CMARK_NODE_HTML_BLOCK && (*lit == ' ' || *lit == '\t'))
        lit++;
    if (!lit || strncmp(lit, mark, sizeof mark - 1) != 0)
        return -1;
    lit += sizeof mark - 1;
    char *end;
    unsigned long k = strtoul(lit, &end, 10);
    return end != lit && !strncmp(end, "-->", 3) && k < ad->n ? (long)k : -1;
}

/* A marker met in the document, its parent and place. */
typedef struct marker_at {
    cmark_node *node, *parent;
    size_t order;
    long k;
} marker_at;

static int cmp_marker(const void *a, const void *b)
{
    const marker_at *x = a, *y = b;
    if (x->parent != y->parent)
        return (uintptr_t)x->parent < (uintptr_t)y->parent ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* A box of the given type (lowercase) and title (the type, capitalized,
 * when it is ""): a `<div class="admonition admonition-<type>"
 * role="note">` with its title, empty, for the caller to fill and link. */
static cmark_node *box_new(const char *type, size_t tn, const char *title, size_t tl)
{
    buf tag;
    buf_init(&tag);
    buf_adds(&tag, "<div class=\"admonition admonition-");
    buf_add_html(&tag, type, tn);
    buf_adds(&tag, "\" role=\"note\"><p class=\"admonition-title\">");
    /* Docsy's boxes named by their colour, or its pageinfo, have no title
     * of their own there: "Note". */
    static const char *const untitled[] = {"pageinfo", "primary", "secondary", "light", "dark"};
    int plain = 0;
    for (size_t i = 0; !tl && i < sizeof untitled / sizeof *untitled; i++)
        plain |= tn == strlen(untitled[i]) && !memcmp(type, untitled[i], tn);
    if (tl) {
        buf_add_html(&tag, title, tl);
    } else if (plain) {
        buf_adds(&tag, "Note");
    } else if (tn) {
        buf_addc(&tag, (char)toupper((unsigned char)type[0]));
        buf_add_html(&tag, type + 1, tn - 1);
    }
    buf_adds(&tag, "</p>\n");
    cmark_node *box = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &page_allocator);
    cmark_node_set_on_enter(box, tag.data);
    cmark_node_set_on_exit(box, "</div>");
    buf_release(&tag);
    return box;
}

/* The box for the open marker `open` and its close, around the blocks
 * between. */
static void make_box(cmark_node *open, cmark_node *close, const admonition *a)
{
    cmark_node *box = box_new(a->type, strlen(a->type), a->title, strlen(a->title));
    cmark_node_insert_before(open, box);
    for (cmark_node *c = cmark_node_next(open), *next; c != close; c = next) {
        next = cmark_node_next(c);
        cmark_node_append_child(box, c); /* unlinks it first */
    }
    cmark_node_free(open);
    cmark_node_free(close);
}

/* The markers marks[0..n) (in document order) paired among siblings, each
 * close with the nearest open before it, as brackets nest, and each pair
 * made a box (make_box), the innermost first, so that a block is moved
 * once per box around it. A marker left without its pair is a paragraph of
 * its line as written, as before charter read admonitions. Linear but for
 * the sort (a page of a million markers stays bounded). */
static void admonition_boxes(cmark_node **marks, size_t n, const admonitions *ad)
{
    marker_at *v = xmalloc((n ? n : 1) * sizeof *v);
    size_t *stack = xmalloc((n ? n : 1) * sizeof *stack);
    unsigned char *paired = xcalloc(n ? n : 1, 1);
    for (size_t i = 0; i < n; i++)
        v[i] =
            (marker_at){marks[i], cmark_node_parent(marks[i]), i, admonition_marker(marks[i], ad)};
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_marker);
    /* A marker that did not become a block of its own (a line of a
     * paragraph too deeply indented to start one) is an inline comment:
     * never paired, its line restored as text below. */
    for (size_t g = 0, end; g < n; g = end) {
        size_t top = 0;
        for (end = g; end < n && v[end].parent == v[g].parent; end++) {
            if (cmark_node_get_type(v[end].node) != CMARK_NODE_HTML_BLOCK)
                continue;
            if (ad->v[v[end].k].type) {
                stack[top++] = end;
            } else if (top) {
                size_t o = stack[--top];
                make_box(v[o].node, v[end].node, &ad->v[v[o].k]);
                paired[o] = paired[end] = 1;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (paired[i])
            continue;
        cmark_node *text = cmark_node_new_with_mem(CMARK_NODE_TEXT, &page_allocator);
        cmark_node_set_literal(text, ad->v[v[i].k].line);
        cmark_node *with = text;
        if (cmark_node_get_type(v[i].node) == CMARK_NODE_HTML_BLOCK) {
            with = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, &page_allocator);
            cmark_node_append_child(with, text);
        }
        cmark_node_replace(v[i].node, with);
        cmark_node_free(v[i].node);
    }
    free(v);
    free(stack);
    free(paired);
}

/* GitHub's alerts (`> [!NOTE]`, and TIP, IMPORTANT, WARNING, CAUTION) and
 * Obsidian's callouts (`> [!info] Title`, any word, `-` or `+` after it
 * for folding): a block quote whose first line is the marker alone, or
 * the marker and a title of plain text, becomes the box an admonition
 * makes. Anything else on that line (a link, emphasis), or no body and no
 * title, and the quote stays a quote. */
static void alert_box(cmark_node *quote)
{
    cmark_node *para = cmark_node_first_child(quote), *c, *brk = NULL;
    if (cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
        return;
    buf line;
    buf_init(&line);
    for (c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
            brk = c;
            break;
        }
        const char *lit = cmark_node_get_literal(c);
        if (t != CMARK_NODE_TEXT || !lit)
            goto done;
        buf_adds(&line, lit);
    }
    const char *s = line.data ? line.data : "";
    size_t n = line.len, w = 2;
    if (n < 4 || s[0] != '[' || s[1] != '!')
        goto done;
    while (w < n && ((s[w] >= 'a' && s[w] <= 'z') || (s[w] >= 'A' && s[w] <= 'Z')))
        w++;
    if (w == 2 || w >= n || s[w] != ']')
        goto done;
    size_t after = w + 1;
    if (after < n && (s[after] == '-' || s[after] == '+'))
        after++;
    if (after < n && s[after] != ' ' && s[after] != '\t')
        goto done;
    size_t tl = 0;
    const char *title = trimmed(s + after, n - after, &tl);
    if (!tl && !brk && !cmark_node_next(para))
        goto done; /* the marker alone: GitHub shows it as written */
    char type[32];
    size_t tn = w - 2 < sizeof type ? w - 2 : sizeof type - 1;
    for (size_t i = 0; i < tn; i++)
        type[i] = (char)tolower((unsigned char)s[2 + i]);
    cmark_node *box = box_new(type, tn, title, tl);
    /* The marker's line goes, its break with it; then the paragraph, if
     * that was all of it. */
    for (cmark_node *next, *k = cmark_node_first_child(para); k; k = next) {
        next = k == brk ? NULL : cmark_node_next(k);
        cmark_node_free(k);
    }
    if (!cmark_node_first_child(para))
        cmark_node_free(para);
    while ((c = cmark_node_first_child(quote)))
        cmark_node_append_child(box, c);
    cmark_node_insert_before(quote, box);
    cmark_node_free(quote);
done:
    buf_release(&line);
}

/* Appends s[start, end) for a message: each run of white space as one
 * space, and at most 60 bytes of it (cut between characters, then "..."). */
static void add_shown(buf *out, const char *s, size_t start, size_t end)
{
    size_t from = out->len;
    for (size_t i = start; i < end; i++) {
        if (out->len - from >= 60 && ((unsigned char)s[i] & 0xC0) != 0x80) {
            buf_adds(out, "...");
            return;
        }
        if (strchr(" \t\r\n\f\v", s[i])) {
            while (i + 1 < end && strchr(" \t\r\n\f\v", s[i + 1]))
                i++;
            buf_addc(out, ' ');
        } else {
            buf_addc(out, s[i]);
        }
    }
}

/* Warns (liquid-tag) about each Liquid tag and variable the rewrite
 * dropped, at its line and column. Tags come in source order, so the
 * column count resumes along a line. */
static void report_liquid(const md_liquid *lq, const src_lines *l, const md_options *opt, diags *d)
{
    buf shown;
    buf_init(&shown);
    int line = 0, col = 1;
    size_t at = 0;
    for (size_t i = 0; i < lq->n_tags; i++) {
        const md_liquid_tag *t = &lq->tags[i];
        int ln = line_of(l, t->start);
        /* On an MDX module line (`export const X = ... {{color: 'red'}}`),
         * which goes whole: JavaScript, not a tag. */
        size_t ll;
        const char *lp = line_at(l, ln, &ll);
        if (lp && es_module_line(lp, ll))
            continue;
        if (ln != line || t->start < at) {
            line = ln;
            at = l->start[ln - 1];
            col = 1;
        }
        for (; at < t->start; at++)
            col += ((unsigned char)l->data[at] & 0xC0) != 0x80;
        buf_reset(&shown);
        add_shown(&shown, l->data, t->start, t->end);
        if (t->closer)
            diag_warning(d, opt->file, ln + opt->first_line - 1, col, "liquid-tag",
                         "liquid tag '%s' has no '{%% %s %%}' and is dropped", shown.data,
                         t->closer);
        else if (t->end - t->start > 3 &&
                 (l->data[t->start + 2] == '<' || l->data[t->start + 2] == '%'))
            diag_warning(d, opt->file, ln + opt->first_line - 1, col, "liquid-tag",
                         "shortcode '%s' (Hugo's) is not supported and is dropped; the text "
                         "between its tags is kept",
                         shown.data);
        else if (t->end - t->start > 11 && !memcmp(l->data + t->start, "{{#include ", 11))
            diag_warning(d, opt->file, ln + opt->first_line - 1, col, "liquid-tag",
                         "mdBook's include '%s' is not supported and is dropped: the file's text "
                         "is not published here; copy it into the page",
                         shown.data);
        else
            diag_warning(d, opt->file, ln + opt->first_line - 1, col, "liquid-tag",
                         "liquid tag '%s' is not supported and is dropped", shown.data);
    }
    buf_release(&shown);
}

/* pymdownx.snippets's includes (MkDocs): a line `--8<-- "file.md"`, or a
 * block of file names between two `--8<--` lines, outside code. charter
 * does not read other files into a page: the lines are dropped, with a
 * warning, rather than printed as text. Lines keep their numbers. */
static void mkdocs_snippets(const block_scan *bs, md_rewrite *rw, const src_lines *l,
                            const md_options *opt, diags *d)
{
    size_t ci = 0;
    int open = 0;
    for (int ln = 1; ln <= l->n; ln++) {
        size_t len, n;
        const char *p = line_outside_code(bs, l, ln, &ci, &len);
        const char *t = p ? trimmed(p, len, &n) : NULL;
        int mark = t && n >= 6 && !memcmp(t, "--8<--", 6);
        if (!t || (!mark && !open))
            continue;
        if (mark && n == 6) { /* a block's start or end */
            open = !open;
        } else if (!open && (n < 9 || t[6] != ' ')) {
            continue; /* "--8<--x": text */
        } else {
            buf shown;
            buf_init(&shown);
            add_shown(&shown, t, 0, n);
            diag_warning(d, opt->file, ln + opt->first_line - 1, (int)(t - p) + 1, "liquid-tag",
                         "MkDocs snippet '%s' is not supported and is dropped: the file's text "
                         "is not published here; copy it into the page",
                         shown.data);
            buf_release(&shown);
        }
        md_rewrite_drop(rw, l->data, l->start[ln - 1], l->start[ln - 1] + len);
    }
}

static void add_link(md_doc *doc, size_t *cap, cmark_node *n, const md_options *opt,
                     const pos_map *m, link_cursor *cur)
{
    const src_lines *l = m->parsed;
    if (doc->n_links == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        doc->links = xrealloc(doc->links, *cap * sizeof *doc->links);
    }
    const char *url = cmark_node_get_url(n);
    int line = cmark_node_get_start_line(n), col = cmark_node_get_start_column(n);
    /* On a paragraph's continuation line, indented in a list item or a
     * quote, lazy, or with a tab, cmark's column is off by what it strips
     * or expands: the link is at the '[' (or '!', '<') nearest to it that
     * starts it as written, within 16 columns (a few indents and tabs; so
     * an autolink, which has no opener, costs 33 looks, not the line). */
    size_t ll = 0;
    const char *lp = line ? line_at(l, line, &ll) : NULL;
    if (lp && (col < 1 || (size_t)col > ll || !strchr("[!<", lp[col - 1]) ||
               !starts_written_link(lp + col - 1, ll - (size_t)col + 1, n))) {
        long at = col < 1 ? 1 : col > (long)ll ? (long)ll : col;
        for (long dist = 0; dist <= 16; dist++) {
            long c = at - dist;
            if (c >= 1 && strchr("[!<", lp[c - 1]) &&
                starts_written_link(lp + c - 1, ll - (size_t)c + 1, n)) {
                col = (int)c;
                break;
            }
            c = at + dist;
            if (dist && c <= (long)ll && strchr("[!<", lp[c - 1]) &&
                starts_written_link(lp + c - 1, ll - (size_t)c + 1, n)) {
                col = (int)c;
                break;
            }
        }
    }
    if (line == 0 || !starts_link(l, line, col, n)) {
        line = col = 0;
        locate_autolink(l, n, cur, &line, &col);
    }
    to_source(m, &line, &col);
    /* Columns are counted in characters everywhere in charter (as libyaml
     * counts them); cmark counts bytes. */
    col = char_column(m->src, cur, line, col);
    doc->links[doc->n_links++] =
        (md_link){xstrdup(url ? url : ""), line ? line + opt->first_line - 1 : 0, col,
                  cmark_node_get_type(n) == CMARK_NODE_IMAGE};
}

/* An address in a node of raw HTML (html_safe_append_urls): a link of the
 * page, checked as a Markdown link is, at its place in the source, and
 * rewritten as one (a relative image from the page's file, a .md page). */
typedef struct raw_links {
    md_doc *doc;
    size_t *cap;
    const md_options *opt;
    const pos_map *m;
    link_cursor *cur;
    cmark_node *node;
    const char *lit;
} raw_links;

static int raw_link(void *ctx, const char *url, size_t len, size_t at, int image, buf *with)
{
    raw_links *r = ctx;
    md_doc *doc = r->doc;
    int line = cmark_node_get_start_line(r->node), col = cmark_node_get_start_column(r->node);
    const char *nl = NULL;
    for (const char *c = r->lit; c < r->lit + at; c++)
        if (*c == '\n') {
            line++;
            nl = c;
        }
    col = nl ? (int)(r->lit + at - nl) : col + (int)at;
    if (line > 0) {
        to_source(r->m, &line, &col);
        col = char_column(r->m->src, r->cur, line, col);
    }
    if (doc->n_links == *r->cap) {
        *r->cap = *r->cap ? *r->cap * 2 : 8;
        doc->links = xrealloc(doc->links, *r->cap * sizeof *doc->links);
    }
    char *u = xstrndup(url, len);
    doc->links[doc->n_links++] =
        (md_link){u, line > 0 ? line + r->opt->first_line - 1 : 0, line > 0 ? col : 0, image};
    return r->opt->rewrite && r->opt->rewrite(r->opt->rewrite_ctx, u, with);
}

/* Appends html, giving the tasklist extension's checkboxes an accessible name
 * ("Done" / "Not done"): cmark-gfm writes them without a label, which screen
 * readers announce as an unnamed checkbox (WCAG 4.1.2). */
static void add_labelled_checkboxes(buf *out, const char *html)
{
    static const struct {
        const char *from, *to;
    } boxes[] = {
        {"<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
         "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\" />"},
        {"<input type=\"checkbox\" disabled=\"\" />",
         "<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\" />"},
    };
    const char *p = html;
    for (;;) {
        const char *hit = strstr(p, "<input type=\"checkbox\"");
        if (!hit) {
            buf_adds(out, p);
            return;
        }
        buf_add(out, p, (size_t)(hit - p));
        p = hit;
        size_t k = 0;
        while (k < 2 && strncmp(p, boxes[k].from, strlen(boxes[k].from)) != 0)
            k++;
        if (k == 2) {
            buf_addc(out, *p++);
            continue;
        }
        buf_adds(out, boxes[k].to);
        p += strlen(boxes[k].from);
    }
}

/* The code point of the character reference `&#...;` at p (before end),
 * or -1 when p holds none. */
static long char_ref(const char *p, const char *end)
{
    if (end - p < 4 || p[0] != '&' || p[1] != '#')
        return -1;
    int hex = p[2] == 'x' || p[2] == 'X';
    const char *q = p + 2 + hex;
    long v = 0;
    int digits = 0;
    for (; q < end && digits < 8; q++, digits++) {
        int c = (unsigned char)*q, dv;
        if (c >= '0' && c <= '9')
            dv = c - '0';
        else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            dv = (c | 0x20) - 'a' + 10;
        else
            break;
        v = v * (hex ? 16 : 10) + dv;
    }
    return digits && q < end && *q == ';' ? v : -1;
}

/* Whether l's bytes [from, to) hold a character reference to a control
 * character (as text_first_flaw counts them), with `spans` one outside a
 * code span (an odd number of backticks before it on its line): its
 * offset in *off, its code point in *cp. */
static int first_control_ref(const src_lines *l, size_t from, size_t to, int spans, size_t *off,
                             long *cp)
{
    const char *end = l->data + to;
    for (const char *p = l->data + from; (p = memchr(p, '&', (size_t)(end - p))); p++) {
        long v = char_ref(p, end);
        if (!text_is_control(v))
            continue;
        size_t at = (size_t)(p - l->data), ticks = 0;
        for (size_t i = l->start[line_of(l, at) - 1]; spans && i < at; i++)
            ticks += l->data[i] == '`';
        if (ticks % 2)
            continue;
        *off = at;
        *cp = v;
        return 1;
    }
    return 0;
}

/* The source bytes [*from, *to) of the block around the document's first
 * text that holds a control character (one decoded from a reference). 0
 * when there is none, or no block with a position holds it. */
static int control_text_block(cmark_node *root, const src_lines *l, size_t *from, size_t *to)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    int found = 0;
    while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        const char *lit = ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_TEXT
                              ? cmark_node_get_literal(n)
                              : NULL;
        size_t width, len = lit ? strlen(lit) : 0;
        if (!lit || text_first_flaw(lit, len, &width) == len)
            continue;
        while (n && cmark_node_get_start_line(n) <= 0)
            n = cmark_node_parent(n);
        int a = n ? cmark_node_get_start_line(n) : 0, b = n ? cmark_node_get_end_line(n) : 0;
        if (a >= 1 && a <= l->n && b >= a) {
            *from = l->start[a - 1];
            *to = b < l->n ? l->start[b] : l->len;
            found = 1;
        }
        break;
    }
    cmark_iter_free(it);
    return found;
}

/* A character reference to a control character (`&#11;`) is decoded by
 * cmark-gfm into the character itself, which diag_check_text does not see
 * in the source: in the page's HTML (html from `from` on) each is made
 * what diag_check_text makes it (a vertical tab a space, others U+FFFD),
 * and the first such reference of the block that shows it is
 * reported (else the first, at off, to cp), as a control character
 * written out is: found in the parsed text (l; rw, when not NULL, the
 * edits that made it), reported where the source (src) has it. One in
 * code is shown as written, not decoded: no finding. */
static void repair_control_refs(buf *html, size_t from, cmark_node *root, const src_lines *l,
                                const md_rewrite *rw, const src_lines *src, size_t off, long cp,
                                const md_options *opt, diags *d)
{
    /* Repaired as the source is (diag_check_text), its findings dropped:
     * the reference is reported below, where it is written. */
    buf fixed;
    buf_init(&fixed);
    diags *quiet = diag_new(NULL);
    int flawed = diag_check_text(&fixed, html->data + from, html->len - from, opt->file, 1, quiet);
    diag_free(quiet);
    if (flawed) {
        buf_truncate(html, from);
        buf_add(html, fixed.data, fixed.len);
    }
    buf_release(&fixed);
    if (!flawed)
        return;
    size_t bfrom, bto;
    if (control_text_block(root, l, &bfrom, &bto))
        first_control_ref(l, bfrom, bto, 1, &off, &cp);
    /* Where the source has it (rw: the edits that made the parsed text). */
    if (rw)
        off = md_rewrite_source(rw, off);
    if (off > src->len)
        off = src->len;
    int line = line_of(src, off), col = 1;
    for (size_t i = src->start[line - 1]; i < off; i++)
        col += ((unsigned char)src->data[i] & 0xC0) != 0x80;
    diag_warning(d, opt->file, line + opt->first_line - 1, col, "control-character",
                 "character reference to control character U+%04lX, published as %s",
                 (unsigned long)cp, cp == '\v' ? "a space" : "U+FFFD");
}

/* Parses text[0, len) with the GFM extensions: the document, and in
 * *parser the parser that owns the extensions' list (cmark-gfm frees it
 * with the parser). NULL if cmark-gfm fails; free *parser either way. */
static cmark_node *parse_text(cmark_parser **parser, const char *text, size_t len, int options)
{
    static const char *const names[] = {"table", "strikethrough", "autolink", "tagfilter",
                                        "tasklist"};
    cmark_node *root = NULL;
    *parser = cmark_parser_new_with_mem(options, &page_allocator);
    if (!*parser)
        return NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(names[i]);
        if (!ext)
            return NULL;
        cmark_parser_attach_syntax_extension(*parser, ext);
    }
    cmark_parser_feed(*parser, text, len); /* blocks: no shared state */
    pthread_mutex_lock(&parse_lock);
    root = cmark_parser_finish(*parser); /* inlines: the shared table */
    pthread_mutex_unlock(&parse_lock);
    return root;
}

/* Whether line s[0, n) is git's conflict marker of seven c ("<<<<<<<",
 * "=======", ">>>>>>>"): alone (=======) or followed by a space and a name. */
static int conflict_line(const char *s, size_t n, char c)
{
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n < 7)
        return 0;
    for (size_t i = 0; i < 7; i++)
        if (s[i] != c)
            return 0;
    return n == 7 || (c != '=' && (s[7] == ' ' || s[7] == '\t'));
}

/* Reports (conflict-marker) each unresolved merge conflict in the body:
 * a <<<<<<< line, then =======, then >>>>>>>, outside code blocks and HTML
 * blocks (bs: as the first parse found them, where a page may show one)
 * and Liquid's highlight blocks (blanked in text when it has any). */
static void report_conflicts(const char *text, size_t len, const block_scan *bs,
                             const md_options *opt, diags *d)
{
    int line = 0, open_at = 0, middle = 0;
    size_t kc = 0, kh = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        const char *s = text + at;
        line++;
        if (!meets(bs->code.v, bs->code.n, &kc, at, at + n + 1) &&
            !meets(bs->html.v, bs->html.n, &kh, at, at + n + 1)) {
            if (conflict_line(s, n, '<')) {
                open_at = line;
                middle = 0;
            } else if (open_at && conflict_line(s, n, '=')) {
                middle = 1;
            } else if (open_at && middle && conflict_line(s, n, '>')) {
                diag_error(d, opt->file, open_at + opt->first_line - 1, 1, "conflict-marker",
                           "unresolved merge conflict, from here to line %d",
                           line + opt->first_line - 1);
                open_at = middle = 0;
            }
        }
        at += n + 1;
    }
}

int markdown_render(md_doc *out, const char *text, size_t len, const md_options *opt, diags *d)
{
    int err = -1;
    memset(out, 0, sizeof *out);
    buf_init(&out->html);
    buf clean, rewritten, blanked;
    buf_init(&clean);
    buf_init(&rewritten);
    buf_init(&blanked);
    cmark_parser *parser = NULL;
    cmark_node *root = NULL;
    cmark_llist *exts = NULL;
    size_t hcap = 0, lcap = 0;
    src_lines lines = {0}, parsed_lines = {0};
    link_cursor cursor = {0};
    id_set ids = {NULL, opt->heading_ids};
    block_scan bs = {.heads = NULL};
    md_liquid lq = {0};
    admonitions ad = {0};
    cmark_node **marks = NULL, **raws = NULL, **quotes = NULL;
    size_t n_marks = 0, cap_marks = 0, n_raws = 0, cap_raws = 0, n_quotes = 0, cap_quotes = 0;
    md_rewrite rw;
    md_rewrite_init(&rw);
    pos_map where = {&lines, &lines, NULL};
    int options = CMARK_OPT_FOOTNOTES | CMARK_OPT_GITHUB_PRE_LANG;
    if (opt->unsafe_html)
        options |= CMARK_OPT_UNSAFE;
    /* cmark-gfm's memory for this page: the generated policies of 4 KB
     * take 16 times their size on average, 63 KB at most; the budget is
     * 1 MB more than four times that. */
    page_mem mem = {arena_new(), 0,
                    opt->arena_budget
                        ? opt->arena_budget
                        : xsize_add(MEM_BUDGET_BASE, xsize_mul(len, MEM_BUDGET_PER_BYTE))};
    page_mem *outer = page_mem_now;
    page_mem_now = &mem;

    markdown_init();
    /* Valid text (nearly every page) is parsed in place, without a copy. */
    if (diag_check_text(&clean, text, len, opt->file, opt->first_line, d)) {
        text = clean.data;
        len = clean.len;
    }
    lines_init(&lines, text, len);
    md_markers mk;
    md_scan_markers(&mk, text, len);
    int conflicts = mk.conflicts;
    /* A Jekyll page's Liquid and kramdown's spaceless headings: found in
     * the source, edited out of (or into) a copy, which is parsed again.
     * Pages without either (nearly all) are parsed once. The first parse
     * finds the code blocks and paragraphs; it reads highlight blocks and
     * comments blanked, so that their text cannot open a code block. */
    int liquid = brace_pair(text, len, "%{#");
    int masked = liquid && md_liquid_mask(&blanked, text, len);
    if (!(root = parse_text(&parser, masked ? blanked.data : text, len, options)))
        goto done;
    int kramdown = opt->lax_headings && brace_pair(text, len, ":");
    int attrs = mk.attrs, boxes = mk.boxes, mkboxes = mk.mkboxes, mktabs = mk.mktabs,
        snippets = mk.snippets, helpers = mk.helpers, mdx = mk.mdx;
    int wiki = opt->wiki_links && mk.wiki;
    int pct = opt->wiki_links == MD_WIKI_OBSIDIAN && mk.pct;
    int toc = mk.toc, alerts = mk.alerts, fnbreaks = mk.fnbreaks;
    scan_blocks(&bs, root, &lines,
                liquid || kramdown || attrs || boxes || mdx || mkboxes || mktabs || snippets ||
                    helpers || wiki || pct || toc || conflicts);
    if (conflicts)
        report_conflicts(masked ? blanked.data : text, len, &bs, opt, d);
    if (liquid) {
        md_liquid_scan(&lq, &rw, text, masked ? blanked.data : NULL, len, bs.code.v, bs.code.n,
                       opt);
        report_liquid(&lq, &lines, opt, d);
        liquid_boxes(&lq, &rw, text, &ad);
    }
    if (kramdown)
        kramdown_markers(&bs, &rw, &lines, &ad);
    if (kramdown || attrs)
        kramdown_spans(&bs, &rw, &lines, kramdown);
    if (boxes)
        admonition_markers(&bs, &rw, &lines, &ad);
    if (mdx)
        mdx_markers(&bs, &rw, &lines, opt, d);
    if (pct) {
        obsidian_comments(&bs, &rw, &lines);
        /* A box's title is taken from its line as written: its comments
         * go too. */
        for (size_t i = 0; i < ad.n; i++)
            if (ad.v[i].title)
                drop_pct_comments(ad.v[i].title);
    }
    if (toc)
        toc_markers(&bs, &rw, &lines);
    if (mkboxes)
        mkdocs_admonitions(&bs, &rw, &lines, &ad);
    if (mktabs)
        mkdocs_tabs(&bs, &rw, &lines);
    if (snippets)
        mkdocs_snippets(&bs, &rw, &lines, opt, d);
    if (helpers)
        docsify_helpers(&bs, &rw, &lines);
    if (wiki)
        wiki_links(&bs, &rw, &lines, opt->wiki_links);
    md_rewrite_sort(&rw);
    spaceless_headings(&bs, &lq, &rw, &lines, opt, d);
    if (rw.n_edits || masked) {
        md_rewrite_apply(&rw, text, len);
        cmark_node_free(root);
        cmark_parser_free(parser);
        if (!(root = parse_text(&parser, rw.text.data, rw.text.len, options)))
            goto done;
        lines_init(&parsed_lines, rw.text.data, rw.text.len);
        where = (pos_map){&parsed_lines, &lines, &rw};
    }
    /* Footnote labels over a line break, found in the text as parsed
     * (after Liquid's and the other edits, which may add or take away a
     * backtick), added to the edits of the source, parsed again. */
    if (fnbreaks) {
        int edited = rw.n_edits || masked;
        block_scan fb = {.heads = NULL};
        md_rewrite fix;
        md_rewrite_init(&fix);
        scan_blocks(&fb, root, edited ? &parsed_lines : &lines, 2);
        footnote_breaks(&fb, &fix, edited ? &parsed_lines : &lines, edited ? rw.text.data : text);
        for (size_t k = 0; k < fix.n_edits; k++) {
            size_t at = edited ? md_rewrite_source(&rw, fix.edits[k].start) : fix.edits[k].start;
            md_rewrite_replace(&rw, at, at, "<!---->", 7);
        }
        if (fix.n_edits) {
            md_rewrite_apply(&rw, text, len);
            cmark_node_free(root);
            cmark_parser_free(parser);
            root = parse_text(&parser, rw.text.data, rw.text.len, options);
            free(parsed_lines.start);
            lines_init(&parsed_lines, rw.text.data, rw.text.len);
            where = (pos_map){&parsed_lines, &lines, &rw};
        }
        md_rewrite_release(&fix);
        md_ranges_release(&fb.code);
        md_ranges_release(&fb.html);
        md_ranges_release(&fb.texts);
        free(fb.heads);
        if (!root)
            goto done;
    }

    /* Collect first, then mutate: replacing nodes during iteration is unsafe. */
    size_t acap = 0;
    cmark_node **heads = NULL;
    size_t nh = 0, hc = 0;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HEADING) {
            if (nh == hc) {
                hc = hc ? hc * 2 : 8;
                heads = xrealloc(heads, hc * sizeof *heads);
            }
            heads[nh++] = n;
        } else if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
            add_link(out, &lcap, n, opt, &where, &cursor);
            const char *url = cmark_node_get_url(n);
            buf_reset(&rewritten);
            if (opt->rewrite && url && opt->rewrite(opt->rewrite_ctx, url, &rewritten))
                cmark_node_set_url(n, rewritten.data);
            /* cmark-gfm's rule, applied here: the page is rendered with
             * CMARK_OPT_UNSAFE, which turns its own off. */
            url = cmark_node_get_url(n);
            if (url && dangerous_url(url, t == CMARK_NODE_IMAGE))
                cmark_node_set_url(n, "");
        } else if (t == CMARK_NODE_BLOCK_QUOTE && alerts) {
            if (n_quotes == cap_quotes) {
                cap_quotes = cap_quotes ? cap_quotes * 2 : 8;
                quotes = xrealloc(quotes, cap_quotes * sizeof *quotes);
            }
            quotes[n_quotes++] = n;
        } else if (ad.n && (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) &&
                   admonition_marker(n, &ad) >= 0) {
            if (n_marks == cap_marks) {
                cap_marks = cap_marks ? cap_marks * 2 : 8;
                marks = xrealloc(marks, cap_marks * sizeof *marks);
            }
            marks[n_marks++] = n;
        } else if (t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK) {
            const char *lit = cmark_node_get_literal(n);
            if (lit && !opt->unsafe_html) {
                /* What a page may hold of it (html_safe.h), in place: the
                 * page is rendered with CMARK_OPT_UNSAFE, every node of raw
                 * HTML so made safe. The anchors are those it keeps; a
                 * node with nothing kept (a script) goes, blank line and
                 * all. */
                buf_reset(&rewritten);
                raw_links rl = {out, &lcap, opt, &where, &cursor, n, lit};
                html_safe_append_urls(&rewritten, lit, strlen(lit), raw_link, &rl);
                cmark_node_set_literal(n, rewritten.data ? rewritten.data : "");
                lit = cmark_node_get_literal(n);
                if (!lit || !lit[strspn(lit, " \t\r\n")]) {
                    if (n_raws == cap_raws) {
                        cap_raws = cap_raws ? cap_raws * 2 : 8;
                        raws = xrealloc(raws, cap_raws * sizeof *raws);
                    }
                    raws[n_raws++] = n;
                }
            }
            if (lit)
                add_html_anchors(out, &acap, lit);
        }
    }
    cmark_iter_free(it);
    admonition_boxes(marks, n_marks, &ad);
    for (size_t i = 0; i < n_quotes; i++)
        alert_box(quotes[i]);
    for (size_t i = 0; i < n_raws; i++)
        cmark_node_free(raws[i]); /* unlinks it */
    free(raws);
    raws = NULL;
    exts = cmark_parser_get_syntax_extensions(parser);
    /* The title's heading opens the page, after HTML comments at most. */
    cmark_node *opener = cmark_node_first_child(root);
    while (opener && comment_block(opener))
        opener = cmark_node_next(opener);
    int drop_title = nh && opt->title && heads[0] == opener &&
                     cmark_node_get_heading_level(heads[0]) == 1 &&
                     same_title(heads[0], opt->title);
    for (size_t i = 0; i < nh; i++) {
        /* Its raw HTML made safe above, as the page's is (GitBook's
         * `## MFA <a id="mfa"></a>`: without, "raw HTML omitted"). */
        add_heading(out, &ids, heads[i], &hcap, options | CMARK_OPT_UNSAFE, exts);
        md_heading *h = &out->headings[out->n_headings - 1];
        if (i == 0 && drop_title) {
            /* heads[0]'s replacement, after the comments before it: its
             * heading goes (the layout shows the title), its id stays, so
             * that a link to it (which the checks accept) leads there. */
            cmark_node *cb = cmark_node_first_child(root);
            while (cb && comment_block(cb))
                cb = cmark_node_next(cb);
            buf anchor;
            buf_init(&anchor);
            buf_adds(&anchor, "<span id=\"");
            buf_add_html(&anchor, h->id, strlen(h->id));
            buf_adds(&anchor, "\"></span>");
            cmark_node_set_on_enter(cb, anchor.data);
            buf_release(&anchor);
        }
        int col = 0;
        to_source(&where, &h->line, &col);
        h->line += opt->first_line - 1;
    }
    free(heads);

    /* A page with a reference to a control character (very rare) is
     * rendered under skip_html too, so that charter check finds what a
     * build does. */
    size_t ref_off = 0;
    long ref_cp = 0;
    /* In the text as parsed: Liquid's edits may join one. */
    const src_lines *pl = where.parsed;
    int control_ref =
        (mk.refs || where.rw) && first_control_ref(pl, 0, pl->len, 0, &ref_off, &ref_cp);
    if (!opt->skip_html || control_ref) {
        /* Every node of raw HTML is as html_safe made it (or, under
         * unsafe_html, as written), every address checked above. */
        char *html = cmark_render_html(root, options | CMARK_OPT_UNSAFE, exts);
        if (!html)
            goto done;
        size_t from = out->html.len;
        add_labelled_checkboxes(&out->html, html);
        mem_free(html);
        if (control_ref)
            repair_control_refs(&out->html, from, root, pl, where.rw, &lines, ref_off, ref_cp, opt,
                                d);
        if (opt->skip_html)
            buf_truncate(&out->html, from);
    }
    /* Kept for the whole build (links and anchors are checked, headings
     * listed): at their size, not their last doubling. */
    if (out->n_headings)
        out->headings = xrealloc(out->headings, out->n_headings * sizeof *out->headings);
    if (out->n_links)
        out->links = xrealloc(out->links, out->n_links * sizeof *out->links);
    if (out->n_anchors)
        out->anchors = xrealloc(out->anchors, out->n_anchors * sizeof *out->anchors);
    err = 0;
done:
    map_free(ids.taken);
    if (root)
        cmark_node_free(root);
    if (parser)
        cmark_parser_free(parser);
    page_mem_now = outer;
    arena_free(mem.a);
    out->arena_used = mem.used;
    free(lines.start);
    free(parsed_lines.start);
    md_ranges_release(&bs.code);
    md_ranges_release(&bs.html);
    md_ranges_release(&bs.texts);
    free(bs.heads);
    md_liquid_release(&lq);
    admonitions_release(&ad);
    free(marks);
    free(raws);
    free(quotes);
    md_rewrite_release(&rw);
    buf_release(&clean);
    buf_release(&rewritten);
    buf_release(&blanked);
    if (err)
        markdown_release(out);
    return err;
}

void markdown_release(md_doc *doc)
{
    if (!doc)
        return;
    buf_release(&doc->html);
    for (size_t i = 0; !doc->strings && i < doc->n_headings; i++) {
        free(doc->headings[i].id);
        free(doc->headings[i].text);
    }
    free(doc->headings);
    for (size_t i = 0; !doc->strings && i < doc->n_links; i++)
        free(doc->links[i].url);
    free(doc->links);
    for (size_t i = 0; !doc->strings && i < doc->n_anchors; i++)
        free(doc->anchors[i]);
    free(doc->anchors);
    free(doc->strings);
    memset(doc, 0, sizeof *doc);
    buf_init(&doc->html);
}

const char *markdown_cmark_version(void)
{
    return cmark_version_string();
}

/* Finds the marks ` id="` and ` href="#` by their '=' (rare in rendered
 * HTML outside attributes) with memchr: memmem for each mark over every
 * body was a fifth of the handbook's time. */
void markdown_prefix_ids(buf *out, const char *html, size_t len, const char *prefix)
{
    const char *p = html, *end = html + len;
    for (const char *eq = len ? memchr(html, '=', len) : NULL; eq;
         eq = eq + 1 < end ? memchr(eq + 1, '=', (size_t)(end - eq - 1)) : NULL) {
        const char *mark = NULL, *after = NULL;
        if (eq - p >= 3 && !memcmp(eq - 3, " id", 3) && end - eq >= 2 && eq[1] == '"') {
            mark = eq - 3;
            after = eq + 2;
        } else if (eq - p >= 5 && !memcmp(eq - 5, " href", 5) && end - eq >= 3 && eq[1] == '"' &&
                   eq[2] == '#') {
            mark = eq - 5;
            after = eq + 3;
        }
        if (!mark)
            continue;
        buf_add(out, p, (size_t)(after - p));
        buf_adds(out, prefix);
        buf_addc(out, '-');
        p = after;
        eq = after - 1;
    }
    buf_add(out, p, (size_t)(end - p));
}
