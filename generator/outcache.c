/* outcache: the stat and digest of every file a build published, so the
 * next build verifies its previous output without reading it all again
 * (see outcache.h). One line per file: digest, key, size, mtime, ctime,
 * inode, device, then the path up to the end of the line; one per folder
 * below the top one: "D", mtime, ctime, inode, device, path. */
#include "outcache.h"

#include "digest.h"
#include "fs.h"
#include "map.h"
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define OUTCACHE_MAGIC "charter-output-cache 3"

/* What a file's or a folder's stat said. */
typedef struct seen {
    long long mtime_s, mtime_ns, ctime_s, ctime_ns;
    unsigned long long ino, dev;
} seen;

typedef struct known {
    char hex[65];
    char key[65]; /* "-" when unknown */
    long long size;
    seen st;
} known;

struct outcache {
    map *by_rel; /* rel -> known: the files */
    map *dirs;   /* rel -> seen: the folders */
    known *v;
    seen *dv;
    size_t n, n_dirs;
    long long written_ns; /* the cache file's mtime */
};

/* As git does with its index, a file whose change time is within the racy
 * window (fs_racy_ns, fs.h) of the cache's own is "racy" and hashed again;
 * one racy when the cache was written is recorded so (outcache_write). */

/* What hashing a file or listing a folder again costs besides its bytes,
 * in bytes: about an open, a read and a close. */
#define RACY_ENTRY_BYTES 4096LL

/* Waited beyond the window: the cache's own time, which its reader goes
 * by, is the kernel's coarse clock, seen 6 ms behind the one waited on
 * (a 4 ms tick), while a file's change time can be a fine one. */
#define RACY_MARGIN_NS 10000000LL

void outcache_free(outcache *c)
{
    if (!c)
        return;
    map_free(c->by_rel);
    map_free(c->dirs);
    free(c->v);
    free(c->dv);
    free(c);
}

/* A line's fields, read in place (sscanf took a fifth of a build's check
 * that nothing changed at 2,500 pages). */
typedef struct fields {
    char *p;
    const char *end; /* the line's end, its NUL */
    int bad;
} fields;

/* A decimal number (a '-' allowed first) ended by `end`, which is skipped. */
static long long field_num(fields *f, char end)
{
    char *p = f->p;
    int neg = *p == '-';
    p += neg;
    unsigned long long v = 0;
    size_t digits = 0;
    for (; *p >= '0' && *p <= '9' && digits < 20; p++, digits++)
        v = v * 10 + (unsigned long long)(*p - '0');
    if (!digits || digits > 19 || *p != end || (neg && v > (unsigned long long)LLONG_MAX)) {
        f->bad = 1;
        return 0;
    }
    f->p = p + 1;
    return neg ? -(long long)v : (long long)v;
}

/* 64 lowercase hex digits, or (dash_ok) "-", then a space. */
static void field_hex(fields *f, char out[65], int dash_ok)
{
    size_t n = digest_hex_span(f->p, (size_t)(f->end - f->p));
    if (n == 0 && dash_ok && f->p[0] == '-')
        n = 1;
    if ((n != 64 && !(n == 1 && f->p[0] == '-')) || f->p[n] != ' ') {
        f->bad = 1;
        return;
    }
    memcpy(out, f->p, n);
    out[n] = '\0';
    f->p += n + 1;
}

