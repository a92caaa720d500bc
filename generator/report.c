/* report: renders the diagnostics sink as a check report. Every format is
 * built in one buf from the sorted entries; the check table (checks.c)
 * supplies SARIF rules and the JUnit test cases. */
#include "report.h"

#include "checks.h"

#include <string.h>

int report_format_parse(report_format *out, const char *name)
{
    static const char *const names[] = {"text", "json", "github", "sarif", "junit"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, names[i])) {
            *out = (report_format)i;
            return 0;
        }
    return -1;
}

static const char *level_name(diag_level l)
{
    return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

static size_t page_count(const site *s)
{
    size_t n = 0;
    for (size_t i = 0; s && i < s->n_pages; i++)
        n += s->pages[i]->published;
    return n;
}

void report_summary(buf *out, diags *d, const site *s)
{
    size_t e = diag_count(d, DIAG_ERROR), w = diag_count(d, DIAG_WARNING), p = page_count(s);
    buf_printf(out, "%zu error%s, %zu warning%s in %zu page%s", e, e == 1 ? "" : "s", w,
               w == 1 ? "" : "s", p, p == 1 ? "" : "s");
}

static void json_str(buf *out, const char *s)
{
    buf_add_json(out, s ? s : "", s ? strlen(s) : 0);
}

/* --- json --------------------------------------------------------------------- */

static void write_json(buf *out, diags *d, const site *s, long as_of)
{
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    char day[16];
    date_format(day, as_of);
    buf_printf(out, "{\n  \"schema\": \"charter/check@1\",\n  \"as_of\": \"%s\",\n", day);
    buf_printf(out,
               "  \"summary\": {\"errors\": %zu, \"warnings\": %zu, \"notes\": %zu, \"pages\": "
               "%zu},\n  \"findings\": [",
               diag_count(d, DIAG_ERROR), diag_count(d, DIAG_WARNING), diag_count(d, DIAG_NOTE),
               page_count(s));
    for (size_t i = 0; i < n; i++) {
        buf_adds(out, i ? ",\n    {" : "\n    {");
        buf_adds(out, "\"check\": ");
        json_str(out, e[i].id);
        buf_printf(out, ", \"severity\": \"%s\", \"file\": ", level_name(e[i].level));
        if (e[i].file)
            json_str(out, e[i].file);
        else
            buf_adds(out, "null");
        buf_printf(out, ", \"line\": %d, \"column\": %d, \"message\": ", e[i].line, e[i].col);
        json_str(out, e[i].message);
        buf_addc(out, '}');
    }
    buf_adds(out, n ? "\n  ]\n}\n" : "]\n}\n");
}

/* --- github ------------------------------------------------------------------- */

/* Workflow command escaping: data escapes % CR LF; properties also : and ,. */
static void gh_escape(buf *out, const char *s, int property)
{
    for (; s && *s; s++) {
        if (*s == '%')
            buf_adds(out, "%25");
        else if (*s == '\r')
            buf_adds(out, "%0D");
        else if (*s == '\n')
            buf_adds(out, "%0A");
        else if (property && *s == ':')
            buf_adds(out, "%3A");
        else if (property && *s == ',')
            buf_adds(out, "%2C");
        else
            buf_addc(out, *s);
    }
}

static void write_github(buf *out, diags *d)
{
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    for (size_t i = 0; i < n; i++) {
        buf_printf(out, "::%s ",
                   e[i].level == DIAG_ERROR     ? "error"
                   : e[i].level == DIAG_WARNING ? "warning"
                                                : "notice");
        if (e[i].file) {
            buf_adds(out, "file=");
            gh_escape(out, e[i].file, 1);
            if (e[i].line)
                buf_printf(out, ",line=%d", e[i].line);
            if (e[i].col)
                buf_printf(out, ",col=%d", e[i].col);
            buf_addc(out, ',');
        }
        buf_adds(out, "title=");
        gh_escape(out, e[i].id, 1);
        buf_adds(out, "::");
        gh_escape(out, e[i].message, 0);
        buf_printf(out, " [%s]\n", e[i].id);
    }
}

/* --- sarif -------------------------------------------------------------------- */

static void write_sarif(buf *out, diags *d)
{
    size_t nt, n;
    const check_info *t = checks_table(&nt);
    const diag_entry *e = diag_entries(d, &n);
    buf_adds(out, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
                  "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n"
                  "        \"driver\": {\n          \"name\": \"charter\",\n");
    buf_printf(out, "          \"version\": \"%s\",\n", CHARTER_VERSION);
    buf_adds(out, "          \"informationUri\": \"https://github.com/charter-policy/charter\",\n"
                  "          \"rules\": [");
    for (size_t i = 0; i < nt; i++) {
        buf_adds(out, i ? ",\n            {" : "\n            {");
        buf_adds(out, "\"id\": ");
        json_str(out, t[i].id);
        buf_adds(out, ", \"shortDescription\": {\"text\": ");
        json_str(out, t[i].summary);
        buf_adds(out, "}, \"fullDescription\": {\"text\": ");
        json_str(out, t[i].summary);
        buf_adds(out, "}, \"help\": {\"text\": ");
        json_str(out, t[i].help);
        buf_printf(out, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}",
                   level_name(t[i].level));
    }
    buf_adds(out, "\n          ]\n        }\n      },\n      \"results\": [");
    for (size_t i = 0; i < n; i++) {
        buf_adds(out, i ? ",\n        {" : "\n        {");
        buf_adds(out, "\"ruleId\": ");
        json_str(out, e[i].id);
        for (size_t k = 0; k < nt; k++)
            if (!strcmp(t[k].id, e[i].id))
                buf_printf(out, ", \"ruleIndex\": %zu", k);
        buf_printf(out, ", \"level\": \"%s\", \"message\": {\"text\": ", level_name(e[i].level));
        json_str(out, e[i].message);
        buf_addc(out, '}');
        if (e[i].file) {
            buf_adds(out, ", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": "
                          "{\"uri\": ");
            json_str(out, e[i].file);
            buf_addc(out, '}');
            if (e[i].line > 0) {
                buf_printf(out, ", \"region\": {\"startLine\": %d", e[i].line);
                if (e[i].col > 0)
                    buf_printf(out, ", \"startColumn\": %d", e[i].col);
                buf_addc(out, '}');
            }
            buf_adds(out, "}}]");
        }
        buf_addc(out, '}');
    }
    buf_adds(out, n ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n");
}

/* --- junit -------------------------------------------------------------------- */

static void xml_text(buf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            buf_adds(out, "&amp;");
            break;
        case '<':
            buf_adds(out, "&lt;");
            break;
        case '>':
            buf_adds(out, "&gt;");
            break;
        case '"':
            buf_adds(out, "&quot;");
            break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                buf_addc(out, ' ');
            else
                buf_addc(out, *s);
        }
    }
}

