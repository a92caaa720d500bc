/* yamltree: parses YAML (through libyaml, the only module that includes
 * libyaml's yaml.h; this header is named apart from it) into a small immutable
 * tree that keeps the line and column of every node. Scalars stay strings;
 * typed readers (yamltree_as_*) interpret them and report type errors through
 * diag at the node's position. Duplicate mapping keys are errors; aliases and
 * anchors are refused so no input can expand in memory. */
#ifndef CHARTER_YAMLTREE_H
#define CHARTER_YAMLTREE_H

#include "buf.h"
#include "dates.h"
#include "diag.h"
#include <stddef.h>

typedef enum yaml_kind { YAML_SCALAR, YAML_SEQUENCE, YAML_MAPPING } yaml_kind;

/* A node of the tree: a scalar, a sequence or a mapping. Its layout is
 * private; read it through the accessors below. Every node is borrowed from
 * the tree that yamltree_parse returned and lives as long as that tree. */
typedef struct yaml_node yaml_node;

/* Node accessors; `n` must not be NULL. */
/* The kind of any node. */
yaml_kind yamltree_kind(const yaml_node *n);
/* Any node: 1-based line in the file the YAML came from (line_offset applied). */
int yamltree_line(const yaml_node *n);
/* Any node: 1-based column, counted in characters. */
int yamltree_col(const yaml_node *n);
/* Scalar: its NUL-terminated UTF-8 text (borrowed, never NULL); NULL otherwise. */
const char *yamltree_text(const yaml_node *n);
/* Scalar: the length of its text in bytes (it may hold NULs, from `\0`); 0 otherwise. */
size_t yamltree_text_len(const yaml_node *n);
/* Scalar: 1 if written unquoted and not tagged `!!str` or `!`; 0 otherwise. */
int yamltree_plain(const yaml_node *n);
/* Sequence: the number of items; mapping: the number of pairs; scalar: 0. */
size_t yamltree_len(const yaml_node *n);
/* Sequence: item i; mapping: the value of pair i; NULL for a scalar or i out of range. */
const yaml_node *yamltree_item(const yaml_node *n, size_t i);
/* Mapping: the key of pair i, always a scalar; NULL for other kinds or i out of range. */
const yaml_node *yamltree_key(const yaml_node *n, size_t i);
/* Feeds n (NULL allowed) to the digest h, whole: kinds, keys, texts with
 * their lengths and whether they are plain, so that two trees feed the
 * same only when every reader sees them alike. For the keys that decide
 * whether an output is made again. */
struct digest;
void yamltree_digest(struct digest *h, const yaml_node *n);

/* The length of the line break YAML reads at s[0, n): 2 for CRLF and NEL
 * (UTF-8 C2 85), 3 for LS and PS (U+2028, U+2029), 1 for LF or a CR
 * alone; 0 when s does not start with one. Lines split this way are the
 * lines yamltree_line counts. */
size_t yamltree_break_len(const char *s, size_t n);

/* Parses `len` bytes of `text` (NUL bytes are input, not an end). `file` names
 * the source for diagnostics; `line_offset` is added to every line (front
 * matter starting at line 2 of a .md file passes 1). An empty document yields
 * an empty mapping. Tags are ignored, except that `!!str` or `!` make a plain
 * scalar read as quoted (yamltree_plain gives 0). Returns 0 and a new tree in
 * *out (caller frees with yamltree_free), or -1 after reporting a diagnostic;
 * ids: yaml-syntax (libyaml's error), yaml-duplicate-key, yaml-alias (aliases
 * and anchors), yaml-unsupported (a key that is a list or mapping, a second
 * document, nesting deeper than 64 lists and mappings). Linear in the input:
 * duplicate keys are found through a hash once a mapping grows past a few
 * keys. */
int yamltree_parse(yaml_node **out, const char *text, size_t len, const char *file, int line_offset,
                   diags *d);

/* Caps on what one document may hold, checked as it is parsed (0: no cap).
 * The names are the settings that tune them, quoted in the message. */
typedef struct yamltree_limits {
    size_t scalar_bytes;     /* the longest scalar */
    const char *scalar_name; /* "limits.scalar_bytes" */
    size_t keys;             /* mapping keys in the whole document, at any depth */
    const char *keys_name;   /* "limits.frontmatter_keys" */
} yamltree_limits;

/* As yamltree_parse, refusing (id too-large) a document beyond `lim` (NULL: no
 * caps): "value is 70000 bytes, over the limit of 65536 (limits.scalar_bytes)"
 * at the scalar, "more than 1000 keys (limits.frontmatter_keys)" at the
 * first key too many. */
int yamltree_parse_limited(yaml_node **out, const char *text, size_t len, const char *file,
                           int line_offset, const yamltree_limits *lim, diags *d);
/* The two readings yamltree_parse_limited makes, for the tests and the fuzz
 * target that compare them. The plain one reads, without libyaml, a
 * document in the shape most front matter has: printable ASCII lines, each
 * `key: value` (the value plain, quoted without escapes, or a one-line list
 * of plain words), a comment from column 1, or empty. It returns 1 and the
 * tree in *out, or 0 (and *out NULL) for any other document, and for one
 * libyaml's reading would refuse or find over `lim`, which is then left to
 * that reading to report. The other is libyaml's reading, as
 * yamltree_parse_limited. */
int yamltree_parse_plain(yaml_node **out, const char *text, size_t len, int line_offset,
                         const yamltree_limits *lim);
