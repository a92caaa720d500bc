/* parse: Markdown of every page, once, in parallel (see parse.h). */
#include "parse.h"

#include "fs.h"
#include "parse_int.h"
#include "pool.h"
#include "site.h"
#include "watchdog.h"
#include "yamltree.h"

#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEARCH_TEXT_MAX 1500

typedef struct parse_job {
    const site *s;
    parsed *p;
    diags *d;
    page **release; /* a build's pages, whose bytes are freed once parsed; or NULL */
} parse_job;

/* Whether the tag name s[0..n) (any case) is one of the block elements,
 * which separate words (inline ones, such as a, em and code, do not). */
static int is_block_tag(const char *s, size_t n)
{
    static const char *const blocks[] = {"p",  "li", "h1", "h2", "h3",         "h4",   "h5",
                                         "h6", "br", "td", "th", "tr",         "div",  "pre",
                                         "ul", "ol", "dt", "dd", "blockquote", "table"};
    char low[11];
    if (n == 0 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    low[n] = '\0';
    for (size_t k = 0; k < sizeof blocks / sizeof *blocks; k++)
        if (blocks[k][0] == low[0] && !strcmp(blocks[k], low))
            return 1;
    return 0;
}

/* The byte classes parse_plain_text stops at: 1 for '<', '&' and
 * whitespace; every other byte is copied as it is. */
static const unsigned char plain_stop[256] = {
    ['<'] = 1, ['&'] = 1, [' '] = 1, ['\n'] = 1, ['\t'] = 1, ['\r'] = 1};

/* Copies the runs of ordinary bytes whole: the old byte-at-a-time loop, with
 * twenty string compares per tag, was 2% of a cold build. */
char *parse_plain_text(const char *html, size_t len, size_t max)
{
    buf out;
    buf_init(&out);
    int space = 1;
    size_t i = 0;
    while (i < len && out.len < max) {
        /* A run of bytes copied as they are, at most up to max: a single
         * space between two of them is one of them (nothing to fold). */
        size_t run = i;
        while (run < len && (!plain_stop[(unsigned char)html[run]] ||
                             (html[run] == ' ' && run > i && run + 1 < len &&
                              !plain_stop[(unsigned char)html[run + 1]])))
            run++;
        if (run > i) {
            size_t n = run - i < max - out.len ? run - i : max - out.len;
            buf_add(&out, html + i, n);
            i += n;
            space = 0;
            continue;
        }
        char c = html[i];
        if (c == '<') {
            /* The tag's name, then to its end; a block element's end is a
             * space. */
            size_t j = i + 1 + (i + 1 < len && html[i + 1] == '/');
            size_t e = j;
            while (e < len && isalnum((unsigned char)html[e]))
                e++;
            int block = is_block_tag(html + j, e - j);
            const char *gt = memchr(html + i + 1, '>', len - i - 1);
            if (!gt)
                break; /* the rest is inside the tag */
            i = (size_t)(gt - html) + 1;
            if (block && !space) {
                buf_addc(&out, ' ');
                space = 1;
            }
            continue;
        }
        if (c == '&') {
            static const struct {
                const char *ent;
                size_t len;
                char ch;
            } ents[] = {{"&amp;", 5, '&'},
                        {"&lt;", 4, '<'},
                        {"&gt;", 4, '>'},
                        {"&quot;", 6, '"'},
                        {"&#39;", 5, '\''}};
            size_t k = 0;
            while (k < sizeof ents / sizeof *ents &&
                   !(len - i >= ents[k].len && !memcmp(html + i, ents[k].ent, ents[k].len)))
                k++;
            if (k < sizeof ents / sizeof *ents) {
                buf_addc(&out, ents[k].ch);
                i += ents[k].len;
            } else {
                buf_addc(&out, '&');
                i++;
            }
            space = 0;
            continue;
        }
        /* Whitespace: a run folds to one space. */
        if (!space)
            buf_addc(&out, ' ');
        space = 1;
        i++;
    }
    if (out.len >= max)
        out.len = utf8_whole_len(out.data, out.len); /* cut by max */
    while (out.len && out.data[out.len - 1] == ' ')
        out.len--;
    out.data[out.len] = '\0';
    return buf_detach(&out);
}

/* Links are written relative to the page's source file, so they work on
 * GitHub too; site_rewrite_link makes them work from its pretty URL. */
typedef struct link_ctx {
    const site *s;
    const page *p;
} link_ctx;

static int rewrite_link(void *arg, const char *url, buf *out)
{
    const link_ctx *c = arg;
    return site_rewrite_link(out, c->s, c->p, url);
}

static int hugo_ref(void *arg, const char *path, size_t len, buf *out)
{
    const link_ctx *c = arg;
    return site_hugo_ref(out, c->s, c->p, path, len);
}

/* Page p's key: its bytes by their digest (text_hex), its place, its
 * title, where its body starts, and what every page's rendering depends
 * on. */
static void page_key(char key[DIGEST_HEX], const parsed *pa, const page *p, const char *text_hex)
{
    digest *h = digest_new();
    digest_add(h, pa->global, DIGEST_HEX);
    const char *parts[] = {p->src, p->rel, p->url, p->title ? p->title : "\x01", text_hex};
    for (size_t k = 0; k < sizeof parts / sizeof *parts; k++)
        digest_add(h, parts[k], strlen(parts[k]) + 1);
    int line = p->fm.body_line;
    digest_add(h, &line, sizeof line);
    size_t start = p->fm.body_start;
    digest_add(h, &start, sizeof start);
    /* Its front matter as read, defaults: included, which {{ page.x }}
     * names. */
    digest_add(h, p->fm_hex, DIGEST_HEX);
    digest_hex(h, key);
    digest_free(h);
}

/* Sets page i's key (with a cache). Returns 1 when the cache held it and
 * filled page i from it. */
static int key_and_fill(parse_job *j, size_t i)
{
    const page *p = j->s->pages[i];
    parsed *pa = j->p;
    /* A build's load kept the digest of the page's bytes (site.reread): a
     * hit needs neither the bytes nor a second digest of them. */
    char text_hex[DIGEST_HEX];
    if (!p->text_hex[0])
        digest_of(text_hex, p->text.data, p->text.len);
    page_key(pa->keys[i], pa, p, p->text_hex[0] ? p->text_hex : text_hex);
    if (!parse_cache_fill(pa, i))
        return 0;
    for (size_t k = 0; k < pa->n_notes[i]; k++) {
        const parse_note *n = &pa->notes[i][k];
        diag_report(j->d, (diag_level)n->level, p->src, n->line, n->col, n->id, "%s", n->message);
    }
    return 1;
}

/* The Liquid variables page p's body may name (md_options.liquid_vars):
 * the site's, then page.title and page.url, and each scalar at the top of
 * its front matter as page.<key> (Jekyll's `# {{ page.title }}`) and
 * $frontmatter.<key> (VitePress's). All of them come from what the parse
 * cache's key holds (the page's bytes, title and URL). own[0..n_own) are
 * the names made here, for page_vars_release. */
typedef struct page_vars {
    const char **v;
    char **own;
    size_t n_own;
} page_vars;

static void page_vars_init(page_vars *pv, const site *s, const page *p)
{
    size_t n_site = 0, n_fm = yamltree_len(p->fm.data);
    while (s->liquid_vars[n_site])
        n_site++;
    pv->v = xcalloc(n_site + 4 + 4 * n_fm + 1, sizeof *pv->v);
    pv->own = xcalloc(2 * n_fm + 1, sizeof *pv->own);
    pv->n_own = 0;
    size_t i = 0;
    for (; i < n_site; i++)
        pv->v[i] = s->liquid_vars[i];
    if (p->title) {
        pv->v[i++] = "page.title";
        pv->v[i++] = p->title;
    }
    pv->v[i++] = "page.url";
    pv->v[i++] = p->url;
    for (size_t k = 0; k < n_fm; k++) {
        const char *key = yamltree_text(yamltree_key(p->fm.data, k));
        const yaml_node *val = yamltree_item(p->fm.data, k);
        const char *text = yamltree_text(val);
        if (!key || !text || strlen(text) != yamltree_text_len(val))
            continue;
        static const char *const prefixes[] = {"page.", "$frontmatter."};
        for (size_t f = 0; f < 2; f++) {
            buf name;
            buf_init(&name);
            buf_printf(&name, "%s%s", prefixes[f], key);
            pv->own[pv->n_own] = buf_detach(&name);
            pv->v[i++] = pv->own[pv->n_own++];
            pv->v[i++] = text;
        }
    }
    pv->v[i] = NULL;
}

static void page_vars_release(page_vars *pv)
{
    for (size_t k = 0; k < pv->n_own; k++)
        free(pv->own[k]);
    free(pv->own);
    free(pv->v);
}

_Static_assert(WIKI_OBSIDIAN == MD_WIKI_OBSIDIAN, "site.yml's wiki_links is md_options'");

/* Renders the Markdown of page p's bytes text[0..len) into doc, as every
 * build does (its links rewritten through lc), reporting through d. */
static int render_page_text(md_doc *doc, const site *s, const page *p, const char *text, size_t len,
                            link_ctx *lc, int skip_html, diags *d)
{
    /* Only a body with a {{ ... }} names them: the others (nearly all)
     * skip the page's list. */
    page_vars pv = {NULL, NULL, 0};
    if (memmem(text + p->fm.body_start, len - p->fm.body_start, "{{", 2))
        page_vars_init(&pv, s, p);
    md_options opt = {.file = p->src,
                      .first_line = p->fm.body_line,
                      .unsafe_html = s->cfg.unsafe_html,
                      .rewrite = rewrite_link,
                      .ref = hugo_ref,
                      .rewrite_ctx = lc,
                      .skip_html = skip_html,
                      .lax_headings = s->cfg.lax_headings,
                      .wiki_links = s->cfg.wiki_links,
                      .heading_ids = site_heading_ids(&s->cfg),
                      .liquid_vars = pv.v ? pv.v : s->liquid_vars,
                      .title = p->title};
    /* Debian's cmark-gfm is quadratic on some inputs (docs/security.md):
     * past limits.page_seconds the watchdog ends the run, naming the page. */
    int token =
        watchdog_enter(p->src, "its Markdown", s->cfg.limits.page_seconds, "limits.page_seconds");
    int rc = markdown_render(doc, text + p->fm.body_start, len - p->fm.body_start, &opt, d);
    watchdog_leave(token);
    page_vars_release(&pv);
    return rc;
}

/* Parses page i from its bytes (p->text). */
static void parse_one(parse_job *j, size_t i)
{
    const page *p = j->s->pages[i];
    parsed_page *pp = &j->p->pages[i];
    parsed *pa = j->p;
    link_ctx lc = {j->s, p};
    /* Its diagnostics are kept for the cache, then passed on. */
    diags *own = pa->keys ? diag_new(NULL) : NULL;
    int rc = render_page_text(&pp->doc, j->s, p, p->text.data, p->text.len, &lc, j->p->html_fd < 0,
                              own ? own : j->d);
    if (own) {
        size_t n;
        const diag_entry *e = diag_entries(own, &n);
        pa->notes[i] = xcalloc(n ? n : 1, sizeof *pa->notes[i]);
        pa->n_notes[i] = n;
        for (size_t k = 0; k < n; k++) {
            parse_note *note = &pa->notes[i][k];
            note->level = (int)e[k].level;
            note->line = e[k].line;
            note->col = e[k].col;
            note->id = xstrdup(e[k].id);
            note->message = xstrdup(e[k].message);
            diag_report(j->d, e[k].level, e[k].file, e[k].line, e[k].col, e[k].id, "%s",
                        e[k].message);
        }
        diag_free(own);
    }
    if (rc != 0) {
        diag_error(j->d, p->src, 0, 0, "markdown", "cannot render Markdown");
        return;
    }
    pp->ok = 1;
    if (j->p->html_fd < 0)
        return;
    /* With a cache, the digest of what search.json will show of the page,
     * so that the next build knows it without reading the HTML back. */
    if (pa->keys) {
        char *text = parse_plain_text(pp->doc.html.data, pp->doc.html.len, SEARCH_TEXT_MAX);
        size_t text_len = strlen(text);
        digest_of(pp->text_key, text, text_len);
        /* And a check of its HTML (digest_check), which the next build makes
         * again as it reads it back from the cache. */
        digest_check_of(pp->html_key, pp->doc.html.data, pp->doc.html.len);
        /* The text to the texts' scratch file, where search reads it
         * (parsed_text) rather than make it from the HTML again; should the
         * write fail, it does. */
        if (j->p->text_fd >= 0 && text_len) {
            pp->text_off = atomic_fetch_add(&j->p->text_end, (unsigned long long)text_len);
            if (fs_pwrite_all(j->p->text_fd, text, text_len, (off_t)pp->text_off) == 0)
                pp->text_len = text_len;
        }
        free(text);
    }
    /* The HTML to the scratch file, at a place of its own. */
    const buf *h = &pp->doc.html;
    pp->off = atomic_fetch_add(&j->p->end, (unsigned long long)h->len);
    pp->len = h->len;
    if (fs_pwrite_all(j->p->html_fd, h->data, h->len, (off_t)pp->off) != 0) {
        diag_error(j->d, NULL, 0, 0, "io", "cannot write the parsed pages' scratch file: %s",
                   strerror(errno ? errno : EIO));
        j->p->failed = 1;
    }
    buf_release(&pp->doc.html);
}

static void parse_page(void *arg, size_t i)
{
    parse_job *j = arg;
    const page *p = j->s->pages[i];
    if (!p->ok || !p->published)
        return;
    if (j->p->keys && key_and_fill(j, i))
        return;
    /* A build's load kept only the digest of the page's bytes (site.reread):
     * a page the cache did not hold is read again here, one at a time. */
    if (j->release && site_page_reread(j->s, j->release[i], j->d) != 0) {
        atomic_store(&j->p->failed, 1);
        return;
    }
    parse_one(j, i);
    /* At 10,000 pages their bytes are 40 MB, while the history is read
     * beside the parse: freed page by page, not at the end. */
    if (j->release)
        buf_release(&j->release[i]->text);
}

static parsed *parse_run(const site *s, page **release, int html_fd, int text_fd,
                         const char *cache_path, parse_cache *old, diags *d)
{
    parsed *p = xcalloc(1, sizeof *p);
    size_t n = s->n_pages ? s->n_pages : 1;
    p->n = s->n_pages;
    p->pages = xcalloc(n, sizeof *p->pages);
    p->html_fd = html_fd;
    p->text_fd = text_fd;
    p->s = s;
    atomic_init(&p->end, 0);
    atomic_init(&p->text_end, 0);
    atomic_init(&p->failed, 0);
    atomic_init(&p->hits, 0);
    if (cache_path && html_fd >= 0) {
        p->cache_path = xstrdup(cache_path);
        p->old = old;
        old = NULL;
        p->keys = xcalloc(n, sizeof *p->keys);
        p->notes = xcalloc(n, sizeof *p->notes);
        p->n_notes = xcalloc(n, sizeof *p->n_notes);
        parse_cache_global(p->global, s);
    }
    parse_cache_free(old); /* not wanted: no cache is kept */
    parse_job j = {s, p, d, release};
    markdown_init();
    pool_run(s->n_pages, parse_page, &j);
    /* Every page that could be is filled from it: 19 MB at 10,000 pages. */
    parse_cache_forget_index(p->old);
    return p;
}

parsed *parse_site(const site *s, int html_fd, diags *d)
{
    return parse_run(s, NULL, html_fd, -1, NULL, NULL, d);
}

parsed *parse_site_cached(site *s, int html_fd, const char *cache_path, diags *d)
{
    parse_cache *old = cache_path && html_fd >= 0 ? parse_cache_open(cache_path) : NULL;
    return parse_run(s, s->pages, html_fd, -1, cache_path, old, d);
}

parsed *parse_site_opened(site *s, int html_fd, int text_fd, const char *cache_path,
                          parse_cache *old, diags *d)
{
    return parse_run(s, s->pages, html_fd, text_fd, cache_path, old, d);
}

const char *parsed_page_key(const parsed *p, size_t i)
{
    return p && p->keys && i < p->n && p->keys[i][0] ? p->keys[i] : NULL;
}

const char *parsed_text_key(const parsed *p, size_t i)
{
    return p && p->keys && i < p->n && p->pages[i].text_key[0] ? p->pages[i].text_key : NULL;
}

size_t parsed_cache_hits(const parsed *p)
{
    return p ? atomic_load(&p->hits) : 0;
}

size_t parsed_cache_copies(const parsed *p)
{
    return p ? p->cache_copies : 0;
}

int parsed_failed(const parsed *p)
{
    return p && atomic_load(&p->failed);
}

void parsed_free(parsed *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        markdown_release(&p->pages[i].doc);
        for (size_t k = 0; p->notes && k < p->n_notes[i]; k++) {
            free(p->notes[i][k].id);
            free(p->notes[i][k].message);
        }
        if (p->notes)
            free(p->notes[i]);
    }
    parse_cache_free(p->old);
    free(p->cache_path);
    free(p->keys);
    free(p->notes);
    free(p->n_notes);
    free(p->pages);
    free(p);
}

