/* report: renders the diagnostics sink as a check report. Every format is
 * built in one buf from the sorted entries, each file named from the working
 * directory (diag_shown_file); the check table (checks.c) supplies SARIF
 * rules and the JUnit test cases. */
#include "report.h"

#include "checks.h"
#include "json.h"
#include "map.h"
#include "paths.h"
#include "xml.h"

#include <stdlib.h>
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

/* The rules a report names: the check table, then the other ids its
 * findings carry (docs/checks.md, "Other errors": config, io, history...),
 * each once, in the order they first appear, so that every finding has
 * its rule (GitHub's code scanning, a JUnit test case). by_id maps an id to
 * its entry (rule index = entry - t), so a finding finds it without a scan. */
typedef struct rules {
    check_info *t; /* owned array; ids and texts borrowed */
    size_t n, n_checks;
    map *by_id;
} rules;

static const char *other_summary(const char *id)
{
    static const char *const known[][2] = {
        {"config", "the site's settings cannot be read"},
        {"catalog", "a control catalog is not a list of controls"},
        {"oscal", "an OSCAL file is not a catalog or profile charter reads"},
        {"crosswalk", "a crosswalk is malformed or names an unknown control"},
        {"io", "a file cannot be read or written"},
        {"markdown", "a page's Markdown could not be rendered"},
        {"output", "the output directory will not be replaced"},
        {"history", "the pages' history cannot be read from git in full"},
    };
    for (size_t k = 0; k < sizeof known / sizeof *known; k++)
        if (!strcmp(id, known[k][0]))
            return known[k][1];
    return "charter's finding outside the checks";
}

static void rules_init(rules *r, const diag_entry *e, size_t n)
{
    size_t nt;
    const check_info *t = checks_table(&nt);
    r->t = xcalloc(nt + n + 1, sizeof *r->t);
    memcpy(r->t, t, nt * sizeof *t);
    r->n = r->n_checks = nt;
    r->by_id = map_new();
    for (size_t k = 0; k < nt; k++)
        map_put(r->by_id, r->t[k].id, &r->t[k]);
    for (size_t i = 0; i < n; i++) {
        void **slot = map_ref(r->by_id, e[i].id);
        if (*slot)
            continue;
        const char *summary = other_summary(e[i].id);
        r->t[r->n] = (check_info){e[i].id, e[i].level, 0, summary,
                                  "Not a check: see docs/checks.md, \"Other errors\"."};
        *slot = &r->t[r->n++];
    }
}

static void rules_release(rules *r)
{
    map_free(r->by_id);
    free(r->t);
}

/* "key": {"inner": value}, the shape of SARIF's message objects. */
static void wrapped_str(json_writer *w, const char *key, const char *inner, const char *value)
{
    json_key(w, key);
    json_begin_object(w, JSON_LINE);
    json_member_str(w, inner, value);
    json_end(w);
}

/* --- json --------------------------------------------------------------------- */

static void write_json(buf *out, diags *d, const site *s, long as_of, const char *root)
{
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    buf name;
    buf_init(&name);
    char day[16];
    date_format(day, as_of);
    json_writer w;
    json_writer_init(&w, out, 0);
    json_begin_object(&w, JSON_BLOCK);
    json_member_str(&w, "schema", "charter/check@1");
    json_member_str(&w, "as_of", day);
    json_key(&w, "summary");
    json_begin_object(&w, JSON_LINE);
    json_member_int(&w, "errors", (long long)diag_count(d, DIAG_ERROR));
    json_member_int(&w, "warnings", (long long)diag_count(d, DIAG_WARNING));
    json_member_int(&w, "notes", (long long)diag_count(d, DIAG_NOTE));
    json_member_int(&w, "pages", (long long)page_count(s));
    json_end(&w);
    json_key(&w, "findings");
    json_begin_array(&w, JSON_BLOCK);
    for (size_t i = 0; i < n; i++) {
        json_begin_object(&w, JSON_LINE);
        json_member_str(&w, "check", e[i].id);
        json_member_str(&w, "severity", level_name(e[i].level));
        buf_reset(&name);
        if (e[i].file)
            diag_shown_file(&name, root, e[i].file);
        json_member_str(&w, "file", e[i].file ? name.data : NULL);
        json_member_int(&w, "line", e[i].line);
        json_member_int(&w, "column", e[i].col);
        json_member_str(&w, "message", e[i].message);
        json_end(&w);
    }
    json_end(&w);
    json_end(&w);
    buf_addc(out, '\n');
    json_writer_release(&w);
    buf_release(&name);
}

