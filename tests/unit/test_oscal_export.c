/* test_oscal_export: the OSCAL component definition's identifiers on a tiny
 * loaded site: control ids mapped to OSCAL tokens reversibly, SHA-1 against
 * FIPS 180 vectors, and UUIDs that are RFC 4122 version 5 (the expected
 * values computed with Python's uuid.uuid5, independently); and a large
 * site's document (and its api/pages.json) written in parts. */
#include "unit.h"

#include "api.h"
#include "digest.h"
#include "jsondoc.h"
#include "oscal_export.h"
#include "site.h"

static const struct {
    const char *id, *token;
    int mapped;
} token_cases[] = {
    {"A.5.15", "A.5.15", 0},
    {"GV.OC-01", "GV.OC-01", 0},
    {"ac-2_x", "ac-2_x", 0},
    /* Not a token (a digit or '_' first, other characters): '_', then
     * every byte but letters, digits, '.' and '-' as _XX. */
    {"5.1", "_5.1", 1},
    {"_a", "__5Fa", 1},
    {"AC-2(1)", "_AC-2_281_29", 1},
    {"a b:c", "_a_20b_3Ac", 1},
    {"\xc3\xa9t\xc3\xa9", "__C3_A9t_C3_A9", 1},
    {"", "_", 1},
};

Test(oscal_export, control_token)
{
    for (size_t i = 0; i < COUNT(token_cases); i++) {
        buf b;
        buf_init(&b);
        buf_adds(&b, ">");
        cr_expect_eq(oscal_control_token(&b, token_cases[i].id), token_cases[i].mapped, "%s",
                     token_cases[i].id);
        cr_expect_str_eq(b.data + 1, token_cases[i].token);
        buf_release(&b);
    }
}

Test(oscal_export, sha1)
{
    unsigned char h[DIGEST_SHA1_SIZE];
    static const unsigned char abc[] = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
                                        0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
    digest_sha1(h, "abc", 3);
    cr_expect_eq(memcmp(h, abc, sizeof h), 0);
    static const unsigned char empty[] = {0xda, 0x39, 0xa3, 0xee, 0x5e, 0x6b, 0x4b,
                                          0x0d, 0x32, 0x55, 0xbf, 0xef, 0x95, 0x60,
                                          0x18, 0x90, 0xaf, 0xd8, 0x07, 0x09};
    digest_sha1(h, "", 0);
    cr_expect_eq(memcmp(h, empty, sizeof h), 0);
}

static char root[64];

static void make_site(void)
{
    unit_mkdtemp(root, sizeof root, "oscal-export");
    unit_put(root, "site.yml",
             "title: T\nbase_url: https://x.example/sub\nrequired: []\nframeworks: [demo]\n");
    unit_put(root, "layouts/policy.html", "{{CONTENT}}");
    unit_put(root, "controls/demo.yml",
             "framework: demo\nname: Demo\ncontrols:\n  - id: \"5.1\"\n    title: One\n"
             "  - id: A.1\n    title: Two\n  - id: A.2\n    title: Never cited\n");
    unit_put(root, "content/pol/a.md",
             "---\ntitle: A\ndescription: \"Says\\nwhat.\"\nowner: \"  o  \"\n"
             "controls: [\"5.1\", A.1]\n---\n");
    /* Two pages with one id: each resource is named by its path instead. */
    unit_put(root, "content/pol/b.md", "---\ntitle: B\nid: same\ncontrols: [A.1]\n---\n");
    unit_put(root, "content/pol/c.md", "---\ntitle: C\nid: same\n---\n");
}

static void remove_site(void)
{
    unit_remove(root);
}

