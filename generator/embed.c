/* embed: lookups in the generated table of embedded files (embed.h). The
 * table is sorted by path, so a lookup bisects and the files under a prefix
 * are one run of it. */
#include "embed.h"

#include <string.h>

/* The first entry whose path is not below `key` (bytewise). */
static size_t lower_bound(const char *key)
{
    size_t lo = 0, hi = embed_table_len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(embed_table[mid].path, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const embed_file *embed_find(const char *rel)
{
    size_t i = lower_bound(rel);
    return i < embed_table_len && !strcmp(embed_table[i].path, rel) ? &embed_table[i] : NULL;
}

const embed_file *embed_list(const char *prefix, size_t *n)
{
    size_t first = lower_bound(prefix), len = strlen(prefix), end = first;
    while (end < embed_table_len && !strncmp(embed_table[end].path, prefix, len))
        end++;
    *n = end - first;
    return *n ? &embed_table[first] : NULL;
}

const embed_file *embed_find_shown(const char *shown)
{
    size_t n = strlen(EMBED_SHOWN);
    return strncmp(shown, EMBED_SHOWN, n) ? NULL : embed_find(shown + n);
}

void embed_shown(buf *out, const embed_file *f)
{
    buf_adds(out, EMBED_SHOWN);
    buf_adds(out, f->path);
}
