/* template_dict: ctemplate's TemplateDictionary (template_dictionary.cc): a
 * tree of dictionaries, each mapping names to values, sections and includes
 * (three namespaces), with template-global values on the root; a tree
 * lives in its root's arena (arena.h) and is freed whole.
 * Lookups happen at render time, in template_render.c. */
#include "template_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char tpl_slot_value[1];

/* --- feeding a digest ----------------------------------------------------------- */

/* What a digest is fed, gathered in a buffer and handed on in blocks: a
 * page's tree is thousands of names, values and lengths of a few bytes
 * each, and a call of the digest per piece (19 million at 10,000 pages)
 * cost a tenth of the hashing again. */
typedef struct feed {
    void (*add)(void *ctx, const void *data, size_t len);
    void *ctx;
    size_t n;
    unsigned char buf[4096];
} feed;

static void feed_flush(feed *f)
{
    if (f->n)
        f->add(f->ctx, f->buf, f->n);
    f->n = 0;
}

static void feed_bytes(feed *f, const void *data, size_t len)
{
    if (!len)
        return; /* a value set by reference may be (NULL, 0) */
    if (len > sizeof f->buf - f->n) {
        feed_flush(f);
        if (len >= sizeof f->buf) {
            f->add(f->ctx, data, len);
            return;
        }
    }
    memcpy(f->buf + f->n, data, len);
    f->n += len;
}

/* A length, seven bits a byte, the high bit set on all but the last: no
 * encoding is the start of another, so the feed stays unambiguous. */
static void feed_len(feed *f, size_t n)
{
    unsigned char b[10];
    size_t k = 0;
    while (n >= 0x80) {
        b[k++] = (unsigned char)(n | 0x80);
        n >>= 7;
    }
    b[k++] = (unsigned char)n;
    feed_bytes(f, b, k);
}

static void feed_str(feed *f, const char *s, size_t n)
{
    feed_len(f, n);
    feed_bytes(f, s, n);
}

/* A keyed lazy section's n dictionaries (tpl_dict_add_lazy_section_keyed):
 * what tells its fill from others, then each one's key. */
static void feed_keys(feed *f, size_t n, tpl_key_fn key, const char *variant, const void *ctx)
{
    feed_str(f, variant, strlen(variant));
    char k[65];
    for (size_t i = 0; i < n; i++) {
        key(ctx, i, k);
        feed_bytes(f, k, 64);
    }
}

/* --- sinks ---------------------------------------------------------------------- */

/* A lazy section's dictionary made for a digest keeps nothing: each call
 * that would add to it feeds the digest at once, as an operation on the
 * numbered dictionary it was made on (0: the entry's own, then each one
 * added in order). What a fill sets is fed in the order it sets it, so the
 * same fill of the same values feeds the same, and the framing (lengths
 * first) keeps different ones apart. */
enum {
    SINK_END,
    SINK_VALUE,
    SINK_SLOT,
    SINK_SHOW,
    SINK_SECTION,
    SINK_INCLUDE,
    SINK_GLOBAL,
    SINK_LAZY,
    SINK_LAZY_KEYED
};

static tpl_dict *sink_new(arena *mem, feed *f, tpl_dict *root)
{
    tpl_dict *d = arena_alloc(mem, sizeof *d);
    d->root = root ? root : d;
    d->mem = mem;
    d->sink = f;
    d->sink_id = root ? ++root->sink_next : 0;
    return d;
}

/* Feeds operation op on d, with its name. */
static void sink_op(tpl_dict *d, int op, const char *name)
{
    feed_len(d->sink, (size_t)op);
    feed_len(d->sink, d->sink_id);
    feed_str(d->sink, name, strlen(name));
}

/* A new dictionary under d's, numbered in the feed. */
static tpl_dict *sink_kid(tpl_dict *d)
{
    tpl_dict *kid = sink_new(d->mem, d->sink, d->root);
    feed_len(d->sink, kid->sink_id);
    return kid;
}

/* Dictionaries 0..n-1 of a lazy section, each filled into a sink of its
 * own (numbered 0) in mem and closed with SINK_END. */
static void sink_fill(feed *f, size_t n, tpl_fill_fn fill, const void *ctx, arena *mem)
{
    for (size_t i = 0; i < n; i++) {
        fill(ctx, i, sink_new(mem, f, NULL));
        feed_len(f, SINK_END);
        arena_reset(mem);
    }
}

static tpl_dict *dict_alloc(tpl_dict *parent, tpl_dict *root)
{
    arena *mem = root ? root->mem : arena_new();
    tpl_dict *d = arena_alloc(mem, sizeof *d);
    d->parent = parent;
    d->root = root ? root : d;
    d->mem = mem;
    return d;
}

