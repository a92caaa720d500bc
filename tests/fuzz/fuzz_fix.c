/* fuzz_fix: the edits `charter fix` makes to users' files (fix.h), on any
 * page text. The review date set (fix_review_date) and the site's key
 * aliases renamed (fix_canonical_keys), each applied (fix_apply): the page
 * must read again, its body byte for byte as it was, and its front matter
 * entry for entry as it was but for what the fix meant to change, so that
 * a fix never loses what the page said. The first byte picks the front
 * matter's reading (comply's fenceless header or not) and the date; the
 * rest is the page. libFuzzer entry point; tests/fuzz/README.md. */
#include "fuzz.h"

#include "digest.h"
#include "fix.h"
#include "frontmatter.h"
#include "site.h"
#include "yamltree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FILE_NAME "fuzz/page.md"

/* The aliases a site.yml `keys:` may set: two for the review date, so that
 * the first the page has is the one set. */
static const key_alias aliases[] = {
    {"last_reviewed", "reviewed"},
    {"last_reviewed", "Last Reviewed"},
    {"owner", "policy_owner"},
};
#define N_ALIASES (sizeof aliases / sizeof *aliases)

static void node_hex(char hex[DIGEST_HEX], const yaml_node *n)
{
    digest *h = digest_new();
    yamltree_digest(h, n);
    digest_hex(h, hex);
    digest_free(h);
}

static int same_node(const yaml_node *a, const yaml_node *b)
{
    char x[DIGEST_HEX], y[DIGEST_HEX];
    node_hex(x, a);
    node_hex(y, b);
    return !strcmp(x, y);
}

static const char *canonical_of(const char *key)
{
    for (size_t i = 0; i < N_ALIASES; i++)
        if (!strcmp(aliases[i].alias, key))
            return aliases[i].key;
    return NULL;
}

/* Reads text as a page; 1 when it reads (then *fm is the caller's to
 * release). */
static int read_page(frontmatter *fm, const char *text, size_t len, const fm_limits *fl)
{
    diags *quiet = diag_new(NULL);
    int ok = frontmatter_parse_limited(fm, text, len, FILE_NAME, fl, quiet) == 0;
    diag_free(quiet);
    return ok;
}

/* The body after each front matter: the same bytes. */
static void check_body(const char *was, size_t was_len, const frontmatter *before, const char *now,
                       size_t now_len, const frontmatter *after)
{
    FUZZ_CHECK(before->body_start <= was_len && after->body_start <= now_len);
    size_t a = was_len - before->body_start, b = now_len - after->body_start;
    FUZZ_CHECK(a == b && !memcmp(was + before->body_start, now + after->body_start, a));
}

/* The index of the entry fix_review_date sets in m: last_reviewed, else
 * the first alias of it the page has; -1 when none. */
static long review_entry(const yaml_node *m)
{
    size_t n = yamltree_len(m);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(yamltree_text(yamltree_key(m, i)), "last_reviewed"))
            return (long)i;
    for (size_t k = 0; k < N_ALIASES; k++) {
        if (strcmp(aliases[k].key, "last_reviewed"))
            continue;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(yamltree_text(yamltree_key(m, i)), aliases[k].alias))
                return (long)i;
    }
    return -1;
}

/* A page read before a fix, the fix's edits, and what it reported. */
typedef struct trial {
    frontmatter before;
    fix_edits e;
    diags *d;
} trial;

/* 1 when text reads as a page (then trial_end releases t). */
static int trial_begin(trial *t, const char *text, size_t len, const fm_limits *fl)
{
    if (!read_page(&t->before, text, len, fl))
        return 0;
    fix_edits_init(&t->e);
    t->d = diag_new(NULL);
    return 1;
}

/* t's edits, normalized, applied to text into *out (the caller's to
 * release), read again into *after (likewise): it must read, a front
 * matter the edits made as a fenced one, with the body as it was. */
static void trial_apply(trial *t, const char *text, size_t len, const fm_limits *fl, buf *out,
                        frontmatter *after)
{
    FUZZ_CHECK(fix_edits_normalize(&t->e, FILE_NAME, t->d) == t->e.n);
    buf_init(out);
    fix_apply(out, text, len, &t->e);
    const fm_limits fenced = {fl->block_bytes, fl->yaml, 0};
    FUZZ_CHECK(read_page(after, out->data, out->len, t->before.present ? fl : &fenced));
    check_body(text, len, &t->before, out->data, out->len, after);
}