/* --- github ------------------------------------------------------------------- */

/* Workflow command escaping: data escapes % CR LF; properties also : and ,.
 * The runner prints the result in its log, so other control characters are
 * then made visible (diag_term_safe) rather than passed to a terminal. */
static void gh_escape_raw(buf *out, const char *s, int property);

static void gh_escape(buf *out, const char *s, int property)
{
    buf raw;
    buf_init(&raw);
    gh_escape_raw(&raw, s, property);
    diag_term_safe(out, raw.data, raw.len);
    buf_release(&raw);
}

static void gh_escape_raw(buf *out, const char *s, int property)
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

/* A finding in one of charter's embedded files (diag_file_embedded) is in
 * no file of the repository: the formats that attach findings to files
 * (GitHub's annotations, SARIF) take it as about no file, and its message
 * says where it is. Appends that message to out. */
static void message_placed(buf *out, const diag_entry *e)
{
    if (diag_file_embedded(e->file)) {
        buf_adds(out, e->file);
        if (e->line)
            buf_printf(out, ":%d", e->line);
        if (e->line && e->col)
            buf_printf(out, ":%d", e->col);
        buf_adds(out, ": ");
    }
    buf_adds(out, e->message);
}

static void write_github(buf *out, diags *d, const char *root)
{
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    buf name;
    buf_init(&name);
    for (size_t i = 0; i < n; i++) {
        buf_printf(out, "::%s ",
                   e[i].level == DIAG_ERROR     ? "error"
                   : e[i].level == DIAG_WARNING ? "warning"
                                                : "notice");
        if (e[i].file && !diag_file_embedded(e[i].file)) {
            buf_reset(&name);
            diag_shown_file(&name, root, e[i].file);
            buf_adds(out, "file=");
            gh_escape(out, name.data, 1);
            if (e[i].line)
                buf_printf(out, ",line=%d", e[i].line);
            if (e[i].col)
                buf_printf(out, ",col=%d", e[i].col);
            buf_addc(out, ',');
        }
        buf_adds(out, "title=");
        gh_escape(out, e[i].id, 1);
        buf_adds(out, "::");
        buf_reset(&name);
        message_placed(&name, &e[i]);
        gh_escape(out, name.data, 0);
        buf_printf(out, " [%s]\n", e[i].id);
    }
    buf_release(&name);
}

/* --- sarif -------------------------------------------------------------------- */

/* A finding's physicalLocation: its file as a relative URI reference against
 * %SRCROOT%, the working directory (percent-encoded: "R&D <plan>.md" is no
 * URI), or, named absolute (a site outside the working directory), a file:
 * URI with no base (in SARIF 2.1.0 an absolute uri takes no uriBaseId);
 * and its region. */
static void sarif_location(json_writer *w, buf *uri, const diag_entry *e, const char *root)
{
    buf name;
    buf_init(&name);
    diag_shown_file(&name, root, e->file);
    json_key(w, "locations");
    json_begin_array(w, JSON_LINE);
    json_begin_object(w, JSON_LINE);
    json_key(w, "physicalLocation");
    json_begin_object(w, JSON_LINE);
    json_key(w, "artifactLocation");
    json_begin_object(w, JSON_LINE);
    buf_reset(uri);
    if (name.data[0] == '/')
        buf_adds(uri, "file://");
    url_encode_path(uri, name.data);
    json_member_str(w, "uri", uri->data);
    if (name.data[0] != '/')
        json_member_str(w, "uriBaseId", "%SRCROOT%");
    json_end(w);
    if (e->line > 0) {
        json_key(w, "region");
        json_begin_object(w, JSON_LINE);
        json_member_int(w, "startLine", e->line);
        if (e->col > 0)
            json_member_int(w, "startColumn", e->col);
        json_end(w);
    }
    json_end(w);
    json_end(w);
    json_end(w);
    buf_release(&name);
}

