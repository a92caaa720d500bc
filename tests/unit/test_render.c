/* test_render: the render stage's generators (gen.h), each through a layout
 * that prints the variables it gives, on a tiny site per case: load, parse
 * into an output's scratch file, render_site, output_commit, then the exact
 * bytes of every file written and the list of all of them. Covered: content
 * pages (layout chains, front matter, navigation, neighbours, table of
 * contents), control pages, the controls index and the SoA, the review
 * dashboard, tag and category pages and their index, the handbook, the
 * changelog and feed.xml (with a history built by hand), folder indexes
 * and the generated home, the 404 page, sitemap.xml, search.json and
 * api/pages.json. A page whose layout a case does not write comes from the
 * default theme (embed.h), as in a real build: its files are in each case's
 * list, its bytes are not checked. Every folder of pages without a page of
 * its own gets an index (pol/index.html), and the home one when no page is
 * the home: they are in each case's list and at the end of its sitemap. */
#include "unit.h"
#include "unit_history.h"

#include "api.h"
#include "digest.h"
#include "fs.h"
#include "gen.h"
#include "history_int.h"
#include "output.h"
#include "parse.h"
#include "render.h"
#include "site.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct file {
    const char *path, *text;
} file;

/* The sandbox: the site in <sb>/site, the output in <sb>/out. */
static char sb[PATH_MAX];

static void put(const char *rel, const char *text)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/site", sb);
    unit_put(p.data, rel, text);
    buf_release(&p);
}

/* Appends every file below top/rel (relative to top), one per line, depth
 * first with each folder in byte order; the manifest is left out. */
static void list_tree(buf *out, const char *top, const char *rel)
{
    buf dir, child;
    buf_init(&dir);
    buf_init(&child);
    buf_printf(&dir, "%s%s%s", top, *rel ? "/" : "", rel);
    char **names;
    diags *d = diag_new(NULL);
    cr_assert_eq(fs_list(&names, dir.data, 0, d), 0);
    for (char **n = names; *n; n++) {
        buf_reset(&child);
        buf_printf(&child, "%s%s%s", rel, *rel ? "/" : "", *n);
        buf full;
        buf_init(&full);
        buf_printf(&full, "%s/%s", top, child.data);
        if (fs_is_dir(full.data) == 1)
            list_tree(out, top, child.data);
        else if (strcmp(child.data, OUTPUT_MANIFEST) != 0)
            buf_printf(out, "%s\n", child.data);
        buf_release(&full);
    }
    fs_list_free(names);
    diag_free(d);
    buf_release(&dir);
    buf_release(&child);
}

/* ---- a history, built by hand (no git) ---- */

/* Commit c1 (newest) changed pol/a.md (version 2.0, approved) and pol/b.md
 * (a review); c2 created pol/a.md. pol/a.md also has uncommitted changes. */
typedef struct fake_history {
    history h;
    page_history *pages;
    hist_row a_rows[3], b_rows[1];
    change changes[2];
    size_t c1_pages[2], c2_pages[1];
    const hist_row *c1_rows[2], *c2_rows[1];
    char *approvers[1];
} fake_history;

static fake_history fake;

#define C1 "c1c1c1c1aaaabbbbccccdddd000011112222eeee"
#define C2 "c2c2c2c2aaaabbbbccccdddd000011112222ffff"

static const history *make_history(const site *s)
{
    const page *a = map_get(s->by_rel, "pol/a.md"), *b = map_get(s->by_rel, "pol/b.md");
    cr_assert(a && b, "the history case needs pol/a.md and pol/b.md");
    memset(&fake, 0, sizeof fake);
    fake.pages = calloc(s->n_pages, sizeof *fake.pages);
    fake.a_rows[0].kind = HIST_UNCOMMITTED;
    unit_commit_row(&fake.a_rows[1], C1, "2026-03-01", "Ann", "Update A & B", "2.0");
    fake.approvers[0] = "Boss";
    fake.a_rows[1].approved_by = fake.approvers;
    fake.a_rows[1].n_approved = 1;
    unit_commit_row(&fake.a_rows[2], C2, "2026-01-15", "Bob <b>", "Create <A>", "1");
    unit_commit_row(&fake.b_rows[0], C1, "2026-03-01", "Ann", "Update A & B", "3");
    fake.b_rows[0].review = 1;
    fake.pages[a->index] = (page_history){fake.a_rows, 3};
    fake.pages[b->index] = (page_history){fake.b_rows, 1};
    fake.c1_pages[0] = a->index;
    fake.c1_pages[1] = b->index;
    fake.c1_rows[0] = &fake.a_rows[1];
    fake.c1_rows[1] = &fake.b_rows[0];
    fake.c2_pages[0] = a->index;
    fake.c2_rows[0] = &fake.a_rows[2];
    fake.changes[0] = (change){&fake.a_rows[1], fake.c1_pages, fake.c1_rows, 2};
    fake.changes[1] = (change){&fake.a_rows[2], fake.c2_pages, fake.c2_rows, 1};
    fake.h = (history){.found = 1,
                       .n_pages = s->n_pages,
                       .pages = fake.pages,
                       .changes = fake.changes,
                       .n_changes = 2};
    return &fake.h;
}

/* ---- the cases ---- */

#define SITE_YML_AT(base)                                                                          \
    "title: Site\nbase_url: " base "\nrequired: []\ntemplate_strip: DO_NOT_STRIP\n"
#define SITE_YML SITE_YML_AT("https://x.example/")
#define SITEMAP_HEAD                                                                               \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
#define LOC(path) "  <url><loc>https://x.example" path "</loc></url>\n"
#define SITEMAP_TAIL "</urlset>\n"
#define X "https://x.example"

typedef struct want_file {
    const char *path, *bytes;
} want_file;

