/* fs: the filesystem primitives every stage shares: read a whole file, list a
 * directory sorted, make directories, write and copy files, remove a tree.
 * Errors are reported through diag with the path quoted and strerror. */
#ifndef CHARTER_FS_H
#define CHARTER_FS_H

#include "buf.h"
#include "diag.h"

#include <stddef.h>
#include <sys/stat.h>

/* Appends the contents of the regular file at path to out, refusing (id io)
 * anything else (a FIFO would block, /dev/zero never ends) and files over
 * FS_READ_MAX. `shown` is the name used in messages (NULL: path). Returns 0,
 * or -1 after reporting "cannot read". For the site's sources use
 * fs_read_source, which also keeps reads inside the site. */
#define FS_READ_MAX ((size_t)256 << 20)
int fs_read(buf *out, const char *path, const char *shown, diags *d);
/* fs_read, refusing path when it is itself a symbolic link: for files at a
 * fixed name that a commit could replace with a link (.mailmap, charter's
 * own cache). */
int fs_read_nofollow(buf *out, const char *path, const char *shown, diags *d);
/* Appends the first `max` bytes (or fewer: the whole file) of the regular
 * file at path, never through a link: a cache's header. 0, or -1 (nothing
 * reported). */
int fs_read_head(buf *out, const char *path, size_t max);

/* --- the site's sources: one checked door ------------------------------------
 * Every file charter reads from a site goes through fs_read_source (or
 * fs_open_source): the path is resolved with its symbolic links, and must
 * stay inside the site directory; only a regular file is opened, and only
 * when it is within its size limit. A link may lead anywhere inside the
 * site. Paths are '/'-separated and relative to the site root; they name
 * the file in messages. */

typedef struct fs_root {
    char *path; /* the site directory as given ("." by default) */
    char *real; /* the same, absolute and without symbolic links */
    int dirfd;  /* the same, open, when has_dirfd: for openat2 */
    int has_dirfd;
} fs_root;

/* Resolves the site directory. Returns 0 (release with fs_root_release), or
 * -1 after reporting (id io), with nothing to release. */
int fs_root_init(fs_root *r, const char *path, diags *d);
void fs_root_release(fs_root *r);
/* Appends the path to open for rel: root->path joined with rel. */
void fs_root_path(buf *out, const fs_root *r, const char *rel);

typedef enum fs_kind {
    FS_MISSING, /* nothing there (or a link to nothing) */
    FS_FILE,    /* a regular file */
    FS_DIR,
    FS_SPECIAL /* a FIFO, socket or device */
} fs_kind;

/* What rel is once its links are followed, with its stat in *st (may be
 * NULL). Returns the kind, or -1 after reporting at rel (as an error, at
 * `level`) a link that leads outside the site: "'content/x' is a symbolic
 * link to '/etc/passwd', outside the site" (id unsafe-link), or a link loop
 * (id symlink-loop). */
int fs_source_kind(const fs_root *r, const char *rel, struct stat *st, diags *d);

/* Opens the regular file rel for reading, after the checks above and these,
 * each reported at rel (id in brackets): not a regular file
 * [special-file], more than max bytes, naming the setting `limit` that
 * tunes it [too-large], missing or unreadable [io]. Returns 0 with the
 * descriptor (caller closes) and its size, or -1 after reporting. */
int fs_open_source(int *fd, size_t *size, const fs_root *r, const char *rel, size_t max,
                   const char *limit, diags *d);
/* Appends the whole of rel to out, as fs_open_source checks it; the file is
 * not read past max bytes even if it grows meanwhile. 0 or -1. */
int fs_read_source(buf *out, const fs_root *r, const char *rel, size_t max, const char *limit,
                   diags *d);
/* Appends a description of st's kind for messages: "a FIFO", "a device"... */
void fs_describe_kind(buf *out, const struct stat *st);

/* Lists rel (a source directory) as fs_list does, for the trace. */
int fs_list_source(char ***out, const fs_root *r, const char *rel, int missing_ok, diags *d);

/* A source folder's names, sorted as fs_list sorts them, each with what
 * fs_source_kind would answer for it when it is no link: listed through the
 * folder opened beneath the site, each name stat-ed through that descriptor
 * (one system call a name, where fs_source_kind makes three). The folder
 * and its names are recorded for the trace; the names are not, since the
 * caller may skip some: it records those it takes (fs_trace_seen). */
