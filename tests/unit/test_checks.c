/* test_checks: every finding checks_run reports, each on the smallest site
 * that shows it (written to a temporary directory, loaded and parsed as
 * `charter check` does), with the exact messages and positions; and the
 * tuning: `checks:` levels in site.yml, a page's `ignore:`, and what
 * checks_configure refuses. */
#include "unit.h"

#include "checks.h"
#include "fs.h"
#include "parse.h"
#include "site.h"

#define cr_expect_diag(d, expected)                                                                \
    do {                                                                                           \
        char *got_ = unit_diag_text(d);                                                            \
        cr_expect_str_eq(got_, (expected));                                                        \
        free(got_);                                                                                \
    } while (0)

typedef struct file {
    const char *path, *text;
} file;

static char root[64];

static void put(const char *rel, const char *text)
{
    unit_put(root, rel, text);
}

/* Every site: a title, `title` the only required key, one layout and a
 * home page (which is never an orphan). A case's files come after, so they
 * may replace these. Pages live in content/pol/: in a section, so no
 * orphans unless a case wants one. */
static const file base[] = {
    {"site.yml", "title: T\nrequired: [title]\n"},
    {"layouts/policy.html", "{{CONTENT}}"},
    {"content/index.md", "---\ntitle: Home\n---\nHome\n"},
};

/* 2026-11-25, the day every case is judged on. */
static long as_of(void)
{
    return date_from_civil(2026, 11, 25);
}

/* Writes base and files into a new root and loads the site, expecting the
 * load diagnostics load_want (NULL: none). */
static site *load_site(const file *files, size_t n, const char *load_want)
{
    unit_mkdtemp(root, sizeof root, "checks");
    for (size_t i = 0; i < COUNT(base); i++)
        put(base[i].path, base[i].text);
    for (size_t i = 0; i < n && files[i].path; i++)
        put(files[i].path, files[i].text);
    diags *d = diag_new(root);
    site *s = NULL;
    cr_assert_eq(site_load(&s, root, as_of(), d), 0);
    cr_assert_diag(d, load_want ? load_want : "");
    diag_free(d);
    return s;
}

static void remove_root(void)
{
    unit_remove(root);
}

/* Loads, parses and checks; returns the checks' findings as text. */
static char *run_checks(const file *files, size_t n, const char *load_want)
{
    site *s = load_site(files, n, load_want);
    diags *pd = diag_new(root);
    parsed *pp = parse_site(s, -1, pd);
    cr_assert_diag(pd, "");
    diags *d = diag_new(root);
    checks_run(s, pp, d);
    char *got = unit_diag_text(d);
    diag_free(d);
    diag_free(pd);
    parsed_free(pp);
    site_free(s);
    remove_root();
    return got;
}

#define ISO_CATALOG                                                                                \
    "framework: iso\n"                                                                             \
    "name: ISO\n"                                                                                  \
    "controls:\n"                                                                                  \
    "  - id: A.1\n"                                                                                \
    "    title: First\n"                                                                           \
    "  - id: A.2\n"                                                                                \
    "  - id: A.3\n"                                                                                \
    "    title: Third\n"
#define CITES_ALL "---\ntitle: All\ncontrols: [A.1, A.2, A.3]\n---\n"

