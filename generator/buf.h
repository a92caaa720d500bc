/* buf: the one growable byte buffer used for all string building in charter.
 * Invariants: `data` is never NULL after buf_init, always NUL-terminated at
 * data[len], and len < cap. buf_detach hands ownership of the bytes to the
 * caller and leaves the buffer empty and reusable. Allocation failure, and a
 * size that would overflow size_t, abort: charter treats out-of-memory as
 * fatal rather than threading it everywhere (inputs are size-capped, so no
 * input reaches it). */
#ifndef CHARTER_BUF_H
#define CHARTER_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct buf {
    char *data;
    size_t len;
    size_t cap;
} buf;

/* Initializes an empty buffer; never fails. */
void buf_init(buf *b);
/* Frees the bytes; the buffer is left empty and valid. Accepts NULL. */
void buf_release(buf *b);
/* Ensures room for `extra` more bytes plus the terminator. */
void buf_grow(buf *b, size_t extra);
/* Appends data[0..len) (inline: the hottest call of rendering). */
static inline void buf_add(buf *b, const void *data, size_t len)
{
    if (!len)
        return;
    /* cap - len cannot wrap (len < cap, or both 0); len + n could. */
    if (len >= b->cap - b->len)
        buf_grow(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}
/* Appends the string s (inline: a literal's length is known where it is
 * called, and most are literals). */
static inline void buf_adds(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}
static inline void buf_addc(buf *b, char c)
{
    if (b->cap - b->len <= 1)
        buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends `s` escaped for HTML text and attribute values (&<>"'). */
void buf_add_html(buf *b, const char *s, size_t len);
/* Length (1-4) of the valid UTF-8 sequence at s, reading at most n bytes, or
 * 0 if it is invalid (overlong forms, surrogates and values above U+10FFFF
 * included). A NUL byte counts as valid here. */
size_t utf8_seq_len(const unsigned char *s, size_t n);
/* The offset of the first flaw in s[0..len), or len when there is none: a
 * byte that is not valid UTF-8 or is NUL (*width set to 0), or a control
 * character HTML does not allow in text (*width set to its bytes, 1 or 2):
 * C0 other than tab, line feed, form feed and carriage return, DEL, and
 * C1 (U+0080-U+009F). ASCII takes the fast path. */
size_t text_first_flaw(const char *s, size_t len, size_t *width);
/* Whether code point cp is one of text_first_flaw's control characters. */
int text_is_control(long cp);
/* The length of s[0..len) without a UTF-8 sequence cut short at its end
 * (its lead byte there, not all of its bytes): where a text cut at a byte
 * count ends on whole characters. */
size_t utf8_whole_len(const char *s, size_t len);
/* Appends s as one field of a line-based cache file, with backslash, tab
 * and newline escaped as backslash followed by '\\', 't' and 'n';
 * buf_add_unescaped undoes it for s[0..len). */
void buf_add_escaped(buf *b, const char *s);
void buf_add_unescaped(buf *b, const char *s, size_t len);
/* A number in decimal, as printf's %llu and %lld write it (without its
 * cost: a cache's lines, tens of thousands of them). */
void buf_add_ull(buf *b, unsigned long long v);
void buf_add_ll(buf *b, long long v);
/* An unsigned number as bytes (LEB128: seven bits a byte, the high bit on
 * all but the last), for binary caches. */
void buf_add_uv(buf *b, unsigned long long v);
/* Reads what buf_add_uv wrote at data[*at..len) into *v, moving *at past
 * it. Returns 0, or -1 when it runs past len or over 64 bits. */
int buf_get_uv(unsigned long long *v, const char *data, size_t len, size_t *at);
/* Sets len to 0 keeping the allocation. */
void buf_reset(buf *b);
void buf_truncate(buf *b, size_t len);
/* Returns the bytes, owned by the caller (free()), and leaves `b` empty. */
char *buf_detach(buf *b);

/* Returns a copy of s[0..len) NUL-terminated; caller frees. Aborts on OOM. */
char *xstrndup(const char *s, size_t len);
char *xstrdup(const char *s);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Returns p (or its new place) with room for element n of an array of n
 * elements of `size` bytes that only xgrow has allocated (p NULL when n is
 * 0): the allocation doubles each time n reaches a power of two, so n
 * appends copy O(n) bytes in all where growing by one element copied
 * O(n^2). The count is the capacity's only record: it may go down (the
 * room stays) but the array must not come from another allocator. Aborts
 * on OOM or overflow. */
void *xgrow(void *p, size_t n, size_t size);
/* a + b and a * b for a size about to be allocated: out of memory (abort)
 * when it overflows, as the allocators above are. */
size_t xsize_add(size_t a, size_t b);
size_t xsize_mul(size_t a, size_t b);

#endif