outcache *outcache_read(const char *path, const char *target)
{
    buf text;
    buf_init(&text);
    outcache *c = NULL;
    diags *quiet = diag_new(NULL);
    if (!path || fs_read_nofollow(&text, path, path, quiet) != 0)
        goto fail;
    char *line = text.data, *end = text.data + text.len;
    /* The header: magic, then the output directory it describes. */
    char *nl = memchr(line, '\n', (size_t)(end - line));
    size_t ml = strlen(OUTCACHE_MAGIC);
    if (!nl || (size_t)(nl - line) <= ml || memcmp(line, OUTCACHE_MAGIC, ml) != 0 ||
        line[ml] != '\t' ||
        (target && ((size_t)(nl - line) != ml + 1 + strlen(target) ||
                    memcmp(line + ml + 1, target, strlen(target)) != 0)))
        goto fail;
    struct stat cst;
    if (lstat(path, &cst) != 0)
        goto fail;
    c = xcalloc(1, sizeof *c);
    c->by_rel = map_new();
    c->dirs = map_new();
    c->written_ns = (long long)cst.st_mtim.tv_sec * 1000000000LL + cst.st_mtim.tv_nsec;
    size_t lines = 0, dirs = 0;
    for (char *p = nl + 1; p < end; p++)
        if (*p == '\n') {
            lines++;
            dirs += p + 1 < end && p[1] == 'D';
        }
    dirs += nl + 1 < end && nl[1] == 'D';
    size_t files = lines > dirs ? lines - dirs : 0; /* a last line unended is refused below */
    c->v = xcalloc(files + 1, sizeof *c->v);
    c->dv = xcalloc(dirs + 1, sizeof *c->dv);
    for (line = nl + 1; line < end; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(end - line));
        if (!nl)
            goto fail;
        *nl = '\0';
        fields f = {line, nl, 0};
        int dir = line[0] == 'D';
        if (dir ? c->n_dirs == dirs : c->n == files)
            goto fail; /* cannot be: counted above */
        known *k = dir ? NULL : &c->v[c->n];
        seen *st = dir ? &c->dv[c->n_dirs] : &k->st;
        if (dir) {
            f.p += 2;
            f.bad = line[1] != ' ';
        } else {
            field_hex(&f, k->hex, 0);
            field_hex(&f, k->key, 1);
            k->size = field_num(&f, ' ');
        }
        st->mtime_s = field_num(&f, '.');
        st->mtime_ns = field_num(&f, ' ');
        st->ctime_s = field_num(&f, '.');
        st->ctime_ns = field_num(&f, ' ');
        st->ino = (unsigned long long)field_num(&f, ' ');
        st->dev = (unsigned long long)field_num(&f, ' ');
        if (f.bad || !*f.p)
            goto fail;
        if (dir) {
            map_put(c->dirs, f.p, st);
            c->n_dirs++;
        } else {
            map_put(c->by_rel, f.p, k);
            c->n++;
        }
    }
    goto done;
fail:
    outcache_free(c);
    c = NULL;
done:
    diag_free(quiet);
    buf_release(&text);
    return c;
}

char *outcache_target(const char *path)
{
    /* The header: the magic, a tab, a path of up to PATH_MAX bytes. */
    size_t ml = strlen(OUTCACHE_MAGIC);
    buf head;
    buf_init(&head);
    char *target = NULL, *nl;
    if (fs_read_head(&head, path, ml + 1 + PATH_MAX + 1) == 0 &&
        (nl = memchr(head.data, '\n', head.len)) && (size_t)(nl - head.data) > ml + 1 &&
        !memcmp(head.data, OUTCACHE_MAGIC, ml) && head.data[ml] == '\t' &&
        !memchr(head.data + ml + 1, '\0', (size_t)(nl - head.data) - ml - 1))
        target = xstrndup(head.data + ml + 1, (size_t)(nl - head.data) - ml - 1);
    buf_release(&head);
    return target;
}

/* 1 when k is not racy: changed long enough before c was written that a
 * later change has a later time. (A smudged entry, change time 0, is
 * settled but matches no file.) */
static int settled(const outcache *c, const seen *k)
{
    long long changed = k->ctime_s * 1000000000LL + k->ctime_ns;
    return changed < c->written_ns - fs_racy_ns(changed);
}

/* 1 when k (settled) has st's times, inode and device. */
static int same_stat(const outcache *c, const seen *k, const struct stat *st)
{
    if (!settled(c, k))
        return 0;
    return k->mtime_s == (long long)st->st_mtim.tv_sec &&
           k->mtime_ns == (long long)st->st_mtim.tv_nsec &&
           k->ctime_s == (long long)st->st_ctim.tv_sec &&
           k->ctime_ns == (long long)st->st_ctim.tv_nsec &&
           k->ino == (unsigned long long)st->st_ino && k->dev == (unsigned long long)st->st_dev;
}

int outcache_fresh(const outcache *c, const char *rel, const struct stat *st, const char *hex)
{
    const known *k = c ? map_get(c->by_rel, rel) : NULL;
    return k && S_ISREG(st->st_mode) && !strcmp(k->hex, hex) && k->size == (long long)st->st_size &&
           same_stat(c, &k->st, st);
}

int outcache_same_dir(const outcache *c, const char *rel, const struct stat *st)
{
    const seen *k = c ? map_get(c->dirs, rel) : NULL;
    return k && S_ISDIR(st->st_mode) && same_stat(c, k, st);
}

