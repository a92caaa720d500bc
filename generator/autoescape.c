/* autoescape: a streaming HTML/JavaScript context scanner for ctemplate's
 * AUTOESCAPE pragma. Two table-free state machines (HTML and JavaScript)
 * advance one byte at a time; enter/exit actions record tag and attribute
 * names and reset the JavaScript scanner where upstream's streamhtmlparser
 * does, so a variable gets exactly the escaping upstream would give it. */
#include "autoescape.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_NAME 256 /* recorded tag, attribute and value prefixes */
#define JS_RING 18   /* the JavaScript scanner's look-behind */
#define MAX_ENTITY 10

/* Internal HTML states. */
enum {
    H_TEXT,
    H_TAG_START,
    H_TAG_NAME,
    H_DECL_START,
    H_DECL_BODY,
    H_COMMENT_OPEN,
    H_COMMENT_BODY,
    H_COMMENT_DASH,
    H_COMMENT_DASH_DASH,
    H_PI,
    H_PI_MAY_END,
    H_TAG_SPACE,
    H_TAG_CLOSE,
    H_ATTR,
    H_ATTR_SPACE,
    H_VALUE,
    H_VALUE_TEXT,
    H_VALUE_Q_START,
    H_VALUE_Q,
    H_VALUE_DQ_START,
    H_VALUE_DQ,
    H_CDATA_COMMENT_START,
    H_CDATA_COMMENT_START_DASH,
    H_CDATA_COMMENT_BODY,
    H_CDATA_COMMENT_DASH,
    H_CDATA_COMMENT_DASH_DASH,
    H_CDATA_TEXT,
    H_CDATA_LT,
    H_CDATA_MAY_CLOSE,
    H_JS_FILE,
    H_CSS_FILE,
    H_ERROR, /* upstream refuses the input (e.g. "<a =b>") */
};

/* Internal JavaScript states. */
enum {
    J_TEXT,
    J_Q,
    J_Q_E,
    J_DQ,
    J_DQ_E,
    J_SLASH,
    J_REGEXP_SLASH,
    J_REGEXP,
    J_REGEXP_E,
    J_REGEXP_BRACKET,
    J_REGEXP_BRACKET_E,
    J_COMMENT_LN,
    J_COMMENT_ML,
    J_COMMENT_ML_CLOSE,
    J_COMMENT_AFTER,
};
enum { JS_EXT_TEXT, JS_EXT_Q, JS_EXT_DQ, JS_EXT_REGEXP, JS_EXT_COMMENT };

typedef struct js_scan {
    int state;
    char ring[JS_RING];
    int start, end; /* ring[start..end) modulo JS_RING */
} js_scan;

struct ae_parser {
    int state;
    int in_js;
    int value_index;
    char tag[MAX_NAME];
    char attr[MAX_NAME];
    /* The record buffer: what the current (or last) recording captured. */
    char rec[MAX_NAME];
    int rec_len;
    int recording;
    /* Character references inside JavaScript attribute values. */
    int in_entity;
    char entity[MAX_ENTITY];
    int entity_len;
    js_scan js;
};

/* --- the JavaScript scanner -------------------------------------------------- */

static int js_space(char c)
{
    return c == '\t' || c == '\v' || c == '\f' || c == ' ' || c == '\xa0' || c == '\n' || c == '\r';
}

static int js_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$';
}

static void js_reset(js_scan *j)
{
    j->state = J_TEXT;
    j->start = j->end = 0;
}

static int ring_len(const js_scan *j)
{
    int n = j->end - j->start;
    return n < 0 ? n + JS_RING : n;
}

/* The character at pos (-1: the last one), or 0 outside the ring. */
static char ring_get(const js_scan *j, int pos)
{
    if (pos <= -JS_RING || pos < -ring_len(j))
        return 0;
    int at = (j->end + pos) % JS_RING;
    return j->ring[at < 0 ? at + JS_RING : at];
}

static void ring_set(js_scan *j, int pos, char c)
{
    if (pos <= -JS_RING || pos < -ring_len(j))
        return;
    int at = (j->end + pos) % JS_RING;
    j->ring[at < 0 ? at + JS_RING : at] = c;
}

