/* history_diff: comparing a commit's tree with its first parent's, the
 * part of the history walk that costs most: trees are read raw and parsed
 * in place, and only changed subtrees are entered. Every changed file is
 * reported, page or not: a page may have been renamed or copied from any
 * name (history_follow.c pairs them). */
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
    if (tc->kept)
        map_each(tc->kept, free_obj, NULL);
    map_free(tc->prev);
    map_free(tc->cur);
    map_free(tc->kept);
    git_odb_free(tc->odb);
}

/* Which side of a comparison a tree is read for. */
enum side { SIDE_NEW, SIDE_OLD };

/* The raw bytes of tree `id`, or NULL. A folder's tree before a commit (the
 * old side) is its tree after the next older commit that changes it (the
 * new side there), which may come many commits later: kept until then, it
 * is read once where it would be read twice (the kept trees are at most
 * one tree of each folder). */
static git_odb_object *tc_get(tree_cache *tc, const git_oid *id, enum side side)
{
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    git_odb_object *o = map_get(tc->cur, hex), *kept = NULL;
    if (!tc->kept)
        tc->kept = map_new();
    if (!o && (o = map_remove(tc->prev, hex)) != NULL)
        map_put(tc->cur, hex, o);
    if (side == SIDE_NEW && (kept = map_remove(tc->kept, hex)) != NULL) {
        if (o)
            git_odb_object_free(kept);
        else
            map_put(tc->cur, hex, o = kept);
    }
    if (!o) {
        if (git_odb_read(&o, tc->odb, id) != 0 || git_odb_object_type(o) != GIT_OBJECT_TREE) {
            git_odb_object_free(o);
            return NULL;
        }
        map_put(tc->cur, hex, o);
    }
    if (side == SIDE_OLD && !map_get(tc->kept, hex)) {
        git_odb_object *dup = NULL;
        git_odb_object_dup(&dup, o);
        map_put(tc->kept, hex, dup);
    }
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
    if (e->is_blob && status == 'D')
        fc_add(out, status, path->data, e->mode, &e->id, 0, NULL);
    else if (e->is_blob)
        fc_add(out, status, path->data, 0, NULL, e->mode, &e->id);
    return 0;
}

/* Every file of a tree that only one side has. */
int history_add_whole(tree_cache *tc, const git_oid *tree_id, buf *path, char status, fchanges *out)
{
    if (path->len > PATH_MAX)
        return 0; /* see diff_trees */
    git_odb_object *o = tc_get(tc, tree_id, status == 'D' ? SIDE_OLD : SIDE_NEW);
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
    git_odb_object *oa = tc_get(tc, old_id, SIDE_OLD), *ob = tc_get(tc, new_id, SIDE_NEW);
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
        /* Unchanged, the common case; a file whose mode alone changed (chmod
         * +x) is a change, as git log lists it. */
        if (cmp == 0 && git_oid_equal(&ea.id, &eb.id) && ea.mode == eb.mode) {
            ra = rent_next(&pa, ea_end, &ea);
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
                fc_add(out, 'M', path->data, ea.mode, &ea.id, eb.mode, &eb.id);
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
        git_odb_object *o = tc_get(tc, &cur, SIDE_NEW);
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
