/* template_mods: ctemplate's modifiers (template_modifiers.cc), the escapers
 * that {{NAME:h}}, {{NAME:j}} and the others apply to a value, byte for byte
 * as upstream, and the table that names them (g_modifiers). The parser finds
 * modifiers here; the renderer applies them. */
#include "template_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

typedef struct modinfo {
    const char *name; /* long name, "=value" included for specializations */
    char shortname;
    tpl_mod kind;
} modinfo;

/* template_modifiers.cc g_modifiers, in upstream order. */
static const modinfo builtin_mods[] = {
    {"cleanse_css", 'c', M_CSS},
    {"html_escape", 'h', M_HTML},
    {"html_escape_with_arg=snippet", 'H', M_SNIPPET},
    {"html_escape_with_arg=pre", 'H', M_PRE},
    {"html_escape_with_arg=attribute", 'H', M_ATTRIBUTE},
    {"html_escape_with_arg=url", 'H', M_URL_HTML},
    {"javascript_escape", 'j', M_JS},
    {"json_escape", 'o', M_JSON},
    {"pre_escape", 'p', M_PRE},
    {"url_query_escape", 'u', M_URL_QUERY},
    {"url_escape_with_arg=javascript", 'U', M_URL_JS},
    {"url_escape_with_arg=html", 'U', M_URL_HTML},
    {"url_escape_with_arg=query", 'U', M_URL_QUERY},
    {"none", 0, M_NONE},
    {"xml_escape", 0, M_XML},
    {"javascript_escape_with_arg=number", 'J', M_JS_NUMBER},
    {"url_escape_with_arg=css", 'U', M_URL_CSS},
    {"img_src_url_escape_with_arg=html", 'I', M_IMG_HTML},
    {"img_src_url_escape_with_arg=javascript", 'I', M_IMG_JS},
    {"img_src_url_escape_with_arg=css", 'I', M_IMG_CSS},
};

tpl_mod_lookup tpl_mod_find(const char *name, size_t nlen, const char *val, size_t vlen,
                            tpl_mod *out)
{
    if (nlen >= 2 && name[0] == 'x' && name[1] == '-') {
        *out = M_PASS;
        return TPL_MOD_FOUND;
    }
    int name_known = 0, wants_value = 0;
    for (size_t i = 0; i < sizeof builtin_mods / sizeof *builtin_mods; i++) {
        const modinfo *m = &builtin_mods[i];
        const char *eq = strchr(m->name, '=');
        size_t mlen = eq ? (size_t)(eq - m->name) : strlen(m->name);
        int match = (nlen == 1 && m->shortname && name[0] == m->shortname) ||
                    (nlen == mlen && !memcmp(name, m->name, nlen));
        if (!match)
            continue;
        name_known = 1;
        wants_value = eq != NULL;
        if (eq ? (vlen == strlen(eq) && !memcmp(val, eq, vlen)) : vlen == 0) {
            *out = m->kind;
            return TPL_MOD_FOUND;
        }
    }
    if (!name_known)
        return TPL_MOD_UNKNOWN;
    if (!wants_value)
        return TPL_MOD_NO_VALUE;
    if (!vlen)
        return TPL_MOD_NEEDS_VALUE;
    return TPL_MOD_BAD_VALUE;
}

#define APPEND(b, lit) buf_add((b), lit, sizeof(lit) - 1)

/* Escapes that map single bytes to fixed strings: runs of bytes that need
 * nothing are copied whole (rendering is dominated by :h on long values). */
typedef const char *const rep_table[256];

static void escape_bytes(const char *in, size_t len, buf *out, rep_table rep)
{
    buf_grow(out, len);
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *r = rep[(unsigned char)in[i]];
        if (!r)
            continue;
        buf_add(out, in + start, i - start);
        buf_adds(out, r);
        start = i + 1;
    }
    buf_add(out, in + start, len - start);
}

#define HTML_SPECIALS                                                                              \
    ['&'] = "&amp;", ['"'] = "&quot;", ['\''] = "&#39;", ['<'] = "&lt;", ['>'] = "&gt;"

