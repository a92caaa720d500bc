/* Unit tests for embed.c: the table of the default theme and catalogs
 * compiled in (sorted and unique, every layout a generated page needs, each
 * catalog named after its framework), lookups by path, by prefix and by the
 * name diagnostics give. */
#include "unit.h"

#include "catalog.h"
#include "embed.h"
#include "yamltree.h"

Test(embed, table_is_sorted_and_terminated)
{
    cr_assert_gt(embed_table_len, 0);
    for (size_t i = 0; i < embed_table_len; i++) {
        const embed_file *f = &embed_table[i];
        cr_expect_eq(f->data[f->len], '\0', "%s", f->path);
        cr_expect_eq(strlen((const char *)f->data), f->len, "%s holds a NUL", f->path);
        if (i)
            cr_expect_lt(strcmp(embed_table[i - 1].path, f->path), 0, "%s", f->path);
    }
}

Test(embed, find)
{
    static const struct {
        const char *rel;
        int found;
    } cases[] = {
        {"layouts/policy.html", 1},
        {"layouts/_includes/header.html", 1},
        {"assets/style.css", 1},
        {"controls/iso27001-2022.yml", 1},
        {"controls/applicability.yml", 0}, /* the site's own, never embedded */
        {"layouts/policy", 0},
        {"layouts/policy.html/", 0},
        {"layouts/", 0},
        {"", 0},
        {"zzz", 0},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        const embed_file *f = embed_find(cases[i].rel);
        cr_expect_eq(f != NULL, cases[i].found, "%s", cases[i].rel);
        if (f)
            cr_expect_str_eq(f->path, cases[i].rel);
    }
    const embed_file *css = embed_find("assets/style.css");
    cr_assert_not_null(css);
    cr_expect_gt(css->len, 1000);
}

Test(embed, list_by_prefix)
{
    static const struct {
        const char *prefix;
        const char *const want[8];
    } cases[] = {
        {"assets/",
         {"assets/favicon.svg", "assets/search.js", "assets/soa.js", "assets/sort.js",
          "assets/style.css"}},
        {"controls/",
         {"controls/crosswalk-iso27001-2013-iso27001-2022.yml", "controls/iso27001-2013.yml", "controls/iso27001-2022.yml", "controls/nist-csf-2.0.yml",
          "controls/soc2.yml"}},
        {"layouts/_includes/",
         {"layouts/_includes/change_pages.html", "layouts/_includes/evidence.html",
          "layouts/_includes/footer.html", "layouts/_includes/header.html",
          "layouts/_includes/nav.html"}},
        {"nothing/", {NULL}},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        size_t n, k = 0;
        const embed_file *f = embed_list(cases[i].prefix, &n);
        while (k < 8 && cases[i].want[k])
            k++;
        cr_assert_eq(n, k, "%s", cases[i].prefix);
        for (size_t j = 0; j < n; j++)
            cr_expect_str_eq(f[j].path, cases[i].want[j]);
    }
    size_t all;
    cr_expect_eq(embed_list("", &all), &embed_table[0]);
    cr_expect_eq(all, embed_table_len);
}

Test(embed, shown_names)
{
    const embed_file *f = embed_find("layouts/default.html");
    cr_assert_not_null(f);
    buf b;
    buf_init(&b);
    embed_shown(&b, f);
    cr_expect_str_eq(b.data, "(embedded)/layouts/default.html");
    cr_expect_eq(embed_find_shown(b.data), f);
    cr_expect_null(embed_find_shown("layouts/default.html"));
    cr_expect_null(embed_find_shown("(embedded)/layouts/nope.html"));
    cr_expect_null(embed_find_shown("(embedded)"));
    buf_release(&b);
}

/* The default theme has the layouts the docs name for pages (policy, home,
 * page, default) and for the generated pages. */
Test(embed, theme_is_complete)
{
    static const char *const pages[] = {"policy",    "home",     "page",     "default", "control",
                                        "controls",  "soa",      "tag",      "tags",    "404",
                                        "dashboard", "handbook", "changelog"};
    buf rel;
    buf_init(&rel);
    for (size_t i = 0; i < COUNT(pages); i++) {
        buf_reset(&rel);
        buf_printf(&rel, "layouts/%s.html", pages[i]);
        cr_expect_not_null(embed_find(rel.data), "%s", rel.data);
    }
    buf_release(&rel);
}

/* catalog.c names the built-in frameworks after their files: each catalog
 * must declare the framework its file is named after. A crosswalk is named
 * after the two frameworks it relates. */
Test(embed, catalogs_are_named_after_their_framework)
{
    size_t n, n_catalogs = 0;
    const embed_file *f = embed_list("controls/", &n);
    buf want;
    buf_init(&want);
    for (size_t i = 0; i < n; i++) {
        diags *d = diag_new(NULL);
        yaml_node *root;
        cr_assert_eq(yamltree_parse(&root, (const char *)f[i].data, f[i].len, f[i].path, 0, d), 0,
                     "%s", f[i].path);
        buf_reset(&want);
        if (catalog_is_crosswalk(f[i].path + strlen("controls/"))) {
            const yaml_node *from = yamltree_get(root, "from"), *to = yamltree_get(root, "to");
            cr_assert(from && to, "%s", f[i].path);
            buf_printf(&want, "controls/crosswalk-%s-%s.yml", yamltree_text(from),
                       yamltree_text(to));
        } else {
            const yaml_node *fw = yamltree_get(root, "framework");
            cr_assert_not_null(fw, "%s", f[i].path);
            buf_printf(&want, "controls/%s.yml", yamltree_text(fw));
            n_catalogs++;
        }
        cr_expect_str_eq(f[i].path, want.data);
        yamltree_free(root);
        diag_free(d);
    }
    cr_expect_eq(n_catalogs, 4);
    buf_release(&want);
}
