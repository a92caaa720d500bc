/* output: staged, atomic publication of the built site, with a manifest of
 * every file written (see output.h). The swap uses renameat2(RENAME_EXCHANGE)
 * where the kernel has it, so readers of the old site never see a missing
 * directory; otherwise two renames. The site swapped out is kept in the
 * build cache as the next build's staging (the spare tree). A target that is
 * a mount point (a Docker volume, a tmpfs) cannot be renamed: its new files
 * are staged inside it and moved in one by one, the old ones removed only
 * after. Concurrent builds into one parent directory take turns (flock on
 * the parent). */
#include "output.h"
#include "buf.h"
#include "digest.h"
#include "manifest.h"
#include "manifest_json.h"
#include "outcache.h"
#include "splice.h"
#include "paths.h"
#include "fs.h"
#include "map.h"
#include "pool.h"

#include <dirent.h>
#include <linux/openat2.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A spare's file at least this large is held open while it is unlinked,
 * at most OUTPUT_HELD_MAX of them (spare_clear). */
#define OUTPUT_HELD_BYTES (1 << 20)
#define OUTPUT_HELD_MAX 16

struct output {
    char *target;  /* the output directory, resolved to an absolute path */
    char *shown;   /* ... as the user gave it, for messages */
    char *staging; /* where files are written until output_commit */
    int in_place;  /* target is a mount point: staging is inside it and the
                      files are moved in one by one at commit */
    int lock_fd;   /* the target's parent, locked against a concurrent build */
    int swapped;   /* committed by a swap: staging holds the previous site */
    int committed; /* committed in place: staging holds empty folders */
    int journal_fd;
    /* The previous site's manifest (verified by output_begin), or none;
     * its entries by path, for reuse. */
    manifest_entry *old;
    size_t n_old;
    map *old_by_rel;
    /* Each of its files' inode and device, as its verification found
     * them (0: not met), and whether its outcache vouched for it. */
    struct {
        unsigned long long ino, dev;
        int fresh;
    } * old_ino;
    /* The build cache of this output (outcache.h), or NULL: read to verify
     * the previous site quickly, written once the new one is in place. */
    char *cache_dir, *cache_path;
    outcache *known;
    /* The caller's word that nothing has written the target or the spare
     * since the build that wrote their outcaches (charter serve's private
     * folder, under its lock): the previous site is taken by its outcache,
     * and the spare's folders by theirs, without a stat each. `taken`: the
     * previous site was so taken. */
    int own, taken;
    /* What output_prefetch_read read of this output beforehand, taken
     * where its file is unchanged (NULL: none); `prefetched`: how many of
     * its four reads were so taken. */
    output_prefetch *pre;
    atomic_int prefetched;
    long long racy_bytes; /* outcache_write's: OUTPUT_RACY_BYTES */
    /* When the output's files last changed (fs_trace_now): at the end of
     * output_commit, or after output_free removed the previous site's
     * names (unlinking a name of a file the new site shares changes its
     * ctime). outcache_write's racy window starts there. */
    long long changed_ns;
    /* The spare tree: the site before the previous one, kept in the build
     * cache on the output's file system and written over as the next
     * staging directory, so that a build writes and removes only what
     * differs from it (see "An output in two trees" in
     * docs/performance.md). NULL without a build cache or for a mount
     * point. */
    char *spare, *spare_cache;
    enum { SPARE_NONE, SPARE_BROKEN, SPARE_READ, SPARE_WHOLE } spare_state; /* spare_read's */
    dev_t spare_dev;
    int using_spare;    /* staging is the spare, verified by output_begin */
    manifest_entry *sv; /* what the spare held then, by its manifest */
    size_t n_sv;
    map *spare_by_rel, *spare_dirs; /* its files and folders by path */
    size_t spare_listed;            /* its folders looked into (folder_listed) */
    /* Read whole (spare_open): each of its files' inode and device as
     * its verification found them, by its index in sv. */
    struct {
        unsigned long long ino, dev;
    } * sv_ino;
    outcache *spare_known; /* its outcache: which inode each name is */
    map *touched;          /* the folders this build changed a name in, guarded by lock */
    /* The spare's large files this build unlinked, each still open here so
     * that freeing their pages waits for output_free (after the site is
     * shown), not the render (guarded by lock). */
    int held[OUTPUT_HELD_MAX];
    size_t n_held;
    /* When staging began empty: the folders this build made (or is making)
     * in it, guarded by lock, so that a file in a new one (a page's, with
     * pretty URLs) is opened once, after its folder is made, not first in
     * vain. NULL otherwise. */
    map *fresh_dirs;
    int published;
    size_t n_reused, n_relinks;
    /* The segments of the files the previous build streamed in keyed
     * segments (splice.h), read on first need under `lock`; and those of
     * this build's, as the segments file's text, with their paths. */
    int splices_read;
    splice_map *splices_old;
    buf splices_new;
    map *spliced;
    map *splicing; /* rel -> its splice_stream, between output_splice and its end */
    long long spliced_taken, spliced_bytes; /* copied from the previous files, of all */
    long long spliced_unhashed;             /* of those, not hashed again (write_new) */
    int recommitted;                        /* output_count_recommitted */
    size_t rows_copied;                     /* output_count_rows */
    /* What this build wrote, guarded by `lock`. */
    pthread_mutex_t lock;
    int lock_ready;
    map *written;  /* rel -> 1 */
    map *declared; /* rel -> 1: journaled by output_declare, not again by claim */
    manifest_entry *files;
    size_t n_files, cap_files;
};

/* --- paths ------------------------------------------------------------------ */

/* Resolves path to an absolute, symlink-free path even when its last
 * components do not exist yet: existing components go through realpath (so
 * `..` after a symlink means what the kernel means), missing ones are joined
 * lexically with `.` and `..` applied and trailing slashes dropped, so
 * "missing/../content" cannot slip past the source checks. Appends to out;
 * returns 0 or -1 (errno set). */
static int resolve(buf *out, const char *path)
{
    buf cur, abs;
    buf_init(&cur);
    buf_init(&abs);
    int err = -1, exists = 1;
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (!cwd)
            goto done;
        buf_printf(&abs, "%s/", cwd);
        free(cwd);
    }
    buf_adds(&abs, path);
    for (const char *p = abs.data; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* skip */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            char *slash = strrchr(cur.data, '/');
            buf_truncate(&cur, slash ? (size_t)(slash - cur.data) : 0);
            /* Back up from a missing folder: what follows is looked up
             * again, links followed ("nd/../lnk/x" is lnk's target's x,
             * as the build that writes there finds it). */
            exists = 1;
        } else {
            buf_addc(&cur, '/');
            buf_add(&cur, p, n);
            if (exists) {
                char *r = realpath(cur.data, NULL);
                if (r) {
                    buf_reset(&cur);
                    if (strcmp(r, "/") != 0)
                        buf_adds(&cur, r);
                    free(r);
                } else if (errno == ENOENT) {
                    exists = 0;
                } else {
                    goto done;
                }
            }
        }
        p += n;
        if (*p == '/')
            p++;
    }
    buf_add(out, cur.len ? cur.data : "/", cur.len ? cur.len : 1);
    err = 0;
done:
    buf_release(&cur);
    buf_release(&abs);
    return err;
}

/* "./a/b" -> "a/b": the journal and manifest hold normalised paths. */
static const char *skip_dot(const char *rel)
{
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    return rel;
}

/* --- begin ---------------------------------------------------------------------- */

/* -1 after reporting when t is the home directory `home` or holds it; a
 * home of "/" (some system accounts') says nothing. With `resolve`, home's
 * links are followed first (realpath); else it is taken as written, which
 * touches no file system (an automounted home is not mounted for it). */
static int refuse_home_of(const char *t, const char *shown, const char *home, int resolve, diags *d)
{
    if (!home || !*home || !strcmp(home, "/"))
        return 0;
    char *real = resolve ? realpath(home, NULL) : NULL;
    if (!real)
        real = xstrdup(home); /* as written, also a home not made yet */
    int hit = real && strcmp(real, "/") && path_is_within(real, t),
        same = hit && strcmp(t, real) == 0;
    free(real);
    if (!hit)
        return 0;
    return diag_error(d, NULL, 0, 0, "output",
                      "refusing to write the site to '%s': it %s a home directory ('%s')", shown,
                      same ? "is" : "contains", home);
}

/* Refuses "/", a home directory and any directory above one: a mistyped
 * --out must never be able to swap a home away, even an empty one. */
static int refuse_home(const char *t, const char *shown, diags *d)
{
    if (!strcmp(t, "/"))
        return diag_error(d, NULL, 0, 0, "output",
                          "refusing to write the site to '%s': it is the root directory", shown);
    /* $HOME, this user's, then every other person's (an account from 1000
     * up, as login.defs numbers them, but nobody's): another user's empty
     * home is no place for a site either. System accounts' homes
     * (/var/www) are left to the checks of what is in them. */
    if (refuse_home_of(t, shown, getenv("HOME"), 1, d) != 0)
        return -1;
    struct passwd *pw = getpwuid(getuid());
    if (pw && refuse_home_of(t, shown, pw->pw_dir, 1, d) != 0)
        return -1;
    int err = 0;
    setpwent();
    while (!err && (pw = getpwent()) != NULL)
        if (pw->pw_uid >= 1000 && pw->pw_uid != 65534)
            err = refuse_home_of(t, shown, pw->pw_dir, 0, d);
    endpwent();
    return err;
}

/* The build cache of the output at target (absolute): one per output
 * directory, "output-<digest of its path>" with `suffix`: ".cache" for
 * its outcache, ".spare" for its spare tree, ".spare.cache" for that
 * tree's outcache. */
static void cache_file(buf *out, const char *cache_dir, const char *target, const char *suffix)
{
    char hex[DIGEST_HEX];
    digest_of(hex, target, strlen(target));
    buf_printf(out, "%s/output-%.16s%s", cache_dir, hex, suffix);
}

static void spare_discard(const char *spare, const char *spare_cache, const manifest_entry *also,
                          size_t n_also, diags *d);

/* --- reading ahead ------------------------------------------------------------- */

/* One file read ahead: its lstat before and after the reading (equal, or
 * it is dropped), and what it held. */
typedef struct ahead {
    struct stat st;
    int ok;
    manifest_entry *v; /* a manifest's entries */
    size_t n;
    outcache *c; /* an output cache */
} ahead;

struct output_prefetch {
    char *target; /* resolved */
    ahead site, site_cache, spare, spare_cache;
};

static int same_file(const struct stat *a, const struct stat *b)
{
    return S_ISREG(a->st_mode) && fs_same_stat(a, b);
}

/* Reads the manifest in dir (ahead of its build) into a. */
static void ahead_manifest(ahead *a, const char *dir)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/%s", dir, OUTPUT_MANIFEST);
    struct stat after;
    diags *quiet = diag_new(NULL);
    a->ok = lstat(p.data, &a->st) == 0 && manifest_read(&a->v, &a->n, dir, dir, quiet) == 1 &&
            lstat(p.data, &after) == 0 && same_file(&a->st, &after);
    diag_free(quiet);
    if (!a->ok) {
        manifest_entries_free(a->v, a->n);
        a->v = NULL;
        a->n = 0;
    }
    buf_release(&p);
}

/* Reads the output cache at path, recording `target` (NULL: any), into a. */
static void ahead_cache(ahead *a, const char *path, const char *target)
{
    struct stat after;
    a->ok = lstat(path, &a->st) == 0 && (a->c = outcache_read(path, target)) != NULL &&
            lstat(path, &after) == 0 && same_file(&a->st, &after);
    if (!a->ok) {
        outcache_free(a->c);
        a->c = NULL;
    }
}

