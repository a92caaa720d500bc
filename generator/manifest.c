/* manifest: the list of every file charter wrote into an output, with its
 * SHA-256, in the format of `sha256sum` (OUTPUT_MANIFEST), and what it makes
 * safe: recognising a directory as charter's own (every file listed, every
 * digest matching), removing exactly the files a list names and nothing
 * else, and sweeping what killed builds left behind (by their journal). */
#include "manifest.h"

#include "digest.h"
#include "fs.h"
#include "map.h"
#include "paths.h"
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- the manifest --------------------------------------------------------------- */

void manifest_entries_free(manifest_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].rel);
    free(v);
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const manifest_entry *)a)->rel, ((const manifest_entry *)b)->rel);
}

/* One manifest line, as sha256sum writes it: a name holding a backslash is
 * escaped (\\) and its line starts with a backslash. */
static void manifest_line(buf *out, const manifest_entry *e)
{
    int esc = strchr(e->rel, '\\') != NULL;
    if (esc)
        buf_addc(out, '\\');
    buf_adds(out, e->hex);
    buf_add(out, "  ", 2);
    if (!esc)
        buf_adds(out, e->rel);
    for (const char *p = e->rel; esc && *p; p++) {
        if (*p == '\\')
            buf_addc(out, '\\');
        buf_addc(out, *p);
    }
    buf_addc(out, '\n');
}

int manifest_parse(manifest_entry **out, size_t *n, const char *text, size_t len)
{
    manifest_entry *v = NULL;
    size_t count = 0, cap = 0;
    buf rel;
    buf_init(&rel);
    int err = -1;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            goto done; /* every line ends with a newline */
        int esc = *p == '\\';
        const char *h = p + esc;
        if (nl - h < 67 || h[64] != ' ' || h[65] != ' ')
            goto done;
        if (digest_hex_span(h, 64) != 64)
            goto done;
        buf_reset(&rel);
        if (!esc)
            buf_add(&rel, h + 66, (size_t)(nl - h - 66));
        for (const char *c = h + 66; esc && c < nl; c++) {
            if (*c == '\\') {
                if (c + 1 >= nl || c[1] != '\\')
                    goto done;
                c++;
            }
            buf_addc(&rel, *c);
        }
        if (memchr(rel.data, '\0', rel.len) || !path_is_safe_output(rel.data))
            goto done;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[count].rel = xstrdup(rel.data);
        memcpy(v[count].hex, h, 64);
        v[count].hex[64] = '\0';
        v[count].key[0] = '\0';
        v[count].size = -1;
        count++;
        p = nl + 1;
    }
    err = 0;
done:
    buf_release(&rel);
    if (err) {
        manifest_entries_free(v, count);
        v = NULL;
        count = 0;
    }
    *out = v;
    *n = count;
    return err;
}

/* Reads dir/OUTPUT_MANIFEST. Returns 1 and the entries when there is a
 * valid one, 0 when there is none, -1 when it is there but unreadable or
 * malformed (reported). */
int manifest_read(manifest_entry **out, size_t *n, const char *dir, const char *shown, diags *d)
{
    *out = NULL;
    *n = 0;
    buf path, text;
    buf_init(&path);
    buf_init(&text);
    int rc = -1;
    buf_printf(&path, "%s/%s", dir, OUTPUT_MANIFEST);
    struct stat st;
    if (lstat(path.data, &st) != 0) {
        rc = 0;
        goto done;
    }
    diags *quiet = diag_new(NULL);
    int read_ok = S_ISREG(st.st_mode) && fs_read(&text, path.data, NULL, quiet) == 0;
    diag_free(quiet);
    if (!read_ok || manifest_parse(out, n, text.data, text.len) != 0) {
        diag_error(d, NULL, 0, 0, "output",
                   "refusing to replace '%s': its '%s' is not a manifest charter wrote", shown,
                   OUTPUT_MANIFEST);
        goto done;
    }
    rc = 1;
done:
    buf_release(&path);
    buf_release(&text);
    return rc;
}

int manifest_hash_file(const char *path, char hex[DIGEST_HEX], long long *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return -1;
    struct stat st;
    long long total = 0;
    int err = -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        goto done;
    digest *h = digest_new();
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n == 0 ? 0 : -1;
            break;
        }
        total += n;
        digest_add(h, chunk, (size_t)n);
    }
    digest_hex(h, hex);
    digest_free(h);
    if (size)
        *size = total;
done:
    close(fd);
    return err;
}

/* --- verifying a previous site ------------------------------------------------- */

/* A list of owned strings. */
typedef struct str_list {
    char **v;
    size_t n, cap;
} str_list;

