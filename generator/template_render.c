/* template_render: expands a compiled template against a dictionary tree
 * (template.cc's Expand, template_dictionary.cc's lookups), appending to a
 * buf: variables through their modifiers, sections once per dictionary with
 * their separators, includes indented as their marker. Slots are recorded
 * here (tpl_render_slots). Renders may run on one set at once: they only
 * read it, but for includes first loaded at render time (under its lock). */
#include "template_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

typedef struct rctx {
    diags *d;
    buf scratch[2];
    size_t depth;
    const tpl *ts[MAX_INCLUDE_DEPTH + 1];
    const tpl_dict *ds[MAX_INCLUDE_DEPTH + 1];
    tpl_slots *slots;         /* NULL: slots are not recorded (tpl_render) */
    size_t base;              /* out->len when the render began: slot offsets count from it */
    const tpl_node *escaping; /* innermost include rendered through modifiers, or NULL */
    const tpl_node **refused; /* slot markers reported, each once however often expanded */
    size_t nrefused, caprefused;
    tpl_marks *marks;    /* NULL: nothing marked (tpl_render_marked) */
    const tpl_dict *row; /* the row being rendered (tpl_row_fn), or NULL */
} rctx;

static int render_tpl(rctx *c, const tpl *t, const tpl_dict *d, buf *out);

/* The entry for marker n's name in namespace `kind` of d alone, or NULL.
 * Lookups live here rather than in template_dict.c so that they inline into
 * render_node, a few percent of every render (callgrind, bench/template). */
static inline void *dict_find(const tpl_dict *d, int kind, const tpl_node *n)
{
    const tpl_entry *e = tpl_dict_find(d, kind, n->s, n->len, n->hash);
    return e ? e->value : NULL;
}

/* Looks marker n's name up in d, then its parents up to an include boundary,
 * then in the shared dictionary of d's tree (and so on), if any. */
static inline void *dict_lookup(const tpl_dict *d, int kind, const tpl_node *n)
{
    while (d) {
        const tpl_dict *root = d->root;
        for (; d; d = d->parent) {
            void *e = dict_find(d, kind, n);
            if (e)
                return e;
        }
        d = root->shared;
    }
    return NULL;
}

