/* template: Google ctemplate (2.4) in C. A template is stripped (per the strip
 * mode), parsed once into a tree of text, variable, section and include nodes,
 * and cached by name in its tpl_set; rendering walks the tree against a
 * dictionary tree and appends to a buf. Behaviour follows upstream template.cc,
 * template_dictionary.cc and template_modifiers.cc byte for byte; see
 * /usr/share/doc/libctemplate-dev/html/reference.html. */
#include "template.h"

#include "autoescape.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Limits that keep hostile or broken templates from exhausting the stack. */
#define MAX_SECTION_DEPTH 100
#define MAX_INCLUDE_DEPTH 32

#define ID_SYNTAX "template-syntax"
#define ID_INCLUDE "template-include"

/* --- hashing ------------------------------------------------------------------ */

static uint32_t hash_name(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* --- dictionaries ------------------------------------------------------------- */

/* Variables, sections and includes are separate namespaces (reference.html). */
enum { K_VAR = 1, K_SECTION, K_INCLUDE };

typedef struct dent {
    uint32_t hash;
    unsigned char kind;     /* 0: empty entry */
    unsigned char borrowed; /* value belongs to the caller (tpl_dict_set_ref) */
    char *name;
    size_t namelen;
    char *value; /* K_VAR; slot_value for a slot */
    size_t vlen;
    size_t slot_id;  /* slots */
    tpl_dict **kids; /* K_SECTION, K_INCLUDE */
    size_t nkids, capkids;
} dent;

struct tpl_dict {
    tpl_dict *parent; /* lookup parent; NULL for the root and include dicts */
    tpl_dict *root;   /* root of the tree; owns the template-global values */
    tpl_dict *globals;
    const tpl_dict *shared; /* roots only: read-only fallback, see tpl_dict_set_shared */
    char *filename;         /* include dictionaries only */
    dent *tab;
    uint32_t cap, count;
};

static tpl_dict *dict_alloc(tpl_dict *parent, tpl_dict *root)
{
    tpl_dict *d = xcalloc(1, sizeof *d);
    d->parent = parent;
    d->root = root ? root : d;
    return d;
}

tpl_dict *tpl_dict_new(void)
{
    return dict_alloc(NULL, NULL);
}

void tpl_dict_free(tpl_dict *d)
{
    if (!d)
        return;
    for (uint32_t i = 0; i < d->cap; i++) {
        dent *e = &d->tab[i];
        if (!e->kind)
            continue;
        free(e->name);
        if (!e->borrowed)
            free(e->value);
        for (size_t k = 0; k < e->nkids; k++)
            tpl_dict_free(e->kids[k]);
        free(e->kids);
    }
    free(d->tab);
    free(d->filename);
    tpl_dict_free(d->globals);
    free(d);
}

static dent *dict_find(const tpl_dict *d, int kind, const char *name, size_t len, uint32_t h)
{
    if (!d->cap)
        return NULL;
    uint32_t mask = d->cap - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        dent *e = &d->tab[i];
        if (!e->kind)
            return NULL;
        if (e->hash == h && e->kind == kind && e->namelen == len && !memcmp(e->name, name, len))
            return e;
    }
}

/* The entry for `name`, added if it is not there yet. */
static dent *dict_put(tpl_dict *d, int kind, const char *name)
{
    size_t len = strlen(name);
    uint32_t h = hash_name(name, len);
    dent *e = dict_find(d, kind, name, len, h);
    if (e)
        return e;
    if ((d->count + 1) * 4 > d->cap * 3) {
        uint32_t ncap = d->cap ? d->cap * 2 : 8;
        dent *nt = xcalloc(ncap, sizeof *nt);
        for (uint32_t i = 0; i < d->cap; i++) {
            if (!d->tab[i].kind)
                continue;
            uint32_t j = d->tab[i].hash & (ncap - 1);
            while (nt[j].kind)
                j = (j + 1) & (ncap - 1);
            nt[j] = d->tab[i];
        }
        free(d->tab);
        d->tab = nt;
        d->cap = ncap;
    }
    uint32_t j = h & (d->cap - 1);
    while (d->tab[j].kind)
        j = (j + 1) & (d->cap - 1);
    e = &d->tab[j];
    e->hash = h;
    e->kind = (unsigned char)kind;
    e->name = xstrndup(name, len);
    e->namelen = len;
    d->count++;
    return e;
}

void tpl_dict_set_len(tpl_dict *d, const char *name, const char *value, size_t len)
{
    dent *e = dict_put(d, K_VAR, name);
    if (!e->borrowed)
        free(e->value);
    e->value = xstrndup(value ? value : "", value ? len : 0);
    e->vlen = value ? len : 0;
    e->borrowed = 0;
}

void tpl_dict_set_ref(tpl_dict *d, const char *name, const char *value, size_t len)
{
    dent *e = dict_put(d, K_VAR, name);
    if (!e->borrowed)
        free(e->value);
    e->value = (char *)value;
    e->vlen = len;
    e->borrowed = 1;
}

/* The value of every slot, told apart by its address: rendering checks one
 * pointer it holds anyway, and any other reader sees an empty value. */
static char slot_value[1];

void tpl_dict_set_slot(tpl_dict *d, const char *name, size_t id)
{
    dent *e = dict_put(d, K_VAR, name);
    if (!e->borrowed)
        free(e->value);
    e->value = slot_value;
    e->vlen = 0;
    e->borrowed = 1;
    e->slot_id = id;
}

void tpl_dict_set(tpl_dict *d, const char *name, const char *value)
{
    tpl_dict_set_len(d, name, value, value ? strlen(value) : 0);
}

void tpl_dict_set_int(tpl_dict *d, const char *name, long value)
{
    buf b;
    buf_init(&b);
    buf_printf(&b, "%ld", value);
    tpl_dict_set_len(d, name, b.data, b.len);
    buf_release(&b);
}

void tpl_dict_set_template_global(tpl_dict *d, const char *name, const char *value, size_t len)
{
    tpl_dict *root = d->root;
    if (!root->globals)
        root->globals = dict_alloc(NULL, NULL);
    tpl_dict_set_len(root->globals, name, value, len);
}

static tpl_dict *dict_add_kid(dent *e, tpl_dict *kid)
{
    if (e->nkids == e->capkids) {
        e->capkids = e->capkids ? e->capkids * 2 : 4;
        e->kids = xrealloc(e->kids, e->capkids * sizeof *e->kids);
    }
    e->kids[e->nkids++] = kid;
    return kid;
}

void tpl_dict_show_section(tpl_dict *d, const char *name)
{
    dent *e = dict_put(d, K_SECTION, name);
    if (!e->nkids)
        dict_add_kid(e, dict_alloc(d, d->root));
}

tpl_dict *tpl_dict_add_section(tpl_dict *d, const char *name)
{
    return dict_add_kid(dict_put(d, K_SECTION, name), dict_alloc(d, d->root));
}

tpl_dict *tpl_dict_add_include(tpl_dict *d, const char *name, const char *filename)
{
    /* No lookup parent: the include boundary. */
    tpl_dict *kid = dict_alloc(NULL, d->root);
    kid->filename = xstrdup(filename ? filename : "");
    return dict_add_kid(dict_put(d, K_INCLUDE, name), kid);
}