int outcache_inode(const outcache *c, const char *rel, unsigned long long *ino,
                   unsigned long long *dev)
{
    const known *k = c ? map_get(c->by_rel, rel) : NULL;
    if (!k)
        return 0;
    *ino = k->st.ino;
    *dev = k->st.dev;
    return 1;
}

int outcache_vouches(const outcache *c, const char *rel, const char *hex, unsigned long long *ino,
                     unsigned long long *dev)
{
    const known *k = c ? map_get(c->by_rel, rel) : NULL;
    if (!k || strcmp(k->hex, hex) != 0 || k->st.ino == 0)
        return 0;
    *ino = k->st.ino;
    *dev = k->st.dev;
    return 1;
}

const char *outcache_key(const outcache *c, const char *rel, const char **hex, long long *size)
{
    const known *k = c ? map_get(c->by_rel, rel) : NULL;
    if (!k || !strcmp(k->key, "-"))
        return NULL;
    *hex = k->hex;
    *size = k->size;
    return k->key;
}

/* outcache_write's stats, taken on all cores: rels[i]'s lstat in st[i],
 * ok[i] when it was taken. */
typedef struct stat_job {
    const char *target;
    const char **rels;
    size_t n_files; /* rels[0..n_files) are files, the rest folders */
    const outcache_carry *carry;
    struct stat *st;
    int *ok;
    int dirfd; /* target (fs_dir_open), or -1 */
} stat_job;

static void stat_one(void *ctx, size_t i)
{
    stat_job *j = ctx;
    if (j->carry && j->carry->stat(j->carry->ctx, j->rels[i], i >= j->n_files, &j->st[i])) {
        j->ok[i] = 1;
        return;
    }
    j->ok[i] = fs_lstat_at(j->dirfd, j->target, j->rels[i], &j->st[i]) == 0;
}

int outcache_recorded(const outcache *c, const char *rel, int folder, struct stat *st)
{
    const seen *k = NULL;
    long long size = 0;
    if (c && folder) {
        k = map_get(c->dirs, rel);
    } else if (c) {
        const known *f = map_get(c->by_rel, rel);
        k = f ? &f->st : NULL;
        size = f ? f->size : 0;
    }
    if (!k || !settled(c, k) || (k->ctime_s == 0 && k->ctime_ns == 0))
        return 0;
    memset(st, 0, sizeof *st);
    st->st_mode = folder ? S_IFDIR : S_IFREG;
    st->st_size = (off_t)size;
    st->st_mtim.tv_sec = (time_t)k->mtime_s;
    st->st_mtim.tv_nsec = (long)k->mtime_ns;
    st->st_ctim.tv_sec = (time_t)k->ctime_s;
    st->st_ctim.tv_nsec = (long)k->ctime_ns;
    st->st_ino = (ino_t)k->ino;
    st->st_dev = (dev_t)k->dev;
    return 1;
}

/* The change time of st, in nanoseconds since the epoch. */
static long long changed_of(const struct stat *st)
{
    return (long long)st->st_ctim.tv_sec * 1000000000LL + (long long)st->st_ctim.tv_nsec;
}

/* Whether st, taken at since, changed within its racy window before. */
static int racy_at(const struct stat *st, long long since)
{
    long long changed = changed_of(st);
    return changed >= since - fs_racy_ns(changed);
}

