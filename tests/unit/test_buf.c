/* test_buf: the buffer invariants stated in buf.h (never NULL, always
 * NUL-terminated, detach hands over the bytes and leaves the buffer empty),
 * HTML escaping, and the checked string helpers (JSON escaping is in
 * test_json.c). */
#include "unit.h"

#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <wchar.h>

/* Asserts the invariants buf.h promises for any buffer. */
static void expect_valid(const buf *b)
{
    cr_assert_not_null(b->data);
    cr_assert_eq(b->data[b->len], '\0', "not NUL-terminated at len %zu", b->len);
    if (b->cap)
        cr_assert_lt(b->len, b->cap);
}

/* ---- lifecycle and appending ---- */

Test(buf, init_is_empty_and_terminated)
{
    buf b;
    buf_init(&b);
    expect_valid(&b);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(b.data, "");
    buf_release(&b);
}

Test(buf, add_adds_addc)
{
    buf b;
    buf_init(&b);
    buf_add(&b, "abcdef", 3);
    expect_valid(&b);
    buf_adds(&b, "de");
    expect_valid(&b);
    buf_addc(&b, 'f');
    expect_valid(&b);
    cr_assert_str_eq(b.data, "abcdef");
    cr_assert_eq(b.len, 6);
    buf_add(&b, "ignored", 0);
    cr_assert_str_eq(b.data, "abcdef");
    cr_assert_eq(b.len, 6);
    buf_release(&b);
}

Test(buf, add_keeps_embedded_nul)
{
    buf b;
    buf_init(&b);
    buf_add(&b, "a\0b", 3);
    expect_valid(&b);
    cr_assert_eq(b.len, 3);
    cr_assert_eq(memcmp(b.data, "a\0b", 4), 0);
    buf_release(&b);
}

Test(buf, grows_across_many_appends)
{
    buf b;
    buf_init(&b);
    for (int i = 0; i < 10000; i++) {
        buf_addc(&b, (char)('a' + i % 26));
        expect_valid(&b);
    }
    cr_assert_eq(b.len, 10000);
    for (size_t i = 0; i < b.len; i++)
        cr_assert_eq(b.data[i], (char)('a' + i % 26), "byte %zu", i);
    buf_release(&b);
}

/* ---- arrays grown by xgrow ---- */

/* The room xgrow promises after making room for element n: doubled at each
 * power of two, so that n appends reallocate only log2(n) times. */
static size_t room_for(size_t n)
{
    size_t r = 1;
    while (r < n + 1)
        r *= 2;
    return r;
}

Test(buf, xgrow_doubles_its_room_at_each_power_of_two)
{
    int *v = NULL;
    size_t grown = 0;
    for (size_t n = 0; n < 5000; n++) {
        void *before = v;
        v = xgrow(v, n, sizeof *v);
        v[n] = (int)n;
        /* Growing by one element, as the arrays did before xgrow, leaves
         * (n + 1) elements' room: short of this from n = 2 on. */
        cr_assert_geq(malloc_usable_size(v), room_for(n) * sizeof *v, "room for element %zu", n);
        grown += v != before;
    }
    for (size_t n = 0; n < 5000; n++)
        cr_assert_eq(v[n], (int)n, "element %zu", n);
    /* 0, 1, 2, 4 ... 4096: at most 14 moves (realloc may also grow in place). */
    cr_assert_leq(grown, 14);
    free(v);
}

Test(buf, xgrow_keeps_room_when_the_count_goes_down)
{
    /* redline.c takes its runs back to a count it kept, then appends. */
    long *v = NULL;
    size_t n = 0;
    for (; n < 100; n++) {
        v = xgrow(v, n, sizeof *v);
        v[n] = (long)n;
    }
    n = 3;
    for (; n < 300; n++) {
        v = xgrow(v, n, sizeof *v);
        v[n] = -(long)n;
    }
    cr_assert_eq(v[2], 2);
    for (size_t i = 3; i < 300; i++)
        cr_assert_eq(v[i], -(long)i, "element %zu", i);
    free(v);
}

Test(buf, xgrow_of_an_impossible_size_aborts, .signal = SIGABRT)
{
    volatile size_t huge = (size_t)1 << (sizeof(size_t) * 8 - 1);
    xgrow(NULL, huge, 4);
}

Test(buf, add_exactly_fills_capacity)
{
    /* The first allocation is 64 bytes: 63 bytes and the terminator fit,
     * the 64th byte must grow the buffer rather than overwrite the NUL. */
    char s[200];
    memset(s, 'x', sizeof s);
    for (size_t n = 60; n < 140; n++) {
        buf b;
        buf_init(&b);
        buf_add(&b, s, n);
        expect_valid(&b);
        cr_assert_eq(b.len, n);
        buf_release(&b);
    }
}

