/* test_history: the history module's parts that need no repository (see
 * history_int.h): the version a revision declares, the review-only
 * comparison, commit text converted from its declared encoding, the author's
 * day, the Approved-by:/Reviewed-by: trailers, the cache's escaping and a
 * whole cache written and read back (and refused when corrupt), git's
 * similarity score, the file an added page came from, and tree comparison,
 * the last two over an in-memory object database. */
#include "unit.h"

#include "dates.h"
#include "digest.h"
#include "fs.h"
#include "history_int.h"
#include "site.h"

#include <dlfcn.h>
#include <git2/sys/mempack.h>
#include <libdeflate.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
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
    char log[PATH_MAX + 8];
    snprintf(log, sizeof log, "%s.log", sandbox);
    unlink(log); /* sandbox_sh's, beside the sandbox */
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

/* libgit2's set-up asks for the system's CA bundle, which charter answers
 * without parsing it (history.c): fails if libmbedx509's own function is
 * the one called (the executable's definition not exported, or not first),
 * and git still works after it. */
Test(history, ca_bundle_not_parsed)
{
    struct stat st;
    if (stat("/etc/ssl/certs/ca-certificates.crt", &st) != 0 || !S_ISREG(st.st_mode))
        cr_skip_test("no CA bundle on this machine: libgit2 asks for none");
    void *mbed = dlopen("libmbedx509.so.1", RTLD_LAZY | RTLD_NOLOAD);
    if (!mbed)
        cr_skip_test("libgit2 is not built with mbedTLS here");
    dlclose(mbed);
    history_git_init();
    cr_assert_geq(history_ca_files_skipped(), 1);
    char dir[PATH_MAX];
    unit_mkdtemp(dir, sizeof dir, "history-ca");
    git_repository *repo = NULL;
    cr_assert_eq(git_repository_init(&repo, dir, 0), 0);
    git_repository_free(repo);
    git_libgit2_shutdown();
    unit_remove(dir);
}

Test(history, trailers, .init = git_init, .fini = git_shutdown)
{
    for (size_t i = 0; i < COUNT(trailer_cases); i++) {
        hist_row r;
        memset(&r, 0, sizeof r);
        history_read_trailers(&r, trailer_cases[i].message, trailer_cases[i].encoding, 1);
        buf a, v;
        buf_init(&a);
        buf_init(&v);
        join(&a, r.approved_by, r.n_approved);
        join(&v, r.reviewed_by, r.n_reviewed);
        cr_expect_str_eq(a.data, trailer_cases[i].approved, "%s: approved", trailer_cases[i].name);
        cr_expect_str_eq(v.data, trailer_cases[i].reviewed, "%s: reviewed", trailer_cases[i].name);
        buf_release(&a);
        buf_release(&v);
        history_row_release(&r);
    }
}

Test(history, trailers_append, .init = git_init, .fini = git_shutdown)
{
    hist_row r;
    memset(&r, 0, sizeof r);
    history_read_trailers(&r, "S\n\nApproved-by: One\n", NULL, 1);
    history_read_trailers(&r, "S\n\nApproved-by: Two\nReviewed-by: Three\n", NULL, 1);
    cr_assert_eq(r.n_approved, 2);
    cr_expect_str_eq(r.approved_by[0], "One");
    cr_expect_str_eq(r.approved_by[1], "Two");
    cr_assert_eq(r.n_reviewed, 1);
    cr_expect_str_eq(r.reviewed_by[0], "Three");
    history_row_release(&r);
}

/* A commit's texts are cut to a bound (HIST_NAME_MAX, HIST_SUMMARY_MAX),
 * at a character's start and ending in an ellipsis, and a list keeps its
 * first HIST_LIST_MAX names: a 12 MB Approved-by: on a commit touching
 * every page made a 650 MB site. HEAD~1 kept them whole. */
Test(history, trailers_bounded, .init = git_init, .fini = git_shutdown)
{
    buf m;
    buf_init(&m);
    buf_adds(&m, "S\n\nApproved-by: ");
    for (int i = 0; i < 100000; i++)
        buf_adds(&m, "\xc3\xa9"); /* 'é', two bytes: a cut falls inside one */
    buf_adds(&m, "\n");
    for (int i = 0; i < 1000; i++)
        buf_printf(&m, "Reviewed-by: R%d\n", i);
    hist_row r;
    memset(&r, 0, sizeof r);
    history_read_trailers(&r, m.data, NULL, 1);
    cr_assert_eq(r.n_approved, 1);
    size_t len = strlen(r.approved_by[0]);
    cr_expect_leq(len, HIST_NAME_MAX);
    cr_expect_geq(len, HIST_NAME_MAX - 4);
    cr_expect_str_eq(r.approved_by[0] + len - 3, "\xe2\x80\xa6");
    cr_expect_eq(strncmp(r.approved_by[0], "\xc3\xa9\xc3\xa9", 4), 0);
    cr_expect_eq((len - 3) % 2, 0, "cut inside a character");
    cr_expect_eq(r.n_reviewed, HIST_LIST_MAX);
    cr_expect_str_eq(r.reviewed_by[HIST_LIST_MAX - 1], "R63");
    history_row_release(&r);
    /* history_clip alone: short text as it is, NULL accepted. */
    char *t = xstrdup("short"), *none = NULL;
    history_clip(&t, 10);
    history_clip(&none, 10);
    cr_expect_str_eq(t, "short");
    cr_expect_null(none);
    free(t);
    buf_release(&m);
}

/* The evidence beyond approvals: co-authors, the change type (the first
 * known one, lowercased; an unknown one is none), and a merge's brought-in
 * commits adding only names not listed yet. */
Test(history, trailers_evidence, .init = git_init, .fini = git_shutdown)
{
    hist_row r;
    memset(&r, 0, sizeof r);
    history_read_trailers(&r,
                          "S\n\nCo-authored-by: Bo <bo@x>\nChange-Type: Major\n"
                          "change-type: MATERIAL\nChange-Type: minor\nApproved-by: Al\n",
                          NULL, 1);
    cr_assert_eq(r.n_co_authors, 1);
    cr_expect_str_eq(r.co_authors[0], "Bo <bo@x>");
    cr_assert_not_null(r.change_type);
    cr_expect_str_eq(r.change_type, "material");
    /* Brought in by a merge: Al again is not repeated, Cy is added, the
     * merge's own type stays. */
    history_read_trailers(&r, "B\n\nApproved-by: Al\nApproved-by: Cy\nChange-Type: editorial\n",
                          NULL, 0);
    cr_assert_eq(r.n_approved, 2);
    cr_expect_str_eq(r.approved_by[1], "Cy");
    cr_expect_str_eq(r.change_type, "material");
    history_row_release(&r);
    memset(&r, 0, sizeof r);
    history_read_trailers(&r, "B\n\nChange-Type: review\n", NULL, 0);
    cr_expect_str_eq(r.change_type, "review", "a merge without a type takes its commits'");
    history_row_release(&r);
}

/* The pull or merge request of each merge style, and what is not one. */
Test(history, requests, .init = git_init, .fini = git_shutdown)
{
    static const struct {
        const char *message, *request, *summary;
    } cases[] = {
        {"Merge pull request #12 from acme/access-review\n\nAccess review 2025\n", "#12",
         "Access review 2025"},
        {"Merge pull request #7 from acme/x", "#7", "Merge pull request #7 from acme/x"},
        {"Merge pull request #8 from acme/y\n\nApproved-by: Dana\n", "#8",
         "Merge pull request #8 from acme/y"},
        {"Tighten the password rules (#15)\n\n* one\n* two\n", "#15",
         "Tighten the password rules (#15)"},
        {"Merge branch 'review' into 'main'\n\nAnnual review\n\n"
         "See merge request larkspur/policies!23\n",
         "!23", "Annual review"},
        {"Merge branch 'x' into 'main'\n\nSee merge request a/b!4\n", "!4",
         "Merge branch 'x' into 'main'"},
        {"Fix typo (see #15)", "-", "Fix typo (see #15)"},
        {"Merge pull request #x from a/b", "-", "Merge pull request #x from a/b"},
        {"Subject (#)", "-", "Subject (#)"},
        {"Subject (#1234567890)", "-", "Subject (#1234567890)"},
        {"See merge request a/b!3", "-", "See merge request a/b!3"},
        {"Plain commit", "-", "Plain commit"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        hist_row r;
        memset(&r, 0, sizeof r);
        const char *nl = strchr(cases[i].message, '\n');
        r.summary = nl ? strndup(cases[i].message, (size_t)(nl - cases[i].message))
                       : xstrdup(cases[i].message);
        history_read_request(&r, cases[i].message, NULL);
        cr_expect_str_eq(r.request ? r.request : "-", cases[i].request, "'%s'", cases[i].message);
        cr_expect_str_eq(r.summary, cases[i].summary, "'%s'", cases[i].message);
        history_row_release(&r);
    }
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
        /* git's blanks are space, tab, LF and CR: a vertical tab or form
         * feed stays in a value, and a line starting with one is no fold */
        {"S\n\nApproved-by: C\v\nReviewed-by:\fR\n", "C\v", "\fR"},
        {"S\n\nApproved-by: A\n\fB\n", "", ""},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        hist_row r;
        memset(&r, 0, sizeof r);
        history_read_trailers(&r, cases[i].message, NULL, 1);
        buf a, v;
        buf_init(&a);
        buf_init(&v);
        join(&a, r.approved_by, r.n_approved);
        join(&v, r.reviewed_by, r.n_reviewed);
        cr_expect_str_eq(a.data, cases[i].approved, "'%s'", cases[i].message);
        cr_expect_str_eq(v.data, cases[i].reviewed, "'%s'", cases[i].message);
        buf_release(&a);
        buf_release(&v);
        history_row_release(&r);
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
    r->row.co_authors = xcalloc(1, sizeof(char *));
    r->row.co_authors[0] = xstrdup("Carl <c@x>");
    r->row.n_co_authors = 1;
    r->merged = xcalloc(2, sizeof(char *));
    r->merged[0] = xstrdup("Dee\tMerged <d@x>");
    r->merged[1] = xstrdup("Ed <e@x>");
    r->n_merged = 2;
    r->row.request = xstrdup("#12");
    r->row.change_type = xstrdup("material");
    strcpy(r->row.sig_kind, "ssh");
    r->row.sig_state = HSIG_UNVERIFIED;
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
                "Co\\tBoss\x1f\tRev\\\\iewer\x1f\tCarl <c@x>\x1f\t#12\tmaterial\tssh\t"
                "Dee\\tMerged <d@x>\x1f"
                "Ed <e@x>\x1f\n"
                "row\t5\t-\t\t0\t\x1f\t\t-\t\t\t\t-\t-\t-\t\n"
                "path\tcontent/b.md\n"
                "row\t2\t" C2 "\t2025-12-31\t0\tBob\x1f"
                "bob@x\tPlain\t-\t\t\t\t-\t-\t-\t\n"
                "seen\tcontent/a\\tb.md\n"
                "seen\tcontent/gone.md\n";

/* Writes text as the history cache, as it is. */
static void write_cache_raw(const char *text, size_t len)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/history.cache", sandbox);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_write(p.data, text, len, d), 0);
    diag_free(d);
    buf_release(&p);
}

/* text and the end line history_cache_write adds after it (the check of
 * all before it), in out. */
static void with_end(buf *out, const char *text)
{
    buf_adds(out, text);
    char hex[DIGEST_CHECK_HEX];
    digest_check_of(hex, out->data, out->len);
    buf_printf(out, "end\t%s\n", hex);
}

/* Writes text as the history cache with its end line, so that what is
 * tested is text's own defect. */
static void write_cache_file(const char *text)
{
    buf t;
    buf_init(&t);
    with_end(&t, text);
    write_cache_raw(t.data, t.len);
    buf_release(&t);
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
    cr_expect_eq(got->row.n_co_authors, want->row.n_co_authors, "%s: co-authors", what);
    for (size_t i = 0; i < got->row.n_co_authors && i < want->row.n_co_authors; i++)
        cr_expect_str_eq(got->row.co_authors[i], want->row.co_authors[i], "%s", what);
    cr_expect_eq(got->n_merged, want->n_merged, "%s: merged authors", what);
    for (size_t i = 0; i < got->n_merged && i < want->n_merged; i++)
        cr_expect_str_eq(got->merged[i], want->merged[i], "%s", what);
    cr_expect_str_eq(got->row.request ? got->row.request : "-",
                     want->row.request ? want->row.request : "-", "%s: request", what);
    cr_expect_str_eq(got->row.change_type ? got->row.change_type : "-",
                     want->row.change_type ? want->row.change_type : "-", "%s: change", what);
    cr_expect_str_eq(got->row.sig_kind, want->row.sig_kind, "%s: signature", what);
    cr_expect_eq(got->row.sig_state, want->row.sig_state, "%s: signature state", what);
}

/* ---- where the caches are, without libgit2 ---- */

static void guessed(buf *out, const char *rel)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/%s", sandbox, rel);
    buf_reset(out);
    if (history_cache_dir_guess(out, p.data) != 0)
        buf_adds(out, "(none)");
    buf_release(&p);
}

/* What build_probe reads is what history_cache_dir names: the nearest
 * repository's, from the site or a folder under it; none past a .git file
 * (a worktree's), nor outside any repository. */
Test(history, cache_dir_guessed, .init = sandbox_init, .fini = sandbox_fini)
{
    buf p, real, guess;
    buf_init(&p);
    buf_init(&real);
    buf_init(&guess);
    buf_printf(&p, "%s/repo", sandbox);
    git_repository *repo = NULL;
    cr_assert_eq(git_repository_init(&repo, p.data, 0), 0);
    git_repository_free(repo);
    unit_put(sandbox, "repo/site/content/a.md", "# A\n");
    unit_put(sandbox, "other/site.yml", "title: x\n");
    unit_put(sandbox, "wt/.git", "gitdir: /elsewhere\n");
    unit_put(sandbox, "wt/site/site.yml", "title: x\n");
    static const char *const inside[] = {"repo", "repo/site", "repo/site/content"};
    for (size_t i = 0; i < sizeof inside / sizeof *inside; i++) {
        buf_reset(&p);
        buf_printf(&p, "%s/%s", sandbox, inside[i]);
        buf_reset(&real);
        cr_assert_eq(history_cache_dir(&real, p.data), 0);
        guessed(&guess, inside[i]);
        cr_expect_str_eq(guess.data, real.data, "from %s", inside[i]);
    }
    /* Outside the repository: what libgit2 finds above the sandbox, if
     * anything (none where /tmp is in no repository). */
    buf_reset(&p);
    buf_printf(&p, "%s/other", sandbox);
    buf_reset(&real);
    if (history_cache_dir(&real, p.data) != 0)
        buf_adds(&real, "(none)");
    guessed(&guess, "other");
    cr_expect_str_eq(guess.data, real.data);
    guessed(&guess, "wt/site");
    cr_expect_str_eq(guess.data, "(none)");
    guessed(&guess, "missing");
    cr_expect_str_eq(guess.data, "(none)");
    buf_release(&p);
    buf_release(&real);
    buf_release(&guess);
}

