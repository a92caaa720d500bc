/* test_map: the string-keyed hash map: put/get/replace, key copies, missing
 * keys, and growth well past the initial table. */
#include "unit.h"

#include "map.h"

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
