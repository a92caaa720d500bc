/* test_history: the history module's parts that need no repository (see
 * history_int.h): the version a revision declares, the review-only
 * comparison, commit text converted from its declared encoding, the author's
 * day, the Approved-by:/Reviewed-by: trailers, the cache's escaping and a
 * whole cache written and read back (and refused when corrupt), the pairing
 * of renames by identical contents, and tree comparison over an in-memory
 * object database. Similar-content renames need libgit2's diff over a
 * repository: that case builds a throwaway one in a temporary directory. */
#include "unit.h"

#include "dates.h"
#include "fs.h"
#include "history_int.h"

#include <git2/sys/mempack.h>
#include <limits.h>
#include <stdint.h>
#include <unistd.h>

/* libgit2 allocates through its own allocator, set up by its init. */
static void git_init(void)
{
    cr_assert_geq(git_libgit2_init(), 1);
}

static void git_shutdown(void)
{
    git_libgit2_shutdown();
}

static char sandbox[PATH_MAX];

/* A temporary directory, and libgit2. */
static void sandbox_init(void)
{
    unit_mkdtemp(sandbox, sizeof sandbox, "history");
    git_init();
}

static void sandbox_fini(void)
{
    unit_remove(sandbox);
    git_shutdown();
}

/* ---- the version a revision declares ---- */

static const struct {
    const char *text, *version; /* version NULL: none */
} version_cases[] = {
    {"---\nversion: \"2.1\"\n---\nbody\n", "2.1"},
    {"---\nversion: 2.10\n---\n", "2.10"}, /* the text, not a number */
    {"---\nversion: 1.0\n---\n", "1.0"},
    {"---\nversion: '3' # a comment\n---\n", "3"},
    {"---\nversion: \"a\\tb\"\n---\n", "a\tb"},
    {"---\ntitle: T\nversion: v4 final\nowner: o\n---\n", "v4 final"},
    {"---\nversion: true\n---\n", "true"},
    {"---\r\nversion: 5\r\n---\r\nbody\r\n", "5"},
    {"\xef\xbb\xbf---\nversion: 6\n---\n", "6"},
    {"---\nversion: ~\n---\n", NULL},
    {"---\nversion: null\n---\n", NULL},
    {"---\nversion:\n---\n", NULL},
    {"---\nversion: \"\"\n---\n", NULL},
    {"---\nversion: [1, 2]\n---\n", NULL},
    {"---\nversion: {major: 1}\n---\n", NULL},
    {"---\ntitle: T\n---\nversion: 7\n", NULL}, /* in the body */
    {"no front matter\nversion: 8\n", NULL},
    {"---\nversion: 9\n", NULL},                  /* never closed */
    {"---\nversion: [\n---\n", NULL},             /* broken YAML */
    {"---\nversion: 1\nversion: 2\n---\n", NULL}, /* a duplicate key */
    {"", NULL},
};

Test(history, declared_version)
{
    for (size_t i = 0; i < COUNT(version_cases); i++) {
        const char *text = version_cases[i].text;
        char *v = history_declared_version(text, strlen(text));
        if (version_cases[i].version)
            cr_expect(v && !strcmp(v, version_cases[i].version), "'%s': '%s', want '%s'", text,
                      v ? v : "(none)", version_cases[i].version);
        else
            cr_expect_null(v, "'%s': '%s', want none", text, v);
        free(v);
    }
}

/* A page of up to 4 MiB is read; a larger blob declares nothing. */
Test(history, declared_version_size_limit)
{
    size_t max = (size_t)4 << 20;
    char *text = malloc(max + 1);
    cr_assert_not_null(text);
    memset(text, 'x', max + 1);
    memcpy(text, "---\nversion: 6\n---\n", 19);
    char *v = history_declared_version(text, max);
    cr_expect(v && !strcmp(v, "6"), "at the limit: '%s'", v ? v : "(none)");
    free(v);
    v = history_declared_version(text, max + 1);
    cr_expect_null(v, "over the limit: '%s'", v);
    free(v);
    free(text);
}

/* ---- review-only changes ---- */

static const struct {
    const char *text, *want;
} review_line_cases[] = {
    {"a\nlast_reviewed: 2026-01-01\nb\n", "a\nb\n"},
    {"a\nlast_reviewed: 2026-01-01", "a\n"},
    {"last_reviewed: 2026-01-01\n", ""},
    {"last_reviewed:\n", ""},
    {"a\nlast_reviewed:", "a\nlast_reviewed:"}, /* a bare key at the very end stays */
    {"  last_reviewed: 2026-01-01\n", "  last_reviewed: 2026-01-01\n"},
    {"last_reviewed_by: x\n", "last_reviewed_by: x\n"},
    {"Last_reviewed: x\n", "Last_reviewed: x\n"},
    {"a\r\nlast_reviewed: x\r\nb\r\n", "a\r\nb\r\n"},
    {"x\nlast_reviewed: 1\nlast_reviewed: 2\ny", "x\ny"},
    {"", ""},
};

Test(history, without_review_line)
{
    for (size_t i = 0; i < COUNT(review_line_cases); i++) {
        buf b;
        buf_init(&b);
        buf_adds(&b, ">");
        history_without_review_line(&b, review_line_cases[i].text,
                                    strlen(review_line_cases[i].text));
        cr_expect_str_eq(b.data + 1, review_line_cases[i].want, "'%s'", review_line_cases[i].text);
        buf_release(&b);
    }
}

/* ---- commit text in its declared encoding ---- */