output_prefetch *output_prefetch_read(const char *target, const char *cache_dir)
{
    output_prefetch *p = xcalloc(1, sizeof *p);
    buf t, f, spare;
    buf_init(&t);
    buf_init(&f);
    buf_init(&spare);
    if (resolve(&t, target) == 0 && cache_dir) {
        p->target = xstrdup(t.data);
        ahead_manifest(&p->site, p->target);
        cache_file(&f, cache_dir, p->target, ".cache");
        ahead_cache(&p->site_cache, f.data, p->target);
        cache_file(&spare, cache_dir, p->target, ".spare");
        ahead_manifest(&p->spare, spare.data);
        buf_reset(&f);
        cache_file(&f, cache_dir, p->target, ".spare.cache");
        ahead_cache(&p->spare_cache, f.data, NULL);
    }
    buf_release(&t);
    buf_release(&f);
    buf_release(&spare);
    return p;
}

static void ahead_release(ahead *a)
{
    manifest_entries_free(a->v, a->n);
    outcache_free(a->c);
    memset(a, 0, sizeof *a);
}

void output_prefetch_free(output_prefetch *p)
{
    if (!p)
        return;
    ahead_release(&p->site);
    ahead_release(&p->site_cache);
    ahead_release(&p->spare);
    ahead_release(&p->spare_cache);
    free(p->target);
    free(p);
}

/* What a read ahead of the file at path holds, when the file is still as
 * it was then: 1, and a's contents are the caller's (a is emptied); else 0. */
static int ahead_take(output *o, ahead *a, const char *path)
{
    struct stat now;
    if (!a->ok || lstat(path, &now) != 0 || !same_file(&a->st, &now))
        return 0;
    a->ok = 0;
    atomic_fetch_add(&o->prefetched, 1);
    return 1;
}

/* The manifest in dir, as manifest_read reads it, or as it was read
 * ahead into a when its file is unchanged. */
static int take_manifest(output *o, ahead *a, manifest_entry **v, size_t *n, const char *dir,
                         const char *shown, diags *d)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/%s", dir, OUTPUT_MANIFEST);
    int rc;
    if (a && ahead_take(o, a, p.data)) {
        *v = a->v;
        *n = a->n;
        a->v = NULL;
        a->n = 0;
        rc = 1;
    } else {
        rc = manifest_read(v, n, dir, shown, d);
    }
    buf_release(&p);
    return rc;
}

/* The output cache at path, as outcache_read reads it, or as it was read
 * ahead into a when its file is unchanged. */
static outcache *take_cache(output *o, ahead *a, const char *path, const char *target)
{
    if (a && ahead_take(o, a, path)) {
        outcache *c = a->c;
        a->c = NULL;
        return c;
    }
    return outcache_read(path, target);
}

/* The reads ahead for o's target, or NULL (another target's). */
static output_prefetch *prefetched_for(const output *o)
{
    return o->pre && o->pre->target && o->target && !strcmp(o->pre->target, o->target) ? o->pre
                                                                                       : NULL;
}

/* Removes the build cache in cache_dir of the output at target (absolute,
 * resolved) and its spare tree. */
static void forget_resolved(const char *cache_dir, const char *target)
{
    buf path, spare;
    buf_init(&path);
    buf_init(&spare);
    cache_file(&path, cache_dir, target, ".cache");
    unlink(path.data);
    buf_reset(&path);
    cache_file(&path, cache_dir, target, ".splice");
    unlink(path.data);
    buf_reset(&path);
    cache_file(&spare, cache_dir, target, ".spare");
    cache_file(&path, cache_dir, target, ".spare.cache");
    diags *quiet = diag_new(NULL);
    spare_discard(spare.data, path.data, NULL, 0, quiet);
    diag_free(quiet);
    buf_release(&spare);
    buf_release(&path);
}

void output_forget(const char *cache_dir, const char *target)
{
    buf t;
    buf_init(&t);
    if (resolve(&t, target) == 0)
        forget_resolved(cache_dir, t.data);
    buf_release(&t);
}

/* Takes the lock a build into target takes (on its parent folder), without
 * waiting: the folder's descriptor, holding it; -2 when there is no parent
 * folder (no build can hold it); -1 when it is held or cannot be opened. */
static int lock_parent_now(const char *target)
{
    buf parent;
    buf_init(&parent);
    const char *slash = strrchr(target, '/');
    buf_add(&parent, target, slash && slash != target ? (size_t)(slash - target) : 1);
    int fd = open(parent.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        fd = errno == ENOENT ? -2 : -1;
    else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        fd = -1;
    }
    buf_release(&parent);
    return fd;
}

void output_prune(const char *cache_dir, const char *name)
{
    /* An output's cache ("output-<16 hex>.cache"; a spare tree's names the
     * spare) says which output it was written for: one that is gone goes,
     * named from that output's path, so a header naming another output
     * removes nothing of this one's. */
    size_t n = strlen(name);
    if (n != 29 || strncmp(name, "output-", 7) != 0 || strcmp(name + 23, ".cache") != 0)
        return;
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", cache_dir, name);
    char *target = outcache_target(path.data);
    struct stat st;
    if (target && target[0] == '/' && lstat(target, &st) != 0 && errno == ENOENT) {
        int fd = lock_parent_now(target);
        if (fd != -1 && (lstat(target, &st) != 0 && errno == ENOENT))
            forget_resolved(cache_dir, target);
        if (fd >= 0)
            close(fd); /* releases the flock */
    }
    free(target);
    buf_release(&path);
}

/* Reads target's manifest (never through a link) into text. 0 or -1. */
static int read_manifest_text(buf *text, const char *target)
{
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", target, OUTPUT_MANIFEST);
    diags *quiet = diag_new(NULL);
    int err = fs_read_nofollow(text, path.data, path.data, quiet);
    diag_free(quiet);
    buf_release(&path);
    return err;
}

int output_manifest_digest(char hex[DIGEST_HEX], const char *target)
{
    buf text;
    buf_init(&text);
    int err = read_manifest_text(&text, target);
    if (err == 0)
        digest_of(hex, text.data, text.len);
    buf_release(&text);
    return err;
}

/* Counts the listed files manifest_verify meets, for output_unchanged. */
typedef struct count_ctx {
    outcache *known;
    atomic_size_t met; /* from several threads */
} count_ctx;

static int fresh_counted(void *ctx, const char *rel, const struct stat *st, const char *hex)
{
    count_ctx *c = ctx;
    atomic_fetch_add(&c->met, 1);
    return outcache_fresh(c->known, rel, st, hex);
}

static int same_dir_counted(void *ctx, const char *rel, const struct stat *st)
{
    return outcache_same_dir(((count_ctx *)ctx)->known, rel, st);
}

int output_unchanged(const char *target, const char *cache_dir, const char *manifest_hex,
                     const atomic_int *stop)
{
    buf text, path;
    buf_init(&text);
    buf_init(&path);
    manifest_entry *v = NULL;
    size_t n = 0;
    count_ctx c = {NULL, 0};
    atomic_init(&c.met, 0);
    diags *quiet = diag_new(NULL);
    int same = 0;
    char hex[DIGEST_HEX];
    if (read_manifest_text(&text, target) != 0)
        goto done;
    digest_of(hex, text.data, text.len);
    /* Told to stop (an edit was found): between the steps too, as the
     * manifest and the cache hold a line per file. */
    if (strcmp(hex, manifest_hex) != 0 || (stop && atomic_load(stop)) ||
        manifest_parse(&v, &n, text.data, text.len) != 0 || (stop && atomic_load(stop)))
        goto done;
    cache_file(&path, cache_dir, target, ".cache");
    c.known = outcache_read(path.data, target);
    /* Every file there is listed, with its digest (by stat where the cache
     * vouches for it), and every listed file was met. */
    manifest_known known = {fresh_counted, c.known ? same_dir_counted : NULL, &c};
    same =
        manifest_verify(target, target, v, n, &known, stop, quiet) == 0 && atomic_load(&c.met) == n;
done:
    manifest_entries_free(v, n);
    outcache_free(c.known);
    diag_free(quiet);
    buf_release(&text);
    buf_release(&path);
    return same;
}

/* --- the spare tree ---------------------------------------------------------------- */

static int is_mount_point(const char *path, const char *parent);

/* Links each file of the verified site at target into the new folder
 * spare (its folders made), then the manifest: 0, or -1 at the first that
 * cannot be. */
static int link_site(const char *target, const char *spare, const manifest_entry *v, size_t n)
{
    buf from, to;
    buf_init(&from);
    buf_init(&to);
    int err = 0;
    diags *quiet = diag_new(NULL);
    for (size_t i = 0; i <= n && !err; i++) {
        const char *rel = i < n ? v[i].rel : OUTPUT_MANIFEST;
        buf_reset(&from);
        buf_printf(&from, "%s/%s", target, rel);
        buf_reset(&to);
        buf_printf(&to, "%s/%s", spare, rel);
        const char *slash = strrchr(to.data, '/');
        if (link(from.data, to.data) != 0) {
            buf dir;
            buf_init(&dir);
            buf_add(&dir, to.data, (size_t)(slash - to.data));
            err =
                errno != ENOENT || fs_mkdirs(dir.data, quiet) != 0 || link(from.data, to.data) != 0
                    ? -1
                    : 0;
            buf_release(&dir);
        }
    }
    diag_free(quiet);
    buf_release(&from);
    buf_release(&to);
    return err;
}