typedef struct fs_listing {
    char **names;       /* NULL-terminated */
    struct stat *sts;   /* names[i]'s own stat when kinds[i] >= 0 */
    signed char *kinds; /* FS_FILE, FS_DIR or FS_SPECIAL; -1: a link, or not
                           known (ask fs_source_kind) */
    size_t n;
} fs_listing;
/* 0 (release with fs_listing_release), or -1 after reporting (a folder
 * that leads out of the site, as fs_source_kind reports it; one that cannot
 * be listed), with nothing to release. A folder reached through an
 * absolute link (or a kernel without openat2) is listed as fs_list_source
 * lists it, every kind -1. */
int fs_list_source_stat(fs_listing *l, const fs_root *r, const char *rel, diags *d);
void fs_listing_release(fs_listing *l);

/* --- the trace of what a build looked at (fs_trace.c) -------------------------
 * While a trace is on (one per process), fs_source_kind, fs_open_source,
 * fs_read_source and fs_list_source record each source they look at, by its
 * absolute path: a file's stat (device, inode, size, times), a directory's
 * identity and, when listed, the digest of its names, or that nothing was
 * there. Thread-safe. */
void fs_trace_start(void);
/* Ends the trace and appends its records to out, one per line. Returns 0,
 * or -1 (with nothing appended) when no trace was on or a source was seen
 * two different ways (it changed while the build read it). */
int fs_trace_stop(buf *out);
/* The clock a trace is compared with: nanoseconds since the epoch. */
long long fs_trace_now(void);
/* Timestamps are as coarse as the kernel's clock tick: a file changed in
 * the tick its stat was taken keeps the same times. So a stat taken within
 * this of a file's last change cannot vouch for it (git's racy entries):
 * the trace and the output cache (outcache.c) treat such files as changed. */
#define FS_RACY_NS 20000000LL
/* Some file systems keep whole seconds only (ext3, ext4 made with 128-byte
 * inodes, as mke2fs makes small ones, HFS+, sshfs): there a file changed
 * within a second of its stat can keep its times. A change time with no
 * fraction of a second is taken as such a file system's (on a finer one,
 * one time in a billion: that file is then only read again), and its
 * window is two seconds more (FAT keeps two). */
#define FS_RACY_COARSE_NS (2000000000LL + FS_RACY_NS)
/* The racy window for a file whose change time is ctime_ns (nanoseconds
 * since the epoch): FS_RACY_NS, or FS_RACY_COARSE_NS for whole seconds. */
long long fs_racy_ns(long long ctime_ns);
/* Appends to out, a trace (fs_trace_stop's), each record of the older
 * trace older[0..len) of a path out has none of: what a build of a kept
 * site read again, over what the build that loaded it read. 0, or -1 when
 * either is malformed (out then holds part of it). */
int fs_trace_merge(buf *out, const char *older, size_t len);
/* 1 when every record of text[0..len) (fs_trace_stop's) still holds: each
 * file with the same stat, older than since by its racy window, each
 * directory the same one, with the same names when listed, nothing where
 * nothing was. 0 otherwise, or for a malformed text. */
int fs_trace_holds(const char *text, size_t len, long long since);
/* For fs.c: records rel (below r) as seen, with its stat (NULL: missing);
 * for the load, of a page it knows by its stat (loadcache.h); and for the
 * walk, of a name it takes from an fs_listing. */
void fs_trace_seen(const fs_root *r, const char *rel, const struct stat *st);
/* For fs.c: records the directory rel (below r), listed with these names. */
void fs_trace_listed(const fs_root *r, const char *rel, const struct stat *st, char *const *names);

/* Lists the entries of dir (without . and ..) sorted by name (bytewise).
 * Returns 0 and a NULL-terminated array in *out (free with fs_list_free), or
 * -1 after reporting (a missing dir with `missing_ok` gives an empty list). */
int fs_list(char ***out, const char *dir, int missing_ok, diags *d);
void fs_list_free(char **list);

/* 1 if path is a directory, 0 if something else, -1 if it does not exist. */
int fs_is_dir(const char *path);
/* 1 when two stats are of the same file, unchanged between them: the same
 * device, inode, type, size, and modification and change times (a file
 * written in place changes its times; one replaced by a rename is another
 * inode). */
int fs_same_stat(const struct stat *a, const struct stat *b);

/* A folder opened for fs_lstat_at (O_PATH; the caller closes it), or -1
 * when it cannot be: a link to it is followed, as a whole path's lstat
 * follows every name but the last. */
int fs_dir_open(const char *path);
/* The lstat of root/rel, relative to the folder dirfd (root, opened by
 * fs_dir_open) when it is one, else by the whole path: the kernel then
 * walks only rel's names, a third of a stat's cost for a page's file in
 * an output six names deep. An empty or absolute rel is taken by the
 * whole path. 0, or -1 with errno. */