static const struct {
    const char *text, *encoding, *want;
} text_cases[] = {
    {NULL, NULL, ""},
    {NULL, "ISO-8859-1", ""},
    {"", "ISO-8859-1", ""},
    {"h\xc3\xa9llo", NULL, "h\xc3\xa9llo"},
    {"h\xc3\xa9llo", "UTF-8", "h\xc3\xa9llo"},
    {"h\xc3\xa9llo", "utf-8", "h\xc3\xa9llo"},
    {"h\xc3\xa9llo", "utf8", "h\xc3\xa9llo"},
    {"h\xe9llo", "ISO-8859-1", "h\xc3\xa9llo"},
    {"h\xe9llo", "latin1", "h\xc3\xa9llo"},
    {"\x93quoted\x94 \x80", "CP1252", "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x82\xac"},
    {"\x82\xa0", "SHIFT_JIS", "\xe3\x81\x82"},
    /* A stateful encoding: the shift back is added by the final flush. */
    {"\x1b$B$\"\x1b(B", "ISO-2022-JP", "\xe3\x81\x82"},
    {"\x1b$B$\"", "ISO-2022-JP", "\xe3\x81\x82"},
    /* Not converted: the bytes as they are (the writers repair them). */
    {"h\xe9llo", "NO-SUCH-ENCODING", "h\xe9llo"},
    {"h\xe9llo", "ISO-8859-1//IGNORE", "h\xe9llo"}, /* no iconv suffixes */
    {"h\xe9llo", "ISO 8859-1", "h\xe9llo"},
    {"h\xe9llo", "", "h\xe9llo"},
    {"h\xe9llo", "ISO-8859-1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
     "h\xe9llo"},                                /* a name over 64 bytes */
    {"\x82", "SHIFT_JIS", "\x82"},               /* cut off */
    {"ok \x82\xff", "SHIFT_JIS", "ok \x82\xff"}, /* invalid */
};

Test(history, commit_text)
{
    for (size_t i = 0; i < COUNT(text_cases); i++) {
        char *got = history_commit_text(text_cases[i].text, text_cases[i].encoding);
        cr_assert_not_null(got);
        cr_expect_str_eq(got, text_cases[i].want, "case %zu ('%s' in %s)", i,
                         text_cases[i].text ? text_cases[i].text : "(null)",
                         text_cases[i].encoding ? text_cases[i].encoding : "(none)");
        free(got);
    }
}

/* Output larger than the first guess at its size (each byte becomes two). */
Test(history, commit_text_grows)
{
    size_t n = 10000;
    char *latin = malloc(n + 1);
    cr_assert_not_null(latin);
    memset(latin, '\xe9', n);
    latin[n] = '\0';
    char *got = history_commit_text(latin, "ISO-8859-1");
    cr_assert_eq(strlen(got), 2 * n);
    for (size_t i = 0; i < n; i++)
        cr_assert(got[2 * i] == '\xc3' && got[2 * i + 1] == '\xa9', "byte %zu", i);
    free(got);
    free(latin);
}

/* ---- the author's day ---- */

static const struct {
    int64_t time;
    int offset; /* minutes east of UTC */
    int y, m, d;
} day_cases[] = {
    {0, 0, 1970, 1, 1},
    {86399, 0, 1970, 1, 1},
    {86400, 0, 1970, 1, 2},
    {-1, 0, 1969, 12, 31},
    {-86400, 0, 1969, 12, 31},
    {-86401, 0, 1969, 12, 30},
    {0, -60, 1969, 12, 31},
    {1767225600, 0, 2026, 1, 1},     /* 2026-01-01T00:00:00Z */
    {1767225599, 60, 2026, 1, 1},    /* 23:59:59Z is 00:59:59 at +01:00 */
    {1767225600, -60, 2025, 12, 31}, /* 23:00 the day before at -01:00 */
    {1767225600, 14 * 60, 2026, 1, 1},
    {1767225600 - 1, -12 * 60, 2025, 12, 31},
};

Test(history, author_day)
{
    for (size_t i = 0; i < COUNT(day_cases); i++) {
        git_time t = {day_cases[i].time, day_cases[i].offset, '+'};
        long want = date_from_civil(day_cases[i].y, day_cases[i].m, day_cases[i].d);
        cr_expect_eq(history_author_day(&t), want, "time %lld offset %d: %ld, want %ld",
                     (long long)day_cases[i].time, day_cases[i].offset, history_author_day(&t),
                     want);
    }
    /* Any 64-bit time is clamped to 2^40 seconds each way first. */
    git_time big = {INT64_MAX, 0, '+'}, small = {INT64_MIN, 0, '-'};
    cr_expect_eq(history_author_day(&big), 12725829L);
    cr_expect_eq(history_author_day(&small), -12725830L);
    git_time far = {(int64_t)1 << 40, 0, '+'};
    cr_expect_eq(history_author_day(&far), 12725829L);
}

/* ---- trailers ---- */

static const struct {
    const char *name, *message, *encoding;
    const char *approved, *reviewed; /* the lists joined with '|' */
} trailer_cases[] = {
    {"both, others ignored",
     "Subject\n\nBody text.\n\nApproved-by: Alice <a@x.example>\nReviewed-by: Bob\n"
     "Co-authored-by: Carol <c@x.example>\nSigned-off-by: Dan\n",
     NULL, "Alice <a@x.example>", "Bob"},
    {"several, in order, any case",
     "Subject\n\napproved-BY: Eve\nReviewed-by: R1\nAPPROVED-BY: Fay\nreviewed-by: R2\n", NULL,
     "Eve|Fay", "R1|R2"},
    {"only co-authors", "Subject\n\nCo-authored-by: Carol <c@x.example>\n", NULL, "", ""},
    {"the subject is no trailer", "Approved-by: X\n", NULL, "", ""},
    {"not the last paragraph", "Subject\n\nApproved-by: X\n\nMore text.\n", NULL, "", ""},
    {"a line that is no trailer", "Subject\n\nnot a trailer\nApproved-by: X\n", NULL, "", ""},
    {"space before the colon", "Subject\n\nApproved-by : Spaced\n", NULL, "Spaced", ""},
    {"converted from the commit's encoding", "Subject\n\nApproved-by: J\xe9r\xf4me\n", "ISO-8859-1",
     "J\xc3\xa9r\xc3\xb4me", ""},
    {"no message", NULL, NULL, "", ""},
    {"empty message", "", NULL, "", ""},
};

