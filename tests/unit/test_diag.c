/* test_diag: counting, the deterministic sort order, the exact text
 * rendering (location, level, message, id, source excerpt and caret) and
 * the names files get from the working directory. */
#include "unit.h"

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

/* A sandbox directory holding src/p.md, removed at the end of each test; the
 * test runs in it, so files of a sink rooted there keep their names. */
static char sandbox[64];
static char src_file[128];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot create %s", path);
    fputs(text, f);
    fclose(f);
}

static void sandbox_setup(void)
{
    unit_mkdtemp(sandbox, sizeof sandbox, "diag");
    char dir[128];
    snprintf(dir, sizeof dir, "%s/src", sandbox);
    cr_assert_eq(mkdir(dir, 0777), 0);
    snprintf(src_file, sizeof src_file, "%s/src/p.md", sandbox);
    write_file(src_file, "first line\n"
                         "second line here\n"
                         "\tkey:\tvalue\n"
                         "crlf line\r\n"
                         "last line without newline");
    cr_assert_eq(chdir(sandbox), 0);
}

static void sandbox_teardown(void)
{
    cr_assert_eq(chdir("/"), 0);
    unlink(src_file);
    char dir[128];
    snprintf(dir, sizeof dir, "%s/src", sandbox);
    rmdir(dir);
    rmdir(sandbox);
}

/* Returns what diag_print_text writes; caller frees. */
static char *print_text(diags *d, int color)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    cr_assert_not_null(f);
    diag_print_text(d, f, color);
    fclose(f);
    return text;
}

static void expect_text(diags *d, const char *want)
{
    char *got = print_text(d, 0);
    cr_assert_str_eq(got, want);
    free(got);
}

/* ---- recording ---- */

Test(diag, error_and_report_return_minus_one)
{
    diags *d = diag_new(NULL);
    cr_assert_eq(diag_error(d, "f.md", 1, 1, "x", "m"), -1);
    cr_assert_eq(diag_report(d, DIAG_ERROR, NULL, 0, 0, "x", "m"), -1);
    cr_assert_eq(diag_report(d, DIAG_WARNING, NULL, 0, 0, "x", "m"), -1);
    cr_assert_eq(diag_report(d, DIAG_NOTE, NULL, 0, 0, "x", "m"), -1);
    diag_free(d);
}

Test(diag, counts_per_level)
{
    diags *d = diag_new(NULL);
    cr_assert_eq(diag_count(d, DIAG_ERROR), 0);
    diag_error(d, "a.md", 1, 1, "e", "one");
    diag_error(d, NULL, 0, 0, "e", "two");
    diag_warning(d, "a.md", 2, 0, "w", "three");
    diag_report(d, DIAG_NOTE, NULL, 0, 0, "n", "four");
    diag_report(d, DIAG_NOTE, NULL, 0, 0, "n", "five");
    diag_report(d, DIAG_NOTE, "b.md", 0, 0, "n", "six");
    diag_report(d, DIAG_ERROR, "b.md", 0, 0, "e", "seven");
    cr_assert_eq(diag_count(d, DIAG_ERROR), 3);
    cr_assert_eq(diag_count(d, DIAG_WARNING), 1);
    cr_assert_eq(diag_count(d, DIAG_NOTE), 3);
    size_t n;
    diag_entries(d, &n);
    cr_assert_eq(n, 7);
    diag_free(d);
}

Test(diag, entries_keep_fields_and_format_message)
{
    diags *d = diag_new(NULL);
    char file[] = "pages/a.md";
    diag_warning(d, file, 12, 7, "stale-review", "review due %d days ago (%s)", 3, "x");
    file[0] = 'X'; /* the sink keeps its own copy */
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    cr_assert_eq(n, 1);
    cr_assert_eq(e[0].level, DIAG_WARNING);
    cr_assert_str_eq(e[0].file, "pages/a.md");
    cr_assert_eq(e[0].line, 12);
    cr_assert_eq(e[0].col, 7);
    cr_assert_str_eq(e[0].id, "stale-review");
    cr_assert_str_eq(e[0].message, "review due 3 days ago (x)");
    diag_error(d, NULL, 0, 0, NULL, "no id");
    e = diag_entries(d, &n);
    cr_assert_null(e[1].file);
    cr_assert_str_eq(e[1].id, "");
    diag_free(d);
    diag_free(NULL);
}

