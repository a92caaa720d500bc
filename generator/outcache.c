/* outcache: the stat and digest of every file a build published, so the
 * next build verifies its previous output without reading it all again
 * (see outcache.h). One line per file: digest, size, mtime, ctime, inode,
 * device, then the path up to the end of the line. */
#include "outcache.h"

#include "fs.h"
#include "map.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUTCACHE_MAGIC "charter-output-cache 2"

typedef struct known {
    char hex[65];
    char key[65]; /* "-" when unknown */
    long long size, mtime_s, mtime_ns, ctime_s, ctime_ns;
    unsigned long long ino, dev;
} known;

struct outcache {
    map *by_rel; /* rel -> known */
    known *v;
    size_t n;
    long long written_ns; /* the cache file's mtime */
};

/* As git does with its index, a file whose change time is within
 * FS_RACY_NS (fs.h) of the cache's own is "racy" and hashed again. */

void outcache_free(outcache *c)
{
    if (!c)
        return;
    map_free(c->by_rel);
    free(c->v);
    free(c);
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
    if (!nl || (size_t)(nl - line) != ml + 1 + strlen(target) ||
        memcmp(line, OUTCACHE_MAGIC, ml) != 0 || line[ml] != '\t' ||
        memcmp(line + ml + 1, target, strlen(target)) != 0)
        goto fail;
    struct stat cst;
    if (lstat(path, &cst) != 0)
        goto fail;
    c = xcalloc(1, sizeof *c);
    c->by_rel = map_new();
    c->written_ns = (long long)cst.st_mtim.tv_sec * 1000000000LL + cst.st_mtim.tv_nsec;
    size_t lines = 0;
    for (char *p = nl + 1; p < end; p++)
        lines += *p == '\n';
    c->v = xcalloc(lines ? lines : 1, sizeof *c->v);
    for (line = nl + 1; line < end; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(end - line));
        if (!nl)
            goto fail;
        *nl = '\0';
        known *k = &c->v[c->n];
        int used = 0;
        if (sscanf(line, "%64[0-9a-f] %64[-0-9a-f] %lld %lld.%lld %lld.%lld %llu %llu %n", k->hex,
                   k->key, &k->size, &k->mtime_s, &k->mtime_ns, &k->ctime_s, &k->ctime_ns, &k->ino,
                   &k->dev, &used) != 9 ||
            strlen(k->hex) != 64 || (strlen(k->key) != 64 && strcmp(k->key, "-")) || !line[used])
            goto fail;
        map_put(c->by_rel, line + used, k);
        c->n++;
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

int outcache_fresh(const outcache *c, const char *rel, const struct stat *st, const char *hex)
{
    const known *k = c ? map_get(c->by_rel, rel) : NULL;
    if (k && k->ctime_s * 1000000000LL + k->ctime_ns >= c->written_ns - FS_RACY_NS)
        return 0;
    return k && S_ISREG(st->st_mode) && !strcmp(k->hex, hex) && k->size == (long long)st->st_size &&
           k->mtime_s == (long long)st->st_mtim.tv_sec &&
           k->mtime_ns == (long long)st->st_mtim.tv_nsec &&
           k->ctime_s == (long long)st->st_ctim.tv_sec &&
           k->ctime_ns == (long long)st->st_ctim.tv_nsec &&
           k->ino == (unsigned long long)st->st_ino && k->dev == (unsigned long long)st->st_dev;
}

const char *outcache_key(const outcache *c, const char *rel, const char **hex)
{
    const known *k = c ? map_get(c->by_rel, rel) : NULL;
    if (!k || !strcmp(k->key, "-"))
        return NULL;
    *hex = k->hex;
    return k->key;
}

int outcache_write(const char *path, const char *target, const manifest_entry *v, size_t n,
                   diags *d)
{
    buf out, file;
    buf_init(&out);
    buf_init(&file);
    buf_printf(&out, "%s\t%s\n", OUTCACHE_MAGIC, target);
    for (size_t i = 0; i < n; i++) {
        if (strchr(v[i].rel, '\n'))
            continue; /* cannot be a line: hashed again next time */
        buf_reset(&file);
        buf_printf(&file, "%s/%s", target, v[i].rel);
        struct stat st;
        if (lstat(file.data, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        const char *key = v[i].key[0] ? v[i].key : "-";
        buf_printf(&out, "%s %s %lld %lld.%lld %lld.%lld %llu %llu %s\n", v[i].hex, key,
                   (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                   (long long)st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
                   (long long)st.st_ctim.tv_nsec, (unsigned long long)st.st_ino,
                   (unsigned long long)st.st_dev, v[i].rel);
    }
    int err = fs_write_cache(path, out.data, out.len, "output", d);
    buf_release(&out);
    buf_release(&file);
    return err;
}