static const struct render_case {
    const char *name;
    file files[16];
    int history;
    const char *load; /* the load's diagnostics; NULL: none */
    const char *tree; /* every file written (the manifest aside) */
    want_file want[10];
} cases[] = {
    {"content pages",
     {{"site.yml", SITE_YML "repository_url: https://git.example/r\ncustom: yes\n"},
      {"layouts/default.html", "<{{TITLE}}>{{CONTENT}}</{{SITE_TITLE}}>\n"},
      {"layouts/policy.html",
       "---\nlayout: default\n---\n"
       "{{TITLE}}|{{URL}}|{{SOURCE_PATH}}|{{SECTION_TITLE}}/{{SECTION_SLUG}}|{{PAGE_ID}}|"
       "{{PAGE_LAYOUT}}|{{PAGE_OWNER}}|{{PAGE_TAGS}}:{{#PAGE_TAGS}}[{{ITEM}}]{{/PAGE_TAGS}}|"
       "{{PAGE_DETAILS_LEVEL}}|{{#HAS_PAGE_DETAILS}}details{{/HAS_PAGE_DETAILS}}|{{EDIT_URL}}|"
       "{{NEXT_REVIEW}} {{REVIEW_STATE}} {{REVIEW_LABEL}}|"
       "{{#PREV_URL}}<{{PREV_TITLE}}@{{PREV_URL}}{{/PREV_URL}}"
       "{{#NEXT_URL}}>{{NEXT_TITLE}}@{{NEXT_URL}}{{/NEXT_URL}}|"
       "{{#TOC}}{{#TOC_ENTRY}}{{TOC_LEVEL}}{{TOC_ID}}={{TOC_TEXT}};{{/TOC_ENTRY}}{{/TOC}}|"
       "{{#NAV_SECTION}}[{{NAV_SECTION_TITLE}}{{#NAV_SECTION_CURRENT}}*{{/NAV_SECTION_CURRENT}}"
       "{{#NAV_PAGE}}({{NAV_TITLE}}{{#NAV_CURRENT}}!{{/NAV_CURRENT}}){{/NAV_PAGE}}]"
       "{{/NAV_SECTION}}|{{SITE_CUSTOM}}|{{BASE_URL}}|{{BUILD_DATE}}|{{SEARCH_INDEX_URL}}|"
       "{{CONTENT}}"},
      {"layouts/home.html",
       "HOME|{{TITLE}}|{{#SECTIONS}}{{SECTION_TITLE}}={{SECTION_SLUG}}/{{SECTION_PAGE_COUNT}}:"
       "{{#SECTION_PAGE}}{{ENTRY_TITLE}}@{{ENTRY_URL}}({{ENTRY_REVIEW_STATE}});{{/SECTION_PAGE}}"
       "{{/SECTIONS}}|{{PAGE_COUNT}} {{REVIEW_OK_COUNT}} {{REVIEW_DUE_SOON_COUNT}} "
       "{{REVIEW_OVERDUE_COUNT}} {{REVIEW_NONE_COUNT}}|{{#EDIT_URL}}edit{{/EDIT_URL}}|{{CONTENT}}"},
      {"content/index.md", "---\ntitle: Home\nlayout: home\n---\nWelcome\n"},
      {"content/pol/a.md", "---\ntitle: Alpha\nowner: Olga\ntags: [x, y z]\n"
                           "last_reviewed: 2026-01-10\ndetails: {level: high}\n---\n"
                           "## One\n\n## Two\n\n### Three\n\nSee [b](b.md).\n"},
      {"content/pol/b.md", "---\ntitle: Beta\nnext_review: 2026-12-01\n---\nB body\n"},
      {"content/pol/c.md", "---\ntitle: Gamma\nlast_reviewed: 2020-01-01\n---\n"},
      {"content/pol/draft.md", "---\ntitle: Draft\npublished: false\n---\nHidden\n"},
      {"content/other/d.md", "---\nowner: Dan\n---\n"},
      {"assets/style.css", "body{}"}},
     0,
     NULL,
     "404.html\napi/pages.json\nassets/favicon.svg\nassets/search.js\nassets/soa.js\n"
     "assets/sort.js\nassets/style.css\ncontrols/index.html\nhandbook/index.html\n"
     "index.html\noscal/component-definition.json\nother/d/index.html\n"
     "other/index.html\npol/a/index.html\npol/b/index.html\npol/c/index.html\n"
     "pol/index.html\nreviews/index.html\nsearch.json\nsitemap.xml\nsoa/index.html\n"
     "tags/index.html\ntags/x/index.html\ntags/y-z/index.html\n",
     {{"pol/a/index.html",
       "<Alpha>Alpha|" X "/pol/a/|content/pol/a.md|Pol/pol|pol/a|policy|Olga|x, y z:[x][y z]|"
       "high|details|https://git.example/r/edit/main/content/pol/a.md|2027-01-10 ok OK|"
       ">Beta@" X "/pol/b/|2one=One;2two=Two;3three=Three;|[Other][Pol*(Alpha!)(Beta)(Gamma)]|"
       "yes|" X "/|2026-11-25|" X "/search.json|"
       "<h2 id=\"one\">One</h2>\n<h2 id=\"two\">Two</h2>\n<h3 id=\"three\">Three</h3>\n"
       "<p>See <a href=\"" X "/pol/b/\">b</a>.</p>\n</Site>\n"},
      {"pol/b/index.html",
       "<Beta>Beta|" X "/pol/b/|content/pol/b.md|Pol/pol|pol/b|policy||:|||"
       "https://git.example/r/edit/main/content/pol/b.md|2026-12-01 due-soon Due soon|"
       "<Alpha@" X "/pol/a/>Gamma@" X "/pol/c/||[Other][Pol*(Alpha)(Beta!)(Gamma)]|yes|" X
       "/|2026-11-25|" X "/search.json|<p>B body</p>\n</Site>\n"},
      /* Untitled: the id stands in. */
      {"other/d/index.html",
       "<other/d>other/d|" X "/other/d/|content/other/d.md|Other/other|other/d|policy|Dan|:|||"
       "https://git.example/r/edit/main/content/other/d.md| none Not set||"
       "|[Other*(other/d!)][Pol]|yes|" X "/|2026-11-25|" X "/search.json|</Site>\n"},
      {"index.html",
       "HOME|Home|Other=other/1:other/d@" X "/other/d/(none);Pol=pol/3:Alpha@" X
       "/pol/a/(ok);Beta@" X "/pol/b/(due-soon);Gamma@" X "/pol/c/(overdue);|4 1 1 1 1|edit|"
       "<p>Welcome</p>\n"},
      {"assets/style.css", "body{}"},
      {"sitemap.xml",
       SITEMAP_HEAD LOC("/") LOC("/other/d/") LOC("/pol/a/") LOC("/pol/b/") LOC("/pol/c/")
           LOC("/controls/") LOC("/soa/") LOC("/reviews/") LOC("/handbook/") LOC("/tags/x/")
               LOC("/tags/y-z/") LOC("/tags/") LOC("/other/") LOC("/pol/") SITEMAP_TAIL},
      {"search.json",
       "{\"pages\": [\n"
       "  {\"title\": \"Home\", \"url\": \"" X "/\", \"section\": null, \"text\": \"Welcome\"},\n"
       "  {\"title\": \"other/d\", \"url\": \"" X "/other/d/\", \"section\": \"Other\", "
       "\"text\": \"\"},\n"
       "  {\"title\": \"Alpha\", \"url\": \"" X "/pol/a/\", \"section\": \"Pol\", \"text\": "
       "\"One Two Three See b.\"},\n"
       "  {\"title\": \"Beta\", \"url\": \"" X "/pol/b/\", \"section\": \"Pol\", \"text\": "
       "\"B body\"},\n"
       "  {\"title\": \"Gamma\", \"url\": \"" X "/pol/c/\", \"section\": \"Pol\", \"text\": "
       "\"\"}\n"
       "]}\n"}}},

    {"control pages, the controls index and the SoA",
     {{"site.yml", SITE_YML},
      {"layouts/policy.html",
       "{{TITLE}}|{{#CONTROLS}}{{CONTROL_ID}}={{CONTROL_TITLE}}/{{CONTROL_GROUP}}/"
       "{{CONTROL_FRAMEWORK}}@{{CONTROL_URL}};{{/CONTROLS}}|{{CONTROLS_URL}}|{{SOA_URL}}\n"},
      {"layouts/control.html",
       "{{TITLE}}|{{URL}}|{{CONTROL_ID}}|{{CONTROL_TITLE}}|{{CONTROL_GROUP}}|"
       "{{CONTROL_FRAMEWORK}}|{{CONTROL_FRAMEWORK_NAME}}|{{CONTROL_URL}}|"
       "{{#CONTROL_APPLICABLE}}A{{/CONTROL_APPLICABLE}}"
       "{{#CONTROL_NOT_APPLICABLE}}N{{/CONTROL_NOT_APPLICABLE}}|{{CONTROL_APPLICABLE_LABEL}}|"
       "{{CONTROL_APPLICABLE_SLUG}}|{{CONTROL_JUSTIFICATION}}|{{CONTROL_STATUS}}|"
       "{{CONTROL_STATUS_LABEL}}|{{#HAS_CITED_BY}}cited:{{/HAS_CITED_BY}}"
       "{{#CITED_BY}}{{CITED_TITLE}}@{{CITED_URL}}({{CITED_STATUS}},{{CITED_OWNER}});"
       "{{/CITED_BY}}{{#NO_CITATIONS}}none{{/NO_CITATIONS}}\n"},
      {"layouts/controls.html",
       "{{TITLE}}|{{URL}}|{{#FRAMEWORK}}{{FRAMEWORK_ID}}/{{FRAMEWORK_NAME}}:{{FW_TOTAL}},"
       "{{FW_APPLICABLE_COUNT}},{{FW_NOT_APPLICABLE_COUNT}},{{FW_COVERED_COUNT}},"
       "{{FW_IMPLEMENTED_COUNT}}[{{#FW_CONTROL}}{{CONTROL_ID}}{{#HAS_COVER}}:{{#COVER}}"
       "{{COVER_TITLE}}@{{COVER_URL}}{{/COVER}}{{/HAS_COVER}}{{#NO_COVER}}-{{/NO_COVER}};"
       "{{/FW_CONTROL}}]{{/FRAMEWORK}}\n"},
      {"layouts/soa.html", "SoA {{TITLE}}|{{URL}}|{{#FRAMEWORK}}{{FRAMEWORK_ID}}:"
                           "{{#FW_CONTROL}}{{CONTROL_ID}}/{{CONTROL_APPLICABLE_SLUG}}/"
                           "{{CONTROL_STATUS_LABEL}};{{/FW_CONTROL}}{{/FRAMEWORK}}\n"},
      {"controls/iso.yml", "framework: iso\nname: ISO Annex\ncontrols:\n"
                           "  - {id: A.1, title: First, group: Org}\n"
                           "  - {id: A.2, title: Second, group: Tech}\n"
                           "  - {id: A.3, title: Third, group: Grp}\n"},
      {"controls/soc.yml", "framework: soc\nname: SOC\ncontrols:\n"
                           "  - {id: CC1, title: Ctl, group: Common}\n"},
      {"controls/applicability.yml",
       "A.1: {applicable: true, status: implemented, justification: Needed}\n"
       "A.2: {applicable: false, justification: No servers}\n"
       "A.3: {justification: Later}\n"
       "CC1: {status: planned, justification: All}\n"},
      {"content/pol/a.md", "---\ntitle: Alpha\nowner: Olga\nstatus: approved\n"
                           "controls: [A.1, A.2, soc:CC1]\n---\n"},
      {"content/pol/b.md", "---\ntitle: Beta\ncontrols: [A.01]\n---\n"}},
     0,
     NULL,
     "404.html\napi/pages.json\nassets/favicon.svg\nassets/search.js\nassets/soa.js\n"
     "assets/sort.js\nassets/style.css\ncontrols/index.html\n"
     "controls/iso/A.1/index.html\ncontrols/iso/A.2/index.html\n"
     "controls/iso/A.3/index.html\ncontrols/soc/CC1/index.html\nhandbook/index.html\n"
     "index.html\noscal/component-definition.json\npol/a/index.html\n"
     "pol/b/index.html\npol/index.html\nreviews/index.html\nsearch.json\nsitemap.xml\n"
     "soa/index.html\n",
     {{"pol/a/index.html", "Alpha|A.1=First/Org/iso@" X "/controls/iso/A.1/;A.2=Second/Tech/iso@" X
                           "/controls/iso/A.2/;CC1=Ctl/Common/soc@" X "/controls/soc/CC1/;|" X
                           "/controls/|" X "/soa/\n"},
      /* Cited as A.01, which is not the catalog's id (a noncanonical-control
       * error): shown as written, with no title, framework or link, and
       * never taken for A.1 (Beta cites it nowhere below). */
      {"pol/b/index.html", "Beta|A.01=//@;|" X "/controls/|" X "/soa/\n"},
      {"controls/iso/A.1/index.html",
       "A.1 First|" X "/controls/iso/A.1/|A.1|First|Org|iso|ISO Annex|" X
       "/controls/iso/A.1/|A|Applicable|yes|Needed|implemented|Implemented|cited:Alpha@" X
       "/pol/a/(approved,Olga);\n"},
      {"controls/iso/A.2/index.html",
       "A.2 Second|" X "/controls/iso/A.2/|A.2|Second|Tech|iso|ISO Annex|" X
       "/controls/iso/A.2/|N|Not applicable|no|No servers|||cited:Alpha@" X
       "/pol/a/(approved,Olga);\n"},
      {"controls/iso/A.3/index.html",
       "A.3 Third|" X "/controls/iso/A.3/|A.3|Third|Grp|iso|ISO Annex|" X
       "/controls/iso/A.3/|A|Applicable|yes|Later|||none\n"},
      {"controls/soc/CC1/index.html",
       "CC1 Ctl|" X "/controls/soc/CC1/|CC1|Ctl|Common|soc|SOC|" X
       "/controls/soc/CC1/|A|Applicable|yes|All|planned|Planned|cited:Alpha@" X
       "/pol/a/(approved,Olga);\n"},
      /* Covered: applicable and cited (A.2 is cited but not applicable). */
      {"controls/index.html",
       "Controls|" X "/controls/|iso/ISO Annex:3,2,1,1,1[A.1:Alpha@" X "/pol/a/;A.2:Alpha@" X
       "/pol/a/;A.3-;]soc/SOC:1,1,0,1,0[CC1:Alpha@" X "/pol/a/;]\n"},
      {"soa/index.html", "SoA Statement of Applicability|" X
                         "/soa/|iso:A.1/yes/Implemented;A.2/no/;A.3/yes/;soc:CC1/yes/Planned;\n"},
      {"sitemap.xml", SITEMAP_HEAD LOC("/pol/a/") LOC("/pol/b/") LOC("/controls/iso/A.1/") LOC(
                          "/controls/iso/A.2/") LOC("/controls/iso/A.3/") LOC("/controls/soc/CC1/")
                          LOC("/controls/") LOC("/soa/") LOC("/reviews/") LOC("/handbook/") LOC("/")
                              LOC("/pol/") SITEMAP_TAIL},
      {"search.json",
       "{\"pages\": [\n"
       "  {\"title\": \"Alpha\", \"url\": \"" X "/pol/a/\", \"section\": \"Pol\", \"text\": "
       "\"\"},\n"
       "  {\"title\": \"Beta\", \"url\": \"" X "/pol/b/\", \"section\": \"Pol\", \"text\": "
       "\"\"},\n"
       "  {\"title\": \"A.1 First\", \"url\": \"" X "/controls/iso/A.1/\", \"section\": \"ISO "
       "Annex\", \"text\": \"Org Needed\"},\n"
       "  {\"title\": \"A.2 Second\", \"url\": \"" X "/controls/iso/A.2/\", \"section\": \"ISO "
       "Annex\", \"text\": \"Tech No servers\"},\n"
       "  {\"title\": \"A.3 Third\", \"url\": \"" X "/controls/iso/A.3/\", \"section\": \"ISO "
       "Annex\", \"text\": \"Grp Later\"},\n"
       "  {\"title\": \"CC1 Ctl\", \"url\": \"" X "/controls/soc/CC1/\", \"section\": \"SOC\", "
       "\"text\": \"Common All\"}\n"
       "]}\n"}}},

    /* A control without a title is titled by its id alone (once "A.9 "). */
    {"a control without a title",
     {{"site.yml", SITE_YML},
      {"layouts/control.html", "[{{TITLE}}]|[{{CONTROL_TITLE}}]\n"},
      {"layouts/policy.html", "{{TITLE}}\n"},
      {"content/pol/a.md", "---\ntitle: A\n---\n"},
      {"controls/iso.yml", "framework: iso\nname: ISO\ncontrols:\n"
                           "  - {id: A.9, group: Org}\n  - {id: A.8, title: '', group: Org}\n"}},
     0,
     NULL,
     "404.html\napi/pages.json\nassets/favicon.svg\nassets/search.js\nassets/soa.js\n"
     "assets/sort.js\nassets/style.css\ncontrols/index.html\n"
     "controls/iso/A.8/index.html\ncontrols/iso/A.9/index.html\nhandbook/index.html\n"
     "index.html\noscal/component-definition.json\npol/a/index.html\npol/index.html\n"
     "reviews/index.html\nsearch.json\nsitemap.xml\nsoa/index.html\n",
     {{"controls/iso/A.9/index.html", "[A.9]|[]\n"},
      {"controls/iso/A.8/index.html", "[A.8]|[]\n"}}},

    /* The policies: pages of layout policy (or of none) and pages with an
     * owner or last_reviewed. The home (layout home) and I (layout page),
     * with a next_review alone, are none: no row, however overdue. */
    {"the review dashboard",
     {{"site.yml", SITE_YML},
      {"layouts/policy.html", "{{TITLE}}|{{REVIEWS_URL}}\n"},
      {"layouts/home.html", "{{TITLE}}\n"},
      {"layouts/dashboard.html",
       "{{TITLE}}|{{URL}}|{{#REVIEW_ROW}}{{ENTRY_TITLE}},{{ENTRY_URL}},{{ENTRY_OWNER}},"
       "{{ENTRY_LAST_REVIEWED}},{{ENTRY_NEXT_REVIEW}},{{ENTRY_DAYS}},{{ENTRY_DAYS_LABEL}},"
       "{{ENTRY_REVIEW_STATE}},{{ENTRY_REVIEW_LABEL}};{{/REVIEW_ROW}}|{{REVIEWS_URL}}\n"},
      {"content/index.md", "---\ntitle: Home\nlayout: home\nnext_review: 2020-01-01\n---\n"},
      {"content/pol/a.md", "---\ntitle: A\nowner: Ann\nlast_reviewed: 2025-11-24\n---\n"},
      {"content/pol/b.md", "---\ntitle: B\nlast_reviewed: 2025-01-01\n---\n"},
      {"content/pol/c.md", "---\ntitle: C\nnext_review: 2026-11-25\n---\n"},
      {"content/pol/d.md", "---\ntitle: D\nnext_review: 2026-11-26\n---\n"},
      {"content/pol/e.md", "---\ntitle: E\nnext_review: 2027-01-05\n---\n"},
      {"content/pol/g.md", "---\ntitle: G\nowner: Gil\n---\n"},
      {"content/pol/f.md", "---\ntitle: F\n---\n"},
      {"content/pol/h.md", "---\ntitle: H\nlayout: page\nlast_reviewed: 2026-06-01\n---\n"},
      {"content/pol/i.md", "---\ntitle: I\nlayout: page\nnext_review: 2020-01-01\n---\n"},
      {"content/pol/old.md", "---\ntitle: Old\npublished: false\nnext_review: 2020-01-01\n---\n"}},
     0,
     NULL,
     "404.html\napi/pages.json\nassets/favicon.svg\nassets/search.js\nassets/soa.js\n"
     "assets/sort.js\nassets/style.css\ncontrols/index.html\nhandbook/index.html\n"
     "index.html\noscal/component-definition.json\npol/a/index.html\n"
     "pol/b/index.html\npol/c/index.html\npol/d/index.html\npol/e/index.html\n"
     "pol/f/index.html\npol/g/index.html\npol/h/index.html\npol/i/index.html\n"
     "pol/index.html\nreviews/index.html\nsearch.json\nsitemap.xml\nsoa/index.html\n",
     {{"reviews/index.html",
       "Review dashboard|" X "/reviews/|"
       "B," X "/pol/b/,,2025-01-01,2026-01-01,-328,328 days overdue,overdue,Overdue;"
       "A," X "/pol/a/,Ann,2025-11-24,2026-11-24,-1,1 day overdue,overdue,Overdue;"
       "C," X "/pol/c/,,,2026-11-25,0,today,due-soon,Due soon;"
       "D," X "/pol/d/,,,2026-11-26,1,in 1 day,due-soon,Due soon;"
       "E," X "/pol/e/,,,2027-01-05,41,in 41 days,ok,OK;"
       "H," X "/pol/h/,,2026-06-01,2027-06-01,188,in 188 days,ok,OK;"
       "F," X "/pol/f/,,,,,\xe2\x80\x94,none,Not set;"
       "G," X "/pol/g/,Gil,,,,\xe2\x80\x94,none,Not set;"
       "|" X "/reviews/\n"},
      {"pol/a/index.html", "A|" X "/reviews/\n"},
      {"sitemap.xml", SITEMAP_HEAD LOC("/") LOC("/pol/a/") LOC("/pol/b/") LOC("/pol/c/")
                          LOC("/pol/d/") LOC("/pol/e/") LOC("/pol/f/") LOC("/pol/g/") LOC("/pol/h/")
                              LOC("/pol/i/") LOC("/controls/") LOC("/soa/") LOC("/reviews/")
                                  LOC("/handbook/") LOC("/pol/") SITEMAP_TAIL}}},

    {"tag and category pages and their index",
     {{"site.yml", SITE_YML},
      {"layouts/policy.html", "{{TITLE}}|{{TAGS_URL}}|{{PAGE_TAGS}}|{{PAGE_CATEGORIES}}|"
                              "{{#PAGE_TAGS}}[{{ITEM}}]{{/PAGE_TAGS}}\n"},
      {"layouts/tag.html", "{{TITLE}}|{{URL}}|{{TAG_NAME}}|{{TAG_KIND}}|{{#TAG_PAGE}}"
                           "{{ENTRY_TITLE}}@{{ENTRY_URL}}({{ENTRY_DESCRIPTION}});{{/TAG_PAGE}}\n"},
      {"layouts/tags.html",
       "{{TITLE}}|{{URL}}|{{#TAG_GROUP}}{{TAG_GROUP_TITLE}}:{{#TAG}}{{TAG_NAME}}={{TAG_COUNT}}@"
       "{{TAG_URL}};{{/TAG}}{{/TAG_GROUP}}|{{TAGS_URL}}\n"},
      {"content/pol/a.md", "---\ntitle: A\ndescription: About A\ntags: [Access, C++]\n"
                           "categories: Policies\n---\n"},
      {"content/pol/b.md", "---\ntitle: B\ntags: access, Access\n---\n"},
      {"content/pol/c.md", "---\ntitle: C\ntags: [\"!!!\"]\n---\n"},
      {"content/pol/old.md", "---\ntitle: Old\npublished: false\ntags: [Hidden]\n---\n"}},
     0,
     NULL,
     "404.html\napi/pages.json\nassets/favicon.svg\nassets/search.js\nassets/soa.js\n"
     "assets/sort.js\nassets/style.css\ncategories/policies/index.html\n"
     "controls/index.html\nhandbook/index.html\nindex.html\n"
     "oscal/component-definition.json\npol/a/index.html\npol/b/index.html\n"
     "pol/c/index.html\npol/index.html\nreviews/index.html\nsearch.json\nsitemap.xml\n"
     "soa/index.html\ntags/access/index.html\ntags/access-2/index.html\n"
     "tags/c/index.html\ntags/index.html\ntags/tag/index.html\n",
     {{"tags/access/index.html",
       "Tag: Access|" X "/tags/access/|Access|Tag|A@" X "/pol/a/(About A);B@" X "/pol/b/();\n"},
      {"tags/access-2/index.html",
       "Tag: access|" X "/tags/access-2/|access|Tag|B@" X "/pol/b/();\n"},
      {"tags/c/index.html", "Tag: C++|" X "/tags/c/|C++|Tag|A@" X "/pol/a/(About A);\n"},
      {"tags/tag/index.html", "Tag: !!!|" X "/tags/tag/|!!!|Tag|C@" X "/pol/c/();\n"},
      {"categories/policies/index.html",
       "Category: Policies|" X "/categories/policies/|Policies|Category|A@" X
       "/pol/a/(About A);\n"},
      {"tags/index.html",
       "Tags and categories|" X "/tags/|Tags:Access=2@" X "/tags/access/;access=1@" X
       "/tags/access-2/;C++=1@" X "/tags/c/;!!!=1@" X "/tags/tag/;Categories:Policies=1@" X
       "/categories/policies/;|" X "/tags/\n"},
      {"pol/b/index.html", "B|" X "/tags/|access, Access||[access][Access]\n"},
      {"sitemap.xml",
       SITEMAP_HEAD LOC("/pol/a/") LOC("/pol/b/") LOC("/pol/c/") LOC("/controls/") LOC("/soa/")
           LOC("/reviews/") LOC("/handbook/") LOC("/tags/access/") LOC("/tags/access-2/")
               LOC("/tags/c/") LOC("/tags/tag/") LOC("/categories/policies/") LOC("/tags/") LOC("/")
                   LOC("/pol/") SITEMAP_TAIL}}},

    {"the handbook",
     {{"site.yml", SITE_YML},
      {"layouts/policy.html", "{{TITLE}}\n"},
      {"layouts/page.html", "{{TITLE}}\n"},
      {"layouts/handbook.html",
       "{{TITLE}}|{{URL}}|{{HANDBOOK_COUNT}}|{{#HANDBOOK_SECTION}}<{{HANDBOOK_SECTION_TITLE}}/"
       "{{HANDBOOK_SECTION_SLUG}}>{{#HANDBOOK_POLICY}}[{{ENTRY_TITLE}}#{{ENTRY_ANCHOR}}|"
       "{{ENTRY_URL}}|{{ENTRY_OWNER}}|{{ENTRY_APPROVER}}|{{ENTRY_VERSION}}|"
       "{{ENTRY_LAST_REVIEWED}}|{{ENTRY_NEXT_REVIEW}}]{{POLICY_CONTENT}}{{/HANDBOOK_POLICY}}"
       "{{/HANDBOOK_SECTION}}|{{HANDBOOK_URL}}\n"},
      {"content/pol/a.md", "---\ntitle: Alpha\nowner: O\napprover: P\nversion: \"1.2\"\n"
                           "status: approved\nlast_reviewed: 2026-01-01\n---\n"
                           "# Scope\n\nSee [scope](#scope), [c](c.md#x) and a note[^1].\n\n"
                           "[^1]: Note.\n"},
      {"content/pol/b.md", "---\ntitle: Beta\nstatus: draft\n---\nDraft text\n"},
      /* Template syntax in a body is never expanded: in a code span, as
       * Liquid elsewhere is dropped (liquid-tag). */
      {"content/pol/c.md", "---\ntitle: Gamma\n---\n## X\n`{{POLICY_CONTENT}}` stays text\n"},
      {"content/other/d.md", "---\ntitle: Delta\nlayout: page\n---\nNot a policy\n"},
      /* Laid out as a page, with an owner: held to the policy checks, but
       * shown as a plain page, on the site and so in the handbook, which
       * prints what the site shows as policies. */
      {"content/other/z.md", "---\ntitle: Zeta\nlayout: page\nowner: Zed\n---\nZ body\n"},
      {"content/ops/e.md", "---\ntitle: Epsilon\nstatus: retired\n---\nRetired\n"}},
     0,
     NULL,
     "404.html\napi/pages.json\nassets/favicon.svg\nassets/search.js\nassets/soa.js\n"
     "assets/sort.js\nassets/style.css\ncontrols/index.html\nhandbook/index.html\n"
     "index.html\nops/e/index.html\nops/index.html\noscal/component-definition.json\n"
     "other/d/index.html\nother/index.html\nother/z/index.html\npol/a/index.html\n"
     "pol/b/index.html\npol/c/index.html\npol/index.html\nreviews/index.html\n"
     "search.json\nsitemap.xml\nsoa/index.html\n",
     {{"handbook/index.html",
       "Policy handbook|" X "/handbook/|2|<Pol/pol>[Alpha#policy-pol-a|" X
       "/pol/a/|O|P|1.2|2026-01-01|2027-01-01]"
       "<h1 id=\"policy-pol-a-scope\">Scope</h1>\n"
       "<p>See <a href=\"#policy-pol-a-scope\">scope</a>, <a href=\"" X "/pol/c/#x\">c</a> and a "
       "note<sup class=\"footnote-ref\"><a href=\"#policy-pol-a-fn-1\" "
       "id=\"policy-pol-a-fnref-1\" data-footnote-ref>1</a></sup>.</p>\n"
       "<section class=\"footnotes\" data-footnotes>\n<ol>\n<li id=\"policy-pol-a-fn-1\">\n"
       "<p>Note. <a href=\"#policy-pol-a-fnref-1\" class=\"footnote-backref\" "
       "data-footnote-backref aria-label=\"Back to content\">\xe2\x86\xa9</a></p>\n</li>\n"
       "</ol>\n</section>\n"
       "[Gamma#policy-pol-c|" X "/pol/c/|||||]"
       "<h2 id=\"policy-pol-c-x\">X</h2>\n<p><code>{{POLICY_CONTENT}}</code> stays text</p>\n"
       "|" X "/handbook/\n"},
      {"sitemap.xml",
       SITEMAP_HEAD LOC("/ops/e/") LOC("/other/d/") LOC("/other/z/") LOC("/pol/a/") LOC("/pol/b/")
           LOC("/pol/c/") LOC("/controls/") LOC("/soa/") LOC("/reviews/") LOC("/handbook/") LOC("/")
               LOC("/ops/") LOC("/other/") LOC("/pol/") SITEMAP_TAIL}}},

    {"the changelog and feed.xml, with history",
     {{"site.yml", SITE_YML},
      {"layouts/policy.html",
       "{{TITLE}}|{{#HAS_HISTORY}}{{#HISTORY}}{{#HISTORY_COMMIT_ROW}}{{HISTORY_VERSION}} "
       "{{HISTORY_DATE}} {{HISTORY_AUTHOR}} {{HISTORY_SUMMARY}} {{HISTORY_COMMIT}} "
       "{{HISTORY_APPROVED_BY}}/{{HISTORY_REVIEWED_BY}}{{#HISTORY_REVIEW}} R{{/HISTORY_REVIEW}}"
       "{{#HISTORY_COMMIT_PLAIN}} P{{/HISTORY_COMMIT_PLAIN}}{{/HISTORY_COMMIT_ROW}}"
       "{{#HISTORY_UNCOMMITTED}}U{{/HISTORY_UNCOMMITTED}}{{#HISTORY_TRUNCATED}}T"
       "{{/HISTORY_TRUNCATED}};{{/HISTORY}}{{/HAS_HISTORY}}|{{CREATED}}|{{LAST_CHANGED}} "
       "{{LAST_CHANGED_BY}}|{{#HAS_RECENT_CHANGES}}recent:{{/HAS_RECENT_CHANGES}}"
       "{{#RECENT_CHANGES}}{{CHANGE_SUMMARY}};{{/RECENT_CHANGES}}|{{FEED_URL}}|"
       "{{CHANGELOG_URL}}\n"},
      {"layouts/changelog.html",
       "{{TITLE}}|{{URL}}|{{#HAS_CHANGES}}has{{/HAS_CHANGES}}|{{#CHANGES}}{{CHANGE_DATE}} "
       "{{CHANGE_AUTHOR}} {{CHANGE_SUMMARY}} {{CHANGE_COMMIT}} {{CHANGE_COMMIT_ID}}"
       "{{#CHANGE_COMMIT_PLAIN}} plain{{/CHANGE_COMMIT_PLAIN}}{{#CHANGE_PAGE}}["
       "{{CHANGE_PAGE_TITLE}}@{{CHANGE_PAGE_URL}} v{{CHANGE_PAGE_VERSION}}"
       "{{#CHANGE_PAGE_REVIEW}} reviewed{{/CHANGE_PAGE_REVIEW}}]{{/CHANGE_PAGE}};{{/CHANGES}}\n"},
      {"content/pol/a.md", "---\ntitle: Alpha\n---\n"},
      {"content/pol/b.md", "---\ntitle: Beta & co\n---\n"},
      {"content/pol/c.md", "---\ntitle: Gamma\n---\n"}},
     1,
     NULL,
     "404.html\napi/pages.json\nassets/favicon.svg\nassets/search.js\nassets/soa.js\n"
     "assets/sort.js\nassets/style.css\nchangelog/index.html\ncontrols/index.html\n"
     "feed.xml\nhandbook/index.html\nindex.html\noscal/component-definition.json\n"
     "pol/a/index.html\npol/b/index.html\npol/c/index.html\npol/index.html\n"
     "reviews/index.html\nsearch.json\nsitemap.xml\nsoa/index.html\n",
     {{"pol/a/index.html",
       "Alpha|U;2.0 2026-03-01 Ann Update A & B c1c1c1c Boss/ P;1 2026-01-15 Bob <b> Create <A> "
       "c2c2c2c / P;|2026-01-15|2026-03-01 Ann|recent:Update A & B;Create <A>;|" X "/feed.xml|" X
       "/changelog/\n"},
      {"pol/b/index.html",
       "Beta & co|3 2026-03-01 Ann Update A & B c1c1c1c / R P;|2026-03-01|"
       "2026-03-01 Ann|recent:Update A & B;Create <A>;|" X "/feed.xml|" X "/changelog/\n"},
      {"pol/c/index.html",
       "Gamma||| |recent:Update A & B;Create <A>;|" X "/feed.xml|" X "/changelog/\n"},
      {"changelog/index.html",
       "Changelog|" X "/changelog/|has|2026-03-01 Ann Update A & B c1c1c1c " C1 " plain[Alpha@" X
       "/pol/a/ v2.0][Beta & co@" X "/pol/b/ v3 reviewed];2026-01-15 Bob <b> Create <A> c2c2c2c " C2
       " plain[Alpha@" X "/pol/a/ v1];\n"},
      {"feed.xml",
       "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
       "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
       "  <title>Site: policy changes</title>\n"
       "  <link rel=\"self\" href=\"" X "/feed.xml\"/>\n"
       "  <id>" X "/feed.xml</id>\n"
       "  <updated>2026-03-01T00:00:00Z</updated>\n"
       "  <entry>\n"
       "    <title>Update A &amp; B</title>\n"
       "    <id>urn:uuid:c1c1c1c1-aaaa-bbbb-cccc-dddd00001111</id>\n"
       "    <updated>2026-03-01T00:00:00Z</updated>\n"
       "    <author><name>Ann</name></author>\n"
       "    <link href=\"" X "/pol/a/\"/>\n"
       "    <content type=\"html\">&lt;ul&gt;&lt;li&gt;&lt;a href=&quot;" X
       "/pol/a/&quot;&gt;Alpha&lt;/a&gt; (version 2.0)&lt;/li&gt;&lt;li&gt;&lt;a href=&quot;" X
       "/pol/b/&quot;&gt;Beta &amp;amp; co&lt;/a&gt; (version 3) (reviewed)&lt;/li&gt;"
       "&lt;/ul&gt;&lt;p&gt;Approved by Boss&lt;/p&gt;</content>\n"
       "  </entry>\n"
       "  <entry>\n"
       "    <title>Create &lt;A&gt;</title>\n"
       "    <id>urn:uuid:c2c2c2c2-aaaa-bbbb-cccc-dddd00001111</id>\n"
       "    <updated>2026-01-15T00:00:00Z</updated>\n"
       "    <author><name>Bob &lt;b&gt;</name></author>\n"
       "    <link href=\"" X "/pol/a/\"/>\n"
       "    <content type=\"html\">&lt;ul&gt;&lt;li&gt;&lt;a href=&quot;" X
       "/pol/a/&quot;&gt;Alpha&lt;/a&gt; (version 1)&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;No approval "
       "recorded&lt;/p&gt;</content>\n"
       "  </entry>\n"
       "</feed>\n"},
      {"sitemap.xml", SITEMAP_HEAD LOC("/pol/a/") LOC("/pol/b/") LOC("/pol/c/") LOC("/controls/")
                          LOC("/soa/") LOC("/reviews/") LOC("/handbook/") LOC("/changelog/")
                              LOC("/") LOC("/pol/") SITEMAP_TAIL}}},

    /* A folder of pages without a page of its own gets an index, and the
     * home one when no page is the home. The folders are the pages' URLs':
     * misc/m.md, moved by its permalink, is listed under /moved/ and leaves
     * misc/ without one; hr/ and ops/ have their pages (index.md, Hugo's
     * _index.md); handbook/ yields to the handbook; drafts/ holds no
     * published page. */
    {"folder indexes and the generated home",
     {{"site.yml", SITE_YML},
      {"layouts/folder.html",
       "FOLDER {{TITLE}}|{{URL}}|{{#FOLDER_PARENT}}^{{FOLDER_PARENT_TITLE}}@"
       "{{FOLDER_PARENT_URL}}{{/FOLDER_PARENT}}|{{#HAS_FOLDER_PAGES}}pages:{{/HAS_FOLDER_PAGES}}"
       "{{#FOLDER_PAGE}}{{ENTRY_TITLE}}@{{ENTRY_URL}}({{ENTRY_DESCRIPTION}});{{/FOLDER_PAGE}}|"
       "{{#HAS_SUBFOLDERS}}folders:{{/HAS_SUBFOLDERS}}{{#SUBFOLDER}}{{ENTRY_TITLE}}@"
       "{{ENTRY_URL}};{{/SUBFOLDER}}\n"},
      {"layouts/home.html",
       "HOME {{TITLE}}|{{URL}}|[{{CONTENT}}]|{{#FOLDER_PAGE}}{{ENTRY_TITLE}}@{{ENTRY_URL}};"
       "{{/FOLDER_PAGE}}|{{#SUBFOLDER}}{{ENTRY_TITLE}}@{{ENTRY_URL}};{{/SUBFOLDER}}|"
       "{{PAGE_COUNT}}\n"},
      {"layouts/policy.html", "{{TITLE}}\n"},
      {"layouts/handbook.html", "HANDBOOK {{TITLE}}\n"},
      {"content/about.md", "---\ntitle: About\n---\n"},
      {"content/pol/a.md", "---\ntitle: Alpha\ndescription: About A\n---\n"},
      {"content/pol/sub/b.md", "---\ntitle: Beta\n---\n"},
      {"content/hr/index.md", "---\ntitle: People\n---\n"},
      {"content/hr/sub/y.md", "---\ntitle: Why\n---\n"},
      {"content/ops/_index.md", "---\ntitle: Operations\n---\n"},
      {"content/misc/m.md", "---\ntitle: Moved\npermalink: /moved/there/\n---\n"},
      {"content/handbook/h.md", "---\ntitle: H\n---\n"},
      {"content/drafts/x.md", "---\ntitle: X\npublished: false\n---\n"}},
     0,
     NULL,
     "404.html\nabout/index.html\napi/pages.json\nassets/favicon.svg\nassets/search.js\n"
     "assets/soa.js\nassets/sort.js\nassets/style.css\ncontrols/index.html\n"
     "handbook/h/index.html\nhandbook/index.html\nhr/index.html\nhr/sub/index.html\n"
     "hr/sub/y/index.html\nindex.html\nmoved/index.html\nmoved/there/index.html\n"
     "ops/index.html\noscal/component-definition.json\npol/a/index.html\npol/index.html\n"
     "pol/sub/b/index.html\n"
     "pol/sub/index.html\nreviews/index.html\nsearch.json\nsitemap.xml\nsoa/index.html\n",
     /* The home lists the pages at the top (hr/ and ops/ are pages) and
      * the folders; handbook/ is the handbook's, so it is no folder. */
     {{"index.html", "HOME Site|" X "/|[]|About@" X "/about/;People@" X "/hr/;Operations@" X
                     "/ops/;|Moved@" X "/moved/;Pol@" X "/pol/;|8\n"},
      {"pol/index.html",
       "FOLDER Pol|" X "/pol/||pages:Alpha@" X "/pol/a/(About A);|folders:Sub@" X "/pol/sub/;\n"},
      {"pol/sub/index.html",
       "FOLDER Sub|" X "/pol/sub/|^Pol@" X "/pol/|pages:Beta@" X "/pol/sub/b/();|\n"},
      /* The parent is a page: its title. */
      {"hr/sub/index.html",
       "FOLDER Sub|" X "/hr/sub/|^People@" X "/hr/|pages:Why@" X "/hr/sub/y/();|\n"},
      {"moved/index.html", "FOLDER Moved|" X "/moved/||pages:Moved@" X "/moved/there/();|\n"},
      {"handbook/index.html", "HANDBOOK Policy handbook\n"},
      {"sitemap.xml",
       SITEMAP_HEAD LOC("/about/") LOC("/handbook/h/") LOC("/hr/") LOC("/hr/sub/y/")
           LOC("/moved/there/") LOC("/ops/") LOC("/pol/a/") LOC("/pol/sub/b/") LOC("/controls/")
               LOC("/soa/") LOC("/reviews/") LOC("/handbook/") LOC("/") LOC("/hr/sub/")
                   LOC("/moved/") LOC("/pol/") LOC("/pol/sub/") SITEMAP_TAIL}}},

    /* Without history no changelog (though the theme has its layout) and no
     * feed: not written, not in the sitemap, not in the variables. */
    {"the 404 page",
     {{"site.yml", SITE_YML_AT("https://x.example/docs")},
      {"layouts/policy.html", "{{TITLE}}|{{CHANGELOG_URL}}|{{FEED_URL}}\n"},
      {"layouts/404.html", "{{TITLE}}|{{URL}}|{{BASE_URL}}\n"},
      {"layouts/changelog.html", "{{TITLE}}\n"},
      {"content/pol/a.md", "---\ntitle: A\n---\n"}},
     0,
     NULL,
     "404.html\napi/pages.json\nassets/favicon.svg\nassets/search.js\nassets/soa.js\n"
     "assets/sort.js\nassets/style.css\ncontrols/index.html\nhandbook/index.html\n"
     "index.html\noscal/component-definition.json\npol/a/index.html\npol/index.html\n"
     "reviews/index.html\nsearch.json\nsitemap.xml\nsoa/index.html\n",
     {{"404.html", "Page not found|" X "/docs/404.html|" X "/docs/\n"},
      {"pol/a/index.html", "A||\n"},
      {"sitemap.xml", SITEMAP_HEAD LOC("/docs/pol/a/") LOC("/docs/controls/") LOC("/docs/soa/")
                          LOC("/docs/reviews/") LOC("/docs/handbook/") LOC("/docs/")
                              LOC("/docs/pol/") SITEMAP_TAIL}}},

    /* A page holding a generated path keeps it; the generator writes
     * nothing there (the plan reported the collision at load). Both pages
     * are served at the top, so pol/, which serves nothing, gets no index. */
    {"a page's permalink takes the 404 page's and the handbook's paths",
     {{"site.yml", SITE_YML},
      {"layouts/policy.html", "page {{TITLE}}\n"},
      {"layouts/404.html", "generated 404\n"},
      {"layouts/handbook.html", "generated handbook\n"},
      {"content/pol/a.md", "---\ntitle: A\npermalink: /404.html\n---\n"},
      {"content/pol/b.md", "---\ntitle: B\npermalink: /handbook/\n---\n"}},
     0,
     "content/pol/a.md:3:12: error: '404.html' is claimed by this page and by the 404 page, "
     "which charter generates; change the page's permalink [output-collision]\n"
     "content/pol/b.md:3:12: error: 'handbook/index.html' is claimed by this page and by the "
     "handbook, which charter generates; change the page's permalink, or publish charter's "
     "elsewhere (generated_pages: {handbook: /policy-handbook/} in site.yml) "
     "[output-collision]\n",
     "404.html\napi/pages.json\nassets/favicon.svg\nassets/search.js\nassets/soa.js\n"
     "assets/sort.js\nassets/style.css\ncontrols/index.html\nhandbook/index.html\n"
     "index.html\noscal/component-definition.json\nreviews/index.html\nsearch.json\n"
     "sitemap.xml\nsoa/index.html\n",
     {{"404.html", "page A\n"},
      {"handbook/index.html", "page B\n"},
      {"sitemap.xml", SITEMAP_HEAD LOC("/404.html") LOC("/handbook/") LOC("/controls/") LOC("/soa/")
                          LOC("/reviews/") LOC("/") SITEMAP_TAIL}}},
};