/* A stage's own sink hands its findings on in order, and is left empty. */
/* A copy leaves the source as it was, and each entry whole: a message
 * holding a '%' is copied as written. */
Test(diag, copy_keeps_the_source)
{
    diags *to = diag_new(NULL), *from = diag_new(NULL);
    diag_warning(from, "b.md", 2, 3, "history", "second %s", "100%");
    diag_error(from, NULL, 0, 0, "io", "third");
    diag_copy(to, from);
    size_t n, m;
    const diag_entry *e = diag_entries(to, &n), *f = diag_entries(from, &m);
    cr_assert_eq(n, 2);
    cr_assert_eq(m, 2);
    cr_assert_str_eq(e[0].file, "b.md");
    cr_assert_eq(e[0].line, 2);
    cr_assert_eq(e[0].col, 3);
    cr_assert_eq(e[0].level, DIAG_WARNING);
    cr_assert_str_eq(e[0].id, "history");
    cr_assert_str_eq(e[0].message, "second 100%");
    cr_assert_null(e[1].file);
    cr_assert_str_eq(f[1].message, "third");
    diag_free(to);
    diag_free(from);
}

Test(diag, move_hands_entries_on)
{
    diags *to = diag_new(NULL), *from = diag_new(NULL);
    diag_error(to, "a.md", 1, 1, "x", "first");
    diag_move(to, from); /* nothing to move */
    diag_warning(from, "b.md", 2, 3, "history", "second %d", 2);
    diag_error(from, NULL, 0, 0, "io", "third");
    diag_move(to, from);
    size_t n;
    const diag_entry *e = diag_entries(to, &n);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(e[0].message, "first");
    cr_assert_str_eq(e[1].file, "b.md");
    cr_assert_eq(e[1].col, 3);
    cr_assert_str_eq(e[1].message, "second 2");
    cr_assert_eq(e[2].level, DIAG_ERROR);
    cr_assert_eq(diag_count(to, DIAG_ERROR), 2);
    diag_entries(from, &n);
    cr_assert_eq(n, 0);
    diag_warning(from, NULL, 0, 0, "y", "again"); /* still usable */
    diag_move(to, from);
    diag_entries(to, &n);
    cr_assert_eq(n, 4);
    diag_move(to, to);
    diag_move(NULL, from);
    diag_entries(to, &n);
    cr_assert_eq(n, 4);
    diag_free(to);
    diag_free(from);
}

Test(diag, sort_order)
{
    diags *d = diag_new(NULL);
    /* Reported in scrambled order. */
    diag_error(d, "b.md", 1, 1, "x", "b first");
    diag_error(d, "a.md", 10, 1, "x", "line ten");
    diag_error(d, "a.md", 2, 5, "x", "col five");
    diag_error(d, NULL, 0, 0, "x", "zulu config");
    diag_error(d, "a.md", 2, 1, "x", "msg b");
    diag_warning(d, "a.md", 2, 1, "x", "msg a");
    diag_error(d, NULL, 0, 0, "x", "alpha config");
    diag_error(d, "a.md", 0, 0, "x", "whole file");
    diag_error(d, "a/b.md", 1, 1, "x", "subdir");
    cr_assert_diag(d, "-:0:0: error: alpha config [x]\n"
                      "-:0:0: error: zulu config [x]\n"
                      "a.md:0:0: error: whole file [x]\n"
                      "a.md:2:1: warning: msg a [x]\n"
                      "a.md:2:1: error: msg b [x]\n"
                      "a.md:2:5: error: col five [x]\n"
                      "a.md:10:1: error: line ten [x]\n"
                      "a/b.md:1:1: error: subdir [x]\n"
                      "b.md:1:1: error: b first [x]\n");
    diag_free(d);
}