tpl_dict *tpl_dict_new(void)
{
    return dict_alloc(NULL, NULL);
}

void tpl_dict_free(tpl_dict *d)
{
    /* Only a root owns anything: its arena holds the whole tree. */
    if (d && d->root == d)
        arena_free(d->mem);
}

/* The entry of name in namespace `kind` of d, added (holding NULL) when
 * there is none; valid until d next gains an entry. */
static tpl_entry *dict_entry(tpl_dict *d, int kind, const char *name)
{
    size_t len = strlen(name);
    uint64_t h = map_hash(name, len);
    tpl_entry *e = tpl_dict_find(d, kind, name, len, h);
    if (e)
        return e;
    if (d->n == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 4;
        tpl_entry *grown = arena_alloc(d->mem, cap * sizeof *grown);
        if (d->n)
            memcpy(grown, d->e, d->n * sizeof *grown);
        d->e = grown;
        d->cap = cap;
    }
    e = &d->e[d->n++];
    e->name = arena_strndup(d->mem, name, len);
    e->hash = (uint32_t)h;
    e->kind = (uint32_t)kind;
    e->value = NULL;
    if (d->n > TPL_INDEX_FROM && (!d->index || d->n * 2 > d->index_cap)) {
        /* (Re)built at twice the entries, so probes stay short. */
        uint32_t cap = 32;
        while (cap < d->n * 4)
            cap *= 2;
        d->index = arena_alloc(d->mem, cap * sizeof *d->index);
        d->index_cap = cap;
        for (uint32_t i = 0; i < d->n; i++) {
            uint32_t j = d->e[i].hash & (cap - 1);
            while (d->index[j])
                j = (j + 1) & (cap - 1);
            d->index[j] = i + 1;
        }
    } else if (d->index) {
        uint32_t j = (uint32_t)h & (d->index_cap - 1);
        while (d->index[j])
            j = (j + 1) & (d->index_cap - 1);
        d->index[j] = d->n;
    }
    return e;
}

void tpl_dict_reserve(tpl_dict *d, size_t n)
{
    if (d->sink || n <= d->cap || n > UINT32_MAX / 2)
        return;
    tpl_entry *grown = arena_alloc(d->mem, n * sizeof *grown);
    if (d->n)
        memcpy(grown, d->e, d->n * sizeof *grown);
    d->e = grown;
    d->cap = (uint32_t)n;
}

/* Sets variable `name` to v (from d's arena), replacing its value. */
static void dict_set(tpl_dict *d, const char *name, tpl_value *v)
{
    dict_entry(d, K_VAR, name)->value = v;
}

void tpl_dict_set_len(tpl_dict *d, const char *name, const char *value, size_t len)
{
    if (!value)
        len = 0;
    if (d->sink) {
        sink_op(d, SINK_VALUE, name);
        feed_str(d->sink, value, len);
        return;
    }
    tpl_value *v = arena_alloc_uninit(d->mem, sizeof *v + len + 1);
    if (len)
        memcpy(v->copy, value, len);
    v->copy[len] = '\0';
    v->value = v->copy;
    v->len = len;
    dict_set(d, name, v);
}

const char *tpl_dict_get(const tpl_dict *d, const char *name, size_t *len)
{
    size_t n = strlen(name);
    const tpl_entry *e = d ? tpl_dict_find(d, K_VAR, name, n, map_hash(name, n)) : NULL;
    const tpl_value *v = e ? e->value : NULL;
    if (!v || v->value == tpl_slot_value)
        return NULL;
    if (len)
        *len = v->len;
    return v->value;
}

void tpl_dict_set_ref(tpl_dict *d, const char *name, const char *value, size_t len)
{
    if (d->sink) {
        tpl_dict_set_len(d, name, value, len);
        return;
    }
    tpl_value *v = arena_alloc_uninit(d->mem, sizeof *v);
    v->value = value;
    v->len = len;
    dict_set(d, name, v);
}

void tpl_dict_set_slot(tpl_dict *d, const char *name, size_t id)
{
    if (d->sink) {
        sink_op(d, SINK_SLOT, name);
        feed_len(d->sink, id);
        return;
    }
    tpl_value *v = arena_alloc_uninit(d->mem, sizeof *v + sizeof id);
    v->value = tpl_slot_value;
    v->len = 0;
    memcpy(v->copy, &id, sizeof id);
    dict_set(d, name, v);
}

void tpl_dict_set(tpl_dict *d, const char *name, const char *value)
{
    tpl_dict_set_len(d, name, value, value ? strlen(value) : 0);
}

void tpl_dict_set_int(tpl_dict *d, const char *name, long value)
{
    char text[24];
    int n = snprintf(text, sizeof text, "%ld", value);
    tpl_dict_set_len(d, name, text, (size_t)n);
}

