/* catalog: loads control catalogs and the statement of applicability into
 * flat arrays plus a hash index by plain and qualified id. Catalog format:
 * `framework:`, `name:`, `controls:` a list of {id, title, group}, and
 * optionally statement, applicable and justification. The
 * catalogs compiled in (embed.h) stand in for the frameworks the site
 * names but has no file for. */
#include "catalog.h"
#include "diag.h"
#include "buf.h"
#include "embed.h"
#include "fs.h"
#include "map.h"
#include "yamltree.h"
#include "paths.h"

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
    soa_orphan *orphans;
    size_t n_orphans;
    const yaml_node *fw_aliases, *id_aliases; /* the site's, borrowed; or NULL */
};

void catalog_set_aliases(catalog *c, const yaml_node *frameworks, const yaml_node *ids)
{
    if (!c)
        return;
    c->fw_aliases = frameworks;
    c->id_aliases = ids;
}

static const char *keep_file(catalog *c, const char *name)
{
    c->files = xgrow(c->files, c->n_files, sizeof *c->files);
    return c->files[c->n_files++] = xstrdup(name);
}

static yaml_node *load_yaml(catalog *c, const fs_root *fs, const char *file, size_t max, diags *d)
{
    buf text;
    buf_init(&text);
    yaml_node *root = NULL;
    if (fs_read_source(&text, fs, file, max, "limits.file_bytes", d) == 0 &&
        yamltree_parse(&root, text.data, text.len, file, 0, d) == 0) {
        c->trees = xgrow(c->trees, c->n_trees, sizeof *c->trees);
        c->trees[c->n_trees++] = root;
    }
    buf_release(&text);
    return root;
}

/* Whether id can name a framework's or a control's pages
 * (controls/<framework>/<id>/): not empty, no control character, and no
 * part between slashes empty, "." or "..", which would write elsewhere or
 * nowhere (path_is_safe_output, and no "."). */
static int names_page(const char *id)
{
    size_t len = strlen(id);
    if (!path_is_safe_output(id) || (len && id[len - 1] == '/'))
        return 0;
    for (const char *p = id; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 1 && p[0] == '.')
            return 0;
        p += n + (p[n] == '/');
    }
    return 1;
}

/* names_page for `what` ("framework", "control") id at n, else reports it
 * there. 0, or -1 after reporting. */