int output_make_spare(const char *target, const char *cache_dir)
{
    buf t, parent, spare, spare_cache, cache_path, journal;
    buf_init(&t);
    buf_init(&parent);
    buf_init(&spare);
    buf_init(&spare_cache);
    buf_init(&cache_path);
    buf_init(&journal);
    manifest_entry *v = NULL;
    size_t n = 0;
    outcache *known = NULL;
    int made = 0, lock = -1, journal_fd = -1;
    diags *quiet = diag_new(NULL);
    struct stat st;
    if (resolve(&t, target) != 0 || fs_is_dir(t.data) != 1 || fs_is_dir(cache_dir) != 1)
        goto done;
    const char *slash = strrchr(t.data, '/');
    buf_add(&parent, t.data, slash > t.data ? (size_t)(slash - t.data) : 1);
    cache_file(&spare, cache_dir, t.data, ".spare");
    cache_file(&spare_cache, cache_dir, t.data, ".spare.cache");
    cache_file(&cache_path, cache_dir, t.data, ".cache");
    /* Under a build's lock, not waiting: a build under way makes its own. */
    lock = lock_parent_now(t.data);
    if (lock < 0 || lstat(spare.data, &st) == 0 || errno != ENOENT ||
        is_mount_point(t.data, parent.data))
        goto done;
    /* The site as charter published it, every file vouched for by its
     * outcache (by stat; one that is not, read and checked). */
    known = outcache_read(cache_path.data, t.data);
    if (!known || manifest_read(&v, &n, t.data, t.data, quiet) != 1)
        goto done;
    count_ctx c = {known, 0};
    atomic_init(&c.met, 0);
    manifest_known mk = {fresh_counted, same_dir_counted, &c};
    if (manifest_verify(t.data, t.data, v, n, &mk, NULL, quiet) != 0 || atomic_load(&c.met) != n)
        goto done;
    for (size_t i = 0; i < n; i++) {
        const char *hex, *key = NULL;
        long long size = -1;
        if ((key = outcache_key(known, v[i].rel, &hex, &size)) && strlen(key) < sizeof v[i].key &&
            !strcmp(hex, v[i].hex))
            strcpy(v[i].key, key);
        v[i].size = size;
    }
    /* A journal first, as a build's staging has: killed half way, the
     * next build finds a spare that is not whole and removes it by its
     * lists. */
    mode_t mask = umask(0);
    umask(mask);
    if (mkdir(spare.data, 0777 & ~mask) != 0)
        goto done;
    buf_printf(&journal, "%s/%s", spare.data, OUTPUT_JOURNAL);
    journal_fd = open(journal.data, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    buf lines;
    buf_init(&lines);
    for (size_t i = 0; i < n; i++) {
        buf_adds(&lines, v[i].rel);
        buf_addc(&lines, '\n');
    }
    int ok = journal_fd >= 0 && fs_write_fd(journal_fd, lines.data, lines.len) == 0 &&
             link_site(t.data, spare.data, v, n) == 0;
    buf_release(&lines);
    if (journal_fd >= 0)
        close(journal_fd);
    if (!ok) {
        spare_discard(spare.data, spare_cache.data, v, n, quiet);
        goto done;
    }
    unlink(journal.data);
    /* Both outcaches after the racy window: linking changed the change
     * time of every file of the site, which its own outcache recorded. */
    made = outcache_write(spare_cache.data, spare.data, v, n, 0, 0, NULL, quiet) == 0 &&
           outcache_write(cache_path.data, t.data, v, n, 0, 0, NULL, quiet) == 0;
    if (!made) {
        unlink(cache_path.data);
        spare_discard(spare.data, spare_cache.data, v, n, quiet);
    }
done:
    if (lock >= 0)
        close(lock);
    manifest_entries_free(v, n);
    outcache_free(known);
    diag_free(quiet);
    buf_release(&t);
    buf_release(&parent);
    buf_release(&spare);
    buf_release(&spare_cache);
    buf_release(&cache_path);
    buf_release(&journal);
    return made;
}

/* Removes the spare tree at `spare`, when it is a folder and not a link:
 * the files an unfinished build's journal lists, those its manifest lists
 * and those of `also` (what it held when a build began with it), then the
 * folders they imply and the tree itself when empty (anything else is kept,
 * with a warning); then its outcache. */
static void spare_discard(const char *spare, const char *spare_cache, const manifest_entry *also,
                          size_t n_also, diags *d)
{
    struct stat st;
    if (lstat(spare, &st) == 0 && S_ISDIR(st.st_mode)) {
        char **journal = manifest_read_journal(spare);
        size_t n_journal = 0;
        while (journal && journal[n_journal])
            n_journal++;
        manifest_entry *v = NULL;
        size_t n = 0;
        diags *quiet = diag_new(NULL);
        if (manifest_read(&v, &n, spare, spare, quiet) != 1)
            n = 0;
        diag_free(quiet);
        char **rels = xcalloc(n_journal + n + n_also + 2, sizeof *rels);
        size_t k = 0;
        for (size_t i = 0; i < n_journal; i++)
            rels[k++] = journal[i];
        for (size_t i = 0; i < n; i++)
            rels[k++] = v[i].rel;
        for (size_t i = 0; i < n_also; i++)
            rels[k++] = also[i].rel;
        rels[k++] = OUTPUT_MANIFEST;
        manifest_remove_listed(spare, rels, k, 1, spare, "the spare copy of the site", d);
        free(rels);
        manifest_entries_free(v, n);
        fs_list_free(journal);
    }
    unlink(spare_cache);
}

/* The folders of the spare, each checked against its outcache. */
typedef struct folder_job {
    const output *o;
    char **rels;
    size_t n_rels;
    atomic_int changed;
    atomic_int listed; /* folders looked into (folder_listed) */
    int dirfd;         /* the spare (fs_dir_open), or -1 */
} folder_job;

/* How many of the spare's folders folder_listed may look into; beyond,
 * the spare is read whole (spare_open). */
#define SPARE_LISTED_MAX 64

/* The parent of rel (a path below the spare) is the folder dir. */
static int parent_is(const char *rel, const char *dir, size_t len)
{
    return !strncmp(rel, dir, len) && rel[len] == '/' && !strchr(rel + len + 1, '/');
}

/* For a folder of the spare whose stat its outcache does not vouch for
 * (it changed within the racy window before that was written, as the
 * folder of a page an edit rewrote does): 1 when it holds the names the
 * spare's manifest implies there and no other, each file among them the
 * inode the outcache records for it, each folder a folder (checked in
 * turn). What spare_same_names's stat of it would have told. */
static int folder_listed(const folder_job *j, const char *rel, const char *path)
{
    const output *o = j->o;
    size_t len = strlen(rel), expected = 0, listed = 0;
    for (size_t i = 0; i < o->n_sv; i++)
        expected += parent_is(o->sv[i].rel, rel, len);
    for (size_t i = 0; i < j->n_rels; i++)
        expected += parent_is(j->rels[i], rel, len);
    char **list = NULL;
    diags *quiet = diag_new(NULL);
    int same = fs_list(&list, path, 0, quiet) == 0;
    diag_free(quiet);
    buf p, r;
    buf_init(&p);
    buf_init(&r);
    for (char **e = list; same && *e; e++, listed++) {
        buf_reset(&r);
        buf_printf(&r, "%s/%s", rel, *e);
        buf_reset(&p);
        buf_printf(&p, "%s/%s", path, *e);
        struct stat st;
        unsigned long long ino, dev;
        if (map_get(o->spare_dirs, r.data))
            same = lstat(p.data, &st) == 0 && S_ISDIR(st.st_mode);
        else
            same = map_get(o->spare_by_rel, r.data) &&
                   outcache_inode(o->spare_known, r.data, &ino, &dev) && lstat(p.data, &st) == 0 &&
                   S_ISREG(st.st_mode) && (unsigned long long)st.st_ino == ino &&
                   (unsigned long long)st.st_dev == dev;
    }
    same = same && listed == expected;
    buf_release(&p);
    buf_release(&r);
    fs_list_free(list);
    return same;
}

static void folder_one(void *ctx, size_t i)
{
    folder_job *j = ctx;
    if (atomic_load(&j->changed))
        return;
    struct stat st;
    if (fs_lstat_at(j->dirfd, j->o->spare, j->rels[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
        atomic_store(&j->changed, 1);
    } else if (!outcache_same_dir(j->o->spare_known, j->rels[i], &st)) {
        buf p;
        buf_init(&p);
        buf_printf(&p, "%s/%s", j->o->spare, j->rels[i]);
        if (atomic_fetch_add(&j->listed, 1) >= SPARE_LISTED_MAX ||
            !folder_listed(j, j->rels[i], p.data))
            atomic_store(&j->changed, 1);
        buf_release(&p);
    }
}

/* 1 when the spare holds the names its manifest lists and no other: its
 * top folder listed, every folder below by the stat its outcache recorded
 * (a folder's times change whenever a name in it is added, removed or
 * renamed), so each name still leads to the inode recorded; a few folders
 * that changed within the racy window before it was written are listed
 * instead (folder_listed). For an output of the caller's own (o->own),
 * the folders below are taken as recorded; the top one, which would show
 * an unfinished build's journal, is still listed. Its files' bytes are
 * not read: only a file that is the previous site's own (the same inode,
 * verified) is kept (spare_keeps); every other is replaced. */
static int spare_same_names(output *o, char **folders, size_t m, const outcache *known)
{
    if (!known)
        return 0;
    char **list = NULL;
    diags *quiet = diag_new(NULL);
    int same = fs_list(&list, o->spare, 1, quiet) == 0;
    diag_free(quiet);
    for (char **e = list; same && *e; e++)
        same = !strcmp(*e, OUTPUT_MANIFEST) || map_get(o->spare_by_rel, *e) ||
               map_get(o->spare_dirs, *e);
    size_t top = 0;
    for (size_t i = 0; i < o->n_sv; i++)
        top += !strchr(o->sv[i].rel, '/');
    for (size_t i = 0; i < m; i++)
        top += !strchr(folders[i], '/');
    size_t listed = 0;
    while (same && list[listed])
        listed++;
    same = same && listed == top + 1; /* and the manifest */
    fs_list_free(list);
    if (same && !o->own) {
        folder_job j = {o, folders, m, 0, 0, fs_dir_open(o->spare)};
        atomic_init(&j.changed, 0);
        atomic_init(&j.listed, 0);
        pool_run(m, folder_one, &j);
        same = !atomic_load(&j.changed);
        o->spare_listed = (size_t)atomic_load(&j.listed);
        if (j.dirfd >= 0)
            close(j.dirfd);
    }
    return same;
}

/* Reads the spare tree, when there is one, while output_begin verifies the
 * previous site (a thread of its own): its manifest, its outcache, and
 * whether its names are as they were (spare_same_names). Touches only the
 * spare's fields of o. */
static void *spare_read(void *arg)
{
    output *o = arg;
    struct stat st, ct;
    o->spare_state = SPARE_NONE;
    if (lstat(o->spare, &st) != 0 || !S_ISDIR(st.st_mode) || lstat(o->cache_dir, &ct) != 0 ||
        !S_ISDIR(ct.st_mode))
        return NULL;
    o->spare_dev = st.st_dev;
    o->spare_state = SPARE_BROKEN;
    diags *quiet = diag_new(NULL);
    output_prefetch *pre = prefetched_for(o);
    int ok = take_manifest(o, pre ? &pre->spare : NULL, &o->sv, &o->n_sv, o->spare, o->spare,
                           quiet) == 1;
    diag_free(quiet);
    if (!ok)
        return NULL;
    o->spare_by_rel = map_new();
    for (size_t i = 0; i < o->n_sv; i++)
        ok &= map_put(o->spare_by_rel, o->sv[i].rel, &o->sv[i]) == NULL;
    const char **rels = xcalloc(o->n_sv + 1, sizeof *rels);
    for (size_t i = 0; i < o->n_sv; i++)
        rels[i] = o->sv[i].rel;
    char **folders = NULL;
    size_t m = manifest_folders(&folders, rels, o->n_sv);
    free(rels);
    o->spare_dirs = map_new();
    for (size_t i = 0; i < m; i++)
        map_put(o->spare_dirs, folders[i], (void *)1);
    if (ok) {
        o->spare_known = take_cache(o, pre ? &pre->spare_cache : NULL, o->spare_cache, NULL);
        o->spare_state = spare_same_names(o, folders, m, o->spare_known) ? SPARE_WHOLE : SPARE_READ;
    }
    for (size_t i = 0; i < m; i++)
        free(folders[i]);
    free(folders);
    return NULL;
}

/* Counts the spare's files its verification meets, noting the inode of
 * each (called from several threads, each for other files). */
typedef struct spare_count {
    output *o;
    atomic_size_t met;
} spare_count;

static int spare_fresh(void *ctx, const char *rel, const struct stat *st, const char *hex)
{
    spare_count *c = ctx;
    const manifest_entry *s = map_get(c->o->spare_by_rel, rel);
    if (s) {
        c->o->sv_ino[s - c->o->sv].ino = (unsigned long long)st->st_ino;
        c->o->sv_ino[s - c->o->sv].dev = (unsigned long long)st->st_dev;
    }
    atomic_fetch_add(&c->met, 1);
    return outcache_fresh(c->o->spare_known, rel, st, hex);
}

static int spare_same_dir(void *ctx, const char *rel, const struct stat *st)
{
    return outcache_same_dir(((spare_count *)ctx)->o->spare_known, rel, st);
}

/* Takes the spare tree spare_read read as the staging directory when
 * `usable` (the target holds a site charter verified) and the spare is
 * whole: a folder on the target's file system, with no journal, holding
 * each file its manifest lists and nothing else (by its folders' stat
 * where its outcache vouches for them, else by reading it all). 0 when
 * taken; -1 when there is none or it was discarded. */
static int spare_open(output *o, int usable, diags *d)
{
    if (o->spare_state == SPARE_NONE)
        return -1;
    struct stat tt;
    int ok = usable && o->spare_state != SPARE_BROKEN && lstat(o->target, &tt) == 0 &&
             tt.st_dev == o->spare_dev;
    if (ok && o->spare_state != SPARE_WHOLE) {
        spare_count c = {o, 0};
        atomic_init(&c.met, 0);
        o->sv_ino = xcalloc(o->n_sv + 1, sizeof *o->sv_ino);
        manifest_known known = {spare_fresh, o->spare_known ? spare_same_dir : NULL, &c};
        diags *quiet = diag_new(NULL);
        ok = manifest_verify(o->spare, o->spare, o->sv, o->n_sv, &known, NULL, quiet) == 0 &&
             atomic_load(&c.met) == o->n_sv;
        diag_free(quiet);
    }
    if (!ok) {
        spare_discard(o->spare, o->spare_cache, o->sv, o->n_sv, d);
        manifest_entries_free(o->sv, o->n_sv);
        o->sv = NULL;
        o->n_sv = 0;
        free(o->sv_ino);
        o->sv_ino = NULL;
        map_free(o->spare_by_rel);
        map_free(o->spare_dirs);
        o->spare_by_rel = o->spare_dirs = NULL;
        outcache_free(o->spare_known);
        o->spare_known = NULL;
        return -1;
    }
    o->staging = xstrdup(o->spare);
    o->using_spare = 1;
    o->touched = map_new();
    return 0;
}

/* True when the spare's file rel is the very file (the same inode) that
 * the previous site holds at rel, verified by output_begin, with the
 * digest hex: it is the one the new site needs, so it is kept as it is
 * (and keeps its modification time). Its inode is the one the spare's
 * outcache records, its folder unchanged since (spare_same_names), or,
 * when the spare was read whole, the one its verification found. */
static int spare_keeps(const output *o, const char *rel, const char *hex)
{
    const manifest_entry *s = map_get(o->spare_by_rel, rel);
    const manifest_entry *e = s && o->old_by_rel ? map_get(o->old_by_rel, rel) : NULL;
    unsigned long long ino = 0, dev = 0;
    if (!e || strcmp(s->hex, hex) != 0 || strcmp(e->hex, hex) != 0)
        return 0;
    if (o->sv_ino) {
        ino = o->sv_ino[s - o->sv].ino;
        dev = o->sv_ino[s - o->sv].dev;
    } else if (!outcache_inode(o->spare_known, rel, &ino, &dev)) {
        return 0;
    }
    return o->old_ino[e - o->old].ino == ino && o->old_ino[e - o->old].dev == dev && ino != 0;
}

/* Unlinks the spare's file at path, of `size` bytes (-1: not known). A large
 * one is opened first and kept open (o->held) until output_free: the last
 * name of a file gone, the kernel frees its pages (tens of milliseconds for
 * the handbook's on tmpfs) only once it is closed, after the site is
 * shown. Opened without following a link and without blocking; anything
 * but a regular file is closed at once. */
static void unlink_held(output *o, const char *path, long long size)
{
    int fd = -1;
    if (size >= OUTPUT_HELD_BYTES) {
        pthread_mutex_lock(&o->lock);
        int room = o->n_held < OUTPUT_HELD_MAX;
        pthread_mutex_unlock(&o->lock);
        if (room)
            fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        struct stat st;
        if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
            close(fd);
            fd = -1;
        }
    }
    unlink(path);
    if (fd < 0)
        return;
    pthread_mutex_lock(&o->lock);
    if (o->n_held < OUTPUT_HELD_MAX) {
        o->held[o->n_held++] = fd;
        fd = -1;
    }
    pthread_mutex_unlock(&o->lock);
    if (fd >= 0)
        close(fd);
}

/* Makes room in the spare for rel, where the new site's file is about to
 * be written or linked: the spare's file of that name; a file of the
 * spare's where rel needs a folder; or, where rel is to be a file, the
 * files of the spare's folder of that name and then its folders. Only what
 * the spare's manifest lists is removed, never a folder above rel (another
 * thread may be writing there). */
static void spare_clear(output *o, const char *rel)
{
    buf p;
    buf_init(&p);
    for (const char *s = strchr(rel, '/'); s; s = strchr(s + 1, '/')) {
        buf_reset(&p);
        buf_add(&p, rel, (size_t)(s - rel));
        if (map_get(o->spare_by_rel, p.data)) {
            buf_reset(&p);
            buf_printf(&p, "%s/%.*s", o->staging, (int)(s - rel), rel);
            unlink(p.data);
        }
    }
    buf_reset(&p);
    buf_printf(&p, "%s/%s", o->staging, rel);
    const manifest_entry *listed = map_get(o->spare_by_rel, rel);
    if (listed) {
        /* Its size, as a hint: the spare's manifest seldom has it, its
         * outcache has a keyed file's. */
        long long size = listed->size;
        const char *was_hex;
        if (size < 0 && !outcache_key(o->spare_known, rel, &was_hex, &size))
            size = -1;
        unlink_held(o, p.data, size);
    } else if (map_get(o->spare_dirs, rel)) {
        /* Rare (a page became a file): the whole list is looked through,
         * and what it lists below rel goes, with its folders and rel. */
        size_t len = strlen(rel), n = 0;
        char **below = xcalloc(o->n_sv + 1, sizeof *below);
        for (size_t i = 0; i < o->n_sv; i++)
            if (!strncmp(o->sv[i].rel, rel, len) && o->sv[i].rel[len] == '/')
                below[n++] = o->sv[i].rel + len + 1;
        diags *quiet = diag_new(NULL);
        manifest_remove_listed(p.data, below, n, 1, NULL, NULL, quiet);
        diag_free(quiet);
        free(below);
    }
    buf_release(&p);
}

/* Whether the previous site's file rel is as its outcache recorded it,
 * noting the inode of each of its files met (called from several threads,
 * each for other files). */
static int fresh_noting_inode(void *ctx, const char *rel, const struct stat *st, const char *hex)
{
    output *o = ctx;
    const manifest_entry *e = map_get(o->old_by_rel, rel);
    int fresh = outcache_fresh(o->known, rel, st, hex);
    if (e) {
        o->old_ino[e - o->old].ino = (unsigned long long)st->st_ino;
        o->old_ino[e - o->old].dev = (unsigned long long)st->st_dev;
        o->old_ino[e - o->old].fresh = fresh;
    }
    return fresh;
}

static int same_dir_noting(void *ctx, const char *rel, const struct stat *st)
{
    return outcache_same_dir(((output *)ctx)->known, rel, st);
}

/* For an output of the caller's own (o->own): 1 when its outcache records
 * every file its manifest lists, with the same digest, and so each file's
 * inode is taken from there, as its verification would have found it;
 * else 0, and it is verified. */
static int take_own(output *o)
{
    for (size_t i = 0; i < o->n_old; i++) {
        if (!outcache_vouches(o->known, o->old[i].rel, o->old[i].hex, &o->old_ino[i].ino,
                              &o->old_ino[i].dev)) {
            memset(o->old_ino, 0, o->n_old * sizeof *o->old_ino);
            return 0;
        }
        o->old_ino[i].fresh = 1;
    }
    o->taken = 1;
    return 1;
}

/* An existing target must be empty or charter's own (its manifest matches
 * what is on disk); one holding a repository or a site is never replaced. */
static int check_existing(output *o, diags *d)
{
    static const char *const foreign[] = {".git", "site.yml", "_config.yml"};
    buf p;
    buf_init(&p);
    int err = -1;
    char **list = NULL;
    for (size_t i = 0; i < sizeof foreign / sizeof *foreign; i++) {
        buf_reset(&p);
        buf_printf(&p, "%s/%s", o->target, foreign[i]);
        struct stat st;
        if (lstat(p.data, &st) == 0) {
            diag_error(d, NULL, 0, 0, "output",
                       "refusing to replace '%s': it holds '%s', so it is a source directory, "
                       "not a built site; choose another output directory",
                       o->shown, foreign[i]);
            goto done;
        }
    }
    if (fs_list(&list, o->target, 0, d) != 0)
        goto done;
    int empty = 1;
    for (char **e = list; *e; e++)
        empty &= manifest_is_temp_name(*e, ".charter-staging-");
    if (empty) {
        err = 0;
        goto done;
    }
    output_prefetch *pre = prefetched_for(o);
    int rc = take_manifest(o, pre ? &pre->site : NULL, &o->old, &o->n_old, o->target, o->shown, d);
    if (rc < 0)
        goto done;
    if (rc == 0) {
        diag_error(d, NULL, 0, 0, "output",
                   "refusing to replace '%s': it is not empty and was not built by charter (no "
                   "'%s'); remove it or choose another output directory",
                   o->shown, OUTPUT_MANIFEST);
        goto done;
    }
    o->known = take_cache(o, pre ? &pre->site_cache : NULL, o->cache_path, o->target);
    o->old_by_rel = map_new();
    for (size_t i = 0; i < o->n_old; i++)
        map_put(o->old_by_rel, o->old[i].rel, &o->old[i]);
    o->old_ino = xcalloc(o->n_old + 1, sizeof *o->old_ino);
    if (o->own && take_own(o)) {
        err = 0;
        goto done;
    }
    manifest_known known = {fresh_noting_inode, o->known ? same_dir_noting : NULL, o};
    err = manifest_verify(o->target, o->shown, o->old, o->n_old, &known, NULL, d);
    if (err != 0) {
        map_free(o->old_by_rel);
        o->old_by_rel = NULL;
    }
done:
    fs_list_free(list);
    buf_release(&p);
    return err;
}

/* True when path is a mount point: a rename cannot move it. */
static int is_mount_point(const char *path, const char *parent)
{
    struct statx a, b;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &a) == 0 &&
        statx(AT_FDCWD, parent, 0, STATX_MNT_ID, &b) == 0 && (a.stx_mask & STATX_MNT_ID) &&
        (b.stx_mask & STATX_MNT_ID))
        return a.stx_mnt_id != b.stx_mnt_id;
    struct stat x, y;
    return stat(path, &x) == 0 && stat(parent, &y) == 0 && x.st_dev != y.st_dev;
}