static const char *lookup_var(const tpl_set *s, const tpl_dict *d, const tpl_node *n, size_t *len)
{
    const tpl_value *e = dict_lookup(d, K_VAR, n);
    if (!e && d && d->root->globals)
        e = dict_find(d->root->globals, K_VAR, n);
    if (!e && s->globals)
        e = dict_find(s->globals, K_VAR, n);
    if (e) {
        *len = e->len;
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
static int render_error(rctx *c, const tpl_node *n, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int render_error(rctx *c, const tpl_node *n, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tpl_verror(c->d, c->ts[c->depth - 1]->path, n->line, n->col, id, fmt, ap);
    va_end(ap);
    return -1;
}

/* Whether modifiers mods[0..n) leave any text as it is: none, or only :none. */
static int mods_are_none(const tpl_mod *mods, size_t n)
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
static int expand_slot(rctx *c, const tpl_node *n, const tpl_dict *d, const buf *out)
    __attribute__((noinline, cold));

static int expand_slot(rctx *c, const tpl_node *n, const tpl_dict *d, const buf *out)
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
    const tpl_value *e = dict_lookup(d, K_VAR, n);
    size_t id;
    memcpy(&id, e->copy, sizeof id);
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->v = xrealloc(v->v, v->cap * sizeof *v->v);
    }
    v->v[v->n++] = (tpl_slot){out->len - c->base, id};
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

static int expand_include(rctx *c, const tpl_node *n, const tpl *t, const tpl_dict *d, buf *out)
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
    size_t marked = c->marks ? c->marks->n : 0;
    if (mods_are_none(n->mods, n->nmods)) {
        /* Nothing to apply (:none copies): straight into out, slots too. */
        err = render_tpl(c, t, d, out);
    } else {
        const tpl_node *outer = c->escaping;
        c->escaping = n;
        err = render_tpl(c, t, d, &tmp);
        c->escaping = outer;
        tpl_mods_apply(n->mods, n->nmods, tmp.data, tmp.len, out, c->scratch);
    }
    if (n->indentlen) {
        /* Indenting moves what follows each line's start: marks are not
         * moved with it. */
        if (c->marks && c->marks->n > marked)
            c->marks->lost = 1;
        if (c->slots && c->slots->n > from)
            indent_slots(c, out, start, from, n->indentlen);
        prefix_lines(out, start, n->indent, n->indentlen);
    }
done:
    buf_release(&tmp);
    return err;
}

static int render_section_once(rctx *c, const tpl_node *sec, const tpl_dict *d, buf *out,
                               int is_last);

/* Records that value v went into the output at `at` (len bytes) through
 * variable n's modifiers, when v is watched. In an include rendered through
 * modifiers, `at` is not a place in the output, and the marks are lost;
 * they are too through javascript_escape_with_arg=number, the one modifier
 * that does not pass every letter and digit through as it is, wherever they
 * stand (a caller may change those of a marked value in place). */
static void mark(rctx *c, const tpl_node *n, const char *v, size_t at, size_t len)
{
    tpl_marks *m = c->marks;
    for (size_t w = 0; w < m->n_watch; w++) {
        if (v != m->watch[w])
            continue;
        int kept = !c->escaping && !c->row;
        for (size_t k = 0; k < n->nmods && kept; k++)
            kept = n->mods[k] != M_JS_NUMBER;
        if (!kept) {
            m->lost = 1;
            return;
        }
        if (m->n == m->cap) {
            m->cap = m->cap ? m->cap * 2 : 8;
            m->v = xrealloc(m->v, m->cap * sizeof *m->v);
        }
        m->v[m->n++] = (tpl_mark){at - c->base, len, w, ""};
        return;
    }
}

/* The names a section's rows look up (tpl_rows_fn's context). */
typedef struct row_names {
    tpl_name *v;
    size_t n, cap;
} row_names;

/* Adds the names nodes[0..n) and those below them use, through the
 * templates their includes render without a dictionary of their own:
 * 0, or -1 when such a template is not known (or they nest too deep). */
static int collect_names(row_names *nm, const tpl_set *set, const tpl_node *nodes, size_t n,
                         size_t depth)
{
    if (depth > MAX_INCLUDE_DEPTH)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const tpl_node *k = &nodes[i];
        if (k->kind == N_TEXT)
            continue;
        if (nm->n == nm->cap) {
            nm->cap = nm->cap ? nm->cap * 2 : 16;
            nm->v = xrealloc(nm->v, nm->cap * sizeof *nm->v);
        }
        nm->v[nm->n++] = (tpl_name){k->kind == N_VAR       ? K_VAR
                                    : k->kind == N_SECTION ? K_SECTION
                                                           : K_INCLUDE,
                                    k->s, k->len, k->hash};
        if (k->kind == N_SECTION && collect_names(nm, set, k->kids, k->nkids, depth) < 0)
            return -1;
        if (k->kind == N_INCLUDE && set->auto_includes &&
            (!k->auto_tpl || collect_names(nm, set, k->auto_tpl->root.kids, k->auto_tpl->root.nkids,
                                           depth + 1) < 0))
            return -1;
    }
    return 0;
}

static void add_to_buf(void *ctx, const void *data, size_t len)
{
    buf_add(ctx, data, len);
}

/* Section marker n over apart section e, its rows left to the caller
 * (tpl_rows_fn): each one asked for, and rendered unless the caller holds
 * it, each marked where it goes. 1 when so rendered, 0 when its rows are
 * to be rendered in place (an include's template not known), -1 on a
 * render error. */
static int render_rows(rctx *c, const tpl_node *n, const tpl_kids *e, buf *out)
{
    tpl_marks *m = c->marks;
    const tpl *t = c->ts[c->depth - 1];
    row_names nm = {0};
    if (collect_names(&nm, t->set, n->kids, n->nkids, c->depth) < 0) {
        free(nm.v);
        return 0;
    }
    buf context;
    buf_init(&context);
    tpl_feed_names(e->lazy->owner, nm.v, nm.n, add_to_buf, &context);
    free(nm.v);
    char where[64 + 32];
    snprintf(where, sizeof where, "%.64s@%zu", t->name, (size_t)(n->s - t->text));
    m->rows_begin(m->rows_ctx, where, e->lazy->variant, context.data, context.len);
    buf_release(&context);
    arena *mem = arena_new();
    int err = 1;
    for (size_t j = 0; j < e->n; j++) {
        char key[65], full[65];
        e->lazy->key(e->lazy->ctx, j, key);
        int have = m->rows(m->rows_ctx, key, full);
        size_t at = out->len;
        if (!have) {
            tpl_dict *kid = tpl_lazy_make(e, j, mem);
            c->row = kid;
            if (render_section_once(c, n, kid, out, j + 1 == e->n) < 0)
                err = -1;
            c->row = NULL;
            arena_reset(mem);
        }
        if (m->n == m->cap) {
            m->cap = m->cap ? m->cap * 2 : 8;
            m->v = xrealloc(m->v, m->cap * sizeof *m->v);
        }
        tpl_mark *k = &m->v[m->n++];
        k->offset = at - c->base;
        k->len = out->len - at;
        k->which = have ? TPL_MARK_ROW_KEPT : TPL_MARK_ROW;
        memcpy(k->key, full, sizeof k->key);
        k->key[64] = '\0';
        m->kept += have != 0;
    }
    arena_free(mem);
    return err;
}

