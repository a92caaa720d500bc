/* map: string-keyed open-addressing hash map with linear probing; the table
 * doubles at 50% load so lookups stay O(1) for the 10,000-page sites charter
 * is built for. */
#include "map.h"
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    char *key;
    void *value;
    uint64_t hash;
} slot;

struct map {
    slot *slots;
    size_t cap; /* power of two */
    size_t len;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

map *map_new(void)
{
    map *m = xcalloc(1, sizeof *m);
    m->cap = 16;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    return m;
}

void map_free(map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    free(m);
}

static slot *find(const map *m, const char *key, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    for (;;) {
        slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
            return s;
        i = (i + 1) & (m->cap - 1);
    }
}

static void grow(map *m)
{
    slot *old = m->slots;
    size_t old_cap = m->cap;
    m->cap *= 2;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            *find(m, old[i].key, old[i].hash) = old[i];
    free(old);
}

void *map_put(map *m, const char *key, void *value)
{
    if ((m->len + 1) * 2 > m->cap)
        grow(m);
    uint64_t h = hash_str(key);
    slot *s = find(m, key, h);
    if (s->key) {
        void *prev = s->value;
        s->value = value;
        return prev;
    }
    s->key = xstrdup(key);
    s->hash = h;
    s->value = value;
    m->len++;
    return NULL;
}

void *map_get(const map *m, const char *key)
{
    uint64_t h = hash_str(key);
    slot *s = find(m, key, h);
    return s->key ? s->value : NULL;
}

size_t map_count(const map *m)
{
    return m->len;
}

void *map_remove(map *m, const char *key)
{
    uint64_t h = hash_str(key);
    slot *s = find(m, key, h);
    if (!s->key)
        return NULL;
    void *value = s->value;
    free(s->key);
    /* Backward-shift deletion: move later entries of the probe run into the
     * hole when their home slot is at or before it, so lookups never stop
     * early at an empty slot. */
    size_t hole = (size_t)(s - m->slots), i = hole;
    m->slots[hole] = (slot){0};
    for (;;) {
        i = (i + 1) & (m->cap - 1);
        slot *t = &m->slots[i];
        if (!t->key)
            break;
        size_t home = (size_t)t->hash & (m->cap - 1);
        /* Is home cyclically outside (hole, i]? Then t may move to hole. */
        int movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
        if (movable) {
            m->slots[hole] = *t;
            *t = (slot){0};
            hole = i;
        }
    }
    m->len--;
    return value;
}

void map_each(const map *m, void (*fn)(void *ctx, const char *key, void *value), void *ctx)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            fn(ctx, m->slots[i].key, m->slots[i].value);
}
