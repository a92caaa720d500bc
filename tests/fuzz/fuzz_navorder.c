/* fuzz_navorder: the file a site's pages are ordered by (site.yml's
 * navigation.order): mdBook's SUMMARY.md, Docsify's _sidebar.md or
 * mkdocs.yml, as written by the site's authors. The input is
 * `<flags><file>`: bit 0 picks mkdocs.yml over a SUMMARY.md, bit 1 puts it
 * in a folder (docs/), bit 2 makes the content folder the site's root
 * rather than content/, bit 3 sets navigation.unlisted: omit. The file is
 * written into an empty site folder and navorder_places run on a site of
 * six pages made here. Checked: 0, as the file is there; the places given
 * are 1 to k, each to one page; a finding points inside the file.
 * tests/fuzz/README.md. */
#include "fuzz_site.h"

#include "buf.h"
#include "map.h"
#include "navorder.h"
#include "site.h"

static const char *const rels[] = {
    "index.md",          "SUMMARY.md",           "intro/README.md",
    "access control.md", "caf\xC3\xA9/index.md", "ops/backup/_index.md",
};
#define N_PAGES (sizeof rels / sizeof *rels)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0];
    const char *file = flags & 1 ? (flags & 2 ? "docs/mkdocs.yml" : "mkdocs.yml")
                                 : (flags & 2 ? "docs/SUMMARY.md" : "SUMMARY.md");
    fuzz_site_put(file, data + 1, size - 1);

    site s;
    memset(&s, 0, sizeof s);
    s.fs = *fuzz_empty_site(); /* borrowed, not released */
    s.cfg.file = "site.yml";
    s.cfg.content = flags & 4 ? "." : "content";
    s.cfg.nav_order = file;
    s.cfg.nav_omit_unlisted = (flags & 8) != 0;
    s.cfg.limits.file_bytes = 1 << 20;
    page p[N_PAGES];
    page *list[N_PAGES];
    memset(p, 0, sizeof p);
    s.by_rel = map_new();
    for (size_t i = 0; i < N_PAGES; i++) {
        p[i].rel = (char *)rels[i];
        list[i] = &p[i];
        map_put(s.by_rel, p[i].rel, &p[i]);
    }
    s.pages = list;
    s.n_pages = N_PAGES;

    diags *d = diag_new(NULL);
    FUZZ_CHECK(navorder_places(&s, d) == 0 ||
               (s.cfg.nav_omit_unlisted && diag_count(d, DIAG_ERROR)));
    /* The places are 1..k, one page each. */
    size_t k = 0;
    for (size_t i = 0; i < N_PAGES; i++)
        if (p[i].nav_place > k)
            k = p[i].nav_place;
    for (size_t place = 1; place <= k; place++) {
        size_t holders = 0;
        for (size_t i = 0; i < N_PAGES; i++)
            holders += p[i].nav_place == place;
        FUZZ_CHECK(holders == 1);
    }
    fuzz_check_positions(d, file, (const char *)data + 1, size - 1, 0);
    fuzz_debug_diags(d);
    for (size_t i = 0; i < N_PAGES && getenv("FUZZ_DEBUG"); i++)
        if (p[i].nav_place)
            fprintf(stderr, "place %zu: %s\n", p[i].nav_place, p[i].rel);
    diag_free(d);
    map_free(s.by_rel);
    return 0;
}