/* Appends c, folding runs of whitespace into one. */
static void ring_add(js_scan *j, char c)
{
    if (js_space(c) && js_space(ring_get(j, -1)))
        return;
    j->ring[j->end] = c;
    j->end = (j->end + 1) % JS_RING;
    if (j->end == j->start)
        j->start = (j->end + 1) % JS_RING;
}

static void ring_pop(js_scan *j)
{
    if (j->start == j->end)
        return;
    j->end = (j->end + JS_RING - 1) % JS_RING;
}

/* Keywords after which a '/' opens a regular expression (sorted). */
static const char *const regexp_keywords[] = {
    "abstract", "break",        "case",       "catch",     "class",     "const",      "continue",
    "debugger", "default",      "delete",     "do",        "else",      "enum",       "eval",
    "export",   "extends",      "field",      "final",     "finally",   "for",        "function",
    "goto",     "if",           "implements", "import",    "in",        "instanceof", "native",
    "new",      "package",      "private",    "protected", "public",    "return",     "static",
    "switch",   "synchronized", "throw",      "throws",    "transient", "try",        "typeof",
    "var",      "void",         "volatile",   "while",     "with",
};

static int cmp_keyword(const void *a, const void *b)
{
    return strcmp(a, *(const char *const *)b);
}

/* Does the identifier that ends the ring (before an optional space) precede a
 * regular expression? */
static int last_word_is_keyword(const js_scan *j)
{
    int end = -1;
    if (js_space(ring_get(j, -1)))
        end--;
    int pos = end;
    while (js_ident(ring_get(j, pos)))
        pos--;
    if (pos + 1 >= end)
        return 0; /* fewer than two characters: no keyword is that short */
    char word[JS_RING + 1];
    int n = 0;
    for (int i = pos + 1; i <= end; i++) {
        char c = ring_get(j, i);
        if (c)
            word[n++] = c;
    }
    word[n] = 0;
    return bsearch(word, regexp_keywords, sizeof regexp_keywords / sizeof *regexp_keywords,
                   sizeof *regexp_keywords, cmp_keyword) != NULL;
}

/* A '/' in text: division, or the start of a regular expression (or of a
 * comment, which the next character decides). */
static int slash_opens_regexp(const js_scan *j)
{
    int pos = -1;
    if (js_space(ring_get(j, pos)))
        pos--;
    char c = ring_get(j, pos);
    switch (c) {
    case '+':
    case '-':
        return ring_get(j, pos - 1) != c;
    case '=':
    case '<':
    case '>':
    case '&':
    case '|':
    case '!':
    case '%':
    case '*':
    case '/':
    case ',':
    case ';':
    case '?':
    case ':':
    case '^':
    case '~':
    case '{':
    case '(':
    case '[':
    case '}':
    case 0:
        return 1;
    default:
        return last_word_is_keyword(j);
    }
}

static int js_next(int st, char c)
{
    if (c == '\xff')
        return J_TEXT;
    switch (st) {
    case J_TEXT:
    case J_COMMENT_AFTER:
        return c == '\'' ? J_Q : c == '"' ? J_DQ : c == '/' ? J_SLASH : J_TEXT;
    case J_Q:
        return c == '\\' ? J_Q_E : c == '\'' ? J_TEXT : J_Q;
    case J_Q_E:
        return J_Q;
    case J_DQ:
        return c == '\\' ? J_DQ_E : c == '"' ? J_TEXT : J_DQ;
    case J_DQ_E:
        return J_DQ;
    case J_SLASH:
        return c == '/' ? J_COMMENT_LN : c == '*' ? J_COMMENT_ML : J_TEXT;
    case J_REGEXP_SLASH:
        return c == '/'    ? J_COMMENT_LN
               : c == '*'  ? J_COMMENT_ML
               : c == '\\' ? J_REGEXP_E
               : c == '['  ? J_REGEXP_BRACKET
                           : J_REGEXP;
    case J_REGEXP:
        return c == '\\' ? J_REGEXP_E : c == '[' ? J_REGEXP_BRACKET : c == '/' ? J_TEXT : J_REGEXP;
    case J_REGEXP_E:
        return J_REGEXP;
    case J_REGEXP_BRACKET:
        return c == '\\' ? J_REGEXP_BRACKET_E : c == ']' ? J_REGEXP : J_REGEXP_BRACKET;
    case J_REGEXP_BRACKET_E:
        return J_REGEXP_BRACKET;
    case J_COMMENT_LN:
        return c == '\n' ? J_COMMENT_AFTER : J_COMMENT_LN;
    case J_COMMENT_ML:
        return c == '*' ? J_COMMENT_ML_CLOSE : J_COMMENT_ML;
    case J_COMMENT_ML_CLOSE:
        /* Upstream returns to the comment on a second star, so a comment
         * ending in two stars and a slash stays open; kept as upstream. */
        return c == '/' ? J_COMMENT_AFTER : J_COMMENT_ML;
    }
    return J_TEXT;
}