Test(buf, printf_appends_formatted)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, ">");
    buf_printf(&b, "%s=%d;", "n", 42);
    expect_valid(&b);
    buf_printf(&b, "%s", "");
    expect_valid(&b);
    cr_assert_str_eq(b.data, ">n=42;");
    cr_assert_eq(b.len, 6);
    buf_release(&b);
}

Test(buf, printf_longer_than_first_allocation)
{
    char big[1001];
    memset(big, 'q', 1000);
    big[1000] = '\0';
    buf b;
    buf_init(&b);
    buf_printf(&b, "[%s]", big);
    expect_valid(&b);
    cr_assert_eq(b.len, 1002);
    cr_assert_eq(b.data[0], '[');
    cr_assert_eq(b.data[1000], 'q');
    cr_assert_eq(b.data[1001], ']');
    buf_release(&b);
}

/* A text formatted into the room the buffer has, or, not fitting there
 * with its terminator, after it grows: every length around the first
 * capacities, after every length of text already in it. */
Test(buf, printf_fits_the_room_or_grows)
{
    char text[300];
    memset(text, 'x', sizeof text);
    for (size_t before = 0; before < 140; before += 3) {
        for (size_t n = 0; n < 270; n++) {
            buf b;
            buf_init(&b);
            for (size_t i = 0; i < before; i++)
                buf_addc(&b, (char)('a' + i % 26));
            buf_printf(&b, "%.*s|", (int)n, text);
            expect_valid(&b);
            cr_assert_eq(b.len, before + n + 1, "before %zu, n %zu", before, n);
            for (size_t i = 0; i < before; i++)
                cr_assert_eq(b.data[i], (char)('a' + i % 26), "before %zu, n %zu", before, n);
            for (size_t i = 0; i < n; i++)
                cr_assert_eq(b.data[before + i], 'x', "before %zu, n %zu", before, n);
            cr_assert_eq(b.data[before + n], '|');
            buf_release(&b);
        }
    }
}

/* buf_printf's own formatting of strings and integers (and vsnprintf for
 * the rest) gives what snprintf gives, appended after what the buffer
 * held: every length modifier at its limits, NULL strings at every
 * precision, NUL and high characters, and formats it leaves to vsnprintf. */
#define EXPECT_LIKE_SNPRINTF(...)                                                                  \
    do {                                                                                           \
        char want_[512];                                                                           \
        int n_ = snprintf(want_, sizeof want_, __VA_ARGS__);                                       \
        cr_assert(n_ >= 0 && (size_t)n_ < sizeof want_);                                           \
        buf b_;                                                                                    \
        buf_init(&b_);                                                                             \
        buf_adds(&b_, "pre");                                                                      \
        buf_printf(&b_, __VA_ARGS__);                                                              \
        expect_valid(&b_);                                                                         \
        cr_assert_eq(b_.len, 3 + (size_t)n_, "%s: %zu bytes, want %d", #__VA_ARGS__, b_.len - 3,   \
                     n_);                                                                          \
        cr_assert(!memcmp(b_.data + 3, want_, (size_t)n_), "%s: '%s', want '%s'", #__VA_ARGS__,    \
                  b_.data + 3, want_);                                                             \
        buf_release(&b_);                                                                          \
    } while (0)

Test(buf, printf_formats_as_snprintf)
{
    static const long long ll[] = {LLONG_MIN, LLONG_MIN + 1, INT_MIN, -100,     -1, 0, 1, 9, 10, 99,
                                   100,       4294967295LL,  INT_MAX, LLONG_MAX};
    static const unsigned long long ull[] = {0, 1, 9, 10, 18446744073709551615ULL, UINT_MAX, 1000};
    for (size_t i = 0; i < COUNT(ll); i++) {
        EXPECT_LIKE_SNPRINTF("%d|%ld|%lld", (int)ll[i], (long)ll[i], ll[i]);
        EXPECT_LIKE_SNPRINTF("x%zd%jd.", (ssize_t)ll[i], (intmax_t)ll[i]);
    }
    for (size_t i = 0; i < COUNT(ull); i++) {
        EXPECT_LIKE_SNPRINTF("%u %lu %llu %zu %ju", (unsigned)ull[i], (unsigned long)ull[i], ull[i],
                             (size_t)ull[i], (uintmax_t)ull[i]);
    }
    const char *volatile none = NULL;
    const char *texts[] = {"", "a", "abcdef", "abcdefgh", "\xc3\xa9t\xc3\xa9"};
    for (int prec = 0; prec < 10; prec++) {
        EXPECT_LIKE_SNPRINTF("[%.*s]", prec, none);
        for (size_t i = 0; i < COUNT(texts); i++)
            EXPECT_LIKE_SNPRINTF("[%.*s]%s", prec, texts[i], texts[i]);
    }
    EXPECT_LIKE_SNPRINTF("%s and %s", none, "x");
    EXPECT_LIKE_SNPRINTF("%c%c%c|%%|100%%", 'a', 0, 255);
    EXPECT_LIKE_SNPRINTF("plain text, no conversion");
    EXPECT_LIKE_SNPRINTF("%s", "");
    /* Left to vsnprintf: flags, widths, precisions, other conversions. */
    EXPECT_LIKE_SNPRINTF("%02X|%04x|%5d|%-5s|%.19s|%.3f|%hhu|%ls", 7, 255, 42, "ab",
                         "a long text of more than nineteen", 1.5, 300, L"w");
}