void tpl_dict_set_template_global(tpl_dict *d, const char *name, const char *value, size_t len)
{
    if (d->sink) {
        sink_op(d, SINK_GLOBAL, name);
        feed_str(d->sink, value, value ? len : 0);
        return;
    }
    tpl_dict *root = d->root;
    if (!root->globals)
        root->globals = dict_alloc(NULL, root); /* in the tree, no lookup parent */
    tpl_dict_set_len(root->globals, name, value, len);
}

/* Appends kid to the dictionaries of the entry e (from dict_entry), which
 * start with room for `cap`, and returns it. */
static tpl_dict *dict_add_kid(tpl_dict *d, tpl_entry *e, tpl_dict *kid, size_t cap)
{
    tpl_kids *k = e->value;
    if (k && k->lazy)
        k = NULL; /* replaced, as documented */
    if (!k || k->n == k->cap) {
        size_t c = k ? k->cap * 2 : cap;
        tpl_kids *grown = arena_alloc(d->mem, sizeof *grown + c * sizeof *grown->v);
        grown->n = k ? k->n : 0;
        grown->cap = c;
        if (k)
            memcpy(grown->v, k->v, k->n * sizeof *k->v);
        e->value = k = grown;
    }
    k->v[k->n++] = kid;
    return kid;
}

void tpl_dict_show_section(tpl_dict *d, const char *name)
{
    if (d->sink) {
        sink_op(d, SINK_SHOW, name);
        return;
    }
    tpl_entry *e = dict_entry(d, K_SECTION, name);
    if (e->value)
        return;
    if (!d->shown) {
        d->shown = arena_alloc(d->mem, sizeof *d->shown + sizeof *d->shown->v);
        d->shown->n = d->shown->cap = 1;
        d->shown->v[0] = dict_alloc(d, d->root);
    }
    e->value = d->shown;
}

tpl_dict *tpl_dict_add_section(tpl_dict *d, const char *name)
{
    if (d->sink) {
        sink_op(d, SINK_SECTION, name);
        return sink_kid(d);
    }
    tpl_dict *kid = dict_alloc(d, d->root);
    return dict_add_kid(d, dict_entry(d, K_SECTION, name), kid, 4);
}

void tpl_dict_add_lazy_section(tpl_dict *d, const char *name, size_t n, tpl_fill_fn fill,
                               const void *ctx, size_t ctx_size)
{
    tpl_dict_add_lazy_section_keyed(d, name, n, fill, NULL, NULL, ctx, ctx_size);
}

void tpl_dict_add_lazy_section_keyed(tpl_dict *d, const char *name, size_t n, tpl_fill_fn fill,
                                     tpl_key_fn key, const char *variant, const void *ctx,
                                     size_t ctx_size)
{
    if (n == 0)
        return; /* as no dictionary added: no entry */
    if (d->sink && key) {
        sink_op(d, SINK_LAZY_KEYED, name);
        feed_len(d->sink, n);
        feed_keys(d->sink, n, key, variant, ctx);
        return;
    }
    if (d->sink) {
        /* Filled at once, in an arena of their own (d's holds d). */
        sink_op(d, SINK_LAZY, name);
        feed_len(d->sink, n);
        arena *mem = arena_new();
        sink_fill(d->sink, n, fill, ctx, mem);
        arena_free(mem);
        return;
    }
    tpl_lazy *z = arena_alloc(d->mem, sizeof *z);
    z->owner = d;
    z->fill = fill;
    z->key = key;
    z->variant = key ? arena_strndup(d->mem, variant, strlen(variant)) : NULL;
    if (ctx_size) {
        void *copy = arena_alloc_uninit(d->mem, ctx_size);
        memcpy(copy, ctx, ctx_size);
        z->ctx = copy;
    }
    tpl_kids *k = arena_alloc(d->mem, sizeof *k);
    k->n = k->cap = n;
    k->lazy = z;
    dict_entry(d, K_SECTION, name)->value = k;
}

void tpl_dict_rows_apart(tpl_dict *d, const char *name)
{
    if (d->sink)
        return;
    size_t len = strlen(name);
    tpl_entry *e = tpl_dict_find(d, K_SECTION, name, len, map_hash(name, len));
    tpl_kids *k = e ? e->value : NULL;
    if (k && k->lazy && k->lazy->key)
        ((tpl_lazy *)k->lazy)->apart = 1;
}

tpl_dict *tpl_lazy_make(const tpl_kids *k, size_t i, arena *mem)
{
    const tpl_lazy *z = k->lazy;
    tpl_dict *kid = arena_alloc(mem, sizeof *kid);
    kid->root = kid;
    kid->mem = mem;
    kid->parent = z->owner;
    kid->shared = z->owner->root->shared;
    kid->globals = z->owner->root->globals;
    z->fill(z->ctx, i, kid);
    return kid;
}

