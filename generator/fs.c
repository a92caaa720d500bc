/* fs: POSIX file primitives with diagnostics (see fs.h). Writes go through
 * fs_write only, so output.c can guarantee nothing lands outside the staging
 * directory. */
#include "fs.h"
#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Appends up to max bytes from fd, a regular file whose stat said it holds
 * size_hint bytes; -1 with errno set on a read error, 1 when the file holds
 * more than max bytes, else 0. */
static int read_fd(buf *out, int fd, size_t size_hint, size_t max)
{
    size_t start = out->len;
    /* One allocation of the file's size, plus room to notice growth. */
    buf_grow(out, (size_hint ? (size_hint < max ? size_hint : max) : 4096) + 1);
    for (;;) {
        if (out->len - start > max)
            return 1;
        if (out->len + 1 >= out->cap)
            buf_grow(out, out->cap);
        size_t room = out->cap - out->len - 1;
        if (room > max + 1 - (out->len - start))
            room = max + 1 - (out->len - start);
        ssize_t n = read(fd, out->data + out->len, room);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            return 0;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
        /* A regular file's end: what its stat promised, and a read that
         * came short (a second read to see 0 would be a system call per
         * page more). */
        if ((size_t)n < room && size_hint && out->len - start >= size_hint)
            return 0;
    }
}

void fs_describe_kind(buf *out, const struct stat *st)
{
    if (S_ISFIFO(st->st_mode))
        buf_adds(out, "a FIFO");
    else if (S_ISSOCK(st->st_mode))
        buf_adds(out, "a socket");
    else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        buf_adds(out, "a device");
    else if (S_ISDIR(st->st_mode))
        buf_adds(out, "a directory");
    else
        buf_adds(out, "not a regular file");
}

static int read_path(buf *out, const char *path, const char *shown, int flags, diags *d)
{
    const char *name = shown ? shown : path;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | flags);
    if (fd < 0 && errno == ELOOP && (flags & O_NOFOLLOW))
        return diag_error(d, NULL, 0, 0, "io", "cannot read '%s': it is a symbolic link", name);
    if (fd < 0)
        return diag_error(d, NULL, 0, 0, "io", "cannot read '%s': %s", name, strerror(errno));
    int err = -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        diag_error(d, NULL, 0, 0, "io", "cannot read '%s': %s", name, strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        buf what;
        buf_init(&what);
        fs_describe_kind(&what, &st);
        diag_error(d, NULL, 0, 0, "io", "cannot read '%s': it is %s, not a regular file", name,
                   what.data);
        buf_release(&what);
        goto done;
    }
    int rc = read_fd(out, fd, (size_t)st.st_size, FS_READ_MAX);
    if (rc < 0)
        diag_error(d, NULL, 0, 0, "io", "cannot read '%s': %s", name, strerror(errno));
    else if (rc > 0)
        diag_error(d, NULL, 0, 0, "io", "cannot read '%s': it is larger than %zu bytes", name,
                   FS_READ_MAX);
    else
        err = 0;
done:
    close(fd);
    return err;
}

int fs_read(buf *out, const char *path, const char *shown, diags *d)
{
    return read_path(out, path, shown, 0, d);
}

int fs_read_nofollow(buf *out, const char *path, const char *shown, diags *d)
{
    return read_path(out, path, shown, O_NOFOLLOW, d);
}

int fs_read_head(buf *out, const char *path, size_t max)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return -1;
    struct stat st;
    size_t start = out->len;
    int err =
        fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || read_fd(out, fd, (size_t)st.st_size, max) < 0
            ? -1
            : 0;
    if (out->len - start > max)
        buf_truncate(out, start + max);
    close(fd);
    return err;
}

/* --- the site's sources ------------------------------------------------------ */

