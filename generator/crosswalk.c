/* crosswalk: loads crosswalk files (`from`, `to`, optional `name` and
 * `source`, then `mappings:` a list of {from, to, relationship, note}, or
 * `oscal:` naming an OSCAL mapping collection read through jsondoc) and
 * indexes each row under both of its controls, so either side finds the
 * other. A crosswalk relating a framework the site does not use is skipped. */
#include "crosswalk.h"

#include "buf.h"
#include "embed.h"
#include "jsondoc.h"
#include "map.h"
#include "yamltree.h"
#include "paths.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EMBED_DIR "controls/"

typedef struct link_list {
    xw_link *v;
    size_t n, cap;
} link_list;

struct crosswalks {
    yaml_node **trees; /* strings point into them */
    size_t n_trees;
    jsondoc **docs; /* OSCAL mappings; strings point into them too */
    size_t n_docs;
    char **files;
    size_t n_files;
    link_list *lists;
    size_t n_lists;
    map *by_control; /* "framework:id" -> index + 1 into lists */
    size_t rows;     /* of the crosswalk being loaded */
};

/* Rows one crosswalk may relate: the ISO/IEC 27001:2013 -> 2022 crosswalk
 * has 115, a mapping of all of SP 800-53 to another framework a few
 * thousand. */
#define XW_MAX_ROWS 100000

static const char *const rel_names[] = {"equal", "subset", "superset", "intersects"};

const char *crosswalk_rel_name(xw_rel rel)
{
    return rel_names[rel];
}

int crosswalk_rel_covers(xw_rel rel)
{
    return rel == XW_EQUAL || rel == XW_SUPERSET;
}

/* The relationship read the other way round: a subset of b is b a superset of a. */
static xw_rel rel_inverse(xw_rel rel)
{
    return rel == XW_SUBSET ? XW_SUPERSET : rel == XW_SUPERSET ? XW_SUBSET : rel;
}

static int is_crosswalk_file(const char *name)
{
    size_t n = strlen(name);
    return catalog_is_crosswalk(name) && !strchr(name, '/') &&
           ((n > 4 && !strcmp(name + n - 4, ".yml")) || (n > 5 && !strcmp(name + n - 5, ".yaml")));
}

static int framework_loaded(const catalog *c, const char *id)
{
    size_t n;
    const framework *fws = catalog_frameworks(c, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(fws[i].id, id))
            return 1;
    return 0;
}

static void add_link(crosswalks *x, const control *at, xw_link link)
{
    buf key;
    buf_init(&key);
    buf_printf(&key, "%s:%s", at->framework, at->id);
    uintptr_t i = (uintptr_t)map_get(x->by_control, key.data);
    if (!i) {
        x->lists = xgrow(x->lists, x->n_lists, sizeof *x->lists);
        x->lists[x->n_lists] = (link_list){0};
        i = ++x->n_lists;
        map_put(x->by_control, key.data, (void *)i);
    }
    link_list *l = &x->lists[i - 1];
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = link;
    buf_release(&key);
}

/* Control `id` of framework fw, or NULL after reporting at file:line:col
 * (`where`, when not NULL, says where in the file: a JSON path). */
static const control *find_control(const catalog *c, const char *fw, const char *id,
                                   const char *file, int line, int col, const char *where, diags *d)
{
    buf q;
    buf_init(&q);
    buf_printf(&q, "%s:%s", fw, id);
    const control *ctl = catalog_find(c, q.data);
    buf_release(&q);
    if (!ctl)
        diag_error(d, file, line, col, "crosswalk", "'%s'%s%s is no control of '%s'", id,
                   where ? " at " : "", where ? where : "", fw);
    return ctl;
}

/* A row's control of framework fw, or NULL after reporting. */
static const control *row_control(const catalog *c, const yaml_node *row, const char *key,
                                  const char *fw, const char *file, diags *d)
{
    const yaml_node *n = yamltree_get(row, key);
    const char *id;
    if (!n) {
        diag_error(d, file, yamltree_line(row), yamltree_col(row), "crosswalk",
                   "mapping has no '%s'", key);
        return NULL;
    }
    if (yamltree_as_string(&id, n, key, file, d) != 0)
        return NULL;
    return find_control(c, fw, id, file, yamltree_line(n), yamltree_col(n), NULL, d);
}