/* Expects got == want, showing both when they differ. */
static void expect_text(const char *got, const char *want, const char *name, const char *what)
{
    cr_expect_str_eq(got, want, "%s: %s\n--- got:\n%s\n--- want:\n%s", name, what, got, want);
}

/* Builds the case's site into <sb>/out as charter build does (without the
 * checks), then compares what was written. With `early`, the outputs that
 * need no history are made by render_early_start beside render_site, as a
 * build does while its history is read: what is written must not differ. */
static void render_case(const struct render_case *c, int early)
{
    unit_mkdtemp(sb, sizeof sb, "render");
    for (size_t i = 0; i < COUNT(c->files) && c->files[i].path; i++)
        put(c->files[i].path, c->files[i].text);
    buf site_dir, out_dir;
    buf_init(&site_dir);
    buf_init(&out_dir);
    buf_printf(&site_dir, "%s/site", sb);
    buf_printf(&out_dir, "%s/out", sb);

    diags *d = diag_new(site_dir.data);
    site *s = NULL;
    cr_assert_eq(site_load(&s, site_dir.data, date_from_civil(2026, 11, 25), d), 0, "%s", c->name);
    char *got = unit_diag_text(d);
    expect_text(got, c->load ? c->load : "", c->name, "load");
    free(got);
    diag_free(d);

    d = diag_new(site_dir.data);
    const history *h = c->history ? make_history(s) : NULL;
    const char *sources[] = {site_dir.data, NULL};
    output *o = NULL;
    cr_assert_eq(output_begin(&o, out_dir.data, sources, d), 0, "%s", c->name);
    int fd = output_scratch(o, d);
    cr_assert_geq(fd, 0);
    parsed *pp = parse_site(s, fd, d);
    /* early 1: told to stop before it starts, it takes nothing, and
     * render_site makes all; 2: beside render_site, each output is made by
     * the one that takes it first, once. */
    render_early *e = NULL;
    atomic_int stop;
    atomic_init(&stop, early == 1);
    if (early)
        e = render_early_start(s, pp, NULL, o, &stop, d);
    cr_expect_eq(render_site(s, pp, h, NULL, o, e, NULL, d), 0, "%s: render", c->name);
    unsigned made = 0;
    cr_expect_eq(render_early_end(e, &made), 0, "%s: early", c->name);
    if (early == 1)
        cr_expect_eq(made, 0, "%s: made early though told to stop", c->name);
    else
        cr_expect_leq(__builtin_popcount(made), 2,
                      "%s: more than the OSCAL export and search.json early", c->name);
    cr_expect_eq(output_commit(o, d), 0, "%s: commit", c->name);
    output_free(o, d);
    close(fd);
    got = unit_diag_text(d);
    expect_text(got, "", c->name, "render diagnostics");
    free(got);

    buf tree;
    buf_init(&tree);
    list_tree(&tree, out_dir.data, "");
    expect_text(tree.data, c->tree, c->name, "files written");
    buf_release(&tree);

    buf path, bytes;
    buf_init(&path);
    buf_init(&bytes);
    for (size_t i = 0; i < COUNT(c->want) && c->want[i].path; i++) {
        buf_reset(&path);
        buf_reset(&bytes);
        buf_printf(&path, "%s/%s", out_dir.data, c->want[i].path);
        if (fs_read(&bytes, path.data, c->want[i].path, d) != 0)
            continue; /* reported, and the tree differs */
        expect_text(bytes.data, c->want[i].bytes, c->name, c->want[i].path);
    }
    /* api/pages.json: api.c's bytes (test_api checks them). */
    buf api;
    buf_init(&api);
    api_pages_json(&api, s, h);
    buf_reset(&path);
    buf_reset(&bytes);
    buf_printf(&path, "%s/api/pages.json", out_dir.data);
    if (fs_read(&bytes, path.data, NULL, d) == 0)
        expect_text(bytes.data, api.data, c->name, "api/pages.json");
    buf_release(&api);
    buf_release(&path);
    buf_release(&bytes);

    parsed_free(pp);
    if (h)
        free(fake.pages);
    site_free(s);
    diag_free(d);
    d = diag_new(NULL);
    fs_remove_tree(sb, d);
    diag_free(d);
    buf_release(&site_dir);
    buf_release(&out_dir);
}

