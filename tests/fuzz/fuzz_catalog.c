/* fuzz_catalog: a control catalog as a site writes it (controls/<framework>.yml),
 * through catalog_load_with, then the ids a page may cite through every
 * lookup. The input is `<catalog YAML>[\0<ids, one a line>]`. On success:
 * one framework, of a valid id, each control with an id, its framework's
 * id and the file; every control found again by its qualified id
 * (catalog_find and catalog_resolve agree); a plain id found is the only
 * control of that id. The cited ids may be anything: catalog_resolve,
 * catalog_find, catalog_knows_prefix and catalog_suggest answer within
 * their contracts. On failure, an error. tests/fuzz/README.md. */
#include "fuzz.h"
#include "fuzz_site.h"

#include "catalog.h"
#include "paths.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One id as a page cites it. */
static void check_cited(const catalog *c, const char *id)
{
    const control *ctl = NULL;
    buf canon;
    buf_init(&canon);
    control_match m = catalog_resolve(c, id, &ctl, &canon);
    FUZZ_CHECK(m == CONTROL_UNKNOWN || m == CONTROL_AMBIGUOUS || m == CONTROL_EXACT ||
               m == CONTROL_NONCANONICAL);
    if (m == CONTROL_EXACT)
        FUZZ_CHECK(ctl && ctl->id && ctl->framework);
    if (m == CONTROL_NONCANONICAL)
        FUZZ_CHECK(canon.len && strlen(canon.data) == canon.len);
    const control *found = catalog_find(c, id);
    if (found)
        FUZZ_CHECK(found->id && found->framework);
    int known = catalog_knows_prefix(c, id);
    FUZZ_CHECK(known == 0 || known == 1);
    if (!strchr(id, ':'))
        FUZZ_CHECK(known == 1);
    buf near;
    buf_init(&near);
    if (catalog_suggest(c, id, &near))
        FUZZ_CHECK(near.len && strlen(near.data) == near.len);
    buf_release(&near);
    buf_release(&canon);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = xstrndup((const char *)data, size);
    size_t yaml_len = strlen(in);
    /* The ids: what follows the first NUL (up to the next). */
    char *cited = xstrndup(yaml_len < size ? (const char *)data + yaml_len + 1 : "",
                           yaml_len < size ? size - yaml_len - 1 : 0);
    diags *d = diag_new(NULL);
    catalog_text text = {"controls/fuzz.yml", in, yaml_len};
    catalog *c = NULL;
    int rc = catalog_load_with(&c, fuzz_empty_site(), "controls", NULL, 0, &text, 1, 1 << 20, d);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc != 0) {
        FUZZ_CHECK(c == NULL && diag_count(d, DIAG_ERROR) > 0);
    } else {
        FUZZ_CHECK(c != NULL);
        size_t n_fws;
        const framework *fws = catalog_frameworks(c, &n_fws);
        FUZZ_CHECK(n_fws <= 1);
        buf q;
        buf_init(&q);
        for (size_t f = 0; f < n_fws; f++) {
            FUZZ_CHECK(fws[f].id && *fws[f].id);
            for (size_t i = 0; i < fws[f].n_controls; i++) {
                const control *ctl = &fws[f].controls[i];
                FUZZ_CHECK(ctl->id && *ctl->id && !strcmp(ctl->framework, fws[f].id));
                FUZZ_CHECK(ctl->file && !strcmp(ctl->file, "controls/fuzz.yml"));
                /* Its page's path is one the output writes. */
                buf_reset(&q);
                buf_printf(&q, "controls/%s/%s/index.html", fws[f].id, ctl->id);
                FUZZ_CHECK(path_is_safe_output(q.data) && !strstr(q.data, "/./"));
                FUZZ_CHECK(ctl->applicable == 0 || ctl->applicable == 1);
                /* Found again by its qualified id, the same control. */
                buf_reset(&q);
                buf_printf(&q, "%s:%s", fws[f].id, ctl->id);
                const control *again = catalog_find(c, q.data);
                FUZZ_CHECK(again && !strcmp(again->id, ctl->id));
                const control *res = NULL;
                buf canon;
                buf_init(&canon);
                FUZZ_CHECK(catalog_resolve(c, q.data, &res, &canon) == CONTROL_EXACT &&
                           res == again);
                buf_release(&canon);
                /* A plain id found is a control of that id. */
                const control *plain = catalog_find(c, ctl->id);
                FUZZ_CHECK(!plain || !strcmp(plain->id, ctl->id));
                check_cited(c, ctl->id);
            }
        }
        buf_release(&q);
        /* The cited ids, one a line. */
        for (char *p = cited, *nl; *p; p = nl + 1) {
            nl = strchr(p, '\n');
            if (nl)
                *nl = '\0';
            check_cited(c, p);
            if (!nl)
                break;
        }
        catalog_free(c);
    }
    free(cited);
    free(in);
    diag_free(d);
    return 0;
}
