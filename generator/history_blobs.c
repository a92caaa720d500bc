/* history_blobs: what the history needs to know of each blob it meets (the
 * version a page declares, whether two revisions differ only in
 * `last_reviewed:`, git's similarity chunks), each blob read once. The
 * blobs a walk names are read on all cores, in the order of their packs
 * (history_pack.c) from each pack's end back: libgit2 keeps the delta bases
 * it met, so that order reads each blob with one delta where page by page
 * reads a whole chain. */
#include "history_int.h"

#include "buf.h"
#include "digest.h"
#include "map.h"
#include "pool.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct blobs {
    blob_info *v;
    size_t n, cap;
    map *by_id;   /* blob hex -> index + 1 into v */
    char **packs; /* the packs the entries' places number (history_pack_places) */
};

static void free_packs(char **packs)
{
    for (size_t i = 0; packs && packs[i]; i++)
        free(packs[i]);
    free(packs);
}

blobs *history_blobs_new(void)
{
    blobs *b = xcalloc(1, sizeof *b);
    b->by_id = map_new();
    return b;
}

void history_blobs_free(blobs *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->v[i].declared);
        free(b->v[i].change);
        history_sig_release(&b->v[i].sig);
    }
    free(b->v);
    map_free(b->by_id);
    free_packs(b->packs);
    free(b);
}

/* The entry of id, added unread when it is new; NULL for a zero id. The
 * pointer is valid until the next entry is added. */
static blob_info *entry(blobs *b, const git_oid *id, size_t order)
{
    if (git_oid_is_zero(id))
        return NULL;
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    void **slot = map_ref(b->by_id, hex);
    if (*slot)
        return &b->v[(size_t)(intptr_t)*slot - 1];
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 1024;
        b->v = xrealloc(b->v, b->cap * sizeof *b->v);
    }
    blob_info *e = &b->v[b->n++];
    memset(e, 0, sizeof *e);
    git_oid_cpy(&e->id, id);
    e->order = order;
    *slot = (void *)(intptr_t)b->n;
    return e;
}

void history_blobs_want(blobs *b, const git_oid *id, size_t order, int want_sig)
{
    blob_info *e = entry(b, id, order);
    if (!e)
        return;
    if (want_sig && !e->want_sig) {
        e->want_sig = 1;
        if (e->state == BLOB_READ)
            e->state = BLOB_UNREAD; /* read again for its chunks */
    }
}

/* The packs a read maps, by number (pack k at data[k - 1]; NULL: not
 * mapped), and a thread's reader of them. */
typedef struct mapped {
    const unsigned char **data;
    size_t *len;
    size_t n;
} mapped;

typedef struct source {
    const mapped *m;
    pack_reader *r;
} source;

/* Reads e's blob, from its pack through src when it can (src may be NULL)
 * or else through odb, and fills in what the history needs of it. */