/* Looks `name` up in d, then its parents up to an include boundary, then in
 * the shared dictionary of d's tree, if any. */
static const dent *dict_lookup(const tpl_dict *d, int kind, const char *name, size_t len,
                               uint32_t h)
{
    const tpl_dict *start = d;
    for (; d; d = d->parent) {
        const dent *e = dict_find(d, kind, name, len, h);
        if (e)
            return e;
    }
    if (start && start->root->shared)
        return dict_lookup(start->root->shared, kind, name, len, h);
    return NULL;
}

void tpl_dict_set_shared(tpl_dict *d, const tpl_dict *shared)
{
    d->root->shared = shared;
}

/* --- compiled form ------------------------------------------------------------- */

enum { N_TEXT, N_VAR, N_SECTION, N_INCLUDE };

typedef enum modk {
    M_NONE,
    M_PASS, /* x- modifiers: nothing registered, output unchanged */
    M_HTML,
    M_PRE,
    M_SNIPPET,
    M_ATTRIBUTE,
    M_URL_HTML,
    M_URL_JS,
    M_URL_CSS,
    M_IMG_HTML,
    M_IMG_JS,
    M_IMG_CSS,
    M_JS,
    M_JSON,
    M_URL_QUERY,
    M_CSS,
    M_XML,
    M_JS_NUMBER
} modk;

typedef struct node node;
struct node {
    unsigned char kind;
    unsigned char nmods;
    unsigned char auto_escaped; /* auto-escaping added the last of mods */
    modk *mods;
    const char *s; /* text, or marker name; points into the template's text */
    size_t len;
    uint32_t hash;
    int line, col;      /* variables, includes: where render-time errors point */
    const char *indent; /* include markers: indentation of the marker line */
    size_t indentlen;
    const tpl *auto_tpl; /* include markers with auto_includes, resolved at load */
    node *kids;          /* sections */
    size_t nkids;
    size_t sep; /* index of the OURNAME_separator child, or (size_t)-1 */
};

struct tpl {
    tpl_set *set;
    char *name; /* as given: the cache key and the name in include chains */
    char *path; /* as reported in diagnostics */
    char *text; /* stripped source; nodes point into it */
    size_t textlen;
    node root;
    int ok;
};

typedef struct centry {
    char *name;
    tpl *t;
} centry;

struct tpl_set {
    char *dir;
    char *realdir; /* resolved dir, to refuse symlinks that leave it */
    tpl_strip strip;
    int auto_includes;
    tpl_dict *globals;    /* tpl_set_global: looked up after template-globals */
    tpl_reader reader;    /* tpl_set_reader, or NULL: read_file */
    void *reader_ctx;
    pthread_mutex_t lock; /* recursive: loads nest through eager auto includes */
    centry *tab;
    size_t cap, count;
};

static void free_node(node *n)
{
    free(n->mods);
    for (size_t i = 0; i < n->nkids; i++)
        free_node(&n->kids[i]);
    free(n->kids);
}

static void tpl_free(tpl *t)
{
    if (!t)
        return;
    free_node(&t->root);
    free(t->name);
    free(t->path);
    free(t->text);
    free(t);
}

tpl_set *tpl_set_new(const char *dir, tpl_strip strip, int auto_includes)
{
    tpl_set *s = xcalloc(1, sizeof *s);
    s->dir = xstrdup(dir && *dir ? dir : ".");
    char *r = realpath(s->dir, NULL);
    s->realdir = r ? xstrdup(r) : NULL;
    free(r);
    s->strip = strip;
    s->auto_includes = auto_includes;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    return s;
}

void tpl_set_free(tpl_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->tab[i].name)
            continue;
        free(s->tab[i].name);
        tpl_free(s->tab[i].t);
    }
    free(s->tab);
    tpl_dict_free(s->globals);
    free(s->dir);
    free(s->realdir);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

void tpl_set_global(tpl_set *s, const char *name, const char *value, size_t len)
{
    if (!s->globals)
        s->globals = dict_alloc(NULL, NULL);
    tpl_dict_set_len(s->globals, name, value, len);
}

static centry *cache_find(tpl_set *s, const char *name)
{
    if (!s->cap)
        return NULL;
    size_t mask = s->cap - 1;
    for (size_t i = hash_name(name, strlen(name)) & mask;; i = (i + 1) & mask) {
        if (!s->tab[i].name)
            return NULL;
        if (!strcmp(s->tab[i].name, name))
            return &s->tab[i];
    }
}

static void cache_put(tpl_set *s, tpl *t)
{
    if ((s->count + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 16;
        centry *nt = xcalloc(ncap, sizeof *nt);
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->tab[i].name)
                continue;
            size_t j = hash_name(s->tab[i].name, strlen(s->tab[i].name)) & (ncap - 1);
            while (nt[j].name)
                j = (j + 1) & (ncap - 1);
            nt[j] = s->tab[i];
        }
        free(s->tab);
        s->tab = nt;
        s->cap = ncap;
    }
    size_t j = hash_name(t->name, strlen(t->name)) & (s->cap - 1);
    while (s->tab[j].name)
        j = (j + 1) & (s->cap - 1);
    s->tab[j].name = xstrdup(t->name);
    s->tab[j].t = t;
    s->count++;
}

/* --- modifiers ------------------------------------------------------------------ */

typedef struct modinfo {
    const char *name; /* long name, "=value" included for specializations */
    char shortname;
    modk kind;
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

static int is_ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void mod_attribute(const char *in, size_t len, buf *out)
{
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c == '=')
            buf_addc(out, i == 0 || i == len - 1 ? '_' : c);
        else if (c == '-' || c == '.' || c == '_' || c == ':' || is_ascii_alnum(c))
            buf_addc(out, c);
        else
            buf_addc(out, '_');
    }
}