static void join(buf *out, char **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_printf(out, "%s%s", i ? "|" : "", items[i]);
}

static void free_list(char **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
}

Test(history, trailers, .init = git_init, .fini = git_shutdown)
{
    for (size_t i = 0; i < COUNT(trailer_cases); i++) {
        hist_row r;
        memset(&r, 0, sizeof r);
        history_read_trailers(&r, trailer_cases[i].message, trailer_cases[i].encoding);
        buf a, v;
        buf_init(&a);
        buf_init(&v);
        join(&a, r.approved_by, r.n_approved);
        join(&v, r.reviewed_by, r.n_reviewed);
        cr_expect_str_eq(a.data, trailer_cases[i].approved, "%s: approved", trailer_cases[i].name);
        cr_expect_str_eq(v.data, trailer_cases[i].reviewed, "%s: reviewed", trailer_cases[i].name);
        buf_release(&a);
        buf_release(&v);
        free_list(r.approved_by, r.n_approved);
        free_list(r.reviewed_by, r.n_reviewed);
    }
}

Test(history, trailers_append, .init = git_init, .fini = git_shutdown)
{
    hist_row r;
    memset(&r, 0, sizeof r);
    history_read_trailers(&r, "S\n\nApproved-by: One\n", NULL);
    history_read_trailers(&r, "S\n\nApproved-by: Two\nReviewed-by: Three\n", NULL);
    cr_assert_eq(r.n_approved, 2);
    cr_expect_str_eq(r.approved_by[0], "One");
    cr_expect_str_eq(r.approved_by[1], "Two");
    cr_assert_eq(r.n_reviewed, 1);
    cr_expect_str_eq(r.reviewed_by[0], "Three");
    free_list(r.approved_by, r.n_approved);
    free_list(r.reviewed_by, r.n_reviewed);
}

/* What `git interpret-trailers --parse` reads from these messages (libgit2
 * 1.5's git_message_trailers, used before, read the first as one trailer
 * "\nReviewed-by:", kept the fold of the second and the CRs of the third).
 * An empty value is no approval and is not kept. */
Test(history, trailers_as_git_reads_them)
{
    static const struct {
        const char *message, *approved, *reviewed;
    } cases[] = {
        {"S\n\nApproved-by:\nReviewed-by:   \n", "", ""},
        {"S\n\nApproved-by: a\n  more\n", "a more", ""},
        {"Subject\r\n\r\nApproved-by: Crlf\r\nReviewed-by: R\r\n", "Crlf", "R"},
        /* a quarter of trailers is enough with one git writes itself */
        {"S\n\ntext\nmore text\nSigned-off-by: D\nApproved-by: Q\n", "Q", ""},
        {"S\n\ntext\nmore text\nthird line\nApproved-by: Q\n", "", ""},
        /* a key with a space inside, a comment line, a fold after a comment */
        {"S\n\nApproved by: X\n", "", ""},
        {"S\n\nApproved-by: A\n# note\nReviewed-by: B\n", "A", "B"},
        {"S\n\nApproved-by: A\n# note\n  folded\nReviewed-by: B\n", "", ""},
        {"S\n\nSigned-off-by: D\nApproved-by: A\n# note\n  folded\nReviewed-by: B\n", "A", "B"},
        {"S\n\n\n\nApproved-by: After blank lines\n\n\n", "After blank lines", ""},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        hist_row r;
        memset(&r, 0, sizeof r);
        history_read_trailers(&r, cases[i].message, NULL);
        buf a, v;
        buf_init(&a);
        buf_init(&v);
        join(&a, r.approved_by, r.n_approved);
        join(&v, r.reviewed_by, r.n_reviewed);
        cr_expect_str_eq(a.data, cases[i].approved, "'%s'", cases[i].message);
        cr_expect_str_eq(v.data, cases[i].reviewed, "'%s'", cases[i].message);
        buf_release(&a);
        buf_release(&v);
        free_list(r.approved_by, r.n_approved);
        free_list(r.reviewed_by, r.n_reviewed);
    }
}

/* ---- the cache's escaping ---- */

static const struct {
    const char *raw, *escaped;
} escape_cases[] = {
    {"", ""},
    {"plain text", "plain text"},
    {"a\tb", "a\\tb"},
    {"a\nb", "a\\nb"},
    {"a\\b", "a\\\\b"},
    {"a\x1f"
     "b",
     "a\\ub"},
    {"\\t", "\\\\t"},
    {"\\u", "\\\\u"},
    {"\t\n\\\x1f", "\\t\\n\\\\\\u"},
    {"caf\xc3\xa9\r", "caf\xc3\xa9\r"}, /* CR and UTF-8 as they are */
};

Test(history, cache_escape_round_trip)
{
    for (size_t i = 0; i < COUNT(escape_cases); i++) {
        buf b;
        buf_init(&b);
        buf_adds(&b, ">");
        history_cache_escape(&b, escape_cases[i].raw);
        cr_expect_str_eq(b.data + 1, escape_cases[i].escaped, "escape of case %zu", i);
        cr_expect_null(memchr(b.data, '\t', b.len), "case %zu: a tab left", i);
        cr_expect_null(memchr(b.data, '\n', b.len), "case %zu: a newline left", i);
        cr_expect_null(memchr(b.data, '\x1f', b.len), "case %zu: a separator left", i);
        char *back = history_cache_unescape(b.data + 1, b.len - 1);
        cr_expect_str_eq(back, escape_cases[i].raw, "round trip of case %zu", i);
        free(back);
        buf_release(&b);
    }
    /* NULL escapes to nothing; a lone final backslash and unknown escapes
     * read as written. */
    buf b;
    buf_init(&b);
    history_cache_escape(&b, NULL);
    cr_expect_eq(b.len, 0);
    buf_release(&b);
    static const struct {
        const char *in, *out;
    } unesc[] = {{"a\\", "a\\"}, {"\\x\\\"", "x\""}, {"\\t\\", "\t\\"}, {"a\\tb", "a"}};
    for (size_t i = 0; i < COUNT(unesc); i++) {
        size_t len = i == 3 ? 1 : strlen(unesc[i].in); /* only the first len bytes count */
        char *got = history_cache_unescape(unesc[i].in, len);
        cr_expect_str_eq(got, unesc[i].out, "'%s'", unesc[i].in);
        free(got);
    }
}

