/* loadcache: what the load stage read of each page, kept in the build cache
 * (.git/charter/load.cache): the digest of its bytes and its front matter as
 * parsed (before site.yml's defaults and aliases), under the stat the walk
 * found it with. A page whose file has that stat still is not opened again,
 * as git's index trusts an unchanged stat; one changed within the racy
 * window (fs_racy_ns) of that stat is never recorded. Read and written by
 * the load (site.c) only. */
#include "loadcache.h"

#include "fs.h"
#include "map.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define LOADCACHE_MAGIC "charter load cache 3\n"
/* Its last bytes: this tag, then the SHA-256 (hex) of all before it, so
 * that a byte changed or a file cut short is never taken for a page. */
#define LOADCACHE_END "charter load cache end "
#define LOADCACHE_END_LEN (sizeof LOADCACHE_END - 1 + DIGEST_CHECK_HEX - 1)

struct loadcache {
    /* The file's bytes, read into memory mapped for them: through malloc,
     * its megabytes would raise glibc's mmap threshold when freed, and the
     * render's peak with it (10 MB at 10,000 pages); the file itself
     * mapped, another process cutting it short would end the build with
     * SIGBUS. */
    const char *data;
    size_t len;
    map *by_src; /* src -> record (offset into data + 1, as a pointer) */
};

/* The most a cache may hold: 56 bytes a page at the least, so a million. */
#define LOADCACHE_MAX (256u << 20)

/* Reads the regular file at path (not through a link) whole into memory
 * of its own, then made read-only. 0, or -1 (nothing kept) when it cannot
 * be, or it changed size meanwhile. */
static int read_whole(loadcache *c, const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    int ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
             (uintmax_t)st.st_size <= LOADCACHE_MAX;
    size_t len = ok ? (size_t)st.st_size : 0;
    char *m = ok ? mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                 : MAP_FAILED;
    int read = m != MAP_FAILED && fs_pread_all(fd, m, len, 0) == 0;
    if (fd >= 0)
        close(fd);
    if (m == MAP_FAILED)
        return -1;
    if (!read || mprotect(m, len, PROT_READ) != 0) {
        munmap(m, len);
        return -1;
    }
    c->data = m;
    c->len = len;
    return 0;
}

void loadcache_key(char key[DIGEST_HEX], const fm_limits *fl, const char *extra)
{
    digest *h = digest_new();
    digest_add_str(h, extra ? extra : "");
    digest_add_str(h, LOADCACHE_MAGIC);
    digest_add_str(h, digest_self());
    digest_add_long(h, (long)fl->block_bytes);
    digest_add_long(h, (long)fl->yaml.scalar_bytes);
    digest_add_long(h, (long)fl->yaml.keys);
    digest_add_long(h, fl->fenceless);
    digest_hex(h, key);
    digest_free(h);
}

/* The stat a record holds, as read. */
typedef struct ident {
    unsigned long long dev, ino, size, mtime_s, mtime_ns, ctime_s, ctime_ns;
} ident;

static void ident_of(ident *id, const struct stat *st)
{
    *id = (ident){(unsigned long long)st->st_dev,          (unsigned long long)st->st_ino,
                  (unsigned long long)st->st_size,         (unsigned long long)st->st_mtim.tv_sec,
                  (unsigned long long)st->st_mtim.tv_nsec, (unsigned long long)st->st_ctim.tv_sec,
                  (unsigned long long)st->st_ctim.tv_nsec};
}

/* Reads a record's stat and entry at data[*at..len); 0 or -1. */
static int read_record(ident *id, size_t *entry_at, size_t *entry_len, const char *data, size_t len,
                       size_t *at)
{
    unsigned long long *f[] = {&id->dev,      &id->ino,     &id->size,    &id->mtime_s,
                               &id->mtime_ns, &id->ctime_s, &id->ctime_ns};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (buf_get_uv(f[i], data, len, at) != 0)
            return -1;
    unsigned long long n;
    if (buf_get_uv(&n, data, len, at) != 0 || n > len - *at)
        return -1;
    *entry_at = *at;
    *entry_len = (size_t)n;
    *at += (size_t)n;
    return 0;
}

loadcache *loadcache_read(const char *path, const char *key)
{
    loadcache *c = xcalloc(1, sizeof *c);
    c->by_src = map_new();
    int ok = path && read_whole(c, path) == 0;
    size_t ml = strlen(LOADCACHE_MAGIC), at = ml + DIGEST_HEX;
    const char *data = c->data;
    size_t len = c->len;
    if (!ok || len < at + LOADCACHE_END_LEN || memcmp(data, LOADCACHE_MAGIC, ml) != 0 ||
        memcmp(data + ml, key, DIGEST_HEX - 1) != 0 || data[ml + DIGEST_HEX - 1] != '\n')
        goto fail;
    len -= LOADCACHE_END_LEN;
    char hex[DIGEST_CHECK_HEX];
    digest_check_of(hex, data, len);
    if (memcmp(data + len, LOADCACHE_END, sizeof LOADCACHE_END - 1) != 0 ||
        memcmp(data + len + sizeof LOADCACHE_END - 1, hex, DIGEST_CHECK_HEX - 1) != 0)
        goto fail;
    while (at < len) {
        unsigned long long n;
        if (buf_get_uv(&n, data, len, &at) != 0 || n == 0 || n > len - at ||
            memchr(data + at, '\0', (size_t)n))
            goto fail;
        /* The record starts at its src; the text is kept, so a copy of the
         * name is the map's key and the offset its value. */
        char *src = xstrndup(data + at, (size_t)n);
        size_t start = at;
        at += (size_t)n;
        ident id;
        size_t e_at, e_len;
        if (read_record(&id, &e_at, &e_len, data, len, &at) != 0) {
            free(src);
            goto fail;
        }
        map_put(c->by_src, src, (void *)(uintptr_t)(start + 1));
        free(src);
    }
    return c;
fail:
    loadcache_free(c);
    return NULL;
}

