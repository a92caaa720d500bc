/* toml: reads TOML front matter (Hugo's `+++` block) into the tree yamltree
 * gives YAML, with the line and column of every node, so a page's keys read
 * the same whichever it is written in. Strings become quoted scalars;
 * numbers, booleans, dates and times plain ones, as YAML's would be. No
 * Debian package parses TOML in C; this reads TOML 1.0 in one pass, with
 * explicit bounds on nesting, keys and value sizes. */
#include "toml.h"

#include "buf.h"
#include "map.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_DEPTH = 64,      /* arrays, inline tables and key parts, as yamltree's */
    MAX_KEYS = 100000,   /* when no limit is given */
    MAX_ITEMS = 1000000, /* items of all arrays */
};

typedef struct tp {
    const char *s;
    size_t len, pos;
    int line;                 /* of pos, 1-based in the block */
    size_t line_start;        /* offset of that line */
    size_t col_line, col_pos; /* at_col's last answer: col at col_pos, on col_line */
    int col;
    const char *file;
    int line_offset;
    const yamltree_limits *lim;
    diags *d;
    size_t keys, items;
    /* What each table and array is, by its node's address (node_key), so
     * that no spelling of a key can pass for another's: */
    map *kinds;
    /* each mapping's members, by the mapping's address and the key's bytes
     * (member_key): found at once, NUL bytes and all. */
    map *members;
    buf scratch; /* member_key's */
    yaml_node *root;
} tp;

/* What a table or array is (map kinds): */
enum {
    T_DEFINED = 1, /* a table a [header] named: not named twice */
    T_ARRAY = 2,   /* an array of tables ([[header]]) */
    T_DOTTED = 4,  /* a table a dotted key made or went through: no [header] names it */
    T_INLINE = 8,  /* an inline table: nothing extends it */
};

/* The column of pos on the current line, counted in characters from the
 * last position asked for when that is on the same line and before it:
 * nodes are asked for in order, so a line of 100,000 values is counted
 * once, not once per value. */
static int at_col(tp *t, size_t pos)
{
    if (t->col_line != t->line_start || t->col_pos > pos) {
        t->col_line = t->line_start;
        t->col_pos = t->line_start;
        t->col = 1;
    }
    for (size_t i = t->col_pos; i < pos && i < t->len; i++)
        t->col += ((unsigned char)t->s[i] & 0xC0) != 0x80;
    if (pos > t->col_pos)
        t->col_pos = pos < t->len ? pos : t->len;
    return t->col;
}

__attribute__((format(printf, 4, 5))) static int fail_at(tp *t, size_t pos, const char *id,
                                                         const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_error(t->d, t->file, t->line + t->line_offset, at_col(t, pos), id, "%s", msg);
    return -1;
}

#define FAIL(t, ...) fail_at((t), (t)->pos, "toml-syntax", __VA_ARGS__)

static int peek(const tp *t, size_t ahead)
{
    return t->pos + ahead < t->len ? (unsigned char)t->s[t->pos + ahead] : -1;
}

static void skip_blanks(tp *t)
{
    while (peek(t, 0) == ' ' || peek(t, 0) == '\t')
        t->pos++;
}

/* A newline at pos ("\n" or "\r\n"): consumed, the line counted; 1. */
static int take_newline(tp *t)
{
    size_t n = peek(t, 0) == '\n' ? 1 : peek(t, 0) == '\r' && peek(t, 1) == '\n' ? 2 : 0;
    if (!n)
        return 0;
    t->pos += n;
    t->line++;
    t->line_start = t->pos;
    return 1;
}

/* A comment to the line's end; control characters other than tab refused. */
static size_t utf8_len(const unsigned char *s, size_t n);