tpl_dict *tpl_dict_add_include(tpl_dict *d, const char *name, const char *filename)
{
    if (d->sink) {
        sink_op(d, SINK_INCLUDE, name);
        feed_str(d->sink, filename ? filename : "", filename ? strlen(filename) : 0);
        return sink_kid(d);
    }
    /* No lookup parent: the include boundary. */
    tpl_dict *kid = dict_alloc(NULL, d->root);
    const char *f = filename ? filename : "";
    kid->filename = arena_strndup(d->mem, f, strlen(f));
    return dict_add_kid(d, dict_entry(d, K_INCLUDE, name), kid, 4);
}

void tpl_dict_set_shared(tpl_dict *d, const tpl_dict *shared)
{
    if (d->sink)
        return; /* a lazy dictionary's is its section's */
    d->root->shared = shared;
}

/* --- digests ------------------------------------------------------------------ */

static void feed_dict(feed *f, const tpl_dict *d);

static void feed_entry(feed *f, const tpl_entry *e)
{
    feed_str(f, e->name, strlen(e->name));
    if (e->kind == K_VAR) {
        const tpl_value *v = e->value;
        if (v->value == tpl_slot_value) {
            size_t id;
            memcpy(&id, v->copy, sizeof id);
            feed_str(f, "\x01slot", 5);
            feed_len(f, id);
        } else {
            feed_str(f, v->value, v->len);
        }
        return;
    }
    const tpl_kids *k = e->value;
    feed_len(f, k->n);
    /* A lazy section's dictionaries are fed as their fill makes them
     * (sinks), after a mark no whole one starts with; a keyed one's keys,
     * after another. */
    feed_len(f, k->lazy ? 1 + (k->lazy->key != NULL) : 0);
    if (k->lazy && k->lazy->key) {
        feed_keys(f, k->n, k->lazy->key, k->lazy->variant, k->lazy->ctx);
        return;
    }
    if (k->lazy) {
        arena *mem = arena_new();
        sink_fill(f, k->n, k->lazy->fill, k->lazy->ctx, mem);
        arena_free(mem);
        return;
    }
    for (size_t i = 0; i < k->n; i++)
        feed_dict(f, k->v[i]);
}

static void feed_dict(feed *f, const tpl_dict *d)
{
    feed_str(f, d->filename ? d->filename : "", d->filename ? strlen(d->filename) : 0);
    /* Each namespace, its entries in the order first set. */
    for (int kind = 0; kind < K_COUNT; kind++) {
        size_t n = 0;
        for (uint32_t i = 0; i < d->n; i++)
            n += (int)d->e[i].kind == kind;
        feed_len(f, n);
        for (uint32_t i = 0; i < d->n; i++)
            if ((int)d->e[i].kind == kind)
                feed_entry(f, &d->e[i]);
    }
    /* A lazy section's dictionary borrows its tree's template-globals,
     * which that tree's root feeds. */
    const tpl_dict *globals = d->root == d && d->parent ? NULL : d->globals;
    feed_len(f, globals != NULL);
    if (globals)
        feed_dict(f, globals);
}

void tpl_dict_digest(const tpl_dict *d, void (*add)(void *ctx, const void *data, size_t len),
                     void *ctx)
{
    feed f;
    f.add = add;
    f.ctx = ctx;
    f.n = 0;
    feed_dict(&f, d);
    feed_flush(&f);
}

void tpl_feed_names(const tpl_dict *d, const tpl_name *names, size_t n,
                    void (*add)(void *ctx, const void *data, size_t len), void *ctx)
{
    feed f;
    f.add = add;
    f.ctx = ctx;
    f.n = 0;
    for (size_t i = 0; i < n; i++) {
        const tpl_name *m = &names[i];
        feed_len(&f, (size_t)m->kind);
        feed_str(&f, m->s, m->len);
        /* Each dictionary of the chain as a lookup goes (a lazy
         * dictionary's on to its section's owner), to the root, then on to
         * its shared tree, then the template-globals. */
        for (const tpl_dict *p = d; p;) {
            const tpl_dict *root = p->root;
            for (; p; p = p->parent) {
                const tpl_entry *e = tpl_dict_find(p, m->kind, m->s, m->len, m->hash);
                feed_len(&f, e != NULL);
                if (e)
                    feed_entry(&f, e);
            }
            p = root->shared;
        }
        const tpl_dict *g = m->kind == K_VAR && d ? d->root->globals : NULL;
        const tpl_entry *e = g ? tpl_dict_find(g, K_VAR, m->s, m->len, m->hash) : NULL;
        feed_len(&f, e != NULL);
        if (e)
            feed_entry(&f, e);
    }
    feed_flush(&f);
}