/* A text cut at a byte count keeps whole characters: a sequence whose
 * lead byte is there without all its bytes goes, anything else stays. */
Test(buf, utf8_whole_len_drops_a_cut_sequence)
{
    static const struct {
        const char *s;
        size_t want;
    } cases[] = {
        {"", 0},
        {"a", 1},
        {"\xc3\xa9", 2},
        {"\xc3", 0},
        {"a\xe2\x82", 1},
        {"a\xe2\x82\xac", 4},
        {"\xf0\x9f\x98", 0},
        {"\xf0\x9f\x98\x80", 4},
        {"a\x80", 2},
        {"ab\xff", 2},
        {"\xe2\x82\xac\xe2", 3},
        {"x \xc3", 2},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        cr_expect_eq(utf8_whole_len(cases[i].s, strlen(cases[i].s)), cases[i].want, "case %zu", i);
}

Test(buf, detach_hands_over_and_leaves_empty)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "hello");
    char *s = buf_detach(&b);
    cr_assert_str_eq(s, "hello");
    expect_valid(&b);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(b.data, "");
    cr_assert_neq(b.data, s);
    /* Reusable afterwards, and the detached bytes stay intact. */
    buf_adds(&b, "again");
    cr_assert_str_eq(b.data, "again");
    cr_assert_str_eq(s, "hello");
    free(s);
    buf_release(&b);
}

Test(buf, detach_of_empty_is_freeable_string)
{
    buf b;
    buf_init(&b);
    char *s = buf_detach(&b);
    cr_assert_not_null(s);
    cr_assert_str_eq(s, "");
    free(s);
    expect_valid(&b);
}

Test(buf, release_leaves_valid_and_accepts_null)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "x");
    buf_release(&b);
    expect_valid(&b);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(b.data, "");
    buf_release(&b);
    buf_release(NULL);
}

Test(buf, reset_keeps_allocation)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "some text");
    size_t cap = b.cap;
    char *data = b.data;
    buf_reset(&b);
    expect_valid(&b);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(b.data, "");
    cr_assert_eq(b.cap, cap);
    cr_assert_eq(b.data, data);
    buf_release(&b);
}

Test(buf, truncate)
{
    static const struct {
        size_t to;
        const char *want;
    } cases[] = {{3, "abc"}, {0, ""}, {6, "abcdef"}, {100, "abcdef"}};
    for (size_t i = 0; i < COUNT(cases); i++) {
        buf b;
        buf_init(&b);
        buf_adds(&b, "abcdef");
        buf_truncate(&b, cases[i].to);
        expect_valid(&b);
        cr_expect_str_eq(b.data, cases[i].want, "truncate to %zu", cases[i].to);
        cr_expect_eq(b.len, strlen(cases[i].want), "truncate to %zu", cases[i].to);
        buf_release(&b);
    }
    buf e;
    buf_init(&e);
    buf_truncate(&e, 0);
    expect_valid(&e);
}

/* ---- escaping ---- */

static const struct {
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *want;
} html_cases[] = {
    {"plain text", 0, "plain text"},
    {"", 0, ""},
    {"a & b", 0, "a &amp; b"},
    {"<script>", 0, "&lt;script&gt;"},
    {"\"q\" 'a'", 0, "&quot;q&quot; &#39;a&#39;"},
    {"&amp;", 0, "&amp;amp;"},
    {"<<>>", 0, "&lt;&lt;&gt;&gt;"},
    {"caf\xC3\xA9 \xE2\x82\xAC", 0, "caf\xC3\xA9 \xE2\x82\xAC"},
    {"<ab>", 2, "&lt;a"},
};