Test(history, cache_write_and_read_back, .init = sandbox_init, .fini = sandbox_fini)
{
    cache_fixture f;
    make_fixture(&f);
    git_oid head;
    cr_assert_eq(git_oid_fromstr(&head, HEAD_HEX), 0);
    diags *d = diag_new(NULL);
    map *seen = map_new();
    map_put(seen, "content/gone.md", (void *)1);
    map_put(seen, "content/a\tb.md", (void *)1);
    history_cache_write(&f.h, sandbox, &head, "content/", f.paths, seen, d);
    map_free(seen);
    cr_assert_diag(d, "");

    /* The file, byte for byte, alone (it is in the git directory: nothing to
     * ignore). */
    buf p, text;
    buf_init(&p);
    buf_init(&text);
    buf_printf(&p, "%s/history.cache", sandbox);
    cr_assert_eq(fs_read(&text, p.data, NULL, d), 0);
    buf want;
    buf_init(&want);
    with_end(&want, cache_text);
    cr_expect_str_eq(text.data, want.data);
    buf_release(&want);
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
    cr_expect_eq(map_count(c->seen), 2);
    cr_expect_not_null(map_get(c->seen, "content/a\tb.md"));
    cr_expect_not_null(map_get(c->seen, "content/gone.md"));
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
                 "a\tS\t-\t\t\t\t-\t-\t-\t\n"},
    {"a row of nine fields", CACHE_MAGIC
     "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t" C1 "\t2026-01-01\t0\tA\x1f"
     "a\tS\t-\t\n"},
    {"a negative seq", CACHE_MAGIC
     "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t-1\t" C1 "\t2026-01-01\t0\tA\x1f"
     "a\tS\t-\t\t\t\t-\t-\t-\t\n"},
    {"a seq over INT_MAX",
     CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t2147483648\t" C1
                 "\t2026-01-01\t0\tA\x1f"
                 "a\tS\t-\t\t\t\t-\t-\t-\t\n"},
    {"a seq that is no number", CACHE_MAGIC
     "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t1x\t" C1 "\t2026-01-01\t0\tA\x1f"
     "a\tS\t-\t\t\t\t-\t-\t-\t\n"},
    {"a short commit id",
     CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t1111111"
                 "\t2026-01-01\t0\tA\x1f"
                 "a\tS\t-\t\t\t\t-\t-\t-\t\n"},
    {"a commit id that is not hex",
     CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t"
                 "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
                 "\t2026-01-01\t0\tA\x1f"
                 "a\tS\t-\t\t\t\t-\t-\t-\t\n"},
    {"a day that does not exist", CACHE_MAGIC
     "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t" C1 "\t2026-02-30\t0\tA\x1f"
     "a\tS\t-\t\t\t\t-\t-\t-\t\n"},
    {"a review flag of 2", CACHE_MAGIC
     "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t" C1 "\t2026-01-01\t2\tA\x1f"
     "a\tS\t-\t\t\t\t-\t-\t-\t\n"},
    {"an author without email",
     CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t" C1
                 "\t2026-01-01\t0\tA\tS\t-\t\t\t\t-\t-\t-\t\n"},
    {"an unknown record", CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\nextra\tx\n"},
    {"a row after a seen path",
     CACHE_MAGIC "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nseen\tp.md\nrow\t0\t" C1
                 "\t2026-01-01\t0\tA\x1f"
                 "a\tS\t-\t\t\t\t-\t-\t-\t\n"},
    {"a signature kind too long", CACHE_MAGIC
     "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t" C1 "\t2026-01-01\t0\tA\x1f"
     "a\tS\t-\t\t\t\t-\t-\topenpgp-x509\t\n"},
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
                                 "a\tS\t-\t\t\t\t-\t-\t-\t\n");
    cached *c = read_cache("content/");
    cr_expect_not_null(c);
    history_cache_free(c);
    /* A cache its writer wrote, cut short at a line end (rows lost) or with
     * a byte changed: refused by its end line (HEAD~1 took the rows that
     * were left, and a change table lost its rows). */
    static const char good[] = CACHE_MAGIC
        "\nhead\t" HEAD_HEX "\nprefix\tcontent/\npath\tp.md\nrow\t0\t" C1 "\t2026-01-01\t0\tA\x1f"
        "a\tS\t-\t\t\t\t-\t-\t-\t\n";
    write_cache_raw(good, strlen(good));
    c = read_cache("content/");
    cr_expect_null(c, "a cache without its end line: accepted");
    history_cache_free(c);
    write_cache_file(good);
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/history.cache", sandbox);
    buf whole;
    buf_init(&whole);
    diags *q = diag_new(NULL);
    cr_assert_eq(fs_read_nofollow(&whole, p.data, p.data, q), 0);
    diag_free(q);
    char *A = strstr(whole.data, "\tA\x1f");
    cr_assert_not_null(A);
    A[1] = 'B';
    write_cache_raw(whole.data, whole.len);
    c = read_cache("content/");
    cr_expect_null(c, "a cache with a byte changed: accepted");
    history_cache_free(c);
    buf_release(&whole);
    buf_release(&p);
    /* No file: no cache. */
    buf_init(&p);
    buf_printf(&p, "%s/none", sandbox);
    cr_expect_null(history_cache_read(p.data, "content/"));
    buf_release(&p);
}

/* ---- git's similarity ---- */

static void oid_of(git_oid *out, char c)
{
    char hex[41];
    memset(hex, c, 40);
    hex[40] = '\0';
    cr_assert_eq(git_oid_fromstr(out, hex), 0);
}

#define TEN_LINES                                                                                  \
    "Line 0 of the policy.\nLine 1 of the policy.\nLine 2 of the policy.\nLine 3 of the policy.\n" \
    "Line 4 of the policy.\nLine 5 of the policy.\nLine 6 of the policy.\nLine 7 of the policy.\n" \
    "Line 8 of the policy.\nLine 9 of the policy.\n"
#define TEN_CRLF                                                                                   \
    "Line 0 of the policy.\r\nLine 1 of the policy.\r\nLine 2 of the policy.\r\n"                  \
    "Line 3 of the policy.\r\nLine 4 of the policy.\r\nLine 5 of the policy.\r\n"                  \
    "Line 6 of the policy.\r\nLine 7 of the policy.\r\nLine 8 of the policy.\r\n"                  \
    "Line 9 of the policy.\r\n"
#define X64 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

/* Pairs and the similarity index git 2.39 prints for them (`git diff
 * --no-index -M --name-status`: R<percent>), or -1 where it finds no rename
 * (under 50%). */
static const struct {
    const char *name, *src, *dst;
    size_t src_len, dst_len; /* 0: strlen */
    int percent;
} similarity_cases[] = {
    {"one line of ten changed", TEN_LINES,
     "Line 0 of the policy.\nLine 1 of the policy.\nLine 2 of the policy.\nLine 3 of the policy.\n"
     "A changed line.\nLine 5 of the policy.\nLine 6 of the policy.\nLine 7 of the policy.\n"
     "Line 8 of the policy.\nLine 9 of the policy.\n",
     0, 0, 90},
    {"CRLF lines: the CR is skipped, the size still counts", TEN_LINES, TEN_CRLF, 0, 0, 95},
    {"a NUL makes it binary: the CR counts", "\0" TEN_LINES, "\0" TEN_CRLF, sizeof TEN_LINES,
     sizeof TEN_CRLF, -1},
    {"a line over 64 bytes is cut in chunks", X64 X64 X64 "xxxxxxxx\ntail one\n",
     X64 X64 X64 "xxxxxxxx\ntail two\n", 0, 0, 95},
    {"a last line without its newline",
     "Line 0 of the policy.\nLine 1 of the policy.\n"
     "Line 2 of the policy.\nLine 3 of the policy.\nLine 4 of the policy.\nLine 5 of the policy.\n"
     "A last line without its newline, changed later",
     "Line 0 of the policy.\nLine 1 of the policy.\nLine 2 of the policy.\nLine 3 of the policy.\n"
     "Line 4 of the policy.\nLine 5 of the policy.\nA last line without its newline, since edited",
     0, 0, 74},
    /* git 2.39 drops a last chunk with no newline: nothing in common. */
    {"only the unterminated last line in common",
     "a\nThe same last line, with no newline at its end, in both texts.",
     "b\nThe same last line, with no newline at its end, in both texts.", 0, 0, -1},
    {"half new", TEN_LINES,
     "Line 0 of the policy.\nLine 1 of the policy.\nLine 2 of the policy.\nLine 3 of the policy.\n"
     "Line 4 of the policy.\nOther 0, something new.\nOther 1, something new.\n"
     "Other 2, something new.\nOther 3, something new.\nOther 4, something new.\n",
     0, 0, -1},
};

Test(history, similarity_as_git_scores_it)
{
    for (size_t i = 0; i < COUNT(similarity_cases); i++) {
        const char *src = similarity_cases[i].src, *dst = similarity_cases[i].dst;
        size_t sl = similarity_cases[i].src_len ? similarity_cases[i].src_len - 1 : strlen(src);
        size_t dl = similarity_cases[i].dst_len ? similarity_cases[i].dst_len - 1 : strlen(dst);
        unsigned score = history_similarity(src, sl, dst, dl);
        if (similarity_cases[i].percent < 0)
            cr_expect_lt(score, 30000u, "%s: %u", similarity_cases[i].name, score);
        else
            cr_expect_eq(score * 100 / 60000, (unsigned)similarity_cases[i].percent, "%s: %u",
                         similarity_cases[i].name, score);
    }
    /* Sizes apart by more than twice: 0, whatever they share (git's
     * pre-check); an empty text is like nothing. */
    cr_expect_eq(history_similarity("a\n", 2, "a\nb\nc\nd\n", 8), 0);
    cr_expect_eq(history_similarity("", 0, "", 0), 0);
    cr_expect_eq(history_similarity("a\nb\n", 4, "a\nb\n", 4), 60000);
}

/* git's chunks of text cut a byte at a time (history_sig_compute as first
 * written): hash and bytes of each, in text order, into v; their count. */