static void js_char(js_scan *j, char c)
{
    int next = js_next(j->state, c);
    if (next != j->state) {
        if (next == J_SLASH) {
            if (slash_opens_regexp(j))
                next = J_REGEXP_SLASH;
            ring_add(j, c);
        } else if (next == J_COMMENT_AFTER) {
            /* The '/' that opened the comment was no token: make it a space. */
            if (js_space(ring_get(j, -2)))
                ring_pop(j);
            else
                ring_set(j, -1, ' ');
        }
    }
    if (next == J_TEXT)
        ring_add(j, c);
    j->state = next;
}

static int js_external(int st)
{
    switch (st) {
    case J_Q:
    case J_Q_E:
        return JS_EXT_Q;
    case J_DQ:
    case J_DQ_E:
        return JS_EXT_DQ;
    case J_REGEXP:
    case J_REGEXP_E:
    case J_REGEXP_BRACKET:
    case J_REGEXP_BRACKET_E:
        return JS_EXT_REGEXP;
    case J_COMMENT_LN:
    case J_COMMENT_ML:
    case J_COMMENT_ML_CLOSE:
        return JS_EXT_COMMENT;
    }
    return JS_EXT_TEXT;
}

/* --- character references in JavaScript attribute values ----------------------- */

/* Feeds c through the entity decoder to the JavaScript scanner. */
static void entity_char(ae_parser *p, char c)
{
    if (!p->in_entity) {
        if (c == '&') {
            p->in_entity = 1;
            p->entity_len = 0;
        } else {
            js_char(&p->js, c);
        }
        return;
    }
    if (c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        p->in_entity = 0;
        p->entity[p->entity_len] = 0;
        const char *e = p->entity;
        char out[MAX_ENTITY + 2];
        if (e[0] == '#') {
            long n =
                (e[1] == 'x' || e[1] == 'X') ? strtol(e + 2, NULL, 16) : strtol(e + 1, NULL, 10);
            out[0] = (char)n;
            out[1] = 0;
        } else if (!strcasecmp(e, "lt")) {
            strcpy(out, "<");
        } else if (!strcasecmp(e, "gt")) {
            strcpy(out, ">");
        } else if (!strcasecmp(e, "quot")) {
            strcpy(out, "\"");
        } else if (!strcasecmp(e, "amp")) {
            strcpy(out, "&");
        } else if (!strcasecmp(e, "apos")) {
            strcpy(out, "'");
        } else {
            /* Unknown: passed on as written, cut to the decoder's size. */
            int n = 0;
            out[n++] = '&';
            for (const char *q = e; *q && n < MAX_ENTITY - 2; q++)
                out[n++] = *q;
            if (n < MAX_ENTITY - 1)
                out[n++] = c;
            out[n] = 0;
        }
        for (const char *q = out; *q; q++)
            js_char(&p->js, *q);
        return;
    }
    p->entity[p->entity_len++] = c;
    if (p->entity_len >= MAX_ENTITY - 2) {
        p->entity[p->entity_len] = 0;
        p->in_entity = 0;
        char out[MAX_ENTITY + 2];
        out[0] = '&';
        int n = 1;
        for (int i = 0; i < p->entity_len && n < MAX_ENTITY - 1; i++)
            out[n++] = p->entity[i];
        out[n] = 0;
        for (const char *q = out; *q; q++)
            js_char(&p->js, *q);
    }
}