static int skip_comment(tp *t)
{
    if (peek(t, 0) != '#')
        return 0;
    while (t->pos < t->len && t->s[t->pos] != '\n') {
        unsigned char c = (unsigned char)t->s[t->pos];
        if ((c < 0x20 && c != '\t' && !(c == '\r' && peek(t, 1) == '\n')) || c == 0x7f)
            return FAIL(t, "control character in a comment");
        size_t k = c < 0x80 ? 1 : utf8_len((const unsigned char *)t->s + t->pos, t->len - t->pos);
        if (!k)
            return FAIL(t, "invalid UTF-8 in a comment");
        t->pos += k;
    }
    return 0;
}

/* Blanks, comments and newlines (inside an array). */
static int skip_space(tp *t)
{
    for (;;) {
        skip_blanks(t);
        if (skip_comment(t) < 0)
            return -1;
        if (!take_newline(t))
            return 0;
    }
}

/* After a key/value pair or a table header: blanks, a comment, the line's end. */
static int end_line(tp *t)
{
    skip_blanks(t);
    if (skip_comment(t) < 0)
        return -1;
    if (t->pos >= t->len || take_newline(t))
        return 0;
    unsigned char c = (unsigned char)t->s[t->pos];
    if (c > 0x20 && c < 0x7f)
        return FAIL(t, "expected the end of the line after a value, not '%c'", c);
    return FAIL(t, "expected the end of the line after a value, not the byte 0x%02X", c);
}

/* The length of a valid UTF-8 character at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t k = s[0] < 0x80             ? 1
               : (s[0] & 0xE0) == 0xC0 ? 2
               : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4
                                       : 0;
    if (!k || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    uint32_t cp = k == 1 ? s[0] : k == 2 ? s[0] & 0x1F : k == 3 ? s[0] & 0x0F : s[0] & 0x07;
    for (size_t i = 1; i < k; i++)
        cp = cp << 6 | (s[i] & 0x3F);
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k;
}

static void add_utf8(buf *b, uint32_t cp)
{
    if (cp < 0x80) {
        buf_addc(b, (char)cp);
    } else if (cp < 0x800) {
        buf_addc(b, (char)(0xC0 | cp >> 6));
        buf_addc(b, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        buf_addc(b, (char)(0xE0 | cp >> 12));
        buf_addc(b, (char)(0x80 | (cp >> 6 & 0x3F)));
        buf_addc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        buf_addc(b, (char)(0xF0 | cp >> 18));
        buf_addc(b, (char)(0x80 | (cp >> 12 & 0x3F)));
        buf_addc(b, (char)(0x80 | (cp >> 6 & 0x3F)));
        buf_addc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* One character of a string's text at pos, appended to out: an escape in
 * a basic string, a newline in a multi-line one (with a line-ending
 * backslash, the blanks and newlines after it dropped). Returns 0, or -1
 * after reporting. */