Test(oscal_export, document, .init = make_site, .fini = remove_site)
{
    diags *d = diag_new(root);
    site *s = NULL;
    cr_assert_eq(site_load(&s, root, date_from_civil(2026, 11, 25), d), 0);
    buf b;
    buf_init(&b);
    oscal_component_definition(&b, s, NULL);
    const char *want[] = {
        "\"oscal-version\": \"1.0.6\"",
        "\"last-modified\": \"2026-11-25T00:00:00Z\"",
        "\"version\": \"2026-11-25\"",
        "\"uuid\": \"87abb40a-290e-56b3-9c89-233daf1acacf\",\n        \"type\": \"policy\"",
        "\"source\": \"https://x.example/sub/controls/#fw-demo\"",
        "\"uuid\": \"88144576-39f8-5626-b2da-75287d0d1c89\",\n"
        "                \"control-id\": \"_5.1\"",
        "\"value\": \"5.1\"",
        /* The statements of the citing pages, each named. */
        "\"description\": \"A (pol/a): Says\\nwhat.\\n\\nB (same)\"",
        "{\"href\": \"#45730c6c-426c-5a45-b852-d5190c32e671\", \"rel\": \"reference\"",
        "{\"href\": \"#32357636-41c8-5a1a-ac20-b45fa2ba0308\", \"rel\": \"reference\"",
        "\"uuid\": \"f53bd867-d8dd-50ec-a439-c6cad023bf57\"",
        "{\"href\": \"https://x.example/sub/pol/a/\", \"media-type\": \"text/html\"}",
        /* A prop value on one line, trimmed. */
        "\"name\": \"owner\", \"ns\": \"https://github.com/charter-policy/charter/ns/oscal\", "
        "\"value\": \"o\"}",
    };
    for (size_t i = 0; i < COUNT(want); i++)
        cr_expect_not_null(strstr(b.data, want[i]), "no %s in\n%s", want[i], b.data);
    cr_expect_null(strstr(b.data, "\"A.2\""), "an uncited control is no requirement");
    cr_expect_eq(b.data[b.len - 1], '\n');
    buf_release(&b);
    site_free(s);
    diag_free(d);
}

/* ---- written in parts ---- */

enum { MANY = 600 };

/* A site in a new temporary root (named after `name`) with the framework
 * "demo" of n controls C.0 ... and no pages yet. */
static void demo_site(const char *name, int n)
{
    unit_mkdtemp(root, sizeof root, name);
    unit_put(root, "site.yml", "title: T\nbase_url: /\nrequired: []\nframeworks: [demo]\n");
    unit_put(root, "layouts/policy.html", "{{CONTENT}}");
    buf cat;
    buf_init(&cat);
    buf_adds(&cat, "framework: demo\nname: Demo\ncontrols:\n");
    for (int i = 0; i < n; i++)
        buf_printf(&cat, "  - id: C.%d\n    title: Control %d\n", i, i);
    unit_put(root, "controls/demo.yml", cat.data);
    buf_release(&cat);
}

static void make_large_site(void)
{
    demo_site("oscal-parts", MANY);
    buf path, text;
    buf_init(&path);
    buf_init(&text);
    for (int i = 0; i < MANY; i++) {
        buf_reset(&path);
        buf_printf(&path, "content/p%03d.md", i);
        buf_reset(&text);
        /* A summary long enough that api/pages.json takes several parts. */
        buf_printf(&text, "---\ntitle: Page %d\ncontrols: [C.%d]\nsummary: ", i, i);
        for (int k = 0; k < 40; k++)
            buf_adds(&text, "A summary of the page, long. ");
        buf_printf(&text, "\n---\nText %d.\n", i);
        unit_put(root, path.data, text.data);
    }
    buf_release(&path);
    buf_release(&text);
}

/* Joins into all every part fill gives; returns how many there were. */
static int join_parts(buf *all, int (*fill)(void *ctx, buf *chunk), void *ctx)
{
    buf chunk;
    buf_init(&chunk);
    int more, parts = 0;
    do {
        buf_reset(&chunk);
        more = fill(ctx, &chunk);
        buf_add(all, chunk.data, chunk.len);
        parts++;
    } while (more > 0);
    buf_release(&chunk);
    return parts;
}

/* Each part parsed together must be the one document: every requirement
 * (600, more than a part holds) in catalog order, each linking a resource
 * the back-matter (600 more) holds; and api/pages.json likewise. */
