/* fs: POSIX file primitives with diagnostics (see fs.h). Writes go through
 * fs_write only, so output.c can guarantee nothing lands outside the staging
 * directory. */
#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_read(buf *out, const char *path, const char *shown, diags *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return diag_error(d, NULL, 0, 0, "io", "cannot read '%s': %s", shown ? shown : path,
                          strerror(errno));
    int err = -1;
    struct stat st;
    if (fstat(fd, &st) != 0)
        goto fail;
    if (S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        goto fail;
    }
    /* One allocation of the file's size, plus room to notice growth. */
    buf_grow(out, st.st_size > 0 ? (size_t)st.st_size + 1 : 4096);
    for (;;) {
        if (out->len + 1 >= out->cap)
            buf_grow(out, out->cap);
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
    }
    err = 0;
    goto done;
fail:
    diag_error(d, NULL, 0, 0, "io", "cannot read '%s': %s", shown ? shown : path, strerror(errno));
done:
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

void fs_list_free(char **list)
{
    if (!list)
        return;
    for (char **p = list; *p; p++)
        free(*p);
    free(list);
}

int fs_is_dir(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    return S_ISDIR(st.st_mode) ? 1 : 0;
}

/* mkdir -p that costs one system call when the parent exists: try the
 * directory itself, and only on ENOENT create its parent first. */
static int mkdirs(char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
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
    return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : -1;
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

int fs_write_stream(const char *path, int (*fill)(void *ctx, buf *chunk), void *ctx, diags *d)
{
    /* Open first: the parent usually exists, and checking it for every file
     * of a 10,000-page site costs more than the rare retry. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0 && errno == ENOENT) {
        if (ensure_parent(path, d) != 0)
            return -1;
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    }
    if (fd < 0)
        return diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
    int err = 0, more = 1;
    buf chunk;
    buf_init(&chunk);
    while (more > 0 && err == 0) {
        buf_reset(&chunk);
        more = fill(ctx, &chunk);
        if (more < 0) {
            err = -1; /* reported by fill */
            break;
        }
        const char *data = chunk.data;
        size_t len = chunk.len;
        while (len > 0) {
            ssize_t n = write(fd, data, len);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                err =
                    diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
                break;
            }
            data += n;
            len -= (size_t)n;
        }
    }
    buf_release(&chunk);
    if (close(fd) != 0 && err == 0)
        err = diag_error(d, NULL, 0, 0, "io", "cannot write '%s': %s", path, strerror(errno));
    return err;
}

typedef struct one_chunk {
    const char *data;
    size_t len;
} one_chunk;

static int fill_once(void *ctx, buf *chunk)
{
    const one_chunk *c = ctx;
    buf_add(chunk, c->data, c->len);
    return 0;
}

int fs_write(const char *path, const char *data, size_t len, diags *d)
{
    one_chunk c = {data, len};
    return fs_write_stream(path, fill_once, &c, d);
}

int fs_copy(const char *src, const char *dst, diags *d)
{
    buf data;
    buf_init(&data);
    int err = fs_read(&data, src, NULL, d);
    if (err == 0)
        err = fs_write(dst, data.data, data.len, d);
    buf_release(&data);
    return err;
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