static size_t sig_reference(uint64_t *v, const char *text, size_t len)
{
    int is_text = !memchr(text, 0, len < 8000 ? len : 8000);
    size_t n = 0, bytes = 0;
    uint32_t acc1 = 0, acc2 = 0;
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    while (p < end) {
        uint32_t c = *p++, old1 = acc1;
        if (is_text && c == '\r' && p < end && *p == '\n')
            continue;
        acc1 = (acc1 << 7) ^ (acc2 >> 25);
        acc2 = (acc2 << 7) ^ (old1 >> 25);
        acc1 += c;
        if (++bytes < 64 && c != '\n')
            continue;
        v[n++] = (uint64_t)((acc1 + acc2 * 0x61) % 107927u) << 32 | bytes;
        bytes = 0;
        acc1 = acc2 = 0;
    }
    return n;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* history_sig_compute cuts as git does, a chunk at a time or a byte at a
 * time: on 20,000 generated texts (lines short and over 64 bytes, CR LF
 * and lone CRs, a NUL making it binary, no newline at the end), its sorted
 * hashes and bytes are those of the byte-at-a-time cut. */
Test(history, similarity_chunks_as_cut_a_byte_at_a_time)
{
    static const char *const parts[] = {
        "line\n",
        "a\n",
        "\n",
        "\r\n",
        "\r",
        "x\r\ny\r\n",
        "word ",
        "Policy text. ",
        "0123456789012345678901234567890123456789012345678901234567890123",
        "0123456789012345678901234567890123456789012345678901234567890\n",
        "\xc3\xa9\n",
        "tail",
        "- item\n",
        "## Heading\n"};
    unsigned long long seed = 2463534242ULL;
    buf text;
    buf_init(&text);
    for (int round = 0; round < 20000; round++) {
        unit_pick_text(&text, &seed, parts, COUNT(parts), 60);
        /* A NUL now and then, making a text binary. */
        if (round % 16 == 0 && text.len)
            text.data[unit_next(&seed) % text.len] = '\0';
        uint64_t *want = calloc(text.len + 1, sizeof *want);
        size_t nw = sig_reference(want, text.data, text.len);
        qsort(want, nw, sizeof *want, cmp_u64);
        /* Merged by hash, as the sig keeps them. */
        size_t m = 0;
        for (size_t i = 0; i < nw; i++) {
            if (m && want[m - 1] >> 32 == want[i] >> 32)
                want[m - 1] += want[i] & 0xffffffffu;
            else
                want[m++] = want[i];
        }
        sig got;
        history_sig_compute(&got, text.data, text.len);
        cr_assert_eq(got.size, text.len);
        cr_assert_eq(got.n, m, "round %d: %zu chunks, want %zu", round, got.n, m);
        for (size_t i = 0; i < m; i++) {
            cr_assert_eq(got.hash[i], (uint32_t)(want[i] >> 32), "round %d, chunk %zu", round, i);
            cr_assert_eq(got.bytes[i], (uint32_t)want[i], "round %d, chunk %zu", round, i);
        }
        history_sig_release(&got);
        free(want);
    }
    buf_release(&text);
}

/* ---- comparing trees, in memory ---- */

typedef struct tree_entry {
    unsigned mode; /* T, F, X (executable) or L (a symbolic link) */
    const char *name;
    const git_oid *id;
} tree_entry;
#define T 040000u
#define F 0100644u
#define X 0100755u
#define L 0120000u

/* Writes a raw tree (entries in git's order) to odb. */
static void write_tree(git_oid *out, git_odb *odb, const tree_entry *e, size_t n)
{
    buf raw;
    buf_init(&raw);
    for (size_t i = 0; i < n; i++) {
        buf_printf(&raw, "%o %s", e[i].mode, e[i].name);
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
    /* content/: a.md same, b.md modified, img.png gone (no page, still a
     * change: a page may come from any file), sub/ gains d.md, e.md new,
     * old/ (one page) gone, x.md becomes a folder, run.md only gains its
     * executable bit, and a link appears. */
    const tree_entry deep_e[] = {{F, "c.md", &c}};
    write_tree(&deep, odb, deep_e, 1);
    const tree_entry sub_old_e[] = {{F, "c.md", &c}};
    const tree_entry sub_new_e[] = {{F, "c.md", &c}, {F, "d.md", &d}};
    write_tree(&sub_old, odb, sub_old_e, 1);
    write_tree(&sub_new, odb, sub_new_e, 2);
    const tree_entry old_e[] = {{F, "a.md", &a},   {F, "b.md", &b1},  {F, "img.png", &png},
                                {T, "old", &deep}, {F, "run.md", &c}, {T, "sub", &sub_old},
                                {F, "x.md", &e}};
    const tree_entry new_e[] = {{F, "a.md", &a},    {F, "b.md", &b2},  {F, "e.md", &e},
                                {L, "link.md", &a}, {X, "run.md", &c}, {T, "sub", &sub_new},
                                {T, "x.md", &deep}};
    write_tree(&content_old, odb, old_e, COUNT(old_e));
    write_tree(&content_new, odb, new_e, COUNT(new_e));
    const tree_entry root_old_e[] = {{F, "README", &readme}, {T, "content", &content_old}};
    const tree_entry root_new_e[] = {{F, "README", &readme}, {T, "content", &content_new}};
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
    cr_expect_str_eq(got.data, "M content/b.md;A content/e.md;D content/img.png;A content/link.md;"
                               "D content/old/c.md;M content/run.md;A content/sub/d.md;"
                               "D content/x.md;A content/x.md/c.md;");
    /* Ids and modes: a modification has both, an add the new, a delete the
     * old. */
    cr_expect(git_oid_equal(&fc.v[0].old_id, &b1) && git_oid_equal(&fc.v[0].new_id, &b2));
    cr_expect(git_oid_equal(&fc.v[1].new_id, &e) && git_oid_is_zero(&fc.v[1].old_id));
    cr_expect(fc.v[1].new_mode == F && fc.v[1].old_mode == 0);
    cr_expect(git_oid_equal(&fc.v[4].old_id, &c) && git_oid_is_zero(&fc.v[4].new_id));
    cr_expect(fc.v[4].old_mode == F && fc.v[4].new_mode == 0);
    cr_expect(fc.v[3].new_mode == L);
    cr_expect(fc.v[5].old_mode == F && fc.v[5].new_mode == X);
    history_fc_clear(&fc);
    cr_expect_eq(fc.n, 0);

    /* A first commit: every page of the tree, added. */
    buf_reset(&got);
    cr_assert_eq(history_add_whole(&tc, &content_new, &path, 'A', &fc), 0);
    sort_changes(&got, &fc);
    cr_expect_str_eq(got.data, "A content/a.md;A content/b.md;A content/e.md;A content/link.md;"
                               "A content/run.md;A content/sub/c.md;A content/sub/d.md;"
                               "A content/x.md/c.md;");
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

/* Expects pair i of fc to list the changes want[i] (sort_changes' form)
 * and not to have failed, for i below n. */
static void expect_changes(const fchanges *fc, const int *failed, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        buf got;
        buf_init(&got);
        sort_changes(&got, &fc[i]);
        cr_expect_str_eq(got.data ? got.data : "", want[i], "pair %zu", i);
        cr_expect_not(failed[i], "pair %zu", i);
        buf_release(&got);
    }
}

/* Many commits at once, folder by folder (as the walk compares them): each
 * pair gets its own changes, in the order of a walk through its trees,
 * whatever the other pairs change; a tree that cannot be read fails its
 * pair alone. */
Test(history, diff_many_pairs, .init = git_init, .fini = git_shutdown)
{
    git_odb *odb;
    git_odb_backend *mem;
    cr_assert_eq(git_odb_new(&odb), 0);
    cr_assert_eq(git_mempack_new(&mem), 0);
    cr_assert_eq(git_odb_add_backend(odb, mem, 1), 0);
    git_oid a1, a2, x1, x2, y1, z1, w1, t1, t2, s1_old, s1_new, s2, s3, c3, c2, c1, missing, zero;
    write_blob(&a1, odb, "a one\n");
    write_blob(&a2, odb, "a two\n");
    write_blob(&x1, odb, "x one\n");
    write_blob(&x2, odb, "x two\n");
    write_blob(&y1, odb, "y\n");
    write_blob(&z1, odb, "z\n");
    write_blob(&w1, odb, "w\n");
    write_blob(&t1, odb, "t one\n");
    write_blob(&t2, odb, "t two\n");
    const tree_entry s1_old_e[] = {{F, "x.md", &x1}};
    const tree_entry s1_new_e[] = {{F, "x.md", &x2}, {F, "y.md", &y1}};
    const tree_entry s2_e[] = {{F, "z.md", &z1}};
    const tree_entry s3_e[] = {{F, "w.md", &w1}};
    write_tree(&s1_old, odb, s1_old_e, 1);
    write_tree(&s1_new, odb, s1_new_e, 2);
    write_tree(&s2, odb, s2_e, 1);
    write_tree(&s3, odb, s3_e, 1);
    /* Oldest first: c3, then s1 and t.md change (c2: a file after a
     * folder, listed after the folder's files), then a.md changes, s2
     * goes and s3 comes (c1). */
    const tree_entry c3_e[] = {
        {F, "a.md", &a1}, {T, "s1", &s1_old}, {T, "s2", &s2}, {F, "t.md", &t1}};
    const tree_entry c2_e[] = {
        {F, "a.md", &a1}, {T, "s1", &s1_new}, {T, "s2", &s2}, {F, "t.md", &t2}};
    const tree_entry c1_e[] = {
        {F, "a.md", &a2}, {T, "s1", &s1_new}, {T, "s3", &s3}, {F, "t.md", &t2}};
    write_tree(&c3, odb, c3_e, COUNT(c3_e));
    write_tree(&c2, odb, c2_e, COUNT(c2_e));
    write_tree(&c1, odb, c1_e, COUNT(c1_e));
    oid_of(&missing, '9');
    memset(&zero, 0, sizeof zero);

    /* Newest first, as the walk lists them: c1 against c2, c2 against c3,
     * c3 against nothing; then a pair that changes nothing and one whose
     * old tree is not there. */
    const git_oid old_ids[] = {c2, c3, zero, c1, missing};
    const git_oid new_ids[] = {c1, c2, c3, c1, c1};
    fchanges fc[5] = {{0}};
    fchanges *out[5] = {&fc[0], &fc[1], &fc[2], &fc[3], &fc[4]};
    int failed[5] = {0};
    tree_cache tc = {odb, map_new(), map_new()};
    history_diff_many(&tc, "content", 5, old_ids, new_ids, out, failed);
    static const char *const want[] = {
        "M content/a.md;D content/s2/z.md;A content/s3/w.md;",
        "M content/s1/x.md;A content/s1/y.md;M content/t.md;",
        "A content/a.md;A content/s1/x.md;A content/s2/z.md;A content/t.md;",
        "",
    };
    expect_changes(fc, failed, want, 4);
    cr_expect(git_oid_equal(&fc[1].v[0].old_id, &x1) && git_oid_equal(&fc[1].v[0].new_id, &x2));
    cr_expect(failed[4], "a tree that is not there");
    for (size_t i = 0; i < 5; i++) {
        history_fc_clear(&fc[i]);
        free(fc[i].v);
    }
    history_tc_release(&tc); /* frees odb */
}

/* ---- the file an added page came from ---- */

static git_odb *mem_odb(void)
{
    git_odb *odb;
    git_odb_backend *mem;
    cr_assert_eq(git_odb_new(&odb), 0);
    cr_assert_eq(git_mempack_new(&mem), 0);
    cr_assert_eq(git_odb_add_backend(odb, mem, 1), 0);
    return odb;
}

/* A folder of hundreds where a commit changes a few: the unchanged
 * entries between the changes are skipped whole (same_entries), and the
 * changes are still all found, whether two trees first differ in an id
 * (p150), in a name (p200a), in a mode (p280), at the first entry or the
 * last, or where one tree ends (the tail deleted, the tail added). */
Test(history, diff_many_finds_each_change_among_many_alike, .init = git_init, .fini = git_shutdown)
{
    enum { N = 400 };
    git_odb *odb = mem_odb();
    static char names[N][16];
    git_oid ids[N], changed[N], inner_old, inner_new, extra;
    for (int i = 0; i < N; i++) {
        char text[32];
        snprintf(names[i], sizeof names[i], "p%03d.md", i);
        snprintf(text, sizeof text, "page %d\n", i);
        write_blob(&ids[i], odb, text);
        snprintf(text, sizeof text, "page %d, changed\n", i);
        write_blob(&changed[i], odb, text);
    }
    write_blob(&extra, odb, "an added page\n");
    const tree_entry in_old[] = {{F, "inner.md", &ids[0]}}, in_new[] = {{F, "inner.md", &ids[1]}};
    write_tree(&inner_old, odb, in_old, 1);
    write_tree(&inner_new, odb, in_new, 1);
    tree_entry a[N + 1], b[N + 1];
    size_t na = 0, nb = 0;
    for (int i = 0; i < N; i++) {
        if (i == 250) { /* a folder in both, its file changed */
            a[na++] = (tree_entry){T, "p250", &inner_old};
            b[nb++] = (tree_entry){T, "p250", &inner_new};
            continue;
        }
        a[na++] = (tree_entry){F, names[i], &ids[i]};
        if (i == 151)
            continue; /* deleted */
        int edit = i == 0 || i == 150 || i == N - 1;
        b[nb++] = (tree_entry){i == 280 ? X : F, names[i], edit ? &changed[i] : &ids[i]};
        if (i == 200)
            b[nb++] = (tree_entry){F, "p200a.md", &extra};
    }
    git_oid s_a, s_b, s_cut, root_a, root_b, root_cut;
    write_tree(&s_a, odb, a, na);
    write_tree(&s_b, odb, b, nb);
    write_tree(&s_cut, odb, a, na - 2); /* p398 and p399 gone */
    const tree_entry ra[] = {{T, "s", &s_a}}, rb[] = {{T, "s", &s_b}}, rc[] = {{T, "s", &s_cut}};
    write_tree(&root_a, odb, ra, 1);
    write_tree(&root_b, odb, rb, 1);
    write_tree(&root_cut, odb, rc, 1);
    const git_oid old_ids[] = {root_a, root_a, root_cut};
    const git_oid new_ids[] = {root_b, root_cut, root_a};
    fchanges fc[3] = {{0}};
    fchanges *out[3] = {&fc[0], &fc[1], &fc[2]};
    int failed[3] = {0};
    tree_cache tc = {odb, map_new(), map_new()};
    history_diff_many(&tc, "content", 3, old_ids, new_ids, out, failed);
    static const char *const want[] = {
        "M content/s/p000.md;M content/s/p150.md;D content/s/p151.md;A content/s/p200a.md;"
        "M content/s/p250/inner.md;M content/s/p280.md;M content/s/p399.md;",
        "D content/s/p398.md;D content/s/p399.md;",
        "A content/s/p398.md;A content/s/p399.md;",
    };
    expect_changes(fc, failed, want, 3);
    for (size_t i = 0; i < 3; i++) {
        history_fc_clear(&fc[i]);
        free(fc[i].v);
    }
    history_tc_release(&tc); /* frees odb */
}

/* One version of a folder of files in the chain test below: names in
 * git's order (files only: plain byte order), each with its id and mode. */
typedef struct chain_file {
    char name[24];
    git_oid id;
    unsigned mode;
} chain_file;

static int cmp_chain_file(const void *a, const void *b)
{
    return strcmp(((const chain_file *)a)->name, ((const chain_file *)b)->name);
}

static void chain_tree(git_oid *out, git_odb *odb, const chain_file *f, size_t n)
{
    tree_entry *e = malloc((n ? n : 1) * sizeof *e);
    for (size_t i = 0; i < n; i++)
        e[i] = (tree_entry){f[i].mode, f[i].name, &f[i].id};
    write_tree(out, odb, e, n);
    free(e);
}

/* What a comparison of two versions must list, found by merging them. */
static void chain_want(buf *want, const chain_file *o, size_t no, const chain_file *n, size_t nn)
{
    size_t i = 0, j = 0;
    while (i < no || j < nn) {
        int c = i == no ? 1 : j == nn ? -1 : strcmp(o[i].name, n[j].name);
        if (c < 0)
            buf_printf(want, "D content/%s;", o[i++].name);
        else if (c > 0)
            buf_printf(want, "A content/%s;", n[j++].name);
        else {
            if (!git_oid_equal(&o[i].id, &n[j].id) || o[i].mode != n[j].mode)
                buf_printf(want, "M content/%s;", o[i].name);
            i++;
            j++;
        }
    }
}

/* A long history of one large folder, compared at once as the walk does:
 * each comparison skips the entries alike by the newer tree's index, which
 * the comparison before it made (tree_ix), so an index that is off by one
 * entry, or by the bytes an edit added or removed, would misplace every
 * later change. Each commit edits, deletes, adds (names of varied length)
 * or changes a mode, one to four times, anywhere; ids hold NUL bytes. The
 * changes listed must be those found by merging each pair's entries. */
Test(history, diff_many_follows_a_long_history_of_one_folder, .init = git_init,
     .fini = git_shutdown)
{
    enum { START = 300, COMMITS = 60 };
    git_odb *odb = mem_odb();
    unsigned long long seed = 88172645463325252ULL;
    chain_file *v[COMMITS + 1];
    size_t nv[COMMITS + 1];
    git_oid tree[COMMITS + 1];
    unsigned serial = 0;
#define RND() (seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17, seed)
#define NEW_ID(f)                                                                                  \
    for (int b_ = 0; b_ < GIT_OID_RAWSZ; b_++)                                                     \
        (f).id.id[b_] = RND() % 4 ? (unsigned char)RND() : 0;
#define NEW_NAME(f)                                                                                \
    snprintf((f).name, sizeof(f).name, "p%05u%.*s.md", serial++, (int)(RND() % 8), "-abcdefg")
    v[0] = calloc(START + 4 * COMMITS, sizeof *v[0]);
    nv[0] = START;
    for (size_t i = 0; i < START; i++) {
        NEW_NAME(v[0][i]);
        NEW_ID(v[0][i]);
        v[0][i].mode = F;
    }
    for (int c = 1; c <= COMMITS; c++) {
        v[c] = malloc((START + 4 * COMMITS) * sizeof *v[c]);
        memcpy(v[c], v[c - 1], nv[c - 1] * sizeof *v[c]);
        size_t n = nv[c - 1];
        for (int k = 1 + (int)(RND() % 4); k > 0; k--) {
            size_t at = (size_t)(RND() % n);
            switch (RND() % 4) {
            case 0:
                NEW_ID(v[c][at]);
                break;
            case 1:
                memmove(&v[c][at], &v[c][at + 1], (n - at - 1) * sizeof *v[c]);
                n--;
                break;
            case 2:
                NEW_NAME(v[c][n]);
                NEW_ID(v[c][n]);
                v[c][n++].mode = F;
                break;
            default:
                v[c][at].mode = v[c][at].mode == F ? X : F;
            }
        }
        qsort(v[c], n, sizeof *v[c], cmp_chain_file);
        nv[c] = n;
    }
#undef NEW_NAME
#undef NEW_ID
#undef RND
    for (int c = 0; c <= COMMITS; c++)
        chain_tree(&tree[c], odb, v[c], nv[c]);
    /* Newest first: commit COMMITS against its parent, and so on back. */
    git_oid old_ids[COMMITS], new_ids[COMMITS];
    fchanges fc[COMMITS];
    fchanges *out[COMMITS];
    int failed[COMMITS];
    memset(fc, 0, sizeof fc);
    memset(failed, 0, sizeof failed);
    for (int k = 0; k < COMMITS; k++) {
        new_ids[k] = tree[COMMITS - k];
        old_ids[k] = tree[COMMITS - k - 1];
        out[k] = &fc[k];
    }
    tree_cache tc = {odb, map_new(), map_new()};
    history_diff_many(&tc, "content", COMMITS, old_ids, new_ids, out, failed);
    for (int k = 0; k < COMMITS; k++) {
        buf want, got;
        buf_init(&want);
        buf_init(&got);
        chain_want(&want, v[COMMITS - k - 1], nv[COMMITS - k - 1], v[COMMITS - k], nv[COMMITS - k]);
        sort_changes(&got, &fc[k]);
        cr_expect_str_eq(got.data ? got.data : "", want.data ? want.data : "", "commit %d",
                         COMMITS - k);
        cr_expect_not(failed[k], "commit %d", COMMITS - k);
        buf_release(&want);
        buf_release(&got);
        history_fc_clear(&fc[k]);
        free(fc[k].v);
    }
    for (int c = 0; c <= COMMITS; c++)
        free(v[c]);
    history_tc_release(&tc); /* frees odb */
}

/* What the walk knows of a blob, read once: the version it declares, a
 * digest that is the same for two revisions that differ only in
 * last_reviewed:, its similarity chunks when asked for; a blob that is not
 * there is unreadable and missing, one over MAX_BLOB unreadable only. */
Test(history, blob_table, .init = git_init, .fini = git_shutdown)
{
    git_odb *odb = mem_odb();
    git_oid v1, v1_reviewed, v2, big, missing;
    write_blob(&v1, odb, "---\nversion: \"1.0\"\nlast_reviewed: 2026-01-01\n---\nbody\n");
    write_blob(&v1_reviewed, odb, "---\nversion: \"1.0\"\nlast_reviewed: 2026-06-01\n---\nbody\n");
    write_blob(&v2, odb, "---\nversion: \"2.0\"\nlast_reviewed: 2026-06-01\n---\nbody\n");
    buf huge;
    buf_init(&huge);
    for (size_t i = 0; i <= MAX_BLOB / 8; i++)
        buf_adds(&huge, "1234567\n");
    cr_assert_eq(git_odb_write(&big, odb, huge.data, huge.len, GIT_OBJECT_BLOB), 0);
    buf_release(&huge);
    oid_of(&missing, '7');

    blobs *b = history_blobs_new();
    history_blobs_want(b, &v1, 0, 0);
    const blob_info *e = history_blobs_get(b, odb, &v1, 0);
    cr_assert(e && e->state == BLOB_READ);
    cr_expect_str_eq(e->declared, "1.0");
    cr_expect_null(e->sig.hash, "no chunks unless asked for");
    unsigned char d1[32], d2[32];
    memcpy(d1, e->unreviewed, sizeof d1);
    e = history_blobs_get(b, odb, &v1_reviewed, 0);
    cr_assert(e && e->state == BLOB_READ);
    cr_expect(!memcmp(d1, e->unreviewed, sizeof d1), "only last_reviewed: differs");
    memcpy(d2, e->unreviewed, sizeof d2);
    e = history_blobs_get(b, odb, &v2, 1);
    cr_assert(e && e->state == BLOB_READ);
    cr_expect_str_eq(e->declared, "2.0");
    cr_expect(memcmp(d2, e->unreviewed, sizeof d2), "the version differs too");
    cr_expect(e->sig.hash && e->sig.size > 0, "chunks when asked for");
    /* Asked again with chunks: read again for them. */
    e = history_blobs_get(b, odb, &v1, 1);
    cr_expect(e->sig.hash && e->state == BLOB_READ);
    cr_expect_str_eq(e->declared, "1.0");
    e = history_blobs_get(b, odb, &missing, 0);
    cr_expect(e && e->state == BLOB_UNREADABLE && e->missing);
    e = history_blobs_get(b, odb, &big, 0);
    cr_expect(e && e->state == BLOB_UNREADABLE && !e->missing);
    git_oid zero;
    memset(&zero, 0, sizeof zero);
    cr_expect_null(history_blobs_get(b, odb, &zero, 0));
    history_blobs_free(b);
    history_blobs_free(NULL);
    git_odb_free(odb);
}

/* A blob declaring more than BLOB_ALLOC_CAP is refused as libgit2 would
 * allocate it, out of memory, without its size being asked first; one
 * over MAX_BLOB but under the cap is read and refused after; and the cap
 * holds only while a blob is read. */
Test(history, blob_over_the_cap_refused_unallocated, .init = git_init, .fini = git_shutdown)
{
    history_git_init(); /* installs the allocator */
    git_odb *odb = mem_odb();
    size_t sizes[] = {MAX_BLOB + 1, BLOB_ALLOC_CAP + 1};
    git_oid id[2];
    char *text = xmalloc(BLOB_ALLOC_CAP + 2); /* the largest written below */
    memset(text, 'x', BLOB_ALLOC_CAP + 2);
    for (int i = 0; i < 2; i++)
        cr_assert_eq(git_odb_write(&id[i], odb, text, sizes[i], GIT_OBJECT_BLOB), 0);
    buf out;
    buf_init(&out);
    for (int i = 0; i < 2; i++) {
        git_error_clear();
        cr_expect_eq(history_read_blob(odb, &id[i], &out), -1, "blob %d", i);
        cr_expect_eq(out.len, 0);
        const git_error *e = git_error_last();
        int oom = e && e->klass == GIT_ERROR_NOMEMORY;
        cr_expect_eq(oom, i == 1, "blob %d: %s", i, e ? e->message : "no error");
    }
    /* Outside a read, libgit2 allocates as much as it needs. */
    git_oid more;
    cr_expect_eq(git_odb_write(&more, odb, text, BLOB_ALLOC_CAP + 2, GIT_OBJECT_BLOB), 0);
    git_odb_object *o = NULL;
    cr_expect_eq(git_odb_read(&o, odb, &more), 0);
    git_odb_object_free(o);
    buf_release(&out);
    free(text);
    git_odb_free(odb);
}

typedef struct ffile {
    unsigned mode;
    const char *name; /* in content/, in git's order */
    const char *text;
} ffile;

/* A root tree whose content/ holds files. */
static void content_root(git_oid *root, git_odb *odb, const ffile *files, size_t n)
{
    tree_entry *e = xcalloc(n ? n : 1, sizeof *e);
    git_oid *ids = xcalloc(n ? n : 1, sizeof *ids), content;
    for (size_t i = 0; i < n; i++) {
        write_blob(&ids[i], odb, files[i].text);
        e[i] = (tree_entry){files[i].mode, files[i].name, &ids[i]};
    }
    write_tree(&content, odb, e, n);
    const tree_entry r[] = {{T, "content", &content}};
    write_tree(root, odb, r, 1);
    free(e);
    free(ids);
}

/* Adds a change of path; old_text, new_text NULL for an add, a delete. */
static fchange *push_change(fchanges *fc, git_odb *odb, char status, const char *path,
                            unsigned mode, const char *old_text, const char *new_text)
{
    if (fc->n == fc->cap) {
        fc->cap = fc->cap ? fc->cap * 2 : 8;
        fc->v = xrealloc(fc->v, fc->cap * sizeof *fc->v);
    }
    fchange *c = &fc->v[fc->n++];
    memset(c, 0, sizeof *c);
    c->status = status;
    c->path = xstrdup(path);
    if (old_text) {
        write_blob(&c->old_id, odb, old_text);
        c->old_mode = mode;
    }
    if (new_text) {
        write_blob(&c->new_id, odb, new_text);
        c->new_mode = mode;
    }
    return c;
}

static const char access_text[] = "---\ntitle: Access Control\n---\n\n"
                                  "- Every account belongs to one named person.\n"
                                  "- Shared accounts need an exception.\n"
                                  "- Accounts of leavers are closed on their last day.\n"
                                  "- Administrator rights are granted per system.\n"
                                  "- Rights are reviewed every quarter.\n";
static const char remote_text[] = "---\ntitle: Remote Access\n---\n\n"
                                  "- Every account belongs to one named person.\n"
                                  "- Remote access always uses the VPN and MFA.\n"
                                  "- Accounts of leavers are closed on their last day.\n"
                                  "- Administrator rights are granted per system.\n"
                                  "- Rights are reviewed every quarter.\n";
/* vendor is 62% like old_vendor (deleted) and 76% like suppliers (kept). */
static const char old_vendor_text[] =
    "---\ntitle: Vendor Checks\nowner: Head of Security\nlast_reviewed: 2026-01-05\n---\n\n"
    "Vendors answer a security questionnaire before onboarding.\n"
    "Vendors with customer data are reviewed every year.\n"
    "Contracts name a contact for security incidents.\n"
    "Vendors must notify us of a breach within 72 hours.\n"
    "Subprocessors are listed in the contract annex.\n"
    "Offboarding a vendor revokes its access the same day.\n"
    "Vendor checks are kept in the register.\n"
    "Questionnaires are stored for five years.\n";
static const char suppliers_text[] =
    "---\ntitle: Suppliers\nowner: Head of Security\nlast_reviewed: 2026-01-05\n---\n\n"
    "Vendors answer a security questionnaire before onboarding.\n"
    "Vendors with customer data are reviewed every year.\n"
    "Contracts name a contact for security incidents.\n"
    "Vendors must notify us of a breach within 72 hours.\n"
    "Subprocessors are listed in the contract annex.\n"
    "Offboarding a vendor revokes its access the same day.\n"
    "Vendors sign the code of conduct.\n"
    "Payment details are confirmed by phone.\n"
    "Critical vendors have an exit plan.\n"
    "Supplier risk is reported to the board once a year.\n"
    "Supplier contracts are renewed every year.\n";
static const char vendor_text[] =
    "---\ntitle: Vendor Management\nowner: Head of Security\nlast_reviewed: 2026-04-10\n---\n\n"
    "Vendors answer a security questionnaire before onboarding.\n"
    "Vendors with customer data are reviewed every year.\n"
    "Contracts name a contact for security incidents.\n"
    "Vendors must notify us of a breach within 72 hours.\n"
    "Subprocessors are listed in the contract annex.\n"
    "Offboarding a vendor revokes its access the same day.\n"
    "Vendors sign the code of conduct.\n"
    "Payment details are confirmed by phone.\n"
    "Critical vendors have an exit plan.\n"
    "Vendor risk is reported to the board twice a year.\n";
static const char template_text[] = "---\ntitle: TITLE\n---\n\n## Purpose\n\nState why.\n\n"
                                    "## Scope\n\nList the systems it covers.\n\n## Roles\n\n"
                                    "Name the owner and the approver.\n";
static const char clear_desk_text[] = "---\ntitle: Clear Desk\n---\n\n## Purpose\n\nState why.\n\n"
                                      "## Scope\n\nEvery office and every home office.\n\n"
                                      "## Roles\n\nName the owner and the approver.\n";
static const char policy_text[] = "---\ntitle: Acceptable Use\n---\n\nLaptops are for work.\n";
static const char fresh_text[] = "---\ntitle: Fresh\n---\n\nNothing like any other file.\n";
static const char gone_text[] = "A file a commit deleted, long ago.\n";

/* Where an add came from, as "path" or "-"; checks the blob is the
 * source's. */
static const char *source_of(follow *f, const fchange *add, const char *want_text)
{
    git_oid id, want;
    const char *src = history_follow_source(f, add, &id);
    if (src && want_text) {
        cr_assert_eq(git_odb_hash(&want, want_text, strlen(want_text), GIT_OBJECT_BLOB), 0);
        cr_expect(git_oid_equal(&id, &want), "%s: the source's blob", add->path);
    }
    return src ? src : "-";
}

Test(history, follow_source_rules, .init = git_init, .fini = git_shutdown)
{
    git_odb *odb = mem_odb();
    const ffile parent[] = {{F, "_template.md", template_text},
                            {F, "access.md", access_text},
                            {F, "old-vendor.md", old_vendor_text},
                            {F, "policy", policy_text},
                            {F, "suppliers.md", suppliers_text}};
    git_oid root;
    content_root(&root, odb, parent, COUNT(parent));
    fchanges fc = {0};
    push_change(&fc, odb, 'D', "content/old-vendor.md", F, old_vendor_text, NULL);
    push_change(&fc, odb, 'D', "content/policy", F, policy_text, NULL);
    push_change(&fc, odb, 'A', "content/vendor-management.md", F, NULL, vendor_text);
    size_t vi = fc.n - 1;
    push_change(&fc, odb, 'A', "content/policy.md", F, NULL, policy_text);
    push_change(&fc, odb, 'A', "content/remote.md", F, NULL, remote_text);
    push_change(&fc, odb, 'A', "content/fresh.md", F, NULL, fresh_text);
    push_change(&fc, odb, 'A', "content/link.md", L, NULL, access_text);
    push_change(&fc, odb, 'A', "content/clear-desk.md", F, NULL, clear_desk_text);
    push_change(&fc, odb, 'A', "content/exec.md", X, NULL, access_text);

    follow *f = history_follow_new(odb, "content/");
    git_oid unused;
    cr_expect_not(history_follow_started(f));
    cr_expect_null(history_follow_source(f, &fc.v[vi], &unused), "nothing before a start");
    cr_assert_eq(history_follow_start(f, &root, &fc), 0);
    cr_expect(history_follow_started(f));
    /* A deleted file before a kept one more alike (git's rename pass). */
    cr_expect_str_eq(source_of(f, &fc.v[vi], old_vendor_text), "content/old-vendor.md");
    /* A name without an extension, identical. */
    cr_expect_str_eq(source_of(f, &fc.v[vi + 1], policy_text), "content/policy");
    /* An edited copy of a kept page; one of a template that is no page. */
    cr_expect_str_eq(source_of(f, &fc.v[vi + 2], access_text), "content/access.md");
    cr_expect_str_eq(source_of(f, &fc.v[vi + 5], template_text), "content/_template.md");
    /* Nothing alike; a link is identical only to a link. */
    cr_expect_str_eq(source_of(f, &fc.v[vi + 3], NULL), "-");
    cr_expect_str_eq(source_of(f, &fc.v[vi + 4], NULL), "-");
    /* An executable file is a regular one: a copy of access.md. */
    cr_expect_str_eq(source_of(f, &fc.v[vi + 6], access_text), "content/access.md");

    /* One commit further back: access.md was added there, suppliers.md
     * changed, gone.md deleted. */
    fchanges older = {0};
    push_change(&older, odb, 'A', "content/access.md", F, NULL, access_text);
    push_change(&older, odb, 'M', "content/suppliers.md", F, fresh_text, suppliers_text);
    push_change(&older, odb, 'D', "content/gone.md", F, gone_text, NULL);
    push_change(&older, odb, 'A', "content/again.md", F, NULL, gone_text);
    const fchange *again = &older.v[older.n - 1];
    history_follow_undo(f, &older);
    cr_expect_str_eq(source_of(f, &fc.v[vi + 2], NULL), "-", "access.md is gone");
    cr_expect_str_eq(source_of(f, again, gone_text), "content/gone.md");
    cr_expect_str_eq(source_of(f, &fc.v[vi + 3], fresh_text), "content/suppliers.md",
                     "suppliers.md as it was");
    history_fc_clear(&older);
    free(older.v);
    history_fc_clear(&fc);
    free(fc.v);
    history_follow_free(f); /* frees odb */
    history_follow_free(NULL);
}

/* Identical files: git adds one for a deleted file and one for the same
 * file name, and takes the first path of the best. */
Test(history, follow_source_identical_files, .init = git_init, .fini = git_shutdown)
{
    static const struct {
        const char *name;
        tree_entry files[3]; /* in dirs a/ b/ c/, each one file; ids filled below */
        const char *deleted; /* deleted by the commit, or NULL */
        const char *want;
    } cases[] = {
        {"a kept file of the same name ties with a deleted one: the first path",
         {{F, "x.md", NULL}, {F, "y.md", NULL}, {F, "z.md", NULL}},
         "b/y.md",
         "a/x.md"},
        {"a deleted file of the same name wins",
         {{F, "q.md", NULL}, {F, "x.md", NULL}, {F, "y.md", NULL}},
         "b/x.md",
         "b/x.md"},
        {"kept files, one of the same name",
         {{F, "q.md", NULL}, {F, "r.md", NULL}, {F, "x.md", NULL}},
         NULL,
         "c/x.md"},
        {"kept files, none of the same name: the first",
         {{F, "q.md", NULL}, {F, "r.md", NULL}, {F, "s.md", NULL}},
         NULL,
         "a/q.md"},
    };
    static const char *const dirs[] = {"a", "b", "c"};
    for (size_t i = 0; i < COUNT(cases); i++) {
        git_odb *odb = mem_odb();
        git_oid blob, sub[3], root;
        write_blob(&blob, odb, "The same text.\n");
        tree_entry top[3];
        for (size_t k = 0; k < 3; k++) {
            tree_entry e = cases[i].files[k];
            e.id = &blob;
            write_tree(&sub[k], odb, &e, 1);
            top[k] = (tree_entry){T, dirs[k], &sub[k]};
        }
        write_tree(&root, odb, top, 3);
        fchanges fc = {0};
        if (cases[i].deleted)
            push_change(&fc, odb, 'D', cases[i].deleted, F, "The same text.\n", NULL);
        const fchange *add = push_change(&fc, odb, 'A', "n/x.md", F, NULL, "The same text.\n");
        follow *f = history_follow_new(odb, "");
        cr_assert_eq(history_follow_start(f, &root, &fc), 0);
        cr_expect_str_eq(source_of(f, add, "The same text.\n"), cases[i].want, "%s", cases[i].name);
        history_fc_clear(&fc);
        free(fc.v);
        history_follow_free(f);
    }
}

/* Many files sharing a front matter, many deleted: the index must find
 * what comparing with every file finds. */
#define N_FILES 120
#define FIRST_DELETED 50

static void make_text(buf *out, unsigned k)
{
    buf_reset(out);
    buf_adds(out,
             "---\nowner: Head of Security\nreview: yearly\nclassification: internal\n---\n\n");
    buf_printf(out, "# Policy number %u\n\n", k);
    unsigned x = k * 2654435761u + 12345u;
    unsigned lines = 3 + k % 6;
    for (unsigned i = 0; i < lines; i++) {
        x = x * 1103515245u + 12345u;
        buf_printf(out, "Rule %u of policy %u: keep %u records for %u days.\n", i, k, x % 97,
                   (x >> 8) % 365);
    }
    buf_printf(out, "Shared by a group: %u.\n", k / 3);
}

static void path_of(buf *out, unsigned k)
{
    buf_reset(out);
    buf_printf(out, "content/p%03u.md", k);
}

Test(history, follow_source_as_every_file_decides, .init = git_init, .fini = git_shutdown)
{
    git_odb *odb = mem_odb();
    buf text, path, dst;
    buf_init(&text);
    buf_init(&path);
    buf_init(&dst);
    static char names[N_FILES][16];
    char *texts[N_FILES];
    ffile files[N_FILES];
    fchanges fc = {0};
    for (unsigned k = 0; k < N_FILES; k++) {
        make_text(&text, k);
        texts[k] = xstrdup(text.data);
        snprintf(names[k], sizeof names[k], "p%03u.md", k);
        files[k] = (ffile){F, names[k], texts[k]};
        if (k >= FIRST_DELETED) {
            path_of(&path, k);
            push_change(&fc, odb, 'D', path.data, F, texts[k], NULL);
        }
    }
    git_oid root;
    content_root(&root, odb, files, N_FILES);
    follow *f = history_follow_new(odb, "content/");
    cr_assert_eq(history_follow_start(f, &root, &fc), 0);
    unsigned picked[2] = {0, 0}, none = 0; /* kept, deleted */
    /* New pages: each file with edits (a line changed, lines added, most
     * of it replaced), and pages made mostly of the shared front matter. */
    for (unsigned k = 0; k < N_FILES + 4; k++) {
        buf_reset(&dst);
        if (k < N_FILES) {
            buf_adds(&dst, texts[k]);
            unsigned kind = k % 4;
            if (kind == 0)
                buf_adds(&dst, "One more rule.\n");
            else if (kind == 1)
                buf_printf(&dst, "Extra %u.\nExtra again %u.\nAnd a third %u.\n", k, k, k);
            else if (kind == 2)
                buf_truncate(&dst, dst.len / 2);
            else
                for (unsigned j = 0; j < 12; j++)
                    buf_printf(&dst, "Padding line %u of page %u.\n", j, k);
        } else {
            buf_adds(&dst, "---\nowner: Head of Security\nreview: yearly\n"
                           "classification: internal\n---\n\n");
            for (unsigned j = 0; j < k - N_FILES; j++)
                buf_printf(&dst, "x%u\n", j);
        }
        fchanges one = {0};
        const fchange *add = push_change(&one, odb, 'A', "content/new.md", F, NULL, dst.data);
        /* The rule, by comparing with every file. */
        const char *want = "-";
        unsigned best_score[2] = {0, 0};
        const char *best[2] = {NULL, NULL};
        static char paths[N_FILES][32];
        for (unsigned s = 0; s < N_FILES; s++) {
            unsigned score = history_similarity(texts[s], strlen(texts[s]), dst.data, dst.len);
            int del = s >= FIRST_DELETED;
            snprintf(paths[s], sizeof paths[s], "content/p%03u.md", s);
            if (score >= 30000 && score > best_score[del]) {
                best_score[del] = score;
                best[del] = paths[s];
            }
        }
        if (best[1])
            want = best[1];
        else if (best[0])
            want = best[0];
        picked[0] += !best[1] && best[0];
        picked[1] += !!best[1];
        none += !best[0] && !best[1];
        cr_expect_str_eq(source_of(f, add, NULL), want, "new page %u", k);
        history_fc_clear(&one);
        free(one.v);
    }
    /* The cases cover all three outcomes. */
    cr_expect(picked[0] > 10 && picked[1] > 10 && none > 10, "kept %u, deleted %u, none %u",
              picked[0], picked[1], none);
    for (unsigned k = 0; k < N_FILES; k++)
        free(texts[k]);
    history_fc_clear(&fc);
    free(fc.v);
    history_follow_free(f);
    buf_release(&text);
    buf_release(&path);
    buf_release(&dst);
}

/* A page made mostly of text most files share (a front matter in more
 * than 32 files): no chunk of it is rare, so the search counts shares over
 * every chunk. Files sharing nothing with it are never scored (comparing
 * with every file made the search quadratic on large sites), and the
 * answer is still what comparing with every file gives. */
#define N_SHARING 40
#define N_OTHER 30

Test(history, follow_source_scores_only_files_sharing_text, .init = git_init, .fini = git_shutdown)
{
    git_odb *odb = mem_odb();
    buf text, dst;
    buf_init(&text);
    buf_init(&dst);
    static char names[N_SHARING + N_OTHER][16];
    char *texts[N_SHARING + N_OTHER];
    ffile files[N_SHARING + N_OTHER];
    for (unsigned k = 0; k < N_SHARING + N_OTHER; k++) {
        if (k < N_SHARING) {
            make_text(&text, k);
        } else {
            buf_reset(&text);
            for (unsigned j = 0; j < 8; j++)
                buf_printf(&text, "Unrelated %u, line %u: %u apples.\n", k, j, k * 31 + j);
        }
        texts[k] = xstrdup(text.data);
        snprintf(names[k], sizeof names[k], "p%03u.md", k);
        files[k] = (ffile){F, names[k], texts[k]};
    }
    git_oid root;
    content_root(&root, odb, files, N_SHARING + N_OTHER);
    fchanges none = {0};
    follow *f = history_follow_new(odb, "content/");
    cr_assert_eq(history_follow_start(f, &root, &none), 0);
    for (unsigned n = 0; n < 4; n++) {
        buf_reset(&dst);
        buf_adds(&dst, "---\nowner: Head of Security\nreview: yearly\n"
                       "classification: internal\n---\n\n");
        for (unsigned j = 0; j < n; j++)
            buf_printf(&dst, "x%u\n", j);
        fchanges one = {0};
        const fchange *add = push_change(&one, odb, 'A', "content/new.md", F, NULL, dst.data);
        const char *want = "-";
        unsigned best = 0;
        static char paths[N_SHARING + N_OTHER][32];
        for (unsigned k = 0; k < N_SHARING + N_OTHER; k++) {
            unsigned score = history_similarity(texts[k], strlen(texts[k]), dst.data, dst.len);
            snprintf(paths[k], sizeof paths[k], "content/p%03u.md", k);
            if (score >= 30000 && score > best) {
                best = score;
                want = paths[k];
            }
        }
        size_t before = history_follow_ranked(f);
        cr_expect_str_eq(source_of(f, add, NULL), want, "new page %u", n);
        cr_expect_leq(history_follow_ranked(f) - before, N_SHARING,
                      "new page %u: files sharing nothing were scored", n);
        history_fc_clear(&one);
        free(one.v);
    }
    for (unsigned k = 0; k < N_SHARING + N_OTHER; k++)
        free(texts[k]);
    history_follow_free(f);
    buf_release(&text);
    buf_release(&dst);
}

/* A whole tree met by the first query (300 files, more than are indexed
 * one by one): its postings are made in one block, each list at its size,
 * with no room left over (grown a posting at a time, they held a third more
 * than they used). Lists that grow afterwards leave the block, and the
 * answers stay what comparing with every file gives. */
#define N_TREE 300

static const char *best_of(char *const *texts, char (*paths)[32], size_t n, const char *dst)
{
    const char *want = "-";
    unsigned best = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned score = history_similarity(texts[k], strlen(texts[k]), dst, strlen(dst));
        if (score >= 30000 && score > best) {
            best = score;
            want = paths[k];
        }
    }
    return want;
}

Test(history, follow_index_is_made_in_one_block, .init = git_init, .fini = git_shutdown)
{
    git_odb *odb = mem_odb();
    buf text;
    buf_init(&text);
    static char names[N_TREE][16], paths[N_TREE][32];
    char *texts[N_TREE];
    ffile files[N_TREE];
    for (unsigned k = 0; k < N_TREE; k++) {
        buf_reset(&text);
        buf_adds(&text, "---\nowner: Head of Security\n---\n\n");
        for (unsigned j = 0; j < 12; j++)
            buf_printf(&text, "Policy %u, clause %u: keep record %u.\n", k, j, k * 13 + j);
        texts[k] = xstrdup(text.data);
        snprintf(names[k], sizeof names[k], "p%03u.md", k);
        snprintf(paths[k], sizeof paths[k], "content/p%03u.md", k);
        files[k] = (ffile){F, names[k], texts[k]};
    }
    git_oid root;
    content_root(&root, odb, files, N_TREE);
    fchanges none = {0};
    follow *f = history_follow_new(odb, "content/");
    cr_assert_eq(history_follow_start(f, &root, &none), 0);

    /* p007 with one clause changed. */
    buf_reset(&text);
    buf_adds(&text, texts[7]);
    char *clause = strstr(text.data, "clause 5");
    cr_assert(clause);
    clause[7] = '9';
    fchanges one = {0};
    const fchange *add = push_change(&one, odb, 'A', "content/new.md", F, NULL, text.data);
    cr_expect_str_eq(best_of(texts, paths, N_TREE, text.data), "content/p007.md");
    cr_expect_str_eq(source_of(f, add, NULL), "content/p007.md");
    size_t posts, room, stale;
    history_follow_postings(f, &posts, &room, &stale);
    cr_expect_gt(posts, (size_t)N_TREE * 12, "every file's chunks are posted");
    cr_expect_eq(room, posts, "%zu postings held in room for %zu", posts, room);

    /* A commit back: p100 was p042's text with a line of its own, so some
     * lists grow out of the block. */
    buf_reset(&text);
    buf_printf(&text, "%sA line p100 once had.\n", texts[42]);
    fchanges older = {0};
    push_change(&older, odb, 'M', "content/p100.md", F, text.data, texts[100]);
    history_follow_undo(f, &older);
    free(texts[100]);
    texts[100] = xstrdup(text.data);
    buf_printf(&text, "And one more.\n");
    fchanges two = {0};
    add = push_change(&two, odb, 'A', "content/other.md", F, NULL, text.data);
    const char *want = best_of(texts, paths, N_TREE, text.data);
    cr_expect(!strcmp(want, "content/p042.md") || !strcmp(want, "content/p100.md"), "%s", want);
    cr_expect_str_eq(source_of(f, add, NULL), want);
    history_follow_postings(f, &posts, &room, &stale);
    cr_expect_geq(room, posts);

    /* A commit further back changed every file: that tree is indexed one
     * by one (a second block would leave the first's room unused, and a
     * history of such commits would hold a block each), its lists growing
     * out of the block, and the answers stay right. */
    fchanges every = {0}, three = {0};
    for (unsigned k = 0; k < N_TREE; k++) {
        buf_reset(&text);
        buf_printf(&text, "%sRevised clause %u.\n", texts[k], k);
        push_change(&every, odb, 'M', paths[k], F, text.data, texts[k]);
        free(texts[k]);
        texts[k] = xstrdup(text.data);
    }
    history_follow_undo(f, &every);
    buf_reset(&text);
    buf_printf(&text, "%sOne line of its own.\n", texts[77]);
    add = push_change(&three, odb, 'A', "content/third.md", F, NULL, text.data);
    want = best_of(texts, paths, N_TREE, text.data);
    cr_expect_str_eq(want, "content/p077.md");
    cr_expect_str_eq(source_of(f, add, NULL), want);
    history_follow_postings(f, &posts, &room, &stale);
    cr_expect_gt(room, posts, "the lists grew one by one: room %zu for %zu", room, posts);

    fchanges *all[] = {&one, &two, &older, &every, &three};
    for (size_t k = 0; k < sizeof all / sizeof *all; k++) {
        history_fc_clear(all[k]);
        free(all[k]->v);
    }
    for (unsigned k = 0; k < N_TREE; k++)
        free(texts[k]);
    history_follow_free(f);
    buf_release(&text);
}

/* A version the walk leaves goes stale in the index, its postings left in
 * the lists (a list is compacted as it grows, and most never grow enough).
 * A query reading a list drops its stale postings: they were two thirds of
 * those read on the bench's sites. */
static const char x1_text[] = "---\ntitle: X\n---\n\nKeep logs.\nRotate keys.\nPatch hosts.\n"
                              "Back up daily.\nTest restores.\n";
static const char x2_text[] =
    "---\ntitle: X\n---\n\nKeep logs.\nRotate keys yearly.\nPatch hosts.\n"
    "Back up hourly.\nTest restores.\n";
static const char x3_text[] = "---\ntitle: X\n---\n\nKeep logs.\nRotate keys monthly.\n"
                              "Patch hosts weekly.\nBack up hourly.\nTest restores.\n";

Test(history, follow_query_drops_stale_postings, .init = git_init, .fini = git_shutdown)
{
    git_odb *odb = mem_odb();
    const ffile files[] = {{F, "access.md", access_text}, {F, "x.md", x3_text}};
    git_oid root;
    content_root(&root, odb, files, sizeof files / sizeof *files);
    follow *f = history_follow_new(odb, "content/");
    fchanges none = {0}, added = {0}, back = {0}, back2 = {0}, last = {0};
    cr_assert_eq(history_follow_start(f, &root, &none), 0);
    const fchange *remote =
        push_change(&added, odb, 'A', "content/remote.md", F, NULL, remote_text);
    cr_expect_str_eq(source_of(f, remote, NULL), "content/access.md");
    /* Two commits back, x.md as it was before each. */
    push_change(&back, odb, 'M', "content/x.md", F, x2_text, x3_text);
    history_follow_undo(f, &back);
    cr_expect_str_eq(source_of(f, remote, NULL), "content/access.md");
    push_change(&back2, odb, 'M', "content/x.md", F, x1_text, x2_text);
    history_follow_undo(f, &back2);
    cr_expect_str_eq(source_of(f, remote, NULL), "content/access.md");
    size_t posts, room, stale;
    history_follow_postings(f, &posts, &room, &stale);
    cr_expect_gt(stale, 0, "x.md's later versions are stale in the lists");

    /* A page with every line of x.md's later versions reads their lists. */
    buf dst;
    buf_init(&dst);
    buf_printf(&dst, "%s%s", x3_text, x2_text);
    const char *want = history_similarity(x1_text, strlen(x1_text), dst.data, dst.len) >= 30000
                           ? "content/x.md"
                           : "-";
    const fchange *both = push_change(&last, odb, 'A', "content/both.md", F, NULL, dst.data);
    cr_expect_str_eq(source_of(f, both, NULL), want);
    history_follow_postings(f, &posts, &room, &stale);
    cr_expect_eq(stale, 0, "%zu stale postings left in the lists read", stale);

    fchanges *all[] = {&added, &back, &back2, &last};
    for (size_t k = 0; k < 4; k++) {
        history_fc_clear(all[k]);
        free(all[k]->v);
    }
    buf_release(&dst);
    history_follow_free(f);
}

/* ---- one pass over git's status for the fingerprint and the history ---- */

/* Runs the shell script `script` in the sandbox (its path is $1). */
static void sandbox_sh(const char *script)
{
    buf cmd;
    buf_init(&cmd);
    buf_printf(&cmd, "sh -c '%s' sh '%s' >'%s.log' 2>&1", "eval \"$(cat)\"", sandbox, sandbox);
    FILE *p = popen(cmd.data, "w");
    cr_assert_not_null(p);
    fputs(script, p);
    int rc = pclose(p);
    cr_assert_eq(rc, 0, "script failed (%d): see %s.log", rc, sandbox);
    buf_release(&cmd);
}

/* The start of a script that makes a repository in $1 (commits dated
 * 2026-01-05, no user or system git configuration), with content/. */
#define REPO_START                                                                                 \
    "set -eu\n"                                                                                    \
    "cd \"$1\"\n"                                                                                  \
    "export GIT_AUTHOR_DATE='2026-01-05T10:00:00Z' GIT_COMMITTER_DATE='2026-01-05T10:00:00Z'\n"    \
    "export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1\n"                                   \
    "git init -q -b main .\n"                                                                      \
    "git config user.name Ann; git config user.email ann@example.com\n"                            \
    "mkdir content\n"

/* A repository with two committed pages under content/ (dates pinned). */
static const char status_repo[] =
    REPO_START "printf 'title: Status\\n' >site.yml\n"
               "printf -- '---\\ntitle: A\\nowner: Ann\\nlast_reviewed: 2026-01-05\\n---\\nA\\n' "
               ">content/a.md\n"
               "printf -- '---\\ntitle: B\\nowner: Ann\\nlast_reviewed: 2026-01-05\\n---\\nB\\n' "
               ">content/b.md\n"
               "git add -A; git commit -q -m 'Add a and b'\n"
               "printf 'changed\\n' >>content/b.md\n"
               "printf -- '---\\ntitle: C\\nowner: Ann\\nlast_reviewed: 2026-01-05\\n---\\nC\\n' "
               ">content/c.md\n";

/* Commits everything the work tree holds, a day later. */
static const char status_commit[] =
    "set -eu\n"
    "cd \"$1\"\n"
    "export GIT_AUTHOR_DATE='2026-01-06T10:00:00Z' GIT_COMMITTER_DATE='2026-01-06T10:00:00Z'\n"
    "export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1\n"
    "git add -A; git commit -q -m 'Change b, add c'\n";

static const page_history *page_rows_of(const site *s, const history *h, const char *rel)
{
    for (size_t i = 0; i < s->n_pages; i++)
        if (!strcmp(s->pages[i]->rel, rel))
            return history_page(h, i);
    cr_assert_fail("no page %s", rel);
    return NULL;
}

/* What a build does: the fingerprint's pass over git's status, made before
 * the load, is the one the history reads, with its HEAD. The pass is taken,
 * then everything is committed: a history that made its own pass would see
 * a clean work tree and the new commit. */
Test(history, reads_the_fingerprints_status_pass, .init = sandbox_init, .fini = sandbox_fini)
{
    sandbox_sh(status_repo);
    buf content;
    buf_init(&content);
    buf_printf(&content, "%s/content", sandbox);
    char hex[DIGEST_HEX], head[41];
    int clean = 1;
    history_status *pass = NULL;
    cr_assert_eq(history_fingerprint(hex, head, &clean, &pass, sandbox, content.data, NULL), 0);
    cr_assert_not_null(pass);
    cr_expect_not(clean);
    cr_expect_eq(strlen(head), 40);
    cr_expect_eq((intptr_t)map_get(pass->kinds, "content/b.md"), 1, "b.md uncommitted");
    cr_expect_eq((intptr_t)map_get(pass->kinds, "content/c.md"), 2, "c.md untracked");
    cr_expect_null(map_get(pass->kinds, "content/a.md"));
    cr_expect_str_eq(pass->prefix, "content/");
    char pass_head[GIT_OID_HEXSZ + 1];
    git_oid_tostr(pass_head, sizeof pass_head, &pass->head);
    cr_expect_str_eq(pass_head, head);
    /* Without the pass: the same fingerprint and HEAD. */
    char again[DIGEST_HEX];
    cr_assert_eq(history_fingerprint(again, NULL, NULL, NULL, sandbox, content.data, NULL), 0);
    cr_expect_str_eq(again, hex);

    sandbox_sh(status_commit);
    diags *d = diag_new(sandbox);
    site *s = NULL;
    cr_assert_eq(site_load_start(&s, sandbox, date_from_civil(2026, 2, 1), NULL, d), 0);
    cr_assert_diag(d, "");
    cr_assert_eq(s->n_pages, 3);
    cr_assert_eq(site_load_finish(s, d), 0);

    /* With the pass: b uncommitted over its one commit, c untracked. */
    history *h = history_load(s, 0, pass, d);
    history_complete(h, s);
    const page_history *b = page_rows_of(s, h, "b.md"), *c = page_rows_of(s, h, "c.md");
    cr_assert_eq(b->n, 2);
    cr_expect_eq(b->rows[0].kind, HIST_UNCOMMITTED);
    cr_expect_eq(b->rows[1].kind, HIST_COMMIT);
    cr_expect_str_eq(b->rows[1].commit, head);
    cr_assert_eq(c->n, 1);
    cr_expect_eq(c->rows[0].kind, HIST_UNTRACKED);
    history_free(h);

    /* Without it (and with a pass made for another content folder, which
     * does not apply): the history's own pass, after the commit. */
    history_status *other = NULL;
    cr_assert_eq(history_fingerprint(hex, NULL, NULL, &other, sandbox, sandbox, NULL), 0);
    cr_expect_str_eq(other->prefix, "");
    const history_status *passes[] = {NULL, other};
    for (size_t k = 0; k < 2; k++) {
        h = history_load(s, 0, passes[k], d);
        history_complete(h, s);
        b = page_rows_of(s, h, "b.md");
        c = page_rows_of(s, h, "c.md");
        cr_assert_eq(b->n, 2, "pass %zu", k);
        cr_expect_eq(b->rows[0].kind, HIST_COMMIT, "pass %zu", k);
        cr_expect_str_neq(b->rows[0].commit, head, "pass %zu", k);
        /* (git may take c for a copy of a: its rows go on with a's) */
        cr_assert_geq(c->n, 1, "pass %zu", k);
        cr_expect_eq(c->rows[0].kind, HIST_COMMIT, "pass %zu", k);
        cr_expect_str_neq(c->rows[0].commit, head, "pass %zu", k);
        history_free(h);
    }
    cr_assert_diag(d, "");
    history_status_free(other);
    history_status_free(pass);
    history_status_free(NULL);
    site_free(s);
    diag_free(d);
    buf_release(&content);
}

/* Runs a shell command line in the sandbox (no git configuration). */
static void sandbox_run(const char *line)
{
    buf script;
    buf_init(&script);
    buf_printf(&script,
               "set -eu\ncd \"$1\"\nexport GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1\n%s\n",
               line);
    sandbox_sh(script.data);
    buf_release(&script);
}

/* A server's pass narrowed to the files it saw change, those whose index
 * entries changed and those a commit changed: the digest and the kinds of
 * the whole pass, for a change, an untracked file, a file put back as
 * committed, one outside the content folder, git add, a commit of what
 * was staged, an index written again with the same entries (as any `git
 * status` may), git rm --cached and git commit -a; the whole pass again
 * once more than 256
 * index entries changed or info/exclude did, and for a pass of another
 * content folder. */
Test(history, fingerprint_narrowed_to_the_files_seen, .init = sandbox_init, .fini = sandbox_fini)
{
    sandbox_sh(status_repo);
    buf content;
    buf_init(&content);
    buf_printf(&content, "%s/content", sandbox);
    char hex[DIGEST_HEX], whole[DIGEST_HEX];
    int clean = 1, narrowed = -1;
    history_status *prev = NULL, *next = NULL;
    cr_assert_eq(history_fingerprint_since(hex, NULL, NULL, &prev, &narrowed, NULL, NULL, 0,
                                           sandbox, content.data, NULL),
                 0);
    cr_expect_not(narrowed);
    cr_expect(prev->at_top);
    buf index;
    buf_init(&index);
    buf_printf(&index, "%s/.git/index", sandbox);
    static const struct {
        const char *line;        /* what changes */
        const char *seen[3];     /* the files seen changing */
        int narrowed;            /* the pass narrowed */
        intptr_t a, b, c, d_swp; /* then: the kinds of a.md, b.md, c.md, .d.md.swp */
        int rewrites;            /* the index file is written again */
    } steps[] = {
        {"printf 'more\\n' >>content/a.md", {"content/a.md"}, 1, 1, 1, 2, 0, 0},
        {"printf swap >content/.d.md.swp; git show HEAD:content/b.md >content/b.md",
         {"content/.d.md.swp", "content/b.md"},
         1,
         1,
         0,
         2,
         2,
         0},
        {"printf 'x\\n' >>site.yml", {"site.yml"}, 1, 1, 0, 2, 2, 0},
        {"git add content/c.md", {NULL}, 1, 1, 0, 2, 2, 0},
        {"git commit -q -m 'Add c'", {NULL}, 2, 1, 0, 0, 2, 0},
        {"printf 'x\\n' >>content/a.md", {"content/a.md"}, 1, 1, 0, 0, 2, 0},
        {"touch -d '2026-01-07 10:00' content/b.md; git update-index -q --refresh || true",
         {"content/b.md"},
         1,
         1,
         0,
         0,
         2,
         1},
        {"git rm -q --cached content/b.md", {NULL}, 1, 1, 2, 0, 2, 0},
        {"git commit -q -a -m 'All'", {NULL}, 2, 0, 2, 0, 2, 0},
        {"mkdir content/bulk; for i in $(seq 300); do : >content/bulk/$i.md; done; "
         "git add content/bulk",
         {NULL},
         0,
         0,
         2,
         0,
         2,
         0},
        {"printf '*.swp\\n' >>.git/info/exclude", {NULL}, 0, 0, 2, 0, 0, 0},
    };
    for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
        struct stat before, after;
        cr_assert_eq(lstat(index.data, &before), 0);
        sandbox_run(steps[k].line);
        cr_assert_eq(lstat(index.data, &after), 0);
        if (steps[k].rewrites)
            cr_assert_not(fs_same_stat(&before, &after), "step %zu: the index written", k);
        size_t n = 0;
        while (n < 3 && steps[k].seen[n])
            n++;
        cr_assert_eq(history_fingerprint_since(hex, NULL, &clean, &next, &narrowed, prev,
                                               steps[k].seen, n, sandbox, content.data, NULL),
                     0, "step %zu", k);
        cr_expect_eq(narrowed, steps[k].narrowed, "step %zu", k);
        cr_assert_eq(history_fingerprint(whole, NULL, NULL, NULL, sandbox, content.data, NULL), 0);
        cr_expect_str_eq(hex, whole, "step %zu: the digest of the whole pass", k);
        cr_expect_eq(clean, map_count(next->kinds) == 0, "step %zu", k);
        cr_expect_eq((intptr_t)map_get(next->kinds, "content/a.md"), steps[k].a, "step %zu", k);
        cr_expect_eq((intptr_t)map_get(next->kinds, "content/b.md"), steps[k].b, "step %zu", k);
        cr_expect_eq((intptr_t)map_get(next->kinds, "content/c.md"), steps[k].c, "step %zu", k);
        cr_expect_eq((intptr_t)map_get(next->kinds, "content/.d.md.swp"), steps[k].d_swp,
                     "step %zu", k);
        cr_expect_null(map_get(next->kinds, "site.yml"), "step %zu: outside content", k);
        history_status_free(prev);
        prev = next;
        next = NULL;
    }
    /* A site below the work tree's top: its passes note nothing of the
     * index (a .gitignore above it could change unseen) and are never
     * narrowed. */
    history_status *below = NULL;
    for (int k = 0; k < 2; k++) {
        const history_status *from = below;
        cr_assert_eq(history_fingerprint_since(hex, NULL, NULL, &next, &narrowed, from, NULL, 0,
                                               content.data, content.data, NULL),
                     0);
        cr_expect_not(narrowed, "pass %d", k);
        cr_expect_not(next->known, "pass %d", k);
        cr_expect_not(next->at_top, "pass %d", k);
        history_status_free(below);
        below = next;
        next = NULL;
    }
    history_status_free(below);
    /* A pass of another content folder is not narrowed from. */
    cr_assert_eq(history_fingerprint_since(hex, NULL, NULL, &next, &narrowed, prev, NULL, 0,
                                           sandbox, sandbox, NULL),
                 0);
    cr_expect_not(narrowed);
    history_status_free(next);
    history_status_free(prev);
    buf_release(&index);
    buf_release(&content);
}

