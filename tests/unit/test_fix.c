/* test_fix: the edits of `charter fix` (fix.c): a space after a heading's
 * hashes and https:// before a link's address, at the positions findings
 * give; the review date and canonical key names in front matter, only
 * their bytes changed (comments, quotes, CRLF and a byte order mark kept),
 * in YAML, TOML or JSON;
 * overlapping and repeated edits; a second run finding nothing; and the
 * unified diff of --dry-run. */
#include "unit.h"

#include "fix.h"

static const key_alias keys[] = {{"last_reviewed", "last_updated"},
                                 {"last_reviewed", "reviewed"},
                                 {"title", "name"},
                                 {"last_reviewed", "extra.last_reviewed"},
                                 {"last_reviewed", "date.updated"}};

/* text with e applied (normalized first); caller frees. */
static char *applied(const char *text, fix_edits *e)
{
    diags *d = diag_new(NULL);
    fix_edits_normalize(e, "x.md", d);
    buf out;
    buf_init(&out);
    fix_apply(&out, text, strlen(text), e);
    diag_free(d);
    return buf_detach(&out);
}

/* ---- the body ---- */

Test(fix, heading_space)
{
    static const struct {
        const char *name, *text;
        int line, col;
        const char *want; /* NULL: no edit */
    } cases[] = {
        {"one hash", "intro\n\n#Foreword\n", 3, 1, "intro\n\n# Foreword\n"},
        {"three hashes, indented", "a\n\n  ###Scope\n", 3, 3, "a\n\n  ### Scope\n"},
        {"CRLF", "a\r\n\r\n##Scope\r\nb\r\n", 3, 1, "a\r\n\r\n## Scope\r\nb\r\n"},
        {"byte order mark on line 1", "\xEF\xBB\xBF#Top\n", 1, 1, "\xEF\xBB\xBF# Top\n"},
        {"after front matter", "---\ntitle: t\n---\n#H\n", 4, 1, "---\ntitle: t\n---\n# H\n"},
        {"a heading already", "# Fine\n", 1, 1, NULL},
        {"seven hashes", "#######x\n", 1, 1, NULL},
        {"hashes alone", "###\n", 1, 1, NULL},
        {"not a hash there", "text #x\n", 1, 1, NULL},
        {"past the end", "#x\n", 5, 1, NULL},
        {"column past the line", "#x\n", 1, 9, NULL},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        fix_edits e;
        fix_edits_init(&e);
        size_t n = fix_heading_space(&e, cases[i].text, strlen(cases[i].text), cases[i].line,
                                     cases[i].col);
        cr_expect_eq(n, cases[i].want ? 1u : 0u, "%s", cases[i].name);
        if (cases[i].want) {
            char *got = applied(cases[i].text, &e);
            cr_expect_str_eq(got, cases[i].want, "%s", cases[i].name);
            free(got);
        }
        fix_edits_release(&e);
    }
}

Test(fix, link_scheme)
{
    static const struct {
        const char *name, *text;
        int line, col;
        const char *url, *want;
    } cases[] = {
        {"inline", "See [the site](www.example.com/a).\n", 1, 5, "www.example.com/a",
         "See [the site](https://www.example.com/a).\n"},
        {"with a title", "[x](www.example.com \"t\")\n", 1, 1, "www.example.com",
         "[x](https://www.example.com \"t\")\n"},
        {"in angle brackets", "[x](<www.example.com>)\n", 1, 1, "www.example.com",
         "[x](<https://www.example.com>)\n"},
        {"the second of a line", "[a](www.a.com) [b](www.b.com)\n", 1, 16, "www.b.com",
         "[a](www.a.com) [b](https://www.b.com)\n"},
        {"the text over two lines", "[a\r\nb](www.example.com)\r\n", 1, 1, "www.example.com",
         "[a\r\nb](https://www.example.com)\r\n"},
        {"an image", "![logo](www.example.com/l.png)\n", 1, 1, "www.example.com/l.png",
         "![logo](https://www.example.com/l.png)\n"},
        {"a column in characters", "é [x](www.e.com)\n", 1, 3, "www.e.com",
         "é [x](https://www.e.com)\n"},
        {"a reference definition is left", "[x][r]\n\n[r]: www.example.com\n", 1, 1,
         "www.example.com", NULL},
        {"escaped as written", "[x](www.exa\\mple.com)\n", 1, 1, "www.example.com", NULL},
        {"a longer address is another", "[x](www.example.com.au)\n", 1, 1, "www.example.com", NULL},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        fix_edits e;
        fix_edits_init(&e);
        size_t n = fix_link_scheme(&e, cases[i].text, strlen(cases[i].text), cases[i].line,
                                   cases[i].col, cases[i].url);
        cr_expect_eq(n, cases[i].want ? 1u : 0u, "%s", cases[i].name);
        if (cases[i].want) {
            char *got = applied(cases[i].text, &e);
            cr_expect_str_eq(got, cases[i].want, "%s", cases[i].name);
            free(got);
        }
        fix_edits_release(&e);
    }
}