static void str_list_add(str_list *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = xstrdup(s);
}

static void str_list_release(str_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

typedef struct verify_ctx {
    map *listed; /* rel -> entry */
    const char *shown;
    diags *d;
    const manifest_known *known; /* may be NULL */
    /* With known->same_dir: the listed paths in strcmp order, so that a
     * folder's are one run of them. */
    const char **sorted;
    size_t n_sorted;
    const atomic_int *stop; /* may be NULL */
    int dirfd;              /* the previous site's folder (fs_dir_open), or -1 */
} verify_ctx;

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names the folder rel held when the manifest was written: the first
 * component after "rel/" of each listed path below it, each once, sorted as
 * fs_list sorts. Appends to out. */
static void names_in(str_list *out, const verify_ctx *v, const char *rel)
{
    buf prefix;
    buf_init(&prefix);
    buf_printf(&prefix, "%s/", rel);
    size_t lo = 0, hi = v->n_sorted;
    while (lo < hi) { /* the first path not before the prefix */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v->sorted[mid], prefix.data) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    buf name;
    buf_init(&name);
    for (size_t i = lo; i < v->n_sorted && !strncmp(v->sorted[i], prefix.data, prefix.len); i++) {
        const char *c = v->sorted[i] + prefix.len, *slash = strchr(c, '/');
        size_t len = slash ? (size_t)(slash - c) : strlen(c);
        /* A folder's paths are one run, so a repeated name follows itself. */
        if (out->n && strlen(out->v[out->n - 1]) == len && !memcmp(out->v[out->n - 1], c, len))
            continue;
        buf_reset(&name);
        buf_add(&name, c, len);
        str_list_add(out, name.data);
    }
    qsort(out->v, out->n, sizeof *out->v, cmp_name);
    buf_release(&name);
    buf_release(&prefix);
}

/* Walks dir (the previous site, rel below it, with its lstat st when known):
 * every file must be a regular file listed in the manifest with the same
 * digest. A folder the cache vouches for is not read: its names are the
 * manifest's, each still checked by its lstat. 0, or -1 after reporting the
 * first one that is not (or, unreported, once *stop is set). With `later`,
 * its folders are added there instead of walked. */
static int verify_tree(verify_ctx *v, const char *root, const char *rel, const struct stat *st,
                       str_list *later)
{
    buf dir, child, full;
    buf_init(&dir);
    buf_init(&child);
    buf_init(&full);
    char **list = NULL;
    str_list names = {0};
    size_t n = 0;
    int err = -1;
    if (rel[0])
        buf_printf(&dir, "%s/%s", root, rel);
    else
        buf_adds(&dir, root);
    if (v->stop && atomic_load(v->stop))
        goto done;
    int same = rel[0] && st && v->sorted && v->known->same_dir(v->known->ctx, rel, st);
    if (same) {
        names_in(&names, v, rel);
        n = names.n;
    } else {
        if (fs_list(&list, dir.data, 0, v->d) != 0)
            goto done;
        while (list[n])
            n++;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = same ? names.v[i] : list[i];
        buf_reset(&child);
        if (rel[0])
            buf_printf(&child, "%s/%s", rel, name);
        else
            buf_adds(&child, name);
        if (!rel[0] && !strcmp(name, OUTPUT_MANIFEST))
            continue;
        struct stat cst;
        if (fs_lstat_at(v->dirfd, root, child.data, &cst) != 0)
            continue; /* gone meanwhile: nothing to lose */
        if (S_ISDIR(cst.st_mode)) {
            if (later)
                str_list_add(later, child.data);
            else if (verify_tree(v, root, child.data, &cst, NULL) != 0)
                goto done;
            continue;
        }
        const manifest_entry *e = map_get(v->listed, child.data);
        char hex[DIGEST_HEX];
        const char *why = NULL;
        if (!e || !S_ISREG(cst.st_mode))
            why = "was not written by charter";
        else if (v->known && v->known->fresh &&
                 v->known->fresh(v->known->ctx, child.data, &cst, e->hex))
            why = NULL;
        else {
            buf_reset(&full);
            buf_printf(&full, "%s/%s", root, child.data);
            if (manifest_hash_file(full.data, hex, NULL) != 0 || strcmp(hex, e->hex) != 0)
                why = "was changed since charter wrote it";
        }
        if (why) {
            diag_error(v->d, NULL, 0, 0, "output",
                       "refusing to replace '%s': '%s' in it %s; move it away or choose "
                       "another output directory",
                       v->shown, child.data, why);
            goto done;
        }
    }
    err = 0;
done:
    fs_list_free(list);
    str_list_release(&names);
    buf_release(&dir);
    buf_release(&child);
    buf_release(&full);
    return err;
}

/* The folders below the top one, verified one per item of pool_run. */
typedef struct verify_job {
    verify_ctx *v;
    const char *root;
    str_list *dirs;
    diags **found; /* per folder: what it reported */
    int *err;
} verify_job;

static void verify_one(void *arg, size_t i)
{
    verify_job *j = arg;
    verify_ctx local = *j->v;
    local.d = j->found[i] = diag_new(NULL);
    struct stat st;
    int known = fs_lstat_at(local.dirfd, j->root, j->dirs->v[i], &st) == 0 && S_ISDIR(st.st_mode);
    j->err[i] = verify_tree(&local, j->root, j->dirs->v[i], known ? &st : NULL, NULL);
}

int manifest_verify(const char *dir, const char *shown, const manifest_entry *v, size_t n,
                    const manifest_known *known, const atomic_int *stop, diags *d)
{
    verify_ctx ctx = {map_new(), shown, d, known, NULL, 0, stop, fs_dir_open(dir)};
    for (size_t i = 0; i < n; i++)
        map_put(ctx.listed, v[i].rel, (void *)&v[i]);
    if (known && known->same_dir) {
        /* A manifest charter wrote is sorted already: sorted again only if
         * it is not, so that no folder's names are missed. */
        ctx.sorted = xcalloc(n ? n : 1, sizeof *ctx.sorted);
        int in_order = 1;
        for (size_t i = 0; i < n; i++) {
            ctx.sorted[i] = v[i].rel;
            in_order &= i == 0 || strcmp(v[i - 1].rel, v[i].rel) < 0;
        }
        if (!in_order)
            qsort(ctx.sorted, n, sizeof *ctx.sorted, cmp_name);
        ctx.n_sorted = n;
    }
    /* The top folder's own files here, then its folders (one per section,
     * holding a folder per page) on all cores, each reporting into its own
     * list: what is reported is a failing file of the top folder, else the
     * first failure of the first failing folder in name order, whichever
     * thread met its failure first. */
    str_list later = {0};
    verify_job j = {&ctx, dir, &later, NULL, NULL};
    int err = verify_tree(&ctx, dir, "", NULL, &later);
    if (err == 0 && later.n) {
        j.found = xcalloc(later.n, sizeof *j.found);
        j.err = xcalloc(later.n, sizeof *j.err);
        pool_run(later.n, verify_one, &j);
        for (size_t i = 0; i < later.n && !err; i++) {
            if (!j.err[i])
                continue;
            err = -1;
            size_t m;
            const diag_entry *e = diag_entries(j.found[i], &m);
            for (size_t k = 0; k < m; k++)
                diag_report(d, e[k].level, e[k].file, e[k].line, e[k].col, e[k].id, "%s",
                            e[k].message);
        }
        for (size_t i = 0; i < later.n; i++)
            diag_free(j.found[i]);
        free(j.found);
        free(j.err);
    }
    str_list_release(&later);
    free(ctx.sorted);
    map_free(ctx.listed);
    if (ctx.dirfd >= 0)
        close(ctx.dirfd);
    return err;
}

/* --- removing only what charter wrote --------------------------------------------- */

static void collect_key(void *ctx, const char *key, void *value)
{
    (void)value;
    str_list *l = ctx;
    l->v[l->n++] = xstrdup(key);
}

static int cmp_depth_desc(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    size_t dx = 0, dy = 0;
    for (const char *p = x; *p; p++)
        dx += *p == '/';
    for (const char *p = y; *p; p++)
        dy += *p == '/';
    if (dx != dy)
        return dx > dy ? -1 : 1;
    return strcmp(x, y);
}

/* Reports (a warning) the first thing left in dir that charter did not
 * write; `what` says which directory it is. */
static void report_kept(const char *dir, const char *shown, const char *what, diags *d)
{
    char **list = NULL;
    diags *quiet = diag_new(NULL);
    if (fs_list(&list, dir, 1, quiet) == 0 && list[0])
        diag_warning(d, NULL, 0, 0, "output",
                     "kept %s '%s': it holds '%s', which charter did not write", what, shown,
                     list[0]);
    fs_list_free(list);
    diag_free(quiet);
}

size_t manifest_folders(char ***out, const char *const *rels, size_t n)
{
    map *dirs = map_new();
    buf parent;
    buf_init(&parent);
    for (size_t i = 0; i < n; i++) {
        buf_reset(&parent);
        buf_adds(&parent, rels[i]);
        for (char *s = strrchr(parent.data, '/'); s; s = strrchr(parent.data, '/')) {
            buf_truncate(&parent, (size_t)(s - parent.data));
            if (map_put(dirs, parent.data, (void *)1))
                break; /* its parents are in already */
        }
    }
    str_list l = {xcalloc(map_count(dirs) + 1, sizeof(char *)), 0, 0};
    map_each(dirs, collect_key, &l);
    map_free(dirs);
    buf_release(&parent);
    *out = l.v;
    return l.n;
}

/* Unlinks dir/<rel> for each listed path, then every folder those paths
 * imply, deepest first, each only when empty. Never a folder by unlink,
 * and never through a link: not the listed path's own (unlinkat removes a
 * link itself) nor any folder on its way (fs_open_dir_nofollow), so that a
 * list naming "a/x" where a is a link to elsewhere removes nothing there. */
static void remove_group(const char *dir, char *const *rels, size_t n)
{
    const char **safe = xcalloc(n + 1, sizeof *safe);
    size_t n_safe = 0;
    int base = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    /* The folder of the last path, kept open for the next (the paths are
     * sorted: a folder's files come together). */
    int at = -1;
    buf folder;
    buf_init(&folder);
    for (size_t i = 0; base >= 0 && i < n; i++) {
        if (!path_is_safe_output(rels[i]))
            continue;
        safe[n_safe++] = rels[i];
        const char *slash = strrchr(rels[i], '/');
        size_t len = slash ? (size_t)(slash - rels[i]) : 0;
        if (at < 0 || folder.len != len || memcmp(folder.data, rels[i], len) != 0) {
            if (at >= 0)
                close(at);
            buf_reset(&folder);
            buf_add(&folder, rels[i], len);
            at = fs_open_dir_nofollow(base, rels[i], len);
        }
        if (at >= 0)
            unlinkat(at, slash ? slash + 1 : rels[i], 0);
    }
    if (at >= 0)
        close(at);
    char **folders;
    size_t m = manifest_folders(&folders, safe, n_safe);
    if (m > 1)
        qsort(folders, m, sizeof *folders, cmp_depth_desc);
    for (size_t i = 0; i < m; i++) {
        const char *slash = strrchr(folders[i], '/');
        size_t len = slash ? (size_t)(slash - folders[i]) : 0;
        int parent = base >= 0 ? fs_open_dir_nofollow(base, folders[i], len) : -1;
        /* Only when empty: what stays is not charter's. */
        if (parent >= 0) {
            unlinkat(parent, slash ? slash + 1 : folders[i], AT_REMOVEDIR);
            close(parent);
        }
        free(folders[i]);
    }
    free(folders);
    free(safe);
    buf_release(&folder);
    if (base >= 0)
        close(base);
}

/* The length of rel's first component. */
static size_t top_len(const char *rel)
{
    const char *slash = strchr(rel, '/');
    return slash ? (size_t)(slash - rel) : strlen(rel);
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct remove_job {
    const char *dir;
    char **rels;
    size_t cut[3]; /* group i is rels[cut[i]..cut[i + 1]) */
} remove_job;

static void remove_one(void *ctx, size_t i)
{
    remove_job *j = ctx;
    remove_group(j->dir, j->rels + j->cut[i], j->cut[i + 1] - j->cut[i]);
}

void manifest_remove_listed(const char *dir, char *const *rels, size_t n, int whole,
                            const char *shown, const char *what, diags *d)
{
    /* In two groups on two cores, split between top folders (a section of
     * a large site each): no folder is emptied from both sides at once. */
    char **sorted = xcalloc(n + 1, sizeof *sorted);
    if (n)
        memcpy(sorted, rels, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_str_ptr);
    size_t mid = n / 2;
    while (mid > 0 && mid < n && top_len(sorted[mid]) == top_len(sorted[mid - 1]) &&
           !strncmp(sorted[mid], sorted[mid - 1], top_len(sorted[mid])))
        mid++;
    remove_job j = {dir, sorted, {0, mid, n}};
    if (n >= 512)
        pool_run(2, remove_one, &j);
    else
        remove_group(dir, sorted, n);
    free(sorted);
    if (whole && rmdir(dir) != 0 && errno != ENOENT && what)
        report_kept(dir, shown, what, d);
}

void manifest_remove_entries(const char *dir, const manifest_entry *v, size_t n, int whole,
                             const char *shown, const char *what, diags *d)
{
    char **rels = xcalloc(n + 2, sizeof *rels);
    for (size_t i = 0; i < n; i++)
        rels[i] = v[i].rel;
    rels[n] = OUTPUT_MANIFEST;
    manifest_remove_listed(dir, rels, n + 1, whole, shown, what, d);
    free(rels);
}

/* Reads dir/OUTPUT_JOURNAL into a NULL-terminated list (free with
 * fs_list_free); NULL when there is none. */
char **manifest_read_journal(const char *dir)
{
    buf path, text;
    buf_init(&path);
    buf_init(&text);
    char **list = NULL;
    buf_printf(&path, "%s/%s", dir, OUTPUT_JOURNAL);
    diags *quiet = diag_new(NULL);
    struct stat st;
    if (lstat(path.data, &st) == 0 && S_ISREG(st.st_mode) &&
        fs_read(&text, path.data, NULL, quiet) == 0) {
        size_t n = 0, cap = 16;
        list = xcalloc(cap, sizeof *list);
        for (char *p = text.data, *nl; p < text.data + text.len; p = nl + 1) {
            nl = memchr(p, '\n', (size_t)(text.data + text.len - p));
            if (!nl)
                break; /* a line cut by a kill: its file was not created */
            if (n + 2 >= cap) {
                cap *= 2;
                list = xrealloc(list, cap * sizeof *list);
            }
            list[n++] = xstrndup(p, (size_t)(nl - p));
        }
        list[n++] = xstrdup(OUTPUT_JOURNAL);
        list[n] = NULL;
    }
    diag_free(quiet);
    buf_release(&path);
    buf_release(&text);
    return list;
}

/* Removes a staging directory a killed or crashed build left: the files its
 * journal lists, or, once the build had written its manifest, the files
 * the manifest lists. A directory with neither is not charter's and stays. */
void manifest_sweep_dir(const char *dir, const char *shown, diags *d)
{
    char **journal = manifest_read_journal(dir);
    if (journal) {
        size_t n = 0;
        while (journal[n])
            n++;
        manifest_remove_listed(dir, journal, n, 1, shown, "the unfinished build", d);
        fs_list_free(journal);
        return;
    }
    manifest_entry *v;
    size_t n;
    diags *quiet = diag_new(NULL);
    if (manifest_read(&v, &n, dir, dir, quiet) == 1)
        manifest_remove_entries(dir, v, n, 1, shown, "the unfinished build", d);
    manifest_entries_free(v, n);
    diag_free(quiet);
}

/* True if name is prefix followed by exactly six characters (mkdtemp's). */
int manifest_is_temp_name(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(name, prefix, n) == 0 && strlen(name + n) == 6;
}

/* Sweeps `<base>.tmp-XXXXXX` and `<base>.old-XXXXXX` in parent, and
 * `.charter-staging-XXXXXX` inside target: only with the parent locked, so
 * none of them belongs to a build still running. */
void manifest_sweep(const char *parent, const char *base, const char *target, const char *shown,
                    diags *d)
{
    buf tmp, old, path, name;
    buf_init(&tmp);
    buf_init(&old);
    buf_init(&path);
    buf_init(&name);
    size_t shown_len = strlen(shown);
    while (shown_len > 1 && shown[shown_len - 1] == '/')
        shown_len--;
    buf_printf(&tmp, "%s.tmp-", base);
    buf_printf(&old, "%s.old-", base);
    const char *dirs[2] = {parent, target};
    for (int k = 0; k < 2; k++) {
        char **list = NULL;
        diags *quiet = diag_new(NULL);
        if (fs_list(&list, dirs[k], 1, quiet) == 0) {
            for (char **p = list; *p; p++) {
                int ours = k == 0 ? manifest_is_temp_name(*p, tmp.data) ||
                                        manifest_is_temp_name(*p, old.data)
                                  : manifest_is_temp_name(*p, ".charter-staging-");
                struct stat st;
                buf_reset(&path);
                buf_printf(&path, "%s/%s", dirs[k], *p);
                if (!ours || lstat(path.data, &st) != 0 || !S_ISDIR(st.st_mode))
                    continue;
                /* Named in messages as the user named the output. */
                buf_reset(&name);
                buf_add(&name, shown, shown_len);
                buf_adds(&name, k == 0 ? *p + strlen(base) : "/");
                if (k == 1)
                    buf_adds(&name, *p);
                manifest_sweep_dir(path.data, name.data, d);
            }
        }
        fs_list_free(list);
        diag_free(quiet);
    }
    buf_release(&tmp);
    buf_release(&old);
    buf_release(&path);
    buf_release(&name);
}

void manifest_write(buf *out, manifest_entry *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_entry);
    for (size_t i = 0; i < n; i++)
        manifest_line(out, &v[i]);
}
