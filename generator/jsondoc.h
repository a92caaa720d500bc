/* jsondoc: parses JSON (RFC 8259) through jansson, the only module that
 * includes jansson.h, into a read-only tree. Input must be valid UTF-8 and
 * may not repeat a key in an object; errors are reported with the line and
 * column jansson gives (check id json). Writing JSON is json.h's job. */
#ifndef CHARTER_JSONDOC_H
#define CHARTER_JSONDOC_H

#include "diag.h"

#include <stddef.h>

typedef enum jsondoc_kind {
    JSONDOC_NULL,
    JSONDOC_BOOL,
    JSONDOC_NUMBER,
    JSONDOC_STRING,
    JSONDOC_ARRAY,
    JSONDOC_OBJECT
} jsondoc_kind;

/* A parsed document (owns every node) and one of its values (borrowed from
 * the document, valid while it lives). Layouts are private. */
typedef struct jsondoc jsondoc;
typedef struct jsondoc_node jsondoc_node;

/* Nesting of arrays and objects a document may have by default. */
#define JSONDOC_MAX_DEPTH 64

/* Parses text[0..len) (a leading UTF-8 byte order mark is skipped), `file`
 * naming it in messages. Arrays and objects nested deeper than max_depth
 * (0: JSONDOC_MAX_DEPTH) are refused before jansson sees them; the caller
 * bounds len. Returns 0 and a new document in *out (caller frees with
 * jsondoc_free), or -1 after reporting "file:line:col: ... [json]". */
int jsondoc_parse(jsondoc **out, const char *text, size_t len, const char *file, size_t max_depth,
                  diags *d);
/* Frees the document and every node; accepts NULL. */
void jsondoc_free(jsondoc *doc);
/* The top-level value. Borrowed. */
const jsondoc_node *jsondoc_root(const jsondoc *doc);

/* The accessors accept NULL (a missing member) and then return NULL or 0. */
/* The kind of n (JSONDOC_NULL for NULL). */
jsondoc_kind jsondoc_kind_of(const jsondoc_node *n);
/* An object's member named key, or NULL (also when n is no object). */
const jsondoc_node *jsondoc_get(const jsondoc_node *n, const char *key);
/* An array's length, an object's member count; 0 for anything else. */
size_t jsondoc_len(const jsondoc_node *n);
/* An array's item i, or NULL when out of range or n is no array. */
const jsondoc_node *jsondoc_item(const jsondoc_node *n, size_t i);
/* A string's UTF-8 text (NUL-free: jansson refuses \u0000), or NULL when n
 * is no string. Borrowed. */
const char *jsondoc_string(const jsondoc_node *n);
/* A number's value in *out: 0, or -1 when n is no number. */
int jsondoc_number(double *out, const jsondoc_node *n);
/* A boolean's value in *out: 0, or -1 when n is no boolean. */
int jsondoc_bool(int *out, const jsondoc_node *n);

/* Iterates an object's members in document order: start with it zeroed;
 * each call sets *key and *value (borrowed) and returns 1, then 0 at the
 * end (or at once when obj is no object). */
typedef struct jsondoc_iter {
    void *at;
    int started;
} jsondoc_iter;
int jsondoc_next(jsondoc_iter *it, const jsondoc_node *obj, const char **key,
                 const jsondoc_node **value);

/* The linked jansson's version ("2.14"), for charter --version. */
const char *jsondoc_jansson_version(void);

#endif