int fs_lstat_at(int dirfd, const char *root, const char *rel, struct stat *st);

/* Creates path and its missing parents. Returns 0 or -1 after reporting. */
int fs_mkdirs(const char *path, diags *d);
/* Writes all of data[0..len) to fd, retrying short writes and EINTR.
 * Returns 0, or -1 with errno set (nothing reported). */
int fs_write_fd(int fd, const void *data, size_t len);
/* Reads exactly len bytes of fd at off into to, retrying short reads and
 * EINTR. Returns 0, or -1 at the file's end or on an error (errno set
 * then; nothing reported). */
int fs_pread_all(int fd, void *to, size_t len, off_t off);
/* Appends len bytes of the file from_fd, from its offset off, to to_fd at
 * its position: in the kernel where it can (copy_file_range), else read
 * and written a megabyte at a time. 0, or -1 with errno set (nothing
 * reported; to_fd may hold part of them). */
int fs_copy_range(int from_fd, off_t off, int to_fd, long long len);
/* Writes data[0..len) at fd's offset off (retrying short writes and
 * EINTR). 0, or -1 with errno set (nothing reported). */
int fs_pwrite_all(int fd, const void *data, size_t len, off_t off);
/* Writes data to path (creating parent directories). 0 or -1 after reporting. */
int fs_write(const char *path, const char *data, size_t len, diags *d);
/* Writes path from consecutive chunks, for files too large to hold at once:
 * fill(ctx, chunk) appends the next part to the (emptied) chunk and returns
 * 1 while more follows, 0 with the last part, or -1 after reporting an
 * error. Returns 0, or -1 after reporting. */
int fs_write_stream(const char *path, int (*fill)(void *ctx, buf *chunk), void *ctx, diags *d);
/* What a streamed file's fill function puts in a chunk before it returns,
 * about (it may finish the item it is writing): a chunk is held whole, and
 * the OSCAL export's implementations, written in one, held 20 MB at the
 * peak of a 10,000-page build. */
#define FS_CHUNK_BYTES ((size_t)256 << 10)
/* One piece of memory, and the fill function that writes it whole (for
 * fs_write_stream and output_stream callers that have it all at once). */
typedef struct fs_chunk {
    const char *data;
    size_t len;
} fs_chunk;
int fs_fill_once(void *ctx, buf *chunk);
/* The writer under fs_write_stream, for output.c: opens path with
 * O_WRONLY|O_CREAT and `flags` (O_TRUNC, or O_EXCL|O_NOFOLLOW for a file
 * that must be new), creating its parents when missing, writes it from
 * fill, and shows each chunk to `seen` (may be NULL: output.c hashes
 * them). Returns 0, or -1 after reporting. */
int fs_write_new(const char *path, int flags, int (*fill)(void *ctx, buf *chunk), void *ctx,
                 void (*seen)(void *sctx, const char *data, size_t len), void *sctx, diags *d);
/* As fs_write_new, calling before(sctx, fd) ahead of each chunk's `seen`
 * and write (the last chunk's after fill's last call): it may write to fd
 * itself, bytes that come before the chunk's; non-zero, with errno set,
 * fails the write. */
int fs_write_new_hooked(const char *path, int flags, int (*fill)(void *ctx, buf *chunk), void *ctx,
                        void (*seen)(void *sctx, const char *data, size_t len),
                        int (*before)(void *sctx, int fd), void *sctx, diags *d);
/* Replaces the cache file at path (in charter's cache folder, created when
 * missing, never through a link) with data: written beside it, then
 * renamed. A cache is never needed, so problems are warnings (id `id`).
 * Returns 0, or -1 after the warning. */
int fs_write_cache(const char *path, const char *data, size_t len, const char *id, diags *d);
/* As fs_write_cache, in chunks from fill (see fs_write_new): a large cache
 * need not be held whole. */
int fs_write_cache_stream(const char *path, int (*fill)(void *ctx, buf *chunk), void *ctx,
                          const char *id, diags *d);
/* Removes path recursively without following symlinks. 0 or -1. */
int fs_remove_tree(const char *path, diags *d);
/* The folder rel[0..len) below the folder open at base (a descriptor; rel
 * "" is base itself), opened O_PATH without following a link anywhere in
 * rel and without leaving base: a new descriptor (caller closes), or -1
 * when a component is a link, missing, "..", or no folder. */
int fs_open_dir_nofollow(int base, const char *rel, size_t len);

#endif
