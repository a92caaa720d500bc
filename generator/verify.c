/* verify: a copy of a site against its manifest.json (verify.h). The
 * manifest is read with the YAML loader (yamltree.c): JSON is YAML's flow
 * syntax, the file is charter's own output of a fixed shape, and the loader
 * already gives positions, caps and a refusal of duplicate keys; the shape
 * is then checked strictly here, field by field. */
#include "verify.h"

#include "buf.h"
#include "digest.h"
#include "fs.h"
#include "manifest.h"
#include "manifest_json.h"
#include "map.h"
#include "paths.h"
#include "yamltree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *verify_kind_name(verify_kind k)
{
    return k == VERIFY_CHANGED   ? "changed"
           : k == VERIFY_MISSING ? "missing"
                                 : "not in the manifest";
}

void verify_result_release(verify_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n_diffs; i++)
        free(res->diffs[i].rel);
    free(res->diffs);
    res->diffs = NULL;
    res->n_diffs = 0;
}

static void add_diff(verify_result *res, const char *rel, verify_kind kind)
{
    res->diffs = xgrow(res->diffs, res->n_diffs, sizeof *res->diffs);
    res->diffs[res->n_diffs].rel = xstrdup(rel);
    res->diffs[res->n_diffs].kind = kind;
    res->n_diffs++;
}

static int cmp_diff(const void *a, const void *b)
{
    return strcmp(((const verify_diff *)a)->rel, ((const verify_diff *)b)->rel);
}

/* --- reading the manifest ------------------------------------------------------ */

/* A quoted scalar (a JSON string), or NULL. */
static const char *json_text(const yaml_node *n)
{
    return n && yamltree_kind(n) == YAML_SCALAR && !yamltree_plain(n) ? yamltree_text(n) : NULL;
}

/* A file's path as a build writes one: inside the site (path_is_safe_output),
 * all of it (no NUL inside), no "." part and no '/' at its end, so that no
 * two spellings name one file. */