static const struct {
    const char *name;
    file files[7];
    const char *load; /* the load's diagnostics; NULL: none */
    const char *want; /* the checks' */
} cases[] = {
    {"a clean site",
     {{"controls/iso.yml", ISO_CATALOG},
      {"content/pol/a.md", CITES_ALL "[b](b.md#purpose) [top](#top) [idx](/pol/b/index.html)\n\n"
                                     "# Top\n"},
      {"content/pol/b.md", "---\ntitle: B\n---\n## Purpose\n"}},
     NULL,
     ""},

    /* ---- controls ---- */
    {"unknown-control",
     {{"controls/iso.yml", ISO_CATALOG},
      {"content/pol/a.md", CITES_ALL},
      {"content/pol/b.md", "---\ntitle: B\ncontrols: [A.11, Z.99, iso:A.9]\n---\n"}},
     NULL,
     "content/pol/b.md:3:12: error: unknown control 'A.11'; did you mean 'A.1'? "
     "[unknown-control]\n"
     "content/pol/b.md:3:18: error: unknown control 'Z.99' [unknown-control]\n"
     "content/pol/b.md:3:24: error: unknown control 'iso:A.9'; did you mean 'iso:A.1'? "
     "[unknown-control]\n"},
    /* A qualified id's suggestion is its own framework's (HEAD~1 of 97cc87b's
     * fix offered 'fx:Y.7', a control of fy, for 'fx:Y.8'). */
    {"unknown-control, suggested from the framework named",
     {{"controls/fx.yml", "framework: fx\ncontrols:\n  - id: X.1\n  - id: Y.70\n"},
      {"controls/fy.yml", "framework: fy\ncontrols:\n  - id: Y.7\n"},
      {"content/pol/a.md", "---\ntitle: A\ncontrols: [fx:Y.8, fx:X.1, fx:Y.70, fy:Y.7]\n---\n"}},
     NULL,
     "content/pol/a.md:3:12: error: unknown control 'fx:Y.8'; did you mean 'fx:Y.70'? "
     "[unknown-control]\n"},
    {"ambiguous-control",
     {{"controls/fa.yml", "framework: fa\ncontrols:\n  - id: X.1\n"},
      {"controls/fb.yml", "framework: fb\nname: Framework B\ncontrols:\n  - id: X.1\n"},
      {"content/pol/a.md", "---\ntitle: A\ncontrols: [X.1]\n---\n"},
      {"content/pol/b.md", "---\ntitle: B\ncontrols: [fa:X.1, fb:X.1]\n---\n"}},
     NULL,
     "content/pol/a.md:3:12: error: control 'X.1' is defined by fa, fb; qualify it as "
     "'<framework>:X.1' [ambiguous-control]\n"},
    {"noncanonical-control",
     {{"controls/iso.yml", "framework: iso27001-2022\ncontrols:\n  - id: A.5.15\n"},
      {"content/pol/a.md",
       "---\ntitle: A\ncontrols: [A.05.15, A5.15, a.5.15, iso27001:A.5.15, A.5.15]\n---\n"}},
     NULL,
     "content/pol/a.md:3:12: error: control 'A.05.15' is not in the catalog as written; did you "
     "mean 'A.5.15'? (or declare it in 'control_aliases') [noncanonical-control]\n"
     "content/pol/a.md:3:21: error: control 'A5.15' is not in the catalog as written; did you "
     "mean 'A.5.15'? (or declare it in 'control_aliases') [noncanonical-control]\n"
     "content/pol/a.md:3:28: error: control 'a.5.15' is not in the catalog as written; did you "
     "mean 'A.5.15'? (or declare it in 'control_aliases') [noncanonical-control]\n"},
    {"not-applicable-control",
     {{"controls/iso.yml", ISO_CATALOG},
      {"controls/applicability.yml", "A.1:\n  applicable: false\n  justification: None here\n"
                                     "A.3:\n  applicable: true\n"},
      {"content/pol/a.md", CITES_ALL}},
     NULL,
     "content/pol/a.md:3:12: warning: control 'A.1' is marked not applicable in the statement "
     "of applicability [not-applicable-control]\n"},
    /* Reported at the SoA's entry when it has one, else at the catalog's;
     * named by title, else by the framework. Not applicable: not needed. */
    {"uncovered-control",
     {{"controls/iso.yml", ISO_CATALOG},
      {"controls/applicability.yml",
       "A.1:\n  applicable: false\n  justification: Not used.\nA.3:\n  status: planned\n"}},
     NULL,
     "controls/applicability.yml:4:1: error: applicable control 'A.3' (Third) is covered by no "
     "policy [uncovered-control]\n"
     "controls/iso.yml:6:5: error: applicable control 'A.2' (ISO) is covered by no policy "
     "[uncovered-control]\n"},
    /* A framework not listed in `frameworks` is not active: its controls
     * are neither needed nor known. */
    {"unknown-applicability",
     {{"site.yml", "title: T\nrequired: [title]\nframeworks: [iso]\n"},
      {"controls/iso.yml", ISO_CATALOG},
      {"controls/other.yml", "framework: other\ncontrols:\n  - id: Q.9\n"},
      {"controls/applicability.yml", "A.2:\n  applicable: true\nQ.9:\n  applicable: true\n"},
      {"content/pol/a.md", CITES_ALL}},
     NULL,
     "controls/applicability.yml:3:1: error: the statement of applicability lists 'Q.9', which "
     "no active catalog defines [unknown-applicability]\n"},

    /* ---- links ---- */
    {"broken-link",
     {{"content/pol/a.md", "---\n"
                           "title: A\n"
                           "---\n"
                           "[m](missing.md)\n"  /* 4 */
                           "[o](old.md)\n"      /* 5 */
                           "[u](../../up.md)\n" /* 6 */
                           "[r](/nope/)\n"      /* 7 */
                           "[n](nothing)\n"     /* 8 */
                           "[z](x%00y.md)\n"    /* 9 */
                           "[ok](b.md) [ok](/pol/b/) [ok](../pol/b.md) [ok](/pol/b/index.html)\n"
                           "[ok](/pol/b) [ok](b) [ok](https://x.example/) [ok](mailto:x@y.z)\n"
                           "[ok](/assets/s.css) [ok](pic.png) [ok](/) [ok](../index.md)\n"
                           /* As GitHub's file view or Jekyll's pretty URLs read them. */
                           "[ok](/pol/b.md) [ok](/content/pol/b.md) [ok](sub) [ok](sub/)\n"
                           "[ok](/pol/sub/index.md) [ok](../b/) [ok](../sub/#top)\n"},
      {"content/pol/b.md", "---\ntitle: B\n---\n"},
      {"content/pol/sub/index.md", "---\ntitle: Sub\n---\n# Top\n"},
      {"content/pol/old.md", "---\ntitle: Old\npublished: false\n---\n"},
      {"content/pol/pic.png", "PNG"},
      {"assets/s.css", "body{}"}},
     NULL,
     "content/pol/a.md:4:1: error: link 'missing.md' leads to no page ('content/pol/missing.md' "
     "does not exist) [broken-link]\n"
     "content/pol/a.md:5:1: error: link 'old.md' leads to an unpublished page "
     "('content/pol/old.md' is a draft or not published) [broken-link]\n"
     "content/pol/a.md:6:1: error: link '../../up.md' leaves the content directory "
     "[broken-link]\n"
     "content/pol/a.md:7:1: error: link '/nope/' leads to no page or file of the site (tried "
     "'/nope/', 'content/nope/index.md', 'content/nope/_index.md') [broken-link]\n"
     "content/pol/a.md:8:1: error: link 'nothing' leads to no page of the site (tried "
     "'/pol/nothing', 'content/pol/nothing.md', 'content/pol/nothing/index.md', "
     "'content/pol/nothing/_index.md', '/pol/a/nothing') [broken-link]\n"
     "content/pol/a.md:9:1: error: link 'x%00y.md' holds '%00', which no file or heading can "
     "have [broken-link]\n"},
    {"broken-link outside base_url",
     {{"site.yml", "title: T\nrequired: [title]\nbase_url: https://x.example/docs\n"},
      {"content/pol/a.md", "---\ntitle: A\n---\n[ok](/docs/pol/b/) [ok](/docs) [ok](/docs/)\n"
                           "[out](/other/) [out](/pol/b/)\n"},
      {"content/pol/b.md", "---\ntitle: B\n---\n"}},
     NULL,
     "content/pol/a.md:5:1: error: link '/other/' is outside the site (base_url is '/docs/') "
     "[broken-link]\n"
     "content/pol/a.md:5:16: error: link '/pol/b/' is outside the site (base_url is '/docs/') "
     "[broken-link]\n"},
    {"broken-fragment",
     {{"content/pol/a.md", "---\n"
                           "title: A\n"
                           "---\n"
                           "# Top\n"
                           "[b](b.md#nope) [self](#nah) [root](/pol/b/#nope2)\n" /* 5 */
                           "[ok](b.md#purpose) [ok](#top) [ok](b.md#fn-1) [ok](b.md#fnref-2)\n"
                           "[ok](b.md#caf%C3%A9) [ok](/pol/b/#purpose) [ok](b.md#)\n"
                           "[ok](b.md#old-name) [ok](b.md#kept) [ok](b.md#inline)\n"},
      {"content/pol/b.md", "---\ntitle: B\n---\n## Purpose\n## Caf\xc3\xa9\n"
                           /* Raw HTML anchors count, though raw HTML is omitted. */
                           "<a name=\"old-name\"></a>\n\n<div id='kept'>x</div>\n\n"
                           "Text <span ID=inline>here</span>.\n"}},
     NULL,
     "content/pol/a.md:5:1: error: '#nope' names no heading of 'content/pol/b.md' "
     "[broken-fragment]\n"
     "content/pol/a.md:5:16: error: '#nah' names no heading of 'content/pol/a.md' "
     "[broken-fragment]\n"
     "content/pol/a.md:5:29: error: '#nope2' names no heading of 'content/pol/b.md' "
     "[broken-fragment]\n"},
    {"missing-file",
     {{"content/pol/a.md", "---\ntitle: A\n---\n"
                           "[p](missing.pdf) ![i](nope) [r](/files/x.pdf) ![j](/img/none)\n"
                           "[ok](there.pdf)\n"},
      {"content/pol/there.pdf", "%PDF"}},
     NULL,
     "content/pol/a.md:4:1: error: link 'missing.pdf' names a file that does not exist "
     "('content/pol/missing.pdf') [missing-file]\n"
     "content/pol/a.md:4:18: error: link 'nope' names a file that does not exist "
     "('content/pol/nope') [missing-file]\n"
     "content/pol/a.md:4:29: error: link '/files/x.pdf' leads to no page or file of the site "
     "[missing-file]\n"
     "content/pol/a.md:4:47: error: link '/img/none' leads to no page or file of the site "
     "[missing-file]\n"},
    {"link-without-scheme",
     {{"content/pol/a.md", "---\ntitle: A\n---\n"
                           "[w](www.example.com) [e](example.org/x?y#z) see www.example.net\n"}},
     NULL,
     "content/pol/a.md:4:1: warning: link 'www.example.com' looks like a web address but has no "
     "scheme; write 'https://www.example.com' [link-without-scheme]\n"
     "content/pol/a.md:4:22: warning: link 'example.org/x?y#z' looks like a web address but has "
     "no scheme; write 'https://example.org/x?y#z' [link-without-scheme]\n"},
    {"url-case-collision",
     {{"content/pol/Alpha.md", "---\ntitle: Alpha\n---\n"},
      {"content/pol/alpha.md", "---\ntitle: alpha\n---\n"},
      {"content/pol/beta.md", "---\ntitle: Beta\npermalink: /pol/BETA/\n---\n"},
      {"content/pol/gamma.md", "---\ntitle: Gamma\npermalink: /pol/beta/\n---\n"}},
     NULL,
     "content/pol/alpha.md:1:1: error: 'pol/alpha/index.html' and 'pol/Alpha/index.html' (from "
     "'content/pol/Alpha.md') differ only in letter case [url-case-collision]\n"
     "content/pol/gamma.md:1:1: error: 'pol/beta/index.html' and 'pol/BETA/index.html' (from "
     "'content/pol/beta.md') differ only in letter case [url-case-collision]\n"},

    /* ---- reviews ---- */
    {"review-overdue",
     {{"content/pol/a.md", "---\ntitle: A\nlast_reviewed: 2025-01-01\n---\n"},
      {"content/pol/b.md", "---\ntitle: B\nlast_reviewed: 2020-01-01\nnext_review: 2026-11-24\n"
                           "---\n"},
      {"content/pol/c.md", "---\ntitle: C\nlast_reviewed: 2026-05-01\nreview_cycle: 90 days\n"
                           "---\n"}},
     NULL,
     "content/pol/a.md:3:16: error: review overdue since 2026-01-01 (328 days) "
     "[review-overdue]\n"
     "content/pol/b.md:4:14: error: review overdue since 2026-11-24 (1 day) [review-overdue]\n"
     "content/pol/c.md:3:16: error: review overdue since 2026-07-30 (118 days) "
     "[review-overdue]\n"},
    {"review-due-soon",
     {{"content/pol/a.md", "---\ntitle: A\nnext_review: 2026-12-05\n---\n"},
      {"content/pol/b.md", "---\ntitle: B\nlast_reviewed: 2026-06-01\nreview_cycle: 6 months\n"
                           "---\n"},
      {"content/pol/c.md", "---\ntitle: C\nnext_review: 2026-11-25\n---\n"},
      {"content/pol/d.md", "---\ntitle: D\nnext_review: 2026-11-26\n---\n"},
      {"content/pol/ok.md", "---\ntitle: OK\nnext_review: 2026-12-26\n---\n"},
      {"content/pol/old.md", "---\ntitle: Old\npublished: false\nnext_review: 2020-01-01\n---\n"}},
     NULL,
     "content/pol/a.md:3:14: warning: review due on 2026-12-05 (in 10 days) [review-due-soon]\n"
     "content/pol/b.md:3:16: warning: review due on 2026-12-01 (in 6 days) [review-due-soon]\n"
     "content/pol/c.md:3:14: warning: review due on 2026-11-25 (today) [review-due-soon]\n"
     "content/pol/d.md:3:14: warning: review due on 2026-11-26 (in 1 day) [review-due-soon]\n"},
    {"review-due-soon with the site's warn_within",
     {{"site.yml", "title: T\nrequired: [title]\nreview: {cycle: 1 month, warn_within: 5 days}\n"},
      {"content/pol/a.md", "---\ntitle: A\nnext_review: 2026-12-05\n---\n"},
      {"content/pol/b.md", "---\ntitle: B\nlast_reviewed: 2026-10-30\n---\n"}},
     NULL,
     "content/pol/b.md:3:16: warning: review due on 2026-11-30 (in 5 days) [review-due-soon]\n"},
    {"review-in-future",
     {{"content/pol/a.md", "---\ntitle: A\nlast_reviewed: 2026-12-01\n---\n"},
      {"content/pol/b.md", "---\ntitle: B\nlast_reviewed: 2026-11-25\n---\n"}},
     NULL,
     "content/pol/a.md:3:16: error: last_reviewed 2026-12-01 is in the future "
     "[review-in-future]\n"},

    {"placeholder",
     {{"site.yml", "title: T\nrequired: [title, owner]\n"},
      {"content/pol/a.md", "---\n"
                           "title: A\n"
                           "owner: Tbd\n"         /* 3 */
                           "version: '[todo]'\n"  /* 4 */
                           "next_review: [TBD]\n" /* 5 */
                           "description: ''\n"    /* 6 */
                           "controls: [TBC]\n"    /* 7 */
                           "status: [TBD, x]\n"   /* 8: not a placeholder */
                           "reviewer: TBD\n"      /* the team's key */
                           "---\n"},
      {"content/pol/b.md", "---\ntitle: B\nowner:\n---\n"}},
     "content/index.md:1:1: error: missing required key 'owner' [missing-required-key]\n"
     "content/pol/a.md:3:8: error: 'owner' is a placeholder ('Tbd'), not a value [placeholder]\n"
     "content/pol/a.md:4:10: error: 'version' is a placeholder ('[todo]'), not a value "
     "[placeholder]\n"
     "content/pol/a.md:5:14: error: 'next_review' is a placeholder ('[TBD]'), not a value "
     "[placeholder]\n"
     "content/pol/a.md:6:14: error: 'description' is empty [placeholder]\n"
     "content/pol/a.md:7:11: error: 'controls' is a placeholder ('[TBC]'), not a value "
     "[placeholder]\n"
     "content/pol/a.md:8:9: error: 'status' must be a string, not a list [invalid-type]\n"
     /* An empty (null) required key is missing, as before. */
     "content/pol/b.md:3:7: error: missing required key 'owner' [missing-required-key]\n",
     ""},

    /* ---- structure ---- */
    {"orphan-page",
     {{"content/index.md", "---\ntitle: Home\n---\n[l](linked.md)\n"},
      {"content/linked.md", "---\ntitle: Linked\n---\n"},
      {"content/lonely.md", "---\ntitle: Lonely\n---\n[self](lonely.md)\n"},
      {"content/from-draft.md", "---\ntitle: From draft\n---\n"},
      {"content/draft.md", "---\ntitle: Draft\npublished: false\n---\n[x](from-draft.md)\n"},
      {"content/sectioned.md", "---\ntitle: S\nsection: Things\n---\n"},
      {"content/untitled.md", "---\nowner: o\n---\n"}},
     "content/untitled.md:1:1: error: missing required key 'title' [missing-required-key]\n",
     "content/from-draft.md:2:8: warning: no page links to '/from-draft/' and it is in no section "
     "of the navigation [orphan-page]\n"
     "content/lonely.md:2:8: warning: no page links to '/lonely/' and it is in no section of the "
     "navigation [orphan-page]\n"
     "content/untitled.md:1:1: warning: no page links to '/untitled/' and it is in no section of "
     "the navigation [orphan-page]\n"},
};