int outcache_write(const char *path, const char *target, const manifest_entry *v, size_t n,
                   long long racy_bytes, long long changed_ns, const outcache_carry *carry,
                   diags *d)
{
    buf out;
    buf_init(&out);
    /* The files, then the folders their paths imply (manifest_folders). A
     * path with a newline cannot be a line: hashed again next time. */
    const char **lines = xcalloc(n + 1, sizeof *lines);
    size_t n_lines = 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(v[i].rel, '\n'))
            lines[n_lines++] = v[i].rel;
    char **folders;
    size_t n_folders = manifest_folders(&folders, lines, n_lines);
    free(lines);
    size_t m = n + n_folders;
    const char **rels = xcalloc(m + 1, sizeof *rels);
    for (size_t i = 0; i < n; i++)
        rels[i] = v[i].rel;
    for (size_t i = 0; i < n_folders; i++)
        rels[n + i] = folders[i];
    free(folders);
    long long since = fs_trace_now();
    stat_job j = {target,
                  rels,
                  n,
                  carry,
                  xcalloc(m ? m : 1, sizeof *j.st),
                  xcalloc(m ? m : 1, sizeof *j.ok),
                  fs_dir_open(target)};
    pool_run(m, stat_one, &j);
    /* A build has just written or linked some files (or, removing the
     * previous site, changed their times): where hashing again those
     * changed within the window would cost more than racy_bytes, the window
     * is waited out, from their last change but no longer than from
     * changed_ns, and they are stat-ed again, so that the next build can
     * trust their stat. A whole-second file system's window is not waited
     * out. */
    long long cost = 0, latest = 0;
    for (size_t i = 0; i < m; i++) {
        long long changed = changed_of(&j.st[i]);
        if (!j.ok[i] || !racy_at(&j.st[i], since) || fs_racy_ns(changed) != FS_RACY_NS)
            continue;
        long long add =
            i < n && v[i].size < 0 ? LLONG_MAX : RACY_ENTRY_BYTES + (i < n ? v[i].size : 0);
        cost = cost > LLONG_MAX - add ? LLONG_MAX : cost + add;
        if (changed > latest)
            latest = changed;
    }
    long long *at = xcalloc(m ? m : 1, sizeof *at); /* when each stat was taken */
    for (size_t i = 0; i < m; i++)
        at[i] = since;
    if (cost > racy_bytes) {
        long long until = (changed_ns ? changed_ns : since) + FS_RACY_NS + RACY_MARGIN_NS;
        if (latest + FS_RACY_NS + RACY_MARGIN_NS < until)
            until = latest + FS_RACY_NS + RACY_MARGIN_NS;
        for (long long left; (left = until - fs_trace_now()) > 0;) {
            struct timespec pause = {(time_t)(left / 1000000000LL), (long)(left % 1000000000LL)};
            nanosleep(&pause, NULL);
        }
        long long again = fs_trace_now();
        for (size_t i = 0; i < m; i++) {
            if (!j.ok[i] || !racy_at(&j.st[i], since))
                continue;
            j.ok[i] = fs_lstat_at(j.dirfd, target, rels[i], &j.st[i]) == 0;
            at[i] = again;
        }
    }
    buf_printf(&out, "%s\t%s\n", OUTCACHE_MAGIC, target);
    for (size_t i = 0; i < m; i++) {
        const struct stat *st = &j.st[i];
        if (!j.ok[i] || strchr(rels[i], '\n'))
            continue;
        if (i < n && S_ISREG(st->st_mode)) {
            buf_adds(&out, v[i].hex);
            buf_addc(&out, ' ');
            buf_adds(&out, v[i].key[0] ? v[i].key : "-");
            buf_addc(&out, ' ');
            buf_add_ll(&out, (long long)st->st_size);
            buf_addc(&out, ' ');
        } else if (i >= n && S_ISDIR(st->st_mode))
            buf_adds(&out, "D ");
        else
            continue;
        /* Changed within the racy window before its stat, its next change
         * could keep these times: recorded with a change time no file has,
         * so that it is hashed (a folder, listed) again, as git smudges its
         * index's racy entries. The reader's own rule (same_stat) would not
         * do when the stats took longer than the window. */
        long long ctime_s = (long long)st->st_ctim.tv_sec,
                  ctime_ns = (long long)st->st_ctim.tv_nsec;
        if (racy_at(st, at[i]))
            ctime_s = ctime_ns = 0;
        /* "%lld.%lld %lld.%lld %llu %llu %s\n", without printf's cost. */
        buf_add_ll(&out, (long long)st->st_mtim.tv_sec);
        buf_addc(&out, '.');
        buf_add_ll(&out, (long long)st->st_mtim.tv_nsec);
        buf_addc(&out, ' ');
        buf_add_ll(&out, ctime_s);
        buf_addc(&out, '.');
        buf_add_ll(&out, ctime_ns);
        buf_addc(&out, ' ');
        buf_add_ull(&out, (unsigned long long)st->st_ino);
        buf_addc(&out, ' ');
        buf_add_ull(&out, (unsigned long long)st->st_dev);
        buf_addc(&out, ' ');
        buf_adds(&out, rels[i]);
        buf_addc(&out, '\n');
    }
    int err = fs_write_cache(path, out.data, out.len, "output", d);
    for (size_t i = n; i < m; i++)
        free((char *)rels[i]);
    free(rels);
    free(j.st);
    free(j.ok);
    if (j.dirfd >= 0)
        close(j.dirfd);
    free(at);
    buf_release(&out);
    return err;
}