/* Takes the lock on the target's parent; waits (saying so) while another
 * build holds it. */
static int lock_parent(output *o, const char *parent, diags *d)
{
    o->lock_fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (o->lock_fd < 0)
        return diag_error(d, NULL, 0, 0, "output", "cannot open '%s': %s", parent, strerror(errno));
    if (flock(o->lock_fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno == EWOULDBLOCK) {
        fprintf(stderr, "charter: waiting for another build writing into '%s'\n", parent);
        if (flock(o->lock_fd, LOCK_EX) == 0)
            return 0;
    }
    return diag_error(d, NULL, 0, 0, "output", "cannot lock '%s': %s", parent, strerror(errno));
}

static int begin(output *o, const char *target, const char *const *sources, diags *d)
{
    o->lock_fd = o->journal_fd = -1;
    int err = -1;
    buf t, s, tmp, parent;
    buf_init(&t);
    buf_init(&s);
    buf_init(&tmp);
    buf_init(&parent);
    if (!*target) {
        diag_error(d, NULL, 0, 0, "output", "the output directory must not be empty");
        goto done;
    }
    o->shown = xstrdup(target);
    if (resolve(&t, target) != 0) {
        diag_error(d, NULL, 0, 0, "output", "cannot resolve output directory '%s': %s", target,
                   strerror(errno));
        goto done;
    }
    for (const char *const *src = sources; *src; src++) {
        buf_reset(&s);
        if (resolve(&s, *src) != 0 || fs_is_dir(s.data) != 1)
            continue;
        if (path_is_within(s.data, t.data)) {
            diag_error(d, NULL, 0, 0, "output",
                       "refusing to write the site to '%s': it %s the source directory '%s'",
                       target, strcmp(s.data, t.data) == 0 ? "is" : "contains", *src);
            goto done;
        }
        /* The first source is the site root: output under it is normal
         * (_site/); under any other source (content/) it would be read back. */
        if (src != sources && path_is_within(t.data, s.data)) {
            diag_error(d, NULL, 0, 0, "output",
                       "refusing to write the site to '%s': it is inside the source directory "
                       "'%s'",
                       target, *src);
            goto done;
        }
    }
    if (refuse_home(t.data, target, d) != 0)
        goto done;
    o->target = buf_detach(&t);
    if (o->cache_dir) {
        cache_file(&tmp, o->cache_dir, o->target, ".cache");
        o->cache_path = buf_detach(&tmp);
        cache_file(&tmp, o->cache_dir, o->target, ".spare");
        o->spare = buf_detach(&tmp);
        cache_file(&tmp, o->cache_dir, o->target, ".spare.cache");
        o->spare_cache = buf_detach(&tmp);
    }
    if (fs_is_dir(o->target) == 0) {
        diag_error(d, NULL, 0, 0, "output", "output path '%s' exists and is not a directory",
                   target);
        goto done;
    }
    const char *slash = strrchr(o->target, '/');
    buf_add(&parent, o->target, slash > o->target ? (size_t)(slash - o->target) : 1);
    /* Everything below looks at the target: only with the lock, so another
     * build cannot create or replace it meanwhile. */
    if (fs_mkdirs(parent.data, d) != 0 || lock_parent(o, parent.data, d) != 0)
        goto done;
    manifest_sweep(parent.data, strrchr(o->target, '/') + 1, o->target, o->shown, d);
    int isdir = fs_is_dir(o->target);
    if (isdir == 0) {
        diag_error(d, NULL, 0, 0, "output", "output path '%s' exists and is not a directory",
                   target);
        goto done;
    }
    /* The spare is read beside the previous site's verification. */
    pthread_t spare_thread;
    int spare_threaded =
        o->spare && isdir == 1 && pthread_create(&spare_thread, NULL, spare_read, o) == 0;
    int existing = isdir == 1 ? check_existing(o, d) : 0;
    if (spare_threaded)
        pthread_join(spare_thread, NULL);
    else if (o->spare)
        spare_read(o);
    if (existing != 0)
        goto done;
    o->in_place = isdir == 1 && is_mount_point(o->target, parent.data);
    if (o->in_place) {
        free(o->spare); /* a mount point's files are moved in one by one */
        o->spare = NULL;
    } else if (o->spare) {
        spare_open(o, isdir == 1 && o->old_by_rel, d);
    }
    if (!o->staging) {
        if (o->in_place)
            buf_printf(&tmp, "%s/.charter-staging-XXXXXX", o->target);
        else
            buf_printf(&tmp, "%s.tmp-XXXXXX", o->target);
        if (!mkdtemp(tmp.data)) {
            diag_error(d, NULL, 0, 0, "output", "cannot create staging directory '%s': %s",
                       tmp.data, strerror(errno));
            goto done;
        }
        mode_t mask = umask(0);
        umask(mask);
        chmod(tmp.data, 0777 & ~mask);
        o->staging = buf_detach(&tmp);
        o->fresh_dirs = map_new();
    }
    buf_printf(&tmp, "%s/%s", o->staging, OUTPUT_JOURNAL);
    o->journal_fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (o->journal_fd < 0) {
        diag_error(d, NULL, 0, 0, "output", "cannot write '%s': %s", tmp.data, strerror(errno));
        goto done;
    }
    pthread_mutex_init(&o->lock, NULL);
    o->lock_ready = 1;
    o->written = map_new();
    map_put(o->written, OUTPUT_MANIFEST, (void *)1);
    map_put(o->written, OUTPUT_JOURNAL, (void *)1);
    err = 0;
done:
    buf_release(&t);
    buf_release(&s);
    buf_release(&tmp);
    buf_release(&parent);
    if (err) {
        if (o->lock_fd >= 0)
            close(o->lock_fd);
        o->lock_fd = -1;
        /* Keep nothing half-made; the previous site is untouched. */
        char *staging = o->staging;
        o->staging = NULL;
        if (staging) {
            if (o->journal_fd >= 0)
                close(o->journal_fd);
            o->journal_fd = -1;
            buf j;
            buf_init(&j);
            buf_printf(&j, "%s/%s", staging, OUTPUT_JOURNAL);
            unlink(j.data);
            buf_release(&j);
            rmdir(staging);
            free(staging);
        }
    }
    return err;
}

int output_begin(output **out, const char *target, const char *const *sources, diags *d)
{
    return output_begin_cached(out, target, sources, NULL, 0, NULL, d);
}

int output_begin_cached(output **out, const char *target, const char *const *sources,
                        const char *cache, int own, output_prefetch *pre, diags *d)
{
    output *o = xcalloc(1, sizeof *o);
    o->cache_dir = cache ? xstrdup(cache) : NULL;
    o->own = own && cache;
    o->pre = cache ? pre : NULL;
    atomic_init(&o->prefetched, 0);
    o->racy_bytes = OUTPUT_RACY_BYTES;
    buf_init(&o->splices_new);
    if (begin(o, target, sources, d) != 0) {
        output_free(o, d);
        o = NULL;
    } else {
        o->pre = NULL; /* the caller's, read only by begin */
    }
    *out = o;
    return o ? 0 : -1;
}

void output_set_racy_bytes(output *o, long long racy_bytes)
{
    o->racy_bytes = racy_bytes;
}

int output_resolve(buf *out, const char *path)
{
    return resolve(out, path);
}

int output_within(const char *path, const char *bound)
{
    buf p, b;
    buf_init(&p);
    buf_init(&b);
    int within = -1;
    if (resolve(&p, path) == 0 && resolve(&b, bound) == 0)
        within = path_is_within(p.data, b.data);
    buf_release(&p);
    buf_release(&b);
    return within;
}

const char *output_target(const output *o)
{
    return o->target;
}

const char *output_staging(const output *o)
{
    return o->staging;
}

/* --- writing ---------------------------------------------------------------------- */

/* Notes every folder above rel (each may gain or lose a name, a folder
 * made in it included) in touched; the caller holds o->lock. */
static void touch_folders(map *touched, const char *rel)
{
    buf p;
    buf_init(&p);
    buf_adds(&p, rel);
    for (char *s = strrchr(p.data, '/'); s; s = strrchr(p.data, '/')) {
        buf_truncate(&p, (size_t)(s - p.data));
        if (map_put(touched, p.data, (void *)1))
            break; /* its parents are in already */
    }
    buf_release(&p);
}

/* Claims rel for this build and records it in the journal before its file
 * exists. A second write of one path is a bug in the caller (the outputs
 * are planned, and collisions reported, before anything is written). With
 * the spare as staging: 1 when the file the spare holds there is the one
 * wanted (hex: its digest, NULL when not known yet), else room is made for
 * it. Returns 0 (or 1) with its path in staging in *path, or -1 after
 * reporting. */
static int claim(output *o, const char *rel, const char *hex, buf *path, diags *d)
{
    if (!path_is_safe_output(rel))
        return diag_error(d, NULL, 0, 0, "output", "refusing to write outside the output: '%s'",
                          rel);
    rel = skip_dot(rel);
    /* Kept: nothing is created, so nothing to journal (the spare's own
     * files are removed with it). */
    int kept = o->using_spare && hex && spare_keeps(o, rel, hex);
    int err = 0;
    const char *slash = strrchr(rel, '/');
    buf dir;
    buf_init(&dir);
    pthread_mutex_lock(&o->lock);
    if (map_get(o->written, rel)) {
        err = diag_error(d, NULL, 0, 0, "output-collision", "'%s' would be written twice", rel);
    } else {
        map_put(o->written, rel, kept ? (void *)2 : (void *)1);
        o->n_reused += (size_t)kept;
        if (!kept && o->touched)
            touch_folders(o->touched, rel);
        if (!kept && o->fresh_dirs && slash) {
            /* Its folder, made below unless this build made it already. */
            buf_add(&dir, rel, (size_t)(slash - rel));
            void **made = map_ref(o->fresh_dirs, dir.data);
            if (*made)
                buf_reset(&dir);
            *made = (void *)1;
        }
        if (!kept && !(o->declared && map_get(o->declared, rel))) {
            buf line;
            buf_init(&line);
            buf_adds(&line, rel);
            buf_addc(&line, '\n');
            if (fs_write_fd(o->journal_fd, line.data, line.len) != 0)
                err = diag_error(d, NULL, 0, 0, "io", "cannot write '%s/%s': %s", o->staging,
                                 OUTPUT_JOURNAL, strerror(errno));
            buf_release(&line);
        }
    }
    pthread_mutex_unlock(&o->lock);
    if (err == 0 && dir.len) {
        /* A failure here is the write's to report: it makes the folder
         * again when it finds none. */
        diags *quiet = diag_new(NULL);
        buf full;
        buf_init(&full);
        buf_printf(&full, "%s/%s", o->staging, dir.data);
        fs_mkdirs(full.data, quiet);
        buf_release(&full);
        diag_free(quiet);
    }
    buf_release(&dir);
    if (err != 0)
        return err;
    buf_printf(path, "%s/%s", o->staging, rel);
    if (kept)
        return 1;
    if (o->using_spare)
        spare_clear(o, rel);
    return 0;
}

int output_declare(output *o, const char *const *rels, size_t n, diags *d)
{
    pthread_mutex_lock(&o->lock);
    int once = o->declared != NULL;
    pthread_mutex_unlock(&o->lock);
    if (once || !n)
        return 0;
    buf lines;
    buf_init(&lines);
    map *declared = map_new();
    for (size_t i = 0; i < n; i++) {
        if (!rels[i] || !path_is_safe_output(rels[i]) || strchr(rels[i], '\n'))
            continue;
        const char *rel = skip_dot(rels[i]);
        if (map_get(declared, rel))
            continue;
        map_put(declared, rel, (void *)1);
        buf_printf(&lines, "%s\n", rel);
    }
    /* Under the lock, as claim writes the journal and reads the map: the
     * outputs made beside the history may be writing meanwhile. */
    int err = 0, why = 0;
    pthread_mutex_lock(&o->lock);
    if (lines.len && fs_write_fd(o->journal_fd, lines.data, lines.len) != 0) {
        err = -1;
        why = errno;
        map_free(declared);
    } else {
        o->declared = declared;
    }
    pthread_mutex_unlock(&o->lock);
    if (err)
        diag_error(d, NULL, 0, 0, "io", "cannot write '%s/%s': %s", o->staging, OUTPUT_JOURNAL,
                   strerror(why));
    buf_release(&lines);
    return err;
}

/* Records rel as written or linked, with its digest, the key it was made
 * from (NULL: none) and its size in bytes. */
static void record_keyed(output *o, const char *rel, const char hex[DIGEST_HEX], const char *key,
                         long long size)
{
    pthread_mutex_lock(&o->lock);
    if (o->n_files == o->cap_files) {
        o->cap_files = o->cap_files ? o->cap_files * 2 : 256;
        o->files = xrealloc(o->files, o->cap_files * sizeof *o->files);
    }
    size_t i = o->n_files++;
    manifest_entry *e = &o->files[i];
    e->rel = xstrdup(skip_dot(rel));
    memcpy(e->hex, hex, DIGEST_HEX);
    e->key[0] = '\0';
    e->size = size;
    if (key)
        memcpy(e->key, key, DIGEST_HEX);
    pthread_mutex_unlock(&o->lock);
}

/* A spliced file's digest state is recorded every this many bytes. */
#define STATE_EVERY (64LL << 10)

/* What write_new has seen of a file: its digest so far and its size. A
 * file streamed in segments (sp) records its digest's state every
 * STATE_EVERY bytes for the next build; and while its bytes are the
 * previous file's own at the same places (splice_same), they are not
 * hashed: at the first that is not, the digest resumes from the previous
 * file's state before it, hashing again only the previous file's bytes
 * since that state (at most STATE_EVERY). */
typedef struct tally {
    digest *h;
    long long size;   /* bytes seen */
    long long hashed; /* bytes hashed (size, unless deferring) */
    long long next_state;
    splice_stream *sp;    /* NULL: not streamed in segments */
    int deferring;        /* bytes [hashed, size) are the previous file's, unhashed */
    int broken;           /* resuming failed: the digest is made from the file */
    long long resumed_at; /* the previous file's state it resumed from */
} tally;

/* Hashes data[0..len), recording the states it passes. */
static void tally_hash(tally *t, const char *data, size_t len)
{
    while (len > 0) {
        long long room = t->next_state - t->hashed;
        size_t n = (unsigned long long)room < len ? (size_t)room : len;
        digest_add(t->h, data, n);
        t->hashed += (long long)n;
        data += n;
        len -= n;
        if (t->hashed == t->next_state) {
            char state[DIGEST_HEX];
            if (t->sp && digest_state(t->h, state) == 0)
                splice_state_add(t->sp, t->hashed, state);
            t->next_state += STATE_EVERY;
        }
    }
}

/* Resumes the digest from the previous file's last state at or before
 * byte upto (the new file's bytes are the previous file's up to there;
 * upto >= t->size): the previous states up to it are the new file's too.
 * Hashes the previous file's bytes from that state to t->size; returns
 * how many bytes past t->size the state already holds. */
static long long tally_resume(tally *t, long long upto)
{
    long long at = 0;
    char state[DIGEST_HEX];
    t->deferring = 0;
    if (splice_state_at(t->sp, upto, &at, state) == 0) {
        if (digest_resume(t->h, state, (unsigned long long)at) != 0) {
            t->broken = 1;
            return 0;
        }
        for (long long k = STATE_EVERY; k <= at; k += STATE_EVERY) {
            char kept[DIGEST_HEX];
            long long where = 0;
            if (splice_state_at(t->sp, k, &where, kept) != 0 || where != k) {
                t->broken = 1;
                return 0;
            }
            splice_state_add(t->sp, k, kept);
        }
    }
    t->hashed = at;
    t->resumed_at = at;
    t->next_state = at + STATE_EVERY;
    buf old;
    buf_init(&old);
    for (long long from = at; from < t->size && !t->broken;) {
        size_t n = t->size - from < STATE_EVERY ? (size_t)(t->size - from) : (size_t)STATE_EVERY;
        buf_reset(&old);
        if (splice_read_old(t->sp, from, n, &old) != 0)
            t->broken = 1;
        else
            tally_hash(t, old.data, old.len);
        from += (long long)n;
    }
    buf_release(&old);
    return at > t->size ? at - t->size : 0;
}

/* Before each chunk: the previous file's first bytes its splice left
 * unread (splice_lazy), copied in ahead of it. They are the previous
 * file's own at the same places, so the digest defers them as it would
 * had they been read. */
static int tally_before(void *ctx, int fd)
{
    tally *t = ctx;
    long long n = 0;
    if (!t->sp || splice_lazy_flush(t->sp, fd, &n) != 0)
        return t->sp ? -1 : 0;
    if (n && !t->deferring)
        t->broken = 1; /* not expected: the digest is then made from the file */
    t->size += n;
    return 0;
}

static void add_to_tally(void *ctx, const char *data, size_t len)
{
    tally *t = ctx;
    size_t skip = 0;
    if (len && t->sp)
        splice_produced(t->sp);
    if (t->deferring) {
        long long same = splice_same(t->sp);
        if (t->size + (long long)len <= same) {
            t->size += (long long)len; /* the previous file's own bytes */
            return;
        }
        skip = (size_t)tally_resume(t, same > t->size ? same : t->size);
    }
    if (!t->broken)
        tally_hash(t, data + skip, len - skip);
    t->size += (long long)len;
}

/* CHARTER_CHECK_REUSE is set (the test suites): a digest resumed from the
 * previous file's state is checked against the file's bytes. */
static int check_resumed(void)
{
    const char *check = getenv("CHARTER_CHECK_REUSE");
    return check && *check;
}

/* Creates path (never over an existing file: O_EXCL) and writes it from
 * fill, hashing and counting as it goes (sp: its splice, or NULL). */
static int write_new(const char *path, int (*fill)(void *ctx, buf *chunk), void *ctx,
                     splice_stream *sp, char hex[DIGEST_HEX], long long *size, long long *unhashed,
                     diags *d)
{
    /* Deferred only where the previous file left a state to resume from:
     * else its bytes would be read back from it to be hashed. */
    long long first = 0;
    char state[DIGEST_HEX];
    int states = sp && splice_state_at(sp, LLONG_MAX, &first, state) == 0;
    tally t = {digest_new(), 0, 0, STATE_EVERY, sp, states, 0, 0};
    /* Bytes hashed only from where they differ: those before need not be
     * read at all (tally_before copies them). */
    if (states)
        splice_lazy(sp);
    int err = fs_write_new_hooked(path, O_EXCL | O_NOFOLLOW, fill, ctx, add_to_tally, tally_before,
                                  &t, d);
    int resumed = sp && splice_same(sp) > 0;
    if (t.deferring)
        tally_resume(&t, t.size); /* the whole file the previous one's */
    digest_hex(t.h, hex);
    if (err == 0 && (t.broken || (resumed && check_resumed()))) {
        char whole[DIGEST_HEX];
        if (manifest_hash_file(path, whole, NULL) != 0)
            err = diag_error(d, NULL, 0, 0, "io", "cannot read back '%s'", path);
        else if (!t.broken && strcmp(whole, hex) != 0)
            err = diag_error(d, NULL, 0, 0, "internal",
                             "'%s' was hashed from the previous file's digest state, which does "
                             "not match its bytes",
                             path);
        memcpy(hex, whole, DIGEST_HEX);
    }
    if (t.broken && sp)
        splice_states_forget(sp);
    digest_free(t.h);
    *size = t.size;
    *unhashed = t.broken ? 0 : t.resumed_at;
    return err;
}

/* When the previous site holds rel with exactly the digest hex, hard-links
 * that file to `path` in staging (creating its folders), so an unchanged
 * file is not written again and keeps its modification time. 1 when
 * linked, 0 when it must be written (not there, different, or the link
 * failed: nothing is reported, the caller writes). The previous site was
 * verified against its manifest by output_begin, under the lock. */
static int reuse_old(output *o, const char *rel, const char *path, const char *hex)
{
    const manifest_entry *e = o->old_by_rel ? map_get(o->old_by_rel, skip_dot(rel)) : NULL;
    if (!e || strcmp(e->hex, hex) != 0)
        return 0;
    buf from;
    buf_init(&from);
    buf_printf(&from, "%s/%s", o->target, e->rel);
    int ok = link(from.data, path) == 0;
    if (!ok && errno == ENOENT) {
        diags *quiet = diag_new(NULL);
        char *slash = strrchr(path, '/');
        *slash = '\0';
        int made = fs_mkdirs(path, quiet) == 0;
        *slash = '/';
        ok = made && link(from.data, path) == 0;
        diag_free(quiet);
    }
    buf_release(&from);
    /* The link was made by its path in the output, which a folder swapped
     * for a link since output_begin could lead elsewhere: what was linked
     * must be the very file the verification met there, else it goes and
     * the file is written instead. */
    struct stat st;
    const size_t at = (size_t)(e - o->old);
    if (ok && (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || o->old_ino[at].ino == 0 ||
               (unsigned long long)st.st_ino != o->old_ino[at].ino ||
               (unsigned long long)st.st_dev != o->old_ino[at].dev)) {
        unlink(path);
        ok = 0;
    }
    if (ok) {
        pthread_mutex_lock(&o->lock);
        o->n_reused++;
        pthread_mutex_unlock(&o->lock);
    }
    return ok;
}

int output_stream(output *o, const char *rel, int (*fill)(void *ctx, buf *chunk), void *ctx,
                  diags *d)
{
    return output_stream_keyed(o, rel, NULL, fill, ctx, d);
}

int output_stream_keyed(output *o, const char *rel, const char *key,
                        int (*fill)(void *ctx, buf *chunk), void *ctx, diags *d)
{
    buf p;
    buf_init(&p);
    char hex[DIGEST_HEX];
    long long size = 0;
    int err = claim(o, rel, NULL, &p, d);
    pthread_mutex_lock(&o->lock);
    splice_stream *sp = o->splicing ? map_get(o->splicing, skip_dot(rel)) : NULL;
    pthread_mutex_unlock(&o->lock);
    long long unhashed = 0;
    if (err == 0)
        err = write_new(p.data, fill, ctx, sp, hex, &size, &unhashed, d);
    if (unhashed) {
        pthread_mutex_lock(&o->lock);
        o->spliced_unhashed += unhashed;
        pthread_mutex_unlock(&o->lock);
    }
    /* Written, and the same as before: the previous file takes its place
     * (a link under a journalled name, renamed over it), so it keeps its
     * modification time, which then says when it last changed. */
    const manifest_entry *e =
        err == 0 && o->old_by_rel ? map_get(o->old_by_rel, skip_dot(rel)) : NULL;
    if (e && !strcmp(e->hex, hex)) {
        buf tmp_rel, tmp;
        buf_init(&tmp_rel);
        buf_init(&tmp);
        pthread_mutex_lock(&o->lock);
        size_t k = o->n_relinks++;
        pthread_mutex_unlock(&o->lock);
        buf_printf(&tmp_rel, ".charter-relink-%zu", k);
        diags *quiet = diag_new(NULL);
        if (claim(o, tmp_rel.data, NULL, &tmp, quiet) == 0 && reuse_old(o, rel, tmp.data, hex) &&
            rename(tmp.data, p.data) != 0)
            unlink(tmp.data);
        diag_free(quiet);
        buf_release(&tmp_rel);
        buf_release(&tmp);
    }
    if (err == 0)
        record_keyed(o, rel, hex, key, size);
    buf_release(&p);
    return err;
}

int output_keyed_digest(const output *o, const char *rel, const char *key, char hex[DIGEST_HEX])
{
    const char *was_hex = NULL;
    long long size = -1;
    const char *was = outcache_key(o->known, skip_dot(rel), &was_hex, &size);
    if (!was || strcmp(was, key) != 0 || strlen(was_hex) != DIGEST_HEX - 1)
        return 0;
    memcpy(hex, was_hex, DIGEST_HEX);
    return 1;
}

splice_stream *output_splice(output *o, const char *rel)
{
    rel = skip_dot(rel);
    const manifest_entry *e = o->old_by_rel ? map_get(o->old_by_rel, rel) : NULL;
    pthread_mutex_lock(&o->lock);
    if (!o->splices_read && o->cache_dir) {
        buf p;
        buf_init(&p);
        cache_file(&p, o->cache_dir, o->target, ".splice");
        o->splices_old = splice_map_read(p.data);
        buf_release(&p);
    }
    o->splices_read = 1;
    pthread_mutex_unlock(&o->lock);
    splice_stream *sp;
    /* The previous site's file, verified against its manifest by
     * output_begin as every file it links from is; opened beneath the
     * output through no link at all (none where openat2 is missing). */
    int fd = -1;
    if (e && path_is_safe_output(rel) && splice_map_has(o->splices_old, rel, e->hex)) {
#ifdef SYS_openat2
        int dir = open(o->target, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct open_how how = {.flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
                               .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                                          RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV};
        if (dir >= 0) {
            fd = (int)syscall(SYS_openat2, dir, e->rel, &how, sizeof how);
            close(dir);
        }
#endif
    }
    sp = splice_new(o->splices_old, rel, e ? e->hex : "", fd);
    pthread_mutex_lock(&o->lock);
    if (!o->splicing)
        o->splicing = map_new();
    map_put(o->splicing, rel, sp);
    pthread_mutex_unlock(&o->lock);
    return sp;
}

void output_splice_end(output *o, const char *rel, splice_stream *sp, int err)
{
    rel = skip_dot(rel);
    pthread_mutex_lock(&o->lock);
    if (o->splicing)
        map_remove(o->splicing, rel);
    pthread_mutex_unlock(&o->lock);
    if (err == 0 && sp && o->cache_dir) {
        pthread_mutex_lock(&o->lock);
        o->spliced_taken += splice_taken(sp);
        o->spliced_bytes += splice_size(sp);
        /* The digest it was written with (record_keyed's entry). */
        for (size_t i = o->n_files; i-- > 0;)
            if (!strcmp(o->files[i].rel, rel)) {
                if (!o->spliced)
                    o->spliced = map_new();
                if (!map_put(o->spliced, rel, (void *)1))
                    splice_write_text(&o->splices_new, sp, rel, o->files[i].hex);
                break;
            }
        pthread_mutex_unlock(&o->lock);
    }
    splice_free(sp);
}

void output_spliced(const output *o, long long *taken, long long *total, long long *unhashed)
{
    *taken = o->spliced_taken;
    *total = o->spliced_bytes;
    *unhashed = o->spliced_unhashed;
}

void output_count_recommitted(output *o)
{
    pthread_mutex_lock(&o->lock);
    o->recommitted++;
    pthread_mutex_unlock(&o->lock);
}

int output_recommitted(const output *o)
{
    return o->recommitted;
}

void output_count_rows(output *o, size_t n)
{
    pthread_mutex_lock(&o->lock);
    o->rows_copied += n;
    pthread_mutex_unlock(&o->lock);
}

size_t output_rows_copied(const output *o)
{
    return o->rows_copied;
}

/* The segments file of a published output: this build's spliced files,
 * and those of the previous build's whose file it kept (linked, the same
 * digest). Written only when this build spliced a file: otherwise the
 * file's entries still hold for what they name. */
static void write_splices(output *o)
{
    if (!o->spliced)
        return;
    buf text, p;
    buf_init(&text);
    buf_init(&p);
    buf_printf(&text, "%s\n", SPLICE_MAGIC);
    buf_add(&text, o->splices_new.data, o->splices_new.len);
    for (size_t i = 0; o->splices_old && i < o->n_files; i++)
        if (!map_get(o->spliced, o->files[i].rel))
            splice_map_carry(&text, o->splices_old, o->files[i].rel, o->files[i].hex);
    char hex[DIGEST_CHECK_HEX];
    digest_check_of(hex, text.data, text.len);
    buf_printf(&text, "end %s\n", hex);
    cache_file(&p, o->cache_dir, o->target, ".splice");
    /* Only a cache: a failure to write it costs the next build time. */
    diags *quiet = diag_new(NULL);
    fs_write_cache(p.data, text.data, text.len, "output", quiet);
    diag_free(quiet);
    buf_release(&p);
    buf_release(&text);
}

int output_reuse_keyed(output *o, const char *rel, const char *key)
{
    const char *hex = NULL;
    /* The size the cache recorded of this very content (its digest is
     * checked against the manifest's below). */
    long long size = -1;
    const char *was = outcache_key(o->known, skip_dot(rel), &hex, &size);
    const manifest_entry *e = was && o->old_by_rel ? map_get(o->old_by_rel, skip_dot(rel)) : NULL;
    if (!e || strcmp(was, key) != 0 || strcmp(e->hex, hex) != 0 || !path_is_safe_output(rel))
        return 0;
    buf p;
    buf_init(&p);
    diags *quiet = diag_new(NULL);
    int reused = 0;
    int kept = claim(o, rel, e->hex, &p, quiet);
    if (kept >= 0) {
        reused = kept == 1 || reuse_old(o, rel, p.data, e->hex);
        if (reused) {
            record_keyed(o, rel, e->hex, key, size);
        } else {
            /* Not linked after all: the caller writes it. */
            pthread_mutex_lock(&o->lock);
            map_remove(o->written, skip_dot(rel));
            pthread_mutex_unlock(&o->lock);
        }
    }
    diag_free(quiet);
    buf_release(&p);
    return reused;
}

int output_write(output *o, const char *rel, const char *data, size_t len, diags *d)
{
    return output_write_keyed(o, rel, NULL, data, len, d);
}

int output_write_keyed(output *o, const char *rel, const char *key, const char *data, size_t len,
                       diags *d)
{
    buf p;
    buf_init(&p);
    char hex[DIGEST_HEX];
    /* Hashed first: an unchanged file is kept or linked, not written. */
    digest_of(hex, data, len);
    int err = claim(o, rel, hex, &p, d);
    if (err == 0) {
        fs_chunk c = {data, len};
        if (!reuse_old(o, rel, p.data, hex))
            err = fs_write_new(p.data, O_EXCL | O_NOFOLLOW, fs_fill_once, &c, NULL, NULL, d);
    }
    if (err == 1)
        err = 0;
    if (err == 0)
        record_keyed(o, rel, hex, key, (long long)len);
    buf_release(&p);
    return err;
}

typedef struct copy_ctx {
    int fd;
    const char *src;
    size_t left; /* at most this many bytes more: the size checked */
    diags *d;
} copy_ctx;

static int fill_copy(void *ctx, buf *chunk)
{
    copy_ctx *c = ctx;
    buf_grow(chunk, 65536);
    for (;;) {
        size_t want = c->left < 65536 ? c->left : 65536;
        ssize_t n = want ? read(c->fd, chunk->data, want) : 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return diag_error(c->d, NULL, 0, 0, "io", "cannot read '%s': %s", c->src,
                              strerror(errno));
        chunk->len = (size_t)n;
        chunk->data[n] = '\0';
        c->left -= (size_t)n;
        return n > 0 ? 1 : 0;
    }
}

int output_copy(output *o, const char *rel, const fs_root *root, const char *src, size_t max,
                const char *limit, diags *d)
{
    copy_ctx c = {-1, src, 0, d};
    if (fs_open_source(&c.fd, &c.left, root, src, max, limit, d) != 0)
        return -1;
    int err = output_stream(o, rel, fill_copy, &c, d);
    close(c.fd);
    return err;
}

size_t output_count(const output *o, size_t *html)
{
    size_t n_html = 0, n_meta = 0;
    for (size_t i = 0; i < o->n_files; i++) {
        /* The published manifest describes the site; it is not counted in it. */
        n_meta += !strcmp(o->files[i].rel, MANIFEST_JSON);
        size_t n = strlen(o->files[i].rel);
        n_html += n >= 5 && !strcmp(o->files[i].rel + n - 5, ".html");
    }
    if (html)
        *html = n_html;
    return o->n_files - n_meta;
}

int output_taken_own(const output *o)
{
    return o && o->taken;
}

int output_prefetched(const output *o)
{
    return o ? atomic_load(&o->prefetched) : 0;
}

const char *output_spare_use(const output *o, size_t *listed)
{
    *listed = 0;
    if (!o || !o->using_spare)
        return NULL;
    if (o->spare_state != SPARE_WHOLE)
        return "read whole";
    *listed = o->spare_listed;
    return "by its folders";
}

size_t output_reused(const output *o)
{
    return o->n_reused;
}

int output_has(const output *o, const char *rel)
{
    return map_get(o->written, skip_dot(rel)) != NULL;
}

/* --- publishing ------------------------------------------------------------------- */

static int cmp_rel(const void *a, const void *b)
{
    return strcmp(((const manifest_entry *)a)->rel, ((const manifest_entry *)b)->rel);
}

void output_listing(manifest_entry **out, size_t *n, const output *o)
{
    manifest_entry *v = xcalloc(o->n_files + 1, sizeof *v);
    for (size_t i = 0; i < o->n_files; i++) {
        v[i] = o->files[i];
        v[i].rel = xstrdup(o->files[i].rel);
    }
    if (o->n_files > 1)
        qsort(v, o->n_files, sizeof *v, cmp_rel);
    *out = v;
    *n = o->n_files;
}

static int write_manifest(output *o, const char *dir, diags *d)
{
    buf text, path;
    buf_init(&text);
    buf_init(&path);
    manifest_write(&text, o->files, o->n_files);
    buf_printf(&path, "%s/%s", dir, OUTPUT_MANIFEST);
    int err = fs_write(path.data, text.data, text.len, d);
    buf_release(&text);
    buf_release(&path);
    return err;
}

/* Drops the journal: the staging directory now carries the manifest, which
 * lists the same files. */
static void close_journal(output *o)
{
    if (o->journal_fd >= 0)
        close(o->journal_fd);
    o->journal_fd = -1;
    buf j;
    buf_init(&j);
    buf_printf(&j, "%s/%s", o->staging, OUTPUT_JOURNAL);
    unlink(j.data);
    buf_release(&j);
}

/* Moves the new files into the mounted target one by one (each rename is
 * atomic), then removes the old files the new site no longer has. The old
 * site stays whole until every new file is built; a reader sees each file
 * either old or new. */
static int commit_in_place(output *o, diags *d)
{
    buf from, to, dir;
    buf_init(&from);
    buf_init(&to);
    buf_init(&dir);
    int err = -1;
    map *fresh = map_new(), *old = map_new();
    for (size_t i = 0; i < o->n_old; i++)
        map_put(old, o->old[i].rel, &o->old[i]);
    for (size_t i = 0; i < o->n_files; i++) {
        const char *rel = o->files[i].rel;
        map_put(fresh, rel, (void *)1);
        buf_reset(&from);
        buf_reset(&to);
        buf_printf(&from, "%s/%s", o->staging, rel);
        buf_printf(&to, "%s/%s", o->target, rel);
        const char *slash = strrchr(to.data, '/');
        buf_reset(&dir);
        buf_add(&dir, to.data, (size_t)(slash - to.data));
        /* A folder of the new site where the old one had a file it wrote
         * (none for a file at the top: dir is then the target itself). */
        size_t top = strlen(o->target);
        for (char *c = dir.len > top ? dir.data + top + 1 : dir.data + dir.len; *c; c++) {
            if (*c != '/')
                continue;
            *c = '\0';
            struct stat st;
            if (lstat(dir.data, &st) == 0 && !S_ISDIR(st.st_mode) &&
                map_get(old, dir.data + strlen(o->target) + 1))
                unlink(dir.data);
            *c = '/';
        }
        struct stat st;
        if (dir.len > top && lstat(dir.data, &st) == 0 && !S_ISDIR(st.st_mode) &&
            map_get(old, dir.data + top + 1))
            unlink(dir.data);
        if (fs_mkdirs(dir.data, d) != 0)
            goto done;
        if (rename(from.data, to.data) != 0) {
            diag_error(d, NULL, 0, 0, "output", "cannot move '%s' to '%s': %s", from.data, to.data,
                       strerror(errno));
            goto done;
        }
    }
    /* The old files the new site does not have, and their empty folders. */
    char **gone = xcalloc(o->n_old + 1, sizeof *gone);
    size_t n_gone = 0;
    for (size_t i = 0; i < o->n_old; i++)
        if (!map_get(fresh, o->old[i].rel))
            gone[n_gone++] = o->old[i].rel;
    manifest_remove_listed(o->target, gone, n_gone, 0, NULL, NULL, d);
    free(gone);
    buf_reset(&from);
    buf_reset(&to);
    buf_printf(&from, "%s/%s", o->staging, OUTPUT_MANIFEST);
    buf_printf(&to, "%s/%s", o->target, OUTPUT_MANIFEST);
    if (rename(from.data, to.data) != 0) {
        diag_error(d, NULL, 0, 0, "output", "cannot move '%s' to '%s': %s", from.data, to.data,
                   strerror(errno));
        goto done;
    }
    /* Only empty folders are left in staging; release removes them. */
    manifest_entries_free(o->old, o->n_old);
    o->old = NULL;
    o->n_old = 0;
    err = 0;
done:
    map_free(fresh);
    map_free(old);
    buf_release(&from);
    buf_release(&to);
    buf_release(&dir);
    return err;
}

/* With the spare as staging: removes what it held that this build did
 * not write, and its manifest, which write_manifest then writes anew. */
static void spare_finish(output *o, diags *d)
{
    char **gone = xcalloc(o->n_sv + 2, sizeof *gone);
    size_t n = 0;
    for (size_t i = 0; i < o->n_sv; i++)
        if (!map_get(o->written, o->sv[i].rel)) {
            gone[n++] = o->sv[i].rel;
            touch_folders(o->touched, o->sv[i].rel);
        }
    gone[n++] = OUTPUT_MANIFEST;
    manifest_remove_listed(o->staging, gone, n, 0, NULL, NULL, d);
    free(gone);
}

static int commit(output *o, diags *d);

int output_commit(output *o, diags *d)
{
    int err = commit(o, d);
    o->changed_ns = fs_trace_now();
    return err;
}

/* output_commit's work: the manifest, then the staging directory in the
 * target's place. */
static int commit(output *o, diags *d)
{
    if (o->using_spare)
        spare_finish(o, d);
    if (write_manifest(o, o->staging, d) != 0)
        return -1;
    close_journal(o);
    if (o->in_place) {
        int err = commit_in_place(o, d);
        o->committed = o->published = err == 0;
        return err;
    }
    if (fs_is_dir(o->target) != 1) {
        if (rename(o->staging, o->target) != 0)
            return diag_error(d, NULL, 0, 0, "output", "cannot rename '%s' to '%s': %s", o->staging,
                              o->target, strerror(errno));
        free(o->staging);
        o->staging = NULL;
        o->published = 1;
        return 0;
    }
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->target, RENAME_EXCHANGE) == 0) {
        o->swapped = o->published = 1; /* the staging path now holds the old site */
        return 0;
    }
#endif
    buf old;
    buf_init(&old);
    buf_printf(&old, "%s.old-XXXXXX", o->target);
    int err = -1;
    if (!mkdtemp(old.data) || rmdir(old.data) != 0 || rename(o->target, old.data) != 0) {
        diag_error(d, NULL, 0, 0, "output", "cannot move the previous site '%s' aside: %s",
                   o->target, strerror(errno));
        goto done;
    }
    if (rename(o->staging, o->target) != 0) {
        diag_error(d, NULL, 0, 0, "output", "cannot rename '%s' to '%s': %s", o->staging, o->target,
                   strerror(errno));
        rename(old.data, o->target);
        goto done;
    }
    free(o->staging);
    o->staging = buf_detach(&old);
    o->swapped = o->published = 1;
    err = 0;
done:
    buf_release(&old);
    return err;
}