/* Indexes the row "a is rel b" under both controls: seen from a, b is the
 * inverse of what a is to b. 0, or -1 after reporting the crosswalk's
 * XW_MAX_ROWS-th row plus one (an OSCAL map relating every one of a
 * thousand sources to every one of a thousand targets is a million rows). */
static int add_row(crosswalks *x, const control *a, const control *b, xw_rel rel, const char *note,
                   const char *source, const char *file, int line, int col, diags *d)
{
    if (++x->rows > XW_MAX_ROWS)
        return diag_error(d, file, line, col, "crosswalk",
                          "the crosswalk relates more than %d pairs of controls", XW_MAX_ROWS);
    xw_link la = {b, rel_inverse(rel), note, source, file, line, col};
    xw_link lb = {a, rel, note, source, file, line, col};
    add_link(x, a, la);
    add_link(x, b, lb);
    return 0;
}

static int load_rows(crosswalks *x, const catalog *c, const yaml_node *root, const char *file,
                     const char *from, const char *to, diags *d)
{
    const yaml_node *list = yamltree_get(root, "mappings");
    const char *source = NULL;
    const yaml_node *n = yamltree_get(root, "source");
    if (n && yamltree_as_string(&source, n, "source", file, d) != 0)
        return -1;
    if (!list || yamltree_kind(list) != YAML_SEQUENCE)
        return diag_error(d, file, list ? yamltree_line(list) : 1, list ? yamltree_col(list) : 1,
                          "crosswalk", "'mappings' must be a list of {from, to, relationship}");
    int err = 0;
    for (size_t i = 0; i < yamltree_len(list); i++) {
        const yaml_node *row = yamltree_item(list, i);
        if (yamltree_kind(row) != YAML_MAPPING) {
            err = diag_error(d, file, yamltree_line(row), yamltree_col(row), "crosswalk",
                             "a mapping must be a mapping with 'from', 'to' and 'relationship'");
            continue;
        }
        const control *a = row_control(c, row, "from", from, file, d);
        const control *b = row_control(c, row, "to", to, file, d);
        const char *word = NULL, *note = NULL;
        int rel = -1;
        if (!(n = yamltree_get(row, "relationship")))
            diag_error(d, file, yamltree_line(row), yamltree_col(row), "crosswalk",
                       "mapping has no 'relationship' (equal, subset, superset or intersects)");
        else if (yamltree_as_string(&word, n, "relationship", file, d) == 0) {
            for (int r = 0; r < 4; r++)
                if (!strcmp(word, rel_names[r]))
                    rel = r;
            if (rel < 0)
                diag_error(d, file, yamltree_line(n), yamltree_col(n), "crosswalk",
                           "unknown relationship '%s': equal, subset, superset or intersects",
                           word);
        }
        if ((n = yamltree_get(row, "note")) && yamltree_as_string(&note, n, "note", file, d) != 0)
            err = -1;
        if (!a || !b || rel < 0) {
            err = -1;
            continue;
        }
        if (add_row(x, a, b, (xw_rel)rel, note, source, file, yamltree_line(row), yamltree_col(row),
                    d) != 0)
            return -1;
    }
    return err;
}

/* OSCAL's mapping relationships, as crosswalk relationships (-1: none). */
static int oscal_rel(const char *word)
{
    static const struct {
        const char *oscal;
        xw_rel rel;
    } words[] = {{"equal-to", XW_EQUAL},
                 {"equivalent-to", XW_EQUAL},
                 {"subset-of", XW_SUBSET},
                 {"superset-of", XW_SUPERSET},
                 {"intersects-with", XW_INTERSECTS}};
    for (size_t i = 0; word && i < sizeof words / sizeof *words; i++)
        if (!strcmp(word, words[i].oscal))
            return (int)words[i].rel;
    return -1;
}

/* The controls among a map's sources or targets (`side`), of framework
 * fw, in a new array (caller frees) in *out: 0, or -1 after reporting each
 * id fw lacks (the others are still given). */
