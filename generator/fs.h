/* fs: the filesystem primitives every stage shares: read a whole file, list a
 * directory sorted, make directories, write and copy files, remove a tree.
 * Errors are reported through diag with the path quoted and strerror. */
#ifndef CHARTER_FS_H
#define CHARTER_FS_H

#include "buf.h"
#include "diag.h"

/* Appends the contents of path to out. `shown` is the name used in messages
 * (NULL: path). Returns 0, or -1 after reporting "cannot read" (id io). */
int fs_read(buf *out, const char *path, const char *shown, diags *d);

/* Lists the entries of dir (without . and ..) sorted by name (bytewise).
 * Returns 0 and a NULL-terminated array in *out (free with fs_list_free), or
 * -1 after reporting (a missing dir with `missing_ok` gives an empty list). */
int fs_list(char ***out, const char *dir, int missing_ok, diags *d);
void fs_list_free(char **list);

/* 1 if path is a directory, 0 if something else, -1 if it does not exist. */
int fs_is_dir(const char *path);

/* Creates path and its missing parents. Returns 0 or -1 after reporting. */
int fs_mkdirs(const char *path, diags *d);
/* Writes data to path (creating parent directories). 0 or -1 after reporting. */
int fs_write(const char *path, const char *data, size_t len, diags *d);
/* Writes path from consecutive chunks, for files too large to hold at once:
 * fill(ctx, chunk) appends the next part to the (emptied) chunk and returns
 * 1 while more follows, 0 with the last part, or -1 after reporting an
 * error. Returns 0, or -1 after reporting. */
int fs_write_stream(const char *path, int (*fill)(void *ctx, buf *chunk), void *ctx, diags *d);
/* Copies the regular file src to dst (creating parents). 0 or -1. */
int fs_copy(const char *src, const char *dst, diags *d);
/* Removes path recursively without following symlinks. 0 or -1. */
int fs_remove_tree(const char *path, diags *d);

#endif