/* What the output's cache need not stat again after a build staged in a
 * whole spare: a file kept there (the previous site's own, unchanged since
 * its outcache vouched for it as output_begin verified it) and a folder no
 * name of which changed (as the spare's outcache recorded it, checked by
 * output_begin). Anything else is stat-ed. */
static int carry_stat(void *ctx, const char *rel, int folder, struct stat *st)
{
    const output *o = ctx;
    if (folder)
        return o->spare_state == SPARE_WHOLE && !map_get(o->touched, rel) &&
               outcache_recorded(o->spare_known, rel, 1, st);
    const manifest_entry *e =
        map_get(o->written, rel) == (void *)2 && o->old_by_rel ? map_get(o->old_by_rel, rel) : NULL;
    return e && o->old_ino[e - o->old].fresh && outcache_recorded(o->known, rel, 0, st);
}

/* After a swap, keeps the previous site (at o->staging) as the spare
 * tree, with an outcache for it: the previous site's own, whose folders
 * (none of which this build changed) and inodes are what the next build
 * takes the spare by (spare_same_names, spare_keeps); a file this build
 * linked has a later change time than it records, so that, were the spare
 * read whole, its bytes would be read. Without that cache, one written
 * after the output's (*due). 1 when kept; 0 when it cannot be (no build
 * cache, another file system), and the caller removes it. */