Test(diag, sort_by_id_after_message)
{
    diags *d = diag_new(NULL);
    diag_error(d, "a.md", 1, 1, "zz", "same");
    diag_error(d, "a.md", 1, 1, "aa", "same");
    cr_assert_diag(d, "a.md:1:1: error: same [aa]\n"
                      "a.md:1:1: error: same [zz]\n");
    diag_free(d);
}

#define THREADS 8
#define PER_THREAD 500

static void *report_many(void *arg)
{
    diags *d = arg;
    for (int i = 0; i < PER_THREAD; i++)
        diag_error(d, "t.md", i + 1, 1, "thread", "message %d", i);
    return NULL;
}

Test(diag, adding_is_thread_safe)
{
    diags *d = diag_new(NULL);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, report_many, d), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    cr_assert_eq(diag_count(d, DIAG_ERROR), THREADS * PER_THREAD);
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    cr_assert_eq(n, THREADS * PER_THREAD);
    diag_sort(d);
    e = diag_entries(d, &n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(e[i].file, "t.md");
        cr_assert_eq(e[i].line, (int)(i / THREADS) + 1);
    }
    diag_free(d);
}

/* ---- text rendering ---- */

static const struct {
    const char *name;
    diag_level level;
    const char *file;
    int line, col;
    const char *id;
    const char *message;
    const char *want;
} text_cases[] = {
    {"excerpt and caret", DIAG_ERROR, "src/p.md", 2, 8, "bad", "unexpected 'line'",
     "src/p.md:2:8: error: unexpected 'line' [bad]\n"
     "    2 | second line here\n"
     "      |        ^\n"},
    {"caret at column one", DIAG_WARNING, "src/p.md", 1, 1, "w", "starts here",
     "src/p.md:1:1: warning: starts here [w]\n"
     "    1 | first line\n"
     "      | ^\n"},
    {"tabs kept in the caret line", DIAG_ERROR, "src/p.md", 3, 7, "tab", "value",
     "src/p.md:3:7: error: value [tab]\n"
     "    3 | \tkey:\tvalue\n"
     "      | \t    \t^\n"},
    {"crlf stripped", DIAG_NOTE, "src/p.md", 4, 6, "n", "crlf",
     "src/p.md:4:6: note: crlf [n]\n"
     "    4 | crlf line\n"
     "      |      ^\n"},
    {"last line without newline", DIAG_ERROR, "src/p.md", 5, 6, "e", "end",
     "src/p.md:5:6: error: end [e]\n"
     "    5 | last line without newline\n"
     "      |      ^\n"},
    {"column past the end of the line", DIAG_ERROR, "src/p.md", 1, 40, "e", "far",
     "src/p.md:1:40: error: far [e]\n"
     "    1 | first line\n"
     "      |           ^\n"},
    {"line without column: excerpt, no caret", DIAG_ERROR, "src/p.md", 2, 0, "e", "whole line",
     "src/p.md:2: error: whole line [e]\n"
     "    2 | second line here\n"},
    {"no line: no excerpt", DIAG_ERROR, "src/p.md", 0, 0, "e", "whole file",
     "src/p.md: error: whole file [e]\n"},
    {"line just after the last: no excerpt", DIAG_ERROR, "src/p.md", 6, 1, "e", "after",
     "src/p.md:6:1: error: after [e]\n"},
    {"line beyond EOF: no excerpt", DIAG_ERROR, "src/p.md", 9, 3, "e", "beyond",
     "src/p.md:9:3: error: beyond [e]\n"},
    {"missing file: no excerpt", DIAG_ERROR, "src/missing.md", 2, 3, "e", "gone",
     "src/missing.md:2:3: error: gone [e]\n"},
    {"no file", DIAG_ERROR, NULL, 0, 0, "config", "no site.yml in '.'",
     "charter: error: no site.yml in '.' [config]\n"},
    {"no file, warning", DIAG_WARNING, NULL, 0, 0, "w", "careful",
     "charter: warning: careful [w]\n"},
    {"no id", DIAG_ERROR, NULL, 0, 0, "", "bare", "charter: error: bare\n"},
    /* Marks and overrides of bidirectional text reorder what follows them
     * on a terminal or in a CI log (a name "x<U+202E>gpj.exe" shows as
     * "xexe.jpg"): escaped. Other text of those scripts is kept. */
    {"bidirectional controls escaped", DIAG_ERROR, NULL, 0, 0, "e",
     "x\xe2\x80\xaey \xd8\x9c\xe2\x81\xa6 \xe2\x80\x8f \xd7\x90",
     "charter: error: x\\u202ey \\u061c\\u2066 \\u200f \xd7\x90 [e]\n"},
};

