/* history_follow: which file an added page came from, as `git log --follow`
 * decides it (git 2.39's diffcore-rename with find-copies-harder, limited
 * to the content directory): the parent commit's files, kept up to date as
 * the walk steps back, by blob id for identical contents and in an index
 * of git's similarity chunks for the rest, so a new page is compared only
 * with the files that could be 50% like it. The rule is docs/history.md's
 * "What counts as the same page". */
#include "history_int.h"

#include "buf.h"
#include "map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- git's similarity ------------------------------------------------------------ */

/* git's scores: MAX_SCORE is 100%, and --follow wants 50% (git's default
 * rename score, which it does not let `log --follow -M<n>` change). */
#define MAX_SCORE 60000u
#define MIN_SCORE 30000u
/* git hashes each chunk into one of this many buckets (a prime below 2^17). */
#define HASHBASE 107927u

void history_sig_release(sig *s)
{
    if (!s)
        return;
    free(s->hash); /* bytes is in the same block */
    memset(s, 0, sizeof *s);
}

/* Sorts chunks by their hash (the upper half, below 2^17): by insertion
 * when they are few, else in two counting passes of 9 and 8 bits through
 * tmp. Every blob the history reads is cut so, and qsort's calls cost
 * more than the cutting. */
static void sort_chunks(uint64_t *v, uint64_t *tmp, size_t n)
{
    if (n < 48) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = v[i];
            size_t j = i;
            for (; j > 0 && v[j - 1] >> 32 > x >> 32; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        return;
    }
    size_t count[512];
    uint64_t *from = v, *to = tmp;
    for (int shift = 32; shift <= 41; shift += 9) {
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[from[i] >> shift & 511]++;
        for (size_t k = 0, sum = 0; k < 512; k++) {
            size_t c = count[k];
            count[k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            to[count[from[i] >> shift & 511]++] = from[i];
        uint64_t *t = from;
        from = to;
        to = t;
    }
}

/* git's rolling hash of a chunk, its two 32-bit accumulators as one 64-bit
 * word (the first above): byte c rotates the word left by 7 and is added
 * to its upper half. It is git's two shifts and XORs, whose bits never
 * overlap, in half their chain of dependent steps. */
static inline uint64_t sig_step(uint64_t v, unsigned c)
{
    return ((v << 7) | (v >> 57)) + ((uint64_t)c << 32);
}

/* The length of the chunk at p (to its newline, or 64 bytes), and in
 * *whole whether it ends either way (else it is the text's last line,
 * without its newline). */
static size_t chunk_len(const unsigned char *p, const unsigned char *end, int *whole)
{
    size_t room = (size_t)(end - p) < 64 ? (size_t)(end - p) : 64;
    const unsigned char *nl = memchr(p, '\n', room);
    size_t k = nl ? (size_t)(nl - p) + 1 : room;
    *whole = nl || k == 64;
    return k;
}

/* A chunk's entry: git's hash of it in the upper half, its length below. */
static uint64_t sig_chunk(uint64_t v, size_t k)
{
    uint32_t acc1 = (uint32_t)(v >> 32), acc2 = (uint32_t)v;
    return ((uint64_t)((acc1 + acc2 * 0x61) % HASHBASE) << 32) | k;
}

/* Cuts text into chunks as git's diffcore-delta does: a chunk ends at a
 * newline or after 64 bytes; in a text (no NUL in its first 8000 bytes) a
 * CR before a LF is skipped. Git 2.39 drops a last chunk that ends neither
 * way (a last line without its newline); later versions count it. A text
 * without that CR is cut a chunk at a time, its end found by memchr (a
 * byte at a time, this was a tenth of reading a cold history's blobs). */
void history_sig_compute(sig *out, const char *text, size_t len)
{
    memset(out, 0, sizeof *out);
    out->size = len;
    int is_text = !memchr(text, 0, len < 8000 ? len : 8000);
    /* Room for a page's lines at once: a chunk is a line or 64 bytes. */
    size_t n = 0, cap = len / 16 + 64, bytes = 0;
    uint64_t *chunk = xmalloc(2 * cap * sizeof *chunk);
    uint64_t v = 0;
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    if (!is_text || !memchr(text, '\r', len)) {
        while (p < end) {
            /* Two chunks at a time: each one's steps depend on the last,
             * the two's on nothing of each other. */
            int whole1, whole2 = 0;
            size_t k1 = chunk_len(p, end, &whole1), k2 = 0;
            const unsigned char *q = p + k1;
            if (q < end)
                k2 = chunk_len(q, end, &whole2);
            uint64_t v1 = 0, v2 = 0;
            size_t both = k1 < k2 ? k1 : k2, i = 0;
            for (; i < both; i++) {
                v1 = sig_step(v1, p[i]);
                v2 = sig_step(v2, q[i]);
            }
            for (size_t j = i; j < k1; j++)
                v1 = sig_step(v1, p[j]);
            for (size_t j = i; j < k2; j++)
                v2 = sig_step(v2, q[j]);
            if (n + 2 > cap) {
                cap *= 2;
                chunk = xrealloc(chunk, 2 * cap * sizeof *chunk);
            }
            if (whole1)
                chunk[n++] = sig_chunk(v1, k1);
            if (whole2)
                chunk[n++] = sig_chunk(v2, k2);
            p = q + k2;
        }
    }
    while (p < end) {
        uint32_t c = *p++;
        if (is_text && c == '\r' && p < end && *p == '\n')
            continue;
        v = sig_step(v, c);
        if (++bytes < 64 && c != '\n')
            continue;
        if (n == cap) {
            cap *= 2;
            chunk = xrealloc(chunk, 2 * cap * sizeof *chunk);
        }
        chunk[n++] = sig_chunk(v, bytes);
        bytes = 0;
        v = 0;
    }
    sort_chunks(chunk, chunk + cap, n);
    out->hash = xmalloc((n ? 2 * n : 1) * sizeof *out->hash);
    out->bytes = out->hash + n;
    for (size_t i = 0; i < n; i++) {
        uint32_t h = (uint32_t)(chunk[i] >> 32), b = (uint32_t)(chunk[i] & 0xffffffffu);
        if (out->n && out->hash[out->n - 1] == h) {
            out->bytes[out->n - 1] += b;
        } else {
            out->hash[out->n] = h;
            out->bytes[out->n++] = b;
        }
    }
    free(chunk);
}

/* git's estimate_similarity: the bytes of dst's chunks that src has too,
 * over the larger size; 0 when one size is under half the other (git's
 * pre-check for a 50% score) or dst is empty. */
static unsigned sig_score(const sig *src, const sig *dst)
{
    size_t max = src->size > dst->size ? src->size : dst->size;
    size_t min = src->size > dst->size ? dst->size : src->size;
    if ((uint64_t)max * (MAX_SCORE - MIN_SCORE) < (uint64_t)(max - min) * MAX_SCORE || !dst->size)
        return 0;
    uint64_t copied = 0;
    size_t i = 0, j = 0;
    while (i < src->n && j < dst->n) {
        if (src->hash[i] < dst->hash[j]) {
            i++;
        } else if (src->hash[i] > dst->hash[j]) {
            j++;
        } else {
            copied += src->bytes[i] < dst->bytes[j] ? src->bytes[i] : dst->bytes[j];
            i++;
            j++;
        }
    }
    return (unsigned)(copied * MAX_SCORE / max);
}

unsigned history_similarity(const char *src, size_t src_len, const char *dst, size_t dst_len)
{
    sig a, b;
    history_sig_compute(&a, src, src_len);
    history_sig_compute(&b, dst, dst_len);
    unsigned score = sig_score(&a, &b);
    history_sig_release(&a);
    history_sig_release(&b);
    return score;
}

/* --- the parent commit's files ------------------------------------------------------- */

/* A hash held by more files than this is common: a candidate source is
 * found through the rarer hashes it shares with the new page. */
#define COMMON_FILES 32
/* git stops looking through identical files after this many. */
#define MAX_IDENTICAL 100
/* A commit deleting at most this many files has them compared with the new
 * page one by one; more, and the index finds the alike ones. */
#define DIRECT_DELETES 64
/* How many hashes ahead a query fetches postings. */
#define PREFETCH 6

typedef struct lfile {
    char *path;
    git_oid id;
    unsigned mode;
    int alive;
    unsigned long deleted_in;    /* the step whose commit deletes it */
    size_t prev_same, next_same; /* files of the same blob (index + 1) */
    sig sig;                     /* id's chunks, borrowed from the blob table */
    int indexed;                 /* sig holds id's chunks, and the postings have them */
    int scorable;                /* indexed, and a regular file that could be read */
    int dirty;                   /* waiting in f->dirty to be indexed */
} lfile;

/* What a query reads and writes of each file it meets in the postings,
 * kept apart from the files in small arrays that stay in the CPU's cache:
 * a query meets a thousand postings, 9,500 queries on a 10,000-page site.
 * The file's size is here too, for the bound each candidate is checked
 * against: read from the files themselves (scattered over megabytes), the
 * check of 23 million candidates was a tenth of a cold build's history at
 * 40,000 pages, and most of its wait for it. */
typedef struct qacc {
    uint32_t seen;   /* the last query that took it as a candidate */
    uint32_t shared; /* in that query: bytes of rare chunks it shares */
    uint32_t size;   /* sig.size while indexed (at most UINT32_MAX), else 0 */
} qacc;

typedef struct post {
    uint32_t file, gen, bytes; /* file index, its gen when added, its bytes */
} post;

/* One hash's files, with the count of the live ones in the same place:
 * a query looks up both for each of a page's hundred chunks. */
typedef struct posting {
    post *v;
    uint32_t n, cap;
    uint32_t live; /* indexed files that have it */
    uint32_t slab; /* v lies in f->slab (not freed alone) */
} posting;

struct follow {
    tree_cache tc;
    blobs *blobs;     /* what is known of each blob: own, or borrowed */
    blobs *own_blobs; /* the table of its own, NULL when borrowing one */
    const char *prefix;
    int started;
    unsigned long step;
    uint32_t query;
    lfile *files;
    uint32_t *gen; /* per file: bumped when its postings go stale */
    qacc *acc;     /* per file */
    size_t n_files, cap_files;
    map *by_path; /* path -> index + 1 */
    map *by_blob; /* blob hex -> index + 1 of the first file of that blob */
    size_t *dirty;
    size_t n_dirty, cap_dirty;
    size_t *deleted; /* this step's deletions */
    size_t n_deleted, cap_deleted;
    size_t *cand; /* the current query's candidates */
    size_t n_cand, cap_cand;
    size_t ranked;  /* files whose score was counted, all queries (for tests) */
    posting *posts; /* per hash: the files that have it (stale ones too) */
    post *slab;     /* the lists the first whole tree made (index_dirty) */
    sig dst;        /* the new page of the current query (borrowed) */
};

follow *history_follow_new(git_odb *odb, const char *prefix)
{
    follow *f = xcalloc(1, sizeof *f);
    f->tc = (tree_cache){odb, map_new(), map_new()};
    f->prefix = prefix;
    f->by_path = map_new();
    f->by_blob = map_new();
    f->blobs = f->own_blobs = history_blobs_new();
    return f;
}

void history_follow_use_blobs(follow *f, blobs *b)
{
    history_blobs_free(f->own_blobs);
    f->own_blobs = NULL;
    f->blobs = b;
}

void history_follow_free(follow *f)
{
    if (!f)
        return;
    history_tc_release(&f->tc);
    for (size_t i = 0; i < f->n_files; i++)
        free(f->files[i].path);
    if (f->posts)
        for (size_t h = 0; h < HASHBASE; h++)
            if (!f->posts[h].slab)
                free(f->posts[h].v);
    free(f->posts);
    free(f->slab);
    free(f->files);
    free(f->gen);
    free(f->acc);
    free(f->dirty);
    free(f->deleted);
    free(f->cand);
    history_blobs_free(f->own_blobs);
    map_free(f->by_path);
    map_free(f->by_blob);
    free(f);
}

int history_follow_started(const follow *f)
{
    return f && f->started;
}

static void push_index(size_t **v, size_t *n, size_t *cap, size_t x)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = x;
}

static int is_regular(unsigned mode)
{
    return (mode & 0170000) == 0100000;
}

/* Takes file i's chunks out of the index (its postings go stale). */
static void unindex(follow *f, size_t i)
{
    lfile *lf = &f->files[i];
    if (!lf->indexed)
        return;
    for (size_t k = 0; k < lf->sig.n; k++)
        f->posts[lf->sig.hash[k]].live--;
    memset(&lf->sig, 0, sizeof lf->sig);
    lf->indexed = lf->scorable = 0;
    f->acc[i].size = 0;
    f->gen[i]++;
}

static void post_add(follow *f, uint32_t h, size_t file, uint32_t bytes)
{
    posting *p = &f->posts[h];
    if (p->n >= 2 * (size_t)p->live + 16) {
        /* Mostly stale: keep the live entries (amortised: each is added once). */
        uint32_t k = 0;
        for (uint32_t j = 0; j < p->n; j++)
            if (f->gen[p->v[j].file] == p->v[j].gen)
                p->v[k++] = p->v[j];
        p->n = k;
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 2;
        if (p->slab) {
            post *v = xmalloc(p->cap * sizeof *v);
            memcpy(v, p->v, p->n * sizeof *v);
            p->v = v;
            p->slab = 0;
        } else {
            p->v = xrealloc(p->v, p->cap * sizeof *p->v);
        }
    }
    p->v[p->n++] = (post){(uint32_t)file, f->gen[file], bytes};
}

/* Makes file i indexed, with its chunks when it has any to post: 1 then. A
 * file that is no regular file, or cannot be read (missing, over
 * MAX_BLOB), is indexed without chunks: like nothing, as git scores only
 * regular files. */
static int index_begin(follow *f, size_t i)
{
    lfile *lf = &f->files[i];
    if (lf->indexed || !lf->alive)
        return 0;
    lf->indexed = 1;
    if (!is_regular(lf->mode))
        return 0;
    const blob_info *b = history_blobs_get(f->blobs, f->tc.odb, &lf->id, 1);
    if (!b || b->state != BLOB_READ)
        return 0;
    lf->scorable = 1;
    lf->sig = b->sig;
    /* Smaller than it is only lets more candidates on to their score. */
    f->acc[i].size = lf->sig.size < UINT32_MAX ? (uint32_t)lf->sig.size : UINT32_MAX;
    return lf->sig.n > 0;
}

static void index_chunks(follow *f, size_t i)
{
    const lfile *lf = &f->files[i];
    for (size_t k = 0; k < lf->sig.n; k++) {
        f->posts[lf->sig.hash[k]].live++;
        post_add(f, lf->sig.hash[k], i, lf->sig.bytes[k]);
    }
}

/* Puts file i's chunks in the index. */
static void index_file(follow *f, size_t i)
{
    if (index_begin(f, i))
        index_chunks(f, i);
}

/* Below this many, the dirty files are indexed one by one. */
#define BULK_FILES 256

/* Indexes the files waiting in f->dirty. The first query meets a whole
 * tree of them (10,000 files, 730,000 postings at 10,000 pages): their
 * chunks are counted first, and every posting list they extend is moved
 * once, at its new size, into one block. Grown a posting at a time, the
 * lists doubled 400,000 times, and held a third more than they used. Only
 * once: a block is freed with the index, and the lists that grow out of
 * it leave their room there unused, so later trees (a commit changing
 * hundreds of files) are indexed one by one. */
static void index_dirty(follow *f)
{
    size_t n = 0;
    int bulk = f->n_dirty >= BULK_FILES && !f->slab;
    for (size_t k = 0; k < f->n_dirty; k++) {
        size_t i = f->dirty[k];
        f->files[i].dirty = 0;
        if (!bulk)
            index_file(f, i);
        else if (index_begin(f, i))
            f->dirty[n++] = i; /* to post, below */
    }
    f->n_dirty = 0;
    if (!n)
        return;
    uint32_t *need = xcalloc(HASHBASE, sizeof *need);
    size_t total = 0;
    for (size_t k = 0; k < n; k++) {
        const sig *sg = &f->files[f->dirty[k]].sig;
        for (size_t j = 0; j < sg->n; j++)
            need[sg->hash[j]]++;
    }
    for (size_t h = 0; h < HASHBASE; h++)
        if (need[h])
            total += f->posts[h].n + need[h];
    f->slab = xmalloc(total * sizeof *f->slab);
    for (size_t h = 0, at = 0; h < HASHBASE; h++) {
        if (!need[h])
            continue;
        posting *p = &f->posts[h];
        if (p->n)
            memcpy(f->slab + at, p->v, p->n * sizeof *f->slab);
        free(p->v);
        p->v = f->slab + at;
        p->cap = p->n + need[h];
        p->slab = 1;
        at += p->cap;
    }
    free(need);
    for (size_t k = 0; k < n; k++)
        index_chunks(f, f->dirty[k]);
}

void history_follow_postings(const follow *f, size_t *posts, size_t *room, size_t *stale)
{
    *posts = *room = *stale = 0;
    for (size_t h = 0; f && f->posts && h < HASHBASE; h++) {
        const posting *p = &f->posts[h];
        *posts += p->n;
        *room += p->cap;
        for (uint32_t j = 0; j < p->n; j++)
            *stale += f->gen[p->v[j].file] != p->v[j].gen;
    }
}

static void mark_dirty(follow *f, size_t i)
{
    if (!f->files[i].dirty) {
        f->files[i].dirty = 1;
        push_index(&f->dirty, &f->n_dirty, &f->cap_dirty, i);
    }
}

static void blob_unlink(follow *f, size_t i)
{
    lfile *lf = &f->files[i];
    if (lf->prev_same) {
        f->files[lf->prev_same - 1].next_same = lf->next_same;
    } else {
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &lf->id);
        if (lf->next_same)
            map_put(f->by_blob, hex, (void *)(intptr_t)lf->next_same);
        else
            map_remove(f->by_blob, hex);
    }
    if (lf->next_same)
        f->files[lf->next_same - 1].prev_same = lf->prev_same;
    lf->prev_same = lf->next_same = 0;
}

