/* test_new: what `charter new` writes (new.c): the next id of a section's
 * scheme (several schemes, gaps, no ids, mixed, ids of other sections), the
 * title made from a path, and an archetype's front matter filled in: keys
 * replaced where they are, added when missing, kept when the archetype
 * gives a value, and titles with quotes and colons written as valid YAML. */
#include "unit.h"

#include "frontmatter.h"
#include "new.h"
#include "yamltree.h"

/* ---- ids ---- */

#define IDS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct {
    const char *name;
    const char *const *section; /* NULL-terminated */
    const char *const *site;    /* NULL-terminated; NULL: the section's */
    const char *kind, *sec;
    const char *want;
} id_cases[] = {
    {"next after the highest", IDS("POL-TEC-001", "POL-TEC-002", "POL-TEC-003"), NULL, "policy",
     "technology", "POL-TEC-004"},
    {"gaps are not filled", IDS("POL-TEC-001", "POL-TEC-005", "POL-TEC-002"), NULL, "policy",
     "technology", "POL-TEC-006"},
    {"no ids: kind and section", IDS(NULL), NULL, "policy", "technology", "POL-TEC-001"},
    {"no ids at the top", IDS(NULL), NULL, "policy", "", "POL-001"},
    {"no ids, another kind", IDS(NULL), NULL, "standard", "hr", "STA-HR-001"},
    {"paths are not ids", IDS("technology/access-control", "technology/b"), NULL, "policy",
     "technology", "POL-TEC-001"},
    {"mixed: the scheme most ids share",
     IDS("TEC-9", "POL-TEC-001", "technology/x", "POL-TEC-002", "POL-TEC-003a"), NULL, "policy",
     "technology", "POL-TEC-003"},
    {"a tie: the prefix that sorts first", IDS("B-1", "A-7"), NULL, "policy", "x", "A-8"},
    {"unpadded numbers", IDS("ISP-1", "ISP-12"), NULL, "policy", "x", "ISP-13"},
    {"padded to the shortest", IDS("P-09", "P-10"), NULL, "policy", "x", "P-11"},
    {"four digits", IDS("X-0099"), NULL, "policy", "x", "X-0100"},
    {"wider than the padding", IDS("P-998", "P-999"), NULL, "policy", "x", "P-1000"},
    {"lower case kept", IDS("isms-pol-07"), NULL, "policy", "x", "isms-pol-08"},
    {"digits only", IDS("7", "12"), NULL, "policy", "x", "13"},
    {"too many digits: no scheme", IDS("X-1234567890"), NULL, "policy", "x", "POL-X-001"},
    {"unique across the site", IDS("POL-003"), IDS("POL-003", "POL-007", "OPS-9"), "policy", "",
     "POL-008"},
    {"the default taken by another section", IDS(NULL), IDS("POL-TEC-001", "POL-TEC-002"), "policy",
     "technical", "POL-TEC-003"},
    {"section names without letters", IDS(NULL), NULL, "policy", "--", "POL-001"},
};

static size_t count_ids(const char *const *ids)
{
    size_t n = 0;
    while (ids[n])
        n++;
    return n;
}

Test(new, next_id)
{
    for (size_t i = 0; i < COUNT(id_cases); i++) {
        const char *const *site = id_cases[i].site ? id_cases[i].site : id_cases[i].section;
        buf out;
        buf_init(&out);
        new_next_id(&out, id_cases[i].section, count_ids(id_cases[i].section), site,
                    count_ids(site), id_cases[i].kind, id_cases[i].sec);
        cr_expect_str_eq(out.data, id_cases[i].want, "%s", id_cases[i].name);
        buf_release(&out);
    }
}

/* ---- titles ---- */