static void write_sarif(buf *out, diags *d, const site *s, const char *root)
{
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    rules r;
    rules_init(&r, e, n);
    const check_info *t = r.t;
    size_t nt = r.n;
    buf uri, text;
    buf_init(&uri);
    buf_init(&text);
    json_writer w;
    json_writer_init(&w, out, 0);
    json_begin_object(&w, JSON_BLOCK);
    json_member_str(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    json_member_str(&w, "version", "2.1.0");
    json_key(&w, "runs");
    json_begin_array(&w, JSON_BLOCK);
    json_begin_object(&w, JSON_BLOCK);
    json_key(&w, "tool");
    json_begin_object(&w, JSON_BLOCK);
    json_key(&w, "driver");
    json_begin_object(&w, JSON_BLOCK);
    json_member_str(&w, "name", "charter");
    json_member_str(&w, "version", CHARTER_VERSION);
    json_member_str(&w, "informationUri", "https://github.com/charter-policy/charter");
    json_key(&w, "rules");
    json_begin_array(&w, JSON_BLOCK);
    for (size_t k = 0; k < nt; k++) {
        json_begin_object(&w, JSON_LINE);
        json_member_str(&w, "id", t[k].id);
        wrapped_str(&w, "shortDescription", "text", t[k].summary);
        wrapped_str(&w, "fullDescription", "text", t[k].summary);
        wrapped_str(&w, "help", "text", t[k].help);
        wrapped_str(&w, "defaultConfiguration", "level", level_name(t[k].level));
        json_end(&w);
    }
    json_end(&w); /* rules */
    json_end(&w); /* driver */
    json_end(&w); /* tool */
    /* Columns count characters (code points), as the text report's do:
     * said, since a reader assumes UTF-16 units otherwise. */
    json_member_str(&w, "columnKind", "unicodeCodePoints");
    json_key(&w, "results");
    json_begin_array(&w, JSON_BLOCK);
    for (size_t i = 0; i < n; i++) {
        const check_info *rule = map_get(r.by_id, e[i].id);
        json_begin_object(&w, JSON_LINE);
        json_member_str(&w, "ruleId", e[i].id);
        json_member_int(&w, "ruleIndex", (long long)(rule - t));
        json_member_str(&w, "level", level_name(e[i].level));
        buf_reset(&text);
        message_placed(&text, &e[i]);
        wrapped_str(&w, "message", "text", text.data);
        if (e[i].file && !diag_file_embedded(e[i].file)) {
            sarif_location(&w, &uri, &e[i], root);
        } else {
            /* About no file (a shallow clone's history, an embedded
             * layout): at the site's settings, as GitHub takes no result
             * without a location. */
            diag_entry at = e[i];
            at.file = (char *)(s && s->cfg.file ? s->cfg.file : "site.yml");
            at.line = 1;
            at.col = 0;
            sarif_location(&w, &uri, &at, root);
        }
        json_end(&w);
    }
    json_end(&w); /* results */
    json_end(&w); /* the run */
    json_end(&w); /* runs */
    json_end(&w);
    buf_addc(out, '\n');
    json_writer_release(&w);
    buf_release(&uri);
    buf_release(&text);
    rules_release(&r);
}

/* --- junit -------------------------------------------------------------------- */

/* What every testsuite shares: the check table and its map, and scratch
 * arrays for grouping one file's findings by check (a counting sort, so a
 * suite costs O(checks + its findings) and the report stays linear). */
typedef struct junit {
    const check_info *t; /* the rules (rules_init): the checks, then others */
    size_t nt, n_checks;
    map *rules;
    int strict;
    size_t *start;    /* nt + 1: the findings of check k are order[start[k]..start[k+1]) */
    size_t *next;     /* nt: fill cursors */
    size_t *order;    /* the file's findings, as offsets, grouped by check */
    buf body;         /* one suite's testcases, written before its counts */
    const char *root; /* diag_shown_root */
    buf name;         /* the suite's file as the report names it */
    size_t tests, fails;
} junit;

static int is_failure(const junit *j, const diag_entry *e)
{
    return e->level == DIAG_ERROR || (j->strict && e->level == DIAG_WARNING);
}

/* One testsuite for file (relative to the site), whose findings are e[0..n)
 * (sorted), with one testcase per check: a failure per failing finding,
 * system-out per other. */
static void junit_suite(buf *out, junit *j, const char *site_file, const diag_entry *e, size_t n)
{
    size_t sf = 0;
    buf_reset(&j->name);
    diag_shown_file(&j->name, j->root, site_file);
    const char *file = j->name.data;
    memset(j->start, 0, (j->nt + 1) * sizeof *j->start);
    for (size_t i = 0; i < n; i++) {
        const check_info *rule = map_get(j->rules, e[i].id);
        if (rule)
            j->start[rule - j->t + 1]++;
    }
    for (size_t k = 0; k < j->nt; k++) {
        j->start[k + 1] += j->start[k];
        j->next[k] = j->start[k];
    }
    for (size_t i = 0; i < n; i++) {
        const check_info *rule = map_get(j->rules, e[i].id);
        if (rule)
            j->order[j->next[rule - j->t]++] = i;
    }
    buf_reset(&j->body);
    size_t tests = 0;
    for (size_t k = 0; k < j->nt; k++) {
        buf *b = &j->body;
        int failed = 0;
        /* Every check is a test case of every file; an id outside the
         * checks only where it was found. */
        if (k >= j->n_checks && j->start[k] == j->start[k + 1])
            continue;
        tests++;
        buf_adds(b, "    <testcase");
        xml_attr(b, "classname", file);
        xml_attr(b, "name", j->t[k].id);
        if (j->start[k] == j->start[k + 1]) {
            buf_adds(b, "/>\n");
            continue;
        }
        buf_adds(b, ">\n");
        for (size_t o = j->start[k]; o < j->start[k + 1]; o++) {
            const diag_entry *f = &e[j->order[o]];
            int is_fail = is_failure(j, f);
            failed |= is_fail;
            if (is_fail) {
                buf_adds(b, "      <failure");
                xml_attr(b, "type", level_name(f->level));
                xml_attr(b, "message", f->message);
                buf_addc(b, '>');
            } else {
                buf_adds(b, "      <system-out>");
            }
            xml_escapes(b, file);
            buf_printf(b, ":%d:%d: %s: ", f->line, f->col, level_name(f->level));
            xml_escapes(b, f->message);
            buf_adds(b, is_fail ? "</failure>\n" : "</system-out>\n");
        }
        buf_adds(b, "    </testcase>\n");
        sf += failed;
    }
    buf_adds(out, "  <testsuite");
    xml_attr(out, "name", file);
    buf_printf(out, " tests=\"%zu\" failures=\"%zu\">\n", tests, sf);
    buf_add(out, j->body.data, j->body.len);
    buf_adds(out, "  </testsuite>\n");
    j->tests += tests;
    j->fails += sf;
}

/* The findings of one file: e[start..end) of the sorted entries. */
typedef struct file_group {
    size_t start, end;
    int is_page;
} file_group;

static void write_junit(buf *out, diags *d, const site *s, int strict, const char *root)
{
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    junit j = {0};
    rules r;
    rules_init(&r, e, n);
    j.t = r.t;
    j.nt = r.n;
    j.n_checks = r.n_checks;
    j.rules = r.by_id;
    j.strict = strict;
    j.root = root;
    buf_init(&j.name);
    j.start = xcalloc(j.nt + 1, sizeof *j.start);
    j.next = xcalloc(j.nt + 1, sizeof *j.next);
    j.order = xcalloc(n + 1, sizeof *j.order);
    buf_init(&j.body);
    /* Entries are sorted by file (those with none first): one group each. */
    file_group *groups = xcalloc(n + 1, sizeof *groups);
    size_t ng = 0;
    map *by_file = map_new();
    for (size_t i = 0; i < n; i++) {
        if (!e[i].file)
            continue;
        if (!ng || strcmp(e[groups[ng - 1].start].file, e[i].file)) {
            groups[ng] = (file_group){i, i, 0};
            map_put(by_file, e[i].file, &groups[ng++]);
        }
        groups[ng - 1].end = i + 1;
    }
    buf suites;
    buf_init(&suites);
    for (size_t i = 0; s && i < s->n_pages; i++) {
        file_group *g = map_get(by_file, s->pages[i]->src);
        if (g)
            g->is_page = 1;
        junit_suite(&suites, &j, s->pages[i]->src, g ? e + g->start : e, g ? g->end - g->start : 0);
    }
    /* Findings about no file (a shallow clone's history): the settings
     * file's, as SARIF places them, with that file's own (no finding may
     * leave the report: a failed job would show a green one). */
    const char *settings = s && s->cfg.file ? s->cfg.file : "site.yml";
    size_t loose = 0;
    while (loose < n && !e[loose].file)
        loose++;
    file_group *own = loose ? map_get(by_file, settings) : NULL;
    if (loose && !(own && own->is_page)) {
        size_t m = loose + (own ? own->end - own->start : 0);
        diag_entry *merged = xcalloc(m, sizeof *merged);
        memcpy(merged, e, loose * sizeof *e);
        if (own)
            memcpy(merged + loose, e + own->start, (own->end - own->start) * sizeof *e);
        junit_suite(&suites, &j, settings, merged, m);
        free(merged);
        if (own)
            own->is_page = 1; /* written */
    }
    /* Files that are not pages (site.yml, catalogs), in sorted order, once. */
    for (size_t g = 0; g < ng; g++)
        if (!groups[g].is_page)
            junit_suite(&suites, &j, e[groups[g].start].file, e + groups[g].start,
                        groups[g].end - groups[g].start);
    buf_printf(out,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"charter check\" "
               "tests=\"%zu\" failures=\"%zu\">\n",
               j.tests, j.fails);
    buf_add(out, suites.data, suites.len);
    buf_adds(out, "</testsuites>\n");
    buf_release(&suites);
    buf_release(&j.body);
    buf_release(&j.name);
    map_free(by_file);
    rules_release(&r);
    free(groups);
    free(j.start);
    free(j.next);
    free(j.order);
}

/* --- text --------------------------------------------------------------------- */

/* Plain lines, no source excerpts, for a file (which someone will `cat`: no
 * escapes from the site in it either); a terminal gets diag_print_text. */
static void write_text(buf *out, diags *d, const char *root)
{
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    buf name;
    buf_init(&name);
    for (size_t i = 0; i < n; i++) {
        buf_reset(&name);
        if (e[i].file)
            diag_shown_file(&name, root, e[i].file);
        else
            buf_addc(&name, '-');
        diag_term_safe(out, name.data, name.len);
        buf_printf(out, ":%d:%d: %s: ", e[i].line, e[i].col, level_name(e[i].level));
        diag_term_safe(out, e[i].message, strlen(e[i].message));
        buf_printf(out, " [%s]\n", e[i].id);
    }
    buf_release(&name);
}

void report_write(buf *out, report_format f, diags *d, const site *s, long as_of, int strict)
{
    diag_sort(d);
    char *root = diag_shown_root(d);
    switch (f) {
    case REPORT_TEXT:
        write_text(out, d, root);
        break;
    case REPORT_JSON:
        write_json(out, d, s, as_of, root);
        break;
    case REPORT_GITHUB:
        write_github(out, d, root);
        break;
    case REPORT_SARIF:
        write_sarif(out, d, s, root);
        break;
    case REPORT_JUNIT:
        write_junit(out, d, s, strict, root);
        break;
    }
    free(root);
}
