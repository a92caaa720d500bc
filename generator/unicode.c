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

const char *unicode_utf8proc_version(void)
{
    return utf8proc_version();
}