Test(checks, each_finding_on_a_minimal_site)
{
    for (size_t i = 0; i < COUNT(cases); i++) {
        char *got = run_checks(cases[i].files, COUNT(cases[i].files), cases[i].load);
        cr_expect_str_eq(got, cases[i].want, "%s", cases[i].name);
        free(got);
    }
}

/* Every id the cases above expect is one checks_table documents, with the
 * severity it is reported at. */
Test(checks, reported_ids_are_documented)
{
    static const struct {
        const char *id;
        diag_level level;
    } ids[] = {
        {"unknown-control", DIAG_ERROR},      {"ambiguous-control", DIAG_ERROR},
        {"noncanonical-control", DIAG_ERROR}, {"not-applicable-control", DIAG_WARNING},
        {"uncovered-control", DIAG_ERROR},    {"unknown-applicability", DIAG_ERROR},
        {"broken-link", DIAG_ERROR},          {"broken-fragment", DIAG_ERROR},
        {"missing-file", DIAG_ERROR},         {"link-without-scheme", DIAG_WARNING},
        {"url-case-collision", DIAG_ERROR},   {"review-overdue", DIAG_ERROR},
        {"review-due-soon", DIAG_WARNING},    {"review-in-future", DIAG_ERROR},
        {"orphan-page", DIAG_WARNING},
    };
    for (size_t i = 0; i < COUNT(ids); i++) {
        const check_info *ci = checks_find(ids[i].id);
        cr_assert_not_null(ci, "%s", ids[i].id);
        cr_expect_eq(ci->level, ids[i].level, "%s", ids[i].id);
        cr_expect_eq(ci->tunable, 1, "%s", ids[i].id);
    }
    cr_expect_null(checks_find("nope"));
    size_t n;
    const check_info *t = checks_table(&n);
    cr_expect_eq(checks_find(t[n - 1].id), &t[n - 1]);
}