int fs_root_init(fs_root *r, const char *path, diags *d)
{
    r->path = xstrdup(path && *path ? path : ".");
    r->real = realpath(r->path, NULL);
    if (!r->real) {
        diag_error(d, NULL, 0, 0, "io", "cannot read the site directory '%s': %s", r->path,
                   strerror(errno));
        fs_root_release(r); /* nothing for the caller to release */
        return -1;
    }
    r->dirfd = open(r->real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    r->has_dirfd = r->dirfd >= 0;
    return 0;
}

void fs_root_release(fs_root *r)
{
    if (!r)
        return;
    free(r->path);
    free(r->real);
    r->path = r->real = NULL;
    if (r->has_dirfd)
        close(r->dirfd);
    r->has_dirfd = 0;
}

void fs_root_path(buf *out, const fs_root *r, const char *rel)
{
    if (!rel[0] || !strcmp(rel, "."))
        buf_adds(out, r->path);
    else if (!strcmp(r->path, "."))
        buf_adds(out, rel);
    else
        path_join(out, r->path, rel);
}

/* Reports the first symbolic link along rel that leads out of the root
 * (real: where rel leads, NULL when nowhere). */
static int report_escape(const fs_root *r, const char *rel, const char *real, diags *d)
{
    buf prefix, full, target;
    buf_init(&prefix);
    buf_init(&full);
    buf_init(&target);
    for (const char *p = rel; *p;) {
        size_t n = strcspn(p, "/");
        buf_add(&prefix, p, n);
        buf_reset(&full);
        fs_root_path(&full, r, prefix.data);
        struct stat st;
        if (lstat(full.data, &st) == 0 && S_ISLNK(st.st_mode)) {
            char *to = realpath(full.data, NULL);
            int out = !to || !path_is_within(to, r->real);
            free(to);
            if (out) {
                char link[4096];
                ssize_t len = readlink(full.data, link, sizeof link - 1);
                buf_add(&target, link, len > 0 ? (size_t)len : 0);
                diag_error(d, prefix.data, 0, 0, "unsafe-link",
                           "'%s' is a symbolic link to '%s', outside the site", prefix.data,
                           target.data);
                goto done;
            }
        }
        p += n;
        if (*p == '/') {
            buf_addc(&prefix, '/');
            p++;
        }
    }
    if (real)
        diag_error(d, rel, 0, 0, "unsafe-link", "'%s' leads to '%s', outside the site", rel, real);
    else
        diag_error(d, rel, 0, 0, "unsafe-link", "'%s' leads outside the site", rel);
done:
    buf_release(&prefix);
    buf_release(&full);
    buf_release(&target);
    return -1;
}

/* rel's real path, as realpath(3) gives it, by the kernel's own walk:
 * openat2 keeps it below the site (RESOLVE_BENEATH, links followed), and
 * the opened descriptor's name in /proc is the path. realpath reads every
 * component's link again, the work growing with the square of the depth
 * (a page 600 folders deep under a linked folder took 7 s, each folder
 * resolved once). Returns a malloc'ed path (the caller frees it), or NULL
 * with errno: ENOENT or ENOTDIR when something on the way is missing;
 * anything else (a link out of the site, an absolute link, a loop, no
 * openat2 or /proc) when realpath must answer, and report. */
static char *real_beneath(const fs_root *r, const char *rel)
{
#ifdef SYS_openat2
    if (!r->has_dirfd) {
        errno = ENOSYS;
        return NULL;
    }
    struct open_how how = {.flags = O_PATH | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    int f = (int)syscall(SYS_openat2, r->dirfd, rel, &how, sizeof how);
    if (f < 0)
        return NULL;
    char proc[64], real[PATH_MAX];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", f);
    ssize_t n = readlink(proc, real, sizeof real);
    close(f);
    /* Only an absolute path within the site is taken; a name shown as
     * deleted, cut short, or a /proc not mounted leaves it to realpath. */
    if (n <= 0 || (size_t)n >= sizeof real || real[0] != '/') {
        errno = ENOSYS;
        return NULL;
    }
    real[n] = '\0';
    if (!path_is_within(real, r->real)) {
        errno = ENOSYS;
        return NULL;
    }
    return xstrdup(real);
#else
    (void)r;
    (void)rel;
    errno = ENOSYS;
    return NULL;
#endif
}

/* Whether rel, which leads nowhere (something on its way is missing),
 * leads out of the site on its way there: its links followed by their text
 * alone, from the site's real path, never looking at anything outside it
 * (whether a file exists out there must not change what a build says).
 * The site's real path and the folders above it hold no links. A loop
 * counts as leading out; a missing name inside the site does not. */
static int dangling_escapes(const fs_root *r, const char *rel)
{
    buf cur, todo, link;
    buf_init(&cur);
    buf_init(&todo);
    buf_init(&link);
    buf_adds(&cur, r->real);
    buf_adds(&todo, rel);
    size_t at = 0, rl = strlen(r->real);
    int escapes = 0, hops = 0;
    while (at < todo.len) {
        size_t n = strcspn(todo.data + at, "/");
        const char *c = todo.data + at;
        size_t next = at + n + (c[n] == '/');
        if (n == 0 || (n == 1 && c[0] == '.')) {
            at = next;
            continue;
        }
        size_t keep = cur.len;
        if (n == 2 && c[0] == '.' && c[1] == '.') {
            char *slash = strrchr(cur.data, '/');
            buf_truncate(&cur, slash && slash != cur.data ? (size_t)(slash - cur.data) : 1);
            at = next;
            continue;
        }
        if (cur.len > 1)
            buf_addc(&cur, '/');
        buf_add(&cur, c, n);
        int within = path_is_within(cur.data, r->real);
        /* Above the site: a folder on the way to it, or out of it. */
        if (!within && !(cur.len < rl && !strncmp(r->real, cur.data, cur.len) &&
                         (r->real[cur.len] == '/' || cur.len == 1))) {
            escapes = 1;
            break;
        }
        struct stat st;
        if (!within || lstat(cur.data, &st) != 0)
            goto advance; /* a folder above the site, or missing inside it */
        if (!S_ISLNK(st.st_mode))
            goto advance;
        if (++hops > 40) {
            escapes = 1;
            break;
        }
        char target[PATH_MAX];
        ssize_t len = readlink(cur.data, target, sizeof target - 1);
        if (len <= 0) {
            escapes = 1;
            break;
        }
        /* The link's text, then what was left after it. */
        buf_reset(&link);
        buf_add(&link, target, (size_t)len);
        buf_addc(&link, '/');
        buf_adds(&link, todo.data + next);
        buf_reset(&todo);
        buf_add(&todo, link.data, link.len);
        at = 0;
        if (target[0] == '/') {
            buf_reset(&cur);
            buf_addc(&cur, '/');
        } else
            buf_truncate(&cur, keep);
        continue;
    advance:
        at = next;
    }
    buf_release(&cur);
    buf_release(&todo);
    buf_release(&link);
    return escapes;
}

/* Resolves rel: appends its real path to real_out (may be NULL) and fills
 * st. Returns the kind, or -1 after reporting. */
static int resolve_source(const fs_root *r, const char *rel, buf *real_out, struct stat *st,
                          diags *d)
{
    buf full;
    buf_init(&full);
    fs_root_path(&full, r, rel);
    int kind = -1;
    char *real = real_beneath(r, rel);
    /* Missing below the site (the kernel's walk stayed there), or asked of
     * realpath: a link out, or no openat2. */
    int beneath = !real && (errno == ENOENT || errno == ENOTDIR);
    if (!real && !beneath)
        real = realpath(full.data, NULL);
    if (!real) {
        int err = errno, missing = err == ENOENT || err == ENOTDIR;
        if (err == ELOOP)
            diag_error(d, rel, 0, 0, "symlink-loop", "'%s' leads into a loop of symbolic links",
                       rel);
        else if (missing && !beneath && dangling_escapes(r, rel))
            report_escape(r, rel, NULL, d); /* as it would once its target is there */
        else if (missing)
            kind = FS_MISSING;
        else
            diag_error(d, NULL, 0, 0, "io", "cannot read '%s': %s", rel, strerror(err));
        if (kind == FS_MISSING)
            fs_trace_seen(r, rel, NULL);
        goto done;
    }
    if (!path_is_within(real, r->real)) {
        report_escape(r, rel, real, d);
        goto done;
    }
    /* Inside the site but in a repository's own folder (.git/config holds
     * the CI's credentials under actions/checkout): never a source. */
    for (const char *c = real + strlen(r->real); (c = strstr(c, "/.git")) != NULL; c += 5)
        if (c[5] == '/' || c[5] == '\0') {
            diag_error(d, rel, 0, 0, "unsafe-link",
                       "'%s' leads into the repository's '.git' folder ('%s')", rel,
                       real + strlen(r->real) + (real[strlen(r->real)] == '/'));
            goto done;
        }
    if (stat(real, st) != 0) {
        kind = errno == ENOENT ? FS_MISSING : -1;
        if (kind == FS_MISSING)
            fs_trace_seen(r, rel, NULL);
        if (kind < 0)
            diag_error(d, NULL, 0, 0, "io", "cannot read '%s': %s", rel, strerror(errno));
        goto done;
    }
    kind = S_ISREG(st->st_mode) ? FS_FILE : S_ISDIR(st->st_mode) ? FS_DIR : FS_SPECIAL;
    fs_trace_seen(r, rel, st);
    if (real_out)
        buf_adds(real_out, real);
done:
    free(real);
    buf_release(&full);
    return kind;
}

/* rel opened with `flags` by one openat2 that the kernel keeps below the
 * site directory and off any link (RESOLVE_BENEATH, RESOLVE_NO_SYMLINKS),
 * and its stat in st: the fast way to what resolve_source answers. The
 * descriptor, or -1 (a link, something missing, a kernel without
 * openat2), when the careful way must answer. */
/* Whether rel has a component ".git" (a setting may name the folder
 * itself: `assets: .git`, `static: [.git]`). */
static int names_git(const char *rel)
{
    for (const char *c = rel; (c = strstr(c, ".git")) != NULL; c += 4)
        if ((c == rel || c[-1] == '/') && (c[4] == '/' || c[4] == '\0'))
            return 1;
    return 0;
}

static int openat_beneath_how(const fs_root *r, const char *rel, int flags, struct stat *st,
                              int links)
{
    /* The careful way refuses it, with its message (resolve_source). */
    if (names_git(rel)) {
        errno = EACCES;
        return -1;
    }
#ifdef SYS_openat2
    if (!r->has_dirfd) {
        errno = ENOSYS;
        return -1;
    }
    /* No link at all, unless the caller resolved rel already: one, even
     * within the site, may lead into .git/, which resolve_source refuses. */
    struct open_how how = {.flags = (uint64_t)flags | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH |
                                      (links ? RESOLVE_NO_MAGICLINKS : RESOLVE_NO_SYMLINKS)};
    int f = (int)syscall(SYS_openat2, r->dirfd, rel, &how, sizeof how);
    if (f >= 0 && fstat(f, st) != 0) {
        close(f);
        f = -1;
    }
    return f;
#else
    errno = ENOSYS;
    return -1;
#endif
}

static int openat_beneath(const fs_root *r, const char *rel, int flags, struct stat *st)
{
    return openat_beneath_how(r, rel, flags, st, 0);
}

/* fs_source_kind's answer for what is no link, through openat_beneath (an
 * O_PATH descriptor); -1 when resolve_source must answer. */
static int kind_beneath(const fs_root *r, const char *rel, struct stat *st)
{
    int f = openat_beneath(r, rel, O_PATH | O_NOFOLLOW, st);
    if (f < 0 && errno == ENOENT) {
        /* No link on the way (that is ELOOP), so truly missing: answered
         * here, where realpath would walk the whole path again (a folder
         * a thousand deep took 46 s, each folder's marks looked up). */
        fs_trace_seen(r, rel, NULL);
        return FS_MISSING;
    }
    if (f < 0)
        return -1;
    close(f);
    if (S_ISLNK(st->st_mode))
        return -1;
    fs_trace_seen(r, rel, st);
    return S_ISREG(st->st_mode) ? FS_FILE : S_ISDIR(st->st_mode) ? FS_DIR : FS_SPECIAL;
}

int fs_source_kind(const fs_root *r, const char *rel, struct stat *st, diags *d)
{
    struct stat tmp;
    int kind = kind_beneath(r, rel, st ? st : &tmp);
    return kind >= 0 ? kind : resolve_source(r, rel, NULL, st ? st : &tmp, d);
}

/* The fast way to fs_open_source: 0 and an open regular file within max
 * (openat_beneath); -1 for anything else, which the careful path then
 * resolves and reports. */
static int open_beneath(int *fd, size_t *size, const fs_root *r, const char *rel, size_t max)
{
    struct stat st;
    int f = openat_beneath(r, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY, &st);
    if (f < 0)
        return -1;
    if (!S_ISREG(st.st_mode) || (uintmax_t)st.st_size > (uintmax_t)max) {
        close(f);
        return -1;
    }
    fs_trace_seen(r, rel, &st);
    *fd = f;
    *size = (size_t)st.st_size;
    return 0;
}

int fs_open_source(int *fd, size_t *size, const fs_root *r, const char *rel, size_t max,
                   const char *limit, diags *d)
{
    *fd = -1;
    *size = 0;
    if (open_beneath(fd, size, r, rel, max) == 0)
        return 0;
    buf real, what;
    buf_init(&real);
    buf_init(&what);
    int err = -1;
    struct stat st, ost;
    int kind = resolve_source(r, rel, &real, &st, d);
    if (kind < 0)
        goto done;
    if (kind == FS_MISSING || kind == FS_DIR) {
        diag_error(d, NULL, 0, 0, "io", "cannot read '%s': %s", rel,
                   strerror(kind == FS_DIR ? EISDIR : ENOENT));
        goto done;
    }
    if (kind == FS_SPECIAL) {
        fs_describe_kind(&what, &st);
        diag_error(d, rel, 0, 0, "special-file", "'%s' is %s, not a regular file", rel, what.data);
        goto done;
    }
    if ((uintmax_t)st.st_size > (uintmax_t)max) {
        diag_error(d, rel, 0, 0, "too-large", "'%s' is %jd bytes, over the limit of %zu (%s)", rel,
                   (intmax_t)st.st_size, max, limit);
        goto done;
    }
    /* The checks were made on the resolved path; open that very file (no
     * link followed at the last step) and make sure it is what was checked. */
    *fd = open(real.data, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
    if (*fd < 0 || fstat(*fd, &ost) != 0) {
        diag_error(d, NULL, 0, 0, "io", "cannot read '%s': %s", rel, strerror(errno));
        goto done;
    }
    if (ost.st_dev != st.st_dev || ost.st_ino != st.st_ino || !S_ISREG(ost.st_mode)) {
        diag_error(d, NULL, 0, 0, "io", "cannot read '%s': it changed while being opened", rel);
        goto done;
    }
    fs_trace_seen(r, rel, &ost);
    *size = (size_t)ost.st_size;
    err = 0;
done:
    if (err && *fd >= 0) {
        close(*fd);
        *fd = -1;
    }
    buf_release(&real);
    buf_release(&what);
    return err;
}

int fs_read_source(buf *out, const fs_root *r, const char *rel, size_t max, const char *limit,
                   diags *d)
{
    int fd;
    size_t size;
    if (fs_open_source(&fd, &size, r, rel, max, limit, d) != 0)
        return -1;
    int err = 0, rc = read_fd(out, fd, size, max);
    if (rc < 0)
        err = diag_error(d, NULL, 0, 0, "io", "cannot read '%s': %s", rel, strerror(errno));
    else if (rc > 0)
        err = diag_error(d, rel, 0, 0, "too-large",
                         "'%s' grew over the limit of %zu bytes (%s) while being read", rel, max,
                         limit);
    close(fd);
    return err;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int fs_list(char ***out, const char *dir, int missing_ok, diags *d)
{
    *out = NULL;
    DIR *dh = opendir(dir);
    if (!dh) {
        if (missing_ok && errno == ENOENT) {
            *out = xcalloc(1, sizeof(char *));
            return 0;
        }
        return diag_error(d, dir, 0, 0, "io", "cannot read directory '%s': %s", dir,
                          strerror(errno));
    }
    size_t n = 0, cap = 16;
    char **list = xmalloc(cap * sizeof *list);
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n + 1 >= cap) {
            cap *= 2;
            list = xrealloc(list, cap * sizeof *list);
        }
        list[n++] = xstrdup(e->d_name);
    }
    closedir(dh);
    qsort(list, n, sizeof *list, cmp_str);
    list[n] = NULL;
    *out = list;
    return 0;
}

int fs_list_source(char ***out, const fs_root *r, const char *rel, int missing_ok, diags *d)
{
    buf path;
    buf_init(&path);
    fs_root_path(&path, r, rel);
    struct stat before, after;
    int had = stat(path.data, &before) == 0;
    int err = fs_list(out, path.data, missing_ok, d);
    /* The names are those of the directory seen before and after. */
    if (err == 0 && had && stat(path.data, &after) == 0 && after.st_ino == before.st_ino &&
        after.st_dev == before.st_dev)
        fs_trace_listed(r, rel, &after, *out);
    else if (err == 0 && !had)
        fs_trace_seen(r, rel, NULL);
    buf_release(&path);
    return err;
}

/* One name of a listing, with its own stat (not through a link). */
typedef struct listed {
    char *name;
    struct stat st;
    int kind;
} listed;

static int cmp_listed(const void *a, const void *b)
{
    return strcmp(((const listed *)a)->name, ((const listed *)b)->name);
}

int fs_list_source_stat(fs_listing *l, const fs_root *r, const char *rel, diags *d)
{
    memset(l, 0, sizeof *l);
    struct stat dst;
    int fd = openat_beneath(r, rel, O_RDONLY | O_DIRECTORY | O_NONBLOCK, &dst);
    if (fd < 0 && errno == ELOOP) {
        /* A folder reached through a link: resolved and checked first (not
         * out of the site, not into .git), then opened through it. */
        diags *quiet = diag_new(NULL);
        if (fs_source_kind(r, rel, NULL, quiet) == FS_DIR)
            fd = openat_beneath_how(r, rel, O_RDONLY | O_DIRECTORY | O_NONBLOCK, &dst, 1);
        diag_free(quiet);
    }
    DIR *dh = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dh) {
        /* The careful way (a folder reached through an absolute link, a
         * kernel without openat2): the names alone, of a folder that does
         * not lead out of the site. */
        if (fd >= 0)
            close(fd);
        if (fs_source_kind(r, rel, NULL, d) < 0 || fs_list_source(&l->names, r, rel, 0, d) != 0)
            return -1;
        while (l->names[l->n])
            l->n++;
        l->sts = xcalloc(l->n + 1, sizeof *l->sts);
        l->kinds = xmalloc(l->n + 1);
        memset(l->kinds, -1, l->n + 1);
        return 0;
    }
    size_t n = 0, cap = 16;
    listed *v = xmalloc(cap * sizeof *v);
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap *= 2;
            v = xrealloc(v, cap * sizeof *v);
        }
        listed *x = &v[n++];
        x->name = xstrdup(e->d_name);
        /* A single name below a folder held open beneath the site, its link
         * not followed: it cannot lead out. A link is left to the caller. */
        if (fstatat(dirfd(dh), x->name, &x->st, AT_SYMLINK_NOFOLLOW) != 0 ||
            S_ISLNK(x->st.st_mode)) {
            memset(&x->st, 0, sizeof x->st);
            x->kind = -1;
        } else {
            x->kind = S_ISREG(x->st.st_mode)   ? FS_FILE
                      : S_ISDIR(x->st.st_mode) ? FS_DIR
                                               : FS_SPECIAL;
        }
    }
    closedir(dh);
    qsort(v, n, sizeof *v, cmp_listed);
    l->n = n;
    l->names = xmalloc((n + 1) * sizeof *l->names);
    l->sts = xcalloc(n + 1, sizeof *l->sts);
    l->kinds = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        l->names[i] = v[i].name;
        l->sts[i] = v[i].st;
        l->kinds[i] = (signed char)v[i].kind;
    }
    l->names[n] = NULL;
    free(v);
    fs_trace_listed(r, rel, &dst, l->names);
    return 0;
}

