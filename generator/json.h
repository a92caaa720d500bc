/* json: the one JSON writer (RFC 8259): a string escaper and a small writer
 * that places the commas, colons, brackets and indentation, so api/pages.json,
 * search.json and the JSON and SARIF reports only say what they contain. A
 * container is written either on one line ({"a": 1, "b": 2}) or as a block,
 * one member per line, indented two spaces per enclosing block. */
#ifndef CHARTER_JSON_H
#define CHARTER_JSON_H

#include "buf.h"

/* Appends s[0..len) as a JSON string literal, quotes included: " and \
 * escaped, \n \t \r as such and the other control characters (and DEL) as
 * \u00XX; invalid UTF-8 bytes become \ufffd, so the output is always valid. */
void json_string(buf *out, const char *s, size_t len);

typedef enum json_style {
    JSON_LINE = 0,  /* members on the container's line, separated by ", " */
    JSON_BLOCK = 1, /* each member on its own line; the closer on a line of its own */
} json_style;

/* The writer's state; the fields are private. A value written where a member
 * or element is expected gets its comma and line first; after json_key it
 * follows the ": ". Misuse (a key in an array, closing what is not open) is
 * not detected: the callers are the fixed shapes of charter's outputs. */
typedef struct json_writer {
    buf *out;
    int indent;           /* indentation level of the innermost block */
    size_t depth;         /* open containers */
    size_t cap;           /* of levels */
    unsigned char *level; /* per open container: its style and flags (json.c) */
    int after_key;
} json_writer;

/* Starts writing to out (borrowed; it must outlive the writer) at indentation
 * level `indent`: 0 for a document, more for a value inside a document
 * written elsewhere. Release with json_writer_release. */
void json_writer_init(json_writer *w, buf *out, int indent);
/* Frees the writer's state (not out). Accepts NULL. */
void json_writer_release(json_writer *w);

/* Opens an object or an array in `style`; close it with json_end. */
void json_begin_object(json_writer *w, json_style style);
void json_begin_array(json_writer *w, json_style style);
/* Closes the innermost open container ({} and [] when it has no member). */
void json_end(json_writer *w);

/* Writes an object member's key (s[0..len) for json_keyn); the next value
 * is its value. */
void json_key(json_writer *w, const char *key);
void json_keyn(json_writer *w, const char *key, size_t len);
/* Values; json_str writes NULL as null. */
void json_str(json_writer *w, const char *s);
void json_strn(json_writer *w, const char *s, size_t len);
void json_int(json_writer *w, long long v);
void json_bool(json_writer *w, int v);
void json_null(json_writer *w);

/* Counts a member written into the innermost container by other means (a
 * copy of bytes json_* wrote, its comma and line included), so that the
 * next one gets its comma. */
void json_member_written(json_writer *w);

/* A member in one call: json_key(w, key), then the value. */
void json_member_str(json_writer *w, const char *key, const char *s);
void json_member_int(json_writer *w, const char *key, long long v);

#endif