/* Whether two histories of s's pages are the same: each page's rows (their
 * digests, every field) and the change list. */
static void expect_same_history(const site *s, const history *got, const history *want,
                                const char *what)
{
    for (size_t i = 0; i < s->n_pages; i++) {
        const page_history *g = history_page(got, i), *w = history_page(want, i);
        cr_assert_eq(g->n, w->n, "%s: %s's rows", what, s->pages[i]->rel);
        for (size_t j = 0; j < g->n; j++) {
            cr_expect_eq(g->rows[j].kind, w->rows[j].kind, "%s: %s", what, s->pages[i]->rel);
            cr_expect_str_eq(g->rows[j].digest, w->rows[j].digest, "%s: %s row %zu", what,
                             s->pages[i]->rel, j);
        }
    }
    size_t ng, nw;
    const change *cg = history_changes(got, &ng), *cw = history_changes(want, &nw);
    cr_assert_eq(ng, nw, "%s: changes", what);
    for (size_t k = 0; k < ng; k++) {
        cr_expect_str_eq(cg[k].row->commit, cw[k].row->commit, "%s: change %zu", what, k);
        cr_assert_eq(cg[k].n_pages, cw[k].n_pages, "%s: change %zu", what, k);
        cr_expect_eq(cg[k].row, cg[k].rows[0], "%s: change %zu", what, k);
        for (size_t j = 0; j < cg[k].n_pages; j++) {
            cr_assert_eq(cg[k].pages[j], cw[k].pages[j], "%s: change %zu", what, k);
            /* Its row is the page's own, the same as read. */
            const page_history *ph = history_page(got, cg[k].pages[j]);
            cr_assert(cg[k].rows[j] >= ph->rows && cg[k].rows[j] < ph->rows + ph->n,
                      "%s: change %zu, page %zu: a row of another array", what, k, j);
            cr_expect_str_eq(cg[k].rows[j]->digest, cw[k].rows[j]->digest, "%s: change %zu", what,
                             k);
        }
    }
}

