/* fuzz_frontmatter: the input is a page (or layout) file. It goes through
 * frontmatter_parse_limited with the limits a site has before site.yml tunes
 * them (config_default_limits), every node of the tree is read back with the
 * typed readers of yamltree.h, and the raw input is parsed again with
 * yamltree_parse_limited under tiny caps, so the limit checks trip on the small
 * inputs a fuzzer makes. libFuzzer entry point; tests/fuzz/README.md. */
#include "fuzz.h"

#include "frontmatter.h"
#include "site.h"
#include "yamltree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FILE_NAME "fuzz/page.md" /* no such file: diagnostics never read it */

/* Reads n back through every typed reader, then checks the few invariants the
 * tree promises: scalar text NUL-terminated after yamltree_text_len bytes,
 * mapping keys scalars and found again by yamltree_get, positions 1-based. */
static void walk(const yaml_node *n, const char *key, diags *d, int depth)
{
    FUZZ_CHECK(n);
    FUZZ_CHECK(depth <= 66); /* yamltree_parse refuses nesting deeper than 64 */
    FUZZ_CHECK(yamltree_line(n) >= 1 && yamltree_col(n) >= 1);
    switch (yamltree_kind(n)) {
    case YAML_SCALAR: {
        FUZZ_CHECK(yamltree_text(n));
        FUZZ_CHECK(yamltree_text(n)[yamltree_text_len(n)] == '\0');
        const char *s = NULL;
        int b;
        long l;
        (void)yamltree_is_null(n);
        if (yamltree_as_string(&s, n, key, FILE_NAME, d) == 0)
            FUZZ_CHECK(s == yamltree_text(n) && strlen(s) == yamltree_text_len(n));
        if (yamltree_as_bool(&b, n, key, FILE_NAME, d) == 0)
            FUZZ_CHECK(b == 0 || b == 1);
        (void)yamltree_as_int(&l, n, key, FILE_NAME, d);
        (void)yamltree_as_date(&l, n, key, FILE_NAME, d);
        break;
    }
    case YAML_SEQUENCE:
        FUZZ_CHECK(!yamltree_key(n, 0)); /* a list has no keys */
        for (size_t i = 0; i < yamltree_len(n); i++)
            walk(yamltree_item(n, i), key, d, depth + 1);
        /* Lists are not mappings: nothing to find in them. */
        FUZZ_CHECK(yamltree_get(n, key) == NULL);
        break;
    case YAML_MAPPING:
        for (size_t i = 0; i < yamltree_len(n); i++) {
            const yaml_node *k = yamltree_key(n, i);
            FUZZ_CHECK(k && yamltree_kind(k) == YAML_SCALAR);
            /* Duplicate keys are refused, so a key without a NUL finds its
             * own value. */
            if (strlen(yamltree_text(k)) == yamltree_text_len(k))
                FUZZ_CHECK(yamltree_get(n, yamltree_text(k)) == yamltree_item(n, i));
            walk(k, "key", d, depth + 1);
            walk(yamltree_item(n, i), yamltree_text(k), d, depth + 1);
        }
        (void)yamltree_get(n, "title");
        break;
    default:
        FUZZ_CHECK(!"unknown yaml_kind");
    }
}

/* Where the plain reading (yamltree_parse_plain) reads text, libyaml's
 * reading gives the same tree, node for node. */
static void check_plain(const char *text, size_t size, int line_offset, const yamltree_limits *lim)
{
    yaml_node *plain = NULL, *full = NULL;
    if (!yamltree_parse_plain(&plain, text, size, line_offset, lim))
        return;
    diags *quiet = diag_new(NULL);
    FUZZ_CHECK(yamltree_parse_libyaml(&full, text, size, FILE_NAME, line_offset, lim, quiet) == 0);
    buf a, b;
    buf_init(&a);
    buf_init(&b);
    yamltree_encode(&a, plain);
    yamltree_encode(&b, full);
    FUZZ_CHECK(a.len == b.len && !memcmp(a.data, b.data, a.len));
    buf_release(&a);
    buf_release(&b);
    yamltree_free(plain);
    yamltree_free(full);
    diag_free(quiet);
}

/* Every diagnostic has a message and an id and shows safely on a terminal. */
static void check_diags(diags *d)
{
    size_t n;
    diag_sort(d);
    const diag_entry *e = diag_entries(d, &n);
    buf shown;
    buf_init(&shown);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(e[i].message && e[i].id);
        FUZZ_CHECK(e[i].line >= 0 && e[i].col >= 0);
        buf_reset(&shown);
        diag_term_safe(&shown, e[i].message, strlen(e[i].message));
        for (size_t j = 0; j < shown.len; j++)
            FUZZ_CHECK((unsigned char)shown.data[j] >= 0x20 || shown.data[j] == '\t');
    }
    buf_release(&shown);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const site_limits *l = &config_default_limits;
    /* comply's fenceless header is read when the input's length is odd:
     * both readings of every input shape get explored. */
    const fm_limits fl = {
        l->frontmatter_bytes,
        {l->scalar_bytes, "limits.scalar_bytes", l->frontmatter_keys, "limits.frontmatter_keys"},
        (int)(size & 1)};
    diags *d = diag_new(NULL);

    frontmatter fm;
    if (frontmatter_parse_limited(&fm, text, size, FILE_NAME, &fl, d) == 0) {
        FUZZ_CHECK(fm.data && yamltree_kind(fm.data) == YAML_MAPPING);
        FUZZ_CHECK(fm.body_start <= size);
        FUZZ_CHECK(fm.body_line >= 1);
        FUZZ_CHECK(fm.present || yamltree_len(fm.data) == 0);
        walk(fm.data, "front matter", d, 0);
        frontmatter_release(&fm);
    } else {
        FUZZ_CHECK(diag_count(d, DIAG_ERROR) > 0);
    }

    /* The whole input as a YAML document (site.yml, a catalog), with caps
     * small enough for a fuzzer's inputs to reach them. */
    const yamltree_limits tiny = {64, "limits.scalar_bytes", 16, "limits.frontmatter_keys"};
    yaml_node *y = NULL;
    int line_offset = size ? data[0] % 4 : 0;
    check_plain(text, size, line_offset, &tiny);
    check_plain(text, size, line_offset, NULL);
    /* And a page's front matter block, as frontmatter_parse hands it on
     * (its YAML starts on line 2). */
    if (size > 4 && !memcmp(text, "---\n", 4)) {
        const char *close = memmem(text + 3, size - 3, "\n---\n", 5);
        if (close)
            check_plain(text + 4, (size_t)(close + 1 - (text + 4)), 1, NULL);
    }
    if (yamltree_parse_limited(&y, text, size, FILE_NAME, line_offset, &tiny, d) == 0) {
        FUZZ_CHECK(y);
        walk(y, "document", d, 0);
    }
    yamltree_free(y);

    check_diags(d);
    /* The raw parse numbers lines from 1 + line_offset (at most 3). */
    fuzz_check_positions(d, FILE_NAME, text, size, 3);
    fuzz_debug_diags(d); /* FUZZ_DEBUG=1: what an input did */
    diag_free(d);
    return 0;
}
