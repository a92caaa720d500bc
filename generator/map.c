/* map: string-keyed open-addressing hash map with linear probing; the table
 * doubles at 50% load so lookups stay O(1) for the 10,000-page sites charter
 * is built for. */
#include "map.h"
#include "buf.h"
#include "digest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    char *key;
    void *value;
    uint64_t hash;
} slot;

/* The keys' copies, packed end to end in chunks: one malloc for many keys
 * (a one-page edit at 10,000 pages made 255,000 of its 1.35 million
 * mallocs for map keys, each freed again). A removed key's bytes stay
 * until the map is freed. */
typedef struct key_chunk {
    struct key_chunk *next;
    size_t size, used;
    char data[];
} key_chunk;

enum { KEYS_FIRST = 256, KEYS_MOST = 64 << 10 };

struct map {
    slot *slots; /* `first` until the map grows, then an allocation of its own */
    size_t cap;  /* power of two */
    size_t len;
    key_chunk *keys; /* the newest first */
    slot first[]; /* the initial table, in the map's own allocation: most
                     maps (a template dictionary's) never grow, and a malloc
                     fewer each makes building a dictionary 6% cheaper */
};

uint64_t map_hash(const char *key, size_t len)
{
    return digest_table_hash(key, len);
}

enum { FIRST_CAP = 16 };

map *map_new(void)
{
    map *m = xcalloc(1, sizeof *m + FIRST_CAP * sizeof(slot));
    m->cap = FIRST_CAP;
    m->slots = m->first;
    return m;
}

void map_free(map *m)
{
    if (!m)
        return;
    for (key_chunk *c = m->keys, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    if (m->slots != m->first)
        free(m->slots);
    free(m);
}

/* Inlined into every caller: as a call of its own it cost a template render
 * (map_get_hashed) 2% more instructions, and building a dictionary 1%
 * (callgrind, bench/template). */
static inline __attribute__((always_inline)) slot *find(const map *m, const char *key, size_t len,
                                                        uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    for (;;) {
        slot *s = &m->slots[i];
        /* key[0..len) holds no NUL, so strncmp reads no further than s->key's. */
        if (!s->key || (s->hash == h && strncmp(s->key, key, len) == 0 && s->key[len] == '\0'))
            return s;
        i = (i + 1) & (m->cap - 1);
    }
}

static void grow(map *m)
{
    slot *old = m->slots;
    size_t old_cap = m->cap;
    m->cap *= 2;
    /* Written before it is read: calloc's fresh pages would be read first
     * (mapped to the zero page), then faulted again on the first write,
     * with a TLB shootdown across the threads' cores each time. */
    m->slots = xmalloc(m->cap * sizeof *m->slots);
    memset(m->slots, 0, m->cap * sizeof *m->slots);
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].key)
            continue;
        /* Keys are unique: each goes to the first free slot of its run. */
        size_t j = (size_t)old[i].hash & (m->cap - 1);
        while (m->slots[j].key)
            j = (j + 1) & (m->cap - 1);
        m->slots[j] = old[i];
    }
    if (old != m->first)
        free(old);
}

/* A copy of key[0..len) and a NUL in m's chunks. */
static char *key_copy(map *m, const char *key, size_t len)
{
    key_chunk *c = m->keys;
    if (!c || c->size - c->used < len + 1) {
        size_t size = c ? (c->size < KEYS_MOST ? 2 * c->size : KEYS_MOST) : KEYS_FIRST;
        if (size < len + 1)
            size = len + 1;
        c = xmalloc(sizeof *c + size);
        c->size = size;
        c->used = 0;
        c->next = m->keys;
        m->keys = c;
    }
    char *copy = c->data + c->used;
    memcpy(copy, key, len);
    copy[len] = '\0';
    c->used += len + 1;
    return copy;
}

void **map_ref(map *m, const char *key)
{
    if ((m->len + 1) * 2 > m->cap)
        grow(m);
    size_t len = strlen(key);
    uint64_t h = map_hash(key, len);
    slot *s = find(m, key, len, h);
    if (!s->key) {
        s->key = key_copy(m, key, len);
        s->hash = h;
        s->value = NULL;
        m->len++;
    }
    return &s->value;
}

void *map_put(map *m, const char *key, void *value)
{
    void **ref = map_ref(m, key);
    void *prev = *ref;
    *ref = value;
    return prev;
}

void *map_get(const map *m, const char *key)
{
    size_t len = strlen(key);
    return map_get_hashed(m, key, len, map_hash(key, len));
}

void *map_get_hashed(const map *m, const char *key, size_t len, uint64_t hash)
{
    slot *s = find(m, key, len, hash);
    return s->key ? s->value : NULL;
}

size_t map_count(const map *m)
{
    return m->len;
}

void *map_remove(map *m, const char *key)
{
    size_t len = strlen(key);
    slot *s = find(m, key, len, map_hash(key, len));
    if (!s->key)
        return NULL;
    void *value = s->value;
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
    for (size_t i = 0, seen = 0; seen < m->len; i++)
        if (m->slots[i].key) {
            fn(ctx, m->slots[i].key, m->slots[i].value);
            seen++;
        }
}
