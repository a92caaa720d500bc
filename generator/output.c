/* output: staged, atomic publication of the built site (see output.h). The
 * swap uses renameat2(RENAME_EXCHANGE) where the kernel has it, so readers
 * of the old site never see a missing directory; otherwise two renames. */
#include "output.h"
#include "buf.h"
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* True if `inner` is `outer` or lies below it (both resolved). */
static int is_within(const char *inner, const char *outer)
{
    size_t n = strlen(outer);
    if (strcmp(outer, "/") == 0)
        return 1;
    return strncmp(inner, outer, n) == 0 && (inner[n] == '\0' || inner[n] == '/');
}

int output_begin(output *o, const char *target, const char *const *sources, diags *d)
{
    memset(o, 0, sizeof *o);
    int err = -1;
    buf t, s, tmp;
    buf_init(&t);
    buf_init(&s);
    buf_init(&tmp);
    if (!*target) {
        diag_error(d, NULL, 0, 0, "output", "the output directory must not be empty");
        goto done;
    }
    if (resolve(&t, target) != 0) {
        diag_error(d, NULL, 0, 0, "output", "cannot resolve output directory '%s': %s", target,
                   strerror(errno));
        goto done;
    }
    for (const char *const *src = sources; *src; src++) {
        buf_reset(&s);
        if (resolve(&s, *src) != 0 || fs_is_dir(s.data) != 1)
            continue;
        if (is_within(s.data, t.data)) {
            diag_error(d, NULL, 0, 0, "output",
                       "refusing to write the site to '%s': it %s the source directory '%s'",
                       target, strcmp(s.data, t.data) == 0 ? "is" : "contains", *src);
            goto done;
        }
        /* The first source is the site root: output under it is normal
         * (_site/); under any other source (content/) it would be read back. */
        if (src != sources && is_within(t.data, s.data)) {
            diag_error(d, NULL, 0, 0, "output",
                       "refusing to write the site to '%s': it is inside the source directory "
                       "'%s'",
                       target, *src);
            goto done;
        }
    }
    int isdir = fs_is_dir(t.data);
    if (isdir == 0) {
        diag_error(d, NULL, 0, 0, "output", "output path '%s' exists and is not a directory",
                   target);
        goto done;
    }
    if (isdir == 1) {
        char **list = NULL;
        if (fs_list(&list, t.data, 0, d) != 0)
            goto done;
        int empty = list[0] == NULL;
        fs_list_free(list);
        buf_printf(&tmp, "%s/%s", t.data, OUTPUT_MARKER);
        struct stat st;
        if (!empty && stat(tmp.data, &st) != 0) {
            diag_error(d, NULL, 0, 0, "output",
                       "refusing to replace '%s': it is not empty and was not built by charter "
                       "(no '%s'); remove it or choose another output directory",
                       target, OUTPUT_MARKER);
            goto done;
        }
        buf_reset(&tmp);
    }
    buf_printf(&tmp, "%s.tmp-XXXXXX", t.data);
    /* The staging dir's parent must exist for mkdtemp. */
    char *slash = strrchr(tmp.data, '/');
    if (slash && slash != tmp.data) {
        *slash = '\0';
        int rc = fs_mkdirs(tmp.data, d);
        *slash = '/';
        if (rc != 0)
            goto done;
    }
    if (!mkdtemp(tmp.data)) {
        diag_error(d, NULL, 0, 0, "output", "cannot create staging directory '%s': %s", tmp.data,
                   strerror(errno));
        goto done;
    }
    mode_t mask = umask(0);
    umask(mask);
    chmod(tmp.data, 0777 & ~mask);
    o->target = buf_detach(&t);
    o->staging = buf_detach(&tmp);
    err = 0;
done:
    buf_release(&t);
    buf_release(&s);
    buf_release(&tmp);
    return err;
}

/* Output paths come from the model, which refuses `..`; this re-check keeps
 * the promise that nothing is written outside the output directory even if
 * a later stage has a bug. */
static int safe_rel(const char *rel)
{
    if (rel[0] == '/' || !rel[0])
        return 0;
    for (const char *p = rel; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0)
            return 0;
        p += n + (e != NULL);
    }
    return 1;
}

/* The staging path of rel, refusing paths that would leave the output. */
static int staged(buf *out, const output *o, const char *rel, diags *d)
{
    if (!safe_rel(rel))
        return diag_error(d, NULL, 0, 0, "output", "refusing to write outside the output: '%s'",
                          rel);
    buf_printf(out, "%s/%s", o->staging, rel);
    return 0;
}

int output_write(const output *o, const char *rel, const char *data, size_t len, diags *d)
{
    buf p;
    buf_init(&p);
    int err = staged(&p, o, rel, d);
    if (err == 0)
        err = fs_write(p.data, data, len, d);
    buf_release(&p);
    return err;
}

int output_stream(const output *o, const char *rel, int (*fill)(void *ctx, buf *chunk), void *ctx,
                  diags *d)
{
    buf p;
    buf_init(&p);
    int err = staged(&p, o, rel, d);
    if (err == 0)
        err = fs_write_stream(p.data, fill, ctx, d);
    buf_release(&p);
    return err;
}

int output_copy(const output *o, const char *rel, const char *src, diags *d)
{
    buf data;
    buf_init(&data);
    int err = fs_read(&data, src, NULL, d);
    if (err == 0)
        err = output_write(o, rel, data.data, data.len, d);
    buf_release(&data);
    return err;
}

int output_commit(output *o, diags *d)
{
    if (fs_is_dir(o->target) != 1) {
        if (rename(o->staging, o->target) != 0)
            return diag_error(d, NULL, 0, 0, "output", "cannot rename '%s' to '%s': %s", o->staging,
                              o->target, strerror(errno));
        free(o->staging);
        o->staging = NULL;
        return 0;
    }
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->target, RENAME_EXCHANGE) == 0)
        return 0; /* the staging path now holds the old site; release removes it */
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
    err = 0;
done:
    buf_release(&old);
    return err;
}

void output_release(output *o, diags *d)
{
    if (!o)
        return;
    if (o->staging)
        fs_remove_tree(o->staging, d);
    free(o->staging);
    free(o->target);
    memset(o, 0, sizeof *o);
}