/* :h also turns every whitespace byte but the space into a space. */
static rep_table html_rep = {
    HTML_SPECIALS, ['\r'] = " ", ['\n'] = " ", ['\v'] = " ", ['\f'] = " ", ['\t'] = " "};
static rep_table pre_rep = {HTML_SPECIALS};
/* :xml_escape: control characters other than \t \n \r are not allowed. */
static rep_table xml_rep = {
    HTML_SPECIALS, [0x00] = " ", [0x01] = " ", [0x02] = " ", [0x03] = " ", [0x04] = " ",
    [0x05] = " ",  [0x06] = " ", [0x07] = " ", [0x08] = " ", [0x0b] = " ", [0x0c] = " ",
    [0x0e] = " ",  [0x0f] = " ", [0x10] = " ", [0x11] = " ", [0x12] = " ", [0x13] = " ",
    [0x14] = " ",  [0x15] = " ", [0x16] = " ", [0x17] = " ", [0x18] = " ", [0x19] = " ",
    [0x1a] = " ",  [0x1b] = " ", [0x1c] = " ", [0x1d] = " ", [0x1e] = " ", [0x1f] = " "};

static void mod_html(const char *in, size_t len, buf *out)
{
    escape_bytes(in, len, out, html_rep);
}

static void mod_pre(const char *in, size_t len, buf *out)
{
    escape_bytes(in, len, out, pre_rep);
}

static void mod_xml(const char *in, size_t len, buf *out)
{
    escape_bytes(in, len, out, xml_rep);
}

static int starts(const char *p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(end - p) >= n && !memcmp(p, lit, n);
}

static void mod_snippet(const char *in, size_t len, buf *out)
{
    enum { NONE, B, I, B_THEN_I, I_THEN_B } state = NONE;
    static const char *const closer[] = {"", "</b>", "</i>", "</i></b>", "</b></i>"};
    const char *end = in + len;
    for (const char *c = in; c < end; c++) {
        switch (*c) {
        case '"':
            APPEND(out, "&quot;");
            break;
        case '\'':
            APPEND(out, "&#39;");
            break;
        case '>':
            APPEND(out, "&gt;");
            break;
        case '\r':
        case '\n':
        case '\v':
        case '\f':
        case '\t':
            APPEND(out, " ");
            break;
        case '&':
            if (c + 1 < end && c[1] == '{')
                APPEND(out, "&amp;");
            else
                APPEND(out, "&");
            break;
        case '<': {
            const char *tag = NULL;
            const char *next = c + 1;
            if (starts(next, end, "b>") && (state == NONE || state == I)) {
                state = state == I ? I_THEN_B : B;
                tag = "<b>";
            } else if (starts(next, end, "i>") && (state == NONE || state == B)) {
                state = state == B ? B_THEN_I : I;
                tag = "<i>";
            } else if (starts(next, end, "/b>") && state != NONE && state != I) {
                state = state == B ? NONE : I;
                tag = "</b>";
            } else if (starts(next, end, "/i>") && state != NONE && state != B) {
                state = state == I ? NONE : B;
                tag = "</i>";
            } else if (starts(next, end, "br>")) {
                tag = "<br>";
            } else if (starts(next, end, "wbr>")) {
                tag = "<wbr>";
            }
            if (tag) {
                buf_adds(out, tag);
                c += strlen(tag) - 1;
            } else {
                APPEND(out, "&lt;");
            }
            break;
        }
        default:
            buf_addc(out, *c);
        }
    }
    buf_adds(out, closer[state]);
}

static void mod_attribute(const char *in, size_t len, buf *out)
{
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c == '=')
            buf_addc(out, i == 0 || i == len - 1 ? '_' : c);
        else if (c == '-' || c == '.' || c == '_' || c == ':' || tpl_is_alnum(c))
            buf_addc(out, c);
        else
            buf_addc(out, '_');
    }
}

