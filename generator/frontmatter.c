/* frontmatter: finds the front matter block at the top of a Markdown or
 * layout file (YAML's `---`, TOML's `+++`, or Hugo's JSON object) and parses
 * it, with line numbers counted in the whole file. Works on lengths, not NUL
 * terminators, and accepts a UTF-8 BOM and CRLF line ends (libyaml reads CRLF
 * as one line break). */
#include "frontmatter.h"
#include "buf.h"
#include "jsondoc.h"
#include "toml.h"

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
 * line `line`): `mark`, or also `also` (may be NULL). Sets *yaml_end to
 * its start and fm's body_start and body_line to the line after it.
 * Returns 1, or 0 when no line closes the block. */
static int find_marker(const char *text, size_t len, size_t from, int line, const char *also,
                       const char *mark, size_t *yaml_end, frontmatter *fm)
{
    for (size_t p = from; p < len; line++) {
        size_t end = line_end(text, len, p);
        if (is_marker_line(text + p, end - p, mark) ||
            (also && is_marker_line(text + p, end - p, also))) {
            *yaml_end = p;
            fm->body_start = end < len ? end + 1 : len;
            fm->body_line = line + 1;
            return 1;
        }
        p = end + 1;
    }
    return 0;
}

/* `---`, or also `...` when dots is set: find_marker for YAML. */
static int find_closer(const char *text, size_t len, size_t from, int line, int dots,
                       size_t *yaml_end, frontmatter *fm)
{
    return find_marker(text, len, from, line, dots ? "..." : NULL, "---", yaml_end, fm);
}

/* True if s[0..n) starts like a YAML mapping key: a name, then ':' at the
 * end or before a blank (a Markdown first line rarely does). */
static int starts_with_key(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == '_' || s[i] == '-' || (s[i] >= 'a' && s[i] <= 'z') ||
                     (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
        i++;
    return i > 0 && i < n && s[i] == ':' && (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\r');
}

/* Hugo's JSON front matter: a first line starting `{` whose next character
 * after blanks opens a key or closes the object (so `{{< shortcode >}}`,
 * `{% liquid %}` and `{#id}` are bodies). Returns 1 and sets *close to the
 * index of the `}` closing the object (outside strings), or 0 when the text
 * does not start so; -1 when the object is never closed, -2 (*close set)
 * when a `]` closes it. */
static int json_block(const char *text, size_t len, size_t pos, size_t *close)
{
    if (pos >= len || text[pos] != '{')
        return 0;
    size_t i = pos + 1;
    while (i < len && strchr(" \t\r\n", text[i]) && text[i])
        i++;
    if (i >= len || (text[i] != '"' && text[i] != '}'))
        return 0;
    size_t depth = 0;
    for (i = pos; i < len; i++) {
        char c = text[i];
        if (c == '"') {
            for (i++; i < len && text[i] != '"'; i++)
                if (text[i] == '\\')
                    i++;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            *close = i;
            return c == '}' ? 1 : -2;
        }
    }
    return -1;
}

static int hex4(const char *s, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int h = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (h < 0)
            return 0;
        *v = *v << 4 | (unsigned)h;
    }
    return 1;
}

/* JSON writes a character beyond U+FFFF as a surrogate pair of escapes
 * ("\ud83d\ude00"), which libyaml refuses: into out as YAML's one escape
 * ("\U0001F600"), when the block holds any (jansson checked it is JSON).
 * Returns 1 when out holds the block so written, else 0. */
static int json_surrogates(buf *out, const char *s, size_t n)
{
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) {
            if (any)
                buf_addc(out, s[i]);
            continue;
        }
        unsigned hi, lo;
        if (s[i + 1] == 'u' && i + 12 <= n && hex4(s + i + 2, &hi) && hi >= 0xD800 &&
            hi <= 0xDBFF && s[i + 6] == '\\' && s[i + 7] == 'u' && hex4(s + i + 8, &lo) &&
            lo >= 0xDC00 && lo <= 0xDFFF) {
            if (!any) {
                buf_add(out, s, i);
                any = 1;
            }
            buf_printf(out, "\\U%08X", 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
            i += 11;
            continue;
        }
        if (any) /* any other escape, whole: "\\" is not the start of one */
            buf_add(out, s + i, 2);
        i++;
    }
    return any;
}

int frontmatter_parse(frontmatter *out, const char *text, size_t len, const char *file, diags *d)
{
    return frontmatter_parse_limited(out, text, len, file, NULL, d);
}

/* Text in another encoding (Latin-1's 'é') in text[from, to): said as the
 * body's is, at the byte (invalid-utf8), not as the parser's error a
 * column after it. 1 when reported, else 0. */
