/* test_verify: manifest.json as manifest_json_write writes it (the exact
 * bytes: schema, provenance with null commit and clean outside git, files
 * in the order given), then verify_dir on a small tree: a match, each kind
 * of difference, and the manifests it must refuse as malformed. */
#include "unit.h"

#include "digest.h"
#include "manifest_json.h"
#include "verify.h"

#include <unistd.h>

/* SHA-256 of "hello\n" and of "" */
#define HELLO "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
#define EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define COMMIT "0123456789abcdef0123456789abcdef01234567"

static manifest_entry entry(const char *rel, const char *hex, long long size)
{
    manifest_entry e = {.rel = (char *)rel, .size = size};
    memcpy(e.hex, hex, 65);
    return e;
}

Test(verify, writes_the_manifest)
{
    manifest_entry v[2] = {entry("a.html", HELLO, 6), entry("d/e.txt", EMPTY, 0)};
    build_provenance p = {.in_repo = 1, .clean = 0};
    memcpy(p.commit, COMMIT, 41);
    memcpy(p.as_of, "2026-11-25", 11);
    buf b;
    buf_init(&b);
    manifest_json_write(&b, v, 2, &p);
    cr_assert_str_eq(b.data, "{\n"
                             "  \"schema\": \"charter/manifest@1\",\n"
                             "  \"charter\": \"" CHARTER_VERSION "\",\n"
                             "  \"commit\": \"" COMMIT "\",\n"
                             "  \"clean\": false,\n"
                             "  \"as_of\": \"2026-11-25\",\n"
                             "  \"files\": [\n"
                             "    {\"path\": \"a.html\", \"size\": 6, \"sha256\": \"" HELLO "\"},\n"
                             "    {\"path\": \"d/e.txt\", \"size\": 0, \"sha256\": \"" EMPTY "\"}\n"
                             "  ]\n"
                             "}\n");
    buf_reset(&b);
    build_provenance none = {.as_of = "2026-11-25"};
    manifest_json_write(&b, NULL, 0, &none);
    cr_assert(strstr(b.data, "\"commit\": null,\n  \"clean\": null,\n"), "%s", b.data);
    cr_assert(strstr(b.data, "\"files\": []\n"), "%s", b.data);
    buf_release(&b);
}

/* A site holding a.html ("hello\n") and d/e.txt (empty), with `manifest`
 * as its manifest.json (NULL: the one that matches). */
static void make_site(char *dir, size_t size, const char *manifest)
{
    unit_mkdtemp(dir, size, "verify");
    unit_put(dir, "a.html", "hello\n");
    unit_put(dir, "d/e.txt", "");
    if (manifest) {
        unit_put(dir, "manifest.json", manifest);
        return;
    }
    manifest_entry v[2] = {entry("a.html", HELLO, 6), entry("d/e.txt", EMPTY, 0)};
    build_provenance p = {.in_repo = 1, .clean = 1};
    memcpy(p.commit, COMMIT, 41);
    memcpy(p.as_of, "2026-11-25", 11);
    buf b;
    buf_init(&b);
    manifest_json_write(&b, v, 2, &p);
    unit_put(dir, "manifest.json", b.data);
    buf_release(&b);
}

/* The differences verify_dir finds, one "kind: path" line each. */
static char *differences(const char *dir, int *rc)
{
    verify_result res;
    diags *d = diag_new(NULL);
    *rc = verify_dir(&res, dir, d);
    buf out;
    buf_init(&out);
    if (*rc == 0) {
        for (size_t i = 0; i < res.n_diffs; i++)
            buf_printf(&out, "%s: %s\n", verify_kind_name(res.diffs[i].kind), res.diffs[i].rel);
        verify_result_release(&res);
    }
    diag_free(d);
    return buf_detach(&out);
}

Test(verify, matches_and_differences)
{
    char dir[256];
    make_site(dir, sizeof dir, NULL);
    unit_put(dir, ".charter-manifest", "not looked at\n");
    verify_result res;
    diags *d = diag_new(NULL);
    cr_assert_eq(verify_dir(&res, dir, d), 0);
    cr_expect_eq(res.n_diffs, 0);
    cr_expect_eq(res.n_listed, 2);
    cr_expect_str_eq(res.commit, COMMIT);
    cr_expect_eq(res.clean, 1);
    verify_result_release(&res);
    diag_free(d);

    unit_put(dir, "a.html", "hellO\n"); /* same size, other bytes */
    unit_put(dir, "x/new.html", "");
    buf p;
    buf_init(&p);
    buf_printf(&p, "%s/d/e.txt", dir);
    cr_assert_eq(unlink(p.data), 0);
    cr_assert_eq(symlink("/etc/passwd", p.data), 0); /* never followed */
    int rc;
    char *got = differences(dir, &rc);
    cr_expect_eq(rc, 0);
    cr_expect_str_eq(got, "changed: a.html\nchanged: d/e.txt\nnot in the manifest: x/new.html\n");
    free(got);
    cr_assert_eq(unlink(p.data), 0);
    got = differences(dir, &rc);
    cr_expect_str_eq(got, "changed: a.html\nmissing: d/e.txt\nnot in the manifest: x/new.html\n");
    free(got);
    buf_release(&p);
    unit_remove(dir);
}