/* --- the HTML scanner ---------------------------------------------------------- */

static int html_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Characters of tag and attribute names. */
static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == ':' || c == '_';
}

static int html_next(int st, char c)
{
    /* Upstream's generated tables leave byte 0xff at their zero state. */
    if (c == '\xff')
        return H_TEXT;
    switch (st) {
    case H_TEXT:
    case H_TAG_CLOSE:
        return c == '<' ? H_TAG_START : H_TEXT;
    case H_TAG_START:
        if (c == '!')
            return H_DECL_START;
        if (c == '?')
            return H_PI;
        if (c == '<')
            return H_TAG_START;
        return c == '/' || name_char(c) ? H_TAG_NAME : H_TEXT;
    case H_TAG_NAME:
        if (html_space(c))
            return H_TAG_SPACE;
        if (c == '>')
            return H_TAG_CLOSE;
        return c == '/' || name_char(c) ? H_TAG_NAME : H_ERROR;
    case H_DECL_START:
        return c == '-' ? H_COMMENT_OPEN : c == '>' ? H_TEXT : H_DECL_BODY;
    case H_DECL_BODY:
        return c == '>' ? H_TEXT : H_DECL_BODY;
    case H_COMMENT_OPEN:
        return c == '-' ? H_COMMENT_BODY : H_TEXT;
    case H_COMMENT_BODY:
        return c == '-' ? H_COMMENT_DASH : H_COMMENT_BODY;
    case H_COMMENT_DASH:
        return c == '-' ? H_COMMENT_DASH_DASH : H_COMMENT_BODY;
    case H_COMMENT_DASH_DASH:
        return c == '>' ? H_TEXT : c == '-' ? H_COMMENT_DASH_DASH : H_COMMENT_BODY;
    case H_PI:
        return c == '?' ? H_PI_MAY_END : H_PI;
    case H_PI_MAY_END:
        return c == '>' ? H_TEXT : H_PI;
    case H_TAG_SPACE:
        if (html_space(c) || c == '/')
            return H_TAG_SPACE;
        return c == '>' ? H_TAG_CLOSE : name_char(c) ? H_ATTR : H_ERROR;
    case H_ATTR:
    case H_ATTR_SPACE:
        if (c == '/')
            return H_TAG_SPACE;
        if (html_space(c))
            return H_ATTR_SPACE;
        if (c == '=')
            return H_VALUE;
        if (c == '>')
            return H_TAG_CLOSE;
        return name_char(c) ? H_ATTR : H_ERROR;
    case H_VALUE:
        return html_space(c) ? H_VALUE
               : c == '>'    ? H_TAG_CLOSE
               : c == '\''   ? H_VALUE_Q_START
               : c == '"'    ? H_VALUE_DQ_START
                             : H_VALUE_TEXT;
    case H_VALUE_TEXT:
        return html_space(c) ? H_TAG_SPACE : c == '>' ? H_TAG_CLOSE : H_VALUE_TEXT;
    case H_VALUE_Q_START:
    case H_VALUE_Q:
        return c == '\'' ? H_TAG_SPACE : H_VALUE_Q;
    case H_VALUE_DQ_START:
    case H_VALUE_DQ:
        return c == '"' ? H_TAG_SPACE : H_VALUE_DQ;
    case H_CDATA_TEXT:
        return c == '<' ? H_CDATA_LT : H_CDATA_TEXT;
    case H_CDATA_LT:
        return c == '/' ? H_CDATA_MAY_CLOSE : c == '!' ? H_CDATA_COMMENT_START : H_CDATA_TEXT;
    case H_CDATA_COMMENT_START:
        return c == '-' ? H_CDATA_COMMENT_START_DASH : H_CDATA_TEXT;
    case H_CDATA_COMMENT_START_DASH:
        return c == '-' ? H_CDATA_COMMENT_BODY : H_CDATA_TEXT;
    case H_CDATA_COMMENT_BODY:
        return c == '-' ? H_CDATA_COMMENT_DASH : H_CDATA_COMMENT_BODY;
    case H_CDATA_COMMENT_DASH:
        return c == '-' ? H_CDATA_COMMENT_DASH_DASH : H_CDATA_COMMENT_BODY;
    case H_CDATA_COMMENT_DASH_DASH:
        return c == '>'   ? H_CDATA_TEXT
               : c == '-' ? H_CDATA_COMMENT_DASH_DASH
                          : H_CDATA_COMMENT_BODY;
    case H_CDATA_MAY_CLOSE:
        if (html_space(c))
            return H_TAG_SPACE;
        if (c == '>')
            return H_TEXT;
        return c == '/' || name_char(c) ? H_CDATA_MAY_CLOSE : H_CDATA_TEXT;
    case H_JS_FILE:
        return H_JS_FILE;
    case H_CSS_FILE:
        return H_CSS_FILE;
    }
    return H_ERROR;
}

