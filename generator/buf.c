/* buf: growable NUL-terminated byte buffer and the checked allocators that
 * every module uses (see buf.h for the invariants). */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static char empty_buf[1];

static void oom(void)
{
    fputs("charter: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

size_t xsize_add(size_t a, size_t b)
{
    if (a > SIZE_MAX - b)
        oom();
    return a + b;
}

size_t xsize_mul(size_t a, size_t b)
{
    if (b && a > SIZE_MAX / b)
        oom();
    return a * b;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

void *xgrow(void *p, size_t n, size_t size)
{
    if (n & (n - 1))
        return p; /* between two powers of two: room already made */
    return xrealloc(p, xsize_mul(n ? xsize_mul(n, 2) : 1, size));
}

char *xstrndup(const char *s, size_t len)
{
    char *p = xmalloc(len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

void buf_init(buf *b)
{
    b->data = empty_buf;
    b->len = 0;
    b->cap = 0;
}

void buf_release(buf *b)
{
    if (!b)
        return;
    if (b->cap)
        free(b->data);
    buf_init(b);
}

void buf_grow(buf *b, size_t extra)
{
    if (extra >= SIZE_MAX - b->len)
        oom(); /* the size itself would overflow */
    if (b->len + extra < b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap <= b->len + extra) {
        if (cap > ((size_t)-1) / 2)
            oom();
        cap *= 2;
    }
    char *p = b->cap ? xrealloc(b->data, cap) : xmalloc(cap);
    if (!b->cap)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
}

/* What simple_format takes after a '%': the length modifier, then the
 * conversion. */
enum { LEN_INT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_MAX };

/* Whether every conversion of fmt is one simple_format writes as
 * vsnprintf would: %%, %c, %s, %.*s and %d, %u of int, long, long long,
 * size_t and uintmax_t (no flags, widths or other precisions). */
static int simple_format(const char *fmt)
{
    for (const char *p = strchr(fmt, '%'); p; p = strchr(p, '%')) {
        p++;
        if (*p == '%' || *p == 'c' || *p == 's') {
            p++;
            continue;
        }
        if (p[0] == '.' && p[1] == '*' && p[2] == 's') {
            p += 3;
            continue;
        }
        if (*p == 'z' || *p == 'j')
            p++;
        else if (p[0] == 'l' && p[1] == 'l')
            p += 2;
        else if (*p == 'l')
            p++;
        if (*p != 'd' && *p != 'u')
            return 0;
        p++;
    }
    return 1;
}

/* Appends the decimal digits of v, after a '-' when neg. */
static void add_decimal(buf *b, unsigned long long v, int neg)
{
    char digits[24];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg)
        digits[--n] = '-';
    buf_add(b, digits + n, sizeof digits - n);
}

/* Formats fmt (simple_format's) with ap, as vsnprintf would. */
static void format_simple(buf *b, const char *fmt, va_list ap)
{
    for (const char *p = fmt;;) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            buf_adds(b, p);
            return;
        }
        buf_add(b, p, (size_t)(pct - p));
        p = pct + 1;
        if (*p == '%') {
            buf_addc(b, '%');
            p++;
            continue;
        }
        if (*p == 'c') {
            buf_addc(b, (char)(unsigned char)va_arg(ap, int));
            p++;
            continue;
        }
        if (*p == 's' || *p == '.') {
            int prec = -1;
            if (*p == '.') {
                prec = va_arg(ap, int);
                p += 2;
            }
            const char *str = va_arg(ap, const char *);
            p++;
            if (!str) {
                /* glibc's "(null)", cut as it cuts it: whole or not at all. */
                if (prec < 0 || prec >= 6)
                    buf_adds(b, "(null)");
                continue;
            }
            buf_add(b, str, prec < 0 ? strlen(str) : strnlen(str, (size_t)prec));
            continue;
        }
        int len = LEN_INT;
        if (*p == 'z' || *p == 'j') {
            len = *p == 'z' ? LEN_SIZE : LEN_MAX;
            p++;
        } else if (p[0] == 'l' && p[1] == 'l') {
            len = LEN_LLONG;
            p += 2;
        } else if (*p == 'l') {
            len = LEN_LONG;
            p++;
        }
        if (*p++ == 'd') {
            long long v = len == LEN_INT     ? va_arg(ap, int)
                          : len == LEN_LONG  ? va_arg(ap, long)
                          : len == LEN_LLONG ? va_arg(ap, long long)
                          : len == LEN_SIZE  ? (long long)va_arg(ap, ssize_t)
                                             : (long long)va_arg(ap, intmax_t);
            add_decimal(b, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
        } else {
            unsigned long long v = len == LEN_INT     ? va_arg(ap, unsigned)
                                   : len == LEN_LONG  ? va_arg(ap, unsigned long)
                                   : len == LEN_LLONG ? va_arg(ap, unsigned long long)
                                   : len == LEN_SIZE  ? va_arg(ap, size_t)
                                                      : (unsigned long long)va_arg(ap, uintmax_t);
            add_decimal(b, v, 0);
        }
    }
}

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    /* The formats nearly every call has (strings and integers) are
     * written here; vsnprintf's machinery was a twentieth of a build's
     * instructions outside SHA-256. */
    if (simple_format(fmt)) {
        format_simple(b, fmt, ap);
        return;
    }
    /* Formatted into the room the buffer has first: most texts fit, and
     * vsnprintf then runs once (measuring every text first took half of
     * what buf_printf cost a build). */
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    va_list cp;
    va_copy(cp, ap);
    int n = room ? vsnprintf(b->data + b->len, room, fmt, cp) : vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        /* EOVERFLOW (over INT_MAX bytes) or an encoding error: dropping the
         * text silently would publish a page with a hole in it. */
        fputs("charter: cannot format text (vsnprintf failed)\n", stderr);
        abort();
    }
    if ((size_t)n < room) {
        b->len += (size_t)n; /* it fitted, with its terminator */
        return;
    }
    if (n == 0)
        return;
    buf_grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_add_html(buf *b, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        buf_add(b, s + start, i - start);
        buf_adds(b, rep);
        start = i + 1;
    }
    buf_add(b, s + start, len - start);
}

int text_is_control(long cp)
{
    return (cp >= 0 && cp < 0x20 && cp != '\n' && cp != '\t' && cp != '\r' && cp != '\f') ||
           (cp >= 0x7F && cp <= 0x9F);
}

size_t text_first_flaw(const char *text, size_t len, size_t *width)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        size_t n = c ? utf8_seq_len(s + i, len - i) : 0;
        if (!n) {
            *width = 0;
            return i;
        }
        if (text_is_control(n == 1   ? (long)c
                            : n == 2 ? (long)(((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu))
                                     : -1)) {
            *width = n;
            return i;
        }
        i += n;
    }
    *width = 0;
    return len;
}

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t need;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    unsigned cp = c & (0x7F >> need);
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need;
}

