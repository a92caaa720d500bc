/* Unit tests for catalog.c: catalogs, the frameworks filter, plain and
 * qualified lookups, ambiguity, duplicates and the statement of
 * applicability. */
#include "unit.h"

#include "catalog.h"
#include "fs.h"

#include <unistd.h>

static char dir[64];

/* Writes controls/<name> in the site directory `dir`. */
static void put(const char *name, const char *text)
{
    buf p;
    buf_init(&p);
    buf_printf(&p, "controls/%s", name);
    unit_put(dir, p.data, text);
    buf_release(&p);
}

static void setup_dir(void)
{
    unit_mkdtemp(dir, sizeof dir, "ctl");
    put("a.yml", "framework: fa\nname: Framework A\ncontrols:\n"
                 "  - {id: X.1, title: One, group: G}\n"
                 "  - {id: X.2, title: Two, group: G}\n");
    put("b.yml", "framework: fb\ncontrols:\n"
                 "  - {id: X.1, title: Other one, group: H}\n"
                 "  - {id: Y.1, title: Why, group: H}\n");
    put("notes.txt", "not a catalog");
}

/* catalog_load over `dir` as the site root, its catalogs in controls/. */
static int load(catalog **c, const char *const *only, size_t n_only, diags *d)
{
    fs_root root;
    cr_assert_eq(fs_root_init(&root, dir, d), 0);
    int rc = catalog_load(c, &root, "controls", only, n_only, 1 << 20, d);
    fs_root_release(&root);
    return rc;
}

static void remove_dir(void)
{
    unit_remove(dir);
}

Test(catalog, lookups)
{
    setup_dir();
    put("applicability.yml",
        "X.2:\n  applicable: false\n  status: not-implemented\n"
        "  justification: Not here.\nfb:Y.1: {applicable: true, status: planned}\n");
    diags *d = diag_new(NULL);
    catalog *c;
    cr_assert_eq(load(&c, NULL, 0, d), 0);
    cr_assert_diag(d, "");
    size_t n;
    const framework *fw = catalog_frameworks(c, &n);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(fw[0].name, "Framework A");
    cr_assert_str_eq(fw[1].name, "fb"); /* no name: the id */
    static const struct {
        const char *id, *title;
    } cases[] = {
        {"X.1", NULL}, /* in both frameworks: ambiguous */
        {"fa:X.1", "One"}, {"fb:X.1", "Other one"}, {"X.2", "Two"},
        {"Y.1", "Why"},    {"fa:Y.1", NULL},        {"Z.9", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const control *ctl = catalog_find(c, cases[i].id);
        if (!cases[i].title) {
            cr_assert_null(ctl, "%s", cases[i].id);
        } else {
            cr_assert_not_null(ctl, "%s", cases[i].id);
            cr_assert_str_eq(ctl->title, cases[i].title);
        }
    }
    const control *x2 = catalog_find(c, "X.2");
    cr_assert_eq(x2->applicable, 0);
    cr_assert_str_eq(x2->status, "not-implemented");
    cr_assert_str_eq(x2->justification, "Not here.");
    cr_assert_str_eq(x2->file, "controls/a.yml");
    cr_assert_eq(x2->line, 5);
    const control *y1 = catalog_find(c, "Y.1");
    cr_assert_eq(y1->has_applicability, 1);
    cr_assert_str_eq(y1->status, "planned");
    cr_assert_eq(catalog_find(c, "fa:X.1")->has_applicability, 0);
    cr_assert_eq(catalog_find(c, "fa:X.1")->applicable, 1);
    catalog_free(c);
    diag_free(d);
    remove_dir();
}

Test(catalog, frameworks_filter)
{
    setup_dir();
    const char *only[] = {"fb"};
    diags *d = diag_new(NULL);
    catalog *c;
    cr_assert_eq(load(&c, only, 1, d), 0);
    cr_assert_str_eq(catalog_find(c, "X.1")->title, "Other one");
    cr_assert_null(catalog_find(c, "X.2"));
    catalog_free(c);
    const char *unknown[] = {"fz"};
    cr_assert_eq(load(&c, unknown, 1, d), -1);
    cr_assert_null(c);
    cr_assert_diag(d, "site.yml:0:0: error: framework 'fz' is listed in 'frameworks' but no "
                      "catalog in 'controls' declares it, nor one of charter's own "
                      "(iso27001-2013, iso27001-2022, nist-csf-2.0, soc2) [config]\n");
    diag_free(d);
    remove_dir();
}

/* A framework `frameworks` names that no file of the site declares comes
 * from charter's own catalogs, unless the site has a file of that name;
 * the frameworks stay in file-name order, the site's and charter's mixed. */
Test(catalog, embedded_catalogs)
{
    setup_dir();
    put("soc2.yml", "framework: mine\ncontrols:\n  - {id: M.1, title: Mine, group: G}\n");
    const char *only[] = {"nist-csf-2.0", "fb", "mine", "iso27001-2022"};
    diags *d = diag_new(NULL);
    catalog *c;
    cr_assert_eq(load(&c, only, COUNT(only), d), 0);
    cr_assert_diag(d, "");
    size_t n;
    const framework *fw = catalog_frameworks(c, &n);
    cr_assert_eq(n, 4);
    static const char *const want[][2] = {
        {"fb", "controls/b.yml"},
        {"iso27001-2022", "(embedded)/controls/iso27001-2022.yml"},
        {"nist-csf-2.0", "(embedded)/controls/nist-csf-2.0.yml"},
        {"mine", "controls/soc2.yml"},
    };
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(fw[i].id, want[i][0]);
        cr_expect_str_eq(fw[i].file, want[i][1]);
    }
    const control *ctl = catalog_find(c, "A.5.15");
    cr_assert_not_null(ctl);
    cr_expect_str_eq(ctl->title, "Access control rules");
    cr_expect_str_eq(ctl->file, "(embedded)/controls/iso27001-2022.yml");
    cr_expect_eq(ctl->line, 53);
    cr_expect_not_null(catalog_find(c, "GV.OC-01"));
    cr_expect_not_null(catalog_find(c, "M.1"));
    catalog_free(c);
    /* The site's soc2.yml overrides charter's, whatever it declares. */
    const char *soc2[] = {"soc2"};
    cr_assert_eq(load(&c, soc2, 1, d), -1);
    cr_assert_diag(d, "site.yml:0:0: error: framework 'soc2' is listed in 'frameworks' but no "
                      "catalog in 'controls' declares it: 'controls/soc2.yml' replaces "
                      "charter's own catalog of it [config]\n");
    diag_free(d);
    /* Without `frameworks`, only the site's own catalogs. */
    d = diag_new(NULL);
    cr_assert_eq(load(&c, NULL, 0, d), 0);
    catalog_frameworks(c, &n);
    cr_expect_eq(n, 3);
    cr_expect_null(catalog_find(c, "A.5.15"));
    catalog_free(c);
    diag_free(d);
    remove_dir();
}