static void mod_css(const char *in, size_t len, buf *out)
{
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (is_ascii_alnum(c) || (c && strchr(" _.,!#%-", c)))
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
        else if (is_ascii_alnum((char)c) || (c && strchr(".,_*/~!()-", c)))
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

static void apply_mod(modk m, const char *in, size_t len, buf *out)
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

/* Applies mods[0..n) left to right to in[0..len), appending the result to out.
 * Intermediate results live in the two scratch buffers. */
static void apply_chain(const modk *mods, size_t n, const char *in, size_t len, buf *out,
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

/* Whether p[i] (of p[0..len)) ends a line for PrefixLine: a "\n", or a "\r"
 * that no "\n" follows. */
static inline int ends_line(const char *p, size_t i, size_t len)
{
    return p[i] == '\n' || (p[i] == '\r' && (i + 1 == len || p[i + 1] != '\n'));
}

/* Upstream PrefixLine on out[start..]: `indent` goes after every "\n", "\r\n"
 * and lone "\r", including a final one. Done in place, shifting from the end. */
static void prefix_lines(buf *out, size_t start, const char *indent, size_t ilen)
{
    char *p = out->data;
    size_t n = 0;
    for (size_t i = start; i < out->len; i++)
        n += ends_line(p, i, out->len);
    if (!n)
        return;
    size_t old = out->len;
    buf_grow(out, n * ilen);
    p = out->data;
    size_t w = old + n * ilen;
    p[w] = '\0';
    for (size_t i = old; i-- > start;) {
        if (ends_line(p, i, old)) {
            w -= ilen;
            memcpy(p + w, indent, ilen);
        }
        p[--w] = p[i];
    }
    out->len = old + n * ilen;
}

/* --- stripping ------------------------------------------------------------------ */

/* A segment maps a run of the stripped text back to the source. */
typedef struct seg {
    size_t dst, src;
} seg;

typedef struct delims {
    const char *start, *end;
    size_t slen, elen;
} delims;

/* Every needle is a delimiter, and parse_delims never makes an empty one: an
 * empty needle would match where the search starts, and no scan that resumes
 * after its match would ever advance. */
static const char *memmatch(const char *hay, size_t haylen, const char *needle, size_t nlen)
{
    assert(nlen > 0);
    if (nlen > haylen)
        return NULL;
    return memmem(hay, haylen, needle, nlen);
}

static int ascii_isspace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static void trim(const char **s, size_t *len)
{
    while (*len && ascii_isspace((*s)[*len - 1]))
        (*len)--;
    while (*len && ascii_isspace(**s)) {
        (*len)--;
        (*s)++;
    }
}

/* Template::ParseDelimiters: text is "=XXX YYY=" with exactly one space.
 * Sets *dl and returns 1; or leaves *dl alone and returns 0 when text is
 * malformed, -1 when a delimiter is empty. Upstream accepts empty delimiters,
 * then finds no more markers, and its stripper loops forever on them; charter
 * refuses them here, for the stripper and the parser alike (docs/templates.md). */
static int parse_delims(const char *text, size_t len, delims *dl)
{
    const char *space = memchr(text, ' ', len);
    if (len < 3 || text[0] != '=' || text[len - 1] != '=' || memchr(text + 1, '=', len - 2) ||
        !space || memchr(space + 1, ' ', (size_t)(text + len - (space + 1))))
        return 0;
    if (space == text + 1 || space == text + len - 2)
        return -1;
    dl->start = text + 1;
    dl->slen = (size_t)(space - dl->start);
    dl->end = space + 1;
    dl->elen = (size_t)(text + len - 1 - dl->end);
    return 1;
}

static const delims default_delims = {"{{", "}}", 2, 2};

/* Template::IsBlankOrOnlyHasOneRemovableMarker. */
static int blank_or_one_marker(const char **line, size_t *len, const delims *dl)
{
    const char *s = *line;
    size_t n = *len;
    trim(&s, &n);
    if (n == 0) {
        *line = s;
        *len = n;
        return 1;
    }
    if (n < dl->slen + dl->elen + 1)
        return 0;
    if (memcmp(s, dl->start, dl->slen) != 0 || !strchr("#/>!%=", s[dl->slen]) || !s[dl->slen])
        return 0;
    const char *e = memmatch(s + dl->slen, n - dl->slen, dl->end, dl->elen);
    if (!e || e + dl->elen != s + n)
        return 0;
    *line = s;
    *len = n;
    return 1;
}

/* Template::StripBuffer, recording where each copied run came from. */
static void strip_text(const char *src, size_t len, tpl_strip strip, buf *out, seg **segs,
                       size_t *nsegs)
{
    delims dl = default_delims;
    size_t cap = 0;
    const char *end = src + len;
    for (const char *line = src, *next; line < end; line = next) {
        next = memchr(line, '\n', (size_t)(end - line));
        next = next ? next + 1 : end;
        const char *s = line;
        size_t n = (size_t)(next - line);
        int add_nl = n > 0 && s[n - 1] == '\n';
        if (add_nl)
            n--;
        if (strip >= TPL_STRIP_WHITESPACE) {
            trim(&s, &n);
            add_nl = 0;
        } else if (blank_or_one_marker(&s, &n, &dl)) {
            add_nl = 0;
        }
        if (n || add_nl) {
            if (*nsegs == cap) {
                cap = cap ? cap * 2 : 64;
                *segs = xrealloc(*segs, cap * sizeof **segs);
            }
            (*segs)[(*nsegs)++] = (seg){out->len, (size_t)(s - src)};
            buf_add(out, s, n);
            if (add_nl)
                buf_addc(out, '\n');
        }
        /* Track delimiter changes so the next line's removable marker is
         * recognised; like upstream, only whole markers on this line count.
         * A malformed or empty change keeps the delimiters: the parser
         * reports it, if it reads that text as a marker at all. Each turn
         * moves m past a start and an end delimiter, both non-empty. */
        const char *m = line;
        while (m) {
            m = memmatch(m, (size_t)(next - m), dl.start, dl.slen);
            if (!m)
                break;
            const char *inner = m + dl.slen;
            const char *e = memmatch(inner, (size_t)(next - inner), dl.end, dl.elen);
            if (!e)
                break;
            m = e + dl.elen;
            parse_delims(inner, (size_t)(e - inner), &dl);
        }
    }
}

/* --- parsing -------------------------------------------------------------------- */

typedef struct frame {
    node *kids;
    size_t nkids, cap;
    size_t sep;
    const char *name; /* NULL for the main section */
    size_t namelen;
    size_t at;     /* offset of the opening marker */
    int indent_nl; /* nothing read yet: an implicit newline precedes */
    const char *indent;
    size_t indentlen;
} frame;

typedef struct parser {
    tpl *t;
    diags *d;
    const char *src; /* original text, for locations */
    size_t srclen;
    int line_offset;
    const seg *segs;
    size_t nsegs;
    int stripped;
    tpl_strip strip;
    /* monotonic cursor for offset -> line:col */
    size_t cur_off;
    int cur_line, cur_col;
    /* {{%AUTOESCAPE}}: the template's context, and for HTML, JavaScript and
     * CSS the scanner that follows the text to place each variable. */
    int ctx;
    ae_parser *ae;
} parser;

enum { CTX_MANUAL, CTX_HTML, CTX_JS, CTX_CSS, CTX_JSON, CTX_XML };

static void locate(parser *p, size_t off, int *line, int *col)
{
    size_t src = off;
    if (p->stripped) {
        size_t lo = 0, hi = p->nsegs;
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (p->segs[mid].dst <= off)
                lo = mid;
            else
                hi = mid;
        }
        src = p->nsegs ? p->segs[lo].src + (off - p->segs[lo].dst) : 0;
    }
    if (src < p->cur_off) {
        p->cur_off = 0;
        p->cur_line = 1;
        p->cur_col = 1;
    }
    for (; p->cur_off < src && p->cur_off < p->srclen; p->cur_off++) {
        if (p->src[p->cur_off] == '\n') {
            p->cur_line++;
            p->cur_col = 1;
        } else {
            p->cur_col++;
        }
    }
    *line = p->cur_line + p->line_offset;
    *col = p->cur_col;
}

static int perr(parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int perr(parser *p, size_t off, const char *fmt, ...)
{
    int line, col;
    locate(p, off, &line, &col);
    buf msg;
    buf_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    diag_error(p->d, p->t->path, line, col, ID_SYNTAX, "%s", msg.data);
    buf_release(&msg);
    return -1;
}

static node *frame_push(frame *f)
{
    if (f->nkids == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->kids = xrealloc(f->kids, f->cap * sizeof *f->kids);
    }
    node *n = &f->kids[f->nkids++];
    memset(n, 0, sizeof *n);
    n->sep = (size_t)-1;
    return n;
}

static int valid_name(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_ascii_alnum(s[i]) && s[i] != '_')
            return 0;
    return 1;
}

/* FindModifier, with a precise message when nothing matches. */
static int find_mod(parser *p, size_t off, const char *name, size_t nlen, const char *val,
                    size_t vlen, modk *out)
{
    if (nlen >= 2 && name[0] == 'x' && name[1] == '-') {
        *out = M_PASS;
        return 0;
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
            return 0;
        }
    }
    if (!name_known)
        return perr(p, off, "unknown modifier '%.*s'", (int)nlen, name);
    if (!wants_value)
        return perr(p, off, "modifier '%.*s' takes no value", (int)nlen, name);
    if (!vlen)
        return perr(p, off, "modifier '%.*s' needs a value", (int)nlen, name);
    return perr(p, off, "unknown value '%.*s' for modifier '%.*s'", (int)vlen - 1, val + 1,
                (int)nlen, name);
}