Test(history, cache_list_round_trip)
{
    static const struct {
        const char *items[4];
        size_t n;
        const char *field;
    } cases[] = {
        {{NULL}, 0, ""},
        {{"Alice"}, 1, "Alice\x1f"},
        {{"Alice <a@x>", "Bob"},
         2,
         "Alice <a@x>\x1f"
         "Bob\x1f"},
        {{"a\x1f"
          "b",
          "", "c\\"},
         3,
         "a\\ub\x1f\x1f"
         "c\\\\\x1f"},
        {{""}, 1, "\x1f"},
        {{"tab\there", "new\nline"}, 2, "tab\\there\x1fnew\\nline\x1f"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        buf b;
        buf_init(&b);
        history_cache_escape_list(&b, (char **)cases[i].items, cases[i].n);
        cr_expect_str_eq(b.data, cases[i].field, "case %zu", i);
        char **items = (char **)1;
        size_t n = history_cache_split_list(&items, b.data);
        cr_expect_eq(n, cases[i].n, "case %zu: %zu items", i, n);
        for (size_t k = 0; k < n && k < cases[i].n; k++)
            cr_expect_str_eq(items[k], cases[i].items[k], "case %zu item %zu", i, k);
        if (!n)
            cr_expect_null(items, "case %zu", i);
        free_list(n ? items : NULL, n);
        buf_release(&b);
    }
}

/* An empty item survives the cache: ["a", ""] once came back as ["a"] and
 * [""] as [], a cached build differing from a fresh one. */
Test(history, cache_list_keeps_empty_items)
{
    static const char *const lists[][2] = {{"a", ""}, {"", NULL}};
    static const size_t sizes[] = {2, 1};
    for (size_t i = 0; i < COUNT(sizes); i++) {
        buf b;
        buf_init(&b);
        history_cache_escape_list(&b, (char **)lists[i], sizes[i]);
        char **items;
        size_t n = history_cache_split_list(&items, b.data);
        cr_expect_eq(n, sizes[i], "list %zu: %zu items, want %zu", i, n, sizes[i]);
        free_list(items, n);
        buf_release(&b);
    }
}

/* ---- a whole cache, written and read back ---- */

#define HEAD_HEX "0123456789abcdef0123456789abcdef01234567"
#define C1 "1111111111111111111111111111111111111111"
#define C2 "2222222222222222222222222222222222222222"

/* Three pages: the first with an uncommitted row (never cached), a commit
 * whose every text needs escaping, and a truncated row; the second with a
 * plain commit; the third has no path at head (skipped). */
typedef struct cache_fixture {
    history h;
    page_rows raw[3];
    page_history pages[3];
    char *paths[3];
} cache_fixture;

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void fill_commit_row(raw_row *r, long seq, const char *commit, const char *date,
                            const char *name, const char *email, const char *summary,
                            const char *declared, int review)
{
    r->row.kind = HIST_COMMIT;
    r->seq = seq;
    strcpy(r->row.commit, commit);
    memcpy(r->row.shortid, commit, 7);
    strcpy(r->row.date, date);
    r->name = dup_or_null(name);
    r->email = dup_or_null(email);
    r->row.summary = dup_or_null(summary);
    r->declared = dup_or_null(declared);
    r->row.review = review;
}

static void make_fixture(cache_fixture *f)
{
    memset(f, 0, sizeof *f);
    raw_row *r = history_add_row(&f->raw[0]);
    r->row.kind = HIST_UNCOMMITTED;
    r->seq = -1;
    r = history_add_row(&f->raw[0]);
    fill_commit_row(r, 0, C1, "2026-03-01", "Ann\tTab", "ann@x\\y", "Line one\nline two \x1f",
                    "2.0\t\"beta\"", 1);
    r->row.approved_by = xcalloc(2, sizeof(char *));
    r->row.approved_by[0] = xstrdup("Boss <b@x>");
    r->row.approved_by[1] = xstrdup("Co\tBoss");
    r->row.n_approved = 2;
    r->row.reviewed_by = xcalloc(1, sizeof(char *));
    r->row.reviewed_by[0] = xstrdup("Rev\\iewer");
    r->row.n_reviewed = 1;
    r = history_add_row(&f->raw[0]);
    r->row.kind = HIST_TRUNCATED;
    r->seq = 5;
    r = history_add_row(&f->raw[1]);
    fill_commit_row(r, 2, C2, "2025-12-31", "Bob", "bob@x", "Plain", NULL, 0);
    r = history_add_row(&f->raw[2]);
    fill_commit_row(r, 1, C2, "2025-12-31", "Bob", "bob@x", "Not cached", NULL, 0);
    f->paths[0] = "content/a\tb.md";
    f->paths[1] = "content/b.md";
    f->paths[2] = NULL;
    f->h = (history){.found = 1, .n_pages = 3, .raw = f->raw, .pages = f->pages};
}

static void free_fixture(cache_fixture *f)
{
    for (size_t i = 0; i < 3; i++) {
        for (size_t j = 0; j < f->raw[i].n; j++)
            history_free_raw(&f->raw[i].rows[j]);
        free(f->raw[i].rows);
    }
}

static const char cache_text[] =
    CACHE_MAGIC "\n"
                "head\t" HEAD_HEX "\n"
                "prefix\tcontent/\n"
                "path\tcontent/a\\tb.md\n"
                "row\t0\t" C1 "\t2026-03-01\t1\tAnn\\tTab\x1f"
                "ann@x\\\\y\tLine one\\nline two \\u\t2.0\\t\"beta\"\tBoss <b@x>\x1f"
                "Co\\tBoss\x1f\tRev\\\\iewer\x1f\n"
                "row\t5\t-\t\t0\t\x1f\t\t-\t\t\n"
                "path\tcontent/b.md\n"
                "row\t2\t" C2 "\t2025-12-31\t0\tBob\x1f"
                "bob@x\tPlain\t-\t\t\n";

static void write_cache_file(const char *text)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/history.cache", sandbox);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_write(p.data, text, strlen(text), d), 0);
    diag_free(d);
    buf_release(&p);
}