static int string_char(tp *t, buf *out, int basic, int multi)
{
    unsigned char c = (unsigned char)t->s[t->pos];
    if (multi && (c == '\n' || (c == '\r' && peek(t, 1) == '\n'))) {
        /* A CRLF is a newline, as YAML's block scalars and Python's
         * tomllib read it: a page saved on Windows reads the same. */
        buf_addc(out, '\n');
        take_newline(t);
        return 0;
    }
    if ((c < 0x20 && c != '\t') || c == 0x7f)
        return FAIL(t, "control character in a string (write it as an escape)");
    if (c >= 0x80) {
        size_t k = utf8_len((const unsigned char *)t->s + t->pos, t->len - t->pos);
        if (!k)
            return FAIL(t, "invalid UTF-8 in a string");
        buf_add(out, t->s + t->pos, k);
        t->pos += k;
        return 0;
    }
    if (c != '\\' || !basic) {
        buf_addc(out, (char)c);
        t->pos++;
        return 0;
    }
    int e = peek(t, 1);
    if (multi && (e == ' ' || e == '\t' || e == '\n' || e == '\r')) {
        /* A line-ending backslash: the rest of the line must be blank. */
        size_t save = t->pos;
        t->pos++;
        skip_blanks(t);
        if (!take_newline(t)) {
            t->pos = save;
            return FAIL(t, "a backslash in a string must end its line or start an escape");
        }
        for (;;) {
            skip_blanks(t);
            if (!take_newline(t))
                break;
        }
        return 0;
    }
    static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
    const char *m = e > 0 ? strchr(from, e) : NULL;
    if (m && e) {
        buf_addc(out, to[m - from]);
        t->pos += 2;
        return 0;
    }
    if (e == 'u' || e == 'U') {
        int n = e == 'u' ? 4 : 8;
        uint32_t cp = 0;
        for (int i = 0; i < n; i++) {
            int h = hexval(peek(t, 2 + (size_t)i));
            if (h < 0)
                return FAIL(t, "'\\%c' needs %d hexadecimal digits", e, n);
            cp = cp << 4 | (uint32_t)h;
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return FAIL(t, "'\\%c%0*X' is not a Unicode character", e, n, (unsigned)cp);
        add_utf8(out, cp);
        t->pos += 2 + (size_t)n;
        return 0;
    }
    return FAIL(t, "unknown escape '\\%c'", e > 0x20 && e < 0x7f ? e : '?');
}

/* A string at pos (its opening quote), its text in out. */
static int read_string(tp *t, buf *out, int allow_multi)
{
    char q = t->s[t->pos];
    int basic = q == '"';
    int multi = allow_multi && peek(t, 1) == q && peek(t, 2) == q;
    size_t open = t->pos;
    int open_line = t->line, open_col = at_col(t, open);
    t->pos += multi ? 3 : 1;
    if (multi)
        take_newline(t); /* a newline right after the quotes is not text */
    for (;;) {
        if (t->pos >= t->len || (!multi && (t->s[t->pos] == '\n' || t->s[t->pos] == '\r'))) {
            return diag_error(t->d, t->file, open_line + t->line_offset, open_col, "toml-syntax",
                              "a string opened here is never closed");
        }
        if (t->s[t->pos] == q) {
            if (!multi) {
                t->pos++;
                return 0;
            }
            if (peek(t, 1) == q && peek(t, 2) == q) {
                /* Up to two more quotes belong to the text. */
                size_t extra = 0;
                while (extra < 2 && peek(t, 3 + extra) == q)
                    extra++;
                for (size_t i = 0; i < extra; i++)
                    buf_addc(out, q);
                t->pos += 3 + extra;
                return 0;
            }
        }
        if (string_char(t, out, basic, multi) != 0)
            return -1;
        if (t->lim && t->lim->scalar_bytes && out->len > t->lim->scalar_bytes)
            return diag_error(t->d, t->file, open_line + t->line_offset, open_col, "too-large",
                              "value is over the limit of %zu bytes (%s)", t->lim->scalar_bytes,
                              t->lim->scalar_name);
    }
}

/* Whether a bare key or plain value of n bytes at pos `at` (on the
 * current line) is over limits.scalar_bytes: reported, 1. */
static int too_long(tp *t, size_t at, size_t n)
{
    if (!t->lim || !t->lim->scalar_bytes || n <= t->lim->scalar_bytes)
        return 0;
    fail_at(t, at, "too-large", "value is over the limit of %zu bytes (%s)", t->lim->scalar_bytes,
            t->lim->scalar_name);
    return 1;
}

static int bare_key_char(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

/* A dotted key at pos: its parts (at most MAX_DEPTH) as new scalar nodes. */
static int read_key(tp *t, yaml_node **parts, size_t *n)
{
    *n = 0;
    buf k;
    buf_init(&k);
    int err = -1;
    for (;;) {
        skip_blanks(t);
        size_t at = t->pos;
        int line = t->line + t->line_offset, col = at_col(t, at);
        buf_reset(&k);
        if (peek(t, 0) == '"' || peek(t, 0) == '\'') {
            if (read_string(t, &k, 0) != 0)
                goto done;
        } else {
            while (bare_key_char(peek(t, 0)))
                t->pos++;
            if (t->pos == at) {
                FAIL(t, "expected a key");
                goto done;
            }
            if (too_long(t, at, t->pos - at))
                goto done;
            buf_add(&k, t->s + at, t->pos - at);
        }
        if (*n == MAX_DEPTH) {
            fail_at(t, at, "yaml-unsupported", "a key of more than %d parts", MAX_DEPTH);
            goto done;
        }
        parts[(*n)++] = yamltree_new_at(YAML_SCALAR, k.data ? k.data : "", k.len, 0, line, col);
        skip_blanks(t);
        if (peek(t, 0) != '.')
            break;
        t->pos++;
    }
    err = 0;
done:
    if (err)
        for (size_t i = 0; i < *n; i++)
            yamltree_free(parts[i]);
    buf_release(&k);
    return err;
}

/* An inline table's or any table's address, as a key of t->kinds. */
static void node_key(char out[32], const yaml_node *n)
{
    snprintf(out, 32, "%p", (const void *)n);
}

static unsigned kind_of(const tp *t, const yaml_node *n)
{
    char addr[32];
    node_key(addr, n);
    return (unsigned)(uintptr_t)map_get(t->kinds, addr);
}

static void mark(tp *t, const yaml_node *n, unsigned flags)
{
    char addr[32];
    node_key(addr, n);
    void **v = map_ref(t->kinds, addr);
    *v = (void *)((uintptr_t)*v | flags);
}

/* The member key of table m's key `key`: m's address, then the key's
 * bytes with NUL and '\\' escaped (map keys end at a NUL). */
static const char *member_key(tp *t, const yaml_node *m, const yaml_node *key)
{
    buf *b = &t->scratch;
    buf_reset(b);
    buf_printf(b, "%p/", (const void *)m);
    const char *k = yamltree_text(key);
    for (size_t i = 0, n = yamltree_text_len(key); i < n; i++) {
        if (k[i] == '\0' || k[i] == '\\')
            buf_addc(b, '\\');
        buf_addc(b, k[i] ? k[i] : '0');
    }
    return b->data;
}

/* Table m's member named by the scalar key, or NULL. */
static yaml_node *child(tp *t, const yaml_node *m, const yaml_node *key)
{
    return map_get(t->members, member_key(t, m, key));
}

/* Appends the pair key: value to table m (taking both). */
static void add_child(tp *t, yaml_node *m, yaml_node *key, yaml_node *value)
{
    map_put(t->members, member_key(t, m, key), value);
    yamltree_append(m, key, value);
}

/* Counts a key against the limits; -1 after reporting. */
static int count_key(tp *t, const yaml_node *key)
{
    size_t cap = t->lim && t->lim->keys ? t->lim->keys : MAX_KEYS;
    if (++t->keys <= cap)
        return 0;
    return diag_error(t->d, t->file, yamltree_line(key), yamltree_col(key), "too-large",
                      "more than %zu keys (%s)", cap,
                      t->lim && t->lim->keys ? t->lim->keys_name : "TOML front matter");
}

/* Walks parts[0, n) from m, making the tables missing: for an array of
 * tables, its newest table. pair: for a dotted key, which may go through
 * tables it or another dotted key made, or a [header] made on the way to
 * its own, but not into one a [header] named, an array of tables or an
 * inline table; each table it goes through is marked T_DOTTED. NULL after
 * reporting. Takes none of parts. */
static yaml_node *descend(tp *t, yaml_node *m, yaml_node *const *parts, size_t n, int pair)
{
    yaml_node *result = m;
    for (size_t i = 0; i < n && result; i++) {
        const yaml_node *part = parts[i];
        yaml_node *c = child(t, m, part);
        unsigned kind = c ? kind_of(t, c) : 0;
        const char *why = NULL;
        if (kind & T_INLINE)
            why = "is an inline table, which nothing extends";
        else if (pair && (kind & T_DEFINED))
            why = "is a table a [header] defines; a dotted key cannot add to it";
        else if (pair && (kind & T_ARRAY))
            why = "is an array of tables; a dotted key cannot add to it";
        else if (c && yamltree_kind(c) != YAML_MAPPING && !(kind & T_ARRAY))
            why = "is already a value, not a table";
        if (why) {
            diag_error(t->d, t->file, yamltree_line(part), yamltree_col(part), "yaml-duplicate-key",
                       "'%s' %s", yamltree_text(part), why);
            result = NULL;
            break;
        }
        if (!c) {
            if (count_key(t, part) != 0) {
                result = NULL;
                break;
            }
            c = yamltree_new_at(YAML_MAPPING, NULL, 0, 0, yamltree_line(part), yamltree_col(part));
            add_child(t, m, yamltree_copy(part, NULL), c);
        } else if (kind & T_ARRAY) {
            c = (yaml_node *)yamltree_item(c, yamltree_len(c) - 1); /* its newest table */
        }
        if (pair) /* no [header] may name it */
            mark(t, c, T_DOTTED);
        m = result = c;
    }
    return result;
}

static yaml_node *read_value(tp *t, int depth);

/* An array at pos ('['). */
static yaml_node *read_array(tp *t, int depth)
{
    yaml_node *a =
        yamltree_new_at(YAML_SEQUENCE, NULL, 0, 0, t->line + t->line_offset, at_col(t, t->pos));
    t->pos++;
    for (;;) {
        if (skip_space(t) != 0)
            goto fail;
        if (peek(t, 0) == ']') {
            t->pos++;
            return a;
        }
        if (++t->items > MAX_ITEMS) {
            FAIL(t, "more than %d items in arrays", MAX_ITEMS);
            goto fail;
        }
        yaml_node *v = read_value(t, depth + 1);
        if (!v)
            goto fail;
        yamltree_append(a, NULL, v);
        if (skip_space(t) != 0)
            goto fail;
        if (peek(t, 0) == ',') {
            t->pos++;
            continue;
        }
        if (peek(t, 0) == ']') {
            t->pos++;
            return a;
        }
        FAIL(t, t->pos < t->len ? "expected ',' or ']' in an array" : "an array is never closed");
        goto fail;
    }
fail:
    yamltree_free(a);
    return NULL;
}

static int put_pair(tp *t, yaml_node *table, int depth);

/* The '}' at pos closes inline table m: remembered, as nothing may
 * extend it. Returns m. */
static yaml_node *inline_closed(tp *t, yaml_node *m)
{
    t->pos++;
    mark(t, m, T_INLINE);
    return m;
}

/* An inline table at pos ('{'), on one line. */
static yaml_node *read_inline_table(tp *t, int depth)
{
    yaml_node *m =
        yamltree_new_at(YAML_MAPPING, NULL, 0, 0, t->line + t->line_offset, at_col(t, t->pos));
    t->pos++;
    skip_blanks(t);
    if (peek(t, 0) == '}')
        return inline_closed(t, m);
    for (;;) {
        if (put_pair(t, m, depth + 1) != 0)
            goto fail;
        skip_blanks(t);
        if (peek(t, 0) == ',') {
            t->pos++;
            continue;
        }
        if (peek(t, 0) == '}')
            return inline_closed(t, m);
        FAIL(t, "expected ',' or '}' in an inline table (on one line)");
        goto fail;
    }
fail:
    yamltree_free(m);
    return NULL;
}

/* Digits of the given kind from *p, single underscores only between
 * them; the number of digits (0: none, or a stray underscore). */
static size_t digits(const char **p, const char *end, int (*is)(int))
{
    size_t n = 0;
    while (*p < end && is((unsigned char)**p)) {
        (*p)++;
        n++;
        if (*p + 1 < end && **p == '_' && is((unsigned char)(*p)[1]))
            (*p)++;
    }
    return *p < end && **p == '_' ? 0 : n;
}

static int is_dec(int c)
{
    return c >= '0' && c <= '9';
}

static int is_hex(int c)
{
    return hexval(c) >= 0;
}

static int is_oct(int c)
{
    return c >= '0' && c <= '7';
}

static int is_bin(int c)
{
    return c == '0' || c == '1';
}

/* Exactly n decimal digits at p, as a number in *v. */
static int fixed(const char *p, const char *end, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (p + i >= end || !is_dec((unsigned char)p[i]))
            return 0;
        *v = *v * 10 + (p[i] - '0');
    }
    return 1;
}

/* HH:MM:SS[.frac] at *p, moved past it. */
static int time_of_day(const char **p, const char *end)
{
    int h, m, sec;
    const char *q = *p;
    if (!fixed(q, end, 2, &h) || q + 2 >= end || q[2] != ':' || !fixed(q + 3, end, 2, &m) ||
        q + 5 >= end || q[5] != ':' || !fixed(q + 6, end, 2, &sec) || h > 23 || m > 59 || sec > 60)
        return 0;
    q += 8;
    if (q < end && *q == '.') {
        q++;
        const char *f = q;
        while (q < end && is_dec((unsigned char)*q))
            q++;
        if (q == f)
            return 0;
    }
    *p = q;
    return 1;
}

/* Whether v[0, n) is a TOML boolean, number, date, time or date-time, as
 * TOML 1.0 writes them (12abc, 1__0, 01, 2024-1-1 and 1979-02-30 are not). */
static int plain_valid(const char *v, size_t n)
{
    const char *p = v, *end = v + n;
    if ((n == 4 && !memcmp(v, "true", 4)) || (n == 5 && !memcmp(v, "false", 5)))
        return 1;
    int y, mo, da;
    if (n >= 10 && fixed(p, end, 4, &y) && p[4] == '-' && fixed(p + 5, end, 2, &mo) &&
        p[7] == '-' && fixed(p + 8, end, 2, &da)) {
        static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (mo < 1 || mo > 12 || da < 1 || da > days[mo - 1] || (mo == 2 && da == 29 && !leap))
            return 0;
        p += 10;
        if (p == end)
            return 1;
        if (*p != 'T' && *p != 't' && *p != ' ')
            return 0;
        p++;
        if (!time_of_day(&p, end))
            return 0;
        if (p < end && (*p == 'Z' || *p == 'z'))
            p++;
        else if (p < end && (*p == '+' || *p == '-')) {
            int oh, om;
            if (!fixed(p + 1, end, 2, &oh) || p + 3 >= end || p[3] != ':' ||
                !fixed(p + 4, end, 2, &om) || oh > 23 || om > 59)
                return 0;
            p += 6;
        }
        return p == end;
    }
    if (n >= 8 && v[2] == ':')
        return time_of_day(&p, end) && p == end;
    if (n > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'o' || v[1] == 'b')) {
        p += 2;
        return digits(&p, end, v[1] == 'x' ? is_hex : v[1] == 'o' ? is_oct : is_bin) && p == end;
    }
    if (p < end && (*p == '+' || *p == '-'))
        p++;
    if ((end - p == 3 && (!memcmp(p, "inf", 3) || !memcmp(p, "nan", 3))))
        return 1;
    const char *int_start = p;
    if (!digits(&p, end, is_dec) || (*int_start == '0' && p - int_start > 1))
        return 0; /* no leading zeros */
    if (p < end && *p == '.') {
        p++;
        if (!digits(&p, end, is_dec))
            return 0;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!digits(&p, end, is_dec))
            return 0;
    }
    return p == end;
}