static void trial_end(trial *t)
{
    fix_edits_release(&t->e);
    frontmatter_release(&t->before);
    diag_free(t->d);
}

static void check_review(const char *text, size_t len, const fm_limits *fl, const char *date)
{
    trial t;
    if (!trial_begin(&t, text, len, fl))
        return;
    long rc = fix_review_date(&t.e, text, len, FILE_NAME, fl, aliases, N_ALIASES, date, t.d);
    FUZZ_CHECK(rc >= -1);
    FUZZ_CHECK(rc != -1 || (diag_count(t.d, DIAG_ERROR) > 0 && t.e.n == 0));
    long at = review_entry(t.before.data);
    if (rc == 0) {
        /* Nothing to do: the date is already the value. */
        FUZZ_CHECK(t.e.n == 0 && at >= 0);
        FUZZ_CHECK(!strcmp(yamltree_text(yamltree_item(t.before.data, (size_t)at)), date));
    }
    if (rc > 0) {
        buf out;
        frontmatter after;
        trial_apply(&t, text, len, fl, &out, &after);
        size_t n = yamltree_len(t.before.data), m = yamltree_len(after.data);
        FUZZ_CHECK(m == n + (at < 0));
        /* The entry set: the one it had, or one added (where the format
         * puts it: last, first in JSON, t.before TOML's first table). */
        long set = at;
        for (size_t j = 0; set < 0 && j < m; j++)
            if (!strcmp(yamltree_text(yamltree_key(after.data, j)), "last_reviewed"))
                set = (long)j;
        FUZZ_CHECK(set >= 0);
        const yaml_node *v = yamltree_item(after.data, (size_t)set);
        FUZZ_CHECK(yamltree_kind(v) == YAML_SCALAR && !strcmp(yamltree_text(v), date));
        /* Every other entry as it was, in its order. */
        for (size_t i = 0, j = 0; i < n; i++, j++) {
            if (at < 0 && (long)j == set)
                j++;
            FUZZ_CHECK(same_node(yamltree_key(after.data, j), yamltree_key(t.before.data, i)));
            if ((long)i != at)
                FUZZ_CHECK(
                    same_node(yamltree_item(after.data, j), yamltree_item(t.before.data, i)));
        }
        frontmatter_release(&after);
        buf_release(&out);
    }
    trial_end(&t);
}

static void check_canonical(const char *text, size_t len, const fm_limits *fl)
{
    trial t;
    if (!trial_begin(&t, text, len, fl))
        return;
    long rc = fix_canonical_keys(&t.e, text, len, FILE_NAME, fl, aliases, N_ALIASES, t.d);
    FUZZ_CHECK(rc >= -1);
    FUZZ_CHECK(rc != -1 || (diag_count(t.d, DIAG_ERROR) > 0 && t.e.n == 0));
    if (rc > 0) {
        buf out;
        frontmatter after;
        trial_apply(&t, text, len, fl, &out, &after);
        size_t n = yamltree_len(t.before.data);
        FUZZ_CHECK(yamltree_len(after.data) == n);
        size_t renamed = 0;
        for (size_t i = 0; i < n; i++) {
            const char *was = yamltree_text(yamltree_key(t.before.data, i));
            const char *now = yamltree_text(yamltree_key(after.data, i));
            const char *canon = canonical_of(was);
            /* Each key as it was, or its alias renamed to charter's name. */
            FUZZ_CHECK(!strcmp(now, was) || (canon && !strcmp(now, canon)));
            renamed += strcmp(now, was) != 0;
            FUZZ_CHECK(same_node(yamltree_item(after.data, i), yamltree_item(t.before.data, i)));
        }
        FUZZ_CHECK(renamed == (size_t)rc);
        frontmatter_release(&after);
        buf_release(&out);
    }
    trial_end(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const site_limits *l = &config_default_limits;
    const fm_limits fl = {
        l->frontmatter_bytes,
        {l->scalar_bytes, "limits.scalar_bytes", l->frontmatter_keys, "limits.frontmatter_keys"},
        data[0] & 1};
    static const char *const dates[] = {"2026-11-30", "2024-02-29", "1999-01-01", "2026-03-04"};
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    check_review(text, len, &fl, dates[(data[0] >> 1) & 3]);
    check_canonical(text, len, &fl);
    return 0;
}