static int map_controls(const control ***out, size_t *n, const catalog *c, const jsondoc_node *list,
                        const char *fw, const char *side, size_t m, size_t i, const char *rel_path,
                        const char *file, int line, int col, diags *d)
{
    int err = 0;
    buf where;
    buf_init(&where);
    *out = xcalloc(jsondoc_len(list) + 1, sizeof **out);
    *n = 0;
    for (size_t k = 0; k < jsondoc_len(list); k++) {
        const jsondoc_node *ref = jsondoc_item(list, k);
        const char *type = jsondoc_string(jsondoc_get(ref, "type"));
        const char *id = jsondoc_string(jsondoc_get(ref, "id-ref"));
        if (!id || (type && strcmp(type, "control") != 0))
            continue;
        buf_reset(&where);
        buf_printf(&where, "'%s' mappings[%zu].maps[%zu].%s[%zu]", rel_path, m, i, side, k);
        const control *ctl = find_control(c, fw, id, file, line, col, where.data, d);
        if (ctl)
            (*out)[(*n)++] = ctl;
        else
            err = -1;
    }
    buf_release(&where);
    return err;
}

/* The rows of an OSCAL mapping collection (`oscal:`, a site-relative JSON
 * file): each map of each mapping relates every control among its sources
 * to every control among its targets (other kinds of reference, such as
 * statements, are not charter's); a map whose relationship is none of
 * OSCAL's five (no-relationship) relates nothing. Errors are reported at
 * the `oscal:` key with the map's JSON path. */
static int load_oscal(crosswalks *x, const catalog *c, const fs_root *fs, size_t max,
                      const yaml_node *key, const char *file, const char *from, const char *to,
                      const char *source, diags *d)
{
    const char *rel_path;
    int line = yamltree_line(key), col = yamltree_col(key);
    if (yamltree_as_string(&rel_path, key, "oscal", file, d) != 0)
        return -1;
    if (!fs)
        return diag_error(d, file, line, col, "crosswalk",
                          "only a site's own crosswalk may name an OSCAL mapping");
    buf text;
    buf_init(&text);
    jsondoc *doc = NULL;
    int err = -1;
    if (fs_read_source(&text, fs, rel_path, max, "limits.file_bytes", d) != 0 ||
        jsondoc_parse(&doc, text.data, text.len, rel_path, 0, d) != 0)
        goto done;
    x->docs = xgrow(x->docs, x->n_docs, sizeof *x->docs);
    x->docs[x->n_docs++] = doc;
    const jsondoc_node *mappings =
        jsondoc_get(jsondoc_get(jsondoc_root(doc), "mapping-collection"), "mappings");
    if (jsondoc_kind_of(mappings) != JSONDOC_ARRAY) {
        diag_error(d, file, line, col, "crosswalk",
                   "'%s' is no OSCAL mapping collection (no 'mapping-collection.mappings' list)",
                   rel_path);
        goto done;
    }
    err = 0;
    for (size_t m = 0; m < jsondoc_len(mappings); m++) {
        const jsondoc_node *maps = jsondoc_get(jsondoc_item(mappings, m), "maps");
        for (size_t i = 0; i < jsondoc_len(maps); i++) {
            const jsondoc_node *mp = jsondoc_item(maps, i);
            int rel = oscal_rel(jsondoc_string(jsondoc_get(mp, "relationship")));
            if (rel < 0)
                continue;
            const char *note = jsondoc_string(jsondoc_get(mp, "remarks"));
            const control **tgt = NULL, **src = NULL;
            size_t n_tgt = 0, n_src = 0;
            if (map_controls(&src, &n_src, c, jsondoc_get(mp, "sources"), from, "sources", m, i,
                             rel_path, file, line, col, d) != 0)
                err = -1;
            if (map_controls(&tgt, &n_tgt, c, jsondoc_get(mp, "targets"), to, "targets", m, i,
                             rel_path, file, line, col, d) != 0)
                err = -1;
            for (size_t a = 0; a < n_src && err != -2; a++)
                for (size_t b = 0; b < n_tgt && err != -2; b++)
                    if (add_row(x, src[a], tgt[b], (xw_rel)rel, note, source, file, line, col, d))
                        err = -2;
            free(src);
            free(tgt);
            if (err == -2) {
                err = -1;
                goto done;
            }
        }
    }
done: /* a parsed document is x's */
    buf_release(&text);
    return err;
}