/* A number, boolean, date or time at pos: its text, a plain scalar
 * (underscores between digits dropped, as YAML's readers take numbers). */
static yaml_node *read_plain(tp *t)
{
    size_t at = t->pos;
    int line = t->line + t->line_offset, col = at_col(t, at);
    for (;;) {
        int c = peek(t, 0);
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            c == '_' || c == '+' || c == '-' || c == '.' || c == ':') {
            t->pos++;
            continue;
        }
        /* "1979-05-27 07:32:00": a date, a space, a time. */
        if (c == ' ' && t->pos - at == 10 && t->s[at + 4] == '-' && peek(t, 1) >= '0' &&
            peek(t, 1) <= '9' && peek(t, 3) == ':') {
            t->pos++;
            continue;
        }
        break;
    }
    size_t n = t->pos - at;
    const char *v = t->s + at;
    if (too_long(t, at, n))
        return NULL;
    int ok = n > 0;
    if (ok && !(n == 4 && !memcmp(v, "true", 4)) && !(n == 5 && !memcmp(v, "false", 5))) {
        /* A number, a date or a time starts with a digit, a sign, or is
         * inf or nan; whatever else it is is left to the readers. */
        int c = (unsigned char)v[0];
        size_t sign = c == '+' || c == '-', m = n - sign;
        const char *w = v + sign; /* m bytes: the text need not end in a NUL */
        ok = (m >= 1 && *w >= '0' && *w <= '9') ||
             (m >= 3 && (!memcmp(w, "inf", 3) || !memcmp(w, "nan", 3)));
    }
    if (!ok) {
        t->pos = at;
        FAIL(t, "expected a value: a \"string\", a number, true, false, a date, [an array] or "
                "{an inline table}");
        return NULL;
    }
    if (!plain_valid(v, n)) {
        t->pos = at;
        FAIL(t, "'%.*s' is no TOML value: not a number, a date, a time, true or false",
             (int)(n > 64 ? 64 : n), v);
        return NULL;
    }
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++)
        if (v[i] != '_')
            buf_addc(&b, v[i]);
    yaml_node *s = yamltree_new_at(YAML_SCALAR, b.data, b.len, 0, line, col);
    buf_release(&b);
    return s;
}