Test(render, each_generator)
{
    for (size_t i = 0; i < COUNT(cases); i++)
        render_case(&cases[i], 0);
}

/* Each output made before the history is read (render_early_start) is
 * written once, the same as render_site alone writes it: a second write of
 * one file would fail the render (its path is claimed), one not made would
 * be missing from the tree. */
Test(render, history_free_outputs_made_early)
{
    for (size_t i = 0; i < COUNT(cases); i++)
        render_case(&cases[i], 2);
}

/* What the early run has not taken, render_site makes: told to stop at
 * once, it takes nothing, and render_site does not wait for it to. */
Test(render, history_free_outputs_not_taken_early_are_rendered)
{
    for (size_t i = 0; i < COUNT(cases); i++)
        render_case(&cases[i], 1);
}

/* ---- what a page's key is made from ---- */

/* The keys (gen_key) of the pages at rels of the site in <sb>/site, as
 * render_site makes them. */
static void page_keys(char keys[][DIGEST_HEX], const char *const *rels, size_t n)
{
    buf site_dir;
    buf_init(&site_dir);
    buf_printf(&site_dir, "%s/site", sb);
    diags *d = diag_new(site_dir.data);
    site *s = NULL;
    cr_assert_eq(site_load(&s, site_dir.data, date_from_civil(2026, 11, 25), d), 0);
    parsed *pp = parse_site(s, -1, d);
    gen g;
    gen_init(&g, s, pp, NULL, NULL, NULL, d);
    for (size_t i = 0; i < n; i++) {
        const page *p = map_get(s->by_rel, rels[i]);
        cr_assert_not_null(p, "%s", rels[i]);
        const layout *l = layouts_for_page(s->layouts, p->layout, p->policy);
        cr_assert_not_null(l, "%s", rels[i]);
        tpl_dict *pd = vars_page_begin(&g, p);
        vars_page_finish(pd, &g, p);
        tpl_dict_set_shared(pd, gen_shared(&g, l));
        gen_key(keys[i], &g, l, pd, NULL, 0);
        tpl_dict_free(pd);
    }
    char *got = unit_diag_text(d);
    cr_expect_str_eq(got, "", "load and parse:\n%s", got);
    free(got);
    gen_release(&g);
    parsed_free(pp);
    site_free(s);
    diag_free(d);
    buf_release(&site_dir);
}