static void mod_css(const char *in, size_t len, buf *out)
{
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (tpl_is_alnum(c) || (c && strchr(" _.,!#%-", c)))
            buf_addc(out, c);
    }
}

static void mod_css_url(const char *in, size_t len, buf *out)
{
    for (size_t i = 0; i < len; i++) {
        switch (in[i]) {
        case '\n':
            APPEND(out, "%0A");
            break;
        case '\r':
            APPEND(out, "%0D");
            break;
        case '"':
            APPEND(out, "%22");
            break;
        case '\'':
            APPEND(out, "%27");
            break;
        case '(':
            APPEND(out, "%28");
            break;
        case ')':
            APPEND(out, "%29");
            break;
        case '*':
            APPEND(out, "%2A");
            break;
        case '<':
            APPEND(out, "%3C");
            break;
        case '>':
            APPEND(out, "%3E");
            break;
        case '\\':
            APPEND(out, "%5C");
            break;
        default:
            buf_addc(out, in[i]);
        }
    }
}

/* Upstream's UTF8CodeUnit: decodes 2- and 3-byte sequences without checking
 * for overlong forms; any other byte is its own code unit. */
static unsigned utf8_unit(const char **p, const char *end)
{
    size_t n;
    switch ((unsigned char)**p & 0xF0) {
    case 0xC0:
    case 0xD0:
        n = 2;
        break;
    case 0xE0:
        n = 3;
        break;
    default:
        return (unsigned char)*(*p)++;
    }
    if ((size_t)(end - *p) < n) {
        ++*p;
        return 0xFFFD;
    }
    const char *q = *p;
    unsigned u = (unsigned char)*q & (0xFFu >> n);
    for (size_t k = 1; k < n; k++) {
        unsigned tail = (unsigned char)*++q;
        if ((tail & 0xC0) != 0x80) {
            ++*p;
            return 0xFFFD;
        }
        u = (u << 6) | (tail & 0x3F);
    }
    *p += n;
    return u;
}

static void mod_js(const char *in, size_t len, buf *out)
{
    const char *end = in + len;
    for (const char *p = in, *next = in; p != end; p = next) {
        switch (utf8_unit(&next, end)) {
        case '\0':
            APPEND(out, "\\x00");
            break;
        case '"':
            APPEND(out, "\\x22");
            break;
        case '\'':
            APPEND(out, "\\x27");
            break;
        case '\\':
            APPEND(out, "\\\\");
            break;
        case '\t':
            APPEND(out, "\\t");
            break;
        case '\r':
            APPEND(out, "\\r");
            break;
        case '\n':
            APPEND(out, "\\n");
            break;
        case '\b':
            APPEND(out, "\\b");
            break;
        case '\v':
            APPEND(out, "\\x0b");
            break; /* JScript reads \v as 'v' */
        case '\f':
            APPEND(out, "\\f");
            break;
        case '&':
            APPEND(out, "\\x26");
            break;
        case '<':
            APPEND(out, "\\x3c");
            break;
        case '>':
            APPEND(out, "\\x3e");
            break;
        case '=':
            APPEND(out, "\\x3d");
            break;
        case 0x2028:
            APPEND(out, "\\u2028");
            break;
        case 0x2029:
            APPEND(out, "\\u2029");
            break;
        default:
            buf_add(out, p, (size_t)(next - p));
        }
    }
}

static void mod_js_number(const char *in, size_t len, buf *out)
{
    if (!len)
        return;
    if ((len == 4 && !memcmp(in, "true", 4)) || (len == 5 && !memcmp(in, "false", 5))) {
        buf_add(out, in, len);
        return;
    }
    int valid = 1;
    if (in[0] == '0' && len > 2 && (in[1] == 'x' || in[1] == 'X')) {
        for (size_t i = 2; i < len && valid; i++)
            valid = isxdigit((unsigned char)in[i]) != 0;
    } else {
        for (size_t i = 0; i < len && valid; i++) {
            char c = in[i];
            valid =
                (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
        }
    }
    if (valid)
        buf_add(out, in, len);
    else
        APPEND(out, "null");
}

static void mod_url_query(const char *in, size_t len, buf *out)
{
    /* Everything but [0-9a-zA-Z.,_*\/~!()-] is %-escaped; space becomes '+'. */
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == ' ')
            buf_addc(out, '+');
        else if (tpl_is_alnum((char)c) || (c && strchr(".,_*/~!()-", c)))
            buf_addc(out, (char)c);
        else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(out, e, 3);
        }
    }
}