static int check_names_page(const char *what, const char *id, const yaml_node *n, const char *file,
                            diags *d)
{
    if (names_page(id) && strlen(id) == yamltree_text_len(n)) /* and no NUL */
        return 0;
    return diag_error(d, file, yamltree_line(n), yamltree_col(n), "catalog",
                      "%s id '%s' cannot name its page: an id must not be empty, hold a "
                      "control character, or have a part between slashes that is empty, '.' "
                      "or '..'",
                      what, id);
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

/* A strongdm comply standard (standards/TSC-2017.yml): `name: TSC`, then
 * each control id as a key of a mapping with `family`, `name` and
 * `description`. The framework's id is its name. */
static int load_comply_standard(catalog *c, const yaml_node *root, const char *file,
                                const char *const *only, size_t n_only, diags *d)
{
    const char *id = NULL;
    const yaml_node *named = yamltree_get(root, "name");
    if (yamltree_as_string(&id, named, "name", file, d) != 0)
        return -1;
    if (!wanted(id, only, n_only))
        return 0;
    if (check_names_page("framework", id, named, file, d) != 0)
        return -1;
    c->fws = xgrow(c->fws, c->n_fws, sizeof *c->fws);
    framework *fw = &c->fws[c->n_fws++];
    *fw = (framework){id, id, file, xcalloc(yamltree_len(root), sizeof(control)), 0};
    int err = 0;
    for (size_t i = 0; i < yamltree_len(root); i++) {
        const yaml_node *k = yamltree_key(root, i), *v = yamltree_item(root, i);
        if (yamltree_kind(v) != YAML_MAPPING)
            continue; /* name:, and any other setting of the standard */
        if (check_names_page("control", yamltree_text(k), k, file, d) != 0) {
            err = -1;
            continue;
        }
        control *ctl = &fw->controls[fw->n_controls];
        *ctl = (control){.framework = id,
                         .file = file,
                         .line = yamltree_line(k),
                         .col = yamltree_col(k),
                         .applicable = 1,
                         .id = yamltree_text(k)};
        const yaml_node *t = yamltree_get(v, "name"), *g = yamltree_get(v, "family");
        if ((t && yamltree_as_string(&ctl->title, t, "name", file, d) != 0) ||
            (g && yamltree_as_string(&ctl->group, g, "family", file, d) != 0)) {
            err = -1;
            continue;
        }
        fw->n_controls++;
    }
    return err;
}

static int load_framework(catalog *c, const yaml_node *root, const char *file,
                          const char *const *only, size_t n_only, diags *d)
{
    const char *id = NULL, *name = NULL;
    const yaml_node *n;
    if (yamltree_kind(root) != YAML_MAPPING)
        return diag_error(d, file, yamltree_line(root), yamltree_col(root), "catalog",
                          "a catalog must be a mapping with 'framework', 'name' and 'controls'");
    if (!yamltree_get(root, "framework") && yamltree_get(root, "name"))
        return load_comply_standard(c, root, file, only, n_only, d);
    if (!(n = yamltree_get(root, "framework")))
        return diag_error(d, file, 1, 1, "catalog", "missing key 'framework'");
    if (yamltree_as_string(&id, n, "framework", file, d) != 0)
        return -1;
    if (!wanted(id, only, n_only))
        return 0;
    if (check_names_page("framework", id, n, file, d) != 0)
        return -1;
    if ((n = yamltree_get(root, "name")) && yamltree_as_string(&name, n, "name", file, d) != 0)
        return -1;
    const yaml_node *list = yamltree_get(root, "controls");
    if (!list || yamltree_kind(list) != YAML_SEQUENCE)
        return diag_error(d, file, list ? yamltree_line(list) : 1, list ? yamltree_col(list) : 1,
                          "catalog", "'controls' must be a list of controls");
    c->fws = xgrow(c->fws, c->n_fws, sizeof *c->fws);
    framework *fw = &c->fws[c->n_fws++];
    *fw = (framework){id, name ? name : id, file, xcalloc(yamltree_len(list), sizeof(control)), 0};
    int err = 0;
    map *seen = map_new(); /* the array never moves: pointers stay valid */
    for (size_t i = 0; i < yamltree_len(list); i++) {
        const yaml_node *item = yamltree_item(list, i);
        control *ctl = &fw->controls[fw->n_controls];
        *ctl = (control){.framework = id,
                         .file = file,
                         .line = yamltree_line(item),
                         .col = yamltree_col(item),
                         .applicable = 1};
        if (yamltree_kind(item) != YAML_MAPPING) {
            err = diag_error(d, file, yamltree_line(item), yamltree_col(item), "catalog",
                             "a control must be a mapping with 'id', 'title' and 'group'");
            continue;
        }
        const yaml_node *v, *idn;
        if (!(v = idn = yamltree_get(item, "id"))) {
            err = diag_error(d, file, yamltree_line(item), yamltree_col(item), "catalog",
                             "control has no 'id'");
            continue;
        }
        if (yamltree_as_string(&ctl->id, v, "id", file, d) != 0 ||
            check_names_page("control", ctl->id, v, file, d) != 0) {
            err = -1;
            continue;
        }
        if ((v = yamltree_get(item, "title")) &&
            yamltree_as_string(&ctl->title, v, "title", file, d))
            err = -1;
        if ((v = yamltree_get(item, "group")) &&
            yamltree_as_string(&ctl->group, v, "group", file, d))
            err = -1;
        if ((v = yamltree_get(item, "label")) &&
            yamltree_as_string(&ctl->label, v, "label", file, d))
            err = -1;
        if ((v = yamltree_get(item, "statement")) &&
            yamltree_as_string(&ctl->statement, v, "statement", file, d))
            err = -1;
        /* Defaults for applicability.yml, which overrides them. */
        if ((v = yamltree_get(item, "applicable")) &&
            yamltree_as_bool(&ctl->applicable, v, "applicable", file, d))
            err = -1;
        /* `justification: ~` is none, not the text "~". */
        if ((v = yamltree_get(item, "justification")) && !yamltree_is_null(v) &&
            yamltree_as_string(&ctl->justification, v, "justification", file, d))
            err = -1;
        const control *first = map_get(seen, ctl->id);
        if (first) {
            /* A finding, not a load failure: the first definition stands. */
            diag_error(d, file, yamltree_line(idn), yamltree_col(idn), "duplicate-control",
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
    if (yamltree_kind(root) != YAML_MAPPING)
        return diag_error(d, file, yamltree_line(root), yamltree_col(root), "catalog",
                          "the statement of applicability must map control ids to entries");
    int err = 0;
    for (size_t i = 0; i < yamltree_len(root); i++) {
        const yaml_node *key = yamltree_key(root, i), *v = yamltree_item(root, i);
        control *ctl = (control *)catalog_find(c, yamltree_text(key));
        if (yamltree_kind(v) != YAML_MAPPING) {
            err = diag_error(d, file, yamltree_line(v), yamltree_col(v), "catalog",
                             "'%s' must be a mapping with 'applicable', 'status' and "
                             "'justification'",
                             yamltree_text(key));
            continue;
        }
        /* Unknown ids are kept for the checks (unknown-applicability). */
        int applicable = 1;
        const char *status = NULL, *why = NULL;
        const yaml_node *n;
        if ((n = yamltree_get(v, "applicable")) &&
            yamltree_as_bool(&applicable, n, "applicable", file, d))
            err = -1;
        if ((n = yamltree_get(v, "status")) && yamltree_as_string(&status, n, "status", file, d))
            err = -1;
        if ((n = yamltree_get(v, "justification")) && !yamltree_is_null(n) &&
            yamltree_as_string(&why, n, "justification", file, d))
            err = -1;
        if (ctl) {
            ctl->has_applicability = 1;
            ctl->applicable = applicable;
            ctl->status = status;
            ctl->justification = why;
            ctl->soa_file = file;
            ctl->soa_line = yamltree_line(key);
            ctl->soa_col = yamltree_col(key);
        } else {
            c->orphans = xgrow(c->orphans, c->n_orphans, sizeof *c->orphans);
            c->orphans[c->n_orphans++] =
                (soa_orphan){yamltree_text(key), file, yamltree_line(key), yamltree_col(key)};
        }
    }
    return err;
}

int catalog_is_crosswalk(const char *name)
{
    return strncmp(name, "crosswalk-", 10) == 0;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

#define EMBED_DIR "controls/"

static int is_loaded(const catalog *c, const char *id)
{
    for (size_t f = 0; f < c->n_fws; f++)
        if (!strcmp(c->fws[f].id, id))
            return 1;
    return 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int cmp_framework_file(const void *a, const void *b)
{
    return strcmp(base_name(((const framework *)a)->file), base_name(((const framework *)b)->file));
}

/* Loads the embedded catalogs of the frameworks in `only` that no file of
 * the site declared: each one the site has no file of the same name for
 * (the site's file overrides it, whatever it declares). Then orders the
 * frameworks by file name again, as if all were in one directory. Returns
 * 0, or -1 after reporting (a bug: the catalogs are charter's own). */
static int load_embedded(catalog *c, char *const *site_files, const char *const *only,
                         size_t n_only, diags *d)
{
    size_t missing = 0, n;
    for (size_t i = 0; i < n_only; i++)
        missing += !is_loaded(c, only[i]);
    if (!missing)
        return 0;
    int err = 0;
    size_t before = c->n_fws;
    const embed_file *ef = embed_list(EMBED_DIR, &n);
    buf shown;
    buf_init(&shown);
    for (size_t i = 0; i < n; i++) {
        const char *name = ef[i].path + strlen(EMBED_DIR);
        int overridden = 0;
        for (char *const *p = site_files; *p && !overridden; p++)
            overridden = !strcmp(*p, name);
        if (overridden || strchr(name, '/') || catalog_is_crosswalk(name))
            continue;
        buf_reset(&shown);
        embed_shown(&shown, &ef[i]);
        const char *file = keep_file(c, shown.data);
        yaml_node *root = NULL;
        if (yamltree_parse(&root, (const char *)ef[i].data, ef[i].len, file, 0, d) != 0) {
            err = -1;
            continue;
        }
        c->trees = xgrow(c->trees, c->n_trees, sizeof *c->trees);
        c->trees[c->n_trees++] = root;
        const yaml_node *id = yamltree_get(root, "framework");
        if (!id || yamltree_kind(id) != YAML_SCALAR || is_loaded(c, yamltree_text(id)))
            continue;
        if (load_framework(c, root, file, only, n_only, d) != 0)
            err = -1;
    }
    buf_release(&shown);
    if (c->n_fws > before)
        qsort(c->fws, c->n_fws, sizeof *c->fws, cmp_framework_file);
    return err;
}

/* Appends, for a message, the frameworks charter has catalogs of. */
static void list_embedded(buf *out)
{
    size_t n, shown = 0;
    const embed_file *ef = embed_list(EMBED_DIR, &n);
    for (size_t i = 0; i < n; i++) {
        const char *name = ef[i].path + strlen(EMBED_DIR);
        size_t len = strlen(name);
        if (catalog_is_crosswalk(name))
            continue;
        if (has_suffix(name, ".yml"))
            len -= 4;
        buf_printf(out, "%s%.*s", shown++ ? ", " : "", (int)len, name);
    }
}

/* Loads a catalog given as text (always: `only` does not filter it). Its
 * YAML positions are not the file's, so its controls get none. */
static int load_text(catalog *c, const catalog_text *t, diags *d)
{
    const char *file = keep_file(c, t->file);
    yaml_node *root = NULL;
    if (yamltree_parse(&root, t->text, t->len, file, 0, d) != 0)
        return -1;
    c->trees = xgrow(c->trees, c->n_trees, sizeof *c->trees);
    c->trees[c->n_trees++] = root;
    const yaml_node *id = yamltree_get(root, "framework");
    for (size_t f = 0; id && yamltree_kind(id) == YAML_SCALAR && f < c->n_fws; f++)
        if (!strcmp(c->fws[f].id, yamltree_text(id)))
            return diag_error(d, file, 0, 0, "config",
                              "framework '%s' of '%s' is also declared by '%s'", yamltree_text(id),
                              file, c->fws[f].file);
    size_t before = c->n_fws;
    int err = load_framework(c, root, file, NULL, 0, d);
    for (size_t f = before; f < c->n_fws; f++)
        for (size_t i = 0; i < c->fws[f].n_controls; i++)
            c->fws[f].controls[i].line = c->fws[f].controls[i].col = 0;
    return err;
}

int catalog_load(catalog **out, const fs_root *fs, const char *dir, const char *const *only,
                 size_t n_only, size_t max, diags *d)
{
    return catalog_load_with(out, fs, dir, only, n_only, NULL, 0, max, d);
}

int catalog_load_with(catalog **out, const fs_root *fs, const char *dir, const char *const *only,
                      size_t n_only, const catalog_text *texts, size_t n_texts, size_t max,
                      diags *d)
{
    int err = -1;
    char **list = NULL;
    catalog *c = xcalloc(1, sizeof *c);
    c->by_id = map_new();
    buf name;
    buf_init(&name);
    if (fs_list_source(&list, fs, dir, 1, d) != 0)
        goto done;
    int failed = 0;
    const yaml_node *soa = NULL;
    const char *soa_file = NULL;
    for (char **p = list; *p; p++) {
        /* An editor's lock, autosave or backup beside a catalog is none. */
        if ((!has_suffix(*p, ".yml") && !has_suffix(*p, ".yaml")) || catalog_is_crosswalk(*p) ||
            path_is_hidden(*p))
            continue;
        buf_reset(&name);
        buf_printf(&name, "%s/%s", dir, *p);
        const char *file = keep_file(c, name.data);
        yaml_node *root = load_yaml(c, fs, file, max, d);
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
    for (size_t i = 0; i < n_texts; i++)
        if (load_text(c, &texts[i], d) != 0)
            failed = 1;
    if (load_embedded(c, list, only, n_only, d) != 0)
        failed = 1;
    for (size_t i = 0; i < n_only; i++) {
        if (is_loaded(c, only[i]))
            continue;
        buf_reset(&name);
        buf_printf(&name, "%s%s.yml", EMBED_DIR, only[i]);
        int replaced = 0;
        for (char **p = list; *p && !replaced && embed_find(name.data); p++)
            replaced = !strcmp(*p, name.data + strlen(EMBED_DIR));
        if (replaced) {
            failed = diag_error(d, "site.yml", 0, 0, "config",
                                "framework '%s' is listed in 'frameworks' but no catalog in '%s' "
                                "declares it: '%s/%s.yml' replaces charter's own catalog of it",
                                only[i], dir, dir, only[i]);
            continue;
        }
        buf_reset(&name);
        list_embedded(&name);
        failed = diag_error(d, "site.yml", 0, 0, "config",
                            "framework '%s' is listed in 'frameworks' but no catalog in '%s' "
                            "declares it, nor one of charter's own (%s)",
                            only[i], dir, name.data);
    }
    index_controls(c);
    if (soa && load_applicability(c, soa, soa_file, d) != 0)
        failed = 1;
    if (!failed)
        err = 0;
done:
    fs_list_free(list);
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
        yamltree_free(c->trees[i]);
    free(c->trees);
    for (size_t i = 0; i < c->n_files; i++)
        free(c->files[i]);
    free(c->files);
    map_free(c->by_id);
    free(c->orphans);
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

const soa_orphan *catalog_soa_orphans(const catalog *c, size_t *n)
{
    *n = c->n_orphans;
    return c->orphans;
}

/* "A.05.15" -> "A.5.15", "A5.15" -> "A.5.15", "cc6.1" -> "CC6.1": a letter
 * prefix, a dot before the first number when the framework writes one, no
 * leading zeros. Writes the normalised form of id to out. */
static void normalise_id(buf *out, const char *id, int dot_after_letters)
{
    const char *p = id;
    while (*p >= 'a' && *p <= 'z') {
        buf_addc(out, (char)(*p - 'a' + 'A'));
        p++;
    }
    while (*p >= 'A' && *p <= 'Z')
        buf_addc(out, *p++);
    if (dot_after_letters && out->len && *p >= '0' && *p <= '9')
        buf_addc(out, '.');
    while (*p) {
        if (*p == '0' && (p == id || !(p[-1] >= '0' && p[-1] <= '9')) && p[1] >= '0' &&
            p[1] <= '9') {
            p++; /* a leading zero */
            continue;
        }
        buf_addc(out, *p++);
    }
}

static control_match lookup(const catalog *c, const char *id, const control **ctl)
{
    const control *x = map_get(c->by_id, id);
    *ctl = x && x->id ? x : NULL;
    if (x && !x->id)
        return CONTROL_AMBIGUOUS;
    return *ctl ? CONTROL_EXACT : CONTROL_UNKNOWN;
}

/* The framework a qualified id's prefix names: a framework alias of the
 * site, a loaded framework's id or name ("soc2", comply's "TSC"), or the
 * start of exactly one loaded framework's id ("iso27001" with only
 * iso27001-2022 loaded). NULL when none or several. */
static const framework *prefix_framework(const catalog *c, const char *id, size_t plen)
{
    buf b;
    buf_init(&b);
    buf_add(&b, id, plen);
    const yaml_node *al = yamltree_get(c->fw_aliases, b.data);
    const char *want = al ? yamltree_text(al) : b.data;
    size_t wlen = strlen(want);
    const framework *only = NULL;
    int matches = 0;
    for (size_t f = 0; f < c->n_fws && !only; f++)
        if (!strcmp(c->fws[f].id, want) || (c->fws[f].name && !strcmp(c->fws[f].name, want)))
            only = &c->fws[f];
    for (size_t f = 0; f < c->n_fws && !only && !al; f++)
        matches += !strncmp(c->fws[f].id, want, wlen);
    for (size_t f = 0; f < c->n_fws && !only && matches == 1; f++)
        if (!strncmp(c->fws[f].id, want, wlen))
            only = &c->fws[f];
    buf_release(&b);
    return only;
}

int catalog_knows_prefix(const catalog *c, const char *id)
{
    const char *colon = strchr(id, ':');
    return !colon || prefix_framework(c, id, (size_t)(colon - id)) != NULL;
}

control_match catalog_resolve(const catalog *c, const char *id, const control **ctl, buf *canon)
{
    /* An id the site declares it means as another. */
    const yaml_node *al = yamltree_get(c->id_aliases, id);
    if (al)
        id = yamltree_text(al);
    control_match m = lookup(c, id, ctl);
    if (m == CONTROL_AMBIGUOUS) {
        for (size_t f = 0; f < c->n_fws; f++)
            for (size_t i = 0; i < c->fws[f].n_controls; i++)
                if (!strcmp(c->fws[f].controls[i].id, id))
                    buf_printf(canon, "%s%s", canon->len ? ", " : "", c->fws[f].id);
        return m;
    }
    if (m == CONTROL_EXACT)
        return m;
    /* "framework:id": the prefix selects the catalog, the id must be in it
     * as written. */
    const char *colon = strchr(id, ':');
    const char *plain = colon ? colon + 1 : id;
    const framework *only = NULL;
    buf b;
    buf_init(&b);
    if (colon) {
        only = prefix_framework(c, id, (size_t)(colon - id));
        if (!only)
            goto unknown;
        buf_printf(&b, "%s:%s", only->id, plain);
        if (lookup(c, b.data, ctl) == CONTROL_EXACT) {
            buf_release(&b);
            return CONTROL_EXACT;
        }
    }
    /* Not in the catalog as written: a misspelling the message can fix
     * ("A.05.15" is "A.5.15"), never accepted as the control it looks like. */
    for (int dot = 0; dot < 2 && m != CONTROL_EXACT; dot++) {
        buf_reset(&b);
        if (only)
            buf_printf(&b, "%s:", only->id);
        normalise_id(&b, plain, dot);
        m = lookup(c, b.data, ctl);
        if (m == CONTROL_EXACT && only) {
            /* Shown qualified only when the plain id would be ambiguous. */
            const control *plain_ctl;
            if (lookup(c, (*ctl)->id, &plain_ctl) == CONTROL_EXACT) {
                buf_reset(&b);
                buf_adds(&b, (*ctl)->id);
            }
        }
    }
    if (m == CONTROL_EXACT) {
        buf_adds(canon, b.data);
        *ctl = NULL;
        buf_release(&b);
        return CONTROL_NONCANONICAL;
    }
unknown:
    *ctl = NULL;
    buf_release(&b);
    return CONTROL_UNKNOWN;
}

int catalog_suggest(const catalog *c, const char *id, buf *out)
{
    const char *colon = strchr(id, ':'), *plain = colon ? colon + 1 : id;
    /* A qualified id's suggestion comes from the framework it names. */
    const framework *only = colon ? prefix_framework(c, id, (size_t)(colon - id)) : NULL;
    /* An id with text after it ("CC7.3 - Incident Detection"): the id. */
    size_t word = strcspn(plain, " \t,;");
    if (plain[word]) {
        buf w;
        buf_init(&w);
        buf_add(&w, plain, word);
        const control *x = NULL;
        int found = 0;
        if (only) {
            for (size_t i = 0; i < only->n_controls && !found; i++)
                found = !strcmp(only->controls[i].id, w.data);
        } else {
            found = lookup(c, w.data, &x) == CONTROL_EXACT;
        }
        if (found)
            buf_adds(out, w.data);
        buf_release(&w);
        if (found)
            return 1;
    }
    size_t cap = strlen(plain) / 3;
    if (cap < 2)
        cap = 2;
    const char *best = NULL;
    size_t best_d = cap + 1, best_prefix = 0;
    /* Closest first; among equals, the longest common prefix ("A.5.99" ->
     * "A.5.9" rather than "A.5.19"), then the first in catalog order. */
    for (size_t f = 0; f < c->n_fws; f++)
        for (size_t i = 0; i < c->fws[f].n_controls && (!only || only == &c->fws[f]); i++) {
            const char *cand = c->fws[f].controls[i].id;
            size_t dist = diag_edit_distance(plain, cand, cap);
            size_t prefix = 0;
            while (plain[prefix] && plain[prefix] == cand[prefix])
                prefix++;
            if (dist < best_d || (dist == best_d && best && prefix > best_prefix)) {
                best = cand;
                best_d = dist;
                best_prefix = prefix;
            }
        }
    if (!best)
        return 0;
    buf_adds(out, best);
    return 1;
}