/* SECTIONS (an entry for every page) is part of the key of a page only
 * when its layout, a layout it sits in or an include of theirs lists it:
 * another section's title edit leaves every other page's key as it was,
 * so the page is linked, not rendered again; the pages that list SECTIONS
 * change key. */
Test(render, sections_in_the_key_only_where_listed)
{
    unit_mkdtemp(sb, sizeof sb, "render-keys");
    put("site.yml", "title: Keys\nbase_url: /\n");
    put("layouts/policy.html", "{{TITLE}}\n");
    put("layouts/home.html", "{{#SECTIONS}}{{#SECTION_PAGE}}{{ENTRY_TITLE}}\n"
                             "{{/SECTION_PAGE}}{{/SECTIONS}}");
    put("layouts/listing.html", "---\nlayout: frame\n---\n{{TITLE}}\n");
    put("layouts/frame.html", "<main>{{CONTENT}}</main>{{>REGISTER}}\n");
    put("layouts/_includes/register.html", "{{#SECTIONS}}{{SECTION_TITLE}}{{/SECTIONS}}\n");
    put("content/index.md", "---\ntitle: Home\nlayout: home\n---\nHi\n");
    put("content/a/x.md", "---\ntitle: X\nowner: o\nlast_reviewed: 2026-06-01\n---\nX\n");
    put("content/b/y.md", "---\ntitle: Y one\nowner: o\nlast_reviewed: 2026-06-01\n---\nY\n");
    put("content/c/z.md", "---\ntitle: Z\nlayout: listing\n---\nZ\n");
    static const char *const rels[] = {"a/x.md", "index.md", "c/z.md"};
    char before[3][DIGEST_HEX], after[3][DIGEST_HEX];
    page_keys(before, rels, 3);
    put("content/b/y.md", "---\ntitle: Y two\nowner: o\nlast_reviewed: 2026-06-01\n---\nY\n");
    page_keys(after, rels, 3);
    cr_expect_str_eq(after[0], before[0], "a/x.md's layout lists no SECTIONS");
    cr_expect_str_neq(after[1], before[1], "the home lists every page's title");
    cr_expect_str_neq(after[2], before[2], "c/z.md's parent layout includes SECTIONS");
    diags *d = diag_new(NULL);
    fs_remove_tree(sb, d);
    diag_free(d);
}