static void mod_json(const char *in, size_t len, buf *out)
{
    for (size_t i = 0; i < len; i++) {
        switch (in[i]) {
        case '"':
            APPEND(out, "\\\"");
            break;
        case '\\':
            APPEND(out, "\\\\");
            break;
        case '/':
            APPEND(out, "\\/");
            break;
        case '\b':
            APPEND(out, "\\b");
            break;
        case '\f':
            APPEND(out, "\\f");
            break;
        case '\n':
            APPEND(out, "\\n");
            break;
        case '\r':
            APPEND(out, "\\r");
            break;
        case '\t':
            APPEND(out, "\\t");
            break;
        case '&':
            APPEND(out, "\\u0026");
            break;
        case '<':
            APPEND(out, "\\u003C");
            break;
        case '>':
            APPEND(out, "\\u003E");
            break;
        default:
            buf_addc(out, in[i]);
        }
    }
}

/* ctemplate 2.4 URL::HasInsecureProtocol: a colon before the first slash is a
 * protocol, and only http://, https:// and ftp:// (with something after) pass. */
static int url_is_safe(const char *in, size_t len)
{
    const char *slash = memchr(in, '/', len);
    size_t upto = slash ? (size_t)(slash - in) : len;
    if (!memchr(in, ':', upto))
        return 1;
    static const char *const ok[] = {"http://", "https://", "ftp://"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(ok[i]);
        if (len > n && !strncasecmp(in, ok[i], n))
            return 1;
    }
    return 0;
}

static void apply_mod(tpl_mod m, const char *in, size_t len, buf *out)
{
    switch (m) {
    case M_NONE:
    case M_PASS:
        buf_add(out, in, len);
        break;
    case M_HTML:
        mod_html(in, len, out);
        break;
    case M_PRE:
        mod_pre(in, len, out);
        break;
    case M_SNIPPET:
        mod_snippet(in, len, out);
        break;
    case M_ATTRIBUTE:
        mod_attribute(in, len, out);
        break;
    case M_CSS:
        mod_css(in, len, out);
        break;
    case M_XML:
        mod_xml(in, len, out);
        break;
    case M_JS:
        mod_js(in, len, out);
        break;
    case M_JSON:
        mod_json(in, len, out);
        break;
    case M_URL_QUERY:
        mod_url_query(in, len, out);
        break;
    case M_JS_NUMBER:
        mod_js_number(in, len, out);
        break;
    case M_URL_HTML:
    case M_URL_JS:
    case M_URL_CSS:
    case M_IMG_HTML:
    case M_IMG_JS:
    case M_IMG_CSS: {
        int img = m == M_IMG_HTML || m == M_IMG_JS || m == M_IMG_CSS;
        if (!url_is_safe(in, len)) {
            in = img ? "/images/cleardot.gif" : "#";
            len = strlen(in);
        }
        if (m == M_URL_HTML || m == M_IMG_HTML)
            mod_html(in, len, out);
        else if (m == M_URL_JS || m == M_IMG_JS)
            mod_js(in, len, out);
        else
            mod_css_url(in, len, out);
        break;
    }
    }
}

void tpl_mods_apply(const tpl_mod *mods, size_t n, const char *in, size_t len, buf *out,
                    buf scratch[2])
{
    if (!n) {
        buf_add(out, in, len);
        return;
    }
    for (size_t k = 0; k + 1 < n; k++) {
        buf *dst = &scratch[k & 1];
        buf_reset(dst);
        apply_mod(mods[k], in, len, dst);
        in = dst->data;
        len = dst->len;
    }
    apply_mod(mods[n - 1], in, len, out);
}
