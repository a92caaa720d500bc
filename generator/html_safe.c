/* html_safe: keeps a page's raw HTML to the subset GitHub's sanitizer
 * keeps (html_safe.h). A small tokenizer reads text, tags, comments and
 * declarations; each tag it keeps is written again from what it read (the
 * name in lower case, the kept attributes quoted and escaped), so nothing
 * it did not understand reaches the page. */
#include "html_safe.h"

#include <string.h>
#include <strings.h>

/* The elements kept, with the attributes every one of them may have. */
static const char *const kept_elements[] = {
    "a",     "abbr",   "b",          "bdi",    "bdo",     "blockquote", "br",    "caption", "cite",
    "code",  "col",    "colgroup",   "dd",     "del",     "details",    "dfn",   "div",     "dl",
    "dt",    "em",     "figcaption", "figure", "h1",      "h2",         "h3",    "h4",      "h5",
    "h6",    "hr",     "i",          "img",    "ins",     "kbd",        "li",    "mark",    "ol",
    "p",     "pre",    "q",          "rp",     "rt",      "ruby",       "s",     "samp",    "small",
    "span",  "strike", "strong",     "sub",    "summary", "sup",        "table", "tbody",   "td",
    "tfoot", "th",     "thead",      "time",   "tr",      "tt",         "u",     "ul",      "var",
    "wbr",   NULL};

static const char *const kept_attributes[] = {
    "abbr",     "align", "alt",      "border",  "cellpadding", "cellspacing", "colspan",
    "datetime", "dir",   "headers",  "height",  "hspace",      "id",          "lang",
    "nowrap",   "open",  "reversed", "rowspan", "scope",       "span",        "start",
    "summary",  "title", "type",     "valign",  "vspace",      "width",       NULL};

/* Elements whose content is text up to their end tag (a script, a style
 * sheet): dropped with it. */
static const char *const raw_text[] = {"script",   "style",     "textarea", "title",
                                       "xmp",      "iframe",    "noembed",  "noframes",
                                       "noscript", "plaintext", "template", NULL};

/* What the tokenizer knows of the text: from where on a quote of each
 * kind (", ') no longer closes, so that no unclosed quote is searched for
 * twice (linear on `<a title="<a title="<a title="...`). */
typedef struct scan {
    size_t no_quote[2];
    const char *html; /* the whole input, for the addresses' offsets */
    html_safe_url_fn fn;
    void *ctx;
    buf with; /* fn's replacement */
} scan;

static int listed(const char *const *list, const char *name, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && !strncasecmp(*list, name, n))
            return 1;
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of the tag name at s[0..n): a letter, then letters, digits
 * and '-'. 0 when s does not start with a letter. */
