/* history_dir: the repository-level facts of the history module: where
 * charter keeps its caches for a site (the `charter` folder of the git
 * directory, which no commit can fill), the content folder's place in the
 * repository, the status pass and .mailmap that history_load reads, and a
 * digest of all of them for the build stamp (stamp.h). */
#include "history_int.h"

#include "digest.h"
#include "fs.h"
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int history_repo_top(buf *out, const char *root)
{
    char *at = realpath(root, NULL);
    if (!at)
        return -1;
    char *whole = xstrdup(at);
    buf probe;
    buf_init(&probe);
    int err = -1;
    for (;;) {
        struct stat st;
        buf_reset(&probe);
        buf_printf(&probe, "%s/.git", strcmp(at, "/") ? at : "");
        if (lstat(probe.data, &st) == 0) {
            buf_adds(out, at);
            err = 0;
            break;
        }
        char *slash = strrchr(at, '/');
        if (!slash || slash == at)
            break;
        *slash = '\0';
    }
    if (err) { /* no .git on the way: the folder itself, as a path git takes */
        buf_adds(out, whole);
        err = 0;
    }
    buf_release(&probe);
    free(at);
    free(whole);
    return err;
}

void history_owner_refusal(buf *out, const char *root)
{
    buf top;
    buf_init(&top);
    if (history_repo_top(&top, root) != 0)
        buf_adds(&top, root);
    buf_printf(out,
               "the git repository holding '%s' belongs to another user, so git refuses to read "
               "it; if you trust it, run 'git config --global --add safe.directory %s'",
               root, top.data);
    buf_release(&top);
}

/* Whether a safe.directory value trusts the work tree at top. */
static int trusts(const char *value, const char *top)
{
    if (!value)
        return 0;
    if (!strcmp(value, "*"))
        return 1;
    size_t n = strlen(value);
    while (n > 1 && value[n - 1] == '/')
        n--;
    return strlen(top) == n && !memcmp(value, top, n);
}

/* Whether the safe.directory values of config file path (or of the
 * default files, path NULL) trust top. */
static int config_trusts(const char *path, const char *top)
{
    git_config *cfg = NULL;
    git_config_iterator *it = NULL;
    git_config_entry *e;
    int yes = 0;
    if ((path ? git_config_open_ondisk(&cfg, path) : git_config_open_default(&cfg)) != 0)
        goto done;
    if (git_config_multivar_iterator_new(&it, cfg, "safe.directory", NULL) != 0)
        goto done;
    /* As git reads them, an empty value resets the list. */
    while (git_config_next(&e, it) == 0)
        yes = e->value && !*e->value ? 0 : yes || trusts(e->value, top);
done:
    git_config_iterator_free(it);
    git_config_free(cfg);
    return yes;
}

/* Whether git would trust the repository at top though another user owns
 * it: safe.directory in the global files, GIT_CONFIG_GLOBAL's, or
 * GIT_CONFIG_COUNT's pairs. */
static int safe_directory(const char *top)
{
    const char *global = getenv("GIT_CONFIG_GLOBAL");
    int yes = global && *global ? config_trusts(global, top) : config_trusts(NULL, top);
    const char *count = getenv("GIT_CONFIG_COUNT");
    long n = count ? strtol(count, NULL, 10) : 0;
    for (long i = 0; i < n && i < 1000; i++) {
        char name[40];
        snprintf(name, sizeof name, "GIT_CONFIG_KEY_%ld", i);
        const char *key = getenv(name);
        snprintf(name, sizeof name, "GIT_CONFIG_VALUE_%ld", i);
        const char *value = getenv(name);
        if (key && !strcasecmp(key, "safe.directory"))
            yes = value && !*value ? 0 : yes || trusts(value, top);
    }
    return yes;
}