void fs_listing_release(fs_listing *l)
{
    if (!l)
        return;
    fs_list_free(l->names);
    free(l->sts);
    free(l->kinds);
    memset(l, 0, sizeof *l);
}

void fs_list_free(char **list)
{
    if (!list)
        return;
    for (char **p = list; *p; p++)
        free(*p);
    free(list);
}

int fs_same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           (a->st_mode & S_IFMT) == (b->st_mode & S_IFMT) && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

int fs_dir_open(const char *path)
{
    return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

int fs_lstat_at(int dirfd, const char *root, const char *rel, struct stat *st)
{
    /* (An absolute rel would leave the folder: by the whole path, it is
     * below root as the caller meant.) */
    if (dirfd >= 0 && rel[0] && rel[0] != '/')
        return fstatat(dirfd, rel, st, AT_SYMLINK_NOFOLLOW);
    buf full;
    buf_init(&full);
    buf_printf(&full, "%s/%s", root, rel);
    int rc = lstat(full.data, st);
    int saved = errno;
    buf_release(&full);
    errno = saved;
    return rc;
}

int fs_is_dir(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    return S_ISDIR(st.st_mode) ? 1 : 0;
}

/* mkdir that accepts an existing directory, and not an existing file. */
static int mkdir_or_dir(const char *path)
{
    struct stat st;
    if (mkdir(path, 0777) == 0)
        return 0;
    if (errno != EEXIST)
        return -1;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    errno = EEXIST;
    return -1;
}

/* mkdir -p that costs one system call when the parent exists: try the
 * directory itself, and only on ENOENT create its parent first. */
static int mkdirs(char *path)
{
    if (mkdir_or_dir(path) == 0)
        return 0;
    if (errno != ENOENT)
        return -1;
    char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return -1;
    *slash = '\0';
    int rc = mkdirs(path);
    *slash = '/';
    if (rc != 0)
        return -1;
    return mkdir_or_dir(path);
}

int fs_mkdirs(const char *path, diags *d)
{
    buf p;
    buf_init(&p);
    buf_adds(&p, path);
    while (p.len > 1 && p.data[p.len - 1] == '/')
        buf_truncate(&p, p.len - 1);
    int err = 0;
    if (mkdirs(p.data) != 0)
        err = diag_error(d, NULL, 0, 0, "io", "cannot create directory '%s': %s", path,
                         strerror(errno));
    buf_release(&p);
    return err;
}

static int ensure_parent(const char *path, diags *d)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return 0;
    buf dir;
    buf_init(&dir);
    buf_add(&dir, path, (size_t)(slash - path));
    int err = fs_mkdirs(dir.data, d);
    buf_release(&dir);
    return err;
}

