/* fuzz_oscal: oscal_convert (oscal.h) on `<catalog JSON>[\0<profile JSON>]`,
 * the bytes after the first NUL (a byte JSON never holds) being a profile.
 * On success the YAML written parses with yamltree_parse without a single
 * diagnostic and loads through catalog_load_with without an error, as one
 * framework of the id the conversion gave, holding as many controls as it
 * counted (applicable ones too), and is at most four times the input plus
 * 1 MiB long; on failure there is an error. Diagnostics point inside the
 * document they name. tests/fuzz/README.md. */
#include "fuzz.h"
#include "fuzz_site.h"

#include "catalog.h"
#include "oscal.h"
#include "yamltree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Loads the converted text as site.yml's oscal_catalogs are loaded and
 * checks it against what the conversion reported. */
static void check_loads(const buf *yaml, const char *fw, const oscal_counts *n)
{
    diags *d = diag_new(NULL);
    yaml_node *root = NULL;
    int rc = yamltree_parse(&root, yaml->data, yaml->len, "cat.json", 0, d);
    if (rc != 0 || diag_count(d, DIAG_ERROR) + diag_count(d, DIAG_WARNING) > 0) {
        fuzz_debug_diags(d);
        FUZZ_CHECK(!"the YAML written does not parse cleanly");
    }
    yamltree_free(root);

    catalog_text text = {"cat.json", yaml->data, yaml->len};
    catalog *c = NULL;
    rc = catalog_load_with(&c, fuzz_empty_site(), "controls", NULL, 0, &text, 1, 1 << 20, d);
    if (rc != 0 || diag_count(d, DIAG_ERROR) > 0) {
        fuzz_debug_diags(d);
        FUZZ_CHECK(!"the YAML written does not load as a catalog");
    }
    size_t n_fws;
    const framework *fws = catalog_frameworks(c, &n_fws);
    FUZZ_CHECK(n_fws == 1 && !strcmp(fws[0].id, fw));
    FUZZ_CHECK(fws[0].n_controls == n->controls);
    size_t applicable = 0;
    for (size_t i = 0; i < fws[0].n_controls; i++) {
        const control *ctl = &fws[0].controls[i];
        FUZZ_CHECK(ctl->id && !strcmp(ctl->file, "cat.json"));
        applicable += ctl->applicable == 1;
    }
    FUZZ_CHECK(applicable == n->applicable);
    catalog_free(c);
    diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t cat_len = nul ? (size_t)(nul - text) : size;
    oscal_input cat = {"cat.json", text, cat_len};
    oscal_input prof = {"prof.json", nul ? nul + 1 : NULL, nul ? size - cat_len - 1 : 0};

    diags *d = diag_new(NULL);
    buf yaml, fw;
    buf_init(&yaml);
    buf_init(&fw);
    oscal_counts n;
    int rc = oscal_convert(&yaml, &fw, &n, &cat, nul ? &prof : NULL, NULL, NULL,
                           "fuzz_oscal\nits input", d);
    fuzz_debug_diags(d); /* FUZZ_DEBUG=1: what an input did */
    if (rc == 0) {
        FUZZ_CHECK(diag_count(d, DIAG_ERROR) == 0);
        FUZZ_CHECK(oscal_framework_id_ok(fw.data));
        FUZZ_CHECK(n.applicable <= n.controls);
        FUZZ_CHECK(nul || n.applicable == n.controls);
        FUZZ_CHECK(nul || n.profile_missing == 0);
        FUZZ_CHECK(n.profile_missing == diag_count(d, DIAG_WARNING));
        /* oscal.h's bound: four times the input plus 1 MiB. */
        FUZZ_CHECK(yaml.len <= 4 * size + ((size_t)1 << 20));
        check_loads(&yaml, fw.data, &n);
    } else {
        FUZZ_CHECK(diag_count(d, DIAG_ERROR) > 0);
    }
    fuzz_check_positions(d, "cat.json", cat.text, cat.len, 0);
    fuzz_check_positions(d, "prof.json", prof.text, prof.len, 0);
    buf_release(&yaml);
    buf_release(&fw);
    diag_free(d);
    return 0;
}
