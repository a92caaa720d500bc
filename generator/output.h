/* output: the only module that writes the built site. Everything is written
 * into a staging directory and published at the end, so a failed build
 * leaves the previous site byte for byte as it was. Every file charter
 * writes is recorded, with its SHA-256, in a manifest kept in the output
 * (OUTPUT_MANIFEST, in `sha256sum` format): a directory is charter's only
 * when its manifest matches what is on disk, and charter removes nothing
 * that is not listed there. Targets that are, contain or sit inside the
 * site's sources, a home directory, and directories that hold a repository
 * or a site's configuration are refused. */
#ifndef CHARTER_OUTPUT_H
#define CHARTER_OUTPUT_H

#include "buf.h"
#include "diag.h"
#include "digest.h"
#include "fs.h"
#include "manifest.h"
#include "splice.h"

#include <stddef.h>

/* A build's output directory being written (opaque). */
typedef struct output output;
typedef struct output_prefetch output_prefetch;

/* Checks that `target` may be (re)placed, given the source directories that
 * must never be written (NULL-terminated, the site root first; missing ones
 * are ignored), removes what killed builds left behind, then creates the
 * staging directory. Returns 0 and a new output in *out (caller frees with
 * output_free), or -1 and NULL after reporting (id output; exit 2). */
int output_begin(output **out, const char *target, const char *const *sources, diags *d);
/* As output_begin, with the output's build cache at `cache` (outcache.h;
 * NULL: none): it makes verifying the previous site read only the files
 * whose stat changed, and is rewritten once a new site is in place. A file
 * the previous site holds with the same bytes is hard-linked into the new
 * one rather than written (output_write), or keeps its modification time
 * (output_stream), with or without a cache. With a cache on the output's
 * file system, the site a build replaces is kept there ("output-*.spare",
 * the spare tree), and the next build stages into it: a file it shares
 * with the previous site stays as it is, and only what differs is written
 * or removed. A spare that is not whole (a name charter did not write, a
 * file missing, an unfinished build's journal) is removed, by its lists,
 * and the build stages afresh. `own` (with a cache): the caller vouches
 * that nothing has written the target or its spare since the build that
 * wrote their caches (charter serve's private folder, under its lock):
 * the previous site's files are taken as that cache records them and the
 * spare's folders as theirs, without a stat of each (at 10,000 pages, some
 * 30,000 calls); anything the cache does not record is verified. `pre`
 * (may be NULL; the caller's still): what output_prefetch_read read of
 * this output, taken where its file is unchanged since. */
int output_begin_cached(output **out, const char *target, const char *const *sources,
                        const char *cache, int own, output_prefetch *pre, diags *d);
/* Up to this many bytes to hash again (OUTPUT_RACY_BYTES by default; see
 * outcache_write), the build cache is written without waiting out the racy
 * window, recording what the build just changed as unknown: the next build
 * hashes it again, which for a small site costs less than the 25 ms wait
 * (charter's own 27-page site, 214 files and 3.4 MB: about 4 ms, where the
 * wait was a quarter of a one-page edit's 0.10 s). 0: always wait, as the
 * tests of what the cache vouches for need. */
#define OUTPUT_RACY_BYTES (8LL << 20)
void output_set_racy_bytes(output *o, long long racy_bytes);
/* What output_begin_cached reads first of a previous output: the site's
 * manifest and its output cache, the spare's and its (each a few MB at
 * 10,000 pages, 0.01-0.02 s to read), read ahead, while nothing builds
 * (charter serve between builds), for the output at target with its build
 * cache in cache_dir. Each is read between two lstat calls of its file,
 * and kept only when they agree. Returns a new prefetch (caller frees
 * with output_prefetch_free, NULL allowed), empty where there was nothing
 * to read. */
output_prefetch *output_prefetch_read(const char *target, const char *cache_dir);
void output_prefetch_free(output_prefetch *p);
/* How many of the reads output_begin_cached took from `pre` (the rest it
 * read itself: a file changed since, or never read ahead). */
int output_prefetched(const output *o);
/* 1 when output_begin_cached was told the output is the caller's own and
 * took the previous site by its cache, without a stat of each file. */