int history_repo_open(git_repository **repo, const char *root)
{
    *repo = NULL;
    const char *dir = getenv("GIT_DIR");
    int rc;
    if (dir && *dir) {
        /* As git: the work tree is GIT_WORK_TREE, else where it runs. */
        const char *tree = getenv("GIT_WORK_TREE");
        char *cwd = tree && *tree ? NULL : getcwd(NULL, 0);
        /* Named so, as git trusts it: it checks the owner of a repository
         * it discovers, not of one it is told. */
        git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
        rc = git_repository_open_ext(repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
        if (rc == 0 && (tree && *tree ? tree : cwd) &&
            git_repository_set_workdir(*repo, tree && *tree ? tree : cwd, 0) != 0) {
            git_repository_free(*repo);
            *repo = NULL;
            rc = -1;
        }
        free(cwd);
    } else {
        rc = git_repository_open_ext(repo, root, 0, NULL);
    }
    const git_error *ge = git_error_last();
    /* libgit2 1.5 reports its ownership check as "not found" with a message
     * naming safe.directory; later versions return GIT_EOWNER. */
    if (rc == GIT_ENOTFOUND && ge && ge->message && strstr(ge->message, "safe.directory"))
        rc = GIT_EOWNER;
    buf top;
    buf_init(&top);
    if (rc == GIT_EOWNER && !(dir && *dir) && history_repo_top(&top, root) == 0 &&
        safe_directory(top.data)) {
        /* Trusted as git trusts it: opened without libgit2's own check,
         * left off for the process, whose threads open it again (the
         * history's blob readers) and whose only repository it is. */
        git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
        rc = git_repository_open_ext(repo, root, 0, NULL);
    }
    buf_release(&top);
    return rc;
}

static int refresh_index = 1;

void history_set_refresh_index(int on)
{
    refresh_index = on;
}

int history_status_list(git_status_list **st, git_repository *repo, git_status_options *so)
{
    if (!refresh_index)
        so->flags &= ~(unsigned)GIT_STATUS_OPT_UPDATE_INDEX;
    if (git_status_list_new(st, repo, so) == 0)
        return 0;
    if (!(so->flags & GIT_STATUS_OPT_UPDATE_INDEX))
        return -1;
    /* The index locked (a git running, or one that crashed: index.lock),
     * or read-only: as git status, the status without the refresh. */
    so->flags &= ~(unsigned)GIT_STATUS_OPT_UPDATE_INDEX;
    return git_status_list_new(st, repo, so);
}

int history_cache_dir(buf *out, const char *root)
{
    history_git_init();
    git_repository *repo = NULL;
    int err = -1;
    if (history_repo_open(&repo, root) == 0 && git_repository_workdir(repo)) {
        buf_printf(out, "%scharter", git_repository_path(repo));
        err = 0;
    }
    git_repository_free(repo);
    git_libgit2_shutdown();
    return err;
}

int history_workdir(buf *out, const char *root)
{
    history_git_init();
    git_repository *repo = NULL;
    int err = -1;
    if (history_repo_open(&repo, root) == 0 && git_repository_workdir(repo)) {
        buf_adds(out, git_repository_workdir(repo));
        err = 0;
    }
    git_repository_free(repo);
    git_libgit2_shutdown();
    return err;
}

struct history_ignores {
    git_repository *repo;
    git_index *index;
    buf prefix; /* the site root's path in the work tree: "" or "handbook/" */
    buf path;   /* scratch: prefix and a rel */
};

history_ignores *history_ignores_open(const char *root)
{
    history_git_init();
    history_ignores *ig = xcalloc(1, sizeof *ig);
    buf_init(&ig->prefix);
    buf_init(&ig->path);
    const char *wd;
    if (history_repo_open(&ig->repo, root) != 0 || !(wd = git_repository_workdir(ig->repo)) ||
        history_content_prefix(&ig->prefix, wd, root) != 0 ||
        git_repository_index(&ig->index, ig->repo) != 0) {
        history_ignores_free(ig);
        return NULL;
    }
    return ig;
}

int history_ignores_skip(history_ignores *ig, const char *rel, int is_dir)
{
    if (!ig)
        return 0;
    while (rel[0] == '.' && rel[1] == '/') /* content: ./src */
        rel += 2;
    buf_reset(&ig->path);
    buf_add(&ig->path, ig->prefix.data ? ig->prefix.data : "", ig->prefix.len);
    buf_adds(&ig->path, rel);
    if (is_dir) {
        size_t pos;
        buf_addc(&ig->path, '/');
        if (git_index_find_prefix(&pos, ig->index, ig->path.data) == 0)
            return 0; /* it holds a tracked file */
    } else if (git_index_get_bypath(ig->index, ig->path.data, 0)) {
        return 0;
    }
    /* Untracked: ignored when it or a folder above matches a pattern. */
    int ignored = 0;
    return git_ignore_path_is_ignored(&ignored, ig->repo, ig->path.data) == 0 && ignored;
}

void history_ignores_free(history_ignores *ig)
{
    if (!ig)
        return;
    git_index_free(ig->index);
    git_repository_free(ig->repo);
    buf_release(&ig->prefix);
    buf_release(&ig->path);
    free(ig);
    git_libgit2_shutdown();
}

int history_remote_web(buf *url, buf *branch, const char *root)
{
    history_git_init();
    git_repository *repo = NULL;
    git_config *cfg = NULL;
    git_reference *head = NULL;
    const char *remote = NULL;
    int err = -1;
    /* The configured address as written, read as one key (libgit2's
     * git_remote_lookup also applies url.*.insteadOf through a regex,
     * which leaks in Debian's libgit2 1.5 with PCRE2). */
    if (history_repo_open(&repo, root) != 0 || git_repository_config_snapshot(&cfg, repo) != 0 ||
        git_config_get_string(&remote, cfg, "remote.origin.url") != 0 || !remote ||
        url_repository_web(url, remote) != 0)
        goto done;
    /* HEAD's branch, born or not ("ref: refs/heads/main"). */
    if (git_reference_lookup(&head, repo, "HEAD") == 0 &&
        git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
        const char *target = git_reference_symbolic_target(head);
        if (target && !strncmp(target, "refs/heads/", 11) && target[11])
            buf_adds(branch, target + 11);
    }
    err = 0;
done:
    git_reference_free(head);
    git_config_free(cfg);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return err;
}

/* Whether s[0..len) is 40 lowercase hex digits. */
static int is_oid_hex(const char *s, size_t len)
{
    if (len != 40)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* The most of packed-refs history_head_peek reads. */
#define PEEK_PACKED_MAX ((size_t)8 << 20)

int history_head_peek(char hex[41], const char *gitdir)
{
    hex[0] = '\0';
    buf head, path, ref;
    buf_init(&head);
    buf_init(&path);
    buf_init(&ref);
    int err = -1;
    buf_printf(&path, "%s/HEAD", gitdir);
    if (fs_read_head(&head, path.data, 4096) != 0)
        goto done;
    while (head.len && (head.data[head.len - 1] == '\n' || head.data[head.len - 1] == '\r'))
        head.data[--head.len] = '\0';
    const char *name = head.data + 5;
    if (is_oid_hex(head.data, head.len)) { /* detached */
        memcpy(hex, head.data, 40);
        hex[40] = '\0';
        err = 0;
        goto done;
    }
    if (strncmp(head.data, "ref: refs/", 10) != 0 || strstr(name, "..") || strchr(name, '\\') ||
        strchr(name, ' '))
        goto done;
    buf_reset(&path);
    buf_printf(&path, "%s/%s", gitdir, name);
    struct stat st;
    if (lstat(path.data, &st) == 0) { /* loose */
        if (fs_read_head(&ref, path.data, 4096) == 0 && ref.len >= 40 && is_oid_hex(ref.data, 40) &&
            (ref.len == 40 || ref.data[40] == '\n')) {
            memcpy(hex, ref.data, 40);
            hex[40] = '\0';
            err = 0;
        }
        goto done;
    }
    if (errno != ENOENT)
        goto done;
    /* Packed: "<id> <name>" lines (and "# ..." and "^<peeled id>"). */
    buf_reset(&path);
    buf_printf(&path, "%s/packed-refs", gitdir);
    buf_reset(&ref);
    if (lstat(path.data, &st) != 0 || !S_ISREG(st.st_mode) ||
        (size_t)st.st_size > PEEK_PACKED_MAX || fs_read_head(&ref, path.data, PEEK_PACKED_MAX) != 0)
        goto done;
    size_t nl = strlen(name);
    for (const char *p = ref.data, *end = ref.data + ref.len; p < end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if ((size_t)(eol - p) == 41 + nl && is_oid_hex(p, 40) && p[40] == ' ' &&
            !memcmp(p + 41, name, nl)) {
            memcpy(hex, p, 40);
            hex[40] = '\0';
            err = 0;
            break;
        }
        p = eol + 1;
    }
done:
    buf_release(&head);
    buf_release(&path);
    buf_release(&ref);
    return err;
}

int history_cache_dir_guess(buf *out, const char *root)
{
    char *dir = realpath(root, NULL);
    struct stat top, st;
    buf git;
    buf_init(&git);
    int err = -1;
    if (!dir || stat(dir, &top) != 0)
        goto done;
    for (;;) {
        buf_reset(&git);
        buf_printf(&git, "%s/.git", strcmp(dir, "/") ? dir : "");
        if (lstat(git.data, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                buf_printf(out, "%s/charter", git.data);
                err = 0;
            }
            break;
        }
        char *slash = strrchr(dir, '/');
        if (!slash || !strcmp(dir, "/"))
            break;
        slash[slash == dir] = '\0'; /* "/a": "/" */
        if (stat(dir, &st) != 0 || st.st_dev != top.st_dev)
            break;
    }
done:
    buf_release(&git);
    free(dir);
    return err;
}

int history_content_prefix(buf *prefix, const char *workdir, const char *content)
{
    char *real_content = realpath(content, NULL), *real_work = realpath(workdir, NULL);
    size_t wl = real_work ? strlen(real_work) : 0;
    int err = -1;
    if (!real_content || !real_work || strncmp(real_content, real_work, wl) != 0 ||
        (real_content[wl] != '/' && real_content[wl] != '\0'))
        goto done;
    buf_adds(prefix, real_content[wl] ? real_content + wl + 1 : "");
    if (prefix->len)
        buf_addc(prefix, '/');
    err = 0;
done:
    free(real_content);
    free(real_work);
    return err;
}

int history_content_nested(buf *nested, const char *workdir, const char *prefix)
{
    buf p;
    buf_init(&p);
    int found = 0;
    for (const char *c = prefix; *c && !found;) {
        const char *slash = strchr(c, '/');
        size_t n = slash ? (size_t)(slash - prefix) : strlen(prefix);
        buf_reset(&p);
        buf_printf(&p, "%s%.*s/.git", workdir, (int)n, prefix);
        struct stat st;
        if (lstat(p.data, &st) == 0) {
            buf_add(nested, prefix, n);
            found = 1;
        }
        c = slash ? slash + 1 : c + strlen(c);
    }
    buf_release(&p);
    return found;
}

void history_status_options(git_status_options *so, char **spec)
{
    git_status_options_init(so, GIT_STATUS_OPTIONS_VERSION);
    so->pathspec.strings = spec;
    so->pathspec.count = 1;
    so->flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
                GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
}

int history_status_kind(const git_status_entry *e, const char **path)
{
    const git_diff_delta *dl = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
    if (!dl || !dl->new_file.path)
        return 0;
    *path = dl->new_file.path;
    return (e->status & (GIT_STATUS_WT_NEW | GIT_STATUS_INDEX_NEW)) ? 2 : 1;
}

void history_status_kinds(map *kinds, git_status_list *st)
{
    size_t n = git_status_list_entrycount(st);
    for (size_t i = 0; i < n; i++) {
        const char *path = NULL;
        int kind = history_status_kind(git_status_byindex(st, i), &path);
        if (kind)
            map_put(kinds, path, (void *)(intptr_t)kind);
    }
}

int history_mailmap_text(buf *text, const char *workdir)
{
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s.mailmap", workdir);
    diags *quiet = diag_new(NULL);
    /* As git (2.32 on): an in-tree .mailmap that is a symlink is not read. */
    int err = fs_read_nofollow(text, path.data, path.data, quiet);
    diag_free(quiet);
    buf_release(&path);
    return err;
}

/* Adds s and its terminating NUL, so that fields cannot run together. */
static void add_field(digest *h, const char *s)
{
    digest_add(h, s, strlen(s) + 1);
}

/* Frees an entry of history_status's `entries` (map_each). */
static void free_rec(void *ctx, const char *key, void *value)
{
    (void)ctx;
    (void)key;
    free(value);
}

void history_status_free(history_status *st)
{
    if (!st)
        return;
    free(st->workdir);
    free(st->prefix);
    map_free(st->kinds);
    if (st->entries)
        map_each(st->entries, free_rec, NULL);
    map_free(st->entries);
    free(st);
}

int history_paths_changed(git_repository *repo, const char *at, const char *settings, digest *h)
{
    git_status_list *st = NULL;
    buf spec;
    buf_init(&spec);
    int changed = 0;
    const char *p = settings ? settings : "";
    /* Each path on its own pass: git narrows a pass to its one prefix,
     * where several would walk the whole work tree. */
    for (int last = 0; !last && changed >= 0;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        buf_reset(&spec);
        if (!*p) { /* after the last path: the repository's .mailmap */
            buf_adds(&spec, ".mailmap");
            last = 1;
        } else if (len && !(len == 1 && p[0] == '.') && !memmem(p, len, "..", 2)) {
            buf_printf(&spec, "%s%.*s", at, (int)len, p);
        }
        p = nl ? nl + 1 : p + len;
        if (!spec.len)
            continue;
        git_status_options so;
        char *one = spec.data;
        history_status_options(&so, &one);
        git_status_list_free(st);
        st = NULL;
        if (git_status_list_new(&st, repo, &so) != 0) {
            changed = -1;
            break;
        }
        size_t n = git_status_list_entrycount(st);
        for (size_t i = 0; i < n; i++) {
            const char *path = NULL;
            int kind = history_status_kind(git_status_byindex(st, i), &path);
            if (kind && h) {
                add_field(h, kind == 2 ? "settings untracked" : "settings uncommitted");
                add_field(h, path);
            }
            changed |= kind != 0;
        }
    }
    git_status_list_free(st);
    buf_release(&spec);
    return changed;
}

/* The lstat of git's file `name` in repo's folder into *st: 1, or 0 when
 * there is none. */
static int git_file_stat(struct stat *st, git_repository *repo, const char *name)
{
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s%s", git_repository_path(repo), name);
    int there = lstat(path.data, st) == 0;
    buf_release(&path);
    return there;
}

/* Paths, each its own copy. */
typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list;

static void path_list_release(path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* More paths than this changed since a server's last pass, in git's index
 * or between two commits (a merge, a pull): git's whole status is taken
 * instead. */
#define CHANGED_PATHS_MOST 256

/* Appends a copy of p to l: 0, or -1 when l holds CHANGED_PATHS_MOST. */
static int path_list_add(path_list *l, const char *p)
{
    if (l->n >= CHANGED_PATHS_MOST)
        return -1;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = xstrdup(p);
    return 0;
}

/* What git's index says of one file, as a status pass reads it. */
typedef struct index_rec {
    uint32_t mode, flags, flags_extended;
    unsigned char id[GIT_OID_RAWSZ];
} index_rec;

/* The digest of what git's index says of each file (its path, mode, flags
 * and blob), read again now, into hex, and with `entries` each file's
 * index_rec there by its path: what a status pass depends on, without the
 * stat data that any `git status` may refresh (an editor's git integration
 * runs it after each save). 0, or -1 when the index cannot be read or
 * holds a conflict (several stages of a path). */
static int index_digest(char hex[DIGEST_HEX], map *entries, git_repository *repo)
{
    git_index *idx = NULL;
    if (git_repository_index(&idx, repo) != 0)
        return -1;
    int err = -1;
    if (git_index_read(idx, 0) == 0 && !git_index_has_conflicts(idx)) {
        digest *h = digest_new();
        size_t n = git_index_entrycount(idx);
        for (size_t i = 0; i < n; i++) {
            const git_index_entry *e = git_index_get_byindex(idx, i);
            index_rec r;
            memset(&r, 0, sizeof r);
            r.mode = e->mode;
            r.flags = e->flags;
            r.flags_extended = e->flags_extended;
            memcpy(r.id, e->id.id, GIT_OID_RAWSZ);
            add_field(h, e->path);
            digest_add(h, &r, sizeof r);
            if (entries) {
                index_rec *kept = xmalloc(sizeof r);
                *kept = r;
                free(map_put(entries, e->path, kept));
            }
        }
        digest_hex(h, hex);
        digest_free(h);
        err = 0;
    }
    git_index_free(idx);
    return err;
}

/* Records in st what history_fingerprint_since needs to compare: git's
 * index (its digest and entries) and info/exclude. */
static void note_git_files(history_status *st, git_repository *repo)
{
    if (!st->entries)
        st->entries = map_new();
    st->known = (index_digest(st->index, st->entries, repo) == 0) |
                git_file_stat(&st->exclude, repo, "info/exclude") << 1;
}

/* Moves what note_git_files recorded in from into to. */
static void take_noted(history_status *to, history_status *from)
{
    to->known = from->known;
    memcpy(to->index, from->index, sizeof to->index);
    to->exclude = from->exclude;
    to->entries = from->entries;
    from->entries = NULL;
}

typedef struct entry_diff {
    const map *other;
    path_list *out;
    int missing_only, full;
} entry_diff;

static void entry_differs(void *ctx, const char *key, void *value)
{
    entry_diff *ed = ctx;
    const index_rec *o = map_get(ed->other, key);
    if (!ed->full && (!o || (!ed->missing_only && memcmp(o, value, sizeof *o))) &&
        path_list_add(ed->out, key) != 0)
        ed->full = 1;
}

/* Into *out, the paths whose index entries differ between prev's pass and
 * now (both noted): 0, or -1 when they are too many. */
static int index_changes(path_list *out, const history_status *prev, const history_status *now)
{
    if (!strcmp(prev->index, now->index))
        return 0;
    entry_diff a = {prev->entries, out, 0, 0}, b = {now->entries, out, 1, 0};
    map_each(now->entries, entry_differs, &a);
    if (!a.full)
        map_each(prev->entries, entry_differs, &b); /* those removed */
    return a.full || b.full ? -1 : 0;
}

static void copy_kind(void *ctx, const char *key, void *value)
{
    map_put(ctx, key, value);
}

/* Into kinds (holding prev's): what a pass narrowed to each of
 * paths[0..n) (relative to the work tree) says of it, in place of what
 * prev said; those outside the content folder (its `prefix`) are not
 * asked about, as the whole pass does not ask. 0, or -1 when git cannot
 * tell or a path is not a plain one. */
static int narrowed_pass(map *kinds, git_repository *repo, const char *prefix,
                         const char *const *paths, size_t n)
{
    size_t pl = strlen(prefix);
    git_status_list *st = NULL;
    buf spec;
    buf_init(&spec);
    int err = -1;
    for (size_t i = 0; i < n; i++) {
        const char *p = paths[i];
        if (!*p || *p == '/' || strstr(p, "..") || p[strlen(p) - 1] == '/')
            goto done;
        if (strncmp(p, prefix, pl) != 0)
            continue;
        buf_reset(&spec);
        buf_adds(&spec, p);
        map_remove(kinds, spec.data);
        git_status_options so;
        char *one = spec.data;
        history_status_options(&so, &one);
        so.flags |= GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
        git_status_list_free(st);
        st = NULL;
        if (git_status_list_new(&st, repo, &so) != 0)
            goto done;
        history_status_kinds(kinds, st);
    }
    err = 0;
done:
    git_status_list_free(st);
    buf_release(&spec);
    return err;
}

static int add_changed_path(const git_diff_delta *delta, float progress, void *payload)
{
    (void)progress;
    path_list *l = payload;
    const char *p[2] = {delta->old_file.path, delta->new_file.path};
    for (int k = 0; k < 2; k++)
        if (p[k] && !(k && p[0] && !strcmp(p[0], p[1])) && path_list_add(l, p[k]) != 0)
            return -1;
    return 0;
}

/* The paths below prefix that differ between the trees of commits a and b
 * into *out. 0, or -1 when git cannot tell or they are too many. */
static int commit_changes(path_list *out, git_repository *repo, const git_oid *a, const git_oid *b,
                          const char *prefix)
{
    git_commit *ca = NULL, *cb = NULL;
    git_tree *ta = NULL, *tb = NULL;
    git_diff *diff = NULL;
    char *spec = (char *)prefix;
    int err = -1;
    if (git_commit_lookup(&ca, repo, a) != 0 || git_commit_lookup(&cb, repo, b) != 0 ||
        git_commit_tree(&ta, ca) != 0 || git_commit_tree(&tb, cb) != 0)
        goto done;
    git_diff_options o;
    git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
    if (*prefix) {
        o.pathspec.strings = &spec;
        o.pathspec.count = 1;
    }
    o.flags |= GIT_DIFF_IGNORE_SUBMODULES;
    if (git_diff_tree_to_tree(&diff, repo, ta, tb, &o) != 0 ||
        git_diff_foreach(diff, add_changed_path, NULL, NULL, NULL, out) != 0)
        goto done;
    err = 0;
done:
    git_diff_free(diff);
    git_tree_free(ta);
    git_tree_free(tb);
    git_commit_free(ca);
    git_commit_free(cb);
    return err;
}

typedef struct kind_list {
    const char **paths;
    size_t n;
} kind_list;

static void list_kind(void *ctx, const char *key, void *value)
{
    (void)value;
    kind_list *l = ctx;
    l->paths[l->n++] = key;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Digests each change of kinds into h, in the order of their paths. */
static void digest_kinds(digest *h, const map *kinds)
{
    kind_list l = {xcalloc(map_count(kinds) + 1, sizeof *l.paths), 0};
    map_each(kinds, list_kind, &l);
    qsort(l.paths, l.n, sizeof *l.paths, cmp_path);
    for (size_t i = 0; i < l.n; i++) {
        add_field(h, (intptr_t)map_get(kinds, l.paths[i]) == 2 ? "untracked" : "uncommitted");
        add_field(h, l.paths[i]);
    }
    free(l.paths);
}

/* history_fingerprint, and history_fingerprint_since (`noted`: the pass
 * kept notes what a narrowed one needs unchanged). */
static int fingerprint(char hex[65], char head_hex[41], int *clean, history_status **status,
                       int *narrowed, int noted, const history_status *prev,
                       const char *const *paths, size_t n, const char *root, const char *content,
                       const char *settings)
{
    history_status *keep = NULL;
    path_list changed_by = {0}; /* the paths the index or a commit changed since prev's */
    history_status now = {0};   /* git's index and excludes now, with prev */
    if (status)
        *status = NULL;
    if (narrowed)
        *narrowed = 0;
    history_git_init();
    git_repository *repo = NULL;
    git_status_list *st = NULL;
    map *kinds = map_new();
    digest *h = digest_new();
    digest *base = digest_new(); /* history_status's base */
    buf prefix, at, text, path;
    buf_init(&prefix);
    buf_init(&at);
    buf_init(&text);
    buf_init(&path);
    int err = -1;
    if (history_repo_open(&repo, root) != 0 || !git_repository_workdir(repo))
        goto done;
    const char *workdir = git_repository_workdir(repo);
    if (history_content_prefix(&prefix, workdir, content) != 0 ||
        history_content_prefix(&at, workdir, root) != 0)
        goto done;
    add_field(h, "charter-git-3");
    add_field(base, "charter-history-base-1");
    add_field(h, workdir);
    add_field(h, prefix.data);
    add_field(base, workdir);
    add_field(base, prefix.data);
    git_oid head;
    memset(&head, 0, sizeof head);
    char oid[GIT_OID_HEXSZ + 1] = "unborn";
    int unborn = git_repository_head_unborn(repo) == 1;
    if (!unborn) {
        if (git_reference_name_to_id(&head, repo, "HEAD") != 0)
            goto done;
        git_oid_tostr(oid, sizeof oid, &head);
    }
    add_field(h, oid);
    add_field(base, oid);
    if (head_hex)
        snprintf(head_hex, 41, "%s", strcmp(oid, "unborn") ? oid : "");
    if (status) {
        keep = xcalloc(1, sizeof *keep);
        keep->workdir = xstrdup(workdir);
        keep->prefix = xstrdup(prefix.data);
        keep->unborn = unborn;
        keep->at_top = !at.len;
        git_oid_cpy(&keep->head, &head);
    }
    /* A pass narrowed to what may have changed since prev's: a file's
     * status rests on its blob in HEAD, its entry in git's index and its
     * bytes, so the files seen changing, those whose index entries differ
     * from what prev's pass found and, after a commit, those the two
     * commits differ in; while the excludes are as they were and the site
     * is the work tree's top (each .gitignore in it, so among the files
     * seen). At 10,000 pages, some 5 ms where the whole pass takes 40-60. */
    if (prev && status && !at.len) /* (a site below the top is never narrowed) */
        note_git_files(&now, repo);
    int narrow = prev && status && prev->kinds && (prev->known & 1) && (now.known & 1) &&
                 prev->at_top && !at.len && !strcmp(prev->workdir, workdir) &&
                 !strcmp(prev->prefix, prefix.data) && prev->unborn == unborn &&
                 (now.known & 2) == (prev->known & 2) &&
                 (!(now.known & 2) || fs_same_stat(&now.exclude, &prev->exclude)) &&
                 index_changes(&changed_by, prev, &now) == 0;
    int moved = narrow && !git_oid_equal(&prev->head, &head);
    if (moved && (unborn || commit_changes(&changed_by, repo, &prev->head, &head, prefix.data)))
        narrow = 0;
    int tried = narrow;
    if (narrow) {
        map_each(prev->kinds, copy_kind, kinds);
        /* ... and the index the same once they are asked (a git running
         * meanwhile: the whole pass). */
        char again[DIGEST_HEX];
        narrow = narrowed_pass(kinds, repo, prefix.data, paths, n) == 0 &&
                 narrowed_pass(kinds, repo, prefix.data, (const char *const *)changed_by.v,
                               changed_by.n) == 0 &&
                 index_digest(again, NULL, repo) == 0 && !strcmp(again, now.index);
        if (!narrow) { /* as if it had not been tried */
            map_free(kinds);
            kinds = map_new();
        }
    }
    if (!narrow) {
        /* For a later narrowed pass: the index as this one starts, which
         * must still hold when it is done (else the next pass is whole). */
        if (keep && noted && !at.len && now.entries && !tried)
            take_noted(keep, &now); /* read just now, before this pass too */
        else if (keep && noted && !at.len)
            note_git_files(keep, repo);
        git_status_options so;
        char *spec = prefix.data;
        history_status_options(&so, &spec);
        /* As history_load's own pass would: what git status refreshes. */
        if (status)
            so.flags |= GIT_STATUS_OPT_UPDATE_INDEX;
        if (history_status_list(&st, repo, &so) != 0)
            goto done;
        history_status_kinds(kinds, st);
        char again[DIGEST_HEX];
        if (keep && (keep->known & 1) &&
            (index_digest(again, NULL, repo) != 0 || strcmp(again, keep->index) != 0))
            keep->known &= ~1;
    }
    int changed = map_count(kinds) != 0;
    digest_kinds(h, kinds);
    if (keep) {
        if (narrow) /* the index and excludes as found before the pass */
            take_noted(keep, &now);
        keep->kinds = kinds;
        kinds = NULL;
    }
    /* What else the build is made from, for manifest.json's clean. */
    int settings_changed = history_paths_changed(repo, at.data, settings, h);
    if (settings_changed < 0)
        goto done;
    add_field(h, "mailmap");
    add_field(base, "mailmap");
    if (history_mailmap_text(&text, workdir) == 0) {
        digest_add(h, text.data, text.len);
        digest_add(base, text.data, text.len);
    }
    /* A shallow clone's boundary (git fetch --deepen moves it, not HEAD). */
    buf_reset(&text);
    buf_printf(&path, "%sshallow", git_repository_path(repo));
    add_field(h, "shallow");
    add_field(base, "shallow");
    diags *quiet = diag_new(NULL);
    if (fs_read_nofollow(&text, path.data, path.data, quiet) == 0) {
        digest_add(h, text.data, text.len);
        digest_add(base, text.data, text.len);
    }
    diag_free(quiet);
    digest_hex(h, hex);
    if (keep)
        digest_hex(base, keep->base);
    /* Content in a submodule: its changes are in no status of this
     * repository's, so this commit does not vouch for it. */
    buf nested;
    buf_init(&nested);
    int apart = history_content_nested(&nested, workdir, prefix.data);
    buf_release(&nested);
    add_field(h, apart ? "nested" : "");
    if (clean)
        *clean = !changed && !settings_changed && !apart;
    if (status) {
        *status = keep;
        keep = NULL;
    }
    if (narrowed)
        *narrowed = narrow ? 1 + moved : 0;
    err = 0;
done:
    path_list_release(&changed_by);
    if (now.entries)
        map_each(now.entries, free_rec, NULL);
    map_free(now.entries);
    history_status_free(keep);
    map_free(kinds);
    digest_free(h);
    digest_free(base);
    git_status_list_free(st);
    git_repository_free(repo);
    git_libgit2_shutdown();
    buf_release(&prefix);
    buf_release(&at);
    buf_release(&text);
    buf_release(&path);
    return err;
}

int history_fingerprint(char hex[65], char head_hex[41], int *clean, history_status **status,
                        const char *root, const char *content, const char *settings)
{
    return fingerprint(hex, head_hex, clean, status, NULL, 0, NULL, NULL, 0, root, content,
                       settings);
}

int history_fingerprint_since(char hex[65], char head_hex[41], int *clean, history_status **status,
                              int *narrowed, const history_status *prev, const char *const *paths,
                              size_t n, const char *root, const char *content, const char *settings)
{
    return fingerprint(hex, head_hex, clean, status, narrowed, 1, prev, paths, n, root, content,
                       settings);
}