Test(catalog, catalog_errors)
{
    static const struct {
        const char *yml, *want;
    } cases[] = {
        {"title: x\ncontrols: []\n",
         "controls/c.yml:1:1: error: missing key 'framework' [catalog]\n"},
        {"framework: fc\ncontrols: nope\n",
         "controls/c.yml:2:11: error: 'controls' must be a list of controls [catalog]\n"},
        {"framework: fc\ncontrols:\n  - just a string\n",
         "controls/c.yml:3:5: error: a control must be a mapping with 'id', 'title' and 'group' "
         "[catalog]\n"},
        {"framework: fc\ncontrols:\n  - {title: No id}\n",
         "controls/c.yml:3:5: error: control has no 'id' [catalog]\n"},
        /* Ids that cannot name a page, controls/<framework>/<id>/: reported
         * where they are written (HEAD~1 loaded them, and the build then
         * refused the pages' paths with no place to look, or wrote
         * controls/fc//index.html's folder; an empty `framework:` found by
         * fuzz_catalog). */
        {"framework:\ncontrols: []\n",
         "controls/c.yml:1:11: error: framework id '' cannot name its page: an id must not be "
         "empty, hold a control character, or have a part between slashes that is empty, '.' or "
         "'..' [catalog]\n"},
        {"framework: fc\ncontrols:\n  - {id: ../../x, title: Up}\n  - {id: A.1, title: Fine}\n"
         "  - {id: 'a//b'}\n  - {id: ./a}\n",
         "controls/c.yml:3:10: error: control id '../../x' cannot name its page: an id must not "
         "be empty, hold a control character, or have a part between slashes that is empty, '.' "
         "or '..' [catalog]\n"
         "controls/c.yml:5:10: error: control id 'a//b' cannot name its page: an id must not "
         "be empty, hold a control character, or have a part between slashes that is empty, '.' "
         "or '..' [catalog]\n"
         "controls/c.yml:6:10: error: control id './a' cannot name its page: an id must not "
         "be empty, hold a control character, or have a part between slashes that is empty, '.' "
         "or '..' [catalog]\n"},
        {"framework: fc\ncontrols:\n  - {id: \"A.1/\"}\n",
         "controls/c.yml:3:10: error: control id 'A.1/' cannot name its page: an id must not "
         "be empty, hold a control character, or have a part between slashes that is empty, '.' "
         "or '..' [catalog]\n"},
        {"name: TSC\n\"CC\\0x\":\n  name: Logical access\n", /* a NUL in a comply key */
         "controls/c.yml:2:1: error: control id 'CC' cannot name its page: an id must not "
         "be empty, hold a control character, or have a part between slashes that is empty, '.' "
         "or '..' [catalog]\n"},
        {"name: ../TSC\nCC6.1:\n  name: Logical access\n",
         "controls/c.yml:1:7: error: framework id '../TSC' cannot name its page: an id must not "
         "be empty, hold a control character, or have a part between slashes that is empty, '.' "
         "or '..' [catalog]\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unit_mkdtemp(dir, sizeof dir, "ctl");
        put("c.yml", cases[i].yml);
        diags *d = diag_new(NULL);
        catalog *c;
        cr_assert_eq(load(&c, NULL, 0, d), -1, "%s", cases[i].yml);
        cr_assert_diag(d, cases[i].want);
        diag_free(d);
        remove_dir();
    }
}

/* A comply standard (name:, then each criterion as a key) is a catalog
 * whose framework is its name; the site's aliases name frameworks and ids. */
Test(catalog, comply_standard_and_aliases)
{
    unit_mkdtemp(dir, sizeof dir, "ctl");
    put("TSC-2017.yml", "name: TSC\nCC6.1:\n  family: CC6\n  name: Logical access\n"
                        "  description: Access is restricted\nCC7.3:\n  family: CC7\n"
                        "  name: Incidents\n");
    diags *d = diag_new(NULL);
    catalog *c;
    cr_assert_eq(load(&c, NULL, 0, d), 0);
    cr_assert_diag(d, "");
    size_t n;
    const framework *fw = catalog_frameworks(c, &n);
    cr_assert_eq(n, 1);
    cr_expect_str_eq(fw[0].id, "TSC");
    cr_expect_eq(fw[0].n_controls, 2);
    cr_expect_str_eq(fw[0].controls[0].title, "Logical access");
    cr_expect_str_eq(fw[0].controls[0].group, "CC6");
    const control *ctl = NULL;
    buf canon;
    buf_init(&canon);
    cr_expect_eq(catalog_resolve(c, "TSC:CC6.1", &ctl, &canon), CONTROL_EXACT);
    cr_expect_eq(catalog_resolve(c, "soc2:CC6.1", &ctl, &canon), CONTROL_UNKNOWN);
    cr_expect_eq(catalog_knows_prefix(c, "soc2:CC6.1"), 0);
    yaml_node *fa = NULL, *ia = NULL;
    cr_assert_eq(yamltree_parse(&fa, "soc2: TSC\n", 10, "site.yml", 0, d), 0);
    cr_assert_eq(yamltree_parse(&ia, "\"CC07.3\": \"TSC:CC7.3\"\n", 22, "site.yml", 0, d), 0);
    catalog_set_aliases(c, fa, ia);
    cr_expect_eq(catalog_resolve(c, "soc2:CC6.1", &ctl, &canon), CONTROL_EXACT);
    cr_expect_eq(catalog_knows_prefix(c, "soc2:CC6.1"), 1);
    cr_expect_eq(catalog_resolve(c, "CC07.3", &ctl, &canon), CONTROL_EXACT);
    cr_expect(ctl && !strcmp(ctl->id, "CC7.3"));
    buf_reset(&canon);
    cr_expect(catalog_suggest(c, "CC7.3 - Incident Detection", &canon));
    cr_expect_str_eq(canon.data, "CC7.3");
    buf_release(&canon);
    catalog_free(c);
    yamltree_free(fa);
    yamltree_free(ia);
    diag_free(d);
    remove_dir();
}

Test(catalog, missing_directory_is_empty)
{
    diags *d = diag_new(NULL);
    catalog *c;
    fs_root root;
    cr_assert_eq(fs_root_init(&root, "/tmp", d), 0);
    cr_assert_eq(catalog_load(&c, &root, "nonexistent-charter-controls", NULL, 0, 1 << 20, d), 0);
    fs_root_release(&root);
    size_t n;
    catalog_frameworks(c, &n);
    cr_assert_eq(n, 0);
    cr_assert_null(catalog_find(c, "A.5.1"));
    catalog_free(c);
    diag_free(d);
}

Test(catalog, duplicate_is_a_finding_not_a_failure)
{
    unit_mkdtemp(dir, sizeof dir, "ctl");
    put("c.yml", "framework: fc\ncontrols:\n  - {id: Q.1, title: First}\n  - {id: Q.1}\n");
    diags *d = diag_new(NULL);
    catalog *c;
    cr_assert_eq(load(&c, NULL, 0, d), 0);
    cr_assert_diag(d, "controls/c.yml:4:10: error: duplicate control id 'Q.1' (first defined at "
                      "line 3) [duplicate-control]\n");
    cr_expect_str_eq(catalog_find(c, "Q.1")->title, "First");
    catalog_free(c);
    diag_free(d);
    remove_dir();
}

/* catalog_resolve: exact, qualified, ambiguous, unknown and the accepted
 * misspellings with their canonical form. */
Test(catalog, resolve_ids)
{
    unit_mkdtemp(dir, sizeof dir, "ctl");
    put("iso.yml", "framework: iso27001-2022\ncontrols:\n"
                   "  - {id: A.5.15, title: Access}\n  - {id: A.5.9, title: Inventory}\n"
                   "  - {id: A.5.19, title: Suppliers}\n  - {id: A.8.1, title: Devices}\n");
    put("soc.yml", "framework: soc2\ncontrols:\n  - {id: CC6.1, title: Logical}\n"
                   "  - {id: A.8.1, title: Same id}\n");
    diags *d = diag_new(NULL);
    catalog *c;
    cr_assert_eq(load(&c, NULL, 0, d), 0);
    static const struct {
        const char *id;
        control_match want;
        const char *canon; /* canonical form, or the frameworks for ambiguous */
        const char *found; /* the control's id, or NULL */
    } cases[] = {
        {"A.5.15", CONTROL_EXACT, "", "A.5.15"},
        {"iso27001-2022:A.5.15", CONTROL_EXACT, "", "A.5.15"},
        {"soc2:CC6.1", CONTROL_EXACT, "", "CC6.1"},
        /* Misspellings are named, never taken for the control. */
        {"A.05.15", CONTROL_NONCANONICAL, "A.5.15", NULL},
        {"A5.15", CONTROL_NONCANONICAL, "A.5.15", NULL},
        {"a.5.15", CONTROL_NONCANONICAL, "A.5.15", NULL},
        {"iso27001:A.05.15", CONTROL_NONCANONICAL, "A.5.15", NULL},
        {"iso27001:A.08.1", CONTROL_NONCANONICAL, "iso27001-2022:A.8.1", NULL},
        {"cc6.1", CONTROL_NONCANONICAL, "CC6.1", NULL},
        /* A prefix that starts one framework's id selects it. */
        {"iso27001:A.5.15", CONTROL_EXACT, "", "A.5.15"},
        {"iso27001:A.8.1", CONTROL_EXACT, "", "A.8.1"},
        {"iso27001:A.8.35", CONTROL_UNKNOWN, "", NULL},
        {"A.8.1", CONTROL_AMBIGUOUS, "iso27001-2022, soc2", NULL},
        {"A.5.99", CONTROL_UNKNOWN, "", NULL},
        {"nist:A.5.15", CONTROL_UNKNOWN, "", NULL},
    };
    buf canon;
    buf_init(&canon);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const control *ctl = NULL;
        buf_reset(&canon);
        cr_expect_eq(catalog_resolve(c, cases[i].id, &ctl, &canon), cases[i].want, "%s",
                     cases[i].id);
        cr_expect_str_eq(canon.data, cases[i].canon, "%s", cases[i].id);
        if (cases[i].found)
            cr_expect(ctl && !strcmp(ctl->id, cases[i].found), "%s", cases[i].id);
        else
            cr_expect_null(ctl, "%s", cases[i].id);
    }
    static const struct {
        const char *id, *want;
    } suggest[] = {{"A.5.99", "A.5.9"}, {"A.5.16", "A.5.15"}, {"CC6.2", "CC6.1"}, {"ZZZ", NULL}};
    for (size_t i = 0; i < sizeof suggest / sizeof suggest[0]; i++) {
        buf_reset(&canon);
        int found = catalog_suggest(c, suggest[i].id, &canon);
        if (suggest[i].want)
            cr_expect_str_eq(canon.data, suggest[i].want, "%s", suggest[i].id);
        else
            cr_expect_eq(found, 0, "%s", suggest[i].id);
    }
    buf_release(&canon);
    catalog_free(c);
    diag_free(d);
    remove_dir();
}
