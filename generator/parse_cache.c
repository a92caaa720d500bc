/* parse_cache: every page's parsed Markdown, kept from one build to the
 * next in <git dir>/charter/parse.cache, so a rebuild renders only the
 * pages whose inputs changed. A page's key digests its file's bytes, its
 * place and title, and what every rendering reads (parse_cache_global); a
 * hit gives back its headings, links, anchors, its search text's digest,
 * HTML and diagnostics. The file holds the HTML of every page, then an
 * index, then a trailer: the index's offset and length, a magic string and
 * the check (digest_check) of the index and of those, checked before
 * anything is used (a damaged index is ignored, never half believed). Each
 * record holds the check of its page's HTML, checked whenever that HTML is
 * read back (parse.c): an edit reads back only the pages it renders, where
 * checking the whole file read and hashed 39 MB at 10,000 pages, twice. A
 * build that parsed some pages adds their HTML, an index and a trailer to
 * the end of the file it read (append_in_place), until what it holds that
 * no index reads is over half of it: then the file is written anew. */
#include "parse_int.h"

#include "fs.h"
#include "markdown.h"
#include "site.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRAILER_MAGIC "charter-parse-c8" /* 16 bytes */
#define TRAILER_LEN 48                   /* offset, length, magic, check (hex) */
#define CACHE_MAX ((off_t)2 << 30)

/* --- the index's records ------------------------------------------------------- */

typedef struct reader {
    const char *p, *end;
    int bad;
    char *into; /* where get_str copies to, when set: a record's block */
} reader;

static uint64_t get_u64(reader *r)
{
    uint64_t v = 0;
    if (r->end - r->p < 8) {
        r->bad = 1;
        return 0;
    }
    memcpy(&v, r->p, 8);
    r->p += 8;
    return v;
}

static uint32_t get_u32(reader *r)
{
    uint32_t v = 0;
    if (r->end - r->p < 4) {
        r->bad = 1;
        return 0;
    }
    memcpy(&v, r->p, 4);
    r->p += 4;
    return v;
}

/* A string, copied (NUL-terminated); NULL for the null string or when the
 * record is short. */