/* PragmaMarker: {{%AUTOESCAPE context="..." [state="..."]}}. Sets *ctx and
 * *in_tag (state="IN_TAG"). */
static int parse_pragma(parser *p, size_t off, const char *s, const char *end, int *ctx,
                        int *in_tag)
{
    const char *id_end = memchr(s, ' ', (size_t)(end - s));
    if (!id_end)
        id_end = end;
    if (id_end - s != 10 || strncasecmp(s, "AUTOESCAPE", 10))
        return perr(p, off, "unknown pragma '%.*s'", (int)(id_end - s), s);
    const char *context = NULL, *state = NULL;
    size_t clen = 0, slen = 0;
    for (const char *nv = id_end; nv < end;) {
        if (*nv++ != ' ')
            return perr(p, off, "malformed pragma: extraneous text");
        const char *eq = memchr(nv, '=', (size_t)(end - nv));
        if (!eq || eq == nv)
            return perr(p, off, "malformed pragma: missing attribute name or value");
        int is_context = eq - nv == 7 && !strncasecmp(nv, "context", 7);
        int is_state = eq - nv == 5 && !strncasecmp(nv, "state", 5);
        if (!is_context && !is_state)
            return perr(p, off, "malformed pragma: unknown attribute '%.*s'", (int)(eq - nv), nv);
        const char *v = eq + 1;
        if (v >= end || *v != '"')
            return perr(p, off, "malformed pragma: attribute value is not in double quotes");
        const char *q = v + 1, *close;
        do {
            close = q < end ? memchr(q, '"', (size_t)(end - q)) : NULL;
            if (!close)
                return perr(p, off, "malformed pragma: attribute value is not terminated");
            q = close + 1;
        } while (close[-1] == '\\');
        /* Upstream keeps the first value given for an attribute. */
        if (is_context && !context) {
            context = v + 1;
            clen = (size_t)(close - context);
        } else if (is_state && !state) {
            state = v + 1;
            slen = (size_t)(close - state);
        }
        nv = close + 1;
    }
    static const char *const contexts[] = {"HTML", "html", "JAVASCRIPT", "javascript", "CSS",
                                           "css",  "JSON", "json",       "XML",        "xml"};
    static const int kinds[] = {CTX_HTML, CTX_JS, CTX_CSS, CTX_JSON, CTX_XML};
    *ctx = CTX_MANUAL;
    for (size_t i = 0; context && i < 10; i++)
        if (clen == strlen(contexts[i]) && !memcmp(context, contexts[i], clen))
            *ctx = kinds[i / 2];
    if (*ctx == CTX_MANUAL)
        return perr(p, off, "malformed pragma: invalid context");
    *in_tag = *ctx == CTX_HTML && slen == 6 &&
              (!memcmp(state, "IN_TAG", 6) || !memcmp(state, "in_tag", 6));
    if (state && !*in_tag && !(slen == 7 && !memcmp(state, "default", 7)))
        return perr(p, off, "malformed pragma: unsupported state '%.*s'", (int)slen, state);
    return 0;
}

/* --- auto-escaping ------------------------------------------------------------ */

/* Upstream's XSS classes: which modifiers may stand in for the one the
 * auto-escaper chose (IsSafeXSSAlternative), by the escaping they do. */
static int safe_alternative(modk chosen, modk given)
{
    if (chosen == given)
        return 1;
    switch (chosen) {
    case M_HTML:
        return given == M_SNIPPET || given == M_PRE || given == M_ATTRIBUTE ||
               given == M_URL_HTML || given == M_URL_QUERY || given == M_IMG_HTML;
    case M_JS:
        return given == M_JSON || given == M_URL_JS || given == M_IMG_JS;
    case M_JSON:
        return given == M_JS;
    case M_URL_HTML:
        return given == M_IMG_HTML;
    case M_CSS:
        return given == M_URL_CSS || given == M_IMG_CSS;
    case M_XML:
        return given == M_HTML || given == M_ATTRIBUTE;
    default:
        return 0;
    }
}

/* TemplateToken::UpdateModifier for one chosen modifier: keep the template's
 * own modifiers when one is :none or when, read from the last, a safe
 * alternative comes before any x- modifier; otherwise append the choice. */
static int needs_auto(const modk *mods, size_t n, modk chosen)
{
    for (size_t i = 0; i < n; i++)
        if (mods[i] == M_NONE)
            return 0;
    for (size_t i = n; i-- > 0;) {
        if (safe_alternative(chosen, mods[i]))
            return 0;
        if (mods[i] == M_PASS)
            break;
    }
    return 1;
}

/* The modifier auto-escaping gives a variable here, or -1 after reporting
 * why none is safe. */
static int auto_mod(parser *p, size_t off, modk *out)
{
    switch (p->ctx) {
    case CTX_CSS:
        *out = M_CSS;
        return 0;
    case CTX_XML:
        *out = M_XML;
        return 0;
    case CTX_JSON:
        *out = M_JS;
        return 0;
    }
    const char *kind, *attr;
    static const modk map[] = {M_HTML,     M_ATTRIBUTE, M_JS, M_JS_NUMBER,
                               M_URL_HTML, M_URL_QUERY, M_CSS};
    ae_escape e = ae_choose(p->ae, &kind, &attr);
    if (e == AE_ESC_FAIL)
        return perr(p, off, "auto-escape: the value of %s attribute '%s' must be in quotes", kind,
                    attr);
    *out = map[e];
    return 0;
}

/* GetIndentation: the whitespace after the last newline of text, if that is
 * all there is after it (or, with an implicit newline, in all of text). */
static void set_indent(frame *f, const char *text, size_t len)
{
    const char *nl = text + len;
    while (nl > text && nl[-1] != '\n')
        nl--;
    f->indent = NULL;
    f->indentlen = 0;
    int implicit = f->indent_nl;
    f->indent_nl = 0;
    if (nl == text && !implicit)
        return;
    for (const char *q = nl; q < text + len; q++)
        if (*q != ' ' && *q != '\t')
            return;
    if (text + len > nl) {
        f->indent = nl;
        f->indentlen = (size_t)(text + len - nl);
    }
}

static void frame_release(frame *f)
{
    for (size_t i = 0; i < f->nkids; i++)
        free_node(&f->kids[i]);
    free(f->kids);
}