Test(new, title_from_path)
{
    static const struct {
        const char *rel, *want;
    } cases[] = {
        {"technology/vendor-risk.md", "Vendor Risk"},
        {"vendor-risk", "Vendor Risk"},
        {"a/b_c--d.md", "B C D"},
        {"a/-lead-trail-.md", "Lead Trail"},
        {"hr/onboarding/index.md", "Onboarding"},
        {"hr/_index.md", "Hr"},
        {"indexes.md", "Indexes"},
        {"caf\xC3\xA9-rules.md", "Caf\xC3\xA9 Rules"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        buf out;
        buf_init(&out);
        new_title_from_path(&out, cases[i].rel);
        cr_expect_str_eq(out.data, cases[i].want, "%s", cases[i].rel);
        buf_release(&out);
    }
}

/* ---- filling ---- */

static const new_values values = {
    .id = "POL-TEC-008",
    .title = "Vendor Risk Policy",
    .date = "2026-12-01",
    .cycle = "6 months",
};

/* Fills archetype with v; fails the test unless it succeeds and the result
 * reads back as front matter. Caller frees. */
static char *fill(const char *archetype, const new_values *v)
{
    buf out;
    buf_init(&out);
    diags *d = diag_new(NULL);
    int rc = new_fill(&out, archetype, strlen(archetype), "archetypes/x.md", v, d);
    char *diag = unit_diag_text(d);
    cr_assert_eq(rc, 0, "new_fill failed: %s", diag);
    free(diag);
    frontmatter fm;
    cr_assert_eq(frontmatter_parse(&fm, out.data, out.len, "x.md", d), 0, "does not read: %s",
                 out.data);
    frontmatter_release(&fm);
    diag_free(d);
    return buf_detach(&out);
}

Test(new, embedded_policy)
{
    cr_assert_null(new_embedded_archetype("procedure"));
    char *got = fill(new_embedded_archetype("policy"), &values);
    const char *want = "---\n"
                       "title: Vendor Risk Policy\n"
                       "id: POL-TEC-008\n"
                       "owner: \"\"\n"
                       "approver: \"\"\n"
                       "status: draft\n"
                       "version: \"0.1\"\n"
                       "last_reviewed: 2026-12-01\n"
                       "review_cycle: 6 months\n"
                       "# The controls this policy implements, e.g. [A.5.15, A.8.5].\n"
                       "controls: []\n"
                       "---\n"
                       "\n"
                       "## Purpose\n";
    cr_assert(!strncmp(got, want, strlen(want)), "got:\n%s", got);
    free(got);
}

static const struct {
    const char *name, *archetype, *want;
} fill_cases[] = {
    {"keys replaced in place, others and comments kept",
     "---\n# A standard.\ntitle: Old\nclassification: Internal # kept\nid: X-1\n\n# owners\nowner: "
     "Head of IT\nstatus: approved\nversion: \"3.0\"\nlast_reviewed: 2020-01-01\napprover:\n"
     "review_cycle: 2 years\n---\nBody with title: Old\n",
     "---\n# A standard.\ntitle: Vendor Risk Policy\nclassification: Internal # kept\nid: "
     "POL-TEC-008\n\n# owners\nowner: Head of IT\nstatus: draft\nversion: \"3.0\"\n"
     "last_reviewed: 2026-12-01\napprover: \"\"\nreview_cycle: 2 years\n---\nBody with title: "
     "Old\n"},
    {"missing keys added at the end", "---\ntags: [vendors]\n---\n\n# Body\n",
     "---\ntags: [vendors]\ntitle: Vendor Risk Policy\nid: POL-TEC-008\nowner: \"\"\napprover: "
     "\"\"\nstatus: draft\nversion: \"0.1\"\nlast_reviewed: 2026-12-01\nreview_cycle: 6 "
     "months\n---\n\n# Body\n"},
    {"no front matter: one is made", "# Body\n",
     "---\ntitle: Vendor Risk Policy\nid: POL-TEC-008\nowner: \"\"\napprover: \"\"\nstatus: "
     "draft\nversion: \"0.1\"\nlast_reviewed: 2026-12-01\nreview_cycle: 6 months\n---\n# Body\n"},
    {"multi-line values replaced whole",
     "---\ntitle: >\n  A long\n  title\nid:\n  - a\n  - b\n# next\ncontrols:\n- A.5.1\nowner: ''\n"
     "approver: ''\nstatus: draft\nversion: ''\nlast_reviewed: 2020-01-01\nreview_cycle: ''\n"
     "date: 2020-01-01\n---\n",
     "---\ntitle: Vendor Risk Policy\nid: POL-TEC-008\n# next\ncontrols:\n- A.5.1\nowner: \"\"\n"
     "approver: \"\"\nstatus: draft\nversion: \"0.1\"\nlast_reviewed: 2026-12-01\nreview_cycle: 6 "
     "months\ndate: 2026-12-01\n---\n"},
    {"a block scalar's '#' lines go with it, a comment after it stays",
     "---\ntitle: |\n  Line\n  # not a comment\n\n# owner's comment\nowner: x\nid: 1\napprover: a\n"
     "status: draft\nversion: v\nlast_reviewed: 2020-01-01\nreview_cycle: 1 year\n---\n",
     "---\ntitle: Vendor Risk Policy\n\n# owner's comment\nowner: x\nid: POL-TEC-008\napprover: "
     "a\nstatus: draft\nversion: v\nlast_reviewed: 2026-12-01\nreview_cycle: 1 year\n---\n"},
    {"CRLF and a byte order mark", "\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\nBody\r\n",
     "---\ntitle: Vendor Risk Policy\nid: POL-TEC-008\nowner: \"\"\napprover: \"\"\nstatus: "
     "draft\nversion: \"0.1\"\nlast_reviewed: 2026-12-01\nreview_cycle: 6 months\n---\nBody\n"},
};

Test(new, fill_cases)
{
    for (size_t i = 0; i < COUNT(fill_cases); i++) {
        char *got = fill(fill_cases[i].archetype, &values);
        cr_expect_str_eq(got, fill_cases[i].want, "%s", fill_cases[i].name);
        free(got);
    }
}

Test(new, fill_through_aliases)
{
    const key_alias keys[] = {
        {"last_reviewed", "reviewed"}, {"last_reviewed", "last_updated"}, {"owner", "maintainer"}};
    new_values v = values;
    v.keys = keys;
    v.n_keys = COUNT(keys);
    char *got = fill("---\ntitle: t\nlast_updated: 2020-01-01\nmaintainer:\n---\n", &v);
    cr_assert_str_eq(got, "---\ntitle: Vendor Risk Policy\nlast_updated: 2026-12-01\nmaintainer: "
                          "\"\"\nid: POL-TEC-008\napprover: \"\"\nstatus: draft\nversion: "
                          "\"0.1\"\nreview_cycle: 6 months\n---\n");
    free(got);
}

Test(new, titles_read_back)
{
    static const char *const titles[] = {
        "Vendor \"Risk\" Policy",
        "Vendors: risk",
        "Risk # one",
        "- dash",
        "[x]",
        "{y}",
        "'quoted'",
        "yes",
        "null",
        "~",
        "a\nb",
        "tab\there",
        "back\\slash",
        "&anchor",
        "*alias",
        "!tag",
        "%d",
        "@x",
        "`x`",
        ": colon",
        "key: value",
        "NEL\xC2\x85x",
    };
    for (size_t i = 0; i < COUNT(titles); i++) {
        new_values v = values;
        v.title = titles[i];
        char *got = fill(new_embedded_archetype("policy"), &v);
        diags *d = diag_new(NULL);
        frontmatter fm;
        cr_assert_eq(frontmatter_parse(&fm, got, strlen(got), "x.md", d), 0);
        const yaml_node *t = yamltree_get(fm.data, "title");
        cr_assert_not_null(t);
        cr_expect_str_eq(yamltree_text(t), titles[i], "written as:\n%s", got);
        cr_expect(!yamltree_is_null(t), "'%s' reads as null", titles[i]);
        cr_expect_str_eq(yamltree_text(yamltree_get(fm.data, "id")), "POL-TEC-008");
        cr_expect_eq(yamltree_len(fm.data), 9, "'%s' added or lost a key:\n%s", titles[i], got);
        frontmatter_release(&fm);
        diag_free(d);
        free(got);
    }
}

Test(new, bad_archetypes)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"---\ntitle: [\n---\n", "archetypes/x.md:3:1: error: "},
        {"---\n- a\n- b\n---\n", "archetypes/x.md:"},
        {"---\n{title: a, id: b}\n---\n",
         "archetypes/x.md:2:12: error: the front matter must be a block mapping, one key to a "
         "line [invalid-type]\n"},
        {"---\ntitle: a\n", "archetypes/x.md:1:1: error: "},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        buf out;
        buf_init(&out);
        diags *d = diag_new(NULL);
        cr_expect_eq(
            new_fill(&out, cases[i].text, strlen(cases[i].text), "archetypes/x.md", &values, d), -1,
            "%s", cases[i].text);
        char *got = unit_diag_text(d);
        cr_expect(!strncmp(got, cases[i].want, strlen(cases[i].want)), "%s: got %s", cases[i].text,
                  got);
        free(got);
        diag_free(d);
        buf_release(&out);
    }
}