/* A server's kept history, taken for the next build of its kept site: for
 * a page changed, one put back as committed, an untracked page changed,
 * the same history history_load reads from the new pass; none when a
 * page's file leaves or enters HEAD's tree (git rm --cached, git add of
 * it again), HEAD moves or .mailmap changes, nor from a history that did
 * not read the pass it is given. */
Test(history, kept_history_reused_for_the_pages_whose_status_changed, .init = sandbox_init,
     .fini = sandbox_fini)
{
    sandbox_sh(status_repo);
    buf content;
    buf_init(&content);
    buf_printf(&content, "%s/content", sandbox);
    diags *d = diag_new(sandbox);
    site *s = NULL;
    cr_assert_eq(site_load_start(&s, sandbox, date_from_civil(2026, 2, 1), NULL, d), 0);
    cr_assert_eq(site_load_finish(s, d), 0);
    cr_assert_eq(s->n_pages, 3);
    char hex[DIGEST_HEX];
    history_status *prev = NULL, *next = NULL;
    cr_assert_eq(history_fingerprint(hex, NULL, NULL, &prev, sandbox, content.data, NULL), 0);
    history *kept = history_load(s, 0, prev, d);
    history_complete(kept, s);
    /* Read with a pass of its own: not taken. */
    history *own = history_load(s, 0, NULL, d);
    history_complete(own, s);
    cr_expect_null(history_reuse(own, prev, s, prev));
    history_free(own);
    static const struct {
        const char *line;
        int reused;
    } steps[] = {
        {"printf 'more\\n' >>content/a.md", 1},
        {"git checkout -- content/b.md", 1},
        {"printf 'more\\n' >>content/c.md", 1},
        {"printf 'more\\n' >>content/b.md; git checkout -- content/a.md", 1},
        {"git rm -q --cached content/a.md", 0},
        {"git add content/a.md", 0},
        {"GIT_AUTHOR_DATE=2026-01-06T10:00:00Z GIT_COMMITTER_DATE=2026-01-06T10:00:00Z "
         "git -c user.name=Ann -c user.email=ann@example.com commit -q -a -m 'Change b'",
         0},
        {"printf 'more\\n' >>content/a.md", 1},
        {"printf 'Ann A <ann@example.com>\\n' >.mailmap", 0},
    };
    for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
        sandbox_run(steps[k].line);
        cr_assert_eq(history_fingerprint(hex, NULL, NULL, &next, sandbox, content.data, NULL), 0);
        history *want = history_load(s, 0, next, d);
        history_complete(want, s);
        history *got = history_reuse(kept, prev, s, next);
        char what[16];
        snprintf(what, sizeof what, "step %zu", k);
        cr_expect_eq(got != NULL, steps[k].reused, "%s: taken", what);
        if (got) {
            cr_assert_eq(got, kept);
            expect_same_history(s, got, want, what);
            history_free(want);
        } else {
            history_free(kept);
            kept = want;
        }
        history_status_free(prev);
        prev = next;
        next = NULL;
    }
    cr_assert_diag(d, "");
    history_free(kept);
    history_status_free(prev);
    site_free(s);
    diag_free(d);
    buf_release(&content);
}

