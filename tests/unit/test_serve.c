/* test_serve: serve_decode_path, the one place a request's path becomes a
 * file's: percent escapes undone once, and every form of leaving the
 * served folder refused (the e2e tests in tests/serve/ check the answers). */
#include "unit.h"

#include "serve.h"

static const struct {
    const char *raw, *rel; /* rel NULL: refused */
} cases[] = {
    {"/", ""},
    {"", ""},
    {"/index.html", "index.html"},
    {"/people/", "people/"},
    {"/people", "people"},
    {"/a//b/", "a/b/"},
    {"/a%20b.html", "a b.html"},
    {"/caf%C3%A9/", "caf\xc3\xa9/"},
    {"/%252e%252e/x", "%2e%2e/x"}, /* decoded once: a name, not a parent */
    {"/..", NULL},
    {"/../etc/passwd", NULL},
    {"/a/../../b", NULL},
    {"/./a", NULL},
    {"/%2e%2e/etc", NULL},
    {"/%2E%2e/etc", NULL},
    {"/.%2e/x", NULL},
    {"/a%2fb", NULL},
    {"/a%2Fb", NULL},
    {"/..%5c..%5cetc", NULL},
    {"/a\\b", NULL},
    {"/x%00.html", NULL},
    {"/x%0a", NULL},
    {"/x%7f", NULL},
    {"/x%", NULL},
    {"/x%4", NULL},
    {"/x%zz", NULL},
};

Test(serve, decode_path)
{
    for (size_t i = 0; i < COUNT(cases); i++) {
        buf rel;
        buf_init(&rel);
        int rc = serve_decode_path(&rel, cases[i].raw);
        if (cases[i].rel) {
            cr_expect_eq(rc, 0, "'%s' is accepted", cases[i].raw);
            cr_expect_str_eq(rel.data, cases[i].rel, "'%s'", cases[i].raw);
        } else {
            cr_expect_eq(rc, -1, "'%s' is refused (got '%s')", cases[i].raw, rel.data);
        }
        buf_release(&rel);
    }
}
