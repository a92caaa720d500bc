/* controls: loads control catalogs and the statement of applicability into
 * flat arrays plus a hash index by plain and qualified id. Catalog format:
 * `framework:`, `name:`, `controls:` a list of {id, title, group}. */
#include "controls.h"
#include "buf.h"
#include "fs.h"
#include "map.h"
#include "yamltree.h"

#include <stdlib.h>
#include <string.h>

struct catalog {
    framework *fws;
    size_t n_fws;
    yaml_node **trees; /* one per loaded file; strings point into them */
    size_t n_trees;
    char **files;
    size_t n_files;
    map *by_id;
};

static const char *keep_file(catalog *c, const char *name)
{
    c->files = xrealloc(c->files, (c->n_files + 1) * sizeof *c->files);
    return c->files[c->n_files++] = xstrdup(name);
}

static yaml_node *load_yaml(catalog *c, const char *path, const char *shown, diags *d)
{
    buf text;
    buf_init(&text);
    yaml_node *root = NULL;
    if (fs_read(&text, path, shown, d) == 0 &&
        yaml_parse(&root, text.data, text.len, shown, 0, d) == 0) {
        c->trees = xrealloc(c->trees, (c->n_trees + 1) * sizeof *c->trees);
        c->trees[c->n_trees++] = root;
    }
    buf_release(&text);
    return root;
}

static int wanted(const char *id, const char *const *only, size_t n_only)
{
    if (n_only == 0)
        return 1;
    for (size_t i = 0; i < n_only; i++)
        if (strcmp(only[i], id) == 0)
            return 1;
    return 0;
}

static int load_framework(catalog *c, const yaml_node *root, const char *file,
                          const char *const *only, size_t n_only, diags *d)
{
    const char *id = NULL, *name = NULL;
    const yaml_node *n;
    if (root->kind != YAML_MAPPING)
        return diag_error(d, file, root->line, root->col, "catalog",
                          "a catalog must be a mapping with 'framework', 'name' and 'controls'");
    if (!(n = yaml_get(root, "framework")))
        return diag_error(d, file, 1, 1, "catalog", "missing key 'framework'");
    if (yaml_as_string(&id, n, "framework", file, d) != 0)
        return -1;
    if (!wanted(id, only, n_only))
        return 0;
    if ((n = yaml_get(root, "name")) && yaml_as_string(&name, n, "name", file, d) != 0)
        return -1;
    const yaml_node *list = yaml_get(root, "controls");
    if (!list || list->kind != YAML_SEQUENCE)
        return diag_error(d, file, list ? list->line : 1, list ? list->col : 1, "catalog",
                          "'controls' must be a list of controls");
    c->fws = xrealloc(c->fws, (c->n_fws + 1) * sizeof *c->fws);
    framework *fw = &c->fws[c->n_fws++];
    *fw = (framework){id, name ? name : id, file, xcalloc(list->len, sizeof(control)), 0};
    int err = 0;
    map *seen = map_new(); /* the array never moves: pointers stay valid */
    for (size_t i = 0; i < list->len; i++) {
        const yaml_node *item = list->items[i];
        control *ctl = &fw->controls[fw->n_controls];
        *ctl = (control){
            .framework = id, .file = file, .line = item->line, .col = item->col, .applicable = 1};
        if (item->kind != YAML_MAPPING) {
            err = diag_error(d, file, item->line, item->col, "catalog",
                             "a control must be a mapping with 'id', 'title' and 'group'");
            continue;
        }
        const yaml_node *v, *idn;
        if (!(v = idn = yaml_get(item, "id"))) {
            err = diag_error(d, file, item->line, item->col, "catalog", "control has no 'id'");
            continue;
        }
        if (yaml_as_string(&ctl->id, v, "id", file, d) != 0) {
            err = -1;
            continue;
        }
        if ((v = yaml_get(item, "title")) && yaml_as_string(&ctl->title, v, "title", file, d))
            err = -1;
        if ((v = yaml_get(item, "group")) && yaml_as_string(&ctl->group, v, "group", file, d))
            err = -1;
        const control *first = map_get(seen, ctl->id);
        if (first) {
            err = diag_error(d, file, idn->line, idn->col, "duplicate-control",
                             "duplicate control id '%s' (first defined at line %d)", ctl->id,
                             first->line);
            continue;
        }
        map_put(seen, ctl->id, ctl);
        fw->n_controls++;
    }
    map_free(seen);
    return err;
}

/* Indexes after all loads: the arrays no longer move. A plain id shared by
 * two frameworks maps to nothing, so only qualified lookups find it. */
