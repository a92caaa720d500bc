/* history_diff: comparing each commit's tree with its first parent's:
 * trees are read raw and parsed in place, only changed subtrees are
 * entered, and all the walk's commits are compared one folder at a time
 * (history_diff_many). Every changed file is reported, page or not: a page
 * may have been renamed or copied from any name (history_follow.c pairs
 * them). */
#include "history_int.h"

#include "buf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* --- comparing trees ------------------------------------------------------------ */

static void fc_add(fchanges *fc, char status, const char *path, unsigned old_mode,
                   const git_oid *old_id, unsigned new_mode, const git_oid *new_id)
{
    if (fc->n == fc->cap) {
        fc->cap = fc->cap ? fc->cap * 2 : 8;
        fc->v = xrealloc(fc->v, fc->cap * sizeof *fc->v);
    }
    fchange *c = &fc->v[fc->n++];
    memset(c, 0, sizeof *c);
    c->status = status;
    c->path = xstrdup(path);
    c->old_mode = old_mode;
    c->new_mode = new_mode;
    if (old_id)
        git_oid_cpy(&c->old_id, old_id);
    if (new_id)
        git_oid_cpy(&c->new_id, new_id);
}

void history_fc_clear(fchanges *fc)
{
    for (size_t i = 0; i < fc->n; i++)
        free(fc->v[i].path);
    fc->n = 0;
}

static void free_obj(void *ctx, const char *key, void *value)
{
    (void)ctx;
    (void)key;
    git_odb_object_free(value);
}

void history_tc_step(tree_cache *tc)
{
    map_each(tc->prev, free_obj, NULL);
    map_free(tc->prev);
    tc->prev = tc->cur;
    tc->cur = map_new();
}

void history_tc_release(tree_cache *tc)
{
    map_each(tc->prev, free_obj, NULL);
    map_each(tc->cur, free_obj, NULL);
    map_free(tc->prev);
    map_free(tc->cur);
    git_odb_free(tc->odb);
}

/* The raw bytes of tree `id`, or NULL. */
static git_odb_object *tc_get(tree_cache *tc, const git_oid *id)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    git_odb_object *o = map_get(tc->cur, hex);
    if (o)
        return o;
    if ((o = map_remove(tc->prev, hex)) == NULL &&
        (git_odb_read(&o, tc->odb, id) != 0 || git_odb_object_type(o) != GIT_OBJECT_TREE)) {
        git_odb_object_free(o);
        return NULL;
    }
    map_put(tc->cur, hex, o);
    return o;
}

/* One entry of a raw tree: "<octal mode> <name>\0<20-byte id>". */
typedef struct rent {
    const char *name;
    size_t nlen;
    git_oid id;
    unsigned mode;
    int is_tree, is_blob;
} rent;

static int rent_next(const unsigned char **p, const unsigned char *end, rent *e)
{
    const unsigned char *q = *p;
    if (q >= end)
        return 0;
    unsigned mode = 0;
    while (q < end && *q >= '0' && *q <= '7')
        mode = mode * 8 + (unsigned)(*q++ - '0');
    if (q >= end || *q++ != ' ')
        return -1;
    const unsigned char *nul = memchr(q, 0, (size_t)(end - q));
    if (!nul || end - nul < 1 + GIT_OID_RAWSZ)
        return -1;
    e->name = (const char *)q;
    e->nlen = (size_t)(nul - q);
    git_oid_fromraw(&e->id, nul + 1);
    e->mode = mode;
    /* An entry without a name (git fsck's emptyName) is skipped like a
     * submodule: it cannot be checked out, and it would add nothing to the
     * path that bounds the recursion (diff_trees). */
    e->is_tree = e->nlen && (mode & 0170000) == 0040000;
    e->is_blob = e->nlen && ((mode & 0170000) == 0100000 || (mode & 0170000) == 0120000);
    *p = nul + 1 + GIT_OID_RAWSZ;
    return 1;
}

/* The bytes a and b begin with alike: compared a page at a time (a folder
 * of thousands is alike for most of its length), then 64 at a time. */
static size_t common_bytes(const unsigned char *a, const unsigned char *a_end,
                           const unsigned char *b, const unsigned char *b_end)
{
    size_t n =
        (size_t)(a_end - a) < (size_t)(b_end - b) ? (size_t)(a_end - a) : (size_t)(b_end - b);
    size_t same = 0;
    while (same + 4096 <= n && memcmp(a + same, b + same, 4096) == 0)
        same += 4096;
    while (same + 64 <= n && memcmp(a + same, b + same, 64) == 0)
        same += 64;
    while (same < n && a[same] == b[same])
        same++;
    return same;
}

