/* terms: tags and categories with unique slugs (see terms.h). */
#include "terms.h"

#include "buf.h"
#include "map.h"
#include "markdown.h"
#include "site.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct terms {
    term *v;
    size_t n, cap;
    map *by_key; /* 't' or 'c' and the name -> index + 1 */
};

/* Adds page p under the term `name`. */
static void add_term(terms *t, const page *p, const char *name, size_t len, int is_category)
{
    if (memchr(name, '\0', len))
        return;
    buf key;
    buf_init(&key);
    buf_addc(&key, is_category ? 'c' : 't');
    buf_add(&key, name, len);
    intptr_t k = (intptr_t)map_get(t->by_key, key.data);
    if (!k) {
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 16;
            t->v = xrealloc(t->v, t->cap * sizeof *t->v);
        }
        t->v[t->n] = (term){xstrndup(name, len), NULL, is_category, NULL, 0};
        k = (intptr_t)++t->n;
        map_put(t->by_key, key.data, (void *)k);
    }
    term *tm = &t->v[k - 1];
    if (!tm->n || tm->pages[tm->n - 1] != p) {
        tm->pages = xgrow(tm->pages, tm->n, sizeof *tm->pages);
        tm->pages[tm->n++] = p;
    }
    buf_release(&key);
}

static int cmp_term_name(const void *a, const void *b)
{
    const term *x = a, *y = b;
    if (x->is_category != y->is_category)
        return x->is_category - y->is_category;
    return strcmp(x->name, y->name);
}

static int cmp_term_slug(const void *a, const void *b)
{
    const term *x = a, *y = b;
    if (x->is_category != y->is_category)
        return x->is_category - y->is_category;
    return strcmp(x->slug, y->slug);
}

static void assign_slugs(terms *t)
{
    if (t->n > 1)
        qsort(t->v, t->n, sizeof *t->v, cmp_term_name);
    map *used = map_new();
    buf slug, key;
    buf_init(&slug);
    buf_init(&key);
    for (size_t i = 0; i < t->n; i++) {
        term *tm = &t->v[i];
        buf_reset(&slug);
        markdown_slug_with(&slug, tm->name, "tag");
        size_t base = slug.len;
        for (long k = 2;; k++) {
            buf_reset(&key);
            buf_printf(&key, "%c%s", tm->is_category ? 'c' : 't', slug.data);
            if (!map_get(used, key.data))
                break;
            buf_truncate(&slug, base);
            buf_printf(&slug, "-%ld", k);
        }
        map_put(used, key.data, (void *)1);
        tm->slug = xstrdup(slug.data);
    }
    map_free(used);
    buf_release(&slug);
    buf_release(&key);
    if (t->n > 1)
        qsort(t->v, t->n, sizeof *t->v, cmp_term_slug);
}

void terms_each_word(const char *s, void (*fn)(void *ctx, const char *word, size_t len), void *ctx)
{
    while (*s) {
        while (*s && (isspace((unsigned char)*s) || *s == ','))
            s++;
        const char *e = s;
        while (*e && !isspace((unsigned char)*e) && *e != ',')
            e++;
        if (e > s)
            fn(ctx, s, (size_t)(e - s));
        s = e;
    }
}

typedef struct word_ctx {
    terms *t;
    const page *p;
    int is_category;
} word_ctx;

static void add_word(void *ctx, const char *word, size_t len)
{
    word_ctx *w = ctx;
    add_term(w->t, w->p, word, len, w->is_category);
}

const yaml_node *terms_item_name(const yaml_node *item)
{
    if (yamltree_kind(item) == YAML_MAPPING)
        item = yamltree_get(item, "label");
    return item && yamltree_kind(item) == YAML_SCALAR ? item : NULL;
}

terms *terms_collect(const site *s)
{
    terms *t = xcalloc(1, sizeof *t);
    t->by_key = map_new();
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published)
            continue;
        for (int cat = 0; cat < 2; cat++) {
            const yaml_node *v = yamltree_get(p->fm.data, cat ? "categories" : "tags");
            if (!v || yamltree_is_null(v))
                continue;
            if (yamltree_kind(v) == YAML_SEQUENCE) {
                for (size_t j = 0; j < yamltree_len(v); j++) {
                    const yaml_node *name = terms_item_name(yamltree_item(v, j));
                    if (name)
                        add_term(t, p, yamltree_text(name), yamltree_text_len(name), cat);
                }
            } else if (yamltree_kind(v) == YAML_SCALAR) {
                word_ctx w = {t, p, cat};
                terms_each_word(yamltree_text(v), add_word, &w);
            }
        }
    }
    assign_slugs(t);
    return t;
}

void terms_free(terms *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].name);
        free(t->v[i].slug);
        free(t->v[i].pages);
    }
    free(t->v);
    map_free(t->by_key);
    free(t);
}

const term *terms_list(const terms *t, size_t *n)
{
    *n = t ? t->n : 0;
    return t ? t->v : NULL;
}