static char *get_str(reader *r)
{
    uint32_t n = get_u32(r);
    if (r->bad || n == UINT32_MAX)
        return NULL;
    if ((size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return NULL;
    }
    char *s = r->into ? r->into : xmalloc((size_t)n + 1);
    if (r->into)
        r->into += (size_t)n + 1;
    memcpy(s, r->p, n);
    s[n] = '\0';
    r->p += n;
    return s;
}

/* A digest or check of `want` hex digits into hex, in place; 0, or -1
 * when the string is not one (or is null, or the record short). */
static int get_hex(reader *r, char *hex, size_t want)
{
    uint32_t n = get_u32(r);
    if (r->bad || n == UINT32_MAX)
        return -1;
    if ((size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return -1;
    }
    int ok = n == want && !memchr(r->p, '\0', n);
    if (ok) {
        memcpy(hex, r->p, n);
        hex[n] = '\0';
    }
    r->p += n;
    return ok ? 0 : -1;
}

/* Skips a string; for reading the index's keys. */
static void skip_str(reader *r)
{
    uint32_t n = get_u32(r);
    if (r->bad || n == UINT32_MAX)
        return;
    if ((size_t)(r->end - r->p) < n)
        r->bad = 1;
    else
        r->p += n;
}

static void put_u64(buf *b, uint64_t v)
{
    buf_add(b, (const char *)&v, 8);
}

static void put_u32(buf *b, uint32_t v)
{
    buf_add(b, (const char *)&v, 4);
}

static void put_str(buf *b, const char *s)
{
    if (!s) {
        put_u32(b, UINT32_MAX);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    buf_add(b, s, n);
}

/* A record: its length, key, HTML offset and length, the digest of the
 * start of its text (parsed_text_key), the digest of its HTML, headings,
 * links, anchors, diagnostics. The counts are bounded by what is left of the record, so a
 * corrupt count cannot make a huge allocation. */
static int read_record(reader *r, parsed_page *pp, parse_note **notes, size_t *n_notes)
{
    uint32_t total = get_u32(r);
    if (r->bad || total > (size_t)(r->end - r->p))
        return -1;
    r->end = r->p + total;
    skip_str(r); /* the key */
    pp->off = get_u64(r);
    pp->len = get_u64(r);
    char text_key[DIGEST_HEX];
    if (get_hex(r, text_key, DIGEST_HEX - 1) == 0)
        memcpy(pp->text_key, text_key, DIGEST_HEX);
    if (get_hex(r, pp->html_key, DIGEST_CHECK_HEX - 1) != 0)
        return -1; /* its HTML could not be checked */
    size_t left = (size_t)(r->end - r->p);
    md_doc *doc = &pp->doc;
    /* The headings', links' and anchors' texts in one block: each is its
     * bytes and a NUL where the record has its length, four bytes. */
    doc->strings = xmalloc(left + 1);
    r->into = doc->strings;
    uint32_t n = get_u32(r);
    if (r->bad || n > left / 12)
        return -1;
    doc->headings = xcalloc(n ? n : 1, sizeof *doc->headings);
    for (; doc->n_headings < n && !r->bad; doc->n_headings++) {
        md_heading *h = &doc->headings[doc->n_headings];
        h->level = (int)get_u32(r);
        h->line = (int)get_u32(r);
        h->id = get_str(r);
        h->text = get_str(r);
    }
    n = get_u32(r);
    if (r->bad || n > left / 16)
        return -1;
    doc->links = xcalloc(n ? n : 1, sizeof *doc->links);
    for (; doc->n_links < n && !r->bad; doc->n_links++) {
        md_link *l = &doc->links[doc->n_links];
        l->line = (int)get_u32(r);
        l->col = (int)get_u32(r);
        l->is_image = (int)get_u32(r);
        l->url = get_str(r);
    }
    n = get_u32(r);
    if (r->bad || n > left / 4)
        return -1;
    doc->anchors = xcalloc(n ? n : 1, sizeof *doc->anchors);
    for (; doc->n_anchors < n && !r->bad; doc->n_anchors++)
        doc->anchors[doc->n_anchors] = get_str(r);
    r->into = NULL; /* the notes' texts live as long as the parse, not the doc */
    n = get_u32(r);
    if (r->bad || n > left / 20)
        return -1;
    *notes = xcalloc(n ? n : 1, sizeof **notes);
    for (*n_notes = 0; *n_notes < n && !r->bad; (*n_notes)++) {
        parse_note *note = &(*notes)[*n_notes];
        note->level = (int)get_u32(r);
        note->line = (int)get_u32(r);
        note->col = (int)get_u32(r);
        note->id = get_str(r);
        note->message = get_str(r);
    }
    return r->bad ? -1 : 0;
}

static void write_record(buf *b, const char *key, const parsed_page *pp, unsigned long long off,
                         const parse_note *notes, size_t n_notes)
{
    const md_doc *doc = &pp->doc;
    size_t start = b->len;
    put_u32(b, 0); /* its length, set below */
    put_str(b, key);
    put_u64(b, off);
    put_u64(b, pp->len);
    put_str(b, pp->text_key);
    put_str(b, pp->html_key);
    put_u32(b, (uint32_t)doc->n_headings);
    for (size_t i = 0; i < doc->n_headings; i++) {
        put_u32(b, (uint32_t)doc->headings[i].level);
        put_u32(b, (uint32_t)doc->headings[i].line);
        put_str(b, doc->headings[i].id);
        put_str(b, doc->headings[i].text);
    }
    put_u32(b, (uint32_t)doc->n_links);
    for (size_t i = 0; i < doc->n_links; i++) {
        put_u32(b, (uint32_t)doc->links[i].line);
        put_u32(b, (uint32_t)doc->links[i].col);
        put_u32(b, (uint32_t)doc->links[i].is_image);
        put_str(b, doc->links[i].url);
    }
    put_u32(b, (uint32_t)doc->n_anchors);
    for (size_t i = 0; i < doc->n_anchors; i++)
        put_str(b, doc->anchors[i]);
    put_u32(b, (uint32_t)n_notes);
    for (size_t i = 0; i < n_notes; i++) {
        put_u32(b, (uint32_t)notes[i].level);
        put_u32(b, (uint32_t)notes[i].line);
        put_u32(b, (uint32_t)notes[i].col);
        put_str(b, notes[i].id);
        put_str(b, notes[i].message);
    }
    uint32_t total = (uint32_t)(b->len - start - 4);
    memcpy(b->data + start, &total, 4);
}

/* --- reading ------------------------------------------------------------------- */

void parse_cache_free(parse_cache *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    map_free(c->by_key);
    free(c->index);
    free(c);
}

/* The check (hex) the trailer holds: of the index, then of the trailer's
 * first 32 bytes (the index's offset and length, the magic). */
static void index_check(char hex[DIGEST_CHECK_HEX], const char *index, size_t len,
                        const char *trailer)
{
    digest_check *h = digest_check_new();
    digest_check_add(h, index, len);
    digest_check_add(h, trailer, 32);
    digest_check_hex(h, hex);
    digest_check_free(h);
}

parse_cache *parse_cache_open(const char *path)
{
    parse_cache *c = xcalloc(1, sizeof *c);
    c->fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    char trailer[TRAILER_LEN];
    if (c->fd < 0 || fstat(c->fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < TRAILER_LEN ||
        st.st_size > CACHE_MAX ||
        fs_pread_all(c->fd, trailer, TRAILER_LEN, st.st_size - TRAILER_LEN) != 0 ||
        memcmp(trailer + 16, TRAILER_MAGIC, 16) != 0)
        goto fail;
    uint64_t off, len;
    memcpy(&off, trailer, 8);
    memcpy(&len, trailer + 8, 8);
    if (off > (uint64_t)st.st_size || len != (uint64_t)st.st_size - TRAILER_LEN - off)
        goto fail;
    c->index_len = (size_t)len;
    c->index = xmalloc(c->index_len + 1);
    if (fs_pread_all(c->fd, c->index, c->index_len, (off_t)off) != 0)
        goto fail;
    /* The index against the trailer's digest; the HTML is checked page by
     * page as it is read back. */
    char hex[DIGEST_CHECK_HEX];
    index_check(hex, c->index, c->index_len, trailer);
    if (memcmp(hex, trailer + 32, DIGEST_CHECK_HEX - 1) != 0)
        goto fail;
    /* Each record: its length, its key, where its HTML lies; the rest is
     * read on a hit, within the record's length. */
    c->by_key = map_new();
    reader r = {c->index, c->index + c->index_len, 0, NULL};
    while (r.p < r.end) {
        const char *start = r.p;
        uint32_t total = get_u32(&r);
        if (r.bad || total > (size_t)(r.end - r.p))
            goto fail;
        reader rec = {r.p, r.p + total, 0, NULL};
        char *key = get_str(&rec);
        uint64_t html_off = get_u64(&rec), html_len = get_u64(&rec);
        int bad = !key || rec.bad || html_off + html_len > off || html_off + html_len < html_off;
        if (!bad)
            map_put(c->by_key, key, (void *)start);
        free(key);
        if (bad)
            goto fail;
        r.p += total;
    }
    c->n_records = map_count(c->by_key);
    return c;
fail:
    parse_cache_free(c);
    return NULL;
}

void parse_cache_forget_index(parse_cache *c)
{
    if (!c)
        return;
    map_free(c->by_key);
    c->by_key = NULL;
    free(c->index);
    c->index = NULL;
    c->index_len = 0;
}

int parse_cache_fill(parsed *p, size_t i)
{
    const char *start =
        p->old && p->old->by_key && p->keys[i][0] ? map_get(p->old->by_key, p->keys[i]) : NULL;
    if (!start)
        return 0;
    reader r = {start, p->old->index + p->old->index_len, 0, NULL};
    parsed_page *pp = &p->pages[i];
    if (read_record(&r, pp, &p->notes[i], &p->n_notes[i]) != 0) {
        /* A record that lies about its counts: parsed again instead. */
        markdown_release(&pp->doc);
        for (size_t k = 0; k < p->n_notes[i]; k++) {
            free(p->notes[i][k].id);
            free(p->notes[i][k].message);
        }
        free(p->notes[i]);
        p->notes[i] = NULL;
        p->n_notes[i] = 0;
        return 0;
    }
    pp->in_cache = 1;
    pp->ok = 1;
    atomic_fetch_add(&p->hits, 1);
    return 1;
}

/* --- keys ----------------------------------------------------------------------- */

static void add_str(digest *h, const char *s)
{
    /* With its length, so that ("ab", "c") and ("a", "bc") differ. */
    size_t n = s ? strlen(s) : (size_t)-1;
    digest_add(h, &n, sizeof n);
    if (s)
        digest_add(h, s, n);
}

void parse_cache_global(char hex[DIGEST_HEX], const site *s)
{
    digest *h = digest_new();
    add_str(h, "charter parse cache 1");
    add_str(h, CHARTER_VERSION);
    add_str(h, digest_self());
    add_str(h, markdown_version());
    add_str(h, s->cfg.base_url);
    add_str(h, s->cfg.content);
    /* Links leaving the pages lead to the repository's copies. */
    add_str(h, s->cfg.repository_url);
    add_str(h, s->cfg.branch);
    add_str(h, s->repo_path);
    int flags[6] = {s->cfg.unsafe_html,  s->cfg.lax_headings,          s->cfg.wiki_links,
                    s->cfg.readme_index, s->cfg.strip_number_prefixes, s->cfg.heading_ids};
    digest_add(h, flags, sizeof flags);
    for (const char *const *v = s->liquid_vars; *v; v++)
        add_str(h, *v);
    /* Links to charter's own pages resolve to where site.yml puts them. */
    for (int i = 0; i < GEN_MOVABLE; i++)
        add_str(h, config_gen_url(&s->cfg, i));
    add_str(h, s->cfg.document_files);
    add_str(h, "pages");
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        add_str(h, p->rel);
        add_str(h, p->url);
        int f[2] = {p->ok, p->published};
        digest_add(h, f, sizeof f);
    }
    add_str(h, "statics");
    for (size_t i = 0; i < s->n_statics; i++)
        add_str(h, s->statics[i].out_file);
    add_str(h, "folders");
    for (size_t i = 0; i < s->n_folders; i++)
        add_str(h, s->folders[i].url);
    digest_hex(h, hex);
    digest_free(h);
}

/* --- writing -------------------------------------------------------------------- */

/* Copies len bytes at off in `from` to the end of `to`. */
static int copy_range(int to, int from, unsigned long long off, size_t len)
{
    loff_t in = (loff_t)off;
    while (len > 0) {
        ssize_t n = copy_file_range(from, &in, to, NULL, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len -= (size_t)n;
    }
    char chunk[65536];
    while (len > 0) {
        size_t want = len < sizeof chunk ? len : sizeof chunk;
        if (fs_pread_all(from, chunk, want, (off_t)in) != 0 || fs_write_fd(to, chunk, want) != 0)
            return -1;
        in += (loff_t)want;
        len -= want;
    }
    return 0;
}

/* A page's HTML where it lies now: in the old cache or the scratch file. */
typedef struct piece {
    int from;
    unsigned long long off, len;
    size_t page;
} piece;

static int cmp_piece(const void *a, const void *b)
{
    const piece *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Writes the records of the pages at[] names (in page order: where each
 * page's HTML lies) and then the trailer, from fd's offset, which is
 * `end`, where the HTML ends: 0, or -1 (errno set). */
static int write_index(int fd, const parsed *p, const unsigned long long *at,
                       unsigned long long end)
{
    buf index;
    buf_init(&index);
    for (size_t i = 0; i < p->n; i++)
        if (at[i] != ULLONG_MAX)
            write_record(&index, p->keys[i], &p->pages[i], at[i], p->notes[i], p->n_notes[i]);
    char trailer[TRAILER_LEN];
    uint64_t off = end, len = index.len;
    memcpy(trailer, &off, 8);
    memcpy(trailer + 8, &len, 8);
    memcpy(trailer + 16, TRAILER_MAGIC, 16);
    char hex[DIGEST_CHECK_HEX];
    index_check(hex, index.data, index.len, trailer);
    memcpy(trailer + 32, hex, DIGEST_CHECK_HEX - 1);
    int err =
        fs_write_fd(fd, index.data, index.len) != 0 || fs_write_fd(fd, trailer, TRAILER_LEN) != 0
            ? -1
            : 0;
    buf_release(&index);
    return err;
}

/* Copies the pieces v[k..) that lie in `from`, end to end in it as runs
 * (a one-page edit copies a few runs, not 10,000 pieces), to fd's offset,
 * *end, setting at[] for them and advancing *end. 0, or -1. */
static int copy_pieces(parsed *p, int fd, const piece *v, size_t m, int from,
                       unsigned long long *at, unsigned long long *end)
{
    for (size_t k = 0, run; k < m; k = run) {
        run = k + 1;
        if (v[k].from != from)
            continue;
        unsigned long long len = v[k].len;
        for (; run < m && v[run].from == from && v[run].off == v[k].off + len;)
            len += v[run++].len;
        if (copy_range(fd, from, v[k].off, (size_t)len) != 0)
            return -1;
        p->cache_copies++;
        for (size_t j = k; j < run; j++) {
            at[v[j].page] = *end;
            *end += v[j].len;
        }
    }
    return 0;
}

/* Adds this build's new pages to the cache it read, in place: their HTML,
 * then an index and a trailer of its own after the old one, which the
 * readers find at the end; the HTML of the pages it kept stays where it
 * is. A one-page edit at 10,000 pages copied the whole 40 MB anew. Only
 * the very file read (the same inode, locked against another build's
 * append) while what it holds that is no longer read (old indexes, old
 * pages) is under half of it: else, or should a write fail (the file cut
 * back to its old end, whose trailer then holds again), 1, and the caller
 * writes the cache anew. A build stopped midway leaves a file whose end is
 * no trailer: the next build reads no cache and writes it anew. 0 when
 * appended. */
static int append_in_place(parsed *p, const piece *v, size_t m, unsigned long long *at)
{
    if (!p->old || p->old->fd < 0 || atomic_load(&p->old->damaged))
        return 1;
    unsigned long long kept = 0, added = 0;
    for (size_t k = 0; k < m; k++) {
        if (v[k].from == p->old->fd)
            kept += v[k].len;
        else
            added += v[k].len;
    }
    int fd = open(p->cache_path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat a, b;
    if (fd < 0)
        return 1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &a) != 0 || fstat(p->old->fd, &b) != 0 ||
        !S_ISREG(a.st_mode) || a.st_ino != b.st_ino || a.st_dev != b.st_dev ||
        (unsigned long long)a.st_size - kept > kept + added ||
        a.st_size + (off_t)added > CACHE_MAX / 2 || lseek(fd, a.st_size, SEEK_SET) != a.st_size) {
        close(fd);
        return 1;
    }
    for (size_t k = 0; k < m; k++)
        if (v[k].from == p->old->fd)
            at[v[k].page] = v[k].off;
    unsigned long long end = (unsigned long long)a.st_size;
    if (copy_pieces(p, fd, v, m, p->html_fd, at, &end) != 0 || write_index(fd, p, at, end) != 0) {
        int e = errno;
        if (ftruncate(fd, a.st_size) != 0)
            unlink(p->cache_path); /* neither whole nor as it was */
        close(fd);
        errno = e;
        return 1;
    }
    return close(fd) == 0 ? 0 : 1;
}

int parse_cache_write(parsed *p, diags *d)
{
    if (!p->cache_path || atomic_load(&p->failed))
        return 0;
    size_t live = 0;
    for (size_t i = 0; i < p->n; i++)
        live += p->pages[i].ok && p->keys[i][0];
    /* Nothing new, and nothing the cache holds is gone: keep it as it is. */
    if (p->old && atomic_load(&p->hits) == live && p->old->n_records == live)
        return 0;
    buf tmp, dir;
    buf_init(&tmp);
    buf_init(&dir);
    int err = -1, fd = -1;
    /* Each page's HTML once (two pages with one key, same bytes and
     * place, share it), in the order it lies in its file, so that what
     * lies end to end in one file goes as one run. The records, in page
     * order, say where each page's HTML now is. */
    size_t m = 0;
    piece *v = xmalloc((p->n ? p->n : 1) * sizeof *v);
    unsigned long long *at = xmalloc((p->n ? p->n : 1) * sizeof *at);
    map *written = map_new();
    for (size_t i = 0; i < p->n; i++) {
        const parsed_page *pp = &p->pages[i];
        at[i] = ULLONG_MAX;
        if (!pp->ok || !p->keys[i][0] || map_get(written, p->keys[i]))
            continue;
        map_put(written, p->keys[i], (void *)1);
        v[m++] = (piece){pp->in_cache ? p->old->fd : p->html_fd, pp->off, pp->len, i};
    }
    map_free(written);
    qsort(v, m, sizeof *v, cmp_piece);
    p->cache_copies = 0;
    if (append_in_place(p, v, m, at) == 0) {
        err = 0;
        goto done;
    }
    for (size_t i = 0; i < p->n; i++)
        at[i] = ULLONG_MAX;
    p->cache_copies = 0;
    const char *slash = strrchr(p->cache_path, '/');
    buf_add(&dir, p->cache_path, slash ? (size_t)(slash - p->cache_path) : 0);
    struct stat st;
    if (dir.len && mkdir(dir.data, 0777) != 0 && errno != EEXIST)
        goto done;
    if (dir.len && (lstat(dir.data, &st) != 0 || !S_ISDIR(st.st_mode)))
        goto done;
    buf_printf(&tmp, "%s.tmp-XXXXXX", p->cache_path);
    fd = mkostemp(tmp.data, O_CLOEXEC);
    if (fd < 0) {
        buf_reset(&tmp);
        goto done;
    }
    unsigned long long end = 0;
    if ((p->old && copy_pieces(p, fd, v, m, p->old->fd, at, &end) != 0) ||
        copy_pieces(p, fd, v, m, p->html_fd, at, &end) != 0 || write_index(fd, p, at, end) != 0)
        goto done;
    if (close(fd) != 0) {
        fd = -1;
        goto done;
    }
    fd = -1;
    if (rename(tmp.data, p->cache_path) != 0)
        goto done;
    err = 0;
done:
    if (fd >= 0)
        close(fd);
    if (err) {
        if (tmp.len)
            unlink(tmp.data);
        diag_warning(d, NULL, 0, 0, "output", "cannot write the parse cache '%s': %s",
                     p->cache_path, strerror(errno));
    }
    free(v);
    free(at);
    buf_release(&tmp);
    buf_release(&dir);
    return err;
}

int parse_cache_drop_damaged(parsed *p)
{
    if (!p || !p->old || !atomic_load(&p->old->damaged) || !p->cache_path)
        return 0;
    unlink(p->cache_path);
    return 1;
}