/* The length of the whole entries that a and b (each at an entry's start)
 * begin with byte for byte alike: the common bytes found with memcmp, then
 * cut back to an entry's end by hopping from one name's NUL to the next
 * (an entry ends 20 bytes after it), without parsing the entries. A commit
 * changes a file or two of a folder of thousands, and comparing every
 * unchanged entry field by field grew with the folder. Used where the
 * newer tree has no index (tree_ix below): it is malformed. */
static size_t same_entries(const unsigned char *a, const unsigned char *a_end,
                           const unsigned char *b, const unsigned char *b_end)
{
    size_t n =
        (size_t)(a_end - a) < (size_t)(b_end - b) ? (size_t)(a_end - a) : (size_t)(b_end - b);
    size_t same = common_bytes(a, a_end, b, b_end);
    /* Alike to one's end (the rest of a folder after its last change, or
     * before entries added at its end): whole entries, as a tree ends at
     * an entry's end, with no hop. (A malformed end is met where the
     * folder is first read whole, or where it differs.) */
    if (same == n)
        return same;
    size_t whole = 0;
    for (;;) {
        const unsigned char *nul = memchr(a + whole, 0, same - whole);
        if (!nul || (size_t)(nul - a) + 1 + GIT_OID_RAWSZ > same)
            return whole;
        whole = (size_t)(nul - a) + 1 + GIT_OID_RAWSZ;
    }
}

/* git's tree order: names compare bytewise, a tree's as if it ended in '/'. */
static int rent_cmp(const rent *a, const rent *b)
{
    size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
    int c = memcmp(a->name, b->name, n);
    if (c)
        return c;
    unsigned ca = a->nlen > n ? (unsigned char)a->name[n] : a->is_tree ? '/' : 0;
    unsigned cb = b->nlen > n ? (unsigned char)b->name[n] : b->is_tree ? '/' : 0;
    return (int)ca - (int)cb;
}

static void path_push(buf *path, size_t base, const rent *e)
{
    buf_truncate(path, base);
    if (base)
        buf_addc(path, '/');
    buf_add(path, e->name, e->nlen);
}

/* Where each entry of a raw tree starts, and its end: at[0..n]. A commit
 * changes a file or two of a folder of thousands; hopping over the
 * entries before a change (same_entries) cost each comparison the
 * folder's size in calls to memchr, which grew with the history times
 * the folder (a tenth of a 40,000-page history). With the newer tree's
 * starts known, the older one's are its own but for the entries that
 * differ: each folder's trees are indexed once, at the newest. */
typedef struct tree_ix {
    size_t *at;
    size_t n, cap; /* entries; at holds n + 1 */
    int ok;
} tree_ix;

static inline void ix_push(tree_ix *ix, size_t off)
{
    if (ix->n + 1 >= ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 64;
        ix->at = xrealloc(ix->at, ix->cap * sizeof *ix->at);
    }
    ix->at[ix->n++] = off;
}

/* Adds the n entry starts at, each moved by `by` (modulo the size's
 * range: the older tree's offset less the newer's). */
static void ix_push_moved(tree_ix *ix, const size_t *at, size_t n, size_t by)
{
    if (ix->n + n + 1 >= ix->cap) {
        while (ix->n + n + 1 >= ix->cap)
            ix->cap = ix->cap ? ix->cap * 2 : 64;
        ix->at = xrealloc(ix->at, ix->cap * sizeof *ix->at);
    }
    size_t *to = ix->at + ix->n;
    for (size_t i = 0; i < n; i++)
        to[i] = at[i] + by;
    ix->n += n;
}

/* Ends ix at size: its entries are all pushed. */
static void ix_end(tree_ix *ix, size_t size)
{
    ix_push(ix, size);
    ix->n--;
    ix->ok = 1;
}

/* Indexes the raw tree [p, end) whole; ix->ok is 0 when it is malformed. */
static void ix_build(tree_ix *ix, const unsigned char *p, const unsigned char *end)
{
    const unsigned char *start = p;
    rent x;
    int r;
    ix->n = 0;
    ix->ok = 0;
    for (size_t off = 0; (r = rent_next(&p, end, &x)) > 0; off = (size_t)(p - start))
        ix_push(ix, off);
    if (r == 0)
        ix_end(ix, (size_t)(end - start));
}

/* The last entry start of ix at or before `upto`, searched from entry k
 * (whose start is at or before it). */