static int spare_keep(output *o, int *due)
{
    if (!o->spare || o->in_place)
        return 0;
    diags *quiet = diag_new(NULL);
    if (strcmp(o->staging, o->spare) != 0 &&
        (fs_mkdirs(o->cache_dir, quiet) != 0 || rename(o->staging, o->spare) != 0)) {
        diag_free(quiet);
        return 0;
    }
    free(o->staging);
    o->staging = NULL;
    *due = rename(o->cache_path, o->spare_cache) != 0;
    diag_free(quiet);
    return 1;
}

void output_free(output *o, diags *d)
{
    if (!o)
        return;
    int spare_due = 0, removed = 1;
    outcache_carry carry = {carry_stat, o};
    if (o->journal_fd >= 0)
        close(o->journal_fd);
    o->journal_fd = -1;
    for (size_t i = 0; i < o->n_held; i++)
        close(o->held[i]); /* the spare's large files, unlinked: freed now */
    o->n_held = 0;
    if (o->staging) {
        if (o->swapped) {
            /* The previous site, verified by output_begin, is kept as the
             * next build's spare where it can be; else only what its
             * manifest lists goes. */
            removed = !spare_keep(o, &spare_due);
            if (removed)
                manifest_remove_entries(o->staging, o->old, o->n_old, 1, o->staging,
                                        "the previous site", d);
        } else if (o->using_spare) {
            /* The spare, part written: what it held and what this build
             * wrote there go. */
            spare_discard(o->staging, o->spare_cache, o->sv, o->n_sv, d);
        } else if (o->committed) {
            /* A mount point's staging: its files moved out, its folders
             * left empty. */
            char **rels = xcalloc(o->n_files + 1, sizeof *rels);
            for (size_t i = 0; i < o->n_files; i++)
                rels[i] = o->files[i].rel;
            manifest_remove_listed(o->staging, rels, o->n_files, 1, o->staging,
                                   "the staging directory", d);
            free(rels);
        } else {
            /* An unfinished build: only what its journal (or, after a
             * failed commit, its manifest) lists goes. */
            manifest_sweep_dir(o->staging, o->staging, d);
        }
    }
    /* The new site's stat, once the old one is gone (unlinking a shared
     * file's other name changes its ctime), still under the lock. The
     * previous site renamed whole into the spare changed none of the new
     * site's files: the racy window started when it was published. */
    if (o->staging && removed)
        o->changed_ns = fs_trace_now();
    if (o->published && o->cache_dir)
        write_splices(o);
    if (o->published && o->cache_path)
        outcache_write(o->cache_path, o->target, o->files, o->n_files, o->racy_bytes, o->changed_ns,
                       o->using_spare ? &carry : NULL, d);
    /* The spare's, after the output's: that one waited out the racy window
     * where it had to, after the last change to either tree, so this one
     * need not wait again. */
    if (spare_due) {
        diags *quiet = diag_new(NULL);
        outcache_write(o->spare_cache, o->spare, o->old, o->n_old, o->racy_bytes ? LLONG_MAX : 0, 0,
                       NULL, quiet);
        diag_free(quiet);
    }
    if (o->lock_fd >= 0)
        close(o->lock_fd); /* releases the flock */
    if (o->lock_ready)
        pthread_mutex_destroy(&o->lock);
    map_free(o->written);
    map_free(o->declared);
    map_free(o->spliced);
    map_free(o->splicing);
    splice_map_free(o->splices_old);
    buf_release(&o->splices_new);
    map_free(o->old_by_rel);
    map_free(o->spare_by_rel);
    map_free(o->spare_dirs);
    map_free(o->touched);
    map_free(o->fresh_dirs);
    outcache_free(o->spare_known);
    free(o->old_ino);
    free(o->sv_ino);
    manifest_entries_free(o->sv, o->n_sv);
    free(o->spare);
    free(o->spare_cache);
    outcache_free(o->known);
    free(o->cache_path);
    free(o->cache_dir);
    manifest_entries_free(o->files, o->n_files);
    manifest_entries_free(o->old, o->n_old);
    free(o->staging);
    free(o->target);
    free(o->shown);
    free(o);
}

