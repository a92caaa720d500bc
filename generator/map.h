/* map: a string-keyed hash map (open addressing, XXH3) used wherever the
 * pipeline looks things up by name: pages by URL or source path, controls by
 * id, template variables by marker name. Keys are copied; values are borrowed
 * pointers the caller owns. */
#ifndef CHARTER_MAP_H
#define CHARTER_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct map map;

/* Returns a new empty map; caller frees with map_free. */
map *map_new(void);
/* Frees the map and its key copies, not the values. Accepts NULL. */
void map_free(map *m);
/* Sets key to value; returns the previous value or NULL. */
void *map_put(map *m, const char *key, void *value);
/* Returns the address of key's value, adding key with a NULL value when it is
 * absent: one lookup where map_get then map_put would take two. The address
 * is valid until m next changes. */
void **map_ref(map *m, const char *key);
/* Returns the value for key, or NULL. */
void *map_get(const map *m, const char *key);
/* The hash of key[0..len), as map_get_hashed wants it: a caller that looks
 * the same name up many times (a template's markers) computes it once. */
uint64_t map_hash(const char *key, size_t len);
/* Returns the value for key[0..len), which need not be NUL-terminated (a name
 * inside a larger text) but holds no NUL, given hash = map_hash(key, len); or
 * NULL. */
void *map_get_hashed(const map *m, const char *key, size_t len, uint64_t hash);
size_t map_count(const map *m);
/* Removes key; returns its value (the caller's to free), or NULL. The
 * key's copy is kept until the map is freed. */
void *map_remove(map *m, const char *key);
/* Calls fn for every entry, in table order. fn must not change m. */
void map_each(const map *m, void (*fn)(void *ctx, const char *key, void *value), void *ctx);

#endif