static int is_cdata(int st)
{
    return st == H_CDATA_TEXT || st == H_CDATA_COMMENT_START || st == H_CDATA_COMMENT_START_DASH ||
           st == H_CDATA_COMMENT_BODY || st == H_CDATA_COMMENT_DASH ||
           st == H_CDATA_COMMENT_DASH_DASH || st == H_CDATA_LT || st == H_CDATA_MAY_CLOSE;
}

static int is_value_content(int st)
{
    return st == H_VALUE_TEXT || st == H_VALUE_Q || st == H_VALUE_DQ;
}

static int html_external(int st)
{
    switch (st) {
    case H_TAG_START:
    case H_TAG_NAME:
    case H_TAG_SPACE:
        return AE_TAG;
    case H_ATTR:
    case H_ATTR_SPACE:
        return AE_ATTR;
    case H_VALUE:
    case H_VALUE_TEXT:
    case H_VALUE_Q_START:
    case H_VALUE_Q:
    case H_VALUE_DQ_START:
    case H_VALUE_DQ:
        return AE_VALUE;
    case H_COMMENT_BODY:
    case H_COMMENT_DASH:
    case H_COMMENT_DASH_DASH:
        return AE_COMMENT;
    case H_JS_FILE:
        return AE_JS_FILE;
    case H_CSS_FILE:
        return AE_CSS_FILE;
    case H_ERROR:
        return AE_ERROR;
    }
    return AE_TEXT;
}

static void record_start(ae_parser *p)
{
    p->rec[0] = 0;
    p->rec_len = 0;
    p->recording = 1;
}