static int file_path_ok(const yaml_node *n, const char *path)
{
    if (!path || strlen(path) != yamltree_text_len(n) || !path_is_safe_output(path) ||
        path[strlen(path) - 1] == '/')
        return 0;
    for (const char *p = path; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
        if (p[0] == '.' && (p[1] == '/' || p[1] == '\0'))
            return 0;
    return 1;
}

static int is_json_null(const yaml_node *n)
{
    return n && yamltree_kind(n) == YAML_SCALAR && yamltree_plain(n) &&
           !strcmp(yamltree_text(n), "null");
}

static int is_hex(const char *s, size_t len)
{
    if (strlen(s) != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* A JSON integer from 0 up, as a plain scalar: digits only. -1 otherwise. */
static long long json_size(const yaml_node *n)
{
    if (!n || yamltree_kind(n) != YAML_SCALAR || !yamltree_plain(n))
        return -1;
    const char *t = yamltree_text(n);
    size_t len = strlen(t);
    if (len == 0 || len > 18 || (t[0] == '0' && len > 1) || strspn(t, "0123456789") != len)
        return -1;
    return strtoll(t, NULL, 10);
}

/* Reports the manifest as malformed, at node n (may be NULL). Returns -1. */
static int malformed(diags *d, const char *shown, const yaml_node *n, const char *what)
{
    if (n)
        return diag_error(d, NULL, 0, 0, "verify",
                          "'%s' is not a manifest charter writes: %s (line %d)", shown, what,
                          yamltree_line(n));
    return diag_error(d, NULL, 0, 0, "verify", "'%s' is not a manifest charter writes: %s", shown,
                      what);
}

/* Checks the manifest's shape and fills *res (provenance) and `listed`
 * (rel -> its files entry). 0 or -1 after reporting. */
static int read_manifest(verify_result *res, map *listed, const yaml_node *root, const char *shown,
                         diags *d)
{
    if (yamltree_kind(root) != YAML_MAPPING)
        return malformed(d, shown, root, "not a JSON object");
    const char *schema = json_text(yamltree_get(root, "schema"));
    if (!schema || strcmp(schema, MANIFEST_JSON_SCHEMA) != 0)
        return malformed(d, shown, yamltree_get(root, "schema"),
                         "\"schema\" is not \"" MANIFEST_JSON_SCHEMA "\"");
    const yaml_node *commit = yamltree_get(root, "commit");
    if (is_json_null(commit))
        res->commit[0] = '\0';
    else if (json_text(commit) && is_hex(json_text(commit), 40))
        memcpy(res->commit, json_text(commit), 41);
    else
        return malformed(d, shown, commit, "\"commit\" is not 40 hex digits or null");
    const yaml_node *clean = yamltree_get(root, "clean");
    if (is_json_null(clean))
        res->clean = -1;
    else if (clean && yamltree_kind(clean) == YAML_SCALAR && yamltree_plain(clean) &&
             (!strcmp(yamltree_text(clean), "true") || !strcmp(yamltree_text(clean), "false")))
        res->clean = yamltree_text(clean)[0] == 't';
    else
        return malformed(d, shown, clean, "\"clean\" is not true, false or null");
    const yaml_node *files = yamltree_get(root, "files");
    if (!files || yamltree_kind(files) != YAML_SEQUENCE)
        return malformed(d, shown, files, "\"files\" is not a list");
    for (size_t i = 0; i < yamltree_len(files); i++) {
        const yaml_node *f = yamltree_item(files, i);
        if (yamltree_kind(f) != YAML_MAPPING)
            return malformed(d, shown, f, "a file is not a JSON object");
        const char *path = json_text(yamltree_get(f, "path"));
        const char *hex = json_text(yamltree_get(f, "sha256"));
        if (!file_path_ok(yamltree_get(f, "path"), path) || !strcmp(path, MANIFEST_JSON) ||
            !strcmp(path, OUTPUT_MANIFEST))
            return malformed(d, shown, f, "a file's \"path\" is not a path inside the site");
        if (!hex || !is_hex(hex, 64))
            return malformed(d, shown, f, "a file's \"sha256\" is not 64 hex digits");
        if (json_size(yamltree_get(f, "size")) < 0)
            return malformed(d, shown, f, "a file's \"size\" is not a whole number");
        if (map_put(listed, path, (void *)f))
            return malformed(d, shown, f, "a path is listed twice");
    }
    res->n_listed = yamltree_len(files);
    return 0;
}

/* --- comparing the tree -------------------------------------------------------- */

typedef struct walk {
    const char *dir;
    map *listed; /* rel -> files entry (yaml_node) */
    map *seen;   /* rel -> 1: listed and found */
    verify_result *res;
    diags *d;
} walk;

/* 1 when the regular file at path (opened without following a link) has
 * the size and SHA-256 the entry lists, 0 otherwise. */
static int file_matches(const char *path, const yaml_node *entry)
{
    char hex[DIGEST_HEX];
    long long size;
    return manifest_hash_file(path, hex, &size) == 0 &&
           size == json_size(yamltree_get(entry, "size")) &&
           !strcmp(hex, json_text(yamltree_get(entry, "sha256")));
}

/* Walks dir/rel without following links: each file is compared with its
 * entry, or is not in the manifest. 0, or -1 after reporting a folder that
 * cannot be listed. */
static int walk_tree(walk *w, const char *rel)
{
    buf path, child;
    buf_init(&path);
    buf_init(&child);
    char **list = NULL;
    int err = -1;
    if (rel[0])
        buf_printf(&path, "%s/%s", w->dir, rel);
    else
        buf_adds(&path, w->dir);
    if (fs_list(&list, path.data, 0, w->d) != 0)
        goto done;
    for (char **p = list; *p; p++) {
        buf_reset(&child);
        if (rel[0])
            buf_printf(&child, "%s/", rel);
        buf_adds(&child, *p);
        if (!rel[0] && (!strcmp(*p, MANIFEST_JSON) || !strcmp(*p, OUTPUT_MANIFEST)))
            continue;
        buf_reset(&path);
        buf_printf(&path, "%s/%s", w->dir, child.data);
        struct stat st;
        if (lstat(path.data, &st) != 0) {
            if (errno == ENOENT)
                continue; /* gone meanwhile: a listed one is then missing */
            /* Never pass over what cannot be looked at (a path too long). */
            diag_error(w->d, NULL, 0, 0, "verify", "cannot read '%s': %s", path.data,
                       strerror(errno));
            goto done;
        }
        const yaml_node *entry = map_get(w->listed, child.data);
        if (S_ISDIR(st.st_mode)) {
            if (entry) {
                map_put(w->seen, child.data, (void *)1);
                add_diff(w->res, child.data, VERIFY_CHANGED);
            }
            if (walk_tree(w, child.data) != 0)
                goto done;
            continue;
        }
        if (!entry) {
            add_diff(w->res, child.data, VERIFY_EXTRA);
            continue;
        }
        map_put(w->seen, child.data, (void *)1);
        if (!S_ISREG(st.st_mode) || !file_matches(path.data, entry))
            add_diff(w->res, child.data, VERIFY_CHANGED);
    }
    err = 0;
done:
    fs_list_free(list);
    buf_release(&path);
    buf_release(&child);
    return err;
}

typedef struct missing_ctx {
    map *seen;
    verify_result *res;
} missing_ctx;

static void add_missing(void *ctx, const char *key, void *value)
{
    (void)value;
    missing_ctx *m = ctx;
    if (!map_get(m->seen, key))
        add_diff(m->res, key, VERIFY_MISSING);
}

int verify_dir(verify_result *res, const char *dir, diags *d)
{
    memset(res, 0, sizeof *res);
    buf path, text;
    buf_init(&path);
    buf_init(&text);
    yaml_node *root = NULL;
    map *listed = map_new(), *seen = map_new();
    int err = -1;
    if (fs_is_dir(dir) != 1) {
        diag_error(d, NULL, 0, 0, "verify", "'%s' is not a directory", dir);
        goto done;
    }
    buf_printf(&path, "%s/%s", dir, MANIFEST_JSON);
    /* Never through a link: the manifest must be the site's own file. */
    if (fs_read_nofollow(&text, path.data, NULL, d) != 0)
        goto done;
    diags *quiet = diag_new(NULL);
    int parsed = yamltree_parse(&root, text.data, text.len, path.data, 0, quiet);
    diag_free(quiet);
    if (parsed != 0) {
        malformed(d, path.data, NULL, "not JSON");
        goto done;
    }
    if (read_manifest(res, listed, root, path.data, d) != 0)
        goto done;
    walk w = {dir, listed, seen, res, d};
    if (walk_tree(&w, "") != 0)
        goto done;
    missing_ctx m = {seen, res};
    map_each(listed, add_missing, &m);
    if (res->n_diffs > 1)
        qsort(res->diffs, res->n_diffs, sizeof *res->diffs, cmp_diff);
    err = 0;
done:
    if (err)
        verify_result_release(res);
    yamltree_free(root);
    map_free(listed);
    map_free(seen);
    buf_release(&path);
    buf_release(&text);
    return err;
}