static void blob_link(follow *f, size_t i)
{
    lfile *lf = &f->files[i];
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &lf->id);
    size_t head = (size_t)(intptr_t)map_put(f->by_blob, hex, (void *)(intptr_t)(i + 1));
    lf->prev_same = 0;
    lf->next_same = head;
    if (head)
        f->files[head - 1].prev_same = i + 1;
}

/* path is in the parent with blob id and mode (alive), or not (id NULL). */
static size_t set_file(follow *f, const char *path, const git_oid *id, unsigned mode)
{
    size_t i = (size_t)(intptr_t)map_get(f->by_path, path);
    if (!i) {
        if (!id)
            return 0;
        if (f->n_files == f->cap_files) {
            f->cap_files = f->cap_files ? f->cap_files * 2 : 256;
            f->files = xrealloc(f->files, f->cap_files * sizeof *f->files);
            f->gen = xrealloc(f->gen, f->cap_files * sizeof *f->gen);
            f->acc = xrealloc(f->acc, f->cap_files * sizeof *f->acc);
        }
        memset(&f->files[f->n_files], 0, sizeof *f->files);
        f->gen[f->n_files] = 0;
        f->acc[f->n_files] = (qacc){0, 0, 0};
        f->files[f->n_files].path = xstrdup(path);
        i = ++f->n_files;
        map_put(f->by_path, path, (void *)(intptr_t)i);
    }
    lfile *lf = &f->files[i - 1];
    if (lf->alive) {
        if (id && git_oid_equal(id, &lf->id) && mode == lf->mode)
            return i;
        blob_unlink(f, i - 1);
        unindex(f, i - 1);
        lf->alive = 0;
    }
    if (id) {
        lf->alive = 1;
        git_oid_cpy(&lf->id, id);
        lf->mode = mode;
        blob_link(f, i - 1);
        mark_dirty(f, i - 1);
    }
    return i;
}