/* ---- tuning ---- */

/* Loads files, runs checks_configure (expecting rc and configure_want),
 * then the checks and checks_tune; returns the tuned findings. */
static char *run_tuned(const file *files, size_t n, int rc, const char *configure_want)
{
    site *s = load_site(files, n, NULL);
    diags *cd = diag_new(root);
    cr_expect_eq(checks_configure(s, cd), rc);
    cr_expect_diag(cd, configure_want);
    diag_free(cd);
    diags *pd = diag_new(root);
    parsed *pp = parse_site(s, -1, pd);
    diags *d = diag_new(root);
    checks_run(s, pp, d);
    /* Findings of other stages: not tunable ones stay as they are. */
    diag_error(d, "content/pol/a.md", 9, 1, "invalid-utf8", "a structural finding");
    diag_error(d, NULL, 0, 0, "io", "a finding of no check");
    checks_tune(s, d);
    char *got = unit_diag_text(d);
    diag_free(d);
    diag_free(pd);
    parsed_free(pp);
    site_free(s);
    remove_root();
    return got;
}

/* The pages every tuning case checks: one finding of each kind below. */
#define TUNING_PAGES                                                                               \
    {"content/lonely.md", "---\ntitle: Lonely\n---\n"},                                            \
        {"content/pol/a.md", "---\ntitle: A\nnext_review: 2026-12-01\n---\n[w](www.x.org)\n"       \
                             "[m](missing.md)\n"},                                                 \
    {                                                                                              \
        "content/pol/b.md", "---\ntitle: B\nlast_reviewed: 2020-01-01\n---\n[m](missing.md)\n"     \
    }

