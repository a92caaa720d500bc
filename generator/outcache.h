/* outcache: what charter knows of the files it published into an output
 * directory, kept in the build cache beside the history cache: each file's
 * SHA-256 and the stat (size, times, inode) it had when the build ended.
 * With it, checking that a previous output is still charter's own hashes
 * only the files whose stat changed since, as git's index does; and, with
 * each folder's stat, lists only the folders that changed. Read and
 * written by output.c only. */
#ifndef CHARTER_OUTCACHE_H
#define CHARTER_OUTCACHE_H

#include "diag.h"
#include "manifest.h"

#include <sys/stat.h>

typedef struct outcache outcache;

/* Reads the cache at path (never through a link; at most 256 MB) when it
 * records the output directory `target` (NULL: whichever it records, for
 * a tree that was the output when its cache was written: each file is
 * still known by its inode and device). Returns a new cache (caller frees
 * with outcache_free), or NULL when there is none, it is unreadable or
 * malformed, or it records another directory: it is only a cache. */
outcache *outcache_read(const char *path, const char *target);
/* The output directory the cache at path records (its header), as a new
 * string (caller frees); NULL when path holds no cache (never read through a
 * link; only its first line is read). */
char *outcache_target(const char *path);
void outcache_free(outcache *c);
/* 1 when c records rel with digest hex and the same stat as st (a regular
 * file, same size, modification and change times, inode and device), so
 * the file need not be hashed again; else 0. Accepts a NULL c. */
int outcache_fresh(const outcache *c, const char *rel, const struct stat *st, const char *hex);
/* 1 when c records the folder rel (below the top one) with the same
 * stat as st (a directory, same modification and change times, inode and
 * device): it holds the names it held when c was written, as a folder's
 * times change whenever a name in it is added, removed or renamed. Else 0.
 * Accepts a NULL c. */
int outcache_same_dir(const outcache *c, const char *rel, const struct stat *st);
/* The inode and device c records of the file rel: 1, or 0 when it records
 * none. While the folder holding rel has the stat c records of it
 * (outcache_same_dir), the name leads to that inode still. Accepts a NULL
 * c. */
int outcache_inode(const outcache *c, const char *rel, unsigned long long *ino,
                   unsigned long long *dev);
/* Without a stat, for an output its caller knows nothing has written
 * since c was (charter serve's private folder, under its lock): 1 when c
 * records the file rel with digest hex, with the inode and device it had
 * in *ino and *dev; else 0. Accepts a NULL c. */
int outcache_vouches(const outcache *c, const char *rel, const char *hex, unsigned long long *ino,
                     unsigned long long *dev);
/* The key rel was rendered from, the digest it had (borrowed) and its
 * size in bytes, when c records both; else NULL. Accepts a NULL c. */
const char *outcache_key(const outcache *c, const char *rel, const char **hex, long long *size);
/* The stat c records of the file (folder 0) or folder rel, as a struct
 * stat with its type, size, times, inode and device: 1, or 0 when c
 * records none, one recorded as unknown, or one too close to the cache's
 * writing to be trusted (outcache_fresh's rule). Accepts a NULL c. */
int outcache_recorded(const outcache *c, const char *rel, int folder, struct stat *st);
/* What a writer of the cache knows without a stat: 1 and *st when the
 * entry rel (a folder when `folder`) has not changed since its stat was
 * last taken, else 0. Called from several threads at once. */
typedef struct outcache_carry {
    int (*stat)(void *ctx, const char *rel, int folder, struct stat *st);
    void *ctx;
} outcache_carry;
/* Writes the cache of the output directory `target` (absolute) holding
 * v[0..n) (with their keys, when known), taking the stat of each file and
 * of each folder their paths imply now, atomically (a temporary file, then
 * a rename; never through a link), creating path's directory if needed.
 * What changed within the racy window (fs_racy_ns) before its stat is
 * recorded as unknown, to be hashed again: when hashing again what so
 * changed would cost more than racy_bytes (about 4 KB a file or folder
 * besides its bytes), it first waits the window out, from those files'
 * last change (but no later than 30 ms after changed_ns: fs_trace_now's
 * clock, when the output's files last changed; 0 for now), and stats them
 * again, so that nothing large the build wrote is left so. (On a file
 * system of whole seconds, whose window is two seconds, that is not
 * waited out: what the build wrote there is hashed again by the next.)
 * With `carry` (may be NULL), the entries it knows are not stat-ed again.
 * Returns 0, or -1 after a warning (id output): a build without its cache
 * is still a good build. */
int outcache_write(const char *path, const char *target, const manifest_entry *v, size_t n,
                   long long racy_bytes, long long changed_ns, const outcache_carry *carry,
                   diags *d);

#endif