/* ---- a page's key made without its dictionary (gen_page_key) ---- */

typedef struct round {
    char key[4][DIGEST_HEX];  /* gen_page_key of each page */
    char dict[4][DIGEST_HEX]; /* gen_key over its dictionary: what the key stands for */
    size_t made;              /* pages gen_pages gave a dictionary */
    char search_key[DIGEST_HEX];
    int search_made; /* search.json made, not linked by its key */
} round;

static const char *const round_rels[] = {"pol/a.md", "pol/b.md", "pol/c.md", "other/d.md"};

/* One build of <sb>/site into <sb>/out as charter build makes the pages,
 * with its caches in <sb>/cache, and the hand-made history changed by
 * `rows` (REWORDED: pol/a.md's newest commit's summary; UNTRACKED: its
 * uncommitted row, in no change, an untracked one; APPROVER_EMAIL: its
 * newest commit's approver with an email, which only the page's change
 * table shows, the recent changes naming approvers without): the keys,
 * and how many pages were rendered rather than linked. */
enum { REWORDED = 1, UNTRACKED = 2, APPROVER_EMAIL = 4 };
static void pages_round(round *r, int rows)
{
    buf site_dir, out_dir, cache_dir, parse_path, scratch;
    buf_init(&site_dir);
    buf_init(&out_dir);
    buf_init(&cache_dir);
    buf_init(&parse_path);
    buf_init(&scratch);
    buf_printf(&site_dir, "%s/site", sb);
    buf_printf(&out_dir, "%s/out", sb);
    buf_printf(&cache_dir, "%s/cache", sb);
    buf_printf(&parse_path, "%s/cache/parse.cache", sb);
    buf_printf(&scratch, "%s/scratch", sb);
    cr_assert(mkdir(cache_dir.data, 0755) == 0 || errno == EEXIST);
    diags *d = diag_new(site_dir.data);
    site *s = NULL;
    cr_assert_eq(site_load(&s, site_dir.data, date_from_civil(2026, 11, 25), d), 0);
    int fd = open(scratch.data, O_RDWR | O_CREAT | O_TRUNC, 0600);
    cr_assert_geq(fd, 0);
    parsed *pp = parse_site_cached(s, fd, parse_path.data, d);
    cr_assert_not(parsed_failed(pp));
    const history *h = make_history(s);
    if (rows & REWORDED)
        fake.a_rows[1].summary = "Reworded";
    if (rows & UNTRACKED)
        fake.a_rows[0].kind = HIST_UNTRACKED;
    if (rows & APPROVER_EMAIL)
        fake.approvers[0] = "Boss <boss@x.example>";
    const char *sources[] = {site_dir.data, NULL};
    output *o = NULL;
    cr_assert_eq(output_begin_cached(&o, out_dir.data, sources, cache_dir.data, 0, NULL, d), 0);
    gen g;
    gen_init(&g, s, pp, h, NULL, o, d);
    for (size_t i = 0; i < COUNT(round_rels); i++) {
        const page *p = map_get(s->by_rel, round_rels[i]);
        cr_assert_not_null(p, "%s", round_rels[i]);
        const layout *l = layouts_for_page(s->layouts, p->layout, p->policy);
        const char *body = parsed_page_key(pp, p->index);
        cr_assert(l && body, "%s", round_rels[i]);
        gen_page_key(r->key[i], &g, l, p, body);
        tpl_dict *pd = vars_page_begin(&g, p);
        vars_page_finish(pd, &g, p);
        tpl_dict_set_shared(pd, gen_shared(&g, l));
        gen_key(r->dict[i], &g, l, pd, &body, 1);
        tpl_dict_free(pd);
    }
    gen_pages(&g);
    r->made = atomic_load(&g.pages_made);
    cr_assert(search_key(r->search_key, &g));
    cr_expect_eq(search_write(&g), 0);
    r->search_made = g.search_made;
    cr_expect_not(atomic_load(&g.failed));
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    close(fd);
    char *got = unit_diag_text(d);
    cr_expect_str_eq(got, "", "the build:\n%s", got);
    free(got);
    gen_release(&g);
    parsed_free(pp);
    free(fake.pages);
    site_free(s);
    diag_free(d);
    buf_release(&site_dir);
    buf_release(&out_dir);
    buf_release(&cache_dir);
    buf_release(&parse_path);
    buf_release(&scratch);
}

