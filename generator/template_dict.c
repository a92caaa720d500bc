/* template_dict: ctemplate's TemplateDictionary (template_dictionary.cc): a
 * tree of dictionaries, each mapping names to values, sections and includes
 * (three namespaces, one map each), with template-global values on the root.
 * Lookups happen at render time, in template_render.c. */
#include "template_int.h"

#include <stdlib.h>
#include <string.h>

char tpl_slot_value[1];

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

static void free_value(void *ctx, const char *name, void *v)
{
    free(v);
}

static void free_kids(void *ctx, const char *name, void *entry)
{
    tpl_kids *k = entry;
    for (size_t i = 0; i < k->n; i++)
        tpl_dict_free(k->v[i]);
    free(k);
}

void tpl_dict_free(tpl_dict *d)
{
    if (!d)
        return;
    for (int kind = 0; kind < K_COUNT; kind++) {
        if (!d->names[kind])
            continue;
        map_each(d->names[kind], kind == K_VAR ? free_value : free_kids, NULL);
        map_free(d->names[kind]);
    }
    free(d->filename);
    tpl_dict_free(d->globals);
    free(d);
}

/* Sets variable `name` to v (allocated), freeing the value it replaces. */
static void dict_set(tpl_dict *d, const char *name, tpl_value *v)
{
    if (!d->names[K_VAR])
        d->names[K_VAR] = map_new();
    free(map_put(d->names[K_VAR], name, v));
}

void tpl_dict_set_len(tpl_dict *d, const char *name, const char *value, size_t len)
{
    if (!value)
        len = 0;
    tpl_value *v = xmalloc(sizeof *v + len + 1);
    if (len)
        memcpy(v->copy, value, len);
    v->copy[len] = '\0';
    v->value = v->copy;
    v->len = len;
    dict_set(d, name, v);
}

void tpl_dict_set_ref(tpl_dict *d, const char *name, const char *value, size_t len)
{
    tpl_value *v = xmalloc(sizeof *v);
    v->value = value;
    v->len = len;
    dict_set(d, name, v);
}

void tpl_dict_set_slot(tpl_dict *d, const char *name, size_t id)
{
    tpl_value *v = xmalloc(sizeof *v + sizeof id);
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

/* The entry of section or include `name` (namespace `kind`) in d: the
 * address of its tpl_kids, NULL while it has none; valid until that map of d
 * next changes. */
static void **dict_kids(tpl_dict *d, int kind, const char *name)
{
    if (!d->names[kind])
        d->names[kind] = map_new();
    return map_ref(d->names[kind], name);
}

/* Appends kid to the dictionaries at *ref (from dict_kids), which start with
 * room for `cap`, and returns it. */
static tpl_dict *dict_add_kid(void **ref, tpl_dict *kid, size_t cap)
{
    tpl_kids *k = *ref;
    if (!k) {
        k = xmalloc(sizeof *k + cap * sizeof *k->v);
        k->n = 0;
        k->cap = cap;
        *ref = k;
    } else if (k->n == k->cap) {
        k->cap *= 2;
        k = xrealloc(k, sizeof *k + k->cap * sizeof *k->v);
        *ref = k;
    }
    k->v[k->n++] = kid;
    return kid;
}

void tpl_dict_show_section(tpl_dict *d, const char *name)
{
    void **ref = dict_kids(d, K_SECTION, name);
    if (!*ref)
        dict_add_kid(ref, dict_alloc(d, d->root), 1);
}

tpl_dict *tpl_dict_add_section(tpl_dict *d, const char *name)
{
    tpl_dict *kid = dict_alloc(d, d->root);
    return dict_add_kid(dict_kids(d, K_SECTION, name), kid, 4);
}

tpl_dict *tpl_dict_add_include(tpl_dict *d, const char *name, const char *filename)
{
    /* No lookup parent: the include boundary. */
    tpl_dict *kid = dict_alloc(NULL, d->root);
    kid->filename = xstrdup(filename ? filename : "");
    return dict_add_kid(dict_kids(d, K_INCLUDE, name), kid, 4);
}

void tpl_dict_set_shared(tpl_dict *d, const tpl_dict *shared)
{
    d->root->shared = shared;
}

/* --- digests ------------------------------------------------------------------ */

typedef struct feed {
    void (*add)(void *ctx, const void *data, size_t len);
    void *ctx;
    int kind;
} feed;

static void feed_len(const feed *f, size_t n)
{
    f->add(f->ctx, &n, sizeof n);
}

static void feed_str(const feed *f, const char *s, size_t n)
{
    feed_len(f, n);
    f->add(f->ctx, s, n);
}

static void feed_dict(const feed *f, const tpl_dict *d);

static void feed_entry(void *ctx, const char *name, void *entry)
{
    const feed *f = ctx;
    feed_str(f, name, strlen(name));
    if (f->kind == K_VAR) {
        const tpl_value *v = entry;
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
    const tpl_kids *k = entry;
    feed_len(f, k->n);
    for (size_t i = 0; i < k->n; i++)
        feed_dict(f, k->v[i]);
}

static void feed_dict(const feed *f, const tpl_dict *d)
{
    feed_str(f, d->filename ? d->filename : "", d->filename ? strlen(d->filename) : 0);
    for (int kind = 0; kind < K_COUNT; kind++) {
        feed sub = {f->add, f->ctx, kind};
        feed_len(f, d->names[kind] ? map_count(d->names[kind]) : 0);
        if (d->names[kind])
            map_each(d->names[kind], feed_entry, &sub);
    }
    feed_len(f, d->globals != NULL);
    if (d->globals)
        feed_dict(f, d->globals);
}

void tpl_dict_digest(const tpl_dict *d, void (*add)(void *ctx, const void *data, size_t len),
                     void *ctx)
{
    feed f = {add, ctx, K_VAR};
    feed_dict(&f, d);
}