int output_taken_own(const output *o);
/* How the build took the spare tree as its staging: "by its folders"
 * (their stat as its outcache recorded it, or, for *listed of them that
 * changed within the racy window then, their names listed), "read whole"
 * (every file's stat or bytes), or NULL when it did not. */
const char *output_spare_use(const output *o, size_t *listed);
/* Makes the spare tree of the output at target (see output_begin_cached)
 * from the site published there, when it has none: each of its files
 * linked (so it takes no room), and both outcaches written again. What
 * a build that staged afresh leaves without one (the first build into an
 * output), for a process with time to spare before its next build (the
 * preview server, idle after its first). Nothing is done while a build
 * holds the output's lock, or unless the site there is charter's,
 * verified by its outcache. 1 when made; 0 otherwise (nothing reported;
 * whatever was begun is removed). */
int output_make_spare(const char *target, const char *cache_dir);
/* How many files were linked from the previous site (see above). */
size_t output_reused(const output *o);
/* Appends path made absolute, its links followed as far as it exists,
 * as an output's target is. 0, or -1 (errno set). */
int output_resolve(buf *out, const char *path);
/* 1 when path, resolved as an output's is (links followed as far as it
 * exists), is bound or below it (resolved too); 0 when not; -1 when either
 * cannot be resolved. */
int output_within(const char *path, const char *bound);
/* The output directory, resolved to an absolute path; borrowed from o. */
const char *output_target(const output *o);
/* Where files are written until output_commit; borrowed from o. */
const char *output_staging(const output *o);
/* Declares files the build is about to write (rels[0..n), paths inside
 * the output; one not safe is left out, to be refused when written):
 * they are journaled in one write, so that writing each need not journal
 * it (10,000 pages: as many writes to the journal, under the output's
 * lock). A journal may list a file never made: its removal finds nothing
 * there. Call it once, before writing any of them (others may be written
 * meanwhile, from other threads).
 * Returns 0, or -1 after reporting (then each is journaled as written). */
int output_declare(output *o, const char *const *rels, size_t n, diags *d);
/* Writes data to `rel` (a path inside the output) in the staging directory.
 * A path may be written once. Thread-safe. Returns 0 or -1 after reporting. */
int output_write(output *o, const char *rel, const char *data, size_t len, diags *d);
/* For a file made from inputs whose digest is `key` (a page: its theme and
 * its dictionary): when the previous build wrote rel from the same key (its
 * build cache says so) and that file is still there as it was written, it
 * is linked into the new site, and 1 is returned: the caller need not
 * render it. Otherwise 0, and nothing is done. Thread-safe. */
int output_reuse_keyed(output *o, const char *rel, const char *key);
/* 1 when the previous build recorded rel as made from `key`, with the
 * digest of what it wrote in hex; else 0. For checks of keys only. */
int output_keyed_digest(const output *o, const char *rel, const char *key, char hex[DIGEST_HEX]);
/* As output_write, recording `key` for the next build (NULL: none). */
int output_write_keyed(output *o, const char *rel, const char *key, const char *data, size_t len,
                       diags *d);
/* As output_write, in chunks from fill (see fs_write_stream). */
int output_stream(output *o, const char *rel, int (*fill)(void *ctx, buf *chunk), void *ctx,
                  diags *d);
/* As output_stream, recording `key` (see output_reuse_keyed; NULL: none). */
int output_stream_keyed(output *o, const char *rel, const char *key,
                        int (*fill)(void *ctx, buf *chunk), void *ctx, diags *d);
/* A file streamed in keyed segments (splice.h): its splice over the
 * segments the previous build recorded of rel, when the previous site
 * holds rel with the digest they were recorded for; else over none. The
 * caller streams rel (output_stream_keyed), taking each segment the
 * previous file has by its key and marking each one it makes, then ends
 * it with output_splice_end. Thread-safe; never NULL. */
splice_stream *output_splice(output *o, const char *rel);
/* After output_stream_keyed wrote rel, returning err: keeps sp's segments
 * for the next build when rel was written (err 0), and frees sp. */
void output_splice_end(output *o, const char *rel, splice_stream *sp, int err);
/* Of the bytes of the files this build wrote in segments (*total), how
 * many it copied from the previous files (*taken), and how many of those
 * it did not hash again, its digest resumed from the previous file's
 * state after them (*unhashed). Call when no thread writes. */