void output_abandon(output *o)
{
    diags *quiet = diag_new(NULL);
    if (o && o->staging && !o->swapped && o->using_spare)
        spare_discard(o->staging, o->spare_cache, o->sv, o->n_sv, quiet);
    else if (o && o->staging && !o->swapped && !o->committed)
        manifest_sweep_dir(o->staging, o->staging, quiet);
    diag_free(quiet);
}

/* The first part of path, from the working directory down (path relative
 * to it, or absolute below it), that is a symbolic link, written to out
 * (reset) and returned; NULL when none is. */
static const char *link_below_cwd(buf *out, const char *path)
{
    char *cwd = getcwd(NULL, 0);
    size_t cl = cwd ? strlen(cwd) : 0;
    const char *rel = path;
    if (path[0] == '/')
        rel = cwd && !strncmp(path, cwd, cl) && path[cl] == '/' ? path + cl + 1 : NULL;
    free(cwd);
    for (const char *p = rel; p && *p;) {
        size_t n = strcspn(p, "/");
        buf_reset(out);
        buf_add(out, rel, (size_t)(p - rel) + n);
        struct stat st;
        if (n && lstat(out->data, &st) == 0 && S_ISLNK(st.st_mode))
            return out->data;
        p += n;
        while (*p == '/')
            p++;
    }
    return NULL;
}

