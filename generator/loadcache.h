/* loadcache: the load stage's cache of each page's front matter and the
 * digest of its bytes, trusted while the page's file keeps the stat it had
 * (loadcache.c). Used by site.c only, for a build with a build cache. */
#ifndef CHARTER_LOADCACHE_H
#define CHARTER_LOADCACHE_H

#include "buf.h"
#include "diag.h"
#include "digest.h"
#include "frontmatter.h"

#include <sys/stat.h>

typedef struct loadcache loadcache;

/* A page's record: the digest of its bytes and its front matter as
 * parsed, encoded (loadcache_entry). */
typedef struct loadcache_entry_ref {
    const char *data;
    size_t len;
} loadcache_entry_ref;

/* What the front matter of a page is made from besides its bytes: charter,
 * the limits its parse is under, and `extra`, the settings that shape an
 * entry besides (may be NULL). A cache made under another key is not read. */
void loadcache_key(char key[DIGEST_HEX], const fm_limits *fl, const char *extra);
/* Reads the cache at path (never through a link) made under key. Returns
 * a new cache (caller frees with loadcache_free), or NULL when there is
 * none, it is unreadable or malformed, or made under another key. */
loadcache *loadcache_read(const char *path, const char *key);
void loadcache_free(loadcache *c);
/* Page src, whose file has the stat st: when c holds it with that very
 * stat (device, inode, size, modification and change times), fills *fm
 * (release with frontmatter_release), text_hex (the digest of its bytes)
 * and *entry (its record, for loadcache_write; borrowed from c) and
 * returns 1; else 0, with nothing filled. Thread-safe; accepts a NULL c. */
int loadcache_get(const loadcache *c, const char *src, const struct stat *st, frontmatter *fm,
                  char text_hex[DIGEST_HEX], loadcache_entry_ref *entry);
/* The record of a page read whole, in *entry: the digest of its bytes and
 * its front matter as parsed. */
void loadcache_entry(buf *entry, const char text_hex[DIGEST_HEX], const frontmatter *fm);

/* A page for loadcache_write: its source path, its stat when listed, and
 * its record (len 0: none). */
typedef struct loadcache_page {
    const char *src;
    const struct stat *st;
    loadcache_entry_ref entry;
} loadcache_page;
/* Replaces the cache at path with the records of pages, made under key,
 * leaving out those whose file changed within the racy window
 * (fs_racy_ns) before since_ns
 * (when the stats were taken): their stat cannot vouch for them. Returns
 * 0, or -1 after a warning. */
int loadcache_write(const char *path, const char *key, const loadcache_page *pages, size_t n,
                    long long since_ns, diags *d);

#endif