/* ---- the review date ---- */

static const struct {
    const char *name, *text, *want;
} review_cases[] = {
    {"plain, its comment kept",
     "---\ntitle: t\nlast_reviewed: 2025-01-02 # by Ops\nowner: o\n---\nx\n",
     "---\ntitle: t\nlast_reviewed: 2026-03-04 # by Ops\nowner: o\n---\nx\n"},
    {"double quotes kept", "---\nlast_reviewed: \"2025-01-02\"\n---\n",
     "---\nlast_reviewed: \"2026-03-04\"\n---\n"},
    {"single quotes kept", "---\nlast_reviewed:   '2025-01-02'  # q\n---\n",
     "---\nlast_reviewed:   '2026-03-04'  # q\n---\n"},
    {"CRLF and a byte order mark",
     "\xEF\xBB\xBF---\r\ntitle: t\r\nlast_reviewed: 2025-01-02\r\n---\r\nbody\r\n",
     "\xEF\xBB\xBF---\r\ntitle: t\r\nlast_reviewed: 2026-03-04\r\n---\r\nbody\r\n"},
    {"a month-name date becomes YYYY-MM-DD", "---\nlast_reviewed: June 1, 2018\n---\n",
     "---\nlast_reviewed: 2026-03-04\n---\n"},
    {"empty: after the colon", "---\nlast_reviewed:\nowner: o\n---\n",
     "---\nlast_reviewed: 2026-03-04\nowner: o\n---\n"},
    {"empty with a comment", "---\nlast_reviewed:   # when?\n---\n",
     "---\nlast_reviewed: 2026-03-04   # when?\n---\n"},
    {"null", "---\nlast_reviewed: ~\n---\n", "---\nlast_reviewed: 2026-03-04\n---\n"},
    {"through an alias", "---\nlast_updated: 2025-01-02 # x\n---\n",
     "---\nlast_updated: 2026-03-04 # x\n---\n"},
    {"the page's own key wins", "---\nreviewed: 2020-01-01\nlast_reviewed: 2025-01-02\n---\n",
     "---\nreviewed: 2020-01-01\nlast_reviewed: 2026-03-04\n---\n"},
    {"a quoted key", "---\n\"last_reviewed\": 2025-01-02\n---\n",
     "---\n\"last_reviewed\": 2026-03-04\n---\n"},
    {"missing: the last line", "---\ntitle: t\n# end\n---\nbody\n",
     "---\ntitle: t\n# end\nlast_reviewed: 2026-03-04\n---\nbody\n"},
    {"missing, CRLF", "---\r\ntitle: t\r\n---\r\n",
     "---\r\ntitle: t\r\nlast_reviewed: 2026-03-04\r\n---\r\n"},
    {"no front matter", "\xEF\xBB\xBF# Title\n",
     "\xEF\xBB\xBF---\nlast_reviewed: 2026-03-04\n---\n# Title\n"},
    {"already the date", "---\nlast_reviewed: 2026-03-04\n---\n",
     "---\nlast_reviewed: 2026-03-04\n---\n"},
    /* Hugo's TOML and JSON front matter, in their own syntax (a YAML
     * line there broke the page). */
    {"toml, missing", "+++\ntitle = \"t\"\n+++\nx\n",
     "+++\ntitle = \"t\"\nlast_reviewed = 2026-03-04\n+++\nx\n"},
    {"toml, a date", "+++\nlast_reviewed = 2025-01-01 # q1\n+++\n",
     "+++\nlast_reviewed = 2026-03-04 # q1\n+++\n"},
    {"json, missing", "{\n  \"title\": \"t\"\n}\nx\n",
     "{\n  \"last_reviewed\": \"2026-03-04\",\n  \"title\": \"t\"\n}\nx\n"},
    {"json, missing, CRLF and BOM", "\xEF\xBB\xBF{\r\n\"title\": \"t\"\r\n}\r\n",
     "\xEF\xBB\xBF{\r\n  \"last_reviewed\": \"2026-03-04\",\r\n\"title\": \"t\"\r\n}\r\n"},
    {"json, empty", "{}\nx\n", "{\n  \"last_reviewed\": \"2026-03-04\"}\nx\n"},
    {"json, a date", "{\"last_reviewed\": \"2025-01-01\", \"a\": 1}\n",
     "{\"last_reviewed\": \"2026-03-04\", \"a\": 1}\n"},
    /* A dotted alias: the value in its table (Zola's [extra], MkDocs
     * Material's date.updated), not a second key beside it (HEAD~1: a
     * duplicate key inside [extra], or a new top-level key). */
    {"toml, a table's key", "+++\ntitle = \"t\"\n[extra]\nlast_reviewed = 2025-01-01\n+++\n",
     "+++\ntitle = \"t\"\n[extra]\nlast_reviewed = 2026-03-04\n+++\n"},
    {"yaml, a mapping's key", "---\ndate:\n  created: 2024-01-01\n  updated: 2025-01-01\n---\n",
     "---\ndate:\n  created: 2024-01-01\n  updated: 2026-03-04\n---\n"},
    /* Missing, in TOML that ends in a table: before the table (HEAD~1:
     * inside it, where it is the table's key, not the page's). */
    {"toml, missing, a table last", "+++\ntitle = \"t\"\n[params]\nicon = \"x\"\n+++\n",
     "+++\ntitle = \"t\"\nlast_reviewed = 2026-03-04\n[params]\nicon = \"x\"\n+++\n"},
};