Test(buf, add_html_escapes)
{
    for (size_t i = 0; i < COUNT(html_cases); i++) {
        buf b;
        buf_init(&b);
        buf_adds(&b, "[");
        const char *in = html_cases[i].in;
        buf_add_html(&b, in, html_cases[i].len ? html_cases[i].len : strlen(in));
        buf_adds(&b, "]");
        expect_valid(&b);
        char want[128];
        snprintf(want, sizeof want, "[%s]", html_cases[i].want);
        cr_expect_str_eq(b.data, want, "escaping '%s'", in);
        buf_release(&b);
    }
}

/* ---- allocation helpers ---- */

Test(buf, xstrndup_and_xstrdup)
{
    char *a = xstrndup("abcdef", 3);
    cr_assert_str_eq(a, "abc");
    char *e = xstrndup("", 0);
    cr_assert_str_eq(e, "");
    char *d = xstrdup("copy");
    cr_assert_str_eq(d, "copy");
    free(a);
    free(e);
    free(d);
}

Test(buf, xcalloc_zeroes)
{
    unsigned char *p = xcalloc(64, 1);
    for (int i = 0; i < 64; i++)
        cr_assert_eq(p[i], 0);
    p = xrealloc(p, 4096);
    p[4095] = 1;
    free(p);
    free(xmalloc(0));
}

/* ---- sizes that cannot be represented abort instead of corrupting ---- */

Test(buf, add_of_an_impossible_size_aborts, .signal = SIGABRT)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "x");
    /* len + SIZE_MAX wraps around: without the check this would memcpy
     * SIZE_MAX bytes. */
    volatile size_t huge = SIZE_MAX; /* not constant: the compiler would object */
    buf_add(&b, "y", huge);
    buf_release(&b);
}

Test(buf, grow_of_an_impossible_size_aborts, .signal = SIGABRT)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "abc");
    volatile size_t huge = SIZE_MAX - 2;
    buf_grow(&b, huge);
    buf_release(&b);
}

Test(buf, printf_that_cannot_format_aborts, .signal = SIGABRT)
{
    buf b;
    buf_init(&b);
    /* A wide character with no form in the C locale: vsnprintf fails
     * (EILSEQ), which must not silently drop the text. */
    static const wchar_t wide[] = {0x263a, 0};
    buf_printf(&b, "before %ls after", wide);
    buf_release(&b);
}

/* buf_add_ull and buf_add_ll write what printf's %llu and %lld do, at the
 * ends of their ranges, around every power of ten and for random values. */
Test(buf, decimals_are_printf_s)
{
    buf got, want;
    buf_init(&got);
    buf_init(&want);
    unsigned long long us[] = {
        0, 1, 9, 10, 99, 100, ULLONG_MAX, ULLONG_MAX - 1, (unsigned long long)LLONG_MAX};
    long long ss[] = {0, -1, 1, -9, -10, LLONG_MIN, LLONG_MIN + 1, LLONG_MAX};
    for (size_t i = 0; i < sizeof us / sizeof *us; i++) {
        buf_add_ull(&got, us[i]);
        buf_printf(&want, "%llu", us[i]);
        buf_addc(&got, ' ');
        buf_addc(&want, ' ');
    }
    for (size_t i = 0; i < sizeof ss / sizeof *ss; i++) {
        buf_add_ll(&got, ss[i]);
        buf_printf(&want, "%lld", ss[i]);
        buf_addc(&got, ' ');
        buf_addc(&want, ' ');
    }
    unsigned long long p = 1, seed = 11;
    for (int k = 0; k < 20; k++, p *= 10) {
        for (unsigned long long d = p > 1 ? p - 1 : 0; d <= p + 1; d++) {
            buf_add_ull(&got, d);
            buf_printf(&want, "%llu", d);
            buf_add_ll(&got, -(long long)(d & LLONG_MAX));
            buf_printf(&want, "%lld", -(long long)(d & LLONG_MAX));
        }
    }
    for (int k = 0; k < 10000; k++) {
        unsigned long long v = unit_next(&seed) >> (unit_next(&seed) % 64);
        buf_add_ull(&got, v);
        buf_add_ll(&got, (long long)v);
        buf_printf(&want, "%llu%lld", v, (long long)v);
    }
    cr_assert_eq(got.len, want.len);
    cr_expect(memcmp(got.data, want.data, got.len) == 0);
    buf_release(&got);
    buf_release(&want);
}