static cached *read_cache(const char *prefix)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/history.cache", sandbox);
    cached *c = history_cache_read(p.data, prefix);
    buf_release(&p);
    return c;
}

static void expect_same_row(const raw_row *got, const raw_row *want, const char *what)
{
    cr_expect_eq(got->row.kind, want->row.kind, "%s: kind", what);
    cr_expect_eq(got->seq, want->seq, "%s: seq", what);
    cr_expect_eq(got->row.review, want->row.review, "%s: review", what);
    if (want->row.kind != HIST_COMMIT)
        return;
    cr_expect_str_eq(got->row.commit, want->row.commit, "%s: commit", what);
    cr_expect_str_eq(got->row.shortid, want->row.shortid, "%s: short", what);
    cr_expect_str_eq(got->row.date, want->row.date, "%s: date", what);
    cr_expect_str_eq(got->name, want->name, "%s: name", what);
    cr_expect_str_eq(got->email, want->email, "%s: email", what);
    cr_expect_str_eq(got->row.summary, want->row.summary, "%s: summary", what);
    if (want->declared)
        cr_expect(got->declared && !strcmp(got->declared, want->declared), "%s: declared '%s'",
                  what, got->declared ? got->declared : "(none)");
    else
        cr_expect_null(got->declared, "%s: declared", what);
    cr_expect_eq(got->row.n_approved, want->row.n_approved, "%s: approvers", what);
    for (size_t i = 0; i < got->row.n_approved && i < want->row.n_approved; i++)
        cr_expect_str_eq(got->row.approved_by[i], want->row.approved_by[i], "%s", what);
    cr_expect_eq(got->row.n_reviewed, want->row.n_reviewed, "%s: reviewers", what);
    for (size_t i = 0; i < got->row.n_reviewed && i < want->row.n_reviewed; i++)
        cr_expect_str_eq(got->row.reviewed_by[i], want->row.reviewed_by[i], "%s", what);
}

Test(history, cache_write_and_read_back, .init = sandbox_init, .fini = sandbox_fini)
{
    cache_fixture f;
    make_fixture(&f);
    git_oid head;
    cr_assert_eq(git_oid_fromstr(&head, HEAD_HEX), 0);
    diags *d = diag_new(NULL);
    history_cache_write(&f.h, sandbox, &head, "content/", f.paths, d);
    cr_assert_diag(d, "");

    /* The file, byte for byte, alone (it is in the git directory: nothing to
     * ignore). */
    buf p, text;
    buf_init(&p);
    buf_init(&text);
    buf_printf(&p, "%s/history.cache", sandbox);
    cr_assert_eq(fs_read(&text, p.data, NULL, d), 0);
    cr_expect_str_eq(text.data, cache_text);
    buf_reset(&p);
    buf_printf(&p, "%s/.gitignore", sandbox);
    cr_expect_eq(access(p.data, F_OK), -1, ".gitignore written");
    buf_reset(&p);
    buf_printf(&p, "%s/history.cache.tmp", sandbox);
    cr_expect_eq(access(p.data, F_OK), -1, "temporary file left");
    buf_release(&p);
    buf_release(&text);

    /* Read back: every cached row as it was written. */
    cached *c = read_cache("content/");
    cr_assert_not_null(c);
    cr_expect(git_oid_equal(&c->head, &head));
    cr_assert_eq(c->n, 2);
    intptr_t a = (intptr_t)map_get(c->by_path, "content/a\tb.md");
    intptr_t b = (intptr_t)map_get(c->by_path, "content/b.md");
    cr_assert(a && b, "paths not indexed");
    const page_rows *ra = &c->rows_of[a - 1], *rb = &c->rows_of[b - 1];
    cr_assert_eq(ra->n, 2);
    expect_same_row(&ra->rows[0], &f.raw[0].rows[1], "a commit");
    expect_same_row(&ra->rows[1], &f.raw[0].rows[2], "a truncated");
    cr_assert_eq(rb->n, 1);
    expect_same_row(&rb->rows[0], &f.raw[1].rows[0], "b commit");
    history_cache_free(c);

    /* A cache for another content directory is not used. */
    cr_expect_null(read_cache("docs/"));
    cr_expect_null(read_cache(""));
    history_cache_free(NULL);
    free_fixture(&f);
    diag_free(d);
}