static const char untuned[] =
    "-:0:0: error: a finding of no check [io]\n"
    "content/lonely.md:2:8: warning: no page links to '/lonely/' and it is in no section of the "
    "navigation [orphan-page]\n"
    "content/pol/a.md:3:14: warning: review due on 2026-12-01 (in 6 days) [review-due-soon]\n"
    "content/pol/a.md:5:1: warning: link 'www.x.org' looks like a web address but has no "
    "scheme; write 'https://www.x.org' [link-without-scheme]\n"
    "content/pol/a.md:6:1: error: link 'missing.md' leads to no page ('content/pol/missing.md' "
    "does not exist) [broken-link]\n"
    "content/pol/a.md:9:1: error: a structural finding [invalid-utf8]\n"
    "content/pol/b.md:3:16: error: review overdue since 2021-01-01 (2154 days) [review-overdue]\n"
    "content/pol/b.md:5:1: error: link 'missing.md' leads to no page ('content/pol/missing.md' "
    "does not exist) [broken-link]\n";

Test(checks, tune_without_settings_changes_nothing)
{
    const file files[] = {TUNING_PAGES};
    char *got = run_tuned(files, COUNT(files), 0, "");
    cr_expect_str_eq(got, untuned);
    free(got);
}

Test(checks, tune_levels_from_site_yml)
{
    const file files[] = {{"site.yml", "title: T\nrequired: [title]\nchecks:\n"
                                       "  orphan-page: off\n"
                                       "  review-due-soon: error\n"
                                       "  broken-link: warning\n"
                                       "  link-without-scheme: false\n"
                                       "  review-overdue: error\n"},
                          TUNING_PAGES};
    char *got = run_tuned(files, COUNT(files), 0, "");
    cr_expect_str_eq(
        got,
        "-:0:0: error: a finding of no check [io]\n"
        "content/pol/a.md:3:14: error: review due on 2026-12-01 (in 6 days) [review-due-soon]\n"
        "content/pol/a.md:6:1: warning: link 'missing.md' leads to no page "
        "('content/pol/missing.md' does not exist) [broken-link]\n"
        "content/pol/a.md:9:1: error: a structural finding [invalid-utf8]\n"
        "content/pol/b.md:3:16: error: review overdue since 2021-01-01 (2154 days) "
        "[review-overdue]\n"
        "content/pol/b.md:5:1: warning: link 'missing.md' leads to no page "
        "('content/pol/missing.md' does not exist) [broken-link]\n");
    free(got);
}

