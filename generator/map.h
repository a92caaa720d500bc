/* map: a string-keyed hash map (open addressing, FNV-1a) used wherever the
 * pipeline looks things up by name: pages by URL or source path, controls by
 * id. Keys are copied; values are borrowed pointers the caller owns. */
#ifndef CHARTER_MAP_H
#define CHARTER_MAP_H

#include <stddef.h>

typedef struct map map;

/* Returns a new empty map; caller frees with map_free. */
map *map_new(void);
/* Frees the map and its key copies, not the values. Accepts NULL. */
void map_free(map *m);
/* Sets key to value; returns the previous value or NULL. */
void *map_put(map *m, const char *key, void *value);
/* Returns the value for key, or NULL. */
void *map_get(const map *m, const char *key);
size_t map_count(const map *m);
/* Removes key; returns its value (the caller's to free), or NULL. */
void *map_remove(map *m, const char *key);
/* Calls fn for every entry, in table order. fn must not change m. */
void map_each(const map *m, void (*fn)(void *ctx, const char *key, void *value), void *ctx);

#endif