Test(diag, print_text_cases, .init = sandbox_setup, .fini = sandbox_teardown)
{
    for (size_t i = 0; i < COUNT(text_cases); i++) {
        diags *d = diag_new(sandbox);
        diag_report(d, text_cases[i].level, text_cases[i].file, text_cases[i].line,
                    text_cases[i].col, text_cases[i].id, "%s", text_cases[i].message);
        char *got = print_text(d, 0);
        cr_expect_str_eq(got, text_cases[i].want, "case '%s'", text_cases[i].name);
        free(got);
        diag_free(d);
    }
}

/* The caret under the character the column names, however wide the
 * terminal shows those before it: two columns for each CJK character
 * (HEAD~1: one, so the caret stood half way along the line). */
Test(diag, caret_under_wide_characters, .init = sandbox_setup, .fini = sandbox_teardown)
{
    char wide[256];
    snprintf(wide, sizeof wide, "%s/src/cjk.md", sandbox);
    write_file(wide, "\xe6\x83\x85\xe5\xa0\xb1 [x](y)\n");
    diags *d = diag_new(sandbox);
    diag_error(d, "src/cjk.md", 1, 4, "e", "here");
    char *got = print_text(d, 0);
    cr_expect_str_eq(got, "src/cjk.md:1:4: error: here [e]\n"
                          "    1 | \xe6\x83\x85\xe5\xa0\xb1 [x](y)\n"
                          "      |      ^\n");
    free(got);
    diag_free(d);
    unlink(wide);
}

Test(diag, print_text_sorts_and_joins, .init = sandbox_setup, .fini = sandbox_teardown)
{
    diags *d = diag_new(sandbox);
    diag_error(d, "src/p.md", 2, 1, "b", "second");
    diag_warning(d, NULL, 0, 0, "a", "first");
    expect_text(d, "charter: warning: first [a]\n"
                   "src/p.md:2:1: error: second [b]\n"
                   "    2 | second line here\n"
                   "      | ^\n");
    diag_free(d);
}

/* More files than are read ahead at once (diag.c reads them a batch at a
 * time on all cores): each entry still shows its own file's line, across
 * the batches' edges, with files that have several entries, a file that
 * cannot be read, an entry on no line and entries on no file among them. */
Test(diag, print_text_many_files_each_shows_its_own_line, .init = sandbox_setup,
     .fini = sandbox_teardown)
{
    enum { N = 700 };
    diags *d = diag_new(sandbox);
    buf want, name, path;
    buf_init(&want);
    buf_init(&name);
    buf_init(&path);
    diag_warning(d, NULL, 0, 0, "none", "no file");
    buf_adds(&want, "charter: warning: no file [none]\n");
    for (int i = 0; i < N; i++) {
        buf_reset(&name);
        buf_printf(&name, "src/f%04d.md", i);
        buf_reset(&path);
        buf_printf(&path, "%s/%s", sandbox, name.data);
        if (i % 97 != 5) {
            char text[128];
            snprintf(text, sizeof text, "line one of %d\nline two of %d\n", i, i);
            write_file(path.data, text);
        }
        if (i % 50 == 0) {
            diag_warning(d, name.data, 0, 0, "w", "whole file %d", i);
            buf_printf(&want, "%s: warning: whole file %d [w]\n", name.data, i);
        }
        diag_error(d, name.data, 1, 3, "e", "first of %d", i);
        buf_printf(&want, "%s:1:3: error: first of %d [e]\n", name.data, i);
        if (i % 97 != 5)
            buf_printf(&want, "    1 | line one of %d\n      |   ^\n", i);
        if (i % 3 == 0) {
            diag_error(d, name.data, 2, 1, "e", "second of %d", i);
            buf_printf(&want, "%s:2:1: error: second of %d [e]\n", name.data, i);
            if (i % 97 != 5)
                buf_printf(&want, "    2 | line two of %d\n      | ^\n", i);
        }
    }
    char *got = print_text(d, 0);
    cr_expect_str_eq(got, want.data);
    free(got);
    diag_free(d);
    for (int i = 0; i < N; i++) {
        buf_reset(&path);
        buf_printf(&path, "%s/src/f%04d.md", sandbox, i);
        unlink(path.data);
    }
    buf_release(&want);
    buf_release(&name);
    buf_release(&path);
}