/* Stops recording and copies what was recorded to dst (lowercased). */
static void record_stop(ae_parser *p, char *dst)
{
    p->recording = 0;
    for (int i = 0; i <= p->rec_len; i++) {
        char c = p->rec[i];
        dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
}

static int is_js_attr(const char *a)
{
    return a[0] == 'o' && a[1] == 'n';
}

static void html_char(ae_parser *p, char c)
{
    int cur = p->state, next = html_next(cur, c);
    if (next == H_ERROR) {
        p->state = next;
        return;
    }
    if (next != cur) {
        /* Leaving a state. */
        if (cur == H_TAG_NAME) {
            record_stop(p, p->tag);
            if (p->tag[0] == '/')
                p->tag[0] = 0;
        } else if (cur == H_ATTR) {
            record_stop(p, p->attr);
        } else if (is_value_content(cur)) {
            p->recording = 0;
            p->in_js = 0;
        } else if (cur == H_CDATA_MAY_CLOSE) {
            p->recording = 0;
            if (!strcasecmp(p->rec + 1, p->tag) && (c == '>' || html_space(c))) {
                p->tag[0] = 0;
                p->in_js = 0;
            } else {
                next = H_CDATA_TEXT;
            }
        }
        /* Entering one (the exit action may have redirected next). */
        if (next == H_TAG_NAME) {
            p->tag[0] = 0;
            record_start(p);
        } else if (next == H_ATTR) {
            p->attr[0] = 0;
            record_start(p);
        } else if (next == H_TAG_CLOSE) {
            if (!strcmp(p->tag, "script")) {
                next = H_CDATA_TEXT;
                js_reset(&p->js);
                p->in_js = 1;
            } else if (!strcmp(p->tag, "style") || !strcmp(p->tag, "title") ||
                       !strcmp(p->tag, "textarea")) {
                next = H_CDATA_TEXT;
                p->in_js = 0;
            }
        } else if (next == H_CDATA_MAY_CLOSE) {
            record_start(p);
        } else if (next == H_VALUE) {
            p->value_index = 0;
            if (is_js_attr(p->attr)) {
                p->in_entity = 0;
                p->entity_len = 0;
                js_reset(&p->js);
                p->in_js = 1;
            } else {
                p->in_js = 0;
            }
        } else if (is_value_content(next)) {
            record_start(p);
        }
    }
    /* While in a state. */
    if (is_cdata(next) || next == H_JS_FILE) {
        if (p->in_js)
            js_char(&p->js, c);
    } else if (is_value_content(next)) {
        p->value_index++;
        if (p->in_js == 1)
            entity_char(p, c);
    }
    if (p->recording && p->rec_len < MAX_NAME - 1) {
        p->rec[p->rec_len++] = c;
        p->rec[p->rec_len] = 0;
    }
    p->state = next;
}

/* --- the public interface ------------------------------------------------------- */

ae_parser *ae_new(ae_mode mode)
{
    ae_parser *p = xcalloc(1, sizeof *p);
    js_reset(&p->js);
    switch (mode) {
    case AE_MODE_HTML:
        p->state = H_TEXT;
        break;
    case AE_MODE_JS:
        p->state = H_JS_FILE;
        p->in_js = 1;
        break;
    case AE_MODE_CSS:
        p->state = H_CSS_FILE;
        break;
    case AE_MODE_HTML_IN_TAG:
        p->state = H_TAG_SPACE;
        break;
    }
    return p;
}

void ae_free(ae_parser *p)
{
    free(p);
}

int ae_feed(ae_parser *p, const char *text, size_t len)
{
    for (size_t i = 0; i < len && p->state != H_ERROR; i++)
        html_char(p, text[i]);
    return p->state == H_ERROR ? -1 : 0;
}

void ae_insert_text(ae_parser *p)
{
    if (p->state == H_VALUE)
        p->state = H_VALUE_TEXT;
}

int ae_state(const ae_parser *p)
{
    return html_external(p->state);
}

int ae_in_js(const ae_parser *p)
{
    if (p->in_js && (is_cdata(p->state) || p->state == H_JS_FILE))
        return 1;
    return html_external(p->state) == AE_VALUE && p->in_js;
}

int ae_is_attr_quoted(const ae_parser *p)
{
    return p->state == H_VALUE_Q_START || p->state == H_VALUE_Q || p->state == H_VALUE_DQ_START ||
           p->state == H_VALUE_DQ;
}

const char *ae_tag(const ae_parser *p)
{
    return p->tag[0] ? p->tag : NULL;
}

const char *ae_attr(const ae_parser *p)
{
    int ext = html_external(p->state);
    return ext == AE_ATTR || ext == AE_VALUE ? p->attr : NULL;
}

static const char *value_text(const ae_parser *p)
{
    return html_external(p->state) == AE_VALUE ? p->rec : NULL;
}

static const char *skip_space(const char *s, int digits)
{
    while (html_space(*s) || (digits && *s >= '0' && *s <= '9'))
        s++;
    return s;
}

/* <meta http-equiv="refresh" content="5; url=...">: 0 no URL, 1 the value
 * ends where the URL starts, 2 the value ends inside the URL. */
static int meta_refresh(const char *v)
{
    if (!v)
        return 0;
    v = skip_space(v, 1);
    if (*v++ != ';')
        return 0;
    v = skip_space(v, 0);
    if (strncasecmp(v, "url", 3))
        return 0;
    v = skip_space(v + 3, 0);
    if (*v++ != '=')
        return 0;
    v = skip_space(v, 0);
    if (*v == '"' || *v == '\'')
        v++;
    return *v ? 2 : 1;
}

static int is_uri_attr(const char *a)
{
    static const char *const names[] = {"action",  "archive",  "background", "cite",
                                        "classid", "codebase", "data",       "dynsrc",
                                        "href",    "longdesc", "src",        "usemap"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(a, names[i]))
            return 1;
    return 0;
}

int ae_attr_type(const ae_parser *p)
{
    int ext = html_external(p->state);
    if (ext != AE_ATTR && ext != AE_VALUE)
        return AE_ATTR_NONE;
    if (is_js_attr(p->attr))
        return AE_ATTR_JS;
    if (is_uri_attr(p->attr))
        return AE_ATTR_URI;
    if (!strcmp(p->attr, "style"))
        return AE_ATTR_STYLE;
    if (!strcmp(p->tag, "meta") && !strcmp(p->attr, "content") && meta_refresh(value_text(p)))
        return AE_ATTR_URI;
    return AE_ATTR_REGULAR;
}

int ae_value_index(const ae_parser *p)
{
    return html_external(p->state) == AE_VALUE ? p->value_index : -1;
}

int ae_in_css(const ae_parser *p)
{
    return p->state == H_CSS_FILE ||
           (html_external(p->state) == AE_VALUE && ae_attr_type(p) == AE_ATTR_STYLE) ||
           !strcmp(p->tag, "style");
}

int ae_is_url_start(const ae_parser *p)
{
    if (ae_attr_type(p) != AE_ATTR_URI)
        return 0;
    return (!strcmp(p->tag, "meta") && meta_refresh(value_text(p)) == 1) || ae_value_index(p) == 0;
}

int ae_is_js_quoted(const ae_parser *p)
{
    if (!ae_in_js(p))
        return 0;
    int st = js_external(p->js.state);
    return st == JS_EXT_Q || st == JS_EXT_DQ;
}

int ae_js_state(const ae_parser *p)
{
    return js_external(p->js.state);
}

/* GetModifierForHtmlJs, in upstream's order of questions. */
ae_escape ae_choose(ae_parser *p, const char **why, const char **attr)
{
    int ext = html_external(p->state);
    if (why)
        *why = NULL;
    if (attr)
        *attr = p->attr;
    if (ae_in_js(p) && ext != AE_VALUE)
        return ae_is_js_quoted(p) ? AE_ESC_JS : AE_ESC_JS_NUMBER;
    ae_escape e = AE_ESC_HTML;
    switch (ext) {
    case AE_VALUE:
        switch (ae_attr_type(p)) {
        case AE_ATTR_URI:
            if (!ae_is_attr_quoted(p)) {
                if (ae_is_url_start(p)) {
                    if (why)
                        *why = "URL";
                    return AE_ESC_FAIL;
                }
                e = AE_ESC_URL_QUERY;
            } else {
                e = ae_is_url_start(p) ? AE_ESC_URL_HTML : AE_ESC_HTML;
            }
            break;
        case AE_ATTR_STYLE:
            if (!ae_is_attr_quoted(p)) {
                if (why)
                    *why = "style";
                return AE_ESC_FAIL;
            }
            e = AE_ESC_STYLE;
            break;
        case AE_ATTR_JS:
            if (!ae_is_attr_quoted(p)) {
                if (why)
                    *why = "JavaScript";
                return AE_ESC_FAIL;
            }
            e = ae_is_js_quoted(p) ? AE_ESC_JS : AE_ESC_JS_NUMBER;
            break;
        default:
            e = ae_is_attr_quoted(p) ? AE_ESC_HTML : AE_ESC_HTML_UNQUOTED;
            break;
        }
        ae_insert_text(p);
        return e;
    case AE_TAG:
    case AE_ATTR:
        return AE_ESC_HTML_UNQUOTED;
    case AE_COMMENT:
    case AE_TEXT:
        return ae_in_css(p) ? AE_ESC_STYLE : AE_ESC_HTML;
    }
    /* JS_FILE is handled above; CSS_FILE only reaches here in CSS mode, where
     * the template module asks for :c without the scanner. */
    return AE_ESC_STYLE;
}