size_t utf8_whole_len(const char *s, size_t len)
{
    size_t lead = len;
    while (lead > 0 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead > 0 && utf8_seq_len((const unsigned char *)s + lead - 1, len - (lead - 1)) == 0)
        return lead - 1;
    return len;
}

void buf_reset(buf *b)
{
    buf_truncate(b, 0);
}

void buf_truncate(buf *b, size_t len)
{
    if (len >= b->len)
        return;
    b->len = len;
    if (b->cap)
        b->data[len] = '\0';
}

char *buf_detach(buf *b)
{
    char *p = b->cap ? b->data : xstrdup("");
    buf_init(b);
    return p;
}

void buf_add_escaped(buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\\' || *s == '\n' || *s == '\t')
            buf_addc(b, '\\');
        buf_addc(b, *s == '\n' ? 'n' : *s == '\t' ? 't' : *s);
    }
}

void buf_add_unescaped(buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            i++;
            buf_addc(b, s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i]);
        } else {
            buf_addc(b, s[i]);
        }
    }
}

void buf_add_ull(buf *b, unsigned long long v)
{
    char digits[20];
    size_t n = 0;
    do {
        digits[sizeof digits - ++n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_add(b, digits + sizeof digits - n, n);
}

void buf_add_ll(buf *b, long long v)
{
    if (v < 0) {
        buf_addc(b, '-');
        buf_add_ull(b, 0ULL - (unsigned long long)v);
    } else {
        buf_add_ull(b, (unsigned long long)v);
    }
}

void buf_add_uv(buf *b, unsigned long long v)
{
    while (v >= 0x80) {
        buf_addc(b, (char)(v | 0x80));
        v >>= 7;
    }
    buf_addc(b, (char)v);
}

int buf_get_uv(unsigned long long *v, const char *data, size_t len, size_t *at)
{
    *v = 0;
    for (int shift = 0; shift < 64 && *at < len; shift += 7) {
        unsigned char c = (unsigned char)data[(*at)++];
        if (shift == 63 && (c & 0x7e))
            return -1; /* over 64 bits */
        *v |= (unsigned long long)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return 0;
    }
    return -1;
}