Test(diag, print_text_absolute_file_ignores_root, .init = sandbox_setup, .fini = sandbox_teardown)
{
    diags *d = diag_new("/nonexistent-root");
    diag_error(d, src_file, 1, 3, "abs", "absolute");
    char want[512];
    snprintf(want, sizeof want,
             "%s:1:3: error: absolute [abs]\n"
             "    1 | first line\n"
             "      |   ^\n",
             src_file);
    expect_text(d, want);
    diag_free(d);
}

Test(diag, print_text_null_root_reads_from_cwd, .init = sandbox_setup, .fini = sandbox_teardown)
{
    cr_assert_eq(chdir(sandbox), 0);
    diags *d = diag_new(NULL);
    diag_error(d, "src/p.md", 2, 3, "cwd", "relative");
    expect_text(d, "src/p.md:2:3: error: relative [cwd]\n"
                   "    2 | second line here\n"
                   "      |   ^\n");
    diag_free(d);
}

/* A file of the default theme or catalogs (embed.h) is quoted from the
 * binary, whatever the site holds. */
Test(diag, print_text_embedded_file, .init = sandbox_setup, .fini = sandbox_teardown)
{
    diags *d = diag_new(sandbox);
    diag_error(d, "(embedded)/controls/soc2.yml", 9, 12, "x", "embedded");
    diag_error(d, "(embedded)/controls/none.yml", 1, 1, "x", "no such file");
    expect_text(d, "(embedded)/controls/none.yml:1:1: error: no such file [x]\n"
                   "(embedded)/controls/soc2.yml:9:12: error: embedded [x]\n"
                   "    9 | framework: soc2\n"
                   "      |            ^\n");
    diag_free(d);
}

Test(diag, print_text_color, .init = sandbox_setup, .fini = sandbox_teardown)
{
    diags *d = diag_new(sandbox);
    diag_error(d, "src/p.md", 1, 2, "c", "coloured");
    char *plain = print_text(d, 0);
    char *color = print_text(d, 1);
    cr_assert_null(strchr(plain, '\033'));
    cr_assert_not_null(strstr(color, "\033[1;31merror:\033[0m coloured [c]\n"));
    cr_assert_not_null(strstr(color, "\033[1msrc/p.md:1:2:\033[0m "));
    cr_assert_not_null(strstr(color, "    1 | first line\n"));
    free(plain);
    free(color);
    diag_free(d);
}

/* ---- names from the working directory ---- */

/* Each case runs in sandbox/<cwd> with the root given ('@': the sandbox),
 * and names the root as want says ('@': the sandbox). */
static const struct {
    const char *name, *cwd, *root, *want;
} root_cases[] = {
    {"no root", ".", NULL, "."},
    {"the cwd", ".", ".", "."},
    {"a subdirectory", ".", "src", "src"},
    {"written untidily", ".", "./src/../src//", "src"},
    {"leaving and coming back", "src", "../src", "."},
    {"above", "src", "..", ".."},
    {"a sibling", "other", "../src", "../src"},
    {"absolute, the cwd", ".", "@", "."},
    {"absolute, below", ".", "@/src/", "src"},
    {"absolute, below through '..'", ".", "@/other/../src", "src"},
    {"absolute, through a link", "src", "@/link", "."},
    {"absolute, outside", "other", "@/src", "@/src"},
    {"absolute, outside, written untidily", "other", "@//src/.", "@/src"},
};