Test(oscal_export, large_documents_in_parts, .init = make_large_site, .fini = remove_site)
{
    diags *d = diag_new(root);
    site *s = NULL;
    cr_assert_eq(site_load(&s, root, date_from_civil(2026, 11, 25), d), 0);
    buf all;
    buf_init(&all);
    oscal_export *e = oscal_export_new(s, NULL);
    int parts = join_parts(&all, oscal_export_fill, e);
    oscal_export_free(e);
    cr_expect_gt(parts, 2, "written in %d parts", parts);
    buf whole;
    buf_init(&whole);
    oscal_component_definition(&whole, s, NULL);
    cr_expect_str_eq(all.data, whole.data);
    jsondoc *doc = NULL;
    cr_assert_eq(jsondoc_parse(&doc, all.data, all.len, "cd.json", 64, d), 0);
    const jsondoc_node *cd = jsondoc_get(jsondoc_root(doc), "component-definition");
    const jsondoc_node *comp = jsondoc_item(jsondoc_get(cd, "components"), 0);
    const jsondoc_node *impl = jsondoc_item(jsondoc_get(comp, "control-implementations"), 0);
    const jsondoc_node *reqs = jsondoc_get(impl, "implemented-requirements");
    const jsondoc_node *res = jsondoc_get(jsondoc_get(cd, "back-matter"), "resources");
    cr_assert_eq(jsondoc_len(reqs), MANY);
    cr_assert_eq(jsondoc_len(res), MANY);
    for (size_t i = 0; i < MANY; i++) {
        char want[16];
        snprintf(want, sizeof want, "C.%zu", i);
        const jsondoc_node *r = jsondoc_item(reqs, i);
        cr_expect_str_eq(jsondoc_string(jsondoc_get(r, "control-id")), want);
        const char *href =
            jsondoc_string(jsondoc_get(jsondoc_item(jsondoc_get(r, "links"), 0), "href"));
        const char *uuid = jsondoc_string(jsondoc_get(jsondoc_item(res, i), "uuid"));
        cr_expect(href && uuid && href[0] == '#' && !strcmp(href + 1, uuid), "requirement %zu", i);
    }
    jsondoc_free(doc);

    /* api/pages.json: the pages in order, each once. */
    buf_reset(&all);
    api_pages *a = api_pages_new(s, NULL);
    parts = join_parts(&all, api_pages_fill, a);
    api_pages_free(a);
    cr_expect_gt(parts, 2, "written in %d parts", parts);
    cr_assert_eq(jsondoc_parse(&doc, all.data, all.len, "pages.json", 64, d), 0);
    const jsondoc_node *pages = jsondoc_get(jsondoc_root(doc), "pages");
    cr_assert_eq(jsondoc_len(pages), MANY);
    for (size_t i = 0; i < MANY; i++) {
        char want[16];
        snprintf(want, sizeof want, "Page %zu", i);
        cr_expect_str_eq(jsondoc_string(jsondoc_get(jsondoc_item(pages, i), "title")), want);
    }
    jsondoc_free(doc);
    buf_release(&all);
    buf_release(&whole);
    site_free(s);
    diag_free(d);
}

/* ---- parts of a bounded size ---- */

enum { CITED = 12, CITING = 400 };

static void make_cited_site(void)
{
    demo_site("oscal-cited", CITED);
    buf path, text;
    buf_init(&path);
    buf_init(&text);
    for (int i = 0; i < CITING; i++) {
        buf_reset(&path);
        buf_printf(&path, "content/p%03d.md", i);
        buf_reset(&text);
        buf_printf(&text, "---\ntitle: Page %d\ncontrols: [", i);
        for (int c = 0; c < CITED; c++)
            buf_printf(&text, "%sC.%d", c ? ", " : "", c);
        buf_printf(&text, "]\n---\nText %d.\n", i);
        unit_put(root, path.data, text.data);
    }
    buf_release(&path);
    buf_release(&text);
}

/* Every control cited by every page: each requirement is tens of kilobytes
 * (each citing page a link), and the requirements together several times
 * FS_CHUNK_BYTES. A part ends once it holds FS_CHUNK_BYTES, so none holds
 * more than that and one requirement; counted in requirements, one part
 * held them all (a 10,000-page site's export held 20 MB so). */
Test(oscal_export, parts_end_at_a_size, .init = make_cited_site, .fini = remove_site)
{
    diags *d = diag_new(root);
    site *s = NULL;
    cr_assert_eq(site_load(&s, root, date_from_civil(2026, 11, 25), d), 0);
    oscal_export *e = oscal_export_new(s, NULL);
    buf chunk, all;
    buf_init(&chunk);
    buf_init(&all);
    size_t largest = 0;
    int more;
    do {
        buf_reset(&chunk);
        more = oscal_export_fill(e, &chunk);
        largest = chunk.len > largest ? chunk.len : largest;
        buf_add(&all, chunk.data, chunk.len);
    } while (more > 0);
    oscal_export_free(e);
    cr_assert_gt(all.len, 4 * FS_CHUNK_BYTES, "%zu bytes: too few to need parts", all.len);
    cr_expect_lt(largest, 2 * FS_CHUNK_BYTES, "a part of %zu bytes", largest);
    buf whole;
    buf_init(&whole);
    oscal_component_definition(&whole, s, NULL);
    cr_expect_str_eq(all.data, whole.data);
    buf_release(&whole);
    buf_release(&all);
    buf_release(&chunk);
    site_free(s);
    diag_free(d);
}
