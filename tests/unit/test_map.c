/* test_map: the string-keyed hash map: put/get/replace, key copies, missing
 * keys, growth well past the initial table, lookups by pointer, length and
 * precomputed hash (map_get_hashed), and add-or-find (map_ref). */
#include "unit.h"

#include "map.h"

#include <stdint.h>

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

/* map_get_hashed finds a key by a slice of a larger text (no NUL after it),
 * tells apart keys that are prefixes of one another, and agrees with map_get
 * before and after the table grows. */
Test(map, get_hashed_by_slice)
{
    static int values[3];
    map *m = map_new();
    map_put(m, "TITLE", &values[0]);
    map_put(m, "TITLE_X", &values[1]);
    map_put(m, "", &values[2]);
    static const struct {
        const char *text; /* the key is text[off..off+len) */
        size_t off, len;
        int *want;
    } cases[] = {
        {"{{TITLE}}", 2, 5, &values[0]},     {"{{TITLE_X:h}}", 2, 7, &values[1]},
        {"{{TITLE_X:h}}", 2, 5, &values[0]}, {"{{TITLE_X:h}}", 2, 6, NULL},
        {"{{TITLEX}}", 2, 6, NULL},          {"{{}}", 2, 0, &values[2]},
        {"TITLE", 0, 5, &values[0]},         {"title", 0, 5, NULL},
    };
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < COUNT(cases); i++) {
            const char *key = cases[i].text + cases[i].off;
            size_t len = cases[i].len;
            cr_expect_eq(map_get_hashed(m, key, len, map_hash(key, len)), cases[i].want,
                         "round %d, case %zu: '%.*s'", round, i, (int)len, key);
        }
        /* Enough keys that the table grows past its first size. */
        char key[32];
        for (int i = 0; round == 0 && i < 1000; i++) {
            snprintf(key, sizeof key, "VAR_%d", i);
            map_put(m, key, &values[i % 3]);
        }
    }
    char key[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "VAR_%d", i);
        cr_expect_eq(map_get_hashed(m, key, strlen(key), map_hash(key, strlen(key))),
                     map_get(m, key), "%s", key);
    }
    map_free(m);
}

/* map_hash is XXH3 of exactly key[0..len) (digest_table_hash): bytes after
 * it do not count, every byte of it does, and it is libxxhash's own value
 * (its published test vector for the empty input). */
Test(map, hash_of_slice)
{
    cr_expect_eq(map_hash("TITLE}}", 5), map_hash("TITLE", 5));
    cr_expect_neq(map_hash("TITLE", 5), map_hash("TITLE", 4));
    cr_expect_eq(map_hash("x", 0), map_hash("", 0));
    cr_expect_eq(map_hash("", 0), 0x2D06800538D394C2ULL);
    cr_expect_neq(map_hash("\xc3\xa9", 2), map_hash("\xc3\xa8", 2));
    cr_expect_neq(map_hash("ab", 2), map_hash("ba", 2));
    /* A path's length and more: each byte still counts. */
    char a[] = "content/engineering/policy-00026/index.html", b[sizeof a];
    for (size_t i = 0; i + 1 < sizeof a; i++) {
        memcpy(b, a, sizeof a);
        b[i] ^= 1;
        cr_expect_neq(map_hash(a, sizeof a - 1), map_hash(b, sizeof b - 1), "byte %zu", i);
    }
}

/* map_ref adds an absent key with a NULL value (counted), finds a present one,
 * and what is stored through it is what map_get returns, across growth. */
Test(map, ref_adds_or_finds)
{
    static int values[2];
    map *m = map_new();
    void **r = map_ref(m, "SECTION");
    cr_assert_not_null(r);
    cr_expect_null(*r);
    cr_expect_eq(map_count(m), 1);
    *r = &values[0];
    cr_expect_eq(map_get(m, "SECTION"), &values[0]);
    r = map_ref(m, "SECTION");
    cr_expect_eq(*r, &values[0]);
    cr_expect_eq(map_count(m), 1);
    cr_expect_eq(map_put(m, "SECTION", &values[1]), &values[0]);
    cr_expect_eq(*map_ref(m, "SECTION"), &values[1]);
    char key[32];
    for (uintptr_t i = 1; i <= 1000; i++) {
        snprintf(key, sizeof key, "S%d", (int)i);
        r = map_ref(m, key);
        cr_expect_null(*r, "%s", key);
        *r = (void *)i;
    }
    cr_expect_eq(map_count(m), 1001);
    for (uintptr_t i = 1; i <= 1000; i++) {
        snprintf(key, sizeof key, "S%d", (int)i);
        cr_expect_eq((uintptr_t)map_get(m, key), i, "%s", key);
    }
    cr_expect_eq(map_get(m, "SECTION"), &values[1]);
    map_free(m);
}