static size_t name_len(const char *s, size_t n)
{
    if (!n || !is_alpha(s[0]))
        return 0;
    size_t i = 1;
    while (i < n && (is_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
        i++;
    return i;
}

static void add_lower(buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_addc(out, (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]));
}

/* Whether the address v[0..n) may be kept: a relative one, or http(s)
 * (and mailto for a link). An address whose scheme part holds an entity,
 * a blank or a control character is not (a browser decodes and strips
 * those before it reads the scheme: "jav&#x61;script:"), nor one holding
 * '"', '<' or '>'. */
static int safe_url(const char *v, size_t n, int link)
{
    /* Nor one the writing would escape (a '>' would be "&gt;", read again
     * as an entity in the scheme part). */
    for (size_t i = 0; i < n; i++)
        if (v[i] == '"' || v[i] == '<' || v[i] == '>')
            return 0;
    size_t end = 0;
    while (end < n && !strchr("/?#", v[end]))
        end++;
    const char *colon = memchr(v, ':', end);
    size_t scheme = colon ? (size_t)(colon - v) : end;
    for (size_t i = 0; i < scheme; i++)
        if (v[i] == '&' || (unsigned char)v[i] <= 0x20 || v[i] == 0x7f)
            return 0;
    if (!colon)
        return 1;
    return (scheme == 4 && !strncasecmp(v, "http", 4)) ||
           (scheme == 5 && !strncasecmp(v, "https", 5)) ||
           (link && scheme == 6 && !strncasecmp(v, "mailto", 6));
}

/* One attribute as read: its name and value (value NULL: none given). */
typedef struct attr {
    const char *name, *value;
    size_t name_len, value_len;
} attr;

/* Appends the attribute if the element `el` keeps it; a link's name as
 * its id when it has none (HTML's anchor; the handbook prefixes ids). */
static void add_attr(buf *out, scan *sc, const char *el, size_t el_len, const attr *a, int has_id)
{
    int kept = listed(kept_attributes, a->name, a->name_len);
    int link = el_len == 1 && !strncasecmp(el, "a", 1);
    int image = el_len == 3 && !strncasecmp(el, "img", 3);
    int url = 0;
    if (a->name_len == 4 && !strncasecmp(a->name, "href", 4) && link)
        kept = url = 1;
    else if (a->name_len == 3 && !strncasecmp(a->name, "src", 3) && image)
        kept = url = 1;
    int anchor = a->name_len == 4 && !strncasecmp(a->name, "name", 4) && link && !has_id;
    /* (a name on an image would replace a document's property: document.x) */
    if ((!kept && !anchor) || (url && (!a->value || !safe_url(a->value, a->value_len, link))))
        return;
    buf_addc(out, ' ');
    if (anchor)
        buf_adds(out, "id");
    else
        add_lower(out, a->name, a->name_len);
    if (!a->value)
        return;
    const char *v = a->value;
    size_t vl = a->value_len;
    buf_reset(&sc->with);
    if (url && sc->fn && sc->fn(sc->ctx, v, vl, (size_t)(v - sc->html), image, &sc->with) == 1 &&
        sc->with.len && safe_url(sc->with.data, sc->with.len, link)) {
        v = sc->with.data;
        vl = sc->with.len;
    }
    buf_adds(out, "=\"");
    for (size_t i = 0; i < vl; i++) {
        char c = v[i];
        if (c == '"')
            buf_adds(out, "&quot;");
        else if (c == '<')
            buf_adds(out, "&lt;");
        else if (c == '>')
            buf_adds(out, "&gt;");
        else
            buf_addc(out, c);
    }
    buf_addc(out, '"');
}

/* Reads the start tag at s[at] ('<' then a letter) to its '>'; appends it
 * when kept. Returns the index after it, or 0 when it does not close (the
 * '<' is then text). */
static size_t start_tag(buf *out, scan *sc, const char *s, size_t n, size_t at)
{
    const char *el = s + at + 1;
    size_t el_len = name_len(el, n - at - 1), i = at + 1 + el_len;
    enum { MAX_ATTRS = 64 };
    attr attrs[MAX_ATTRS];
    size_t na = 0;
    for (;;) {
        while (i < n && (is_space(s[i]) || s[i] == '/'))
            i++;
        if (i >= n)
            return 0;
        if (s[i] == '>')
            break;
        attr a = {s + i, NULL, 0, 0};
        while (i < n && !is_space(s[i]) && !strchr("\"'>/=<", s[i]))
            i++;
        a.name_len = (size_t)(s + i - a.name);
        if (!a.name_len)
            return 0; /* a quote or '<' where a name should be */
        while (i < n && is_space(s[i]))
            i++;
        if (i < n && s[i] == '=') {
            i++;
            while (i < n && is_space(s[i]))
                i++;
            if (i >= n)
                return 0;
            if (s[i] == '"' || s[i] == '\'') {
                size_t *none = &sc->no_quote[s[i] == '\''];
                const char *close = i + 1 < *none ? memchr(s + i + 1, s[i], n - i - 1) : NULL;
                if (!close) {
                    if (i + 1 < *none)
                        *none = i + 1;
                    return 0;
                }
                a.value = s + i + 1;
                a.value_len = (size_t)(close - a.value);
                i = (size_t)(close - s) + 1;
            } else {
                a.value = s + i;
                while (i < n && !is_space(s[i]) && s[i] != '>' && s[i] != '<')
                    i++;
                a.value_len = (size_t)(s + i - a.value);
            }
        }
        if (na < MAX_ATTRS)
            attrs[na++] = a;
    }
    i++; /* the '>' */
    if (listed(raw_text, el, el_len)) {
        /* Its text goes too, up to its end tag (or the end). */
        for (size_t j = i; j + 1 < n; j++)
            if (s[j] == '<' && s[j + 1] == '/' && n - j - 2 >= el_len &&
                !strncasecmp(s + j + 2, el, el_len) && name_len(s + j + 2, n - j - 2) == el_len) {
                const char *gt = memchr(s + j, '>', n - j);
                return gt ? (size_t)(gt - s) + 1 : n;
            }
        return n;
    }
    if (!listed(kept_elements, el, el_len))
        return i;
    int has_id = 0;
    for (size_t k = 0; k < na; k++)
        has_id |= attrs[k].name_len == 2 && !strncasecmp(attrs[k].name, "id", 2);
    buf_addc(out, '<');
    add_lower(out, el, el_len);
    for (size_t k = 0; k < na; k++) {
        add_attr(out, sc, el, el_len, &attrs[k], has_id);
        /* One id: the first name stands for it */
        has_id |= attrs[k].name_len == 4 && !strncasecmp(attrs[k].name, "name", 4);
    }
    buf_addc(out, '>');
    return i;
}

/* Reads what starts at s[at] == '<'; appends what is kept. Returns the
 * index after it, or 0 when it is no markup (the '<' is then text). */
static size_t markup(buf *out, scan *sc, const char *s, size_t n, size_t at)
{
    size_t rest = n - at;
    if (rest >= 4 && !memcmp(s + at, "<!--", 4)) {
        /* A comment, to its "-->" ("<!-->" and "<!--->" close at once). */
        for (size_t j = at + 4; j < n; j++)
            if (s[j] == '>' && (j == at + 4 || (j == at + 5 && s[j - 1] == '-') ||
                                (j >= at + 6 && s[j - 1] == '-' && s[j - 2] == '-')))
                return j + 1;
        return n;
    }
    if (rest >= 2 && (s[at + 1] == '!' || s[at + 1] == '?')) {
        const char *gt = memchr(s + at, '>', rest); /* a declaration, CDATA, <?...> */
        return gt ? (size_t)(gt - s) + 1 : n;
    }
    if (rest >= 2 && s[at + 1] == '/') {
        size_t el_len = name_len(s + at + 2, rest - 2);
        if (!el_len)
            return 0;
        /* Its '>' before the next '<' (each byte is looked at once). */
        const char *lt = memchr(s + at + 1, '<', rest - 1);
        const char *gt = memchr(s + at, '>', lt ? (size_t)(lt - s) - at : rest);
        if (!gt)
            return 0;
        if (listed(kept_elements, s + at + 2, el_len)) {
            buf_adds(out, "</");
            add_lower(out, s + at + 2, el_len);
            buf_addc(out, '>');
        }
        return (size_t)(gt - s) + 1;
    }
    if (rest >= 2 && is_alpha(s[at + 1]))
        return start_tag(out, sc, s, n, at);
    return 0;
}

void html_safe_append(buf *out, const char *html, size_t len)
{
    html_safe_append_urls(out, html, len, NULL, NULL);
}

void html_safe_append_urls(buf *out, const char *html, size_t len, html_safe_url_fn fn, void *ctx)
{
    size_t i = 0;
    scan sc = {{(size_t)-1, (size_t)-1}, html, fn, ctx, {0}};
    buf_init(&sc.with);
    while (i < len) {
        const char *lt = memchr(html + i, '<', len - i);
        size_t stop = lt ? (size_t)(lt - html) : len;
        buf_add(out, html + i, stop - i);
        if (stop >= len)
            break;
        size_t next = markup(out, &sc, html, len, stop);
        if (next) {
            i = next;
        } else {
            buf_adds(out, "&lt;");
            i = stop + 1;
        }
    }
    buf_release(&sc.with);
}
