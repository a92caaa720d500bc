/* xml: escaping for XML 1.0 text and attribute values (see xml.h): the five
 * special characters as entities, characters XML forbids dropped, invalid
 * UTF-8 repaired to U+FFFD. */
#include "xml.h"

#include <string.h>

void xml_escape(buf *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = 0; /* bytes [start, i) are copied as they are */
    for (size_t i = 0; i < len;) {
        unsigned c = u[i];
        const char *rep;
        size_t n = 1;
        if (c == '&')
            rep = "&amp;";
        else if (c == '<')
            rep = "&lt;";
        else if (c == '>')
            rep = "&gt;";
        else if (c == '"')
            rep = "&quot;";
        else if (c == '\'')
            rep = "&#39;";
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            rep = "";
        else if (c < 0x80) {
            i++;
            continue;
        } else if ((n = utf8_seq_len(u + i, len - i)) == 0) {
            n = 1;
            rep = "\xEF\xBF\xBD";
        } else if (n == 3 && c == 0xEF && u[i + 1] == 0xBF && u[i + 2] >= 0xBE) {
            rep = ""; /* U+FFFE, U+FFFF */
        } else {
            i += n;
            continue;
        }
        buf_add(out, s + start, i - start);
        buf_adds(out, rep);
        i += n;
        start = i;
    }
    buf_add(out, s + start, len - start);
}

void xml_escapes(buf *out, const char *s)
{
    if (s)
        xml_escape(out, s, strlen(s));
}

void xml_elem(buf *out, int indent, const char *name, const char *text)
{
    for (int i = 0; i < indent; i++)
        buf_addc(out, ' ');
    buf_printf(out, "<%s>", name);
    xml_escapes(out, text);
    buf_printf(out, "</%s>\n", name);
}

void xml_attr(buf *out, const char *name, const char *value)
{
    buf_printf(out, " %s=\"", name);
    xml_escapes(out, value);
    buf_addc(out, '"');
}