#define HEAD_OK "{\"schema\": \"charter/manifest@1\", \"charter\": \"0\", \"commit\": null, "
static const struct {
    const char *name, *manifest;
} malformed[] = {
    {"not JSON", "{"},
    {"not an object", "[]"},
    {"no schema", "{\"commit\": null, \"clean\": null, \"files\": []}"},
    {"another schema", "{\"schema\": \"charter/pages@1\", \"commit\": null, \"clean\": null, "
                       "\"files\": []}"},
    {"commit not hex", "{\"schema\": \"charter/manifest@1\", \"commit\": \"HEAD\", \"clean\": "
                       "true, \"files\": []}"},
    {"clean a string", HEAD_OK "\"clean\": \"true\", \"files\": []}"},
    {"files not a list", HEAD_OK "\"clean\": null, \"files\": {}}"},
    {"path leaves the site", HEAD_OK "\"clean\": null, \"files\": [{\"path\": \"../a.html\", "
                                     "\"size\": 6, \"sha256\": \"" HELLO "\"}]}"},
    {"path is absolute", HEAD_OK "\"clean\": null, \"files\": [{\"path\": \"/etc/passwd\", "
                                 "\"size\": 6, \"sha256\": \"" HELLO "\"}]}"},
    {"lists itself", HEAD_OK "\"clean\": null, \"files\": [{\"path\": \"manifest.json\", "
                             "\"size\": 6, \"sha256\": \"" HELLO "\"}]}"},
    {"short digest", HEAD_OK "\"clean\": null, \"files\": [{\"path\": \"a.html\", \"size\": 6, "
                             "\"sha256\": \"5891\"}]}"},
    {"size a string", HEAD_OK "\"clean\": null, \"files\": [{\"path\": \"a.html\", \"size\": "
                              "\"6\", \"sha256\": \"" HELLO "\"}]}"},
    {"negative size", HEAD_OK "\"clean\": null, \"files\": [{\"path\": \"a.html\", \"size\": -6, "
                              "\"sha256\": \"" HELLO "\"}]}"},
    {"path twice", HEAD_OK "\"clean\": null, \"files\": [{\"path\": \"a.html\", \"size\": 6, "
                           "\"sha256\": \"" HELLO "\"}, {\"path\": \"a.html\", \"size\": 6, "
                           "\"sha256\": \"" HELLO "\"}]}"},
    {"duplicate key", HEAD_OK "\"clean\": null, \"clean\": true, \"files\": []}"},
};

Test(verify, refuses_malformed_manifests)
{
    for (size_t i = 0; i < COUNT(malformed); i++) {
        char dir[256];
        make_site(dir, sizeof dir, malformed[i].manifest);
        verify_result res;
        diags *d = diag_new(NULL);
        cr_expect_eq(verify_dir(&res, dir, d), -1, "case '%s'", malformed[i].name);
        char *text = unit_diag_text(d);
        cr_expect(strstr(text, "[verify]") || strstr(text, "[io]"), "case '%s': %s",
                  malformed[i].name, text);
        free(text);
        diag_free(d);
        unit_remove(dir);
    }
}

Test(verify, refuses_a_linked_manifest)
{
    char dir[256];
    make_site(dir, sizeof dir, NULL);
    buf p, q;
    buf_init(&p);
    buf_init(&q);
    buf_printf(&p, "%s/manifest.json", dir);
    buf_printf(&q, "%s/d/m.json", dir);
    cr_assert_eq(rename(p.data, q.data), 0);
    cr_assert_eq(symlink("d/m.json", p.data), 0);
    verify_result res;
    diags *d = diag_new(NULL);
    cr_expect_eq(verify_dir(&res, dir, d), -1);
    diag_free(d);
    buf_release(&p);
    buf_release(&q);
    unit_remove(dir);
}