int fs_write_fd(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int fs_pread_all(int fd, void *to, size_t len, off_t off)
{
    char *p = to;
    for (size_t done = 0; done < len;) {
        ssize_t n = pread(fd, p + done, len - done, off + (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

int fs_copy_range(int from_fd, off_t off, int to_fd, long long len)
{
    loff_t from = (loff_t)off;
    while (len > 0) {
        ssize_t k = copy_file_range(from_fd, &from, to_fd, NULL, (size_t)len, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break; /* not here (EXDEV, EINVAL, ENOSYS...): by hand below */
        len -= k;
    }
    if (len <= 0)
        return 0;
    size_t room = (size_t)1 << 20;
    char *b = xmalloc(room);
    int err = 0;
    while (len > 0 && err == 0) {
        size_t want = len < (long long)room ? (size_t)len : room;
        errno = 0;
        if (fs_pread_all(from_fd, b, want, (off_t)from) != 0) {
            if (!errno)
                errno = EIO; /* the source ends before the range: said as an IO error */
            err = -1;
        } else if (fs_write_fd(to_fd, b, want) != 0) {
            err = -1;
        }
        from += (loff_t)want;
        len -= (long long)want;
    }
    free(b);
    return err;
}

int fs_pwrite_all(int fd, const void *data, size_t len, off_t off)
{
    const char *p = data;
    for (size_t done = 0; done < len;) {
        ssize_t n = pwrite(fd, p + done, len - done, off + (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

int fs_write_new(const char *path, int flags, int (*fill)(void *ctx, buf *chunk), void *ctx,
                 void (*seen)(void *sctx, const char *data, size_t len), void *sctx, diags *d)
{
    return fs_write_new_hooked(path, flags, fill, ctx, seen, NULL, sctx, d);
}

int fs_write_new_hooked(const char *path, int flags, int (*fill)(void *ctx, buf *chunk), void *ctx,
                        void (*seen)(void *sctx, const char *data, size_t len),
                        int (*before)(void *sctx, int fd), void *sctx, diags *d)
{
    flags |= O_WRONLY | O_CREAT | O_CLOEXEC;
    /* Open first: the parent usually exists, and checking it for every file
     * of a 10,000-page site costs more than the rare retry. */
    int fd = open(path, flags, 0666);
    if (fd < 0 && errno == ENOENT) {
        if (ensure_parent(path, d) != 0)
            return -1;
        fd = open(path, flags, 0666);
    }
    if (fd < 0)
        return diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
    int err = 0, more = 1;
    buf chunk;
    buf_init(&chunk);
    if (fill == fs_fill_once) {
        /* Bytes in hand (a page, a cache): written from where they are,
         * not copied into a chunk first (each copy of a few megabytes
         * faults in fresh pages). */
        const fs_chunk *c = ctx;
        if (before && before(sctx, fd) != 0)
            err = diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
        else if (seen)
            seen(sctx, c->data, c->len);
        if (err == 0 && fs_write_fd(fd, c->data, c->len) != 0)
            err = diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
        more = 0;
    }
    while (more > 0 && err == 0) {
        buf_reset(&chunk);
        more = fill(ctx, &chunk);
        if (more < 0) {
            err = -1; /* reported by fill */
            break;
        }
        if (before && before(sctx, fd) != 0) {
            err = diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
            break;
        }
        if (seen)
            seen(sctx, chunk.data, chunk.len);
        if (fs_write_fd(fd, chunk.data, chunk.len) != 0)
            err = diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
    }
    buf_release(&chunk);
    if (close(fd) != 0 && err == 0)
        err = diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
    return err;
}

int fs_write_stream(const char *path, int (*fill)(void *ctx, buf *chunk), void *ctx, diags *d)
{
    return fs_write_new(path, O_TRUNC, fill, ctx, NULL, NULL, d);
}

int fs_fill_once(void *ctx, buf *chunk)
{
    const fs_chunk *c = ctx;
    buf_add(chunk, c->data, c->len);
    return 0;
}

int fs_write(const char *path, const char *data, size_t len, diags *d)
{
    fs_chunk c = {data, len};
    return fs_write_stream(path, fs_fill_once, &c, d);
}

int fs_open_dir_nofollow(int base, const char *rel, size_t len)
{
    buf r;
    buf_init(&r);
    buf_add(&r, rel, len);
    int f = -1;
    if (!len) {
        f = fcntl(base, F_DUPFD_CLOEXEC, 0);
        goto done;
    }
#ifdef SYS_openat2
    struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS};
    f = (int)syscall(SYS_openat2, base, r.data, &how, sizeof how);
    if (f >= 0 || (errno != ENOSYS && errno != EPERM))
        goto done;
#endif
    /* A kernel without openat2 (or a seccomp filter refusing it, as older
     * container runtimes' do): one component at a time, none a link. */
    f = fcntl(base, F_DUPFD_CLOEXEC, 0);
    for (char *c = r.data, *slash; f >= 0 && *c; c = slash ? slash + 1 : c + strlen(c)) {
        slash = strchr(c, '/');
        if (slash)
            *slash = '\0';
        int next =
            !strcmp(c, "..") ? -1 : openat(f, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(f);
        f = next;
    }
done:
    buf_release(&r);
    return f;
}

int fs_remove_tree(const char *path, diags *d)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0
                               : diag_error(d, NULL, 0, 0, "io", "cannot remove '%s': %s", path,
                                            strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        char **list;
        if (fs_list(&list, path, 1, d) != 0)
            return -1;
        buf child;
        buf_init(&child);
        int err = 0;
        for (char **p = list; *p && err == 0; p++) {
            buf_reset(&child);
            buf_printf(&child, "%s/%s", path, *p);
            err = fs_remove_tree(child.data, d);
        }
        buf_release(&child);
        fs_list_free(list);
        if (err)
            return -1;
        if (rmdir(path) != 0)
            return diag_error(d, NULL, 0, 0, "io", "cannot remove '%s': %s", path, strerror(errno));
        return 0;
    }
    if (unlink(path) != 0)
        return diag_error(d, NULL, 0, 0, "io", "cannot remove '%s': %s", path, strerror(errno));
    return 0;
}

int fs_write_cache(const char *path, const char *data, size_t len, const char *id, diags *d)
{
    fs_chunk c = {data, len};
    return fs_write_cache_stream(path, fs_fill_once, &c, id, d);
}

int fs_write_cache_stream(const char *path, int (*fill)(void *ctx, buf *chunk), void *ctx,
                          const char *id, diags *d)
{
    buf dir, tmp;
    buf_init(&dir);
    buf_init(&tmp);
    int err = -1;
    diags *quiet = diag_new(NULL);
    const char *slash = strrchr(path, '/');
    if (slash)
        buf_add(&dir, path, (size_t)(slash - path));
    buf_printf(&tmp, "%s.tmp", path);
    struct stat st;
    size_t n;
    if (dir.len && mkdir(dir.data, 0777) != 0 && errno != EEXIST)
        diag_warning(d, NULL, 0, 0, id, "cannot write '%s': %s", dir.data, strerror(errno));
    else if (dir.len && (lstat(dir.data, &st) != 0 || !S_ISDIR(st.st_mode)))
        diag_warning(d, NULL, 0, 0, id, "cannot write '%s': it is not a directory", dir.data);
    else if (fs_write_new(tmp.data, O_TRUNC | O_NOFOLLOW, fill, ctx, NULL, NULL, quiet) != 0)
        diag_warning(d, NULL, 0, 0, id, "%s", diag_entries(quiet, &n)[0].message);
    else if (rename(tmp.data, path) != 0)
        diag_warning(d, NULL, 0, 0, id, "cannot write '%s': %s", path, strerror(errno));
    else
        err = 0;
    diag_free(quiet);
    buf_release(&dir);
    buf_release(&tmp);
    return err;
}