/* A page's key is made from what its dictionary is made from, not from the
 * dictionary: after each edit below, a page whose dictionary changed has a
 * new key (else the previous build's file would be linked, stale), and one
 * whose dictionary did not keeps its key (else it is rendered for
 * nothing). An edit of one page's body renders that page alone, and gives
 * no other page a dictionary. */
Test(render, page_keys_follow_their_dictionaries)
{
    unit_mkdtemp(sb, sizeof sb, "render-page-keys");
    put("site.yml", SITE_YML "repository_url: https://git.example/r\n");
    put("layouts/policy.html", "{{TITLE}}|{{PREV_TITLE}}|{{NEXT_TITLE}}|{{#CONTROLS}}"
                               "{{CONTROL_TITLE}}{{/CONTROLS}}|{{#HISTORY}}{{HISTORY_SUMMARY}}"
                               "{{/HISTORY}}|{{EDIT_URL}}|{{CONTENT}}\n");
    put("controls/iso.yml", "framework: iso\nname: ISO\ncontrols:\n"
                            "  - {id: A.1, title: First, group: Org}\n"
                            "  - {id: A.2, title: Second, group: Org}\n");
#define PAGE(title, extra, body)                                                                   \
    "---\ntitle: " title "\nowner: Olga\nlast_reviewed: 2026-06-01\n" extra "---\n" body
    put("content/pol/a.md", PAGE("Alpha", "controls: [A.1]\n", "# Alpha\n\nA body.\n"));
    put("content/pol/b.md", PAGE("Beta", "controls: [A.2]\n", "B body.\n"));
    put("content/pol/c.md", PAGE("Gamma", "", "C body.\n"));
    put("content/other/d.md", PAGE("Delta", "", "D body.\n"));
    static const struct edit {
        const char *what, *file, *text;
        int rows;
        int same[4]; /* 1: this page's dictionary, and its key, stay as they were */
    } edits[] = {
        {"c's body", "content/pol/c.md", PAGE("Gamma", "", "C body, edited.\n"), 0, {1, 1, 0, 1}},
        {"c's body again, a heading added",
         "content/pol/c.md",
         PAGE("Gamma", "", "## A\n\n## B\n\n## C\n\nC body.\n"),
         0,
         {1, 1, 0, 1}},
        /* The recent changes name b, but only the generated pages (and a
         * layout that shows them) have them: d is left alone. */
        {"b's title (a's and c's neighbour)",
         "content/pol/b.md",
         PAGE("Bravo", "controls: [A.2]\n", "B body.\n"),
         0,
         {0, 0, 0, 1}},
        {"c's title (b's neighbour, listed in a's and b's navigation)",
         "content/pol/c.md",
         PAGE("Gamma two", "", "## A\n\n## B\n\n## C\n\nC body.\n"),
         0,
         {0, 0, 0, 1}},
        {"d's title (in another section)",
         "content/other/d.md",
         PAGE("Dee", "", "D body.\n"),
         0,
         {1, 1, 1, 0}},
        {"a's owner",
         "content/pol/a.md",
         PAGE("Alpha", "controls: [A.1]\nowner2: x\n", "# Alpha\n\nA body.\n"),
         0,
         {0, 1, 1, 1}},
        {"A.1's title (a cites it)",
         "controls/iso.yml",
         "framework: iso\nname: ISO\ncontrols:\n  - {id: A.1, title: Premier, group: Org}\n"
         "  - {id: A.2, title: Second, group: Org}\n",
         0,
         {0, 1, 1, 1}},
        {"a's uncommitted row, now untracked", NULL, NULL, UNTRACKED, {0, 1, 1, 1}},
        /* In the recent changes too, which these pages do not show (a
         * commit leaves the pages it does not change alone). */
        {"a's newest commit's summary", NULL, NULL, UNTRACKED | REWORDED, {0, 1, 1, 1}},
        /* Front matter d does not hold (and SITE_DEFAULTS, every page's). */
        {"a default for the other section",
         "site.yml",
         SITE_YML "repository_url: https://git.example/r\n"
                  "defaults: [{scope: {path: other}, values: {classification: Internal}}]\n",
         UNTRACKED | REWORDED,
         {0, 0, 0, 0}},
        {"repository_url",
         "site.yml",
         SITE_YML "repository_url: https://git.example/s\n"
                  "defaults: [{scope: {path: other}, values: {classification: Internal}}]\n",
         UNTRACKED | REWORDED,
         {0, 0, 0, 0}},
        /* A row's field that only a's own change table shows (its key digests
         * every field of its rows, not only what the recent changes show). */
        {"a's newest commit's approver, with an email now",
         NULL,
         NULL,
         UNTRACKED | REWORDED | APPROVER_EMAIL,
         {0, 1, 1, 1}},
    };
#undef PAGE
    round before, after;
    pages_round(&before, 0);
    cr_expect_eq(before.made, 4, "the first build renders every page");
    for (size_t e = 0; e < COUNT(edits); e++) {
        if (edits[e].file)
            put(edits[e].file, edits[e].text);
        pages_round(&after, edits[e].rows);
        size_t changed = 0;
        for (size_t i = 0; i < COUNT(round_rels); i++) {
            int dict_same = !strcmp(after.dict[i], before.dict[i]);
            int key_same = !strcmp(after.key[i], before.key[i]);
            cr_expect_eq(dict_same, edits[e].same[i], "%s: %s's dictionary %s", edits[e].what,
                         round_rels[i], dict_same ? "did not change" : "changed");
            cr_expect_eq(key_same, dict_same, "%s: %s's key %s, its dictionary %s", edits[e].what,
                         round_rels[i], key_same ? "stayed" : "changed",
                         dict_same ? "did not" : "did");
            changed += !key_same;
        }
        cr_expect_eq(after.made, changed, "%s: %zu pages rendered, %zu changed", edits[e].what,
                     after.made, changed);
        before = after;
    }
    diags *d = diag_new(NULL);
    fs_remove_tree(sb, d);
    diag_free(d);
}