static yaml_node *read_value(tp *t, int depth)
{
    if (depth > MAX_DEPTH) {
        fail_at(t, t->pos, "yaml-unsupported", "values nested more than %d deep", MAX_DEPTH);
        return NULL;
    }
    int c = peek(t, 0);
    if (c == '"' || c == '\'') {
        int line = t->line + t->line_offset, col = at_col(t, t->pos);
        buf b;
        buf_init(&b);
        yaml_node *s = NULL;
        if (read_string(t, &b, 1) == 0)
            s = yamltree_new_at(YAML_SCALAR, b.data ? b.data : "", b.len, 1, line, col);
        buf_release(&b);
        return s;
    }
    if (c == '[')
        return read_array(t, depth);
    if (c == '{')
        return read_inline_table(t, depth);
    return read_plain(t);
}

/* key = value at pos, into table. */
static int put_pair(tp *t, yaml_node *table, int depth)
{
    yaml_node *parts[MAX_DEPTH];
    size_t n;
    if (read_key(t, parts, &n) != 0)
        return -1;
    int err = -1;
    yaml_node *v = NULL;
    skip_blanks(t);
    if (peek(t, 0) != '=') {
        FAIL(t, "expected '=' after the key '%s'", yamltree_text(parts[n - 1]));
        goto done;
    }
    t->pos++;
    skip_blanks(t);
    v = read_value(t, depth);
    if (!v)
        goto done;
    yaml_node *m = descend(t, table, parts, n - 1, 1);
    if (!m)
        goto done;
    yaml_node *key = parts[n - 1];
    if (child(t, m, key)) {
        diag_error(t->d, t->file, yamltree_line(key), yamltree_col(key), "yaml-duplicate-key",
                   "duplicate key '%s'", yamltree_text(key));
        goto done;
    }
    if (count_key(t, key) != 0)
        goto done;
    add_child(t, m, key, v);
    parts[n - 1] = NULL;
    v = NULL;
    err = 0;
done:
    yamltree_free(v);
    for (size_t i = 0; i < n; i++)
        yamltree_free(parts[i]);
    return err;
}