static int load_one(crosswalks *x, const catalog *c, const fs_root *fs, size_t max,
                    const char *text, size_t len, const char *shown, diags *d)
{
    x->files = xgrow(x->files, x->n_files, sizeof *x->files);
    const char *file = x->files[x->n_files++] = xstrdup(shown);
    x->rows = 0;
    yaml_node *root = NULL;
    if (yamltree_parse(&root, text, len, file, 0, d) != 0)
        return -1;
    x->trees = xgrow(x->trees, x->n_trees, sizeof *x->trees);
    x->trees[x->n_trees++] = root;
    if (yamltree_kind(root) != YAML_MAPPING)
        return diag_error(d, file, yamltree_line(root), yamltree_col(root), "crosswalk",
                          "a crosswalk must be a mapping with 'from', 'to' and 'mappings'");
    const char *from = NULL, *to = NULL;
    const yaml_node *n;
    if (!(n = yamltree_get(root, "from")))
        return diag_error(d, file, 1, 1, "crosswalk", "missing key 'from' (a framework id)");
    if (yamltree_as_string(&from, n, "from", file, d) != 0)
        return -1;
    if (!(n = yamltree_get(root, "to")))
        return diag_error(d, file, 1, 1, "crosswalk", "missing key 'to' (a framework id)");
    if (yamltree_as_string(&to, n, "to", file, d) != 0)
        return -1;
    if (!framework_loaded(c, from) || !framework_loaded(c, to))
        return 0; /* relates a framework the site does not use */
    if ((n = yamltree_get(root, "oscal"))) {
        const char *source = NULL;
        const yaml_node *sn = yamltree_get(root, "source");
        if (yamltree_get(root, "mappings"))
            return diag_error(d, file, yamltree_line(n), yamltree_col(n), "crosswalk",
                              "a crosswalk has either 'mappings' or 'oscal', not both");
        if (sn && yamltree_as_string(&source, sn, "source", file, d) != 0)
            return -1;
        return load_oscal(x, c, fs, max, n, file, from, to, source, d);
    }
    return load_rows(x, c, root, file, from, to, d);
}

int crosswalks_load(crosswalks **out, const fs_root *fs, const char *dir, const catalog *c,
                    size_t max, diags *d)
{
    crosswalks *x = xcalloc(1, sizeof *x);
    x->by_control = map_new();
    char **list = NULL;
    int err = 0;
    buf name, text;
    buf_init(&name);
    buf_init(&text);
    if (fs_list_source(&list, fs, dir, 1, d) != 0) {
        err = -1;
        goto done;
    }
    for (char **p = list; *p; p++) {
        if (!is_crosswalk_file(*p) || path_is_hidden(*p))
            continue;
        buf_reset(&name);
        buf_printf(&name, "%s/%s", dir, *p);
        buf_reset(&text);
        if (fs_read_source(&text, fs, name.data, max, "limits.file_bytes", d) != 0 ||
            load_one(x, c, fs, max, text.data, text.len, name.data, d) != 0)
            err = -1;
    }
    size_t n;
    const embed_file *ef = embed_list(EMBED_DIR, &n);
    for (size_t i = 0; i < n; i++) {
        const char *base = ef[i].path + strlen(EMBED_DIR);
        int overridden = 0;
        for (char **p = list; *p && !overridden; p++)
            overridden = !strcmp(*p, base);
        if (overridden || !is_crosswalk_file(base))
            continue;
        buf_reset(&name);
        embed_shown(&name, &ef[i]);
        if (load_one(x, c, NULL, 0, (const char *)ef[i].data, ef[i].len, name.data, d) != 0)
            err = -1;
    }
done:
    fs_list_free(list);
    buf_release(&name);
    buf_release(&text);
    if (err) {
        crosswalks_free(x);
        x = NULL;
    }
    *out = x;
    return err;
}

void crosswalks_free(crosswalks *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n_trees; i++)
        yamltree_free(x->trees[i]);
    free(x->trees);
    for (size_t i = 0; i < x->n_docs; i++)
        jsondoc_free(x->docs[i]);
    free(x->docs);
    for (size_t i = 0; i < x->n_files; i++)
        free(x->files[i]);
    free(x->files);
    for (size_t i = 0; i < x->n_lists; i++)
        free(x->lists[i].v);
    free(x->lists);
    map_free(x->by_control);
    free(x);
}

const xw_link *crosswalks_links(const crosswalks *x, const control *ctl, size_t *n)
{
    *n = 0;
    if (!x || !ctl)
        return NULL;
    buf key;
    buf_init(&key);
    buf_printf(&key, "%s:%s", ctl->framework, ctl->id);
    uintptr_t i = (uintptr_t)map_get(x->by_control, key.data);
    buf_release(&key);
    if (!i)
        return NULL;
    *n = x->lists[i - 1].n;
    return x->lists[i - 1].v;
}
