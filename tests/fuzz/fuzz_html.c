/* fuzz_html: html_safe on any bytes, as a page's raw HTML. Checks: what it
 * writes, sanitized again, is unchanged (nothing it keeps reads otherwise a
 * second time); every '<' it writes opens or closes a tag written in its
 * canonical shape (lower-case names, values in double quotes without a
 * '"'), with no event handler, style or class attribute and no address
 * (href, src) starting "javascript:", "data:" or "vbscript:"; no script
 * element; and its output is at most six times its input (a '"' in a value
 * becomes "&quot;"). tests/fuzz/README.md. */
#include "fuzz.h"

#include "html_safe.h"

#include <ctype.h>
#include <strings.h>

/* Checks the tag written at s[0] == '<'; returns the index after it. */
static size_t check_tag(const char *s, size_t n)
{
    size_t i = 1 + (n > 1 && s[1] == '/');
    size_t name = i;
    while (i < n && (islower((unsigned char)s[i]) || isdigit((unsigned char)s[i])))
        i++;
    FUZZ_CHECK(i > name);
    FUZZ_CHECK(strncmp(s + name, "script", 6) || i - name != 6);
    while (i < n && s[i] == ' ') {
        size_t a = ++i;
        while (i < n && islower((unsigned char)s[i]))
            i++;
        FUZZ_CHECK(i > a);
        FUZZ_CHECK(strncmp(s + a, "on", 2) != 0);
        FUZZ_CHECK(!((i - a == 5 && (!strncmp(s + a, "style", 5) || !strncmp(s + a, "class", 5)))));
        if (i < n && s[i] == '=') {
            FUZZ_CHECK(i + 1 < n && s[i + 1] == '"');
            const char *close = memchr(s + i + 2, '"', n - i - 2);
            FUZZ_CHECK(close != NULL);
            size_t v = i + 2, vl = (size_t)(close - s) - v;
            /* An address (not text: alt="javascript: a word") starts
             * with none of the schemes kept out. */
            if ((i - a == 4 && !strncmp(s + a, "href", 4)) ||
                (i - a == 3 && !strncmp(s + a, "src", 3)))
                FUZZ_CHECK((vl < 11 || strncasecmp(s + v, "javascript:", 11)) &&
                           (vl < 5 || strncasecmp(s + v, "data:", 5)) &&
                           (vl < 9 || strncasecmp(s + v, "vbscript:", 9)));
            FUZZ_CHECK(!memchr(s + v, '<', vl) && !memchr(s + v, '>', vl));
            i = (size_t)(close - s) + 1;
        }
    }
    FUZZ_CHECK(i < n && s[i] == '>');
    return i + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    buf once, twice;
    buf_init(&once);
    buf_init(&twice);
    html_safe_append(&once, (const char *)data, size);
    FUZZ_CHECK(once.len <= size * 6); /* a '"' in a value is "&quot;" */
    html_safe_append(&twice, once.len ? once.data : "", once.len);
    FUZZ_CHECK(twice.len == once.len && (!once.len || !memcmp(once.data, twice.data, once.len)));
    for (size_t i = 0; i < once.len;)
        i = once.data[i] == '<' ? i + check_tag(once.data + i, once.len - i) : i + 1;
    buf_release(&once);
    buf_release(&twice);
    return 0;
}
