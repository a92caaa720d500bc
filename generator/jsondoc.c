/* jsondoc: JSON parsing through jansson (see jsondoc.h). jansson checks
 * UTF-8, duplicate keys (JSON_REJECT_DUPLICATES) and \u0000 (refused
 * without JSON_ALLOW_NUL) and gives line and column; its own nesting cap
 * (2048, a recursive descent) is far above ours, which a scan enforces
 * first so no input costs more than max_depth frames; the same scan
 * refuses a NUL byte. */
#include "jsondoc.h"

#include "buf.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct jsondoc {
    json_t *root;
};

/* The nodes are jansson's own values: jsondoc_node is never defined, only
 * cast to and from json_t. */
static const json_t *J(const jsondoc_node *n)
{
    return (const json_t *)n;
}

static const jsondoc_node *N(const json_t *j)
{
    return (const jsondoc_node *)j;
}

/* Refuses nesting deeper than max, and a NUL byte, which JSON allows
 * nowhere (jansson reads one that ends a number as the end of the text:
 * "4\0" was 4): scans the brackets outside strings, counting lines and
 * characters as jansson does. 0, or -1 after reporting at the first bracket
 * too deep or the first NUL. */
static int check_text(const char *text, size_t len, const char *file, size_t max, diags *d)
{
    size_t depth = 0;
    int line = 1, col = 0, in_string = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            line++;
            col = 0;
            continue;
        }
        if ((c & 0xC0) != 0x80)
            col++;
        if (c == '\0')
            return diag_error(d, file, line, col, "json", "invalid JSON: a NUL byte");
        if (in_string) {
            if (c == '\\' && i + 1 < len && text[i + 1] != '\n')
                i++, col++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                return diag_error(d, file, line, col, "json",
                                  "arrays and objects nested deeper than %zu levels", max);
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return 0;
}

int jsondoc_parse(jsondoc **out, const char *text, size_t len, const char *file, size_t max_depth,
                  diags *d)
{
    *out = NULL;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        text += 3, len -= 3;
    if (check_text(text, len, file, max_depth ? max_depth : JSONDOC_MAX_DEPTH, d) != 0)
        return -1;
    json_error_t e;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
    if (!root) {
        int line = e.line > 0 ? e.line : 0, col = line && e.column > 0 ? e.column : 0;
        /* jansson's texts are lowercase and unpunctuated already ("'[' or
         * '{' expected near end of file"); this one names its own flag. */
        if (json_error_code(&e) == json_error_null_character)
            return diag_error(d, file, line, col, "json",
                              "invalid JSON: a string holds \\u0000, which charter does not read");
        return diag_error(d, file, line, col, "json", "invalid JSON: %s", e.text);
    }
    jsondoc *doc = xcalloc(1, sizeof *doc);
    doc->root = root;
    *out = doc;
    return 0;
}

void jsondoc_free(jsondoc *doc)
{
    if (!doc)
        return;
    json_decref(doc->root);
    free(doc);
}

const jsondoc_node *jsondoc_root(const jsondoc *doc)
{
    return doc ? N(doc->root) : NULL;
}

jsondoc_kind jsondoc_kind_of(const jsondoc_node *n)
{
    switch (n ? json_typeof(J(n)) : JSON_NULL) {
    case JSON_OBJECT:
        return JSONDOC_OBJECT;
    case JSON_ARRAY:
        return JSONDOC_ARRAY;
    case JSON_STRING:
        return JSONDOC_STRING;
    case JSON_INTEGER:
    case JSON_REAL:
        return JSONDOC_NUMBER;
    case JSON_TRUE:
    case JSON_FALSE:
        return JSONDOC_BOOL;
    case JSON_NULL:
        break;
    }
    return JSONDOC_NULL;
}

const jsondoc_node *jsondoc_get(const jsondoc_node *n, const char *key)
{
    return n && json_is_object(J(n)) ? N(json_object_get(J(n), key)) : NULL;
}

size_t jsondoc_len(const jsondoc_node *n)
{
    if (!n)
        return 0;
    if (json_is_array(J(n)))
        return json_array_size(J(n));
    if (json_is_object(J(n)))
        return json_object_size(J(n));
    return 0;
}

const jsondoc_node *jsondoc_item(const jsondoc_node *n, size_t i)
{
    return n && json_is_array(J(n)) ? N(json_array_get(J(n), i)) : NULL;
}

const char *jsondoc_string(const jsondoc_node *n)
{
    return n && json_is_string(J(n)) ? json_string_value(J(n)) : NULL;
}

int jsondoc_number(double *out, const jsondoc_node *n)
{
    if (!n || !json_is_number(J(n)))
        return -1;
    *out = json_number_value(J(n));
    return 0;
}

int jsondoc_bool(int *out, const jsondoc_node *n)
{
    if (!n || !json_is_boolean(J(n)))
        return -1;
    *out = json_is_true(J(n));
    return 0;
}

int jsondoc_next(jsondoc_iter *it, const jsondoc_node *obj, const char **key,
                 const jsondoc_node **value)
{
    if (!obj || !json_is_object(J(obj)))
        return 0;
    /* jansson keeps an object's members in insertion order (since 2.8), so
     * this is document order. Its iterator API takes a non-const object
     * but does not change it. */
    json_t *o = (json_t *)J(obj);
    it->at = it->started ? json_object_iter_next(o, it->at) : json_object_iter(o);
    it->started = 1;
    if (!it->at)
        return 0;
    *key = json_object_iter_key(it->at);
    *value = N(json_object_iter_value(it->at));
    return 1;
}

const char *jsondoc_jansson_version(void)
{
    return jansson_version_str();
}