int yamltree_parse_libyaml(yaml_node **out, const char *text, size_t len, const char *file,
                           int line_offset, const yamltree_limits *lim, diags *d);
/* Frees the tree; accepts NULL. */
void yamltree_free(yaml_node *n);

/* Building a tree out of others' nodes (a page's front matter with the
 * site's defaults and key aliases applied). Each returns a new node the
 * caller owns (free with yamltree_free, or hand it to yamltree_append). */
/* A deep copy of n, positions kept, or every node placed at the line and
 * column of `at` when it is not NULL; NULL for NULL. */
yaml_node *yamltree_copy(const yaml_node *n, const yaml_node *at);
/* A new scalar holding `text` (copied; plain unless quoted is set), or an
 * empty sequence or mapping (text ignored), at the line and column of `at`
 * (0 and 0 when NULL). */
yaml_node *yamltree_new(yaml_kind kind, const char *text, int quoted, const yaml_node *at);
/* As yamltree_new, at line and col, a scalar's text len bytes (it may hold
 * NULs): for trees read from other formats (toml.c). */
yaml_node *yamltree_new_at(yaml_kind kind, const char *text, size_t len, int quoted, int line,
                           int col);
/* Appends value (and, for a mapping, key, a scalar) to parent, which takes
 * ownership of both; parent is no tree yamltree_parse or yamltree_pack
 * returned (those are read-only: the process aborts). */
void yamltree_append(yaml_node *parent, yaml_node *key, yaml_node *value);
/* Replaces item i of a sequence or mapping (which must exist) by value,
 * freeing the old one; parent takes ownership of value. */
void yamltree_replace(yaml_node *parent, size_t i, yaml_node *value);
/* Moves a built tree into one allocation (as yamltree_parse returns its
 * trees), freeing root; returns the new root (NULL for NULL), which
 * yamltree_append and yamltree_replace refuse from then on. */
yaml_node *yamltree_pack(yaml_node *root);

/* A tree as bytes, for a cache (loadcache.c): every node's kind, plainness,
 * line, column and text, in order. Appended to out. */
void yamltree_encode(buf *out, const yaml_node *n);
/* The tree yamltree_encode wrote at data[*at..len), read from anything
 * (a cache may be damaged): at most 64 levels deep, every count within
 * the bytes left. Returns 0, a new packed tree in *out (caller frees) and
 * *at past it, or -1 with nothing allocated. */
int yamltree_decode(yaml_node **out, const char *data, size_t len, size_t *at);

/* Mapping lookup; returns the borrowed value node, or NULL when `map` is NULL,
 * not a mapping, or has no such key. */
const yaml_node *yamltree_get(const yaml_node *map, const char *key);
/* True for a plain scalar that is empty, `~`, `null`, `Null` or `NULL`; false
 * for NULL. */
int yamltree_is_null(const yaml_node *n);

/* Typed readers. Each returns 0 and fills *out, or -1 after reporting
 * `'<key>' must be <type>, not <what was found>` at the node (id
 * invalid-type). `key` names the field in the message. A NULL node is
 * reported as `'<key>' is missing` without a line. *out is untouched on -1.
 * yamltree_as_string takes any scalar, quoted or not (null-looking ones too: check
 * yamltree_is_null first when null means absent), and refuses text with a NUL
 * byte; *out is borrowed from the node. yamltree_as_bool takes the plain YAML 1.1
 * words true/false, yes/no, on/off in lower, Capitalized or UPPER case (not
 * y/n); a quoted "true" is a string. yamltree_as_int takes a decimal integer
 * ([-+]?[0-9]+) that fits a long, quoted or not. */
int yamltree_as_string(const char **out, const yaml_node *n, const char *key, const char *file,
                       diags *d);
int yamltree_as_bool(int *out, const yaml_node *n, const char *key, const char *file, diags *d);
int yamltree_as_int(long *out, const yaml_node *n, const char *key, const char *file, diags *d);
/* A YYYY-MM-DD date that exists in the proleptic Gregorian calendar, quoted
 * or not (a YAML timestamp with a time part, `2024-01-05 10:00:00` or
 * `2024-01-05T10:00:00Z`, is accepted and the time and zone ignored: the date
 * is taken as written), as are the month-name forms `Jun 1 2018`, `June 1,
 * 2018` and `1 June 2018` (comply's and many handbooks'). *out is days
 * since 1970-01-01. Reports "'<key>' must
 * be a date (YYYY-MM-DD), not 'next week'" or "'<key>' is not a real date:
 * 2024-02-30" (id invalid-date). */
int yamltree_as_date(long *out, const yaml_node *n, const char *key, const char *file, diags *d);

/* Writing YAML (charter init's site.yml, charter new's front matter). */
/* True if s, written plain, reads as a boolean or null rather than as text:
 * true, false, yes, no, on, off, null, ~, y, n in any case. */
int yamltree_is_keyword(const char *s);
/* Appends s as a YAML scalar that reads back as the same string: plain when
 * that is safe (in a block value, or with `flow` inside [ ] or { }), else
 * double-quoted with every control character and line break escaped (a byte
 * that is not UTF-8 becomes the character of its value, so the file still
 * reads). Never writes a line break. */
void yamltree_put_scalar(buf *b, const char *s, int flow);
/* As yamltree_put_scalar, always double-quoted (characters libyaml refuses
 * in a stream, such as C1 controls and U+FFFE, escaped too). */
void yamltree_put_quoted(buf *b, const char *s);

/* The version of libyaml linked ("0.2.5"). Static storage. */
const char *yamltree_libyaml_version(void);

#endif