/* `ignore:` silences its checks on its page only, whatever `checks:` says. */
Test(checks, tune_ignore_per_page)
{
    const file files[] = {
        {"site.yml", "title: T\nrequired: [title]\nchecks:\n  broken-link: warning\n"},
        TUNING_PAGES,
        {"content/lonely.md", "---\ntitle: Lonely\nignore: [orphan-page]\n---\n"},
        {"content/pol/a.md", "---\ntitle: A\nnext_review: 2026-12-01\n"
                             "ignore: [broken-link, review-due-soon, invalid-utf8]\n---\n"
                             "[w](www.x.org)\n[m](missing.md)\n"},
        {"content/pol/b.md", "---\ntitle: B\nlast_reviewed: 2020-01-01\nignore: ~\n---\n"
                             "[m](missing.md)\n"},
    };
    /* A check that cannot be silenced is refused, and its finding stays. */
    char *got = run_tuned(files, COUNT(files), 0,
                          "content/pol/a.md:4:40: error: 'ignore' lists 'invalid-utf8', which is "
                          "not a check that can be silenced [invalid-type]\n");
    cr_expect_str_eq(
        got, "-:0:0: error: a finding of no check [io]\n"
             "content/pol/a.md:6:1: warning: link 'www.x.org' looks like a web address but has no "
             "scheme; write 'https://www.x.org' [link-without-scheme]\n"
             "content/pol/a.md:9:1: error: a structural finding [invalid-utf8]\n"
             "content/pol/b.md:3:16: error: review overdue since 2021-01-01 (2154 days) "
             "[review-overdue]\n"
             "content/pol/b.md:6:1: warning: link 'missing.md' leads to no page "
             "('content/pol/missing.md' does not exist) [broken-link]\n");
    free(got);
}

