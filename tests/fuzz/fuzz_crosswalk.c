/* fuzz_crosswalk: a crosswalk between two frameworks as a site writes it
 * (controls/crosswalk-<from>-<to>.yml), with the OSCAL mapping collection
 * it may take its rows from. The input is `<crosswalk YAML>[\0<mapping
 * JSON>]`: the YAML is written as controls/crosswalk-a-b.yml and the JSON as
 * mappings/m.json in an empty site, and crosswalks_load run against two
 * small frameworks, a and b, loaded once. Checked: 0 or -1, -1 only with an
 * error; on success each link leads from a control of one framework to one
 * of the other, with a relationship, its file and a position inside it,
 * and is found again from the other side with the converse relationship;
 * findings point inside the crosswalk. tests/fuzz/README.md. */
#include "fuzz_site.h"

#include "buf.h"
#include "catalog.h"
#include "crosswalk.h"

static const char fw_a[] = "framework: a\ncontrols:\n"
                           "  - id: A.1\n    title: One\n"
                           "  - id: A.2\n    title: Two\n"
                           "  - id: AC-2(1)\n    title: Three\n";
static const char fw_b[] = "framework: b\ncontrols:\n"
                           "  - id: CC1.1\n    title: One\n"
                           "  - id: CC6.1\n    title: Two\n"
                           "  - id: ac-2.1\n    title: Three\n";

static catalog *frameworks(void)
{
    static catalog *c;
    if (!c) {
        catalog_text texts[] = {{"controls/a.yml", fw_a, sizeof fw_a - 1},
                                {"controls/b.yml", fw_b, sizeof fw_b - 1}};
        diags *d = diag_new(NULL);
        FUZZ_CHECK(catalog_load_with(&c, fuzz_empty_site(), "controls", NULL, 0, texts, 2, 1 << 20,
                                     d) == 0);
        diag_free(d);
    }
    return c;
}

static xw_rel converse(xw_rel r)
{
    return r == XW_SUBSET ? XW_SUPERSET : r == XW_SUPERSET ? XW_SUBSET : r;
}

/* Each link of ctl leads to a control of the other framework, and back. */
static void check_links(const crosswalks *x, const catalog *c, const control *ctl)
{
    size_t n;
    const xw_link *l = crosswalks_links(x, ctl, &n);
    FUZZ_CHECK((l == NULL) == (n == 0));
    for (size_t i = 0; i < n && getenv("FUZZ_DEBUG"); i++)
        fprintf(stderr, "%s:%s %s %s:%s\n", ctl->framework, ctl->id, crosswalk_rel_name(l[i].rel),
                l[i].other->framework, l[i].other->id);
    for (size_t i = 0; i < n; i++) {
        const control *o = l[i].other;
        FUZZ_CHECK(o && o->framework && strcmp(o->framework, ctl->framework) != 0);
        FUZZ_CHECK(catalog_find(c, o->id) == o || strchr(o->id, ':'));
        FUZZ_CHECK(l[i].rel >= XW_EQUAL && l[i].rel <= XW_INTERSECTS);
        FUZZ_CHECK(crosswalk_rel_name(l[i].rel) != NULL);
        FUZZ_CHECK(l[i].file && *l[i].file && l[i].line >= 0 && l[i].col >= 0);
        size_t m, back = 0;
        const xw_link *r = crosswalks_links(x, o, &m);
        for (size_t j = 0; j < m; j++)
            back += r[j].other == ctl && r[j].rel == converse(l[i].rel);
        FUZZ_CHECK(back >= 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const catalog *c = frameworks();
    size_t yaml_len = strnlen((const char *)data, size);
    fuzz_site_put("controls/crosswalk-a-b.yml", (const char *)data, yaml_len);
    fuzz_site_put("mappings/m.json", yaml_len < size ? (const char *)data + yaml_len + 1 : "",
                  yaml_len < size ? size - yaml_len - 1 : 0);
    diags *d = diag_new(NULL);
    crosswalks *x = NULL;
    int rc = crosswalks_load(&x, fuzz_empty_site(), "controls", c, 1 << 20, d);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc != 0) {
        FUZZ_CHECK(x == NULL && diag_count(d, DIAG_ERROR) > 0);
    } else {
        FUZZ_CHECK(x != NULL);
        size_t n_fws;
        const framework *fws = catalog_frameworks(c, &n_fws);
        for (size_t f = 0; f < n_fws; f++)
            for (size_t i = 0; i < fws[f].n_controls; i++)
                check_links(x, c, &fws[f].controls[i]);
    }
    fuzz_check_positions(d, "crosswalk-a-b.yml", (const char *)data, yaml_len, 0);
    fuzz_debug_diags(d);
    crosswalks_free(x);
    diag_free(d);
    return 0;
}
