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

const char *unicode_utf8proc_version(void)
{
    return utf8proc_version();
}