static const struct {
    const char *name;
    file files[2];
    int rc;
    const char *want;
} configure_cases[] = {
    {"no checks", {{"site.yml", "title: T\nrequired: [title]\nchecks:\n"}}, 0, ""},
    {"not a mapping",
     {{"site.yml", "title: T\nrequired: [title]\nchecks: [orphan-page]\n"}},
     -1,
     "site.yml:3:9: error: 'checks' must map check ids to off, warning or error [config]\n"},
    {"every bad entry reported",
     {{"site.yml", "title: T\nrequired: [title]\nchecks:\n"
                   "  nope: off\n"
                   "  yaml-syntax: off\n"
                   "  orphan-page: loud\n"
                   "  broken-link: [off]\n"
                   "  review-overdue: warning\n"}},
     -1,
     "site.yml:4:3: error: unknown check 'nope' in 'checks' (docs/checks.md lists them) "
     "[config]\n"
     "site.yml:5:3: error: check 'yaml-syntax' reports input charter cannot read; it cannot be "
     "tuned [config]\n"
     "site.yml:6:16: error: 'checks.orphan-page' must be off, warning or error [config]\n"
     "site.yml:7:16: error: 'checks.broken-link' must be off, warning or error [config]\n"},
    /* Bad `ignore:` lists are findings, not configuration errors. */
    {"ignore not a list",
     {{"content/pol/a.md", "---\ntitle: A\nignore: orphan-page\n---\n"}},
     0,
     "content/pol/a.md:3:9: error: 'ignore' must be a list of check ids [invalid-type]\n"},
    {"ignore lists what cannot be silenced",
     {{"content/pol/a.md", "---\ntitle: A\nignore: [nope, yaml-syntax, orphan-page, [x], ~]\n"
                           "---\n"}},
     0,
     "content/pol/a.md:3:10: error: 'ignore' lists 'nope', which is not a check that can be "
     "silenced [invalid-type]\n"
     "content/pol/a.md:3:16: error: 'ignore' lists 'yaml-syntax', which is not a check that can "
     "be silenced [invalid-type]\n"
     "content/pol/a.md:3:42: error: 'ignore' lists '?', which is not a check that can be "
     "silenced [invalid-type]\n"
     "content/pol/a.md:3:47: error: 'ignore' lists '~', which is not a check that can be "
     "silenced [invalid-type]\n"},
    {"both",
     {{"site.yml", "title: T\nrequired: [title]\nchecks:\n  nope: error\n"},
      {"content/pol/a.md", "---\ntitle: A\nignore: {a: b}\n---\n"}},
     -1,
     "content/pol/a.md:3:9: error: 'ignore' must be a list of check ids [invalid-type]\n"
     "site.yml:4:3: error: unknown check 'nope' in 'checks' (docs/checks.md lists them) "
     "[config]\n"},
};

Test(checks, configure_refusals)
{
    for (size_t i = 0; i < COUNT(configure_cases); i++) {
        site *s = load_site(configure_cases[i].files, COUNT(configure_cases[i].files), NULL);
        diags *d = diag_new(root);
        cr_expect_eq(checks_configure(s, d), configure_cases[i].rc, "%s", configure_cases[i].name);
        char *got = unit_diag_text(d);
        cr_expect_str_eq(got, configure_cases[i].want, "%s", configure_cases[i].name);
        free(got);
        diag_free(d);
        site_free(s);
        remove_root();
    }
}
