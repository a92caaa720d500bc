/* test_report: the machine-readable check reports escape what their formats
 * need (GitHub workflow commands, JSON strings, JUnit XML) and agree on the
 * counts; every format names files from the working directory; the text
 * summary's plurals. Whole reports are pinned byte for byte by the
 * tests/e2e/check-format-* and check-monorepo-* fixtures. */
#include "unit.h"

#include <unistd.h>

#include "report.h"
#include "checks.h"

static diags *tricky(void)
{
    diags *d = diag_new(NULL);
    diag_error(d, "content/a,b:c.md", 3, 4, "broken-link", "100%% sure\nline two <&\"> done");
    diag_warning(d, "content/a,b:c.md", 5, 1, "orphan-page", "alone");
    diag_report(d, DIAG_NOTE, NULL, 0, 0, "config", "no file");
    return d;
}

Test(report, format_names)
{
    static const struct {
        const char *name;
        int ok;
        report_format f;
    } cases[] = {{"text", 1, REPORT_TEXT},     {"json", 1, REPORT_JSON},
                 {"github", 1, REPORT_GITHUB}, {"sarif", 1, REPORT_SARIF},
                 {"junit", 1, REPORT_JUNIT},   {"yaml", 0, REPORT_TEXT},
                 {"", 0, REPORT_TEXT},         {"JSON", 0, REPORT_TEXT}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        report_format f = REPORT_TEXT;
        cr_expect_eq(report_format_parse(&f, cases[i].name) == 0, cases[i].ok, "%s", cases[i].name);
        if (cases[i].ok)
            cr_expect_eq(f, cases[i].f, "%s", cases[i].name);
    }
}

Test(report, github_escapes_properties_and_data)
{
    diags *d = tricky();
    buf out;
    buf_init(&out);
    report_write(&out, REPORT_GITHUB, d, NULL, 0, 0);
    cr_expect_str_eq(out.data,
                     "::notice title=config::no file [config]\n"
                     "::error file=content/a%2Cb%3Ac.md,line=3,col=4,title=broken-link::100%25 "
                     "sure%0Aline two <&\"> done [broken-link]\n"
                     "::warning file=content/a%2Cb%3Ac.md,line=5,col=1,title=orphan-page::alone "
                     "[orphan-page]\n");
    buf_release(&out);
    diag_free(d);
}

Test(report, json_escapes_and_counts)
{
    diags *d = tricky();
    buf out;
    buf_init(&out);
    report_write(&out, REPORT_JSON, d, NULL, 20599, 0);
    cr_expect(strstr(out.data, "\"as_of\": \"2026-05-26\""), "%s", out.data);
    cr_expect(strstr(out.data, "\"summary\": {\"errors\": 1, \"warnings\": 1, \"notes\": 1, "
                               "\"pages\": 0}"),
              "%s", out.data);
    cr_expect(strstr(out.data, "\"message\": \"100% sure\\nline two <&\\\"> done\""), "%s",
              out.data);
    cr_expect(strstr(out.data, "\"file\": null, \"line\": 0"), "%s", out.data);
    buf_release(&out);
    diag_free(d);
}

Test(report, junit_escapes_and_fails_on_errors_or_strict_warnings)
{
    diags *d = tricky();
    buf out;
    buf_init(&out);
    report_write(&out, REPORT_JUNIT, d, NULL, 0, 0);
    cr_expect(strstr(out.data, "<failure type=\"error\" message=\"100% sure\nline two "
                               "&lt;&amp;&quot;&gt; done\">"),
              "%s", out.data);
    cr_expect(strstr(out.data, "<system-out>content/a,b:c.md:5:1: warning: alone</system-out>"),
              "%s", out.data);
    cr_expect(strstr(out.data, "failures=\"1\">"), "%s", out.data);
    buf_reset(&out);
    report_write(&out, REPORT_JUNIT, d, NULL, 0, 1);
    cr_expect(strstr(out.data, "<failure type=\"warning\" message=\"alone\">"), "%s", out.data);
    /* One page: a test case per check id; the note about no file is the
     * settings file's (a suite of the checks, and its own id's case). */
    size_t n_checks;
    checks_table(&n_checks);
    char head[96];
    snprintf(head, sizeof head, "<testsuites name=\"charter check\" tests=\"%zu\" failures=\"2\">",
             2 * n_checks + 1);
    cr_expect(strstr(out.data, head), "%s", out.data);
    cr_expect(strstr(out.data, "<testcase classname=\"site.yml\" name=\"config\">\n"
                               "      <system-out>site.yml:0:0: note: no file</system-out>"),
              "%s", out.data);
    buf_release(&out);
    diag_free(d);
}