void output_spliced(const output *o, long long *taken, long long *total, long long *unhashed);
/* Counts a file copied from the previous build's but for the digits of the
 * commit it names (render.c, gen_handbook.c; CHARTER_TIMINGS says how
 * many). Thread-safe. */
void output_count_recommitted(output *o);
/* How many files output_count_recommitted counted. */
int output_recommitted(const output *o);
/* Counts n rows of a register (render.c) copied from the previous build's
 * file, not made again; thread-safe. */
void output_count_rows(output *o, size_t n);
/* How many output_count_rows counted. */
size_t output_rows_copied(const output *o);
/* Copies the source file src (relative to the site root, read through
 * fs_open_source, at most max bytes: the setting `limit`) to rel. */
int output_copy(output *o, const char *rel, const fs_root *root, const char *src, size_t max,
                const char *limit, diags *d);
/* What this build wrote so far: the number of files (but manifest.json,
 * which describes them), and of them how many are HTML (*html, may be
 * NULL). Call when no thread writes. */
size_t output_count(const output *o, size_t *html);
/* True when this build wrote rel. Call when no thread writes. */
int output_has(const output *o, const char *rel);
/* What this build wrote so far, sorted by path, each with its digest and
 * size as written or linked (the staging folder is not read again): a new
 * array in *out (caller frees with manifest_entries_free), for the
 * published manifest (manifest_json.h). Call when no thread writes. */
void output_listing(manifest_entry **out, size_t *n, const output *o);
/* Writes the manifest and publishes the staging directory: swapped into
 * place in one rename, or moved in file by file for a mount point. Returns
 * 0, or -1 after reporting (the previous site is then kept as it was). */
int output_commit(output *o, diags *d);
/* Removes what this build left: an unfinished staging directory after a
 * failure (only the files the journal lists; a spare tree written into,
 * what it held and what the journal lists), the previous site after a
 * commit (only the files its manifest lists) unless it is kept as the
 * spare tree. Anything else found there is kept and reported as a warning.
 * Then frees o; accepts NULL. */
void output_free(output *o, diags *d);

/* An anonymous scratch file on the staging directory's file system, for
 * what a build writes once and reads back (the handbook's bodies): never
 * visible in the output, gone when closed or when the process ends.
 * Returns a read-write descriptor (caller closes), or -1 after reporting. */
int output_scratch(output *o, diags *d);

/* Removes the staging directory's files from another thread, as the build
 * is ended by the watchdog (see watchdog.h); best effort, reports nothing. */
void output_abandon(output *o);

/* Removes the build cache (in cache_dir) of the output directory target,
 * which is gone or going, and its spare tree: `charter serve` leaves no
 * cache of its own folders. Best effort; reports nothing. */
void output_forget(const char *cache_dir, const char *target);
/* When `name`, an entry of cache_dir, is the build cache of an output
 * directory that is no longer there, removes it as output_forget does, with
 * its spare tree: a site built into a folder since deleted would otherwise
 * keep the spare, a copy of the site, in the git directory for good. An
 * output whose parent folder a build holds (its lock) is left for a later
 * run. Call it holding no output's lock. Best effort; reports nothing. */
void output_prune(const char *cache_dir, const char *name);
/* The SHA-256 of the manifest of the output at target (absolute), as hex.
 * Returns 0, or -1 when it has none that can be read. */
int output_manifest_digest(char hex[DIGEST_HEX], const char *target);
/* 1 when the output at target (absolute, as output_target gives it) still
 * holds exactly the files of its manifest, whose digest is manifest_hex,
 * each with that content: by the stat that the build cache in cache_dir
 * recorded, or by reading it where the cache cannot vouch for it. 0
 * otherwise, and 0 soon after *stop (may be NULL) is set from another
 * thread. Reports nothing, writes nothing. */
int output_unchanged(const char *target, const char *cache_dir, const char *manifest_hex,
                     const atomic_int *stop);

/* Writes one file that is not part of the site (a check report) to path,
 * atomically (a temporary file beside it, then a rename). Refuses a path
 * inside any of `sources` (NULL-terminated; missing ones are ignored), so a
 * report can never overwrite a page, a layout or a catalog. Returns 0, or
 * -1 after reporting (id output). */
int output_write_file(const char *path, const char *data, size_t len, const char *const *sources,
                      diags *d);

#endif