static size_t ix_floor(const tree_ix *ix, size_t k, size_t upto)
{
    size_t lo = k, hi = ix->n + 1; /* at[lo] <= upto < at[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->at[mid] <= upto)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static void ix_release(tree_ix *ix)
{
    free(ix->at);
    memset(ix, 0, sizeof *ix);
}

/* --- comparing many pairs of trees, folder by folder ------------------------------ */

/* One comparison at a folder: pair `at`'s trees there (a zero id: that side
 * has no folder there). */
typedef struct job {
    size_t at;
    git_oid old_id, new_id;
} job;

typedef struct folder {
    char *path;
    job *v;
    size_t n, cap;
} folder;

/* Every pair is compared one folder at a time, and each folder in the
 * order of the pairs (for the walk: newest commit first), so the versions
 * of one folder's tree are read one after the other: the pack deltifies
 * each against the next, and libgit2's cache of delta bases, which empties
 * itself whole when full, holds one folder's chain instead of all of
 * them. Comparing commit by commit (each folder's tree after the other's)
 * cost three times the CPU on a 10,000-page site. */
typedef struct engine {
    tree_cache *tc;
    folder *f;
    size_t nf, capf;
    map *by_path; /* folder path -> index + 1 into f */
    fchanges **out;
    int *failed;
    git_oid last_id; /* the tree the last comparison read as its old side */
    git_odb_object *last;
    tree_ix last_ix; /* last's entries, when ok */
    tree_ix new_ix;  /* the newer tree's, when not last */
    tree_ix old_ix;  /* the older tree's, as it is compared */
} engine;

static void push_job(engine *e, const char *path, size_t at, const git_oid *old_id,
                     const git_oid *new_id)
{
    void **slot = map_ref(e->by_path, path);
    if (!*slot) {
        if (e->nf == e->capf) {
            e->capf = e->capf ? e->capf * 2 : 16;
            e->f = xrealloc(e->f, e->capf * sizeof *e->f);
        }
        e->f[e->nf] = (folder){xstrdup(path), NULL, 0, 0};
        *slot = (void *)(intptr_t)++e->nf;
    }
    folder *fd = &e->f[(size_t)(intptr_t)*slot - 1];
    if (fd->n == fd->cap) {
        fd->cap = fd->cap ? fd->cap * 2 : 4;
        fd->v = xrealloc(fd->v, fd->cap * sizeof *fd->v);
    }
    job *j = &fd->v[fd->n++];
    memset(j, 0, sizeof *j);
    j->at = at;
    if (old_id)
        git_oid_cpy(&j->old_id, old_id);
    if (new_id)
        git_oid_cpy(&j->new_id, new_id);
}

/* Tree id, a new reference (caller frees): the tree the last comparison
 * of this folder read as its old side, which is the next older commit's
 * new side, or read now. NULL when it cannot be read or is no tree. */
static git_odb_object *read_tree(engine *e, const git_oid *id)
{
    git_odb_object *o = NULL;
    if (e->last && git_oid_equal(id, &e->last_id)) {
        git_odb_object_dup(&o, e->last);
        return o;
    }
    if (git_odb_read(&o, e->tc->odb, id) != 0 || git_odb_object_type(o) != GIT_OBJECT_TREE) {
        git_odb_object_free(o);
        return NULL;
    }
    return o;
}

/* Entry x of pair `at` at path, which the other side has not: its files
 * as added or deleted, its folder as a comparison with nothing. */
static void one_sided(engine *e, size_t at, const rent *x, const char *path, char status)
{
    if (x->is_tree)
        push_job(e, path, at, status == 'D' ? &x->id : NULL, status == 'A' ? &x->id : NULL);
    else if (x->is_blob && status == 'D')
        fc_add(e->out[at], status, path, x->mode, &x->id, 0, NULL);
    else if (x->is_blob)
        fc_add(e->out[at], status, path, 0, NULL, x->mode, &x->id);
}

/* The entry at *pa (of the tree starting at a0), as rent_next; its start
 * is added to aix while *indexing. */
static int next_a(const unsigned char **pa, const unsigned char *a0, const unsigned char *end,
                  rent *ea, tree_ix *aix, int indexing)
{
    size_t off = (size_t)(*pa - a0);
    int r = rent_next(pa, end, ea);
    if (r > 0 && indexing)
        ix_push(aix, off);
    return r;
}

/* Runs one comparison at folder `path`: the files that differ, and a
 * comparison at each subfolder that does, entry by entry in the trees'
 * sorted order, the entries alike skipped by the newer tree's index
 * (tree_ix). The older tree's index is made on the way, for the next
 * comparison here, where it is the newer. -1 when a tree cannot be read
 * or is malformed. */
static int run_job(engine *e, const job *j, const char *path, buf *sub)
{
    git_odb_object *oa = NULL, *ob = NULL;
    int err = -1;
    int b_is_last = e->last && e->last_ix.ok && !git_oid_is_zero(&j->new_id) &&
                    git_oid_equal(&j->new_id, &e->last_id);
    tree_ix *aix = &e->old_ix, *bix = NULL;
    aix->n = 0;
    aix->ok = 0;
    if ((!git_oid_is_zero(&j->new_id) && !(ob = read_tree(e, &j->new_id))) ||
        (!git_oid_is_zero(&j->old_id) && !(oa = read_tree(e, &j->old_id))))
        goto done;
    const unsigned char *a0 = oa ? git_odb_object_data(oa) : NULL,
                        *ea_end = a0 ? a0 + git_odb_object_size(oa) : NULL, *pa = a0;
    const unsigned char *b0 = ob ? git_odb_object_data(ob) : NULL,
                        *eb_end = b0 ? b0 + git_odb_object_size(ob) : NULL, *pb = b0;
    if (oa && ob) {
        if (!b_is_last)
            ix_build(&e->new_ix, b0, eb_end);
        bix = b_is_last ? &e->last_ix : e->new_ix.ok ? &e->new_ix : NULL;
    }
    int indexing = oa != NULL;
    size_t kb = 0; /* with bix: the newer tree's entries read so far */
    size_t base = strlen(path);
    buf_reset(sub);
    buf_add(sub, path, base);
    rent ea, eb;
    int ra = oa ? next_a(&pa, a0, ea_end, &ea, aix, indexing) : 0,
        rb = ob ? rent_next(&pb, eb_end, &eb) : 0;
    kb += rb > 0;
    while (ra > 0 || rb > 0) {
        if (ra < 0 || rb < 0)
            break;
        int cmp = ra <= 0 ? 1 : rb <= 0 ? -1 : rent_cmp(&ea, &eb);
        /* Unchanged, the common case; a file whose mode alone changed (chmod
         * +x) is a change, as git log lists it. */
        if (cmp == 0 && git_oid_equal(&ea.id, &eb.id) && ea.mode == eb.mode) {
            /* and so, most often, are many after it: skipped whole */
            size_t same;
            if (bix) {
                /* The whole entries of the bytes alike: to the newer
                 * tree's last entry start within them, or to the end of
                 * either (a tree ends at an entry's end). */
                size_t c = common_bytes(pa, ea_end, pb, eb_end), boff = (size_t)(pb - b0);
                size_t k = ix_floor(bix, kb, boff + c);
                int to_end = pa + c == ea_end || pb + c == eb_end;
                same = to_end ? c : bix->at[k] - boff;
                if (indexing)
                    ix_push_moved(aix, bix->at + kb, k - kb, (size_t)(pa - a0) - boff);
                if (bix->at[k] != boff + same) {
                    indexing = 0; /* (an older tree's malformed end) */
                    bix = NULL;
                }
                kb = k;
            } else {
                same = same_entries(pa, ea_end, pb, eb_end);
                indexing = 0;
            }
            pa += same;
            pb += same;
            ra = next_a(&pa, a0, ea_end, &ea, aix, indexing);
            rb = rent_next(&pb, eb_end, &eb);
            kb += rb > 0;
            continue;
        }
        if (cmp < 0) {
            path_push(sub, base, &ea);
            one_sided(e, j->at, &ea, sub->data, 'D');
            ra = next_a(&pa, a0, ea_end, &ea, aix, indexing);
        } else if (cmp > 0) {
            path_push(sub, base, &eb);
            one_sided(e, j->at, &eb, sub->data, 'A');
            rb = rent_next(&pb, eb_end, &eb);
            kb += rb > 0;
        } else {
            path_push(sub, base, &ea);
            if (ea.is_tree && eb.is_tree) {
                push_job(e, sub->data, j->at, &ea.id, &eb.id);
            } else if (ea.is_blob && eb.is_blob) {
                fc_add(e->out[j->at], 'M', sub->data, ea.mode, &ea.id, eb.mode, &eb.id);
            } else {
                one_sided(e, j->at, &ea, sub->data, 'D');
                one_sided(e, j->at, &eb, sub->data, 'A');
            }
            ra = next_a(&pa, a0, ea_end, &ea, aix, indexing);
            rb = rent_next(&pb, eb_end, &eb);
            kb += rb > 0;
        }
    }
    err = ra < 0 || rb < 0 ? -1 : 0;
    if (err == 0 && indexing)
        ix_end(aix, (size_t)(ea_end - a0));
done:
    /* Held, with its index: the next comparison here (an older commit)
     * has it as its new side. */
    if (oa) {
        git_odb_object_free(e->last);
        e->last = oa;
        git_oid_cpy(&e->last_id, &j->old_id);
        tree_ix t = e->last_ix;
        e->last_ix = e->old_ix;
        e->old_ix = t;
    }
    git_odb_object_free(ob);
    return err;
}

static int cmp_change(const void *a, const void *b)
{
    const fchange *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : (x->status == 'D' ? -1 : 0) - (y->status == 'D' ? -1 : 0);
}

void history_diff_many(tree_cache *tc, const char *path, size_t n, const git_oid *old_ids,
                       const git_oid *new_ids, fchanges **out, int *failed)
{
    engine e = {.tc = tc, .by_path = map_new(), .out = out, .failed = failed};
    buf sub;
    buf_init(&sub);
    size_t *first = xcalloc(n ? n : 1, sizeof *first);
    for (size_t i = 0; i < n; i++) {
        first[i] = out[i]->n;
        if (!git_oid_equal(&old_ids[i], &new_ids[i]))
            push_job(&e, path, i, git_oid_is_zero(&old_ids[i]) ? NULL : &old_ids[i],
                     git_oid_is_zero(&new_ids[i]) ? NULL : &new_ids[i]);
    }
    /* Folders in the order they were met, so a folder's comparisons are
     * all listed before it is run (only its parent lists them). No folder
     * below a path longer than PATH_MAX could be checked out: stopping
     * there bounds the work however deep a hostile repository nests. */
    for (size_t k = 0; k < e.nf; k++) {
        git_odb_object_free(e.last);
        e.last = NULL;
        e.last_ix.ok = 0;
        size_t len = strlen(e.f[k].path);
        for (size_t q = 0; q < e.f[k].n && len <= PATH_MAX; q++) {
            job j = e.f[k].v[q]; /* e.f moves as folders are added */
            if (!failed[j.at] && run_job(&e, &j, e.f[k].path, &sub) != 0)
                failed[j.at] = 1;
        }
        free(e.f[k].v);
        e.f[k].v = NULL;
        free(e.f[k].path);
    }
    /* Each pair's changes as a walk through both trees lists them: by
     * path, a folder's name compared as if it ended in '/', which is how
     * it reads in the path; a deletion before an add of the same path. */
    for (size_t i = 0; i < n; i++)
        if (out[i]->n - first[i] > 1)
            qsort(out[i]->v + first[i], out[i]->n - first[i], sizeof *out[i]->v, cmp_change);
    git_odb_object_free(e.last);
    ix_release(&e.last_ix);
    ix_release(&e.new_ix);
    ix_release(&e.old_ix);
    free(first);
    free(e.f);
    map_free(e.by_path);
    buf_release(&sub);
}

int history_add_whole(tree_cache *tc, const git_oid *tree_id, buf *path, char status, fchanges *out)
{
    git_oid zero;
    int failed = 0;
    memset(&zero, 0, sizeof zero);
    history_diff_many(tc, path->data, 1, status == 'D' ? tree_id : &zero,
                      status == 'D' ? &zero : tree_id, &out, &failed);
    return failed ? -1 : 0;
}

int history_diff_trees(tree_cache *tc, const git_oid *old_id, const git_oid *new_id, buf *path,
                       fchanges *out)
{
    int failed = 0;
    history_diff_many(tc, path->data, 1, old_id, new_id, &out, &failed);
    return failed ? -1 : 0;
}

/* The id of the tree at `prefix` (the content directory, "" for the root)
 * under root tree `root`, or a zero id when there is none. */
void history_prefix_tree(git_oid *out, tree_cache *tc, const git_oid *root, const char *prefix)
{
    memset(out, 0, sizeof *out);
    if (!root || git_oid_is_zero(root))
        return;
    git_oid cur;
    git_oid_cpy(&cur, root);
    const char *seg = prefix;
    while (*seg) {
        size_t len = strcspn(seg, "/");
        git_odb_object *o = tc_get(tc, &cur);
        if (!o)
            return;
        const unsigned char *p = git_odb_object_data(o), *end = p + git_odb_object_size(o);
        rent e;
        int found = 0;
        while (rent_next(&p, end, &e) > 0)
            if (e.is_tree && e.nlen == len && !memcmp(e.name, seg, len)) {
                git_oid_cpy(&cur, &e.id);
                found = 1;
                break;
            }
        if (!found)
            return;
        seg += len;
        while (*seg == '/')
            seg++;
    }
    git_oid_cpy(out, &cur);
}