/* Anything unexpected makes the whole cache unusable. */
static const struct {
    const char *name, *text;
} corrupt_cases[] = {
    {"an older format", "charter-history-cache 2\nhead\t" HEAD_HEX "\nprefix\tcontent/\n"},
    {"only two lines", CACHE_MAGIC "\nhead\t" HEAD_HEX "\n"},
    {"a bad head", CACHE_MAGIC "\nhead\tnot-an-oid\nprefix\tcontent/\n"},
    {"no head", CACHE_MAGIC "\nprefix\tcontent/\nhead\t" HEAD_HEX "\n"},
    {"a row before any path",
     CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\nrow\t0\t" C1 "\t2026-01-01\t0\tA\x1f"
                 "a\tS\t-\t\t\n"},
    {"a row of nine fields", CACHE_MAGIC
     "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t" C1 "\t2026-01-01\t0\tA\x1f"
     "a\tS\t-\t\n"},
    {"a negative seq", CACHE_MAGIC
     "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t-1\t" C1 "\t2026-01-01\t0\tA\x1f"
     "a\tS\t-\t\t\n"},
    {"a seq over INT_MAX",
     CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t2147483648\t" C1
                 "\t2026-01-01\t0\tA\x1f"
                 "a\tS\t-\t\t\n"},
    {"a seq that is no number", CACHE_MAGIC
     "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t1x\t" C1 "\t2026-01-01\t0\tA\x1f"
     "a\tS\t-\t\t\n"},
    {"a short commit id",
     CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t1111111"
                 "\t2026-01-01\t0\tA\x1f"
                 "a\tS\t-\t\t\n"},
    {"a commit id that is not hex",
     CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t"
                 "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
                 "\t2026-01-01\t0\tA\x1f"
                 "a\tS\t-\t\t\n"},
    {"a day that does not exist", CACHE_MAGIC
     "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t" C1 "\t2026-02-30\t0\tA\x1f"
     "a\tS\t-\t\t\n"},
    {"a review flag of 2", CACHE_MAGIC
     "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t" C1 "\t2026-01-01\t2\tA\x1f"
     "a\tS\t-\t\t\n"},
    {"an author without email",
     CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t" C1
                 "\t2026-01-01\t0\tA\tS\t-\t\t\n"},
    {"an unknown record", CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\nextra\tx\n"},
    {"empty", ""},
};

Test(history, cache_refused_when_corrupt, .init = sandbox_init, .fini = sandbox_fini)
{
    for (size_t i = 0; i < COUNT(corrupt_cases); i++) {
        write_cache_file(corrupt_cases[i].text);
        cached *c = read_cache("content/");
        cr_expect_null(c, "%s: accepted", corrupt_cases[i].name);
        history_cache_free(c);
    }
    /* The same rows, well formed, are accepted (so each case above fails
     * for its own defect). */
    write_cache_file(CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t" C1
                                 "\t2026-01-01\t0\tA\x1f"
                                 "a\tS\t-\t\t\n");
    cached *c = read_cache("content/");
    cr_expect_not_null(c);
    history_cache_free(c);
    /* No file: no cache. */
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/none", sandbox);
    cr_expect_null(history_cache_read(p.data, "content/"));
    buf_release(&p);
}

/* ---- renames ---- */

static void oid_of(git_oid *out, char c)
{
    char hex[41];
    memset(hex, c, 40);
    hex[40] = '\0';
    cr_assert_eq(git_oid_fromstr(out, hex), 0);
}

typedef struct fc_spec {
    char status;
    const char *path;
    char id; /* the blob's id: 40 times this hex digit */
} fc_spec;

static void build_changes(fchanges *fc, const fc_spec *spec, size_t n)
{
    memset(fc, 0, sizeof *fc);
    fc->v = xcalloc(n ? n : 1, sizeof *fc->v);
    fc->cap = n;
    for (size_t i = 0; i < n && spec[i].path; i++) {
        fchange *c = &fc->v[fc->n++];
        c->status = spec[i].status;
        c->path = xstrdup(spec[i].path);
        git_oid id;
        oid_of(&id, spec[i].id);
        if (spec[i].status == 'D' || spec[i].status == 'M')
            git_oid_cpy(&c->old_id, &id);
        if (spec[i].status != 'D')
            git_oid_cpy(&c->new_id, &id);
    }
}

/* After pairing: each change as "<status> <path>[ <- <old_path>:<old id digit>]". */
static void describe_changes(buf *out, const fchanges *fc)
{
    for (size_t i = 0; i < fc->n; i++) {
        const fchange *c = &fc->v[i];
        buf_printf(out, "%c %s", c->status, c->path ? c->path : "-");
        if (c->old_path) {
            char hex[41];
            git_oid_tostr(hex, sizeof hex, &c->old_id);
            buf_printf(out, " <- %s:%c", c->old_path, hex[0]);
        }
        buf_addc(out, ';');
    }
}

static const struct {
    const char *name;
    fc_spec in[6];
    const char *want;
} rename_cases[] = {
    {"a move", {{'D', "old.md", 'a'}, {'A', "new.md", 'a'}}, "x -;R new.md <- old.md:a;"},
    {"an add before its delete",
     {{'A', "new.md", 'a'}, {'D', "old.md", 'a'}},
     "R new.md <- old.md:a;x -;"},
    {"two copies of one text, paired in order",
     {{'D', "a.md", 'a'}, {'D', "b.md", 'a'}, {'A', "c.md", 'a'}, {'A', "d.md", 'a'}},
     "x -;x -;R c.md <- a.md:a;R d.md <- b.md:a;"},
    {"one delete, two adds of its text",
     {{'D', "a.md", 'a'}, {'A', "b.md", 'a'}, {'A', "c.md", 'a'}},
     "x -;R b.md <- a.md:a;A c.md;"},
    {"a new page beside a move",
     {{'D', "a.md", 'a'}, {'A', "b.md", 'b'}, {'A', "c.md", 'a'}, {'M', "m.md", 'c'}},
     "x -;A b.md;R c.md <- a.md:a;M m.md;"},
    {"crossed moves",
     {{'D', "a.md", 'a'}, {'D', "b.md", 'b'}, {'A', "c.md", 'b'}, {'A', "d.md", 'a'}},
     "x -;x -;R c.md <- b.md:b;R d.md <- a.md:a;"},
    {"only adds", {{'A', "a.md", 'a'}, {'A', "b.md", 'b'}}, "A a.md;A b.md;"},
    {"only deletes", {{'D', "a.md", 'a'}}, "D a.md;"},
    {"nothing", {{0, NULL, 0}}, ""},
};

/* Pairing by identical contents needs no repository: with nothing left on
 * one side afterwards, libgit2's similarity is never asked. */
Test(history, renames_by_identical_contents, .init = git_init, .fini = git_shutdown)
{
    for (size_t i = 0; i < COUNT(rename_cases); i++) {
        fchanges fc;
        build_changes(&fc, rename_cases[i].in, COUNT(rename_cases[i].in));
        cr_expect_eq(history_find_renames(NULL, NULL, NULL, &fc), 0, "%s", rename_cases[i].name);
        buf got;
        buf_init(&got);
        describe_changes(&got, &fc);
        cr_expect_str_eq(got.data, rename_cases[i].want, "%s", rename_cases[i].name);
        buf_release(&got);
        history_fc_clear(&fc);
        free(fc.v);
    }
}

/* Similar contents: libgit2's diff (git's 50% rule) over two trees, so a
 * repository, made with libgit2 in a temporary directory. */
static void tree_with(git_oid *out, git_repository *repo, const char *const *names,
                      const char *const *texts, size_t n, git_oid *blob_ids)
{
    git_treebuilder *tb;
    cr_assert_eq(git_treebuilder_new(&tb, repo, NULL), 0);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(git_blob_create_from_buffer(&blob_ids[i], repo, texts[i], strlen(texts[i])),
                     0);
        cr_assert_eq(git_treebuilder_insert(NULL, tb, names[i], &blob_ids[i], GIT_FILEMODE_BLOB),
                     0);
    }
    cr_assert_eq(git_treebuilder_write(out, tb), 0);
    git_treebuilder_free(tb);
}

