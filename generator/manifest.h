/* manifest: the list of every file charter wrote into an output, with its
 * SHA-256 (`sha256sum` format, so `sha256sum -c` verifies a published site),
 * and the operations that rest on it: a directory is charter's only when its
 * manifest matches what is on disk, and charter removes only what a list
 * names. Used by output.c, the one module that writes the site. */
#ifndef CHARTER_MANIFEST_H
#define CHARTER_MANIFEST_H

#include "buf.h"
#include "digest.h"
#include "diag.h"

#include <stdatomic.h>

#include <stddef.h>

/* The manifest, kept in the output; and the staging directory's journal:
 * each path, written before its file is created, so a killed build's
 * leftovers can be removed by the next one. */
#define OUTPUT_MANIFEST ".charter-manifest"
#define OUTPUT_JOURNAL ".charter-journal"

typedef struct manifest_entry {
    char *rel; /* a path inside the output */
    char hex[65];
    char key[65];   /* what a build made it from (output_write_keyed), or "" */
    long long size; /* bytes, as output.c wrote or linked it; -1: not known */
} manifest_entry;

/* Parses manifest text. Returns 0 and a new array in *out (free with
 * manifest_entries_free), or -1 if a line is malformed or names a path that
 * leaves the output. */
int manifest_parse(manifest_entry **out, size_t *n, const char *text, size_t len);
void manifest_entries_free(manifest_entry *v, size_t n);
/* Appends the manifest of v[0..n) (sorted by path first, in place). */
void manifest_write(buf *out, manifest_entry *v, size_t n);
/* The SHA-256 of the regular file at path (opened without following a
 * link) as hex, and its bytes read in *size (NULL: not wanted). 0, or -1
 * when it cannot be opened or read or is no regular file. */
int manifest_hash_file(const char *path, char hex[DIGEST_HEX], long long *size);
/* Reads dir/OUTPUT_MANIFEST. Returns 1 and the entries when there is a valid
 * one, 0 when there is none, -1 when it is there but unreadable or malformed
 * (reported, naming the output `shown`). */
int manifest_read(manifest_entry **out, size_t *n, const char *dir, const char *shown, diags *d);
/* What a build cache (outcache.h) vouches for, to manifest_verify; its
 * functions are called from several threads at once. */
struct stat;
typedef struct manifest_known {
    /* 1 when the file rel, given its lstat and listed digest, is taken as
     * verified without reading it. */
    int (*fresh)(void *ctx, const char *rel, const struct stat *st, const char *hex);
    /* 1 when the folder rel (not the top one), given its lstat, still holds
     * what it held when the manifest was written: then its names are taken
     * from the manifest instead of read from the disk. NULL: every folder
     * is read. */
    int (*same_dir)(void *ctx, const char *rel, const struct stat *st);
    void *ctx;
} manifest_known;
/* Checks that every file under dir is a regular file listed in v with the
 * same digest, trusting `known` (may be NULL) where it vouches. The folders
 * below dir are verified on all cores. 0, or -1 after reporting the first
 * file that is not (id output), or without a report once *stop (may be
 * NULL) is set. */
int manifest_verify(const char *dir, const char *shown, const manifest_entry *v, size_t n,
                    const manifest_known *known, const atomic_int *stop, diags *d);

/* The folders the paths rels[0..n) imply ("a/b/c.html": "a/b" and "a"),
 * each once, in no particular order: a new array of new strings in *out
 * (the caller frees each and the array); returns their count. */
size_t manifest_folders(char ***out, const char *const *rels, size_t n);
/* Unlinks dir/<rel> for each listed path (never a directory, never through
 * a link), then every directory those paths imply, deepest first, each only
 * when empty, then dir itself when `whole`. Anything else is kept; with
 * `what`, a directory left behind is reported as a warning naming `shown`. */
void manifest_remove_listed(const char *dir, char *const *rels, size_t n, int whole,
                            const char *shown, const char *what, diags *d);
/* As manifest_remove_listed for v's paths and the manifest itself. */
void manifest_remove_entries(const char *dir, const manifest_entry *v, size_t n, int whole,
                             const char *shown, const char *what, diags *d);
/* Removes a staging directory a killed build left: what its journal lists,
 * or, once it had written its manifest, what that lists. */
void manifest_sweep_dir(const char *dir, const char *shown, diags *d);
/* The paths dir/OUTPUT_JOURNAL lists (a line cut short by a kill left
 * out) and the journal itself, as a new NULL-terminated list (caller frees
 * with fs_list_free); NULL when dir has no journal. */
char **manifest_read_journal(const char *dir);
/* Sweeps `<base>.tmp-XXXXXX` and `<base>.old-XXXXXX` in parent and
 * `.charter-staging-XXXXXX` in target; call only with the parent locked. */
void manifest_sweep(const char *parent, const char *base, const char *target, const char *shown,
                    diags *d);
/* True if name is prefix followed by exactly six characters (mkdtemp's). */
int manifest_is_temp_name(const char *name, const char *prefix);

#endif
