/* frontmatter: finds the Jekyll-style front matter block at the top of a
 * Markdown or layout file and parses it with yaml.c, with line numbers counted
 * in the whole file. Works on lengths, not NUL terminators, and accepts a
 * UTF-8 BOM and CRLF line ends (libyaml reads CRLF as one line break). */
#include "frontmatter.h"

#include <string.h>

/* Index of the '\n' ending the line that starts at `pos`, or len. */
static size_t line_end(const char *text, size_t len, size_t pos)
{
    const char *nl = memchr(text + pos, '\n', len - pos);
    return nl ? (size_t)(nl - text) : len;
}

/* True if s[0..n) is the three-character `mark` followed only by spaces, tabs
 * or a CR. Trailing blanks are tolerated on the closing line too, as Jekyll
 * does: inside the YAML such a line would be a second document anyway. */
static int is_marker_line(const char *s, size_t n, const char *mark)
{
    if (n < 3 || memcmp(s, mark, 3) != 0)
        return 0;
    for (size_t i = 3; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* Finds the line closing a front matter block that starts at `from` (on
 * line `line`): `---`, or also `...` when dots is set. Sets *yaml_end to
 * its start and fm's body_start and body_line to the line after it.
 * Returns 1, or 0 when no line closes the block. */
static int find_closer(const char *text, size_t len, size_t from, int line, int dots,
                       size_t *yaml_end, frontmatter *fm)
{
    for (size_t p = from; p < len; line++) {
        size_t end = line_end(text, len, p);
        if (is_marker_line(text + p, end - p, "---") ||
            (dots && is_marker_line(text + p, end - p, "..."))) {
            *yaml_end = p;
            fm->body_start = end < len ? end + 1 : len;
            fm->body_line = line + 1;
            return 1;
        }
        p = end + 1;
    }
    return 0;
}

/* A character of a plain key's name. */
static int is_key_char(char c)
{
    return c == '_' || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* True if s[0..n) starts like a YAML mapping key: a name, then ':' at the
 * end or before a blank (a Markdown first line rarely does). */
static int starts_with_key(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_key_char(s[i]))
        i++;
    return i > 0 && i < n && s[i] == ':' && (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\r');
}

int frontmatter_parse(frontmatter *out, const char *text, size_t len, const char *file, diags *d)
{
    return frontmatter_parse_limited(out, text, len, file, NULL, d);
}

int frontmatter_parse_limited(frontmatter *out, const char *text, size_t len, const char *file,
                              const fm_limits *lim, diags *d)
{
    int err = -1;
    frontmatter fm = {.data = NULL, .present = 0, .body_start = 0, .body_line = 1};
    size_t pos = 0, end, yaml_start, yaml_end = 0;
    int line;

    memset(out, 0, sizeof *out);
    if (!text)
        text = "";
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    end = line_end(text, len, pos);
    if (lim && lim->fenceless && !is_marker_line(text + pos, end - pos, "---") &&
        starts_with_key(text + pos, end - pos)) {
        /* comply's header: YAML from the first line to a `---` line. */
        if (find_closer(text, len, pos, 1, 0, &yaml_end, &fm)) {
            yaml_start = pos;
            line = 0; /* the YAML starts on line 1 */
            goto parse;
        }
    }
    if (!is_marker_line(text + pos, end - pos, "---")) {
        /* An empty document is an empty mapping. */
        if (yamltree_parse(&fm.data, "", 0, file, 0, d))
            goto done;
        fm.body_start = pos;
        goto ok;
    }

    yaml_start = end < len ? end + 1 : len;
    if (!find_closer(text, len, yaml_start, 2, 1, &yaml_end, &fm)) {
        diag_error(d, file, 1, 1, "frontmatter-unterminated",
                   "front matter opened here is never closed with '---'");
        goto done;
    }
    line = 1; /* the YAML starts on line 2 */
parse:
    if (lim && lim->block_bytes && yaml_end - yaml_start > lim->block_bytes) {
        diag_error(d, file, 1, 1, "too-large",
                   "front matter is %zu bytes, over the limit of %zu (limits.frontmatter_bytes)",
                   yaml_end - yaml_start, lim->block_bytes);
        goto done;
    }
    if (yamltree_parse_limited(&fm.data, text + yaml_start, yaml_end - yaml_start, file, line,
                               lim ? &lim->yaml : NULL, d))
        goto done;
    if (yamltree_kind(fm.data) != YAML_MAPPING) {
        diag_error(d, file, yamltree_line(fm.data), yamltree_col(fm.data), "invalid-type",
                   "front matter must be a mapping of keys to values");
        goto done;
    }
    fm.present = 1;
ok:
    *out = fm;
    fm.data = NULL;
    err = 0;
done:
    yamltree_free(fm.data);
    return err;
}

void frontmatter_release(frontmatter *fm)
{
    if (!fm)
        return;
    yamltree_free(fm->data);
    fm->data = NULL;
}

/* --- frontmatter_scalars: the plain shape, without libyaml --------------------- */

/* At most this many keys: duplicates are looked for pair by pair. */
#define SCALARS_MAX_KEYS 64

/* Characters that may not start a plain value (YAML's indicators, and the
 * `-` and `.` that could open a document or sequence marker). */
static int opens_other(char c)
{
    return strchr("-?:,[]{}#&*!|>'\"%@`.~ ", c) != NULL;
}

/* A one-line flow list's inside, "a, b c, A.5.1": words of letters, digits
 * and `._/+()` joined by single spaces, items separated by ", ". */
static int simple_list(const char *s, size_t n)
{
    if (n == 0)
        return 1;
    int at_item_start = 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (is_key_char(c) || strchr("._/+()", c)) {
            if (at_item_start && (c == '-' || c == '.'))
                return 0;
            at_item_start = 0;
        } else if (c == ',' && !at_item_start && i + 1 < n && s[i + 1] == ' ') {
            at_item_start = 1;
            i++;
        } else if (c == ' ' && !at_item_start && i + 1 < n && s[i + 1] != ' ' && s[i + 1] != ',') {
            continue;
        } else {
            return 0;
        }
    }
    return !at_item_start;
}

/* One line's value, after "key:" (v[0..n), trailing blanks included): 1
 * and *out when it is one of the plain shapes, else 0. A null or a list
 * gives out->text NULL. */
static int simple_value(fm_scalar *out, const char *v, size_t n)
{
    *out = (fm_scalar){NULL, 0};
    while (n > 0 && v[n - 1] == ' ')
        n--;
    if (n == 0)
        return 1; /* `key:`: null */
    if (v[0] != ' ')
        return 0; /* `key:value` is one plain scalar, not a pair */
    size_t i = 0;
    while (i < n && v[i] == ' ')
        i++;
    const char *s = v + i;
    size_t m = n - i;
    if (s[0] == '"' || s[0] == '\'') {
        /* Quoted: no escape, no quote inside, nothing after it. */
        if (m < 2 || s[m - 1] != s[0])
            return 0;
        for (size_t k = 1; k + 1 < m; k++)
            if (s[k] == s[0] || s[k] == '\\')
                return 0;
        *out = (fm_scalar){s + 1, m - 2};
        return 1;
    }
    if (s[0] == '[')
        return s[m - 1] == ']' && simple_list(s + 1, m - 2);
    if (opens_other(s[0]))
        return 0;
    for (size_t k = 0; k < m; k++) {
        /* ": " or a final ':' would open a mapping, " #" a comment. */
        if (s[k] == ':' && (k + 1 == m || s[k + 1] == ' '))
            return 0;
        if (s[k] == '#' && s[k - 1] == ' ')
            return 0;
    }
    if ((m == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4))))
        return 1; /* a plain null (`~` opens_other) */
    *out = (fm_scalar){s, m};
    return 1;
}

