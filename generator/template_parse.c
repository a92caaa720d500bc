/* template_parse: turns a template's text into its compiled form. The text is
 * first stripped per the strip mode (Template::StripBuffer), then parsed into
 * a tree of text, variable, section and include nodes (template.cc), with
 * {{%AUTOESCAPE}} choosing a modifier for every variable as it goes, through
 * the context scanner of autoescape.c. */
#include "template_int.h"

#include "autoescape.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    tpl_node *kids;
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

int tpl_verror(diags *d, const char *file, int line, int col, const char *id, const char *fmt,
               va_list ap)
{
    buf msg;
    buf_init(&msg);
    buf_vprintf(&msg, fmt, ap);
    diag_error(d, file, line, col, id, "%s", msg.data);
    buf_release(&msg);
    return -1;
}

static int perr(parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int perr(parser *p, size_t off, const char *fmt, ...)
{
    int line, col;
    locate(p, off, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    tpl_verror(p->d, p->t->path, line, col, ID_SYNTAX, fmt, ap);
    va_end(ap);
    return -1;
}

static tpl_node *frame_push(frame *f)
{
    if (f->nkids == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->kids = xrealloc(f->kids, f->cap * sizeof *f->kids);
    }
    tpl_node *n = &f->kids[f->nkids++];
    memset(n, 0, sizeof *n);
    n->sep = (size_t)-1;
    return n;
}

static int valid_name(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!tpl_is_alnum(s[i]) && s[i] != '_')
            return 0;
    return 1;
}

/* FindModifier, with a precise message when nothing matches. */
static int find_mod(parser *p, size_t off, const char *name, size_t nlen, const char *val,
                    size_t vlen, tpl_mod *out)
{
    switch (tpl_mod_find(name, nlen, val, vlen, out)) {
    case TPL_MOD_FOUND:
        return 0;
    case TPL_MOD_UNKNOWN:
        return perr(p, off, "unknown modifier '%.*s'", (int)nlen, name);
    case TPL_MOD_NO_VALUE:
        return perr(p, off, "modifier '%.*s' takes no value", (int)nlen, name);
    case TPL_MOD_NEEDS_VALUE:
        return perr(p, off, "modifier '%.*s' needs a value", (int)nlen, name);
    case TPL_MOD_BAD_VALUE:
        break;
    }
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
static int safe_alternative(tpl_mod chosen, tpl_mod given)
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
static int needs_auto(const tpl_mod *mods, size_t n, tpl_mod chosen)
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
static int auto_mod(parser *p, size_t off, tpl_mod *out)
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
    static const tpl_mod by_escape[] = {M_HTML,     M_ATTRIBUTE, M_JS, M_JS_NUMBER,
                                        M_URL_HTML, M_URL_QUERY, M_CSS};
    ae_escape e = ae_choose(p->ae, &kind, &attr);
    if (e == AE_ESC_FAIL)
        return perr(p, off, "auto-escape: the value of %s attribute '%s' must be in quotes", kind,
                    attr);
    *out = by_escape[e];
    return 0;
}

/* --- the parser ---------------------------------------------------------------- */

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

void tpl_node_release(tpl_node *n)
{
    free(n->mods);
    for (size_t i = 0; i < n->nkids; i++)
        tpl_node_release(&n->kids[i]);
    free(n->kids);
}

static void frame_release(frame *f)
{
    for (size_t i = 0; i < f->nkids; i++)
        tpl_node_release(&f->kids[i]);
    free(f->kids);
}

/* Builds t->root from t->text. 0, or -1 after reporting the first error. */
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
            tpl_node *n = frame_push(f);
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
            tpl_mod mods[256];
            size_t nmods = 0;
            for (const char *mod = name_end, *mend; mod < e; mod = mend) {
                mod++;
                mend = memchr(mod, ':', (size_t)(e - mod));
                if (!mend)
                    mend = e;
                const char *val = memchr(mod, '=', (size_t)(mend - mod));
                if (!val)
                    val = mend;
                tpl_mod k = M_NONE;
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
                tpl_node *n = frame_push(pf);
                n->kind = N_SECTION;
                n->s = f->name;
                n->len = f->namelen;
                n->hash = map_hash(n->s, n->len);
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
                    tpl_mod chosen = M_HTML;
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
                tpl_node *n = frame_push(f);
                n->kind = c == '>' ? N_INCLUDE : N_VAR;
                n->s = s;
                n->len = nlen;
                n->hash = map_hash(s, nlen);
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

int tpl_parse(tpl *t, const char *src, size_t len, tpl_strip strip, int line_offset, diags *d)
{
    parser p = {0};
    p.t = t;
    p.d = d;
    p.src = src;
    p.srclen = len;
    p.line_offset = line_offset;
    p.cur_line = 1;
    p.cur_col = 1;
    p.strip = strip;
    buf text;
    buf_init(&text);
    seg *segs = NULL;
    size_t nsegs = 0;
    if (strip == TPL_DO_NOT_STRIP) {
        buf_add(&text, src, len);
    } else {
        strip_text(src, len, strip, &text, &segs, &nsegs);
        p.stripped = 1;
        p.segs = segs;
        p.nsegs = nsegs;
    }
    t->textlen = text.len;
    t->text = buf_detach(&text);
    int err = parse(&p);
    free(segs);
    return err;
}

/* Each template is looked into once (seen), however often or cyclically
 * it is included. */
typedef struct mention_ctx {
    const char *name;
    size_t len;
    const tpl **seen;
    size_t n, cap;
} mention_ctx;

static int node_mentions(mention_ctx *c, const tpl_node *n)
{
    if (n->kind != N_TEXT && n->len == c->len && !memcmp(n->s, c->name, c->len))
        return 1;
    if (n->kind == N_INCLUDE && n->auto_tpl && n->auto_tpl->ok) {
        size_t i = 0;
        while (i < c->n && c->seen[i] != n->auto_tpl)
            i++;
        if (i == c->n) {
            if (c->n == c->cap) {
                c->cap = c->cap ? c->cap * 2 : 8;
                c->seen = xrealloc(c->seen, c->cap * sizeof *c->seen);
            }
            c->seen[c->n++] = n->auto_tpl;
            if (node_mentions(c, &n->auto_tpl->root))
                return 1;
        }
    }
    for (size_t i = 0; i < n->nkids; i++)
        if (node_mentions(c, &n->kids[i]))
            return 1;
    return 0;
}

int tpl_mentions(const tpl *t, const char *name)
{
    if (!t || !t->ok)
        return 0;
    mention_ctx c = {name, strlen(name), NULL, 0, 0};
    int found = node_mentions(&c, &t->root);
    free(c.seen);
    return found;
}
