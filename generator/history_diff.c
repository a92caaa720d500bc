/* history_diff: comparing a commit's tree with its first parent's, the
 * part of the history walk that costs most: trees are read raw and parsed
 * in place, only changed subtrees are entered, and renames are paired as
 * `git log --follow` pairs them (identical contents first, then libgit2's
 * similarity for the rest). */
#include "history_int.h"

#include "buf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* --- comparing trees ------------------------------------------------------------ */

static void fc_add(fchanges *fc, char status, const char *path, const git_oid *old_id,
                   const git_oid *new_id)
{
    size_t len = strlen(path);
    if (len < 3 || strcmp(path + len - 3, ".md") != 0)
        return; /* only pages have histories */
    if (fc->n == fc->cap) {
        fc->cap = fc->cap ? fc->cap * 2 : 8;
        fc->v = xrealloc(fc->v, fc->cap * sizeof *fc->v);
    }
    fchange *c = &fc->v[fc->n++];
    memset(c, 0, sizeof *c);
    c->status = status;
    c->path = xstrdup(path);
    if (old_id)
        git_oid_cpy(&c->old_id, old_id);
    if (new_id)
        git_oid_cpy(&c->new_id, new_id);
}

void history_fc_clear(fchanges *fc)
{
    for (size_t i = 0; i < fc->n; i++) {
        free(fc->v[i].path);
        free(fc->v[i].old_path);
    }
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
    /* An entry without a name (git fsck's emptyName) is skipped like a
     * submodule: it cannot be checked out, and it would add nothing to the
     * path that bounds the recursion (diff_trees). */
    e->is_tree = e->nlen && (mode & 0170000) == 0040000;
    e->is_blob = e->nlen && ((mode & 0170000) == 0100000 || (mode & 0170000) == 0120000);
    *p = nul + 1 + GIT_OID_RAWSZ;
    return 1;
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

int history_add_whole(tree_cache *tc, const git_oid *tree_id, buf *path, char status,
                      fchanges *out);

/* One side of the comparison has entry e at path, the other nothing. */
static int one_sided(tree_cache *tc, const rent *e, buf *path, char status, fchanges *out)
{
    if (e->is_tree)
        return history_add_whole(tc, &e->id, path, status, out);
    if (e->is_blob)
        fc_add(out, status, path->data, status == 'D' ? &e->id : NULL,
               status == 'A' ? &e->id : NULL);
    return 0;
}

/* Every file of a tree that only one side has. */
int history_add_whole(tree_cache *tc, const git_oid *tree_id, buf *path, char status, fchanges *out)
{
    if (path->len > PATH_MAX)
        return 0; /* see diff_trees */
    git_odb_object *o = tc_get(tc, tree_id);
    if (!o)
        return -1;
    const unsigned char *p = git_odb_object_data(o), *end = p + git_odb_object_size(o);
    size_t base = path->len;
    rent e;
    int r, err = 0;
    while (!err && (r = rent_next(&p, end, &e)) > 0) {
        path_push(path, base, &e);
        err = one_sided(tc, &e, path, status, out);
    }
    buf_truncate(path, base);
    return err || r < 0 ? -1 : 0;
}

/* Compares two trees entry by entry in their sorted order, descending only
 * into subtrees whose ids differ: a commit that touches one page of a
 * 10,000-page site costs a few tree reads, not 10,000 comparisons. */
int history_diff_trees(tree_cache *tc, const git_oid *old_id, const git_oid *new_id, buf *path,
                       fchanges *out)
{
    /* No page can lie below a path longer than PATH_MAX: it could not be
     * checked out. Stopping there bounds the recursion (every level adds a
     * '/' and a name to the path) however deep a hostile repository nests
     * its trees. */
    if (path->len > PATH_MAX)
        return 0;
    git_odb_object *oa = tc_get(tc, old_id), *ob = tc_get(tc, new_id);
    if (!oa || !ob)
        return -1;
    const unsigned char *pa = git_odb_object_data(oa), *ea_end = pa + git_odb_object_size(oa);
    const unsigned char *pb = git_odb_object_data(ob), *eb_end = pb + git_odb_object_size(ob);
    size_t base = path->len;
    rent ea, eb;
    int ra = rent_next(&pa, ea_end, &ea), rb = rent_next(&pb, eb_end, &eb), err = 0;
    while (!err && (ra > 0 || rb > 0)) {
        if (ra < 0 || rb < 0) {
            err = -1;
            break;
        }
        int cmp = ra <= 0 ? 1 : rb <= 0 ? -1 : rent_cmp(&ea, &eb);
        if (cmp == 0 && git_oid_equal(&ea.id, &eb.id)) {
            ra = rent_next(&pa, ea_end, &ea); /* unchanged: the common case */
            rb = rent_next(&pb, eb_end, &eb);
            continue;
        }
        if (cmp < 0) {
            path_push(path, base, &ea);
            err = one_sided(tc, &ea, path, 'D', out);
            ra = rent_next(&pa, ea_end, &ea);
        } else if (cmp > 0) {
            path_push(path, base, &eb);
            err = one_sided(tc, &eb, path, 'A', out);
            rb = rent_next(&pb, eb_end, &eb);
        } else {
            path_push(path, base, &ea);
            if (ea.is_tree && eb.is_tree) {
                err = history_diff_trees(tc, &ea.id, &eb.id, path, out);
            } else if (ea.is_blob && eb.is_blob) {
                fc_add(out, 'M', path->data, &ea.id, &eb.id);
            } else {
                err = one_sided(tc, &ea, path, 'D', out);
                if (!err)
                    err = one_sided(tc, &eb, path, 'A', out);
            }
            ra = rent_next(&pa, ea_end, &ea);
            rb = rent_next(&pb, eb_end, &eb);
        }
    }
    buf_truncate(path, base);
    return err;
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

/* Pairs deleted and added pages into renames: identical contents first
 * (cheap, by id), then, for what is left, libgit2's similarity (git's 50%
 * rule) on just those files. Renames are rare; this runs only when a
 * commit both adds and deletes pages. */
int history_find_renames(git_repository *repo, git_tree *old_root, git_tree *new_root, fchanges *fc)
{
    size_t nd = 0, na = 0;
    for (size_t i = 0; i < fc->n; i++) {
        nd += fc->v[i].status == 'D';
        na += fc->v[i].status == 'A';
    }
    if (!nd || !na)
        return 0;
    /* Deleted pages by blob id, those of one id chained in order: a commit
     * that moves thousands of pages pairs them in linear time, each added
     * page with the first deleted one of its contents still unpaired. */
    map *deleted = map_new(); /* oid hex -> index + 1 of the first unpaired */
    size_t *next_same = xcalloc(fc->n, sizeof *next_same); /* index + 1, or 0 */
    char hex[GIT_OID_HEXSZ + 1];
    for (size_t k = fc->n; k-- > 0;)
        if (fc->v[k].status == 'D') {
            git_oid_tostr(hex, sizeof hex, &fc->v[k].old_id);
            next_same[k] = (size_t)(intptr_t)map_put(deleted, hex, (void *)(intptr_t)(k + 1));
        }
    for (size_t i = 0; i < fc->n; i++) {
        fchange *add = &fc->v[i];
        if (add->status != 'A')
            continue;
        git_oid_tostr(hex, sizeof hex, &add->new_id);
        size_t k = (size_t)(intptr_t)map_get(deleted, hex);
        if (!k)
            continue;
        fchange *del = &fc->v[k - 1];
        if (next_same[k - 1])
            map_put(deleted, hex, (void *)(intptr_t)next_same[k - 1]);
        else
            map_remove(deleted, hex);
        add->status = 'R';
        add->old_path = del->path;
        git_oid_cpy(&add->old_id, &del->old_id);
        del->path = NULL;
        del->status = 'x'; /* consumed */
    }
    free(next_same);
    map_free(deleted);
    char **spec = xcalloc(fc->n, sizeof *spec);
    size_t ns = 0;
    for (size_t i = 0; i < fc->n; i++)
        if ((fc->v[i].status == 'A' || fc->v[i].status == 'D') && fc->v[i].path)
            spec[ns++] = fc->v[i].path;
    int err = 0;
    size_t left_a = 0, left_d = 0;
    for (size_t i = 0; i < fc->n; i++) {
        left_a += fc->v[i].status == 'A';
        left_d += fc->v[i].status == 'D';
    }
    if (left_a && left_d) {
        git_diff *diff = NULL;
        git_diff_options opts;
        git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
        opts.pathspec.strings = spec;
        opts.pathspec.count = ns;
        opts.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH | GIT_DIFF_SKIP_BINARY_CHECK;
        git_diff_find_options fo;
        git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
        fo.flags = GIT_DIFF_FIND_RENAMES;
        if (git_diff_tree_to_tree(&diff, repo, old_root, new_root, &opts) != 0 ||
            git_diff_find_similar(diff, &fo) != 0) {
            err = -1;
        } else {
            map *added = map_new(); /* path -> index + 1 */
            for (size_t i = 0; i < fc->n; i++)
                if (fc->v[i].status == 'A')
                    map_put(added, fc->v[i].path, (void *)(intptr_t)(i + 1));
            for (size_t d = 0; d < git_diff_num_deltas(diff); d++) {
                const git_diff_delta *dl = git_diff_get_delta(diff, d);
                if (dl->status != GIT_DELTA_RENAMED || !dl->new_file.path || !dl->old_file.path)
                    continue;
                size_t i = (size_t)(intptr_t)map_remove(added, dl->new_file.path);
                if (!i)
                    continue;
                fchange *add = &fc->v[i - 1];
                add->status = 'R';
                add->old_path = xstrdup(dl->old_file.path);
                git_oid_cpy(&add->old_id, &dl->old_file.id);
            }
            map_free(added);
        }
        git_diff_free(diff);
    }
    free(spec);
    return err;
}