/* Builds t->root from t->text. 0, or -1 after reporting the first error (as
 * upstream, parsing stops there). */
static int parse(parser *p)
{
    int err = -1;
    tpl *t = p->t;
    const char *b = t->text;
    size_t len = t->textlen, pos = 0;
    delims dl = default_delims;
    frame stack[MAX_SECTION_DEPTH + 1];
    size_t depth = 0;
    memset(&stack[0], 0, sizeof stack[0]);
    stack[0].sep = (size_t)-1;
    stack[0].indent_nl = 1;
    int pragma_ok = 1; /* nothing but comments so far */

    while (pos < len) {
        /* Every turn ends past a start and an end delimiter, both non-empty
         * (parse_delims), or leaves the loop: pos only grows. */
        size_t from = pos;
        frame *f = &stack[depth];
        /* Text up to the next start marker; "{{{V}}" matches the last "{{". */
        const char *m = memmatch(b + pos, len - pos, dl.start, dl.slen);
        size_t tend = m ? (size_t)(m - b) : len;
        if (m)
            while (tend + 1 + dl.slen <= len && !memcmp(b + tend + 1, dl.start, dl.slen))
                tend++;
        if (tend > pos) {
            node *n = frame_push(f);
            n->kind = N_TEXT;
            n->s = b + pos;
            n->len = tend - pos;
            pragma_ok = 0;
            if (p->ae && ae_feed(p->ae, n->s, n->len) < 0) {
                perr(p, pos, "auto-escape: cannot follow the HTML here (in '%.*s')",
                     (int)(n->len > 40 ? 40 : n->len), n->s);
                goto done;
            }
        }
        set_indent(f, b + pos, tend - pos);
        if (!m)
            break;
        size_t at = tend;
        pos = tend + dl.slen;
        if (pos >= len) {
            perr(p, at, "marker has no closing '%.*s'", (int)dl.elen, dl.end);
            goto done;
        }

        char c = b[pos];
        const char *s = b + pos;
        const char *e = NULL;
        if (c == '#' || c == '/' || c == '!' || c == '>' || c == '%')
            s++;
        if (c == '=') {
            const char *eq =
                s + 1 < b + len ? memchr(s + 1, '=', (size_t)(b + len - (s + 1))) : NULL;
            if (eq && (size_t)(b + len - (eq + 1)) >= dl.elen && !memcmp(eq + 1, dl.end, dl.elen))
                e = eq + 1;
        }
        if (!e)
            e = memmatch(s, (size_t)(b + len - s), dl.end, dl.elen);
        if (!e) {
            perr(p, at, "marker has no closing '%.*s'", (int)dl.elen, dl.end);
            goto done;
        }
        size_t after = (size_t)(e - b) + dl.elen;

        if (c == '!' || c == '=' || c == '%') {
            if (c == '=') {
                int ok = parse_delims(s, (size_t)(e - s), &dl);
                if (ok < 0) {
                    perr(p, at, "empty delimiter in '%.*s'", (int)(after - at), b + at);
                    goto done;
                }
                if (!ok) {
                    perr(p, at, "invalid delimiter marker '%.*s'", (int)(after - at), b + at);
                    goto done;
                }
            } else if (c == '%') {
                int ctx = CTX_MANUAL, in_tag = 0;
                if (parse_pragma(p, at, s, e, &ctx, &in_tag) < 0)
                    goto done;
                if (depth || !pragma_ok) {
                    perr(p, at, "pragma must come first in the template");
                    goto done;
                }
                p->ctx = ctx;
                pragma_ok = 0; /* one pragma only, as upstream */
                if (ctx == CTX_HTML || ctx == CTX_JS || ctx == CTX_CSS)
                    p->ae = ae_new(ctx == CTX_JS    ? AE_MODE_JS
                                   : ctx == CTX_CSS ? AE_MODE_CSS
                                   : in_tag         ? AE_MODE_HTML_IN_TAG
                                                    : AE_MODE_HTML);
            }
            f->indent = NULL;
            f->indentlen = 0;
        } else {
            const char *colon = memchr(s, ':', (size_t)(e - s));
            const char *name_end = colon ? colon : e;
            size_t nlen = (size_t)(name_end - s);
            if (!valid_name(s, nlen)) {
                perr(p, at, "invalid marker name '%.*s'", (int)nlen, s);
                goto done;
            }
            modk mods[256];
            size_t nmods = 0;
            for (const char *mod = name_end, *mend; mod < e; mod = mend) {
                mod++;
                mend = memchr(mod, ':', (size_t)(e - mod));
                if (!mend)
                    mend = e;
                const char *val = memchr(mod, '=', (size_t)(mend - mod));
                if (!val)
                    val = mend;
                modk k = M_NONE;
                if (find_mod(p, (size_t)(mod - b), mod, (size_t)(val - mod), val,
                             (size_t)(mend - val), &k) < 0)
                    goto done;
                if (nmods == sizeof mods / sizeof *mods - 1) {
                    perr(p, (size_t)(mod - b), "too many modifiers");
                    goto done;
                }
                mods[nmods++] = k;
            }
            if (nmods && c != '>' && (c == '#' || c == '/')) {
                perr(p, at, "only variables and includes can have modifiers");
                goto done;
            }
            pragma_ok = 0;
            if (c == '#') {
                if (depth == MAX_SECTION_DEPTH) {
                    perr(p, at, "sections nested deeper than %d levels", MAX_SECTION_DEPTH);
                    goto done;
                }
                frame *nf = &stack[++depth];
                memset(nf, 0, sizeof *nf);
                nf->sep = (size_t)-1;
                nf->name = s;
                nf->namelen = nlen;
                nf->at = at;
                nf->indent_nl = 1;
            } else if (c == '/') {
                if (!depth) {
                    perr(p, at, "'%.*s' closes no open section", (int)(after - at), b + at);
                    goto done;
                }
                if (nlen != f->namelen || memcmp(s, f->name, nlen)) {
                    perr(p, at, "'%.*s' does not match the open section '%.*s'", (int)(after - at),
                         b + at, (int)f->namelen, f->name);
                    goto done;
                }
                frame *pf = &stack[--depth];
                node *n = frame_push(pf);
                n->kind = N_SECTION;
                n->s = f->name;
                n->len = f->namelen;
                n->hash = hash_name(n->s, n->len);
                n->kids = f->kids;
                n->nkids = f->nkids;
                n->sep = f->sep;
                if (pf->name && n->len == pf->namelen + 10 &&
                    !memcmp(n->s, pf->name, pf->namelen) &&
                    !memcmp(n->s + pf->namelen, "_separator", 10))
                    pf->sep = pf->nkids - 1;
                pf->indent = NULL;
                pf->indentlen = 0;
                pf->indent_nl = 0;
            } else {
                int auto_escaped = 0;
                if (c != '>' && p->ctx != CTX_MANUAL) {
                    int bi_space = nlen == 8 && !memcmp(s, "BI_SPACE", 8);
                    int bi_newline = nlen == 10 && !memcmp(s, "BI_NEWLINE", 10);
                    modk chosen = M_HTML;
                    if (bi_space || bi_newline) {
                        /* Literal text to the scanner; never escaped. */
                        if (p->ae && ae_feed(p->ae, bi_space ? " " : "\n", 1) < 0) {
                            perr(p, at, "auto-escape: cannot follow the HTML here");
                            goto done;
                        }
                    } else {
                        if (auto_mod(p, at, &chosen) < 0)
                            goto done;
                        if (needs_auto(mods, nmods, chosen)) {
                            mods[nmods++] = chosen;
                            auto_escaped = 1;
                        }
                    }
                }
                node *n = frame_push(f);
                n->kind = c == '>' ? N_INCLUDE : N_VAR;
                n->s = s;
                n->len = nlen;
                n->hash = hash_name(s, nlen);
                n->auto_escaped = auto_escaped;
                if (nmods) {
                    n->nmods = (unsigned char)nmods;
                    n->mods = xmalloc(nmods * sizeof *n->mods);
                    memcpy(n->mods, mods, nmods * sizeof *mods);
                }
                /* Variables too: one that the dictionary makes a slot may be
                 * a render error (expand_slot). */
                locate(p, at, &n->line, &n->col);
                if (c == '>') {
                    n->indent = f->indent;
                    n->indentlen = f->indentlen;
                }
                f->indent = NULL;
                f->indentlen = 0;
            }
        }
        assert(after > from);
        pos = after;
        /* MaybeEatNewline, after every marker but a variable: "\\\n" keeps the
         * newline and drops the backslash, in every strip mode. */
        if (c != '#' && c != '/' && c != '!' && c != '=' && c != '%' && c != '>')
            continue;
        if (pos + 1 < len && b[pos] == '\\' && b[pos + 1] == '\n')
            pos++;
        else if (pos < len && b[pos] == '\n' && p->strip >= TPL_STRIP_WHITESPACE)
            pos++;
    }
    if (depth) {
        perr(p, stack[depth].at, "section '%.*s' is never closed", (int)stack[depth].namelen,
             stack[depth].name);
        goto done;
    }
    t->root.kind = N_SECTION;
    t->root.kids = stack[0].kids;
    t->root.nkids = stack[0].nkids;
    t->root.sep = (size_t)-1;
    stack[0].kids = NULL;
    stack[0].nkids = 0;
    err = 0;
done:
    for (size_t i = 0; i <= depth; i++)
        frame_release(&stack[i]);
    ae_free(p->ae);
    p->ae = NULL;
    return err;
}