static void read_one(blob_info *e, const source *src, git_odb *odb, digest *dg, buf *text,
                     buf *stripped)
{
    buf_reset(text);
    free(e->declared);
    free(e->change);
    e->declared = NULL;
    e->change = NULL;
    int got = -1;
    if (src && e->pack && e->pack <= src->m->n && src->m->data[e->pack - 1])
        got = history_pack_read(src->r, src->m->data[e->pack - 1], src->m->len[e->pack - 1],
                                e->pack, e->offset, MAX_BLOB, text);
    if (got != 0) {
        buf_reset(text);
        got = history_read_blob(odb, &e->id, text);
    }
    if (got != 0) {
        e->state = BLOB_UNREADABLE;
        e->missing = !git_odb_exists(odb, &e->id);
        return;
    }
    e->state = BLOB_READ;
    e->declared = history_declared(text->data, text->len, &e->change);
    buf_reset(stripped);
    history_without_review_line(stripped, text->data, text->len);
    char hex[DIGEST_HEX];
    digest_add(dg, stripped->data, stripped->len);
    digest_hex(dg, hex);
    for (size_t i = 0; i < sizeof e->unreviewed; i++) {
        unsigned hi = (unsigned)(hex[2 * i] <= '9' ? hex[2 * i] - '0' : hex[2 * i] - 'a' + 10);
        unsigned lo =
            (unsigned)(hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0' : hex[2 * i + 1] - 'a' + 10);
        e->unreviewed[i] = (unsigned char)(hi << 4 | lo);
    }
    if (e->want_sig && !e->sig.hash)
        history_sig_compute(&e->sig, text->data, text->len);
}

/* An unread blob's place in the reading order. */
typedef struct pending {
    pack_place at;
    size_t order, index;
} pending;

typedef struct reader {
    blobs *b;
    const size_t *todo; /* b->v's unread entries, in reading order */
    size_t n, chunks;
    const char *gitdir;
    const mapped *m;
    atomic_int failed;
} reader;

/* One contiguous run of the reading order, through its own repository
 * handle (libgit2 objects are not shared between threads; the pack and its
 * cache of delta bases are). */
static void read_chunk(void *arg, size_t k)
{
    reader *rd = arg;
    git_repository *repo = NULL;
    git_odb *odb = NULL;
    digest *dg = digest_new();
    source src = {rd->m, history_pack_reader_new()};
    buf text, stripped;
    buf_init(&text);
    buf_init(&stripped);
    size_t from = rd->n * k / rd->chunks, to = rd->n * (k + 1) / rd->chunks;
    if (git_repository_open(&repo, rd->gitdir) != 0 || git_repository_odb(&odb, repo) != 0) {
        atomic_store(&rd->failed, 1);
        goto done;
    }
    for (size_t i = from; i < to; i++)
        read_one(&rd->b->v[rd->todo[i]], &src, odb, dg, &text, &stripped);
done:
    history_pack_reader_free(src.r);
    buf_release(&text);
    buf_release(&stripped);
    digest_free(dg);
    git_odb_free(odb);
    git_repository_free(repo);
}

/* Pack by pack, each from its end back, then those in no pack in the order
 * wanted. From the end back: a blob's chain of deltas leads to bases
 * earlier in its pack, and libgit2 keeps the bases it met on the way, so
 * the blobs before it find theirs kept. On a 10,000-page site whose blobs
 * are deltas of one another, each read once, zlib inflated 89 MB in the
 * walk's order (newest commit first), 122 MB from the start of the pack
 * and 57 MB from its end: the blobs' deltas, 55 MB, nearly once each. */
static int cmp_pending(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    if (x->at.pack != y->at.pack)
        return !x->at.pack ? 1 : !y->at.pack ? -1 : x->at.pack < y->at.pack ? -1 : 1;
    if (x->at.offset != y->at.offset)
        return x->at.offset > y->at.offset ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

size_t history_blobs_plan(size_t **index, blobs *b, const char *commondir)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        n += b->v[i].state == BLOB_UNREAD;
    pending *todo = xmalloc((n ? n : 1) * sizeof *todo);
    git_oid *ids = xmalloc((n ? n : 1) * sizeof *ids);
    pack_place *at = xmalloc((n ? n : 1) * sizeof *at);
    n = 0;
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].state == BLOB_UNREAD) {
            git_oid_cpy(&ids[n], &b->v[i].id);
            todo[n++] = (pending){{0, 0}, b->v[i].order, i};
        }
    char **packs = NULL;
    if (n && commondir)
        history_pack_places(at, &packs, ids, n, commondir);
    for (size_t i = 0; n && commondir && i < n; i++) {
        todo[i].at = at[i];
        b->v[todo[i].index].pack = at[i].pack;
        b->v[todo[i].index].offset = at[i].offset;
    }
    free_packs(b->packs);
    b->packs = packs;
    qsort(todo, n, sizeof *todo, cmp_pending);
    *index = xmalloc((n ? n : 1) * sizeof **index);
    for (size_t i = 0; i < n; i++)
        (*index)[i] = todo[i].index;
    free(at);
    free(ids);
    free(todo);
    return n;
}

int history_blobs_read(blobs *b, const char *gitdir, const char *commondir)
{
    size_t *todo = NULL;
    size_t n = history_blobs_plan(&todo, b, commondir);
    /* Each pack mapped once, for every thread. */
    mapped m = {NULL, NULL, 0};
    while (b->packs && b->packs[m.n])
        m.n++;
    m.data = xcalloc(m.n ? m.n : 1, sizeof *m.data);
    m.len = xcalloc(m.n ? m.n : 1, sizeof *m.len);
    for (size_t i = 0; n && i < m.n; i++)
        m.data[i] = history_pack_map(b->packs[i], &m.len[i]);
    reader rd = {b, todo, n, (size_t)pool_threads() * 4, gitdir, &m, 0};
    if (rd.chunks > n)
        rd.chunks = n ? n : 1;
    if (n)
        pool_run(rd.chunks, read_chunk, &rd);
    for (size_t i = 0; i < m.n; i++)
        if (m.data[i])
            munmap((void *)m.data[i], m.len[i]);
    free(m.data);
    free(m.len);
    free(todo);
    return atomic_load(&rd.failed) ? -1 : 0;
}

const blob_info *history_blobs_at(const blobs *b, size_t i)
{
    return &b->v[i];
}

const blob_info *history_blobs_get(blobs *b, git_odb *odb, const git_oid *id, int want_sig)
{
    history_blobs_want(b, id, SIZE_MAX, want_sig);
    blob_info *e = entry(b, id, SIZE_MAX);
    if (e && e->state == BLOB_UNREAD) {
        digest *dg = digest_new();
        buf text, stripped;
        buf_init(&text);
        buf_init(&stripped);
        read_one(e, NULL, odb, dg, &text, &stripped);
        buf_release(&text);
        buf_release(&stripped);
        digest_free(dg);
    }
    return e;
}