/* libgit2 is set up once per process: each set-up parses the system's TLS
 * certificates, and a build starts and ends it several times. After the
 * history's first start, one reference stays held. */
Test(history, libgit2_set_up_once)
{
    int before = git_libgit2_init();
    git_libgit2_shutdown();
    history_git_init();
    git_libgit2_shutdown();
    history_git_init();
    git_libgit2_shutdown();
    int after = git_libgit2_init();
    git_libgit2_shutdown();
    cr_expect_eq(after, before + 1, "held %d references, %d before", after, before);
}

/* ---- where blobs lie in the packs: the order they are read in ---- */

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A pack index of version 2 holding ids[0..n) (sorted) at offs[0..n);
 * offsets from 2^31 up go to the table of large offsets, as git writes
 * them. */
static void make_idx(buf *out, const git_oid *ids, const uint64_t *offs, size_t n)
{
    unsigned char b[8];
    buf_add(out, "\377tOc\0\0\0\2", 8);
    for (unsigned k = 0; k < 256; k++) {
        uint32_t c = 0;
        for (size_t i = 0; i < n; i++)
            c += ids[i].id[0] <= k;
        put32(b, c);
        buf_add(out, b, 4);
    }
    for (size_t i = 0; i < n; i++)
        buf_add(out, ids[i].id, GIT_OID_RAWSZ);
    for (size_t i = 0; i < n; i++)
        buf_add(out, "crc!", 4);
    uint32_t n_large = 0;
    for (size_t i = 0; i < n; i++) {
        put32(b, offs[i] < 0x80000000u ? (uint32_t)offs[i] : 0x80000000u | n_large++);
        buf_add(out, b, 4);
    }
    for (size_t i = 0; i < n; i++)
        if (offs[i] >= 0x80000000u) {
            put32(b, (uint32_t)(offs[i] >> 32));
            put32(b + 4, (uint32_t)offs[i]);
            buf_add(out, b, 8);
        }
    for (size_t i = 0; i < 2 * GIT_OID_RAWSZ; i++)
        buf_add(out, "s", 1);
}

/* An index read as git wrote it: each id found at its offset, a large one
 * through the table of large offsets, an id it lacks not found; and an
 * index damaged any way refused whole, or its one bad entry not found,
 * never read past its end (ASan in the sanitizer lane). */
