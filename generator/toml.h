/* toml: TOML front matter (Hugo's `+++` block) read into a yamltree tree
 * (toml.c). */
#ifndef CHARTER_TOML_H
#define CHARTER_TOML_H

#include "diag.h"
#include "yamltree.h"

#include <stddef.h>

/* Parses len bytes of text, a TOML document, into a new mapping in *out
 * (the caller frees it with yamltree_free): strings as quoted scalars,
 * numbers, booleans, dates and times as plain ones (their text, '_'
 * between digits dropped), arrays as sequences, tables as mappings, every
 * node at its line (line_offset added) and column. Caps from lim (NULL:
 * 100,000 keys, no value cap) as yamltree_parse_limited's. Returns 0, or -1
 * after reporting at file:line:col: toml-syntax, yaml-duplicate-key (a key
 * or table defined twice), yaml-unsupported (nesting past 64), too-large. */
int toml_parse(yaml_node **out, const char *text, size_t len, const char *file, int line_offset,
               const yamltree_limits *lim, diags *d);

#endif
