/* frontmatter: splits a Markdown (or layout) file into its front matter and
 * body. The front matter is YAML between a first line `---` and the next
 * line that is exactly `---` (or `...`), TOML between `+++` lines (Hugo),
 * or a JSON object from a first line starting `{` (Hugo); a UTF-8 BOM and
 * CRLF line ends are accepted. Each is parsed into one tree (yamltree.h),
 * with line numbers counted in the whole file. */
#ifndef CHARTER_FRONTMATTER_H
#define CHARTER_FRONTMATTER_H

#include "diag.h"
#include "yamltree.h"
#include <stddef.h>

typedef enum fm_format { FM_YAML, FM_TOML, FM_JSON } fm_format;

typedef struct frontmatter {
    yaml_node *data;   /* the parsed mapping; an empty mapping when absent */
    int present;       /* 1 if the file had a front matter block */
    size_t body_start; /* byte offset of the body in the input */
    int body_line;     /* 1-based line of the body's first line */
    fm_format format;  /* how the block is written */
} frontmatter;

/* Splits text[0..len). A file without a leading `---` line has no front
 * matter and its whole text (minus a BOM) is the body. Errors, reported
 * through d at file:line:col: front matter opened but never closed
 * (id frontmatter-unterminated), YAML errors, and a front matter that is not a
 * mapping (id invalid-type). Returns 0 and fills *out (release with
 * frontmatter_release), or -1; on -1 *out holds nothing to release. */
int frontmatter_parse(frontmatter *out, const char *text, size_t len, const char *file, diags *d);

/* Caps on a front matter block (0: none), checked before the YAML is parsed
 * (block_bytes) and while it is (yaml). */
typedef struct fm_limits {
    size_t block_bytes;
    yamltree_limits yaml;
    /* Also read a header with no opening `---` (strongdm comply's): lines
     * from the top, the first a `key:`, closed by a `---` line. */
    int fenceless;
} fm_limits;

/* As frontmatter_parse, refusing (id too-large) a block beyond `lim` (NULL:
 * no caps): "front matter is 300000 bytes, over the limit of 262144
 * (limits.frontmatter_bytes)" at the opening line. */
int frontmatter_parse_limited(frontmatter *out, const char *text, size_t len, const char *file,
                              const fm_limits *lim, diags *d);
void frontmatter_release(frontmatter *fm);

#endif