/* pattern with a leading '@' replaced by the sandbox, into out. */
static void at_sandbox(char *out, size_t size, const char *pattern)
{
    int n = pattern[0] == '@' ? snprintf(out, size, "%s%s", sandbox, pattern + 1)
                              : snprintf(out, size, "%s", pattern);
    cr_assert(n >= 0 && (size_t)n < size);
}

Test(diag, shown_root, .init = sandbox_setup, .fini = sandbox_teardown)
{
    char other[160], link[160];
    snprintf(other, sizeof other, "%s/other", sandbox);
    snprintf(link, sizeof link, "%s/link", sandbox);
    cr_assert_eq(mkdir(other, 0777), 0);
    cr_assert_eq(symlink("src", link), 0);
    for (size_t i = 0; i < COUNT(root_cases); i++) {
        char root[256], want[256], cwd[256];
        if (root_cases[i].root)
            at_sandbox(root, sizeof root, root_cases[i].root);
        at_sandbox(want, sizeof want, root_cases[i].want);
        snprintf(cwd, sizeof cwd, "%s/%s", sandbox, root_cases[i].cwd);
        cr_assert_eq(chdir(cwd), 0);
        diags *d = diag_new(root_cases[i].root ? root : NULL);
        char *got = diag_shown_root(d);
        cr_expect_str_eq(got, want, "case '%s'", root_cases[i].name);
        free(got);
        diag_free(d);
    }
    cr_assert_eq(chdir(sandbox), 0);
    unlink(link);
    rmdir(other);
}