static void index_controls(catalog *c)
{
    static control ambiguous;
    buf q;
    buf_init(&q);
    for (size_t f = 0; f < c->n_fws; f++) {
        for (size_t i = 0; i < c->fws[f].n_controls; i++) {
            control *ctl = &c->fws[f].controls[i];
            buf_reset(&q);
            buf_printf(&q, "%s:%s", ctl->framework, ctl->id);
            map_put(c->by_id, q.data, ctl);
            void *prev = map_get(c->by_id, ctl->id);
            map_put(c->by_id, ctl->id, prev ? &ambiguous : ctl);
        }
    }
    buf_release(&q);
}

static int load_applicability(catalog *c, const yaml_node *root, const char *file, diags *d)
{
    if (root->kind != YAML_MAPPING)
        return diag_error(d, file, root->line, root->col, "catalog",
                          "the statement of applicability must map control ids to entries");
    int err = 0;
    for (size_t i = 0; i < root->len; i++) {
        const yaml_node *key = root->keys[i], *v = root->items[i];
        control *ctl = (control *)catalog_find(c, key->value);
        if (v->kind != YAML_MAPPING) {
            err = diag_error(d, file, v->line, v->col, "catalog",
                             "'%s' must be a mapping with 'applicable', 'status' and "
                             "'justification'",
                             key->value);
            continue;
        }
        /* Unknown ids are the checks' business (issue: applicability of an id
         * in no catalog); here they simply attach to nothing. */
        int applicable = 1;
        const char *status = NULL, *why = NULL;
        const yaml_node *n;
        if ((n = yaml_get(v, "applicable")) && yaml_as_bool(&applicable, n, "applicable", file, d))
            err = -1;
        if ((n = yaml_get(v, "status")) && yaml_as_string(&status, n, "status", file, d))
            err = -1;
        if ((n = yaml_get(v, "justification")) && yaml_as_string(&why, n, "justification", file, d))
            err = -1;
        if (ctl) {
            ctl->has_applicability = 1;
            ctl->applicable = applicable;
            ctl->status = status;
            ctl->justification = why;
        }
    }
    return err;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int catalog_load(catalog **out, const char *dir, const char *shown, const char *const *only,
                 size_t n_only, diags *d)
{
    int err = -1;
    char **list = NULL;
    catalog *c = xcalloc(1, sizeof *c);
    c->by_id = map_new();
    buf path, name;
    buf_init(&path);
    buf_init(&name);
    if (fs_list(&list, dir, 1, d) != 0)
        goto done;
    int failed = 0;
    const yaml_node *soa = NULL;
    const char *soa_file = NULL;
    for (char **p = list; *p; p++) {
        if (!has_suffix(*p, ".yml") && !has_suffix(*p, ".yaml"))
            continue;
        buf_reset(&path);
        buf_printf(&path, "%s/%s", dir, *p);
        buf_reset(&name);
        buf_printf(&name, "%s/%s", shown, *p);
        const char *file = keep_file(c, name.data);
        yaml_node *root = load_yaml(c, path.data, file, d);
        if (!root) {
            failed = 1;
            continue;
        }
        if (strcmp(*p, "applicability.yml") == 0 || strcmp(*p, "applicability.yaml") == 0) {
            soa = root;
            soa_file = file;
        } else if (load_framework(c, root, file, only, n_only, d) != 0) {
            failed = 1;
        }
    }
    for (size_t i = 0; i < n_only; i++) {
        size_t f = 0;
        while (f < c->n_fws && strcmp(c->fws[f].id, only[i]) != 0)
            f++;
        if (f == c->n_fws)
            failed = diag_error(d, "site.yml", 0, 0, "config",
                                "framework '%s' is listed in 'frameworks' but no catalog in '%s' "
                                "declares it",
                                only[i], shown);
    }
    index_controls(c);
    if (soa && load_applicability(c, soa, soa_file, d) != 0)
        failed = 1;
    if (!failed)
        err = 0;
done:
    fs_list_free(list);
    buf_release(&path);
    buf_release(&name);
    if (err) {
        catalog_free(c);
        c = NULL;
    }
    *out = c;
    return err;
}

void catalog_free(catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_fws; i++)
        free(c->fws[i].controls);
    free(c->fws);
    for (size_t i = 0; i < c->n_trees; i++)
        yaml_tree_free(c->trees[i]);
    free(c->trees);
    for (size_t i = 0; i < c->n_files; i++)
        free(c->files[i]);
    free(c->files);
    map_free(c->by_id);
    free(c);
}

const control *catalog_find(const catalog *c, const char *id)
{
    const control *ctl = map_get(c->by_id, id);
    return ctl && ctl->id ? ctl : NULL;
}

const framework *catalog_frameworks(const catalog *c, size_t *n)
{
    *n = c->n_fws;
    return c->fws;
}
