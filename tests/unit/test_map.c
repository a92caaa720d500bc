/* test_map: the string-keyed hash map: put/get/replace, key copies, missing
 * keys, and growth well past the initial table. */
#include "unit.h"

#include "map.h"

#include <stdint.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

Test(map, empty)
{
    map *m = map_new();
    cr_assert_eq(map_count(m), 0);
    cr_assert_null(map_get(m, "x"));
    cr_assert_null(map_get(m, ""));
    map_free(m);
    map_free(NULL);
}

Test(map, put_get_and_replace)
{
    static int values[4];
    static const struct {
        const char *key;
        int *value;
        int *previous;
        size_t count;
    } steps[] = {
        {"/a/", &values[0], NULL, 1},       {"/b/", &values[1], NULL, 2},
        {"/a/", &values[2], &values[0], 2}, {"", &values[3], NULL, 3},
        {"/a/", &values[0], &values[2], 3}, {"/A/", &values[1], NULL, 4},
        {"/a", &values[2], NULL, 5},
    };
    map *m = map_new();
    for (size_t i = 0; i < COUNT(steps); i++) {
        void *prev = map_put(m, steps[i].key, steps[i].value);
        cr_expect_eq(prev, steps[i].previous, "step %zu: put '%s'", i, steps[i].key);
        cr_expect_eq(map_count(m), steps[i].count, "step %zu: count", i);
        cr_expect_eq(map_get(m, steps[i].key), steps[i].value, "step %zu: get '%s'", i,
                     steps[i].key);
    }
    cr_assert_eq(map_get(m, "/a/"), &values[0]);
    cr_assert_eq(map_get(m, "/b/"), &values[1]);
    cr_assert_eq(map_get(m, ""), &values[3]);
    cr_assert_eq(map_get(m, "/A/"), &values[1]);
    cr_assert_eq(map_get(m, "/a"), &values[2]);
    cr_assert_null(map_get(m, "/c/"));
    cr_assert_null(map_get(m, "/a//"));
    map_free(m);
}

Test(map, null_value_is_stored)
{
    map *m = map_new();
    cr_assert_null(map_put(m, "k", NULL));
    cr_assert_eq(map_count(m), 1);
    int v;
    cr_assert_null(map_put(m, "k", &v));
    cr_assert_eq(map_count(m), 1);
    cr_assert_eq(map_get(m, "k"), &v);
    map_free(m);
}

Test(map, keys_are_copied)
{
    map *m = map_new();
    int v;
    char key[] = "controls/ac-1";
    map_put(m, key, &v);
    key[0] = 'X';
    cr_assert_eq(map_get(m, "controls/ac-1"), &v);
    cr_assert_null(map_get(m, key));
    map_free(m);
}

Test(map, ten_thousand_keys)
{
    enum { N = 10000 };
    static int values[N];
    map *m = map_new();
    char key[32];
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "page/%d.md", i);
        cr_assert_null(map_put(m, key, &values[i]), "fresh key %s", key);
        cr_assert_eq(map_count(m), (size_t)i + 1);
    }
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "page/%d.md", i);
        cr_assert_eq(map_get(m, key), &values[i], "lost %s after growth", key);
    }
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "page/%d.mdx", i);
        cr_assert_null(map_get(m, key), "phantom %s", key);
    }
    /* Replacing every other key keeps the count. */
    for (int i = 0; i < N; i += 2) {
        snprintf(key, sizeof key, "page/%d.md", i);
        cr_assert_eq(map_put(m, key, &values[N - 1 - i]), &values[i]);
    }
    cr_assert_eq(map_count(m), N);
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "page/%d.md", i);
        cr_assert_eq(map_get(m, key), i % 2 ? &values[i] : &values[N - 1 - i]);
    }
    map_free(m);
}

static void count_each(void *ctx, const char *key, void *value)
{
    size_t *n = ctx;
    cr_expect_eq((size_t)(uintptr_t)value, (size_t)atoi(key + 1) + 1, "%s", key);
    (*n)++;
}

/* Removal keeps every other key findable (backward-shift deletion in the
 * probe runs), and iteration visits exactly the entries left. */
Test(map, remove_and_each)
{
    map *m = map_new();
    char key[32];
    for (size_t i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%zu", i);
        map_put(m, key, (void *)(uintptr_t)(i + 1));
    }
    cr_expect_null(map_remove(m, "absent"));
    for (size_t i = 0; i < 5000; i += 2) {
        snprintf(key, sizeof key, "k%zu", i);
        cr_expect_eq((uintptr_t)map_remove(m, key), i + 1);
    }
    cr_assert_eq(map_count(m), 2500);
    for (size_t i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%zu", i);
        if (i % 2)
            cr_expect_eq((uintptr_t)map_get(m, key), i + 1, "%s", key);
        else
            cr_expect_null(map_get(m, key), "%s", key);
    }
    size_t n = 0;
    map_each(m, count_each, &n);
    cr_expect_eq(n, 2500);
    map_put(m, "k0", (void *)1);
    cr_expect_eq((uintptr_t)map_get(m, "k0"), 1);
    map_free(m);
}