/* [table] or [[array.of.tables]] at pos; sets *cur to the table that the
 * pairs below go into. */
static int read_header(tp *t, yaml_node **cur)
{
    int array = peek(t, 1) == '[';
    t->pos += array ? 2 : 1;
    yaml_node *parts[MAX_DEPTH];
    size_t n;
    if (read_key(t, parts, &n) != 0)
        return -1;
    int err = -1;
    skip_blanks(t);
    if (peek(t, 0) != ']' || (array && peek(t, 1) != ']')) {
        FAIL(t, array ? "expected ']]' to close the table's name" : "expected ']'");
        goto done;
    }
    t->pos += array ? 2 : 1;
    yaml_node *m = descend(t, t->root, parts, n - 1, 0);
    if (!m)
        goto done;
    yaml_node *last = parts[n - 1], *c = child(t, m, last);
    unsigned kind = c ? kind_of(t, c) : 0;
    if (array) {
        if (!c) {
            if (count_key(t, last) != 0)
                goto done;
            c = yamltree_new_at(YAML_SEQUENCE, NULL, 0, 0, yamltree_line(last), yamltree_col(last));
            add_child(t, m, yamltree_copy(last, NULL), c);
            mark(t, c, T_ARRAY);
        } else if (!(kind & T_ARRAY)) {
            diag_error(t->d, t->file, yamltree_line(last), yamltree_col(last), "yaml-duplicate-key",
                       "'%s' is already defined, not as an array of tables", yamltree_text(last));
            goto done;
        }
        if (++t->items > MAX_ITEMS) {
            FAIL(t, "more than %d items in arrays", MAX_ITEMS);
            goto done;
        }
        yaml_node *item =
            yamltree_new_at(YAML_MAPPING, NULL, 0, 0, yamltree_line(last), yamltree_col(last));
        yamltree_append(c, NULL, item);
        mark(t, item, T_DEFINED);
        *cur = item;
    } else {
        if (c && (yamltree_kind(c) != YAML_MAPPING || (kind & (T_DEFINED | T_DOTTED | T_INLINE)))) {
            diag_error(t->d, t->file, yamltree_line(last), yamltree_col(last), "yaml-duplicate-key",
                       yamltree_kind(c) != YAML_MAPPING && !(kind & T_ARRAY)
                           ? "'%s' is already a value, not a table"
                           : "table '%s' is defined twice",
                       yamltree_text(last));
            goto done;
        }
        if (!c) {
            if (count_key(t, last) != 0)
                goto done;
            c = yamltree_new_at(YAML_MAPPING, NULL, 0, 0, yamltree_line(last), yamltree_col(last));
            add_child(t, m, yamltree_copy(last, NULL), c);
        }
        mark(t, c, T_DEFINED);
        *cur = c;
    }
    err = end_line(t);
done:
    for (size_t i = 0; i < n; i++)
        yamltree_free(parts[i]);
    return err;
}

int toml_parse(yaml_node **out, const char *text, size_t len, const char *file, int line_offset,
               const yamltree_limits *lim, diags *d)
{
    *out = NULL;
    tp t = {.s = text,
            .len = len,
            .line = 1,
            .col = 1,
            .file = file,
            .line_offset = line_offset,
            .lim = lim,
            .d = d,
            .kinds = map_new(),
            .members = map_new()};
    buf_init(&t.scratch);
    t.root = yamltree_new_at(YAML_MAPPING, NULL, 0, 0, 1 + line_offset, 1);
    yaml_node *cur = t.root;
    int err = -1;
    while (t.pos < t.len) {
        if (skip_space(&t) != 0)
            goto done;
        if (t.pos >= t.len)
            break;
        if (peek(&t, 0) == '[') {
            if (read_header(&t, &cur) != 0)
                goto done;
        } else if (put_pair(&t, cur, 0) != 0 || end_line(&t) != 0) {
            goto done;
        }
    }
    *out = yamltree_pack(t.root);
    t.root = NULL;
    err = 0;
done:
    yamltree_free(t.root);
    map_free(t.kinds);
    map_free(t.members);
    buf_release(&t.scratch);
    return err;
}
