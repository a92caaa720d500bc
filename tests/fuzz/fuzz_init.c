/* fuzz_init: `charter init` on a repository whose site generator's
 * settings are anything: Jekyll's _config.yml, Hugo's hugo.toml,
 * Docusaurus', VitePress', Astro's and Eleventy's JavaScript configs,
 * mkdocs.yml, mdBook's book.toml, comply.yml, GitBook's .gitbook.yaml,
 * Zola's config.toml.
 * The input is `<kind><settings>`: the first byte picks the file (modulo
 * 12), written into a folder that also holds a few pages where each
 * generator keeps them, and init_plan_make detects and plans the site as
 * `charter init` does. Checked: 0 or -1, -1 only with an error; on
 * success the site.yml planned is first and one that charter reads
 * without an error, every other YAML file planned parses, and findings
 * point inside the settings. tests/fuzz/README.md. */
#include "fuzz_site.h"

#include "buf.h"
#include "config.h"
#include "init.h"
#include "yamltree.h"

static const char *const settings[] = {
    "_config.yml",
    "hugo.toml",
    "docusaurus.config.js",
    "mkdocs.yml",
    "book.toml",
    ".vitepress/config.mts",
    "astro.config.mjs",
    "eleventy.config.js",
    "comply.yml",
    ".gitbook.yaml",
    "config/_default/hugo.yaml",
    "config.toml",
};
#define N_SETTINGS (sizeof settings / sizeof *settings)

/* The pages, where each generator looks for them: made once. */
static void put_pages(void)
{
    static int done;
    if (done)
        return;
    static const char page[] = "---\ntitle: Access control\n---\n# Access control\n";
    static const char *const pages[] = {
        "index.md",       "content/access.md",         "docs/intro.md",
        "src/SUMMARY.md", "src/content/docs/index.md", "policies/access.md",
        "README.md",
    };
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        fuzz_site_put(pages[i], page, sizeof page - 1);
    done = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    put_pages();
    const char *rel = settings[data[0] % N_SETTINGS];
    fuzz_site_put(rel, (const char *)data + 1, size - 1);

    diags *d = diag_new(NULL);
    init_plan p;
    int rc = init_plan_make(&p, fuzz_empty_site(), -1, d);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc != 0)
        FUZZ_CHECK(diag_count(d, DIAG_ERROR) > 0);
    for (size_t i = 0; rc == 0 && i < p.n; i++) {
        FUZZ_CHECK(p.rel[i] && p.text[i].data && strlen(p.text[i].data) == p.text[i].len);
        size_t n = strlen(p.rel[i]);
        if (!strcmp(p.rel[i], "site.yml")) {
            FUZZ_CHECK(i == 0);
            site_config c;
            diags *cd = diag_new(NULL);
            int ok = config_parse(&c, p.text[i].data, p.text[i].len, cd) == 0 &&
                     diag_count(cd, DIAG_ERROR) == 0;
            if (!ok) {
                size_t ne;
                const diag_entry *e = diag_entries(cd, &ne);
                fprintf(stderr, "site.yml that init plans does not read: %s:%d:%d: %s\n%s\n",
                        ne ? e[0].file : "-", ne ? e[0].line : 0, ne ? e[0].col : 0,
                        ne ? e[0].message : "(no message)", p.text[i].data);
                FUZZ_CHECK(!"init plans a site.yml charter refuses");
            }
            config_release(&c);
            diag_free(cd);
        } else if (n > 4 && !strcmp(p.rel[i] + n - 4, ".yml")) {
            yaml_node *y = NULL;
            diags *yd = diag_new(NULL);
            FUZZ_CHECK(yamltree_parse(&y, p.text[i].data, p.text[i].len, p.rel[i], 0, yd) == 0);
            yamltree_free(y);
            diag_free(yd);
        }
    }
    fuzz_check_positions(d, rel, (const char *)data + 1, size - 1, 0);
    fuzz_debug_diags(d);
    if (getenv("FUZZ_DEBUG") && rc == 0 && p.n)
        fprintf(stderr, "%s:\n%s\n", p.rel[0], p.text[0].data);
    init_plan_release(&p);
    diag_free(d);
    fuzz_site_unlink(rel);
    return 0;
}