Test(fix, review_date)
{
    for (size_t i = 0; i < COUNT(review_cases); i++) {
        const char *t = review_cases[i].text;
        fix_edits e;
        fix_edits_init(&e);
        diags *d = diag_new(NULL);
        long n =
            fix_review_date(&e, t, strlen(t), "x.md", NULL, keys, COUNT(keys), "2026-03-04", d);
        cr_expect_geq(n, 0, "%s", review_cases[i].name);
        cr_expect_eq(diag_count(d, DIAG_ERROR) + diag_count(d, DIAG_WARNING), 0u, "%s",
                     review_cases[i].name);
        char *got = applied(t, &e);
        cr_expect_str_eq(got, review_cases[i].want, "%s", review_cases[i].name);
        /* A second run has nothing to do. */
        fix_edits again;
        fix_edits_init(&again);
        cr_expect_eq(fix_review_date(&again, got, strlen(got), "x.md", NULL, keys, COUNT(keys),
                                     "2026-03-04", d),
                     0, "%s: again", review_cases[i].name);
        fix_edits_release(&again);
        free(got);
        fix_edits_release(&e);
        diag_free(d);
    }
}

Test(fix, review_date_refused)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"---\nlast_reviewed: [2025-01-02]\n---\n",
         "x.md:2:1: error: cannot set 'last_reviewed': its value is not one date on its line; "
         "set it by hand [fix]\n"},
        {"---\nlast_reviewed: |\n  2025-01-02\n---\n",
         "x.md:2:1: error: cannot set 'last_reviewed': its value is not one date on its line; "
         "set it by hand [fix]\n"},
        {"---\ntitle: [\n---\n", NULL},
        /* A lone CR is a line break to YAML, so the `...` after it ends the
         * document: a key added below it would not read (found by
         * fuzz_fix; HEAD~1 wrote it, and the page no longer built). */
        {"---\nowner: x\r...\n---\nBody.\n",
         "x.md:1:1: error: cannot set the review date: the front matter would not read as "
         "before with it; set 'last_reviewed' by hand [fix]\n"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        fix_edits e;
        fix_edits_init(&e);
        diags *d = diag_new(NULL);
        cr_expect_eq(fix_review_date(&e, cases[i].text, strlen(cases[i].text), "x.md", NULL, keys,
                                     COUNT(keys), "2026-03-04", d),
                     -1, "case %zu", i);
        cr_expect_eq(e.n, 0u, "case %zu", i);
        char *msg = unit_diag_text(d);
        if (cases[i].want)
            cr_expect_str_eq(msg, cases[i].want);
        else
            cr_expect(strstr(msg, "[yaml-syntax]"), "case %zu: %s", i, msg);
        free(msg);
        fix_edits_release(&e);
        diag_free(d);
    }
}