int output_write_file(const char *path, const char *data, size_t len, const char *const *sources,
                      diags *d)
{
    buf t, s, tmp;
    buf_init(&t);
    buf_init(&s);
    buf_init(&tmp);
    int err = -1, fd = -1;
    struct stat st;
    /* A link there or in a folder on the way below the working directory
     * (one a pull request may commit: charter.sarif, reports/) would be
     * written through, to wherever it leads: refused. */
    const char *link = *path ? link_below_cwd(&s, path) : NULL;
    if (link) {
        diag_error(d, NULL, 0, 0, "output", "refusing to write '%s': '%s' is a symbolic link", path,
                   link);
        goto done;
    }
    if (!*path || resolve(&t, path) != 0) {
        diag_error(d, NULL, 0, 0, "output", "cannot resolve '%s': %s", path,
                   *path ? strerror(errno) : "empty path");
        goto done;
    }
    for (const char *const *src = sources; *src; src++) {
        buf_reset(&s);
        if (resolve(&s, *src) != 0)
            continue;
        if (path_is_within(t.data, s.data)) {
            if (strcmp(t.data, s.data) == 0)
                diag_error(d, NULL, 0, 0, "output",
                           "refusing to write '%s': it is the site's source '%s'", path, *src);
            else
                diag_error(d, NULL, 0, 0, "output",
                           "refusing to write '%s': it is inside the source directory '%s'", path,
                           *src);
            goto done;
        }
    }
    if (lstat(t.data, &st) == 0 && !S_ISREG(st.st_mode)) {
        diag_error(d, NULL, 0, 0, "output", "refusing to write '%s': it is not a regular file",
                   path);
        goto done;
    }
    buf_printf(&tmp, "%s.tmp-XXXXXX", t.data);
    fd = mkstemp(tmp.data);
    if (fd < 0) {
        diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
        goto done;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    if (fs_write_fd(fd, data, len) != 0) {
        diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
        goto done;
    }
    if (close(fd) != 0) {
        fd = -1;
        diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
        goto done;
    }
    fd = -1;
    if (rename(tmp.data, t.data) != 0) {
        diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
        goto done;
    }
    buf_reset(&tmp);
    err = 0;
done:
    if (fd >= 0)
        close(fd);
    if (tmp.len)
        unlink(tmp.data);
    buf_release(&t);
    buf_release(&s);
    buf_release(&tmp);
    return err;
}

int output_scratch(output *o, diags *d)
{
    int fd = open(o->staging, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    /* A file system without O_TMPFILE: a named file, unlinked at once (the
     * journal lists it first, so a kill in between cannot leave it). */
    buf p;
    buf_init(&p);
    if (claim(o, ".charter-scratch", NULL, &p, d) == 0) {
        fd = open(p.data, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            unlink(p.data);
    }
    if (fd < 0)
        diag_error(d, NULL, 0, 0, "io", "cannot create a scratch file in '%s': %s", o->staging,
                   strerror(errno));
    buf_release(&p);
    return fd;
}