/* --- loading -------------------------------------------------------------------- */

static char *display_path(const tpl_set *s, const char *name)
{
    buf b;
    buf_init(&b);
    if (strcmp(s->dir, "."))
        buf_printf(&b, "%s/", s->dir);
    buf_adds(&b, name);
    return buf_detach(&b);
}

/* Reports a load error at the include marker that asked for `name`, or
 * against `name` itself when it was asked for directly. */
static int load_error(diags *d, const tpl_set *s, const tpl *from, int line, int col,
                      const char *name, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static int load_error(diags *d, const tpl_set *s, const tpl *from, int line, int col,
                      const char *name, const char *fmt, ...)
{
    buf msg;
    buf_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    char *path = from ? NULL : display_path(s, name);
    diag_error(d, from ? from->path : path, from ? line : 0, from ? col : 0, ID_INCLUDE, "%s",
               msg.data);
    free(path);
    buf_release(&msg);
    return -1;
}

/* Names are relative paths that stay inside the set's directory. */
static int name_is_inside(const char *name)
{
    if (!*name || name[0] == '/')
        return 0;
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 0;
        p += n;
        p += *p == '/';
    }
    return 1;
}

static tpl_strip strip_for(const tpl_set *s, const char *name)
{
    /* Upstream keeps line breaks in JavaScript files: they can end comments
     * and statements. */
    size_t n = strlen(name);
    if (s->strip == TPL_STRIP_WHITESPACE && n > 3 && !strcmp(name + n - 3, ".js"))
        return TPL_STRIP_BLANK_LINES;
    return s->strip;
}

static int load(tpl_set *s, const char *name, diags *d, const tpl *from, int line, int col,
                int missing_ok, const tpl **out);

/* Resolves the auto include of every include marker under n, loading the
 * files that exist (all of them must, with TPL_AUTO_REQUIRED). 0, or -1 if one of them failed to
 * compile. */
static int resolve_auto(tpl_set *s, const tpl *t, node *n, diags *d)
{
    int err = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        node *k = &n->kids[i];
        if (k->kind == N_SECTION && resolve_auto(s, t, k, d) < 0)
            err = -1;
        if (k->kind != N_INCLUDE)
            continue;
        buf name;
        buf_init(&name);
        buf_adds(&name, "_includes/");
        for (size_t j = 0; j < k->len; j++)
            buf_addc(&name, (char)tolower((unsigned char)k->s[j]));
        buf_adds(&name, ".html");
        if (load(s, name.data, d, t, k->line, k->col, s->auto_includes != TPL_AUTO_REQUIRED,
                 &k->auto_tpl) < 0)
            err = -1;
        buf_release(&name);
    }
    return err;
}

/* Compiles src into a new template cached under name; call with s->lock held.
 * Returns the template, with ok = 0 after reporting errors. */
static tpl *compile(tpl_set *s, const char *name, const char *src, size_t len, int line_offset,
                    diags *d)
{
    tpl *t = xcalloc(1, sizeof *t);
    t->set = s;
    t->name = xstrdup(name);
    t->path = display_path(s, name);
    parser p = {0};
    p.t = t;
    p.d = d;
    p.src = src;
    p.srclen = len;
    p.line_offset = line_offset;
    p.cur_line = 1;
    p.cur_col = 1;
    p.strip = strip_for(s, name);
    buf text;
    buf_init(&text);
    seg *segs = NULL;
    size_t nsegs = 0;
    if (p.strip == TPL_DO_NOT_STRIP) {
        buf_add(&text, src, len);
    } else {
        strip_text(src, len, p.strip, &text, &segs, &nsegs);
        p.stripped = 1;
        p.segs = segs;
        p.nsegs = nsegs;
    }
    t->textlen = text.len;
    t->text = buf_detach(&text);
    cache_put(s, t); /* before includes, so that include cycles find it */
    t->ok = parse(&p) == 0;
    free(segs);
    if (t->ok && s->auto_includes && resolve_auto(s, t, &t->root, d) < 0)
        t->ok = 0;
    return t;
}

static void lower_first(char *s)
{
    s[0] = (char)tolower((unsigned char)s[0]);
}

static int read_file(tpl_set *s, const char *name, buf *out, int *missing)
{
    int err = -1, fd = -1;
    char *real = NULL;
    buf full;
    buf_init(&full);
    buf_printf(&full, "%s/%s", s->dir, name);
    *missing = 0;
    /* O_NONBLOCK: a FIFO must not block the open; it is refused below. */
    fd = open(full.data, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        *missing = errno == ENOENT || errno == ENOTDIR;
        goto done;
    }
    struct stat st;
    if (fstat(fd, &st) < 0)
        goto done;
    if (!S_ISREG(st.st_mode)) {
        errno = EISDIR;
        goto done;
    }
    /* A symlink may lead out of the directory: compare resolved paths. */
    real = realpath(full.data, NULL);
    size_t dl = s->realdir ? strlen(s->realdir) : 0;
    if (!real || !s->realdir ||
        !(strncmp(real, s->realdir, dl) == 0 && (real[dl] == '/' || (dl == 1 && real[0] == '/')))) {
        errno = EXDEV;
        goto done;
    }
    for (;;) {
        buf_grow(out, 65536);
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto done;
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
    }
    err = 0;
done:
    if (fd >= 0) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    free(real);
    buf_release(&full);
    return err;
}