/* ---- canonical keys ---- */

Test(fix, canonical_keys)
{
    static const struct {
        const char *name, *text, *want;
    } cases[] = {
        {"value and comment kept",
         "---\n# The page\nname: \"Access\"   # kept\nlast_updated: 2025-01-02 # by Ops\n---\n",
         "---\n# The page\ntitle: \"Access\"   # kept\nlast_reviewed: 2025-01-02 # by Ops\n---\n"},
        {"CRLF", "---\r\nreviewed: 2025-01-02\r\n---\r\n",
         "---\r\nlast_reviewed: 2025-01-02\r\n---\r\n"},
        {"a quoted key keeps its quotes", "---\n'name' : x\n---\n", "---\n'title' : x\n---\n"},
        {"nested keys are not front matter keys", "---\nmeta:\n  name: x\n---\n",
         "---\nmeta:\n  name: x\n---\n"},
        {"canonical already", "---\ntitle: x\n---\n", "---\ntitle: x\n---\n"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        fix_edits e;
        fix_edits_init(&e);
        diags *d = diag_new(NULL);
        cr_expect_geq(fix_canonical_keys(&e, cases[i].text, strlen(cases[i].text), "x.md", NULL,
                                         keys, COUNT(keys), d),
                      0, "%s", cases[i].name);
        char *got = applied(cases[i].text, &e);
        cr_expect_str_eq(got, cases[i].want, "%s", cases[i].name);
        fix_edits again;
        fix_edits_init(&again);
        cr_expect_eq(
            fix_canonical_keys(&again, got, strlen(got), "x.md", NULL, keys, COUNT(keys), d), 0,
            "%s: again", cases[i].name);
        cr_expect_eq(diag_count(d, DIAG_WARNING), 0u, "%s", cases[i].name);
        fix_edits_release(&again);
        free(got);
        fix_edits_release(&e);
        diag_free(d);
    }
}

Test(fix, canonical_key_beside_its_alias)
{
    const char *t = "---\ntitle: T\nname: N\n---\n";
    fix_edits e;
    fix_edits_init(&e);
    diags *d = diag_new(NULL);
    cr_expect_eq(fix_canonical_keys(&e, t, strlen(t), "x.md", NULL, keys, COUNT(keys), d), 0);
    cr_expect_eq(e.n, 0u);
    char *msg = unit_diag_text(d);
    cr_expect_str_eq(msg, "x.md:3:1: warning: 'name' is left as it is: the page also sets "
                          "'title', which wins [fix]\n");
    free(msg);
    fix_edits_release(&e);
    diag_free(d);
}

/* ---- several edits of one file ---- */

Test(fix, overlapping_and_repeated)
{
    const char *t = "0123456789";
    fix_edits e;
    fix_edits_init(&e);
    fix_edits_add(&e, 8, 8, "+", 1, "b", 1);
    fix_edits_add(&e, 2, 5, "abc", 3, "a", 1);
    fix_edits_add(&e, 8, 8, "+", 1, "b", 1); /* the same link reported twice */
    fix_edits_add(&e, 4, 6, "X", 1, "c", 1); /* overlaps 2..5 */
    fix_edits_add(&e, 8, 8, "-", 1, "d", 1); /* a second insertion at 8 */
    fix_edits_add(&e, 5, 5, "|", 1, "e", 1); /* at the end of 2..5: after it */
    diags *d = diag_new(NULL);
    cr_expect_eq(fix_edits_normalize(&e, "x.md", d), 3u);
    buf out;
    buf_init(&out);
    fix_apply(&out, t, strlen(t), &e);
    cr_expect_str_eq(out.data, "01abc|567+89");
    char *msg = unit_diag_text(d);
    cr_expect_str_eq(msg, "x.md:1:0: warning: the c fix overlaps the a fix before it and is left "
                          "out; run charter fix again [fix]\n"
                          "x.md:1:0: warning: the d fix overlaps the b fix before it and is left "
                          "out; run charter fix again [fix]\n");
    free(msg);
    buf_release(&out);
    fix_edits_release(&e);
    diag_free(d);
}

Test(fix, a_page_fixed_twice_is_unchanged)
{
    const char *t = "\xEF\xBB\xBF---\r\nname: P # c\r\nreviewed: '2020-01-01'\r\n---\r\n\r\n"
                    "#Purpose\r\nSee [x](www.example.com).\r\n";
    fix_edits e;
    fix_edits_init(&e);
    diags *d = diag_new(NULL);
    fix_heading_space(&e, t, strlen(t), 6, 1);
    fix_link_scheme(&e, t, strlen(t), 7, 5, "www.example.com");
    fix_review_date(&e, t, strlen(t), "x.md", NULL, keys, COUNT(keys), "2026-03-04", d);
    fix_canonical_keys(&e, t, strlen(t), "x.md", NULL, keys, COUNT(keys), d);
    cr_expect_eq(e.n, 5u);
    char *once = applied(t, &e);
    cr_expect_str_eq(once, "\xEF\xBB\xBF---\r\ntitle: P # c\r\nlast_reviewed: '2026-03-04'\r\n"
                           "---\r\n\r\n# Purpose\r\nSee [x](https://www.example.com).\r\n");
    fix_edits again;
    fix_edits_init(&again);
    fix_heading_space(&again, once, strlen(once), 6, 1);
    fix_link_scheme(&again, once, strlen(once), 7, 5, "www.example.com");
    fix_review_date(&again, once, strlen(once), "x.md", NULL, keys, COUNT(keys), "2026-03-04", d);
    fix_canonical_keys(&again, once, strlen(once), "x.md", NULL, keys, COUNT(keys), d);
    cr_expect_eq(again.n, 0u);
    cr_expect_eq(diag_count(d, DIAG_ERROR) + diag_count(d, DIAG_WARNING), 0u);
    free(once);
    fix_edits_release(&again);
    fix_edits_release(&e);
    diag_free(d);
}

/* ---- the diff ---- */

static char *diff_of(const char *text, fix_edits *e)
{
    diags *d = diag_new(NULL);
    fix_edits_normalize(e, "x.md", d);
    buf out;
    buf_init(&out);
    fix_diff(&out, "content/x.md", text, strlen(text), e);
    diag_free(d);
    return buf_detach(&out);
}

Test(fix, diff)
{
    const char *t = "1\n2\n3\n4\n#5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n#15\n16\n#17";
    fix_edits e;
    fix_edits_init(&e);
    fix_heading_space(&e, t, strlen(t), 5, 1);
    char *got = diff_of(t, &e);
    cr_expect_str_eq(got, "--- a/content/x.md\n+++ b/content/x.md\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n"
                          "-#5\n+# 5\n 6\n 7\n 8\n");
    free(got);
    /* Two changes 10 lines apart: two hunks; two 2 lines apart: one. */
    fix_heading_space(&e, t, strlen(t), 15, 1);
    fix_heading_space(&e, t, strlen(t), 17, 1);
    got = diff_of(t, &e);
    cr_expect_str_eq(got, "--- a/content/x.md\n+++ b/content/x.md\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n"
                          "-#5\n+# 5\n 6\n 7\n 8\n"
                          "@@ -12,6 +12,6 @@\n 12\n 13\n 14\n-#15\n+# 15\n 16\n-#17\n"
                          "\\ No newline at end of file\n+# 17\n\\ No newline at end of file\n");
    free(got);
    fix_edits_release(&e);
}

Test(fix, diff_of_inserted_lines)
{
    const char *t = "---\r\ntitle: t\r\n---\r\nbody\r\n";
    fix_edits e;
    fix_edits_init(&e);
    diags *d = diag_new(NULL);
    fix_review_date(&e, t, strlen(t), "x.md", NULL, NULL, 0, "2026-03-04", d);
    char *got = diff_of(t, &e);
    cr_expect_str_eq(got, "--- a/content/x.md\n+++ b/content/x.md\n@@ -1,4 +1,5 @@\n ---\r\n"
                          " title: t\r\n+last_reviewed: 2026-03-04\r\n ---\r\n body\r\n");
    free(got);
    fix_edits_release(&e);
    /* A file that was empty gains a front matter. */
    fix_edits_init(&e);
    fix_review_date(&e, "", 0, "x.md", NULL, NULL, 0, "2026-03-04", d);
    got = diff_of("", &e);
    cr_expect_str_eq(got, "--- a/content/x.md\n+++ b/content/x.md\n@@ -0,0 +1,3 @@\n+---\n"
                          "+last_reviewed: 2026-03-04\n+---\n");
    free(got);
    fix_edits_release(&e);
    /* No edits, no diff. */
    got = diff_of(t, &e);
    cr_expect_str_eq(got, "");
    free(got);
    diag_free(d);
}