void loadcache_free(loadcache *c)
{
    if (!c)
        return;
    map_free(c->by_src);
    if (c->data)
        munmap((void *)c->data, c->len);
    free(c);
}

int loadcache_get(const loadcache *c, const char *src, const struct stat *st, frontmatter *fm,
                  char text_hex[DIGEST_HEX], loadcache_entry_ref *entry)
{
    uintptr_t off = c ? (uintptr_t)map_get(c->by_src, src) : 0;
    if (!off)
        return 0;
    const char *data = c->data;
    size_t len = c->len, at = (size_t)off - 1 + strlen(src);
    ident was, now;
    size_t e_at, e_len;
    ident_of(&now, st);
    if (read_record(&was, &e_at, &e_len, data, len, &at) != 0 || memcmp(&was, &now, sizeof was))
        return 0;
    /* The entry: the bytes' digest, the block's place, the tree. */
    const char *e = data + e_at;
    size_t k = DIGEST_HEX - 1;
    unsigned long long present, body_start, body_line;
    yaml_node *tree;
    if (e_len < k || buf_get_uv(&present, e, e_len, &k) != 0 || present > 1 ||
        buf_get_uv(&body_start, e, e_len, &k) != 0 || body_start > now.size ||
        buf_get_uv(&body_line, e, e_len, &k) != 0 || body_line > INT_MAX ||
        yamltree_decode(&tree, e, e_len, &k) != 0)
        return 0;
    if (k != e_len || yamltree_kind(tree) != YAML_MAPPING) {
        yamltree_free(tree);
        return 0;
    }
    fm->data = tree;
    fm->present = (int)present;
    fm->body_start = (size_t)body_start;
    fm->body_line = (int)body_line;
    memcpy(text_hex, e, DIGEST_HEX - 1);
    text_hex[DIGEST_HEX - 1] = '\0';
    *entry = (loadcache_entry_ref){e, e_len};
    return 1;
}

void loadcache_entry(buf *entry, const char text_hex[DIGEST_HEX], const frontmatter *fm)
{
    buf_reset(entry);
    buf_add(entry, text_hex, DIGEST_HEX - 1);
    buf_add_uv(entry, (unsigned long long)(fm->present != 0));
    buf_add_uv(entry, fm->body_start);
    buf_add_uv(entry, (unsigned long long)(fm->body_line > 0 ? fm->body_line : 0));
    yamltree_encode(entry, fm->data);
}

typedef struct writer writer;
static int fill_chunk(writer *w, buf *chunk);

/* loadcache_write's records, a chunk of some 32 KB at a time (under
 * glibc's mmap threshold, which a freed larger one would raise). */
struct writer {
    const char *key;
    const loadcache_page *pages;
    size_t n, next;
    long long since_ns;
    digest_check *h; /* of every byte written, for the end */
    int ended;
};

static int fill_records(void *ctx, buf *chunk)
{
    writer *w = ctx;
    size_t from = chunk->len;
    int more = fill_chunk(w, chunk);
    digest_check_add(w->h, chunk->data + from, chunk->len - from);
    if (!more && !w->ended) {
        char hex[DIGEST_CHECK_HEX];
        digest_check_hex(w->h, hex);
        buf_adds(chunk, LOADCACHE_END);
        buf_add(chunk, hex, DIGEST_CHECK_HEX - 1);
        w->ended = 1;
    }
    return more;
}

static int fill_chunk(writer *w, buf *chunk)
{
    if (w->key) {
        buf_adds(chunk, LOADCACHE_MAGIC);
        buf_add(chunk, w->key, DIGEST_HEX - 1);
        buf_addc(chunk, '\n');
        w->key = NULL;
    }
    for (; w->next < w->n && chunk->len < (32u << 10); w->next++) {
        const loadcache_page *p = &w->pages[w->next];
        long long changed =
            (long long)p->st->st_ctim.tv_sec * 1000000000LL + p->st->st_ctim.tv_nsec;
        if (!p->entry.len || changed >= w->since_ns - fs_racy_ns(changed))
            continue; /* not read whole, or too close to its stat to vouch */
        ident id;
        ident_of(&id, p->st);
        buf_add_uv(chunk, strlen(p->src));
        buf_adds(chunk, p->src);
        const unsigned long long f[] = {id.dev,      id.ino,     id.size,    id.mtime_s,
                                        id.mtime_ns, id.ctime_s, id.ctime_ns};
        for (size_t k = 0; k < sizeof f / sizeof *f; k++)
            buf_add_uv(chunk, f[k]);
        buf_add_uv(chunk, p->entry.len);
        buf_add(chunk, p->entry.data, p->entry.len);
    }
    return w->next < w->n;
}

int loadcache_write(const char *path, const char *key, const loadcache_page *pages, size_t n,
                    long long since_ns, diags *d)
{
    writer w = {key, pages, n, 0, since_ns, digest_check_new(), 0};
    int err = fs_write_cache_stream(path, fill_records, &w, "output", d);
    digest_check_free(w.h);
    return err;
}