/* search.json is made again only when what it shows changes (search_key):
 * a page's title, URL or section, the start of its text (its first 1,500
 * bytes), a control page listed. An edit past the start of a page's text,
 * or of what search.json does not show, links the previous build's. What
 * is linked is what a fresh build makes: the incremental test checks that
 * (CHARTER_CHECK_REUSE), here the key and the file's new title. */
Test(render, search_follows_what_it_shows)
{
    unit_mkdtemp(sb, sizeof sb, "render-search");
    put("site.yml", SITE_YML);
    put("layouts/policy.html", "{{TITLE}}|{{CONTENT}}\n");
    put("layouts/control.html", "{{CONTROL_ID}}\n");
    put("controls/iso.yml", "framework: iso\nname: ISO\ncontrols:\n"
                            "  - {id: A.1, title: First, group: Org}\n");
    buf body;
    buf_init(&body);
    for (int i = 0; i < 40; i++)
        buf_printf(&body, "Paragraph %d of a policy long enough for its text to be cut.\n\n", i);
#define PAGE(title, extra)                                                                         \
    "---\ntitle: " title "\nowner: Olga\nlast_reviewed: 2026-06-01\n" extra "---\n"
    buf a;
    buf_init(&a);
    buf_printf(&a, PAGE("Alpha", "") "%s", body.data);
    put("content/pol/a.md", a.data);
    put("content/pol/b.md", PAGE("Beta", "") "B body.\n");
    put("content/pol/c.md", PAGE("Gamma", "") "C body.\n");
    put("content/other/d.md", PAGE("Delta", "") "D body.\n");
    buf past, start;
    buf_init(&past);
    buf_init(&start);
    buf_printf(&past, "%sAn edit at the end.\n", a.data);
    buf_printf(&start, PAGE("Alpha", "") "An edit at the start.\n\n%sAn edit at the end.\n",
               body.data);
    static const char iso2[] = "framework: iso\nname: ISO\ncontrols:\n"
                               "  - {id: A.1, title: Premier, group: Org}\n";
    const struct edit {
        const char *what, *file, *text;
        int made;
    } edits[] = {
        {"nothing", NULL, NULL, 0},
        {"a's body past the start of its text", "content/pol/a.md", past.data, 0},
        {"b's owner, which search.json does not show", "content/pol/b.md",
         "---\ntitle: Beta\nowner: Oscar\nlast_reviewed: 2026-06-01\n---\nB body.\n", 0},
        {"a's body at the start of its text", "content/pol/a.md", start.data, 1},
        {"c's body, all of it shown", "content/pol/c.md", PAGE("Gamma", "") "C body, edited.\n", 1},
        {"b's title", "content/pol/b.md",
         "---\ntitle: Bravo\nowner: Oscar\nlast_reviewed: 2026-06-01\n---\nB body.\n", 1},
        {"A.1's title", "controls/iso.yml", iso2, 1},
        {"nothing again", NULL, NULL, 0},
    };
#undef PAGE
    round before, after;
    pages_round(&before, 0);
    cr_expect(before.search_made, "the first build makes search.json");
    for (size_t e = 0; e < COUNT(edits); e++) {
        if (edits[e].file)
            put(edits[e].file, edits[e].text);
        pages_round(&after, 0);
        int same = !strcmp(after.search_key, before.search_key);
        cr_expect_eq(same, !edits[e].made, "%s: search.json's key %s", edits[e].what,
                     same ? "stayed" : "changed");
        cr_expect_eq(after.search_made, edits[e].made, "%s: search.json %s", edits[e].what,
                     after.search_made ? "made again" : "linked");
        before = after;
    }
    buf path, text;
    buf_init(&path);
    buf_init(&text);
    buf_printf(&path, "%s/out/search.json", sb);
    diags *rd = diag_new(NULL);
    cr_assert_eq(fs_read(&text, path.data, NULL, rd), 0);
    diag_free(rd);
    cr_expect(strstr(text.data, "\"Bravo\"") && !strstr(text.data, "\"Beta\""), "%s", text.data);
    cr_expect(strstr(text.data, "A.1 Premier") != NULL, "%s", text.data);
    buf_release(&path);
    buf_release(&text);
    buf_release(&body);
    buf_release(&a);
    buf_release(&past);
    buf_release(&start);
    diags *d = diag_new(NULL);
    fs_remove_tree(sb, d);
    diag_free(d);
}

/* ---- CHARTER_CHECK_REUSE's comparison ---- */

/* "abc" in two parts, or a failure when ctx says so. */
static int fill_abc(void *ctx, buf *chunk)
{
    int *part = ctx;
    if (*part < 0)
        return -1;
    buf_adds(chunk, (*part)++ == 0 ? "ab" : "c");
    return *part < 2;
}

/* A file linked by its key and made again: the same bytes pass; others
 * are an internal error naming the file; a fill that fails is the
 * caller's to report. */
Test(render, check_remade_compares_the_bytes)
{
    gen g;
    memset(&g, 0, sizeof g);
    g.d = diag_new(NULL);
    char same[DIGEST_HEX], other[DIGEST_HEX];
    digest_of(same, "abc", 3);
    digest_of(other, "abd", 3);
    int part = 0;
    cr_expect_eq(gen_check_remade(&g, "x.json", same, fill_abc, &part), 0);
    char *got = unit_diag_text(g.d);
    cr_expect_str_eq(got, "");
    free(got);
    part = 0;
    cr_expect_eq(gen_check_remade(&g, "x.json", other, fill_abc, &part), 0);
    got = unit_diag_text(g.d);
    cr_expect_str_eq(got, "-:0:0: error: 'x.json' was linked from the previous build as made "
                          "from the same inputs, but is made differently now: its key misses an "
                          "input [internal]\n");
    free(got);
    diag_free(g.d);
    g.d = diag_new(NULL);
    part = -1;
    cr_expect_eq(gen_check_remade(&g, "x.json", other, fill_abc, &part), -1);
    got = unit_diag_text(g.d);
    cr_expect_str_eq(got, "");
    free(got);
    diag_free(g.d);
}

/* ---- the changelog's entries, keyed by what each shows (change_key) ---- */

/* One build of the changelog alone from seven changes of pol/a.md, the
 * oldest one's summary `oldest`, into <sb>/out with its cache in
 * <sb>/cache: what changelog/index.html holds (caller frees). */
static char *changelog_round(const char *oldest)
{
    buf site_dir, out_dir, cache_dir, got;
    buf_init(&site_dir);
    buf_init(&out_dir);
    buf_init(&cache_dir);
    buf_init(&got);
    buf_printf(&site_dir, "%s/site", sb);
    buf_printf(&out_dir, "%s/out", sb);
    buf_printf(&cache_dir, "%s/cache", sb);
    cr_assert(mkdir(cache_dir.data, 0755) == 0 || errno == EEXIST);
    diags *d = diag_new(site_dir.data);
    site *s = NULL;
    cr_assert_eq(site_load(&s, site_dir.data, date_from_civil(2026, 11, 25), d), 0);
    const page *a = map_get(s->by_rel, "pol/a.md");
    cr_assert_not_null(a);
    enum { N = 7 };
    hist_row rows[N];
    memset(rows, 0, sizeof rows);
    static const char *const ids[N] = {
        "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222",
        "3333333333333333333333333333333333333333", "4444444444444444444444444444444444444444",
        "5555555555555555555555555555555555555555", "6666666666666666666666666666666666666666",
        "7777777777777777777777777777777777777777"};
    static const char *const summaries[N] = {"Seventh", "Sixth",  "Fifth", "Fourth",
                                             "Third",   "Second", NULL};
    change changes[N];
    size_t pages[N];
    const hist_row *row_of[N];
    for (size_t i = 0; i < N; i++) {
        unit_commit_row(&rows[i], ids[i], "2026-01-01", "Ann", summaries[i] ? summaries[i] : oldest,
                        "1");
        pages[i] = a->index;
        row_of[i] = &rows[i];
        changes[i] = (change){&rows[i], &pages[i], &row_of[i], 1};
    }
    page_history *ph = xcalloc(s->n_pages, sizeof *ph);
    ph[a->index] = (page_history){rows, N};
    history h = {
        .found = 1, .n_pages = s->n_pages, .pages = ph, .changes = changes, .n_changes = N};
    const char *sources[] = {site_dir.data, NULL};
    output *o = NULL;
    cr_assert_eq(output_begin_cached(&o, out_dir.data, sources, cache_dir.data, 0, NULL, d), 0);
    gen g;
    gen_init(&g, s, NULL, &h, NULL, o, d);
    cr_expect_eq(gen_changelog(&g), 0);
    cr_assert_eq(output_commit(o, d), 0);
    output_free(o, d);
    gen_release(&g);
    char *text = unit_diag_text(d);
    cr_expect_str_eq(text, "", "the build:\n%s", text);
    free(text);
    buf_printf(&out_dir, "/changelog/index.html");
    cr_assert_eq(fs_read(&got, out_dir.data, out_dir.data, d), 0);
    free(ph);
    site_free(s);
    diag_free(d);
    buf_release(&site_dir);
    buf_release(&out_dir);
    buf_release(&cache_dir);
    return buf_detach(&got);
}

/* The recent changes every page shows are the newest five; the changelog
 * shows them all. An edit of the oldest change, which only the changelog
 * shows, makes it again rather than linking the previous build's. */
Test(render, changelog_follows_every_change)
{
    unit_mkdtemp(sb, sizeof sb, "render-changelog");
    put("site.yml", SITE_YML);
    put("layouts/changelog.html", "{{#CHANGES}}{{CHANGE_SUMMARY}};{{/CHANGES}}\n");
    put("content/pol/a.md", "---\ntitle: Alpha\n---\nA body.\n");
    char *first = changelog_round("First");
    cr_expect_str_eq(first, "Seventh;Sixth;Fifth;Fourth;Third;Second;First;\n");
    char *again = changelog_round("First, reworded");
    cr_expect_str_eq(again, "Seventh;Sixth;Fifth;Fourth;Third;Second;First, reworded;\n");
    free(first);
    free(again);
    diags *d = diag_new(NULL);
    fs_remove_tree(sb, d);
    diag_free(d);
}