static int render_node(rctx *c, const tpl_node *n, const tpl_dict *d, buf *out)
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
        if (len) {
            size_t at = out->len;
            tpl_mods_apply(n->mods, n->nmods, v, len, out, c->scratch);
            if (c->marks)
                mark(c, n, v, at, out->len - at);
        } else if (v == tpl_slot_value)
            err = expand_slot(c, n, d, out);
        break;
    }
    case N_SECTION: {
        const tpl_kids *e = dict_lookup(d, K_SECTION, n);
        if (e && e->lazy && e->lazy->apart && c->marks && c->marks->rows && c->marks->rows_begin &&
            !c->row && !c->escaping && n->sep == (size_t)-1) {
            /* Rows in the output as they are rendered. */
            int rows = render_rows(c, n, e, out);
            if (rows != 0)
                return rows < 0 ? -1 : 0;
        }
        /* A made-as-it-renders section's dictionaries, one after another in
         * one arena. */
        arena *mem = e && e->lazy ? arena_new() : NULL;
        for (size_t j = 0; e && j < e->n; j++) {
            tpl_dict *kid = e->lazy ? tpl_lazy_make(e, j, mem) : e->v[j];
            if (render_section_once(c, n, kid, out, j + 1 == e->n) < 0)
                err = -1;
            arena_reset(mem);
        }
        arena_free(mem);
        break;
    }
    case N_INCLUDE: {
        const tpl *cur = c->ts[c->depth - 1];
        const tpl_kids *e = dict_lookup(d, K_INCLUDE, n);
        const tpl *t;
        if (e && e->n) {
            for (size_t j = 0; j < e->n; j++) {
                const tpl_dict *kid = e->v[j];
                if (!kid->filename[0])
                    continue; /* no file name: hidden, as upstream */
                if (tpl_load(cur->set, kid->filename, c->d, cur, n->line, n->col, 0, &t) < 0 ||
                    expand_include(c, n, t, kid, out) < 0)
                    err = -1;
            }
        } else if (cur->set->auto_includes) {
            t = n->auto_tpl;
            if (!t && tpl_load_auto(cur->set, cur, n, 0, &t, c->d) < 0)
                err = -1;
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
static int render_section_once(rctx *c, const tpl_node *sec, const tpl_dict *d, buf *out,
                               int is_last)
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

/* A render recording slots, marks, both or neither (each may be NULL). */
static int render_with(const tpl *t, const tpl_dict *dict, buf *out, tpl_slots *slots,
                       tpl_marks *marks, diags *d)
{
    rctx c;
    c.d = d;
    c.depth = 0;
    c.slots = slots;
    c.base = out->len;
    c.escaping = NULL;
    c.refused = NULL;
    c.nrefused = c.caprefused = 0;
    c.marks = marks;
    c.row = NULL;
    if (slots)
        slots->n = 0;
    if (marks) {
        marks->n = 0;
        marks->lost = 0;
        marks->kept = 0;
    }
    buf_init(&c.scratch[0]);
    buf_init(&c.scratch[1]);
    int err = render_tpl(&c, t, dict, out);
    buf_release(&c.scratch[0]);
    buf_release(&c.scratch[1]);
    free(c.refused);
    if (err < 0 && slots)
        slots->n = 0;
    if (err < 0 && marks)
        marks->n = 0;
    return err;
}

int tpl_render_slots(const tpl *t, const tpl_dict *dict, buf *out, tpl_slots *slots, diags *d)
{
    return render_with(t, dict, out, slots, NULL, d);
}

int tpl_render_marked(const tpl *t, const tpl_dict *dict, buf *out, tpl_slots *slots,
                      tpl_marks *marks, diags *d)
{
    return render_with(t, dict, out, slots, marks, d);
}

void tpl_marks_release(tpl_marks *m)
{
    if (!m)
        return;
    free(m->v);
    m->v = NULL;
    m->n = m->cap = 0;
    m->lost = 0;
    m->kept = 0;
}

int tpl_render(const tpl *t, const tpl_dict *dict, buf *out, diags *d)
{
    return render_with(t, dict, out, NULL, NULL, d);
}

void tpl_slots_release(tpl_slots *s)
{
    if (!s)
        return;
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}