Test(history, pack_index_lookup)
{
    git_oid ids[4];
    const uint64_t offs[] = {12, 0x7fffffffu, (uint64_t)5 << 32 | 7, 300};
    memset(ids, 0, sizeof ids);
    ids[0].id[0] = 0x00, ids[0].id[19] = 1;
    ids[1].id[0] = 0x01, ids[1].id[19] = 1;
    ids[2].id[0] = 0x01, ids[2].id[19] = 2;
    ids[3].id[0] = 0xff, ids[3].id[19] = 9;
    git_oid ask[6];
    memcpy(ask, ids, sizeof ids);
    memset(&ask[4], 0, sizeof ask[4]);
    ask[4].id[0] = 0x01, ask[4].id[19] = 3; /* between two it holds */
    memset(&ask[5], 0xff, sizeof ask[5]);   /* past its last */
    buf idx;
    buf_init(&idx);
    make_idx(&idx, ids, offs, 4);
    const unsigned char *p = (const unsigned char *)idx.data;
    uint64_t got[6];
    cr_assert_eq(history_pack_lookup(got, p, idx.len, ask, 6), 0);
    for (size_t i = 0; i < 4; i++)
        cr_expect_eq(got[i], offs[i], "id %zu at %llu", i, (unsigned long long)got[i]);
    cr_expect_eq(got[4], UINT64_MAX);
    cr_expect_eq(got[5], UINT64_MAX);

    /* The large offsets' table cut: only the id it held is not found. */
    cr_assert_eq(history_pack_lookup(got, p, idx.len - 8, ask, 4), 0);
    cr_expect_eq(got[0], 12);
    cr_expect_eq(got[2], UINT64_MAX);
    /* Cut before the offsets, or shorter than a header: refused. */
    size_t cut = 8 + 1024 + 4 * 24;
    cr_expect_eq(history_pack_lookup(got, p, cut, ask, 4), -1);
    cr_expect_eq(history_pack_lookup(got, p, 8, ask, 4), -1);
    cr_expect_eq(history_pack_lookup(got, p, 0, ask, 4), -1);
    /* Another version, or no index at all. */
    buf bad;
    buf_init(&bad);
    buf_add(&bad, idx.data, idx.len);
    bad.data[7] = 1;
    cr_expect_eq(history_pack_lookup(got, (unsigned char *)bad.data, bad.len, ask, 4), -1);
    bad.data[7] = 2;
    bad.data[0] = 'P';
    cr_expect_eq(history_pack_lookup(got, (unsigned char *)bad.data, bad.len, ask, 4), -1);
    bad.data[0] = (char)0xff;
    /* Counts that fall, or a count larger than the file holds. */
    put32((unsigned char *)bad.data + 8 + 4 * 0x10, 0);
    cr_expect_eq(history_pack_lookup(got, (unsigned char *)bad.data, bad.len, ask, 4), -1);
    for (unsigned k = 0x10; k < 256; k++)
        put32((unsigned char *)bad.data + 8 + 4 * k, 0xffffffffu);
    cr_expect_eq(history_pack_lookup(got, (unsigned char *)bad.data, bad.len, ask, 4), -1);
    buf_release(&bad);
    buf_release(&idx);
}

/* Six pages, each changed a dozen times, packed by git, one blob left
 * loose: the blobs are read pack first, from its end back (each found at
 * the offset git's own show-index gives), the loose one after, whatever
 * the order they were wanted in. Without the packs' places (no common
 * directory, or an index that is no index) they are read as wanted. */
static const char packed_repo[] =
    REPO_START "for v in 1 2 3 4 5 6 7 8 9 10 11 12; do\n"
               "  for p in a b c d e f; do\n"
               "    printf -- '---\\ntitle: %s\\nversion: \"%s\"\\n---\\n' $p $v >content/$p.md\n"
               "    seq 1 200 | sed \"s/^/$p line /\" >>content/$p.md\n"
               "    printf 'change %s\\n' $v >>content/$p.md\n"
               "  done\n"
               "  git add -A; git commit -q -m \"v$v\"\n"
               "done\n"
               "git repack -adq\n"
               "git show-index <\"$(ls .git/objects/pack/pack-*.idx)\" >offsets.txt\n"
               "printf 'loose\\n' | git hash-object -w --stdin >loose.txt\n";

/* The table of offset by id that git's show-index printed. */
static map *read_offsets(const char *path)
{
    buf text;
    buf_init(&text);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_read(&text, path, NULL, d), 0);
    map *m = map_new();
    char *save = NULL;
    for (char *line = strtok_r(text.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char hex[64];
        unsigned long long off;
        cr_assert_eq(sscanf(line, "%llu %63s", &off, hex), 2);
        map_put(m, hex, (void *)(uintptr_t)(off + 1));
    }
    diag_free(d);
    buf_release(&text);
    return m;
}

/* git_odb_foreach's callback: every object's id, up to 200. */
typedef struct id_list {
    git_oid v[200];
    size_t n;
} id_list;

static int collect_id(const git_oid *id, void *arg)
{
    id_list *l = arg;
    if (l->n == 200)
        return -1;
    git_oid_cpy(&l->v[l->n++], id);
    return 0;
}

/* Checks that plan[0..n) reads b's packed blobs from the pack's end back
 * (offsets as git printed them) and then the loose one. */
static void expect_from_the_end(const blobs *b, const size_t *plan, size_t n, map *offsets,
                                const char *loose)
{
    unsigned long long last = ULLONG_MAX;
    for (size_t i = 0; i < n; i++) {
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &history_blobs_at(b, plan[i])->id);
        uintptr_t at = (uintptr_t)map_get(offsets, hex);
        if (i == n - 1) {
            cr_expect_str_eq(hex, loose, "the loose blob read last");
            continue;
        }
        cr_assert_neq(at, 0, "%s (read %zu of %zu) is in the pack", hex, i, n);
        cr_expect_lt(at - 1, last, "%s at %llu read after one at %llu", hex,
                     (unsigned long long)(at - 1), last);
        last = at - 1;
    }
}

Test(history, blobs_read_from_each_packs_end, .init = sandbox_init, .fini = sandbox_fini)
{
    sandbox_sh(packed_repo);
    buf path, loose;
    buf_init(&path);
    buf_init(&loose);
    buf_printf(&path, "%s/offsets.txt", sandbox);
    map *offsets = read_offsets(path.data);
    buf_reset(&path);
    buf_printf(&path, "%s/loose.txt", sandbox);
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_read(&loose, path.data, NULL, d), 0);
    buf_truncate(&loose, GIT_OID_HEXSZ);
    git_oid loose_id;
    cr_assert_eq(git_oid_fromstr(&loose_id, loose.data), 0);
    git_repository *repo = NULL;
    git_odb *odb = NULL;
    cr_assert_eq(git_repository_open(&repo, sandbox), 0);
    cr_assert_eq(git_repository_odb(&odb, repo), 0);

    /* The loose blob wanted first, then every blob of the pack in the
     * order of their ids, which says nothing of where they lie. */
    static id_list all;
    all.n = 0;
    cr_assert_eq(git_odb_foreach(odb, collect_id, &all), 0);
    blobs *b = history_blobs_new();
    history_blobs_want(b, &loose_id, 0, 0);
    size_t n_packed = 0;
    for (size_t i = 0; i < all.n; i++) {
        size_t len;
        git_object_t type;
        cr_assert_eq(git_odb_read_header(&len, &type, odb, &all.v[i]), 0);
        if (type == GIT_OBJECT_BLOB && !git_oid_equal(&all.v[i], &loose_id)) {
            history_blobs_want(b, &all.v[i], i + 1, 0);
            n_packed++;
        }
    }
    cr_assert_geq(n_packed, 60, "%zu blobs in the pack", n_packed);
    const char *common = git_repository_commondir(repo);

    size_t *plan = NULL;
    size_t n = history_blobs_plan(&plan, b, common);
    cr_assert_eq(n, n_packed + 1);
    expect_from_the_end(b, plan, n, offsets, loose.data);
    free(plan);

    /* An index that is no index, listed before the pack's own: passed
     * over. */
    buf_reset(&path);
    buf_printf(&path, "%sobjects/pack/pack-0000.idx", common);
    cr_assert_eq(fs_write(path.data, "\377tOc\0\0\0\2 and no more", 20, d), 0);
    n = history_blobs_plan(&plan, b, common);
    cr_assert_eq(n, n_packed + 1);
    expect_from_the_end(b, plan, n, offsets, loose.data);
    free(plan);

    /* The index only through a link (in a git directory of its own):
     * not followed, so read as wanted; a copy of it there is read. */
    buf fake, cmd;
    buf_init(&fake);
    buf_init(&cmd);
    buf_printf(&fake, "%s/fake/", sandbox);
    buf_printf(&cmd,
               "mkdir -p '%sobjects/pack' && cd '%sobjects/pack' && "
               "ln -s \"$(ls '%sobjects/pack'/pack-*.idx | grep -v pack-0000)\" pack-link.idx",
               fake.data, fake.data, common);
    cr_assert_eq(system(cmd.data), 0);
    n = history_blobs_plan(&plan, b, fake.data);
    cr_assert_eq(n, n_packed + 1);
    cr_expect(git_oid_equal(&history_blobs_at(b, plan[0])->id, &loose_id), "as wanted");
    free(plan);
    buf_reset(&cmd);
    buf_printf(&cmd, "cp '%sobjects/pack/pack-link.idx' '%sobjects/pack/pack-copy.idx'", fake.data,
               fake.data);
    cr_assert_eq(system(cmd.data), 0);
    n = history_blobs_plan(&plan, b, fake.data);
    expect_from_the_end(b, plan, n, offsets, loose.data);
    free(plan);
    buf_release(&cmd);
    buf_release(&fake);

    /* Without the packs' places: as wanted. */
    n = history_blobs_plan(&plan, b, NULL);
    cr_assert_eq(n, n_packed + 1);
    cr_expect(git_oid_equal(&history_blobs_at(b, plan[0])->id, &loose_id));
    for (size_t i = 1; i < n; i++)
        cr_expect_lt(history_blobs_at(b, plan[i - 1])->order, history_blobs_at(b, plan[i])->order);
    free(plan);

    /* And what is read in that order is what is read one by one. */
    cr_assert_eq(history_blobs_read(b, git_repository_path(repo), common), 0);
    blobs *one = history_blobs_new();
    for (size_t i = 0; i < n_packed + 1; i++) {
        const blob_info *e = history_blobs_at(b, i);
        cr_assert_eq(e->state, BLOB_READ);
        const blob_info *o = history_blobs_get(one, odb, &e->id, 0);
        cr_assert(o && o->state == BLOB_READ);
        cr_expect_str_eq(e->declared ? e->declared : "-", o->declared ? o->declared : "-");
        cr_expect(!memcmp(e->unreviewed, o->unreviewed, sizeof o->unreviewed));
    }
    cr_expect_str_eq(history_blobs_at(b, 1)->declared ? "declared" : "-", "declared");
    history_blobs_free(one);
    cr_assert_diag(d, "");
    diag_free(d);
    buf_release(&loose);
    buf_release(&path);
    history_blobs_free(b);
    git_odb_free(odb);
    git_repository_free(repo);
    map_free(offsets);
}

/* ---- reading blobs from their packs ---- */

/* The packed repository's pack, mapped (history_pack_map), and its path. */
static const unsigned char *map_the_pack(const char *common, size_t *len)
{
    buf cmd;
    buf_init(&cmd);
    buf_printf(&cmd, "ls '%sobjects/pack'/pack-*.pack", common);
    FILE *f = popen(cmd.data, "r");
    char path[4096] = "";
    cr_assert(f && fgets(path, sizeof path, f));
    pclose(f);
    path[strcspn(path, "\n")] = '\0';
    buf_release(&cmd);
    const unsigned char *pack = history_pack_map(path, len);
    cr_assert_not_null(pack, "'%s' mapped", path);
    return pack;
}

/* Reads every blob of the pack at its offset (order: from the pack's end
 * back, or from its start, through one reader) and checks it against
 * libgit2's; returns how many were offset deltas. */
static size_t expect_pack_reads(const unsigned char *pack, size_t len, map *offsets, git_odb *odb,
                                const id_list *all, int from_end)
{
    pack_reader *r = history_pack_reader_new();
    size_t deltas = 0, blobs_seen = 0;
    buf out;
    buf_init(&out);
    for (size_t k = 0; k < all->n; k++) {
        const git_oid *id = &all->v[from_end ? all->n - 1 - k : k];
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, id);
        uintptr_t at = (uintptr_t)map_get(offsets, hex);
        git_odb_object *o = NULL;
        cr_assert_eq(git_odb_read(&o, odb, id), 0);
        if (at && git_odb_object_type(o) == GIT_OBJECT_BLOB) {
            int type = pack[at - 1] >> 4 & 7;
            deltas += type == 6;
            blobs_seen++;
            int rc = history_pack_read(r, pack, len, 1, at - 1, MAX_BLOB, &out);
            if (type == 7) {
                cr_expect_eq(rc, -1, "%s: a delta by id is libgit2's to read", hex);
            } else {
                cr_assert_eq(rc, 0, "%s at %llu (type %d)", hex, (unsigned long long)(at - 1),
                             type);
                cr_assert_eq(out.len, git_odb_object_size(o), "%s", hex);
                cr_assert(!memcmp(out.data, git_odb_object_data(o), out.len), "%s", hex);
                cr_assert_eq(out.data[out.len], '\0');
            }
        }
        git_odb_object_free(o);
    }
    cr_assert_geq(blobs_seen, 60);
    buf_release(&out);
    history_pack_reader_free(r);
    return deltas;
}

/* The packed repository's blobs read from the pack itself equal libgit2's,
 * whole or through chains of offset deltas, read from the pack's end back
 * (each delta's base kept from the blob before) or from its start (each
 * chain followed down); one over max is refused. Packed again with deltas
 * by id (git's repack.usedeltabaseoffset=false), those are refused and
 * history_blobs_read reads them through libgit2. */
Test(history, blobs_read_from_the_pack, .init = sandbox_init, .fini = sandbox_fini)
{
    sandbox_sh(packed_repo);
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s/offsets.txt", sandbox);
    map *offsets = read_offsets(path.data);
    git_repository *repo = NULL;
    git_odb *odb = NULL;
    cr_assert_eq(git_repository_open(&repo, sandbox), 0);
    cr_assert_eq(git_repository_odb(&odb, repo), 0);
    const char *common = git_repository_commondir(repo);
    static id_list all;
    all.n = 0;
    cr_assert_eq(git_odb_foreach(odb, collect_id, &all), 0);
    size_t len = 0;
    const unsigned char *pack = map_the_pack(common, &len);
    size_t deltas = expect_pack_reads(pack, len, offsets, odb, &all, 1);
    cr_expect_geq(deltas, 30, "%zu offset deltas", deltas);
    cr_expect_eq(expect_pack_reads(pack, len, offsets, odb, &all, 0), deltas);

    /* Over max, whole or made by a delta: refused. */
    pack_reader *r = history_pack_reader_new();
    buf out;
    buf_init(&out);
    size_t refused = 0;
    for (size_t k = 0; k < all.n; k++) {
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &all.v[k]);
        uintptr_t at = (uintptr_t)map_get(offsets, hex);
        size_t size;
        git_object_t type;
        cr_assert_eq(git_odb_read_header(&size, &type, odb, &all.v[k]), 0);
        if (at && type == GIT_OBJECT_BLOB && size > 100) {
            cr_expect_eq(history_pack_read(r, pack, len, 1, at - 1, 100, &out), -1, "%s", hex);
            refused++;
        }
    }
    cr_expect_geq(refused, 60);
    history_pack_reader_free(r);
    munmap((void *)pack, len);

    /* Deltas by id. */
    sandbox_sh("set -eu; cd \"$1\"; export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1\n"
               "git -c repack.usedeltabaseoffset=false repack -adfq\n"
               "git show-index <\"$(ls .git/objects/pack/pack-*.idx)\" >offsets.txt\n");
    map_free(offsets);
    offsets = read_offsets(path.data);
    git_odb_free(odb);
    git_repository_free(repo);
    cr_assert_eq(git_repository_open(&repo, sandbox), 0);
    cr_assert_eq(git_repository_odb(&odb, repo), 0);
    common = git_repository_commondir(repo);
    pack = map_the_pack(common, &len);
    size_t by_id = 0;
    for (size_t k = 0; k < all.n; k++) {
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &all.v[k]);
        uintptr_t at = (uintptr_t)map_get(offsets, hex);
        by_id += at && (pack[at - 1] >> 4 & 7) == 7;
    }
    cr_expect_geq(by_id, 30, "%zu deltas by id", by_id);
    cr_expect_eq(expect_pack_reads(pack, len, offsets, odb, &all, 1), 0);
    munmap((void *)pack, len);
    blobs *b = history_blobs_new(), *one = history_blobs_new();
    for (size_t k = 0; k < all.n; k++) {
        size_t size;
        git_object_t type;
        cr_assert_eq(git_odb_read_header(&size, &type, odb, &all.v[k]), 0);
        if (type == GIT_OBJECT_BLOB)
            history_blobs_want(b, &all.v[k], k, 1);
    }
    cr_assert_eq(history_blobs_read(b, git_repository_path(repo), common), 0);
    for (size_t k = 0; k < all.n; k++) {
        size_t size;
        git_object_t type;
        cr_assert_eq(git_odb_read_header(&size, &type, odb, &all.v[k]), 0);
        if (type != GIT_OBJECT_BLOB)
            continue;
        const blob_info *e = history_blobs_get(b, odb, &all.v[k], 1);
        const blob_info *o = history_blobs_get(one, odb, &all.v[k], 1);
        cr_assert(e && o && e->state == BLOB_READ && o->state == BLOB_READ);
        cr_expect(!memcmp(e->unreviewed, o->unreviewed, sizeof o->unreviewed));
        cr_expect_eq(e->sig.n, o->sig.n);
    }
    history_blobs_free(b);
    history_blobs_free(one);
    buf_release(&out);
    buf_release(&path);
    map_free(offsets);
    git_odb_free(odb);
    git_repository_free(repo);
}

