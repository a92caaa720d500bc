/* fs_trace: what a build looked at among the site's sources. While a trace
 * is on, fs.c records each source it resolves, opens or lists: a file's
 * stat, a directory's identity (and its names, when listed), or that
 * nothing was there. The build stamp (stamp.h) keeps the trace of a good
 * build; the next build has nothing to do while every record still holds. */
#include "fs.h"

#include "digest.h"
#include "map.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A record. 'f' a file (full stat), 'd' a directory seen, 'l' a directory
 * listed (with the digest of its names), 'm' nothing there. */
typedef struct record {
    char kind;
    uintmax_t dev, ino, size;
    long long mtime, ctime; /* nanoseconds since the epoch */
    char names[DIGEST_HEX];
} record;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static map *records; /* absolute path -> record; NULL when no trace is on */
static int unstable; /* a path seen two different ways during the trace */

static long long ns_of(struct timespec t)
{
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

void fs_trace_start(void)
{
    pthread_mutex_lock(&lock);
    records = map_new();
    unstable = 0;
    pthread_mutex_unlock(&lock);
}

static void fill_stat(record *r, const struct stat *st)
{
    r->dev = (uintmax_t)st->st_dev;
    r->ino = (uintmax_t)st->st_ino;
    r->size = (uintmax_t)st->st_size;
    r->mtime = ns_of(st->st_mtim);
    r->ctime = ns_of(st->st_ctim);
}

/* The digest of a sorted list of names. */
static void names_digest(char hex[DIGEST_HEX], char *const *names)
{
    digest *h = digest_new();
    for (char *const *p = names; p && *p; p++)
        digest_add(h, *p, strlen(*p) + 1);
    digest_hex(h, hex);
    digest_free(h);
}

static int same(const record *a, const record *b)
{
    return a->kind == b->kind && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime == b->mtime && a->ctime == b->ctime && !strcmp(a->names, b->names);
}

/* Records r at rel below root, keeping the stronger of two records of one
 * directory; two other records of a path that differ make the trace
 * unstable (it changed while the build looked). */
static void put(const fs_root *root, const char *rel, const record *r)
{
    if (!records)
        return;
    buf path;
    buf_init(&path);
    if (!rel[0] || !strcmp(rel, "."))
        buf_adds(&path, root->real);
    else
        buf_printf(&path, "%s/%s", root->real, rel);
    pthread_mutex_lock(&lock);
    if (records) {
        void **slot = map_ref(records, path.data);
        record *old = *slot;
        if (!old) {
            old = xmalloc(sizeof *old);
            *old = *r;
            *slot = old;
        } else if (old->kind == 'd' && r->kind == 'l') {
            *old = *r;
        } else if (old->kind == 'l' && r->kind == 'd') {
            unstable |= old->dev != r->dev || old->ino != r->ino;
        } else {
            unstable |= !same(old, r);
        }
    }
    pthread_mutex_unlock(&lock);
    buf_release(&path);
}

void fs_trace_seen(const fs_root *root, const char *rel, const struct stat *st)
{
    if (!records)
        return;
    record r;
    memset(&r, 0, sizeof r);
    if (!st) {
        r.kind = 'm';
    } else if (S_ISDIR(st->st_mode)) {
        r.kind = 'd';
        r.dev = (uintmax_t)st->st_dev;
        r.ino = (uintmax_t)st->st_ino;
    } else {
        r.kind = 'f';
        fill_stat(&r, st);
    }
    put(root, rel, &r);
}

void fs_trace_listed(const fs_root *root, const char *rel, const struct stat *st,
                     char *const *names)
{
    if (!records)
        return;
    record r;
    memset(&r, 0, sizeof r);
    r.kind = 'l';
    r.dev = (uintmax_t)st->st_dev;
    r.ino = (uintmax_t)st->st_ino;
    names_digest(r.names, names);
    put(root, rel, &r);
}

typedef struct dump_ctx {
    char **keys;
    size_t n;
} dump_ctx;

static void collect(void *ctx, const char *key, void *value)
{
    (void)value;
    dump_ctx *c = ctx;
    c->keys[c->n++] = (char *)key;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_record(void *ctx, const char *key, void *value)
{
    (void)ctx;
    (void)key;
    free(value);
}

int fs_trace_stop(buf *out)
{
    pthread_mutex_lock(&lock);
    map *m = records;
    int err = unstable || !m ? -1 : 0;
    records = NULL;
    pthread_mutex_unlock(&lock);
    if (!m)
        return -1;
    dump_ctx c = {xcalloc(map_count(m) + 1, sizeof(char *)), 0};
    map_each(m, collect, &c);
    qsort(c.keys, c.n, sizeof *c.keys, cmp_str);
    for (size_t i = 0; i < c.n && !err; i++) {
        const record *r = map_get(m, c.keys[i]);
        if (r->kind == 'f') {
            /* "f %ju %ju %ju %lld %lld ", without printf's cost. */
            buf_add(out, "f ", 2);
            buf_add_ull(out, (unsigned long long)r->dev);
            buf_addc(out, ' ');
            buf_add_ull(out, (unsigned long long)r->ino);
            buf_addc(out, ' ');
            buf_add_ull(out, (unsigned long long)r->size);
            buf_addc(out, ' ');
            buf_add_ll(out, (long long)r->mtime);
            buf_addc(out, ' ');
            buf_add_ll(out, (long long)r->ctime);
            buf_addc(out, ' ');
        } else if (r->kind == 'd')
            buf_printf(out, "d %ju %ju ", r->dev, r->ino);
        else if (r->kind == 'l')
            buf_printf(out, "l %ju %ju %s ", r->dev, r->ino, r->names);
        else
            buf_adds(out, "m ");
        buf_add_escaped(out, c.keys[i]);
        buf_addc(out, '\n');
    }
    free(c.keys);
    map_each(m, free_record, NULL);
    map_free(m);
    return err;
}

/* Whether one record still holds: the path is what it was, and a file's
 * times are older than `since` by more than the racy window (fs_racy_ns: a
 * file changed in the same clock tick, or second, as it was read would
 * otherwise look unchanged, as git's racy index entries). */
static int record_holds(const record *r, const char *path, long long since)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return r->kind == 'm' && (errno == ENOENT || errno == ENOTDIR);
    if (r->kind == 'm' || (uintmax_t)st.st_dev != r->dev || (uintmax_t)st.st_ino != r->ino)
        return 0;
    if (r->kind == 'f') {
        record now;
        fill_stat(&now, &st);
        long long racy = fs_racy_ns(r->ctime);
        return !S_ISDIR(st.st_mode) && now.size == r->size && now.mtime == r->mtime &&
               now.ctime == r->ctime && r->mtime < since - racy && r->ctime < since - racy;
    }
    if (!S_ISDIR(st.st_mode))
        return 0;
    if (r->kind == 'd')
        return 1;
    char **names = NULL;
    diags *quiet = diag_new(NULL);
    int ok = 0;
    if (fs_list(&names, path, 0, quiet) == 0) {
        char hex[DIGEST_HEX];
        names_digest(hex, names);
        ok = !strcmp(hex, r->names);
    }
    fs_list_free(names);
    diag_free(quiet);
    return ok;
}

/* Parses " <digits>" at *q (moving past it); 1, or 0 when there is none. */
static int number(const char **q, uintmax_t *v)
{
    const char *s = *q;
    if (*s != ' ' || s[1] < '0' || s[1] > '9')
        return 0;
    char *end;
    *v = strtoumax(s + 1, &end, 10);
    *q = end;
    return 1;
}

static int snumber(const char **q, long long *v)
{
    const char *s = *q;
    if (*s != ' ' || !(s[1] == '-' || (s[1] >= '0' && s[1] <= '9')))
        return 0;
    char *end;
    *v = strtoll(s + 1, &end, 10);
    *q = end;
    return end > s + 1;
}

/* Parses the record p[0..nl) (a line of fs_trace_stop's, without its
 * newline) into *r: the start of its path (escaped), or NULL when it is
 * malformed. */
static const char *parse_line(record *r, const char *p, const char *nl)
{
    memset(r, 0, sizeof *r);
    r->kind = *p;
    const char *q = p + 1;
    int good = q < nl && *q == ' ';
    if (r->kind == 'f')
        good = good && number(&q, &r->dev) && number(&q, &r->ino) && number(&q, &r->size) &&
               snumber(&q, &r->mtime) && snumber(&q, &r->ctime);
    else if (r->kind == 'd' || r->kind == 'l')
        good = good && number(&q, &r->dev) && number(&q, &r->ino);
    else
        good = good && r->kind == 'm';
    if (good && r->kind == 'l') {
        good = nl - q > DIGEST_HEX && q[0] == ' ' && q[DIGEST_HEX] == ' ';
        if (good)
            memcpy(r->names, q + 1, DIGEST_HEX - 1);
        q += DIGEST_HEX;
    }
    return good && q < nl && *q == ' ' ? q + 1 : NULL;
}

int fs_trace_holds(const char *text, size_t len, long long since)
{
    buf path;
    buf_init(&path);
    int ok = 1;
    for (const char *p = text, *end = text + len; ok && p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        record r;
        const char *at = parse_line(&r, p, nl);
        if (!at) {
            ok = 0;
            break;
        }
        buf_reset(&path);
        buf_add_unescaped(&path, at, (size_t)(nl - at));
        ok = path.len > 0 && path.data[0] == '/' && record_holds(&r, path.data, since);
        p = nl + 1;
    }
    buf_release(&path);
    return ok;
}

/* The next record of the trace at *p (before end): its path as written
 * (escaped) in *path, *p moved past it, *line its text with the newline.
 * 1, 0 at the end, -1 when it is malformed. */
static int next_record(buf *path, const char **line, const char **p, const char *end)
{
    if (*p >= end)
        return 0;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    record r;
    const char *at = nl ? parse_line(&r, *p, nl) : NULL;
    if (!at)
        return -1;
    buf_reset(path);
    buf_add(path, at, (size_t)(nl - at));
    buf_addc(path, '\0');
    *line = *p;
    *p = nl + 1;
    return 1;
}

int fs_trace_merge(buf *out, const char *older, size_t len)
{
    map *newer = map_new();
    buf path;
    buf_init(&path);
    const char *line, *p = out->data, *end = out->data + out->len;
    int rc;
    while ((rc = next_record(&path, &line, &p, end)) == 1)
        map_put(newer, path.data, (void *)1);
    if (rc == 0)
        for (p = older, end = older + len; (rc = next_record(&path, &line, &p, end)) == 1;)
            if (!map_get(newer, path.data))
                buf_add(out, line, (size_t)(p - line));
    buf_release(&path);
    map_free(newer);
    return rc < 0 ? -1 : 0;
}

long long fs_racy_ns(long long ctime_ns)
{
    return ctime_ns % 1000000000LL ? FS_RACY_NS : FS_RACY_COARSE_NS;
}

long long fs_trace_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return ns_of(t);
}