static void begin_step(follow *f, const fchanges *fc)
{
    f->step++;
    f->n_deleted = 0;
    for (size_t k = 0; k < fc->n; k++) {
        if (fc->v[k].status != 'D')
            continue;
        size_t i = (size_t)(intptr_t)map_get(f->by_path, fc->v[k].path);
        if (i && f->files[i - 1].alive) {
            f->files[i - 1].deleted_in = f->step;
            push_index(&f->deleted, &f->n_deleted, &f->cap_deleted, i - 1);
        }
    }
}

int history_follow_start(follow *f, const git_oid *parent_tree, const fchanges *fc)
{
    int err = -1;
    fchanges all = {0};
    buf path;
    buf_init(&path);
    git_oid sub;
    history_prefix_tree(&sub, &f->tc, parent_tree, f->prefix);
    buf_adds(&path, f->prefix);
    if (path.len)
        buf_truncate(&path, path.len - 1);
    if (!git_oid_is_zero(&sub) && history_add_whole(&f->tc, &sub, &path, 'A', &all) != 0)
        goto done;
    for (size_t k = 0; k < all.n; k++)
        set_file(f, all.v[k].path, &all.v[k].new_id, all.v[k].new_mode);
    f->started = 1;
    begin_step(f, fc);
    err = 0;
done:
    history_tc_step(&f->tc);
    history_fc_clear(&all);
    free(all.v);
    buf_release(&path);
    return err;
}