/* Finds or loads template `name`. from/line/col locate the include marker
 * asking for it (NULL for a direct load). With missing_ok, a file that does
 * not exist is no error: *out is NULL. 0, or -1 after reporting. */
static int load(tpl_set *s, const char *name, diags *d, const tpl *from, int line, int col,
                int missing_ok, const tpl **out)
{
    int err = -1;
    buf text;
    buf_init(&text);
    *out = NULL;
    pthread_mutex_lock(&s->lock);
    centry *ce = cache_find(s, name);
    if (ce) {
        if (!ce->t->ok) {
            load_error(d, s, from, line, col, name, "cannot load %s '%s'",
                       from ? "include" : "template", name);
            goto done;
        }
        *out = ce->t;
        err = 0;
        goto done;
    }
    if (!name_is_inside(name)) {
        load_error(d, s, from, line, col, name, "%s '%s' is outside the template directory",
                   from ? "include" : "template", name);
        goto done;
    }
    int missing;
    if (s->reader) {
        /* The caller's reader reports its own errors (its file names, its
         * limits); only "missing" and the include's context are ours. */
        int rc = s->reader(s->reader_ctx, name, &text, &missing, d);
        if (rc < 0 && missing && missing_ok) {
            err = 0;
            goto done;
        }
        if (rc < 0 && missing) {
            load_error(d, s, from, line, col, name, "cannot read %s '%s': no such file or directory",
                       from ? "include" : "template", name);
            goto done;
        }
        if (rc < 0) {
            if (from)
                load_error(d, s, from, line, col, name, "cannot load include '%s'", name);
            goto done;
        }
    } else if (read_file(s, name, &text, &missing) < 0) {
        if (missing && missing_ok) {
            err = 0;
            goto done;
        }
        if (errno == EXDEV) {
            load_error(d, s, from, line, col, name, "%s '%s' is outside the template directory",
                       from ? "include" : "template", name);
            goto done;
        }
        char *why = xstrdup(strerror(errno));
        lower_first(why);
        load_error(d, s, from, line, col, name, "cannot read %s '%s': %s",
                   from ? "include" : "template", name, why);
        free(why);
        goto done;
    }
    tpl *t = compile(s, name, text.data, text.len, 0, d);
    if (!t->ok) {
        if (from)
            load_error(d, s, from, line, col, name, "cannot load include '%s'", name);
        goto done;
    }
    *out = t;
    err = 0;
done:
    pthread_mutex_unlock(&s->lock);
    buf_release(&text);
    return err;
}

tpl *tpl_set_load(tpl_set *s, const char *name, diags *d)
{
    const tpl *t;
    if (load(s, name, d, NULL, 0, 0, 0, &t) < 0)
        return NULL;
    return (tpl *)t;
}

tpl *tpl_set_add(tpl_set *s, const char *name, const char *text, size_t len, int line_offset,
                 diags *d)
{
    tpl *t = NULL;
    pthread_mutex_lock(&s->lock);
    if (cache_find(s, name)) {
        load_error(d, s, NULL, 0, 0, name, "template '%s' is already loaded", name);
        goto done;
    }
    t = compile(s, name, text, len, line_offset, d);
    if (!t->ok)
        t = NULL;
done:
    pthread_mutex_unlock(&s->lock);
    return t;
}

/* --- rendering ------------------------------------------------------------------ */

typedef struct rctx {
    diags *d;
    buf scratch[2];
    size_t depth;
    const tpl *ts[MAX_INCLUDE_DEPTH + 1];
    const tpl_dict *ds[MAX_INCLUDE_DEPTH + 1];
    tpl_slots *slots;     /* NULL: slots are not recorded (tpl_render) */
    size_t base;          /* out->len when the render began: slot offsets count from it */
    const node *escaping; /* innermost include rendered through modifiers, or NULL */
    const node **refused; /* slot markers reported, each once however often expanded */
    size_t nrefused, caprefused;
} rctx;

static int render_tpl(rctx *c, const tpl *t, const tpl_dict *d, buf *out);

static const char *lookup_var(const tpl_set *s, const tpl_dict *d, const node *n, size_t *len)
{
    const dent *e = dict_lookup(d, K_VAR, n->s, n->len, n->hash);
    if (!e && d && d->root->globals)
        e = dict_find(d->root->globals, K_VAR, n->s, n->len, n->hash);
    if (!e && s->globals)
        e = dict_find(s->globals, K_VAR, n->s, n->len, n->hash);
    if (e) {
        *len = e->vlen;
        return e->value;
    }
    /* The global dictionary's built-ins. */
    *len = 1;
    if (n->len == 8 && !memcmp(n->s, "BI_SPACE", 8))
        return " ";
    if (n->len == 10 && !memcmp(n->s, "BI_NEWLINE", 10))
        return "\n";
    *len = 0;
    return "";
}

/* Reports an error at marker n of the template being rendered; returns -1. */
static int render_error(rctx *c, const node *n, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int render_error(rctx *c, const node *n, const char *id, const char *fmt, ...)
{
    buf msg;
    buf_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    diag_error(c->d, c->ts[c->depth - 1]->path, n->line, n->col, id, "%s", msg.data);
    buf_release(&msg);
    return -1;
}

/* Whether modifiers mods[0..n) leave any text as it is: none, or only :none. */
static int mods_are_none(const modk *mods, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (mods[i] != M_NONE)
            return 0;
    return 1;
}

/* Variable n is a slot in d: records where it stands (when recording), or
 * reports why it cannot stand there. A slot's text is not there to escape, so
 * any modifier but :none, the template's own, auto-escaping's or an enclosing
 * include's, is an error, whether or not slots are recorded. */
static int expand_slot(rctx *c, const node *n, const tpl_dict *d, const buf *out)
    __attribute__((noinline, cold));

static int expand_slot(rctx *c, const node *n, const tpl_dict *d, const buf *out)
{
    if (!mods_are_none(n->mods, n->nmods) || c->escaping) {
        /* In a repeated section: one message, not one per repetition. */
        for (size_t i = 0; i < c->nrefused; i++)
            if (c->refused[i] == n)
                return -1;
        if (c->nrefused == c->caprefused) {
            c->caprefused = c->caprefused ? c->caprefused * 2 : 4;
            c->refused = xrealloc(c->refused, c->caprefused * sizeof *c->refused);
        }
        c->refused[c->nrefused++] = n;
    }
    if (!mods_are_none(n->mods, n->nmods)) {
        if (n->auto_escaped)
            return render_error(c, n, ID_SYNTAX,
                                "slot variable '%.*s' cannot be auto-escaped: write it with "
                                "':none'",
                                (int)n->len, n->s);
        return render_error(c, n, ID_SYNTAX,
                            "slot variable '%.*s' cannot be escaped: write it without "
                            "modifiers or with ':none'",
                            (int)n->len, n->s);
    }
    if (c->escaping)
        return render_error(c, n, ID_SYNTAX,
                            "slot variable '%.*s' cannot be escaped by the modifiers of "
                            "include '%.*s'",
                            (int)n->len, n->s, (int)c->escaping->len, c->escaping->s);
    tpl_slots *v = c->slots;
    if (!v)
        return 0;
    /* Found again (slots are rare): only dictionaries hold slots, never the
     * template-global or set-global values that lookup_var tries after. */
    const dent *e = dict_lookup(d, K_VAR, n->s, n->len, n->hash);
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->v = xrealloc(v->v, v->cap * sizeof *v->v);
    }
    v->v[v->n++] = (tpl_slot){out->len - c->base, e->slot_id};
    return 0;
}