/* One testsuite per file (every page, and any other file with findings), one
 * testcase per check that applies to it; a failure per failing finding. */
static void junit_suite(buf *out, const char *file, const diag_entry *e, size_t n,
                        const check_info *t, size_t nt, int strict, size_t *tests, size_t *fails)
{
    buf body;
    buf_init(&body);
    size_t st = 0, sf = 0;
    for (size_t k = 0; k < nt; k++) {
        size_t first = n;
        int failed = 0;
        for (size_t i = 0; i < n; i++)
            if (e[i].file && !strcmp(e[i].file, file) && !strcmp(e[i].id, t[k].id)) {
                if (first == n)
                    first = i;
                if (e[i].level == DIAG_ERROR || (strict && e[i].level == DIAG_WARNING))
                    failed = 1;
            }
        st++;
        buf_adds(&body, "    <testcase classname=\"");
        xml_text(&body, file);
        buf_printf(&body, "\" name=\"%s\"", t[k].id);
        if (first == n) {
            buf_adds(&body, "/>\n");
            continue;
        }
        buf_adds(&body, ">\n");
        for (size_t i = first; i < n; i++) {
            if (!e[i].file || strcmp(e[i].file, file) || strcmp(e[i].id, t[k].id))
                continue;
            int is_fail = e[i].level == DIAG_ERROR || (strict && e[i].level == DIAG_WARNING);
            if (is_fail) {
                buf_adds(&body, "      <failure type=\"");
                buf_adds(&body, level_name(e[i].level));
                buf_adds(&body, "\" message=\"");
                xml_text(&body, e[i].message);
                buf_adds(&body, "\">");
            } else {
                buf_adds(&body, "      <system-out>");
            }
            buf_printf(&body, "%s:%d:%d: %s: ", file, e[i].line, e[i].col, level_name(e[i].level));
            xml_text(&body, e[i].message);
            buf_adds(&body, is_fail ? "</failure>\n" : "</system-out>\n");
        }
        buf_adds(&body, "    </testcase>\n");
        sf += failed;
    }
    buf_adds(out, "  <testsuite name=\"");
    xml_text(out, file);
    buf_printf(out, "\" tests=\"%zu\" failures=\"%zu\">\n", st, sf);
    buf_add(out, body.data, body.len);
    buf_adds(out, "  </testsuite>\n");
    buf_release(&body);
    *tests += st;
    *fails += sf;
}

static void write_junit(buf *out, diags *d, const site *s, int strict)
{
    size_t nt, n;
    const check_info *t = checks_table(&nt);
    const diag_entry *e = diag_entries(d, &n);
    buf suites;
    buf_init(&suites);
    size_t tests = 0, fails = 0;
    for (size_t i = 0; s && i < s->n_pages; i++)
        junit_suite(&suites, s->pages[i]->src, e, n, t, nt, strict, &tests, &fails);
    /* Files that are not pages (site.yml, catalogs), in sorted order, once. */
    for (size_t i = 0; i < n; i++) {
        if (!e[i].file || (i && e[i - 1].file && !strcmp(e[i - 1].file, e[i].file)))
            continue;
        int is_page = 0;
        for (size_t j = 0; s && j < s->n_pages && !is_page; j++)
            is_page = !strcmp(s->pages[j]->src, e[i].file);
        if (!is_page)
            junit_suite(&suites, e[i].file, e, n, t, nt, strict, &tests, &fails);
    }
    buf_printf(out,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"charter check\" "
               "tests=\"%zu\" failures=\"%zu\">\n",
               tests, fails);
    buf_add(out, suites.data, suites.len);
    buf_adds(out, "</testsuites>\n");
    buf_release(&suites);
}

void report_write(buf *out, report_format f, diags *d, const site *s, long as_of, int strict)
{
    diag_sort(d);
    switch (f) {
    case REPORT_TEXT:
        break; /* printed by diag_print_text, with source lines */
    case REPORT_JSON:
        write_json(out, d, s, as_of);
        break;
    case REPORT_GITHUB:
        write_github(out, d);
        break;
    case REPORT_SARIF:
        write_sarif(out, d);
        break;
    case REPORT_JUNIT:
        write_junit(out, d, s, strict);
        break;
    }
}