void history_follow_undo(follow *f, const fchanges *fc)
{
    for (size_t k = 0; k < fc->n; k++) {
        const fchange *c = &fc->v[k];
        if (c->status == 'A')
            set_file(f, c->path, NULL, 0);
        else
            set_file(f, c->path, &c->old_id, c->old_mode);
    }
    begin_step(f, fc);
}

/* git's basename_same: the last path components are equal. */
static int same_basename(const char *a, const char *b)
{
    const char *x = strrchr(a, '/'), *y = strrchr(b, '/');
    return !strcmp(x ? x + 1 : a, y ? y + 1 : b);
}

/* A candidate source, ranked as git ranks them: score, then the same file
 * name, then (where git's order is its sources' order) the path. */
typedef struct pick {
    size_t file; /* index + 1, 0: none */
    unsigned score;
    int name;
} pick;

static void consider(const follow *f, pick *best, size_t i, unsigned score, int name)
{
    if (best->file) {
        if (score != best->score) {
            if (score < best->score)
                return;
        } else if (name != best->name) {
            if (name < best->name)
                return;
        } else if (strcmp(f->files[i].path, f->files[best->file - 1].path) >= 0) {
            return;
        }
    }
    *best = (pick){i + 1, score, name};
}

/* Scores file i against the query's page, and ranks it. */
static void rank(follow *f, size_t i, const char *dst_path, pick *deleted, pick *kept)
{
    lfile *lf = &f->files[i];
    f->ranked++;
    if (!lf->scorable)
        return;
    unsigned s = sig_score(&lf->sig, &f->dst);
    if (s < MIN_SCORE)
        return;
    int name = same_basename(lf->path, dst_path);
    consider(f, lf->deleted_in == f->step ? deleted : kept, i, s, name);
}