Test(history, renames_by_similar_contents, .init = sandbox_init, .fini = sandbox_fini)
{
    git_repository *repo;
    cr_assert_eq(git_repository_init(&repo, sandbox, 1), 0);
    static const char policy[] = "---\ntitle: Access\n---\n"
                                 "One.\nTwo.\nThree.\nFour.\nFive.\nSix.\nSeven.\nEight.\n";
    static const char edited[] = "---\ntitle: Access control\n---\n"
                                 "One.\nTwo.\nThree.\nFour.\nFive.\nSix.\nSeven.\nEight.\n";
    static const char other[] = "---\ntitle: Something else\n---\nNothing alike at all.\n";
    static const char *const old_names[] = {"gone.md", "old.md"};
    static const char *const old_texts[] = {"Entirely different words here.\n", policy};
    static const char *const new_names[] = {"fresh.md", "new.md"};
    static const char *const new_texts[] = {other, edited};
    git_oid old_tree_id, new_tree_id, old_blobs[2], new_blobs[2];
    tree_with(&old_tree_id, repo, old_names, old_texts, 2, old_blobs);
    tree_with(&new_tree_id, repo, new_names, new_texts, 2, new_blobs);
    git_tree *old_tree, *new_tree;
    cr_assert_eq(git_tree_lookup(&old_tree, repo, &old_tree_id), 0);
    cr_assert_eq(git_tree_lookup(&new_tree, repo, &new_tree_id), 0);

    fchanges fc = {0};
    fc.v = xcalloc(4, sizeof *fc.v);
    fc.cap = 4;
    for (size_t i = 0; i < 2; i++) {
        fchange *d = &fc.v[fc.n++];
        d->status = 'D';
        d->path = xstrdup(old_names[i]);
        git_oid_cpy(&d->old_id, &old_blobs[i]);
        fchange *a = &fc.v[fc.n++];
        a->status = 'A';
        a->path = xstrdup(new_names[i]);
        git_oid_cpy(&a->new_id, &new_blobs[i]);
    }
    cr_assert_eq(history_find_renames(repo, old_tree, new_tree, &fc), 0);
    /* new.md is old.md edited; fresh.md is new; gone.md stays deleted. */
    cr_expect_eq(fc.v[0].status, 'D');
    cr_expect_str_eq(fc.v[0].path, "gone.md");
    cr_expect_eq(fc.v[1].status, 'A');
    cr_expect_str_eq(fc.v[1].path, "fresh.md");
    cr_expect_null(fc.v[1].old_path);
    cr_expect_eq(fc.v[3].status, 'R');
    cr_expect_str_eq(fc.v[3].path, "new.md");
    cr_assert_not_null(fc.v[3].old_path);
    cr_expect_str_eq(fc.v[3].old_path, "old.md");
    cr_expect(git_oid_equal(&fc.v[3].old_id, &old_blobs[1]));
    /* old.md's delete is left as it was: the walk only follows the add. */
    cr_expect_eq(fc.v[2].status, 'D');
    history_fc_clear(&fc);
    free(fc.v);
    git_tree_free(old_tree);
    git_tree_free(new_tree);
    git_repository_free(repo);
}

/* ---- comparing trees, in memory ---- */

typedef struct tree_entry {
    int is_tree;
    const char *name;
    const git_oid *id;
} tree_entry;

/* Writes a raw tree (entries in git's order) to odb. */
static void write_tree(git_oid *out, git_odb *odb, const tree_entry *e, size_t n)
{
    buf raw;
    buf_init(&raw);
    for (size_t i = 0; i < n; i++) {
        buf_printf(&raw, "%s %s", e[i].is_tree ? "40000" : "100644", e[i].name);
        buf_addc(&raw, '\0');
        buf_add(&raw, (const char *)e[i].id->id, GIT_OID_RAWSZ);
    }
    cr_assert_eq(git_odb_write(out, odb, raw.data, raw.len, GIT_OBJECT_TREE), 0);
    buf_release(&raw);
}