/* A pack made by hand: entries appended to p, each an entry header (with
 * an offset delta's distance back) and its data through zlib. */
static void hand_entry(buf *p, int type, size_t size, uint64_t back, const void *data,
                       size_t data_len)
{
    unsigned char c = (unsigned char)(type << 4 | (size & 15));
    for (size >>= 4; size; size >>= 7) {
        buf_addc(p, (char)(c | 0x80));
        c = size & 0x7f;
    }
    buf_addc(p, (char)c);
    if (type == 6) {
        unsigned char tmp[16];
        int pos = sizeof tmp - 1;
        tmp[pos] = back & 0x7f;
        while (back >>= 7)
            tmp[--pos] = (unsigned char)(0x80 | (--back & 0x7f));
        buf_add(p, (const char *)tmp + pos, sizeof tmp - (size_t)pos);
    }
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(6);
    size_t room = libdeflate_zlib_compress_bound(z, data_len);
    buf_grow(p, room);
    size_t made = libdeflate_zlib_compress(z, data, data_len, p->data + p->len, room);
    cr_assert_gt(made, 0);
    p->len += made;
    libdeflate_free_compressor(z);
}

static void hand_start(buf *p)
{
    buf_reset(p);
    buf_add(p, "PACK\0\0\0\2\0\0\0\3", 12);
}

/* Reads pack p at offset with a new reader: its return, the text in out. */
static int hand_read(const buf *p, uint64_t offset, size_t max, buf *out)
{
    pack_reader *r = history_pack_reader_new();
    int rc = history_pack_read(r, (const unsigned char *)p->data, p->len, 1, offset, max, out);
    history_pack_reader_free(r);
    return rc;
}

/* A blob at 12, then a delta on it; the pack, its delta's offset in *at. */
static void hand_pack(buf *p, const char *delta, size_t delta_len, size_t declared, uint64_t *at)
{
    static const char base[] = "hello, policy world\n"; /* 20 bytes */
    hand_start(p);
    hand_entry(p, 3, 20, 0, base, 20);
    *at = p->len;
    hand_entry(p, 6, declared, *at - 12, delta, delta_len);
}

/* Every way a pack's entry can be damaged or out of reach is refused (-1)
 * without reading outside the pack: a chain of deltas each applied, kept
 * and read again; a tree or a delta by id; an offset outside; a header
 * that runs off the end; a base that is not before its delta; a delta
 * for another base size, copying past the base, inserting past its own
 * end, with the reserved op, making other than it declares or more than
 * max; damaged zlib data, or less of it than the header declares; a
 * chain one longer than git makes. */
Test(history, pack_read_refuses_damage)
{
    buf p, out;
    buf_init(&p);
    buf_init(&out);
    uint64_t at, at2;
    /* copy 0+7 ("hello, "), insert "charter\n": 15 bytes */
    static const char good[] = "\x14\x0f\x90\x07\x08"
                               "charter\n";
    hand_pack(&p, good, sizeof good - 1, sizeof good - 1, &at);
    /* and on it: copy 0+15, insert "more\n" */
    static const char more[] = "\x0f\x14\x90\x0f\x05more\n";
    at2 = p.len;
    hand_entry(&p, 6, sizeof more - 1, at2 - at, more, sizeof more - 1);
    cr_assert_eq(hand_read(&p, 12, 100, &out), 0);
    cr_expect_str_eq(out.data, "hello, policy world\n");
    cr_assert_eq(hand_read(&p, at, 100, &out), 0);
    cr_expect_str_eq(out.data, "hello, charter\n");
    pack_reader *r = history_pack_reader_new();
    for (int again = 0; again < 2; again++) { /* the second time from what it kept */
        cr_assert_eq(history_pack_read(r, (const unsigned char *)p.data, p.len, 1, at2, 100, &out),
                     0);
        cr_expect_str_eq(out.data, "hello, charter\nmore\n");
        cr_assert_eq(history_pack_read(r, (const unsigned char *)p.data, p.len, 1, at, 100, &out),
                     0);
        cr_expect_str_eq(out.data, "hello, charter\n");
    }
    history_pack_reader_free(r);
    cr_expect_eq(hand_read(&p, at2, 19, &out), -1, "makes more than max");
    cr_expect_eq(hand_read(&p, at2, 20, &out), 0);

    /* Offsets outside, or not at an entry's start. */
    cr_expect_eq(hand_read(&p, 0, 100, &out), -1);
    cr_expect_eq(hand_read(&p, 11, 100, &out), -1);
    cr_expect_eq(hand_read(&p, p.len, 100, &out), -1);
    cr_expect_eq(hand_read(&p, UINT64_MAX, 100, &out), -1);
    cr_expect_eq(hand_read(&p, 13, 100, &out), -1);

    /* A tree, and a delta by id (its 20-byte id, then its data). */
    hand_start(&p);
    hand_entry(&p, 2, 20, 0, "hello, policy world\n", 20);
    cr_expect_eq(hand_read(&p, 12, 100, &out), -1);
    hand_start(&p);
    buf_addc(&p, 0x70 | 5);
    buf_add(&p, "01234567890123456789", 20);
    cr_expect_eq(hand_read(&p, 12, 100, &out), -1);

    /* A header's size running off the end; one declaring more than 4 max. */
    hand_start(&p);
    buf_add(&p, "\xbf\xff", 2);
    cr_expect_eq(hand_read(&p, 12, 100, &out), -1);
    hand_start(&p);
    hand_entry(&p, 3, 401, 0, "x", 1);
    cr_expect_eq(hand_read(&p, 12, 100, &out), -1);

    /* A base at the delta itself, before the pack's objects, and a
     * distance running off the end. */
    hand_start(&p);
    hand_entry(&p, 3, 20, 0, "hello, policy world\n", 20);
    at = p.len;
    hand_entry(&p, 6, sizeof good - 1, at - 11, good, sizeof good - 1);
    cr_expect_eq(hand_read(&p, at, 100, &out), -1, "base before the first object");
    buf_truncate(&p, at);
    buf_add(&p, "\x6f\xff", 2);
    cr_expect_eq(hand_read(&p, at, 100, &out), -1, "distance runs off");
    buf_truncate(&p, at);
    buf_add(&p, "\x6f\x00", 2);
    cr_expect_eq(hand_read(&p, at, 100, &out), -1, "no distance");

    /* Deltas that do not fit their base or themselves. */
    static const struct {
        const char *delta;
        size_t len;
        const char *why;
    } bad[] = {
        {"\x15\x0f\x90\x07\x08"
         "charter\n",
         13, "another base size"},
        {"\x14\x10\x91\x10\x08\x08"
         "charter\n",
         14, "a copy past the base's end"},
        {"\x14\x14\x90\x07\x0d"
         "charter\n",
         13, "an insert past the delta's end"},
        {"\x14\x0f\x90\x07\x00"
         "charter\n",
         13, "the reserved op"},
        {"\x14\x10\x90\x07\x08"
         "charter\n",
         13, "making less than it declares"},
        {"\x14\x0e\x90\x07\x08"
         "charter\n",
         13, "making more than it declares"},
        {"\x14\x0f\x91", 3, "a copy's offset cut off"},
        {"\x14", 1, "no result size"},
        {"\x94\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\x0f", 12, "a size past 64 bits"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hand_pack(&p, bad[i].delta, bad[i].len, bad[i].len, &at);
        cr_expect_eq(hand_read(&p, at, 100, &out), -1, "%s", bad[i].why);
    }

    /* Damaged zlib data; less of it than declared; more. */
    hand_pack(&p, good, sizeof good - 1, sizeof good - 1, &at);
    p.data[at - 4] ^= 0x40; /* in the base's stream, before its checksum */
    cr_expect_eq(hand_read(&p, 12, 100, &out), -1, "a damaged stream");
    cr_expect_eq(hand_read(&p, at, 100, &out), -1, "on a damaged base");
    hand_start(&p);
    hand_entry(&p, 3, 21, 0, "hello, policy world\n", 20);
    cr_expect_eq(hand_read(&p, 12, 100, &out), -1, "less than declared");
    hand_start(&p);
    hand_entry(&p, 3, 19, 0, "hello, policy world\n", 20);
    cr_expect_eq(hand_read(&p, 12, 100, &out), -1, "more than declared");
    hand_start(&p);
    hand_entry(&p, 3, 20, 0, "hello, policy world\n", 20);
    buf_truncate(&p, p.len - 3);
    cr_expect_eq(hand_read(&p, 12, 100, &out), -1, "cut short");

    /* Large blobs, each the base of a delta: what a reader keeps stays
     * within 4 MB (24 bases of 200,000 bytes), and what it forgot is read
     * again. Each delta copies its base's first byte. */
    hand_start(&p);
    buf big;
    buf_init(&big);
    for (size_t i = 0; i < 200000; i++)
        buf_addc(&big, (char)('a' + i % 26));
    static const char first[] = "\xc0\x9a\x0c\x01\x90\x01"; /* 200000 -> 1: copy 0+1 */
    uint64_t deltas[24];
    for (int k = 0; k < 24; k++) {
        big.data[0] = (char)('A' + k);
        uint64_t base = p.len;
        hand_entry(&p, 3, big.len, 0, big.data, big.len);
        deltas[k] = p.len;
        hand_entry(&p, 6, sizeof first - 1, deltas[k] - base, first, sizeof first - 1);
    }
    r = history_pack_reader_new();
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < 24; k++) {
            cr_assert_eq(history_pack_read(r, (const unsigned char *)p.data, p.len, 1, deltas[k],
                                           MAX_BLOB, &out),
                         0, "delta %d", k);
            cr_assert_eq(out.len, 1);
            cr_expect_eq(out.data[0], 'A' + k);
            cr_expect_leq(history_pack_reader_kept(r), (size_t)4 << 20);
        }
    cr_expect_gt(history_pack_reader_kept(r), 0);
    history_pack_reader_free(r);
    buf_release(&big);

    /* A chain of 4,096 deltas is read; of 4,097, refused. */
    hand_start(&p);
    hand_entry(&p, 3, 1, 0, "x", 1);
    uint64_t last = 12, at4096 = 0;
    static const char same[] = "\x01\x01\x90\x01"; /* copy 0+1 */
    for (int k = 1; k <= 4097; k++) {
        uint64_t here = p.len;
        hand_entry(&p, 6, 4, here - last, same, 4);
        last = here;
        if (k == 4096)
            at4096 = here;
    }
    cr_expect_eq(hand_read(&p, at4096, 100, &out), 0);
    cr_expect_str_eq(out.data, "x");
    cr_expect_eq(hand_read(&p, last, 100, &out), -1, "4,097 deltas");
    buf_release(&p);
    buf_release(&out);
}

/* HEAD's commit read from git's own files (history_head_peek): a loose ref,
 * a packed one, a detached HEAD; nothing told when it cannot be (an unborn
 * branch, a link, a name that leaves the folder, a ref that holds no id),
 * and a real repository's HEAD as git itself names it. */
Test(history, head_peek)
{
    static const char id[] = "0123456789abcdef0123456789abcdef01234567";
    static const char other[] = "89abcdef0123456789abcdef0123456789abcdef";
    char dir[PATH_MAX], hex[41];
    unit_mkdtemp(dir, sizeof dir, "head-peek");
    cr_assert_eq(history_head_peek(hex, dir), -1, "no HEAD");
    cr_expect_str_eq(hex, "");
    unit_put(dir, "HEAD", "ref: refs/heads/main\n");
    cr_expect_eq(history_head_peek(hex, dir), -1, "an unborn branch");
    /* Packed (with a peeled line and another ref), then loose over it. */
    unit_put(dir, "packed-refs",
             "# pack-refs with: peeled fully-peeled sorted \n"
             "89abcdef0123456789abcdef0123456789abcdef refs/heads/mainline\n"
             "0123456789abcdef0123456789abcdef01234567 refs/heads/main\n"
             "^89abcdef0123456789abcdef0123456789abcdef\n");
    cr_assert_eq(history_head_peek(hex, dir), 0);
    cr_expect_str_eq(hex, id);
    char refs[PATH_MAX + 32];
    snprintf(refs, sizeof refs, "%s/refs/heads", dir);
    cr_assert_eq(fs_mkdirs(refs, NULL), 0);
    unit_put(dir, "refs/heads/main", "89abcdef0123456789abcdef0123456789abcdef\n");
    cr_assert_eq(history_head_peek(hex, dir), 0);
    cr_expect_str_eq(hex, other);
    unit_put(dir, "refs/heads/main", "ref: refs/heads/other\n");
    cr_expect_eq(history_head_peek(hex, dir), -1, "a symbolic loose ref");
    char link[PATH_MAX + 32];
    snprintf(link, sizeof link, "%s/refs/heads/main", dir);
    unlink(link);
    cr_assert_eq(symlink("../../packed-refs", link), 0);
    cr_expect_eq(history_head_peek(hex, dir), -1, "a loose ref that is a link");
    unlink(link);
    unit_put(dir, "HEAD", "ref: refs/../../HEAD\n");
    cr_expect_eq(history_head_peek(hex, dir), -1, "a name that leaves the folder");
    unit_put(dir, "HEAD", "0123456789abcdef0123456789abcdef01234567\n");
    cr_assert_eq(history_head_peek(hex, dir), 0, "detached");
    cr_expect_str_eq(hex, id);
    unit_put(dir, "HEAD", "0123456789ABCDEF0123456789abcdef01234567\n");
    cr_expect_eq(history_head_peek(hex, dir), -1, "not git's own spelling");
    unit_remove(dir);

    /* A repository git made: the same id git rev-parse gives. */
    unit_mkdtemp(dir, sizeof dir, "head-peek-git");
    char cmd[3 * PATH_MAX];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && git init -q -b main && git -c user.name=T -c user.email=t@e commit -q "
             "--allow-empty -m one && git rev-parse HEAD > rev",
             dir);
    cr_assert_eq(system(cmd), 0);
    buf rev;
    buf_init(&rev);
    char path[PATH_MAX + 32], gitdir[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/rev", dir);
    snprintf(gitdir, sizeof gitdir, "%s/.git", dir);
    cr_assert_eq(fs_read(&rev, path, NULL, NULL), 0);
    cr_assert_eq(history_head_peek(hex, gitdir), 0);
    cr_expect_eq(strncmp(rev.data, hex, 40), 0, "%s against %s", hex, rev.data);
    snprintf(cmd, sizeof cmd, "cd '%s' && git pack-refs --all", dir);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(history_head_peek(hex, gitdir), 0, "packed by git");
    cr_expect_eq(strncmp(rev.data, hex, 40), 0);
    buf_release(&rev);
    unit_remove(dir);
}