size_t history_follow_ranked(const follow *f)
{
    return f ? f->ranked : 0;
}

const char *history_follow_source(follow *f, const fchange *added, git_oid *src_id)
{
    const char *found = NULL;
    if (!f->started)
        goto done;
    /* Identical contents first: a deleted file before a kept one, then one
     * with the same file name, as git's exact pass. */
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &added->new_id);
    size_t i = (size_t)(intptr_t)map_get(f->by_blob, hex);
    pick best = {0, 0, 0};
    for (size_t seen = 0; i && seen < MAX_IDENTICAL; i = f->files[i - 1].next_same, seen++) {
        const lfile *lf = &f->files[i - 1];
        if ((!is_regular(lf->mode) || !is_regular(added->new_mode)) && lf->mode != added->new_mode)
            continue;
        /* git adds the two: a kept file of the same name ties with a
         * deleted one of another name, and the first path wins. */
        consider(f, &best, i - 1,
                 (lf->deleted_in == f->step) + same_basename(lf->path, added->path), 0);
    }
    if (best.file)
        goto picked;
    /* Then git's similarity, for a regular file it can read. */
    if (!is_regular(added->new_mode))
        goto done;
    const blob_info *b = history_blobs_get(f->blobs, f->tc.odb, &added->new_id, 1);
    if (!b || b->state != BLOB_READ || !b->sig.size)
        goto done;
    f->dst = b->sig;
    if (++f->query == 0) {
        /* Wrapped: no file may look seen by this query. */
        for (size_t k = 0; k < f->n_files; k++)
            f->acc[k].seen = 0;
        f->query = 1;
    }
    pick deleted = {0, 0, 0}, kept = {0, 0, 0};
    if (!f->posts)
        f->posts = xcalloc(HASHBASE, sizeof *f->posts);
    /* git takes the most alike deleted file when there is one (unless four
     * kept files are more alike still, which is not looked for); the few a
     * commit deletes are compared one by one. */
    if (f->n_deleted <= DIRECT_DELETES) {
        for (size_t k = 0; k < f->n_deleted; k++) {
            index_file(f, f->deleted[k]);
            rank(f, f->deleted[k], added->path, &deleted, &kept);
        }
        if (deleted.file) {
            best = deleted;
            goto picked;
        }
    }
    /* Every file of the parent: the index brought up to date, then only the
     * files sharing a rare chunk with the page, unless its common chunks
     * alone could make it 50% like a file. */
    index_dirty(f);
    /* The postings of a query's hundred hashes are far apart in memory:
     * each is fetched a few hashes ahead (a tenth of the time of applying
     * a 10,000-page site's changes). */
    uint64_t common = 0;
    for (size_t k = 0; k < f->dst.n; k++) {
        if (k + PREFETCH < f->dst.n)
            __builtin_prefetch(&f->posts[f->dst.hash[k + PREFETCH]]);
        if (f->posts[f->dst.hash[k]].live > COMMON_FILES)
            common += f->dst.bytes[k];
    }
    /* The bytes each file shares with the page in rare chunks; with all
     * the common ones, that bounds what it shares in all: most files are
     * out before their score is counted. When the common chunks alone
     * could make the page 50% like a file, that bound prunes nothing: the
     * shares are then counted over every chunk, exactly, which still
     * leaves out every file sharing none (comparing with every file made
     * the search quadratic there: at 40,000 pages, with rare meaning 16
     * files, 256 s of CPU). */
    int all = 2 * common >= f->dst.size;
    f->n_cand = 0;
    /* A list read here loses its stale postings on the way: they were
     * two thirds of those read (at 10,000 and at 40,000 pages), a list
     * being compacted only as it grows. */
    for (size_t k = 0; k < f->dst.n; k++) {
        uint32_t h = f->dst.hash[k], d = f->dst.bytes[k];
        posting *p = &f->posts[h];
        if (k + PREFETCH < f->dst.n)
            __builtin_prefetch(f->posts[f->dst.hash[k + PREFETCH]].v);
        if (!all && p->live > COMMON_FILES)
            continue;
        uint32_t kept_posts = 0;
        for (uint32_t j = 0; j < p->n; j++) {
            const post e = p->v[j];
            if (f->gen[e.file] != e.gen)
                continue; /* stale */
            p->v[kept_posts++] = e;
            qacc *a = &f->acc[e.file];
            if (a->seen != f->query) {
                a->seen = f->query;
                a->shared = 0;
                push_index(&f->cand, &f->n_cand, &f->cap_cand, e.file);
            }
            a->shared += e.bytes < d ? e.bytes : d;
        }
        p->n = kept_posts;
    }
    uint64_t bound = all ? 0 : common;
    for (size_t k = 0; k < f->n_cand; k++) {
        const qacc *a = &f->acc[f->cand[k]];
        uint64_t max = a->size > f->dst.size ? a->size : f->dst.size;
        if (2 * (bound + a->shared) >= max)
            rank(f, f->cand[k], added->path, &deleted, &kept);
    }
    best = deleted.file ? deleted : kept;
    if (!best.file)
        goto done;
picked:
    found = f->files[best.file - 1].path;
    git_oid_cpy(src_id, &f->files[best.file - 1].id);
done:
    return found;
}