static void write_blob(git_oid *out, git_odb *odb, const char *text)
{
    cr_assert_eq(git_odb_write(out, odb, text, strlen(text), GIT_OBJECT_BLOB), 0);
}

static void sort_changes(buf *out, const fchanges *fc)
{
    for (size_t i = 0; i < fc->n; i++)
        buf_printf(out, "%c %s;", fc->v[i].status, fc->v[i].path);
}

Test(history, diff_trees_in_memory, .init = git_init, .fini = git_shutdown)
{
    git_odb *odb;
    git_odb_backend *mem;
    cr_assert_eq(git_odb_new(&odb), 0);
    cr_assert_eq(git_mempack_new(&mem), 0);
    cr_assert_eq(git_odb_add_backend(odb, mem, 1), 0);
    git_oid a, b1, b2, c, d, e, png, sub_old, sub_new, deep, content_old, content_new, root_old,
        root_new, readme;
    write_blob(&a, odb, "a\n");
    write_blob(&b1, odb, "b one\n");
    write_blob(&b2, odb, "b two\n");
    write_blob(&c, odb, "c\n");
    write_blob(&d, odb, "d\n");
    write_blob(&e, odb, "e\n");
    write_blob(&png, odb, "PNG");
    write_blob(&readme, odb, "readme\n");
    /* content/: a.md same, b.md modified, img.png gone (not a page), sub/
     * gains d.md, e.md new, old/ (one page) gone, x.md becomes a folder. */
    const tree_entry deep_e[] = {{0, "c.md", &c}};
    write_tree(&deep, odb, deep_e, 1);
    const tree_entry sub_old_e[] = {{0, "c.md", &c}};
    const tree_entry sub_new_e[] = {{0, "c.md", &c}, {0, "d.md", &d}};
    write_tree(&sub_old, odb, sub_old_e, 1);
    write_tree(&sub_new, odb, sub_new_e, 2);
    const tree_entry old_e[] = {{0, "a.md", &a},   {0, "b.md", &b1},     {0, "img.png", &png},
                                {1, "old", &deep}, {1, "sub", &sub_old}, {0, "x.md", &e}};
    const tree_entry new_e[] = {{0, "a.md", &a},
                                {0, "b.md", &b2},
                                {0, "e.md", &e},
                                {1, "sub", &sub_new},
                                {1, "x.md", &deep}};
    write_tree(&content_old, odb, old_e, COUNT(old_e));
    write_tree(&content_new, odb, new_e, COUNT(new_e));
    const tree_entry root_old_e[] = {{0, "README", &readme}, {1, "content", &content_old}};
    const tree_entry root_new_e[] = {{0, "README", &readme}, {1, "content", &content_new}};
    write_tree(&root_old, odb, root_old_e, 2);
    write_tree(&root_new, odb, root_new_e, 2);

    tree_cache tc = {odb, map_new(), map_new()};
    git_oid got_old, got_new, none;
    history_prefix_tree(&got_old, &tc, &root_old, "content/");
    history_prefix_tree(&got_new, &tc, &root_new, "content/");
    cr_expect(git_oid_equal(&got_old, &content_old));
    cr_expect(git_oid_equal(&got_new, &content_new));
    history_prefix_tree(&none, &tc, &root_old, "missing/");
    cr_expect(git_oid_is_zero(&none));
    history_prefix_tree(&none, &tc, &root_old, "README/"); /* a file, not a folder */
    cr_expect(git_oid_is_zero(&none));
    history_prefix_tree(&none, &tc, &root_old, "");
    cr_expect(git_oid_equal(&none, &root_old));
    history_prefix_tree(&none, &tc, NULL, "content/");
    cr_expect(git_oid_is_zero(&none));

    fchanges fc = {0};
    buf path, got;
    buf_init(&path);
    buf_init(&got);
    buf_adds(&path, "content");
    cr_assert_eq(history_diff_trees(&tc, &content_old, &content_new, &path, &fc), 0);
    cr_expect_str_eq(path.data, "content", "path restored");
    sort_changes(&got, &fc);
    cr_expect_str_eq(got.data, "M content/b.md;A content/e.md;D content/old/c.md;"
                               "A content/sub/d.md;D content/x.md;A content/x.md/c.md;");
    /* Ids: a modification has both, an add the new, a delete the old. */
    cr_expect(git_oid_equal(&fc.v[0].old_id, &b1) && git_oid_equal(&fc.v[0].new_id, &b2));
    cr_expect(git_oid_equal(&fc.v[1].new_id, &e) && git_oid_is_zero(&fc.v[1].old_id));
    cr_expect(git_oid_equal(&fc.v[2].old_id, &c) && git_oid_is_zero(&fc.v[2].new_id));
    history_fc_clear(&fc);
    cr_expect_eq(fc.n, 0);

    /* A first commit: every page of the tree, added. */
    buf_reset(&got);
    cr_assert_eq(history_add_whole(&tc, &content_new, &path, 'A', &fc), 0);
    sort_changes(&got, &fc);
    cr_expect_str_eq(got.data, "A content/a.md;A content/b.md;A content/e.md;"
                               "A content/sub/c.md;A content/sub/d.md;A content/x.md/c.md;");
    history_fc_clear(&fc);

    /* A tree that is not there. */
    git_oid missing;
    oid_of(&missing, '9');
    cr_expect_eq(history_diff_trees(&tc, &missing, &content_new, &path, &fc), -1);
    cr_expect_eq(history_add_whole(&tc, &missing, &path, 'A', &fc), -1);
    history_tc_step(&tc);
    history_fc_clear(&fc);
    free(fc.v);
    buf_release(&path);
    buf_release(&got);
    history_tc_release(&tc); /* frees odb */
}