const parsed_page *parsed_page_at(const parsed *p, size_t i)
{
    static const parsed_page none;
    return p && i < p->n ? &p->pages[i] : &none;
}

/* Appends up to `want` bytes of fd at off to out (fewer at the file's
 * end); at least `need` of them, else reports. Counts its reads in *reads
 * (may be NULL). Returns 0 or -1. */
static int read_at(int fd, unsigned long long off, size_t want, size_t need, buf *out,
                   size_t *reads, diags *d)
{
    buf_grow(out, want);
    size_t done = 0;
    while (done < want) {
        ssize_t n = pread(fd, out->data + out->len + done, want - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (reads)
            (*reads)++;
        if (n < 0 || (n == 0 && done < need))
            return diag_error(d, NULL, 0, 0, "io", "cannot read the parsed pages' scratch file: %s",
                              n < 0 ? strerror(errno) : "short read");
        if (n == 0)
            break;
        done += (size_t)n;
    }
    out->len += done;
    out->data[out->len] = '\0';
    return 0;
}

/* Page i's HTML made again from its file, appended to out, when the
 * previous build's cache held other bytes than its digest: the file must
 * be the one its key was made from (else it changed during the build).
 * Its diagnostics were given from the cache already. 0, or -1 after
 * reporting. */
static int parse_again(const parsed *pa, size_t i, buf *out, diags *d)
{
    const site *s = pa->s;
    const page *p = s->pages[i];
    buf text;
    buf_init(&text);
    md_doc doc = {0};
    diags *quiet = diag_new(NULL);
    int err = -1;
    if (fs_read_source(&text, &s->fs, p->src, s->cfg.limits.page_bytes, "limits.page_bytes", d) !=
        0)
        goto done;
    char hex[DIGEST_HEX], key[DIGEST_HEX];
    digest_of(hex, text.data, text.len);
    page_key(key, pa, p, hex);
    link_ctx lc = {s, p};
    if (strcmp(key, pa->keys[i]) != 0 || text.len < p->fm.body_start)
        diag_error(d, p->src, 0, 0, "io", "'%s' changed during the build; build again", p->src);
    else if (render_page_text(&doc, s, p, text.data, text.len, &lc, 0, quiet) != 0)
        diag_error(d, p->src, 0, 0, "markdown", "cannot render Markdown");
    else {
        buf_add(out, doc.html.data, doc.html.len);
        err = 0;
    }
done:
    markdown_release(&doc);
    diag_free(quiet);
    buf_release(&text);
    return err;
}

/* Checks page i's HTML, appended to out from `from` on, when it came from
 * the previous build's cache: bytes that do not match its digest are
 * replaced by the page parsed again, and the cache is marked damaged
 * (parse_cache_drop_damaged). 0, or -1 after reporting. */
static int checked(const parsed *p, size_t i, buf *out, size_t from, diags *d)
{
    const parsed_page *pp = &p->pages[i];
    if (!pp->in_cache)
        return 0;
    char hex[DIGEST_CHECK_HEX];
    digest_check_of(hex, out->data + from, out->len - from);
    if (strcmp(hex, pp->html_key) == 0)
        return 0;
    atomic_store(&p->old->damaged, 1);
    out->len = from;
    out->data[from] = '\0';
    return parse_again(p, i, out, d);
}

int parsed_html(const parsed *p, size_t i, buf *out, diags *d)
{
    const parsed_page *pp = parsed_page_at(p, i);
    if (!pp->len)
        return 0;
    size_t from = out->len;
    if (read_at(pp->in_cache ? p->old->fd : p->html_fd, pp->off, pp->len, pp->len, out, NULL, d) !=
        0)
        return -1;
    return checked(p, i, out, from, d);
}

/* A parsed_reader's window, and how far ahead of the last page read the
 * next may start and still be taken as read in order. */
enum { READER_WINDOW = 256 << 10, READER_AHEAD = 64 << 10 };

void parsed_reader_init(parsed_reader *r, const parsed *p)
{
    *r = (parsed_reader){.p = p, .win_fd = -1, .last_fd = -1};
    buf_init(&r->win);
}

void parsed_reader_release(parsed_reader *r)
{
    if (r)
        buf_release(&r->win);
}

/* Appends fd's bytes [off, off + len) to out through r's window: read a
 * window's worth at a time while the reads go forward. 0, or -1 after
 * reporting. */
static int read_through(parsed_reader *r, int fd, unsigned long long off, size_t len, buf *out,
                        diags *d)
{
    unsigned long long end = off + len;
    int in_order = fd == r->last_fd && off >= r->last_end && off - r->last_end < READER_AHEAD;
    int held = fd == r->win_fd && off >= r->from && end <= r->from + r->win.len;
    int err = 0;
    if (!held && in_order && len <= READER_WINDOW / 2) {
        buf_reset(&r->win);
        r->win_fd = -1;
        r->from = off;
        err = read_at(fd, off, READER_WINDOW, len, &r->win, &r->reads, d);
        if (err == 0)
            r->win_fd = fd;
        held = err == 0;
    }
    if (held)
        buf_add(out, r->win.data + (off - r->from), len);
    else if (err == 0)
        err = read_at(fd, off, len, len, out, &r->reads, d);
    r->last_fd = fd;
    r->last_end = end;
    return err;
}

int parsed_read_html(parsed_reader *r, size_t i, buf *out, diags *d)
{
    const parsed_page *pp = parsed_page_at(r->p, i);
    if (!pp->len)
        return 0;
    size_t from = out->len;
    int err =
        read_through(r, pp->in_cache ? r->p->old->fd : r->p->html_fd, pp->off, pp->len, out, d);
    return err ? err : checked(r->p, i, out, from, d);
}

int parsed_text(char **out, parsed_reader *r, size_t i, diags *d)
{
    const parsed_page *pp = parsed_page_at(r->p, i);
    buf html;
    buf_init(&html);
    if (pp->text_len) {
        /* Parsed by this build: its text is in the texts' scratch file. */
        int err = read_through(r, r->p->text_fd, pp->text_off, pp->text_len, &html, d);
        *out = err ? NULL : buf_detach(&html);
        buf_release(&html);
        return err;
    }
    int err = parsed_read_html(r, i, &html, d);
    *out = err ? NULL : parse_plain_text(html.data, html.len, SEARCH_TEXT_MAX);
    buf_release(&html);
    return err;
}