Test(diag, shown_file)
{
    static const struct {
        const char *root, *file, *want;
    } cases[] = {
        {".", "content/a.md", "content/a.md"},
        {"policies", "content/a.md", "policies/content/a.md"},
        {"..", "content/a.md", "../content/a.md"},
        {"/srv/site", "content/a.md", "/srv/site/content/a.md"},
        {"policies", "../shared/a.md", "shared/a.md"},
        {"policies", "/etc/tool.yml", "/etc/tool.yml"},
        {"policies", "(embedded)/controls/soc2.yml", "(embedded)/controls/soc2.yml"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        buf b;
        buf_init(&b);
        diag_shown_file(&b, cases[i].root, cases[i].file);
        cr_expect_str_eq(b.data, cases[i].want, "'%s' in '%s'", cases[i].file, cases[i].root);
        buf_release(&b);
    }
}

/* The name is the cwd's, the excerpt still read from the root. */
Test(diag, print_text_names_from_cwd, .init = sandbox_setup, .fini = sandbox_teardown)
{
    diags *d = diag_new("src");
    diag_error(d, "p.md", 2, 8, "bad", "from the cwd");
    expect_text(d, "src/p.md:2:8: error: from the cwd [bad]\n"
                   "    2 | second line here\n"
                   "      |        ^\n");
    diag_free(d);

    char src[160], other[160];
    snprintf(src, sizeof src, "%s/src", sandbox);
    snprintf(other, sizeof other, "%s/other", sandbox);
    cr_assert_eq(mkdir(other, 0777), 0);
    cr_assert_eq(chdir(other), 0);
    d = diag_new(src);
    diag_error(d, "p.md", 1, 1, "far", "outside the cwd");
    char want[512];
    snprintf(want, sizeof want,
             "%s/p.md:1:1: error: outside the cwd [far]\n"
             "    1 | first line\n"
             "      | ^\n",
             src);
    expect_text(d, want);
    diag_free(d);
    rmdir(other);
}

/* "Did you mean": a swap of two neighbours is one edit, as a typist makes
 * it; over the cap, and for candidates of 64 bytes and more, cap + 1. */
Test(diag, edit_distance_counts_swaps_and_caps)
{
    cr_assert_eq(diag_edit_distance("title", "title", 2), 0);
    cr_assert_eq(diag_edit_distance("titel", "title", 2), 1);
    cr_assert_eq(diag_edit_distance("framworks", "frameworks", 2), 1);
    cr_assert_eq(diag_edit_distance("contact", "content", 1), 2); /* capped: 1 + 1 */
    cr_assert_eq(diag_edit_distance("contact", "content", 3), 2);
    cr_assert_eq(diag_edit_distance("", "abc", 3), 3);
    cr_assert_eq(diag_edit_distance("abc", "", 3), 3);
    cr_assert_eq(diag_edit_distance("ab", "ba", 2), 1);
    cr_assert_eq(diag_edit_distance("abcdef", "x", 2), 3);
    char long_word[80];
    memset(long_word, 'a', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    cr_assert_eq(diag_edit_distance(long_word, long_word, 2), 3);
}

Test(diag, nearest_takes_the_closest_first_of_equals)
{
    static const char *const cands[] = {"sections", "required", "frameworks", "sectiona"};
    cr_assert_str_eq(diag_nearest("requried", cands, 4, 2), "required");
    cr_assert_str_eq(diag_nearest("sectionz", cands, 4, 2), "sections");
    cr_assert_null(diag_nearest("zzzzzzzz", cands, 4, 2));
    cr_assert_null(diag_nearest("x", NULL, 0, 2));
}

/* A text that is not UTF-8, or holds a NUL byte: its first bad byte
 * reported at its line and column (counted in characters, from the text's
 * first line), once, and the text given back with each bad byte made
 * U+FFFD; its first control character too, a vertical tab made a space,
 * any other U+FFFD; a valid text is left alone. */
Test(diag, check_text_reports_the_first_flaws_and_repairs)
{
    static const struct {
        const char *text;
        size_t len;
        int first_line;
        const char *diag, *clean;
    } cases[] = {
        {"caf\xC3\xA9 ok\n", 9, 1, "", NULL},
        {"a\n\xC3\xA9x\xFFy\xFE", 8, 1,
         "t.html:2:3: error: invalid UTF-8 byte 0xff [invalid-utf8]\n",
         "a\n\xC3\xA9x\xEF\xBF\xBDy\xEF\xBF\xBD"},
        {"<b>\0</b>", 8, 5, "t.html:5:4: error: NUL byte in text [invalid-utf8]\n",
         "<b>\xEF\xBF\xBD</b>"},
        /* Overlong and cut short: each byte a replacement of its own. */
        {"\xC0\xAF\xE2\x82", 4, 1, "t.html:1:1: error: invalid UTF-8 byte 0xc0 [invalid-utf8]\n",
         "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
        /* Tab, form feed and carriage return are text; other C0 controls,
         * DEL and C1 (U+0085) a warning, the first one, each a space. */
        {"a\tb\fc\r\n", 7, 1, "", NULL},
        {"Word\vline\n\x1b[1m\x7f\xC2\x85\xC2\xA0", 19, 3,
         "t.html:3:5: warning: control character U+000B in the text, published as a space (and "
         "3 more in the file) [control-character]\n",
         "Word line\n\xEF\xBF\xBD[1m\xEF\xBF\xBD\xEF\xBF\xBD\xC2\xA0"},
        {"x\x1b[0m", 5, 1,
         "t.html:1:2: warning: control character U+001B in the text, published as U+FFFD "
         "[control-character]\n",
         "x\xEF\xBF\xBD[0m"},
        /* Both kinds: each reported once, at its own first place. */
        {"\x01x\xFF\n\x02\xFE", 6, 1,
         "t.html:1:1: warning: control character U+0001 in the text, published as U+FFFD (and "
         "1 more in the file) [control-character]\n"
         "t.html:1:3: error: invalid UTF-8 byte 0xff [invalid-utf8]\n",
         "\xEF\xBF\xBDx\xEF\xBF\xBD\n\xEF\xBF\xBD\xEF\xBF\xBD"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        diags *d = diag_new(NULL);
        buf clean;
        buf_init(&clean);
        int repaired =
            diag_check_text(&clean, cases[i].text, cases[i].len, "t.html", cases[i].first_line, d);
        cr_expect_eq(repaired, cases[i].clean != NULL, "case %zu", i);
        cr_assert_diag(d, cases[i].diag);
        if (cases[i].clean)
            cr_expect_str_eq(clean.data, cases[i].clean, "case %zu", i);
        else
            cr_expect_eq(clean.len, 0, "case %zu", i);
        buf_release(&clean);
        diag_free(d);
    }
}
