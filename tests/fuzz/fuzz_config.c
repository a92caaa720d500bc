/* fuzz_config: config_parse (site.h) on the input as site.yml, then
 * config_release. On success the settings must be usable as they are:
 * every string set, lists NULL-free, base_url ending in '/', the limits and
 * the strip mode in range. tests/fuzz/README.md. */
#include "fuzz.h"

#include "paths.h"
#include "site.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_list(const char **v, size_t n)
{
    FUZZ_CHECK(n == 0 || v);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(v[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diags *d = diag_new(NULL);
    site_config c;
    if (config_parse(&c, (const char *)data, size, d) == 0) {
        FUZZ_CHECK(c.yaml && yamltree_kind(c.yaml) == YAML_MAPPING);
        FUZZ_CHECK(c.title && c.base_url_raw && c.branch && c.output);
        FUZZ_CHECK(c.content && c.controls && c.layouts && c.assets);
        size_t n = strlen(c.base_url);
        FUZZ_CHECK(n > 0 && c.base_url[n - 1] == '/');
        FUZZ_CHECK(c.base_url[0] == '/' || url_is_external(c.base_url));
        check_list(c.frameworks, c.n_frameworks);
        check_list(c.sections, c.n_sections);
        check_list(c.required, c.n_required);
        check_list(c.exclude, c.n_exclude);
        check_list(c.include, c.n_include);
        FUZZ_CHECK(c.template_strip <= TPL_STRIP_WHITESPACE);
        FUZZ_CHECK(c.unsafe_html == 0 || c.unsafe_html == 1);
        const site_limits *l = &c.limits;
        FUZZ_CHECK(l->page_bytes && l->frontmatter_bytes && l->scalar_bytes &&
                   l->frontmatter_keys && l->static_bytes && l->file_bytes);
        FUZZ_CHECK(l->page_seconds >= 1 && l->page_seconds <= 86400);
        FUZZ_CHECK(l->history_seconds >= 1 && l->history_seconds <= 86400);
    } else {
        FUZZ_CHECK(diag_count(d, DIAG_ERROR) > 0);
    }
    config_release(&c);
    fuzz_check_positions(d, "site.yml", (const char *)data, size, 0);
    fuzz_debug_diags(d); /* FUZZ_DEBUG=1: what an input did */
    diag_free(d);
    return 0;
}
