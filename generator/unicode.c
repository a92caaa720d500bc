/* unicode: NFC through libutf8proc (see unicode.h). Most names are ASCII,
 * which every normalisation form leaves alone: they take the fast path. */
#include "unicode.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int unicode_nfc(buf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len) {
        buf_add(out, s, len);
        return 0;
    }
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0) {
        /* Invalid UTF-8 (or out of memory inside the library): as it is. */
        buf_add(out, s, len);
        return 0;
    }
    int changed = (size_t)n != len || memcmp(nfc, s, len) != 0;
    buf_add(out, nfc, (size_t)n);
    free(nfc);
    return changed;
}

void unicode_lower(buf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            buf_addc(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            buf_addc(out, (char)c); /* not UTF-8: as it is */
            i++;
            continue;
        }
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), enc);
        buf_add(out, enc, (size_t)m);
        i += (size_t)n;
    }
}

void unicode_slug(buf *out, const char *text)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(text);
    while (left > 0) {
        if (*p < 0x80) { /* ASCII: the common case, without a lookup */
            unsigned c = *p;
            if (c >= 'A' && c <= 'Z')
                buf_addc(out, (char)(c - 'A' + 'a'));
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
                buf_addc(out, (char)c);
            else if (c == ' ')
                buf_addc(out, '-');
            p++;
            left--;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) { /* not UTF-8: kept as it is */
            buf_add(out, (const char *)p, (size_t)left);
            break;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        int word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO) ||
                   cat == UTF8PROC_CATEGORY_PC;
        if (word) {
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), enc);
            buf_add(out, (const char *)enc, (size_t)m);
        }
        p += n;
        left -= n;
    }
}

/* text decomposed for compatibility (NFKD) into *nfkd (to be freed), or
 * NULL when it is not valid UTF-8. */
static utf8proc_uint8_t *decompose(const char *text)
{
    utf8proc_uint8_t *nfkd = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)strlen(text), &nfkd,
                     UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT) < 0)
        return NULL;
    return nfkd;
}

void unicode_slug_mkdocs(buf *out, const char *text)
{
    utf8proc_uint8_t *nfkd = decompose(text);
    const char *c = nfkd ? (const char *)nfkd : text;
    /* What re.sub(r'[^\w\s-]', '') keeps of the ASCII, then strip(). */
    buf kept;
    buf_init(&kept);
    for (; *c; c++) {
        char ch = *c;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '_' || ch == '-' || (ch && strchr(" \t\n\r\f\v", ch)))
            buf_addc(&kept, ch);
    }
    size_t b = 0, e = kept.len;
    while (b < e && strchr(" \t\n\r\f\v", kept.data[b]))
        b++;
    while (e > b && strchr(" \t\n\r\f\v", kept.data[e - 1]))
        e--;
    /* Lowercased, each run of blanks and hyphens one hyphen. */
    for (size_t i = b; i < e; i++) {
        char ch = kept.data[i];
        if (ch == '-' || strchr(" \t\n\r\f\v", ch)) {
            while (i + 1 < e &&
                   (kept.data[i + 1] == '-' || strchr(" \t\n\r\f\v", kept.data[i + 1])))
                i++;
            buf_addc(out, '-');
        } else {
            buf_addc(out, (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch));
        }
    }
    buf_release(&kept);
    free(nfkd);
}

void unicode_slug_vitepress(buf *out, const char *text)
{
    static const char special[] = " \t\n\r\f\v~`!@#$%^&*()-_+=[]{}|\\;:\"'<>,.?/";
    utf8proc_uint8_t *nfkd = decompose(text);
    const utf8proc_uint8_t *p = nfkd ? nfkd : (const utf8proc_uint8_t *)text;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen((const char *)p);
    size_t start = out->len;
    int gap = 0;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) { /* not UTF-8: kept as it is */
            buf_add(out, (const char *)p, (size_t)left);
            break;
        }
        p += n;
        left -= n;
        if ((cp >= 0x300 && cp <= 0x36F) || cp < 0x20)
            continue; /* a combining mark, a control character */
        if ((cp < 0x80 && strchr(special, (int)cp)) || cp == 0x201C || cp == 0x201D ||
            cp == 0x2018 || cp == 0x2019) {
            gap = out->len > start; /* none at the start */
            continue;
        }
        if (gap)
            buf_addc(out, '-');
        gap = 0;
        if (out->len == start && cp >= '0' && cp <= '9')
            buf_addc(out, '_');
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), enc);
        buf_add(out, (const char *)enc, (size_t)m);
    }
    free(nfkd);
}

int unicode_columns(const char *s, size_t n, size_t *len)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp);
    if (k <= 0) {
        *len = 1;
        return 1;
    }
    *len = (size_t)k;
    if (cp == '\t')
        return 1;
    int w = utf8proc_charwidth(cp);
    return w < 0 ? 1 : w;
}

const char *unicode_utf8proc_version(void)
{
    return utf8proc_version();
}