/* The line and column (in characters) of text[at], from the file's top. */
static void position_of(const char *text, size_t at, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < at; i++) {
        if (text[i] == '\n')
            ++*line, *col = 1;
        else
            *col += ((unsigned char)text[i] & 0xC0) != 0x80;
    }
}

static int bad_utf8(const char *text, size_t from, size_t to, const char *file, diags *d)
{
    for (size_t i = from; i < to;) {
        const unsigned char *u = (const unsigned char *)text + i;
        size_t n = *u < 0x80 ? 1 : utf8_seq_len(u, to - i);
        if (n) {
            i += n;
            continue;
        }
        int at_line, col;
        position_of(text, i, &at_line, &col);
        diag_error(d, file, at_line, col, "invalid-utf8", "invalid UTF-8 byte 0x%02x", *u);
        return 1;
    }
    return 0;
}

int frontmatter_parse_limited(frontmatter *out, const char *text, size_t len, const char *file,
                              const fm_limits *lim, diags *d)
{
    int err = -1;
    buf json_text;
    buf_init(&json_text);
    frontmatter fm = {
        .data = NULL, .present = 0, .body_start = 0, .body_line = 1, .format = FM_YAML};
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
    size_t close = 0;
    int json = json_block(text, len, pos, &close);
    if (json == -2) {
        /* At the ']': its line, and its column in characters. */
        int at_line, col;
        position_of(text, close, &at_line, &col);
        diag_error(d, file, at_line, col, "json",
                   "front matter opened with '{' on line 1 is closed here with ']', not '}'");
        goto done;
    }
    if (json < 0) {
        diag_error(d, file, 1, 1, "frontmatter-unterminated",
                   "front matter opened here with '{' is never closed with '}'");
        goto done;
    }
    if (json) {
        /* The body starts after the '}', on the next line when nothing
         * else follows it on its own. */
        fm.format = FM_JSON;
        yaml_start = pos;
        yaml_end = close + 1;
        int at = 1;
        for (const char *q = text; (q = memchr(q, '\n', close - (size_t)(q - text))) != NULL; q++)
            at++;
        size_t after = close + 1, eol = line_end(text, len, after);
        int blank = 1;
        for (size_t i = after; i < eol; i++)
            blank &= text[i] == ' ' || text[i] == '\t' || text[i] == '\r';
        fm.body_start = blank ? (eol < len ? eol + 1 : len) : after;
        fm.body_line = blank ? at + 1 : at;
        line = 0; /* the JSON starts on line 1 */
        goto parse;
    }
    if (is_marker_line(text + pos, end - pos, "+++")) {
        /* Hugo's TOML front matter, between `+++` lines. */
        size_t toml_start = end < len ? end + 1 : len, toml_end = 0;
        if (!find_marker(text, len, toml_start, 2, NULL, "+++", &toml_end, &fm)) {
            diag_error(d, file, 1, 1, "frontmatter-unterminated",
                       "front matter opened here is never closed with '+++'");
            goto done;
        }
        if (lim && lim->block_bytes && toml_end - toml_start > lim->block_bytes) {
            diag_error(d, file, 1, 1, "too-large",
                       "front matter is %zu bytes, over the limit of %zu "
                       "(limits.frontmatter_bytes)",
                       toml_end - toml_start, lim->block_bytes);
            goto done;
        }
        if (bad_utf8(text, toml_start, toml_end, file, d))
            goto done;
        if (toml_parse(&fm.data, text + toml_start, toml_end - toml_start, file, 1,
                       lim ? &lim->yaml : NULL, d) != 0)
            goto done;
        fm.format = FM_TOML;
        fm.present = 1;
        goto ok;
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
    if (bad_utf8(text, yaml_start, yaml_end, file, d))
        goto done;
    if (fm.format == FM_JSON) {
        /* JSON, as Hugo reads it (libyaml would take YAML's flow syntax
         * too): its errors at their place, with the id json. */
        jsondoc *doc = NULL;
        int bad = jsondoc_parse(&doc, text, yaml_end, file, 0, d);
        jsondoc_free(doc);
        if (bad != 0)
            goto done;
    }
    const char *block = text + yaml_start;
    size_t block_len = yaml_end - yaml_start;
    if (fm.format == FM_JSON && json_surrogates(&json_text, block, block_len)) {
        block = json_text.data;
        block_len = json_text.len;
    }
    if (yamltree_parse_limited(&fm.data, block, block_len, file, line, lim ? &lim->yaml : NULL, d))
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
    buf_release(&json_text);
    return err;
}

void frontmatter_release(frontmatter *fm)
{
    if (!fm)
        return;
    yamltree_free(fm->data);
    fm->data = NULL;
}