int frontmatter_scalars(fm_scalar *out, const char *text, size_t len, const char *const *keys,
                        size_t n)
{
    for (size_t k = 0; k < n; k++)
        out[k] = (fm_scalar){NULL, 0};
    if (!text)
        return 1;
    size_t end = line_end(text, len, 0), yaml_start, yaml_end = 0;
    /* No front matter (a BOM first is left to the parser): an empty
     * mapping. */
    if (len >= 3 && (unsigned char)text[0] == 0xEF)
        return 0;
    if (!is_marker_line(text, end, "---"))
        return 1;
    frontmatter fm;
    yaml_start = end < len ? end + 1 : len;
    if (!find_closer(text, len, yaml_start, 2, 1, &yaml_end, &fm))
        return 1; /* never closed: an error, so no values */
    /* Every line `key: value` or a comment; only printable ASCII. */
    const char *key_at[SCALARS_MAX_KEYS];
    size_t key_len[SCALARS_MAX_KEYS], n_keys = 0;
    fm_scalar found[SCALARS_MAX_KEYS];
    for (size_t p = yaml_start; p < yaml_end;) {
        size_t e = line_end(text, yaml_end, p);
        const char *s = text + p;
        size_t m = e - p;
        for (size_t k = 0; k < m; k++)
            if (s[k] < 0x20 || s[k] > 0x7e)
                return 0;
        if (m > 0 && s[0] != '#') {
            size_t k = 0;
            while (k < m && is_key_char(s[k]))
                k++;
            if (k == 0 || s[0] == '-' || k == m || s[k] != ':' || n_keys == SCALARS_MAX_KEYS ||
                !simple_value(&found[n_keys], s + k + 1, m - k - 1))
                return 0;
            for (size_t j = 0; j < n_keys; j++)
                if (key_len[j] == k && !memcmp(key_at[j], s, k))
                    return 0; /* a duplicate: the parser reports it */
            key_at[n_keys] = s;
            key_len[n_keys++] = k;
        }
        p = e + 1;
    }
    if (n_keys == 0)
        return 0; /* nothing but comments: not a mapping */
    for (size_t k = 0; k < n; k++)
        for (size_t j = 0; j < n_keys; j++)
            if (key_len[j] == strlen(keys[k]) && !memcmp(key_at[j], keys[k], key_len[j]))
                out[k] = found[j];
    return 1;
}