/* prefix_lines is about to indent out[start..]: moves the slots recorded
 * there, slots->v[from..] (in output order), past the indentation that will
 * come before them. */
static void indent_slots(const rctx *c, const buf *out, size_t start, size_t from, size_t ilen)
{
    size_t i = start, lines = 0;
    for (size_t k = from; k < c->slots->n; k++) {
        size_t at = c->base + c->slots->v[k].offset;
        for (; i < at; i++)
            lines += ends_line(out->data, i, out->len);
        c->slots->v[k].offset += lines * ilen;
    }
}

static int expand_include(rctx *c, const node *n, const tpl *t, const tpl_dict *d, buf *out)
{
    int err = -1;
    buf tmp;
    buf_init(&tmp);
    /* The same template with the same dictionary again can only recurse
     * forever; a template reached again with a deeper dictionary is a data-
     * driven recursion (a tree) and is fine. */
    for (size_t i = 0; i < c->depth; i++) {
        if (c->ts[i] != t || c->ds[i] != d)
            continue;
        buf chain;
        buf_init(&chain);
        for (size_t j = i; j < c->depth; j++)
            buf_printf(&chain, "%s -> ", c->ts[j]->name);
        buf_adds(&chain, t->name);
        render_error(c, n, ID_INCLUDE, "include cycle: %s", chain.data);
        buf_release(&chain);
        goto done;
    }
    if (c->depth > MAX_INCLUDE_DEPTH) {
        render_error(c, n, ID_INCLUDE, "includes nested deeper than %d levels", MAX_INCLUDE_DEPTH);
        goto done;
    }
    size_t start = out->len;
    size_t from = c->slots ? c->slots->n : 0;
    if (mods_are_none(n->mods, n->nmods)) {
        /* Nothing to apply (:none copies): straight into out, slots too. */
        err = render_tpl(c, t, d, out);
    } else {
        const node *outer = c->escaping;
        c->escaping = n;
        err = render_tpl(c, t, d, &tmp);
        c->escaping = outer;
        apply_chain(n->mods, n->nmods, tmp.data, tmp.len, out, c->scratch);
    }
    if (n->indentlen) {
        if (c->slots && c->slots->n > from)
            indent_slots(c, out, start, from, n->indentlen);
        prefix_lines(out, start, n->indent, n->indentlen);
    }
done:
    buf_release(&tmp);
    return err;
}

static int render_section_once(rctx *c, const node *sec, const tpl_dict *d, buf *out, int is_last);

static int render_node(rctx *c, const node *n, const tpl_dict *d, buf *out)
{
    int err = 0;
    switch (n->kind) {
    case N_TEXT:
        buf_add(out, n->s, n->len);
        break;
    case N_VAR: {
        size_t len;
        const char *v = lookup_var(c->ts[c->depth - 1]->set, d, n, &len);
        /* Every modifier turns an empty value into nothing (the test
         * modifiers_of_nothing), so only non-empty values need them; slots
         * are empty, and cost other values nothing more than that test. */
        if (len)
            apply_chain(n->mods, n->nmods, v, len, out, c->scratch);
        else if (v == slot_value)
            err = expand_slot(c, n, d, out);
        break;
    }
    case N_SECTION: {
        const dent *e = dict_lookup(d, K_SECTION, n->s, n->len, n->hash);
        for (size_t j = 0; e && j < e->nkids; j++)
            if (render_section_once(c, n, e->kids[j], out, j + 1 == e->nkids) < 0)
                err = -1;
        break;
    }
    case N_INCLUDE: {
        const tpl *cur = c->ts[c->depth - 1];
        const dent *e = dict_lookup(d, K_INCLUDE, n->s, n->len, n->hash);
        const tpl *t;
        if (e && e->nkids) {
            for (size_t j = 0; j < e->nkids; j++) {
                const tpl_dict *kid = e->kids[j];
                if (!kid->filename[0])
                    continue; /* no file name: hidden, as upstream */
                if (load(cur->set, kid->filename, c->d, cur, n->line, n->col, 0, &t) < 0 ||
                    expand_include(c, n, t, kid, out) < 0)
                    err = -1;
            }
        } else if (cur->set->auto_includes) {
            t = n->auto_tpl;
            if (!t) {
                buf name;
                buf_init(&name);
                buf_adds(&name, "_includes/");
                for (size_t j = 0; j < n->len; j++)
                    buf_addc(&name, (char)tolower((unsigned char)n->s[j]));
                buf_adds(&name, ".html");
                if (load(cur->set, name.data, c->d, cur, n->line, n->col, 0, &t) < 0)
                    err = -1;
                buf_release(&name);
            }
            if (t && expand_include(c, n, t, d, out) < 0)
                err = -1;
        }
        break;
    }
    }
    return err;
}

/* SectionTemplateNode::ExpandOnce: the separator child is expanded again
 * after itself on every repetition but the last. */
static int render_section_once(rctx *c, const node *sec, const tpl_dict *d, buf *out, int is_last)
{
    int err = 0;
    for (size_t i = 0; i < sec->nkids; i++) {
        if (render_node(c, &sec->kids[i], d, out) < 0)
            err = -1;
        if (i == sec->sep && !is_last && render_section_once(c, &sec->kids[i], d, out, 1) < 0)
            err = -1;
    }
    return err;
}

static int render_tpl(rctx *c, const tpl *t, const tpl_dict *d, buf *out)
{
    c->ts[c->depth] = t;
    c->ds[c->depth] = d;
    c->depth++;
    int err = render_section_once(c, &t->root, d, out, 1);
    c->depth--;
    return err;
}

int tpl_render_slots(const tpl *t, const tpl_dict *dict, buf *out, tpl_slots *slots, diags *d)
{
    rctx c;
    c.d = d;
    c.depth = 0;
    c.slots = slots;
    c.base = out->len;
    c.escaping = NULL;
    c.refused = NULL;
    c.nrefused = c.caprefused = 0;
    if (slots)
        slots->n = 0;
    buf_init(&c.scratch[0]);
    buf_init(&c.scratch[1]);
    int err = render_tpl(&c, t, dict, out);
    buf_release(&c.scratch[0]);
    buf_release(&c.scratch[1]);
    free(c.refused);
    if (err < 0 && slots)
        slots->n = 0;
    return err;
}

int tpl_render(const tpl *t, const tpl_dict *dict, buf *out, diags *d)
{
    return tpl_render_slots(t, dict, out, NULL, d);
}

void tpl_slots_release(tpl_slots *s)
{
    if (!s)
        return;
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

void tpl_set_reader(tpl_set *s, tpl_reader fn, void *ctx)
{
    s->reader = fn;
    s->reader_ctx = ctx;
}