Test(report, summary_plurals)
{
    diags *d = diag_new(NULL);
    buf out;
    buf_init(&out);
    report_summary(&out, d, NULL);
    cr_expect_str_eq(out.data, "0 errors, 0 warnings in 0 pages");
    diag_error(d, "x", 1, 1, "broken-link", "m");
    diag_warning(d, "x", 1, 1, "orphan-page", "m");
    buf_reset(&out);
    report_summary(&out, d, NULL);
    cr_expect_str_eq(out.data, "1 error, 1 warning in 0 pages");
    buf_release(&out);
    diag_free(d);
}

/* A site in policies/ of the cwd: every format says policies/content/a.md
 * where it names the file; the entries keep their own names. */
Test(report, every_format_names_files_from_the_cwd)
{
    static const struct {
        report_format f;
        const char *want;
        int times;
    } cases[] = {
        {REPORT_TEXT, "policies/content/a.md:3:4: error: gone [broken-link]\n", 1},
        {REPORT_JSON, "\"file\": \"policies/content/a.md\"", 1},
        {REPORT_GITHUB, "::error file=policies/content/a.md,line=3,col=4,", 1},
        {REPORT_SARIF, "{\"uri\": \"policies/content/a.md\", \"uriBaseId\": \"%SRCROOT%\"}", 1},
        {REPORT_JUNIT, "<testsuite name=\"policies/content/a.md\"", 1},
        {REPORT_JUNIT, "<testcase classname=\"policies/content/a.md\" name=\"broken-link\">", 1},
        {REPORT_JUNIT, ">policies/content/a.md:3:4: error: gone</failure>", 1},
    };
    diags *d = diag_new("./policies/");
    diag_error(d, "content/a.md", 3, 4, "broken-link", "gone");
    for (size_t i = 0; i < COUNT(cases); i++) {
        buf out;
        buf_init(&out);
        report_write(&out, cases[i].f, d, NULL, 0, 0);
        int times = 0;
        for (const char *p = out.data; (p = strstr(p, cases[i].want)) != NULL; p++)
            times++;
        cr_expect_eq(times, cases[i].times, "format %d: '%s' %d times in:\n%s", (int)cases[i].f,
                     cases[i].want, times, out.data);
        cr_expect_null(strstr(out.data, "\"content/a.md"), "format %d:\n%s", (int)cases[i].f,
                       out.data);
        buf_release(&out);
    }
    size_t n;
    cr_expect_str_eq(diag_entries(d, &n)[0].file, "content/a.md");
    diag_free(d);
}

/* A finding in one of charter's embedded layouts is in no file of the
 * repository: GitHub's annotation and SARIF's result are about no file
 * (SARIF's at the site's settings, which GitHub needs), their message says
 * where. The text report names it as it is. */
Test(report, an_embedded_file_is_named_in_the_message)
{
    diags *d = diag_new(NULL);
    diag_report(d, DIAG_NOTE, "(embedded)/layouts/handbook.html", 70, 1, "template-include",
                "include 'x' not loaded");
    buf out;
    buf_init(&out);
    report_write(&out, REPORT_GITHUB, d, NULL, 0, 0);
    cr_expect_str_eq(out.data, "::notice title=template-include::(embedded)/layouts/"
                               "handbook.html:70:1: include 'x' not loaded [template-include]\n");
    buf_reset(&out);
    report_write(&out, REPORT_SARIF, d, NULL, 0, 0);
    cr_expect(strstr(out.data, "\"text\": \"(embedded)/layouts/handbook.html:70:1: include 'x' "
                               "not loaded\""),
              "%s", out.data);
    cr_expect_null(strstr(out.data, "\"uri\": \"(embedded)"), "%s", out.data);
    cr_expect(strstr(out.data, "\"uri\": \"site.yml\""), "%s", out.data);
    buf_reset(&out);
    report_write(&out, REPORT_TEXT, d, NULL, 0, 0);
    cr_expect(
        strstr(out.data, "(embedded)/layouts/handbook.html:70:1: note: include 'x' not loaded"),
        "%s", out.data);
    buf_release(&out);
    diag_free(d);
}

/* A site outside the cwd is named absolute; in SARIF as a file: URI, which
 * takes no uriBaseId. */
Test(report, sarif_absolute_outside_the_cwd)
{
    cr_assert_eq(chdir("/tmp"), 0);
    diags *d = diag_new("/nonexistent-charter-site");
    diag_error(d, "content/R&D plan.md", 3, 4, "broken-link", "gone");
    buf out;
    buf_init(&out);
    report_write(&out, REPORT_SARIF, d, NULL, 0, 0);
    cr_expect(strstr(out.data, "{\"uri\": \"file:///nonexistent-charter-site/content/"
                               "R&D%20plan.md\"}"),
              "%s", out.data);
    cr_expect_null(strstr(out.data, "uriBaseId"), "%s", out.data);
    buf_reset(&out);
    report_write(&out, REPORT_GITHUB, d, NULL, 0, 0);
    cr_expect(strstr(out.data, "file=/nonexistent-charter-site/content/R&D plan.md,"), "%s",
              out.data);
    buf_release(&out);
    diag_free(d);
}
