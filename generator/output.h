/* output: the only module that writes the built site. Everything is written
 * into a staging directory beside the target and swapped into place at the
 * end, so a failed build leaves the previous site as it was. Refuses targets
 * that are, contain, or sit inside the site's sources, and existing
 * directories that charter did not build. */
#ifndef CHARTER_OUTPUT_H
#define CHARTER_OUTPUT_H

#include "buf.h"
#include "diag.h"
#include <stddef.h>

typedef struct output {
    char *target;  /* the output directory, resolved to an absolute path */
    char *staging; /* "<target>.tmp-XXXXXX", beside it */
} output;

/* The file whose presence marks a directory as charter's own output. */
#define OUTPUT_MARKER "api/pages.json"

/* Checks that `target` may be (re)placed, given the source directories that
 * must never be written (NULL-terminated; missing ones are ignored), then
 * creates the staging directory. Returns 0, or -1 after reporting (exit 2). */
int output_begin(output *o, const char *target, const char *const *sources, diags *d);
/* Writes data to `rel` (a path inside the output) in the staging directory.
 * Thread-safe. Returns 0 or -1 after reporting. */
int output_write(const output *o, const char *rel, const char *data, size_t len, diags *d);
int output_copy(const output *o, const char *rel, const char *src, diags *d);
/* As output_write, in chunks from fill (see fs_write_stream). */
int output_stream(const output *o, const char *rel, int (*fill)(void *ctx, buf *chunk), void *ctx,
                  diags *d);
/* Swaps the staging directory into place. The previous site is left at the
 * staging path for output_release to remove. Returns 0, or -1 after
 * reporting (the previous site is then kept in place). */
int output_commit(output *o, diags *d);
/* Removes what the staging path holds (the unfinished build after a
 * failure, the previous site after a commit) and frees o's strings. */
void output_release(output *o, diags *d);

#endif
