/* test_init: what `charter init` plans: YAML values written so they read
 * back as the same string (plain, quoted or escaped), another file's nodes
 * copied in flow style with their types kept, the kind detected from a
 * directory's files, and a site.yml that config_parse reads for every kind
 * on every shape of directory. */
#include "unit.h"

#include "config.h"
#include "init.h"
#include "init_int.h"
#include "yamltree.h"

/* ---- values ---- */

static const char *const values[] = {
    "Acme",
    "Acme: policies",
    "https://acme.example/isms",
    "a # b",
    "a#b",
    "Wren & Co",
    "Heron's \"Trust\" Center",
    "back\\slash",
    "true",
    "No",
    "~",
    "null",
    "- x",
    "-x",
    " padded ",
    "tab\there",
    "line\nbreak",
    "bell\x07",
    "del\x7f",
    "NEL\xC2\x85x",
    "LS\xE2\x80\xA8x",
    "PS\xE2\x80\xA9x",
    "BOM\xEF\xBB\xBFx",
    "&anchor",
    "*alias",
    "!tag",
    "%directive",
    "@at",
    "`tick",
    "{brace}",
    "[x]",
    "a, b",
    "?question",
    "'single'",
    "\"double\"",
    "Plover Labs \xE2\x80\x94 Security Policies",
    "",
    ":",
    "key: value",
    "trailing:",
    ".charter/layouts",
    "1.0",
    "2026-01-01",
};

Test(init, setting_reads_back)
{
    for (size_t i = 0; i < COUNT(values); i++) {
        buf b;
        buf_init(&b);
        init_put_setting(&b, "a comment", "title", values[i]);
        diags *d = diag_new(NULL);
        yaml_node *y = NULL;
        cr_assert_eq(yamltree_parse(&y, b.data, b.len, "site.yml", 0, d), 0, "'%s' written as %s",
                     values[i], b.data);
        const yaml_node *t = yamltree_get(y, "title");
        cr_assert_not_null(t);
        cr_assert_str_eq(yamltree_text(t), values[i], "written as %s", b.data);
        cr_assert(!yamltree_is_null(t), "'%s' reads as null: %s", values[i], b.data);
        /* One line of value: nothing can be slipped in as another setting. */
        cr_assert_eq(strchr(strchr(b.data, '\n') + 1, '\n') - b.data + 1, (long)b.len, "%s",
                     b.data);
        yamltree_free(y);
        diag_free(d);
        buf_release(&b);
    }
}

Test(init, setting_not_utf8)
{
    /* A byte that is not UTF-8 (a README's heading in Latin-1) becomes the
     * character of its value: the file still reads. */
    buf b;
    buf_init(&b);
    init_put_setting(&b, "c", "title", "Caf\xe9");
    diags *d = diag_new(NULL);
    yaml_node *y = NULL;
    cr_assert_eq(yamltree_parse(&y, b.data, b.len, "site.yml", 0, d), 0, "%s", b.data);
    cr_assert_str_eq(yamltree_text(yamltree_get(y, "title")), "Caf\xc3\xa9");
    yamltree_free(y);
    diag_free(d);
    buf_release(&b);
}

Test(init, setting_null_writes_nothing)
{
    buf b;
    buf_init(&b);
    init_put_setting(&b, "c", "description", NULL);
    cr_assert_eq(b.len, 0);
    buf_release(&b);
}

/* ---- nodes ---- */

static void assert_same(const yaml_node *a, const yaml_node *b)
{
    cr_assert_eq(yamltree_kind(a), yamltree_kind(b));
    cr_assert_eq(yamltree_len(a), yamltree_len(b));
    if (yamltree_kind(a) == YAML_SCALAR) {
        cr_assert_eq(yamltree_is_null(a), yamltree_is_null(b), "'%s'", yamltree_text(a));
        if (!yamltree_is_null(a))
            cr_assert_str_eq(yamltree_text(a), yamltree_text(b));
        /* A plain true stays a boolean; a quoted one stays a string. */
        if (!strcmp(yamltree_text(a), "true") || !strcmp(yamltree_text(a), "off"))
            cr_assert_eq(yamltree_plain(a), yamltree_plain(b), "'%s'", yamltree_text(a));
    }
    for (size_t i = 0; i < yamltree_len(a); i++) {
        if (yamltree_kind(a) == YAML_MAPPING)
            cr_assert_str_eq(yamltree_text(yamltree_key(a, i)), yamltree_text(yamltree_key(b, i)));
        assert_same(yamltree_item(a, i), yamltree_item(b, i));
    }
}

Test(init, node_reads_back)
{
    static const char *const docs[] = {
        "[drafts, Gemfile, \"*.sh\", 'vendor/']",
        "[a, 'true', true, off, \"x: y\", '', ~, null, \"a, b\", '#c']",
        "- scope:\n    path: \"\"\n  values:\n    layout: page\n    published: true\n"
        "- scope: {path: policies, \"layout\": x}\n  values: {owner: \"Team: A\", tags: [a, b]}\n",
        "{\"key with: colon\": [1, 2.5, -3], empty: {}, list: []}",
    };
    for (size_t i = 0; i < COUNT(docs); i++) {
        diags *d = diag_new(NULL);
        yaml_node *a = NULL, *b = NULL;
        cr_assert_eq(yamltree_parse(&a, docs[i], strlen(docs[i]), "x", 0, d), 0);
        buf out;
        buf_init(&out);
        init_put_node(&out, a);
        cr_assert_eq(yamltree_parse(&b, out.data, out.len, "y", 0, d), 0, "%s", out.data);
        assert_same(a, b);
        yamltree_free(a);
        yamltree_free(b);
        buf_release(&out);
        diag_free(d);
    }
}

/* ---- detection, and a site.yml that reads for every kind ---- */

static const struct {
    const char *files[4];
    init_kind kind;
    const char *why;
} shapes[] = {
    {{NULL}, INIT_NEW, "an empty directory"},
    {{".git/HEAD"}, INIT_NEW, "an empty directory"},
    {{"LICENSE"}, INIT_NEW, "no Markdown files"},
    {{"node_modules/x/README.md", "_drafts/a.md"}, INIT_NEW, "no Markdown files"},
    {{"comply.yml", "_config.yml", "policies/a.md"}, INIT_COMPLY, "found comply.yml"},
    {{"_config.yml", "docusaurus.config.js"}, INIT_JEKYLL, "found _config.yml"},
    {{"docusaurus.config.ts", "docs/a.md"}, INIT_DOCUSAURUS, "found docusaurus.config.ts"},
    {{"config.toml", "content/a.md"}, INIT_HUGO, "found config.toml and content/"},
    {{"mkdocs.yml", "docs/a.md"}, INIT_MKDOCS, "found mkdocs.yml"},
    /* An empty baseUrl or base (''), and VitePress's config in docs/. */
    {{"docusaurus.config.js", "docs/a.md"}, INIT_DOCUSAURUS, "found docusaurus.config.js"},
    {{"docs/.vitepress/config.mts", "docs/a.md"},
     INIT_VITEPRESS,
     "found docs/.vitepress/config.mts"},
    {{"mkdocs.yml", "config.toml", "content/a.md"}, INIT_MKDOCS, "found mkdocs.yml"},
    {{"config/_default/hugo.yaml", "content/_index.md"},
     INIT_HUGO,
     "found config/_default/hugo.yaml and content/"},
    {{"hugo.toml", "a.md"}, INIT_PLAIN, "Markdown files, no site generator's settings"},
    {{"notes/deep/a.md"}, INIT_PLAIN, "Markdown files, no site generator's settings"},
};

static const char *const texts[][2] = {
    {"comply.yml", "name: \"Kite: Corp\"\n"},
    {"_config.yml", "title: Acme\nexclude:\n  - x\ndefaults:\n  - values: {owner: A}\n"},
    {"docusaurus.config.ts", "export default {title: 'Heron', baseUrl: '/t/'};\n"},
    {"docusaurus.config.js", "module.exports = {title: 'Heron', baseUrl: ''};\n"},
    {"docs/.vitepress/config.mts", "export default defineConfig({title: '', base: ''});\n"},
    {"config.toml", "title = \"Wren\"\nbaseURL = \"https://w.example/h/\"\n"},
    {"config/_default/hugo.yaml", "title: Wren\nbaseurl: /\n"},
    {"hugo.toml", "title = 'x'\n"},
    {"mkdocs.yml", "site_name: Kite\nsite_url: https://k.example/isms/\n"
                   "theme: {name: material}\nx: !!python/name:a.b\n"},
};

static const char *text_of(const char *rel)
{
    for (size_t i = 0; i < COUNT(texts); i++)
        if (!strcmp(texts[i][0], rel))
            return texts[i][1];
    return strstr(rel, ".md") ? "---\ntitle: A\nlast_updated: 2026-01-01\n---\nText.\n" : "x\n";
}

Test(init, detects_and_plans)
{
    for (size_t i = 0; i < COUNT(shapes); i++) {
        char dir[256];
        unit_mkdtemp(dir, sizeof dir, "init");
        for (size_t f = 0; f < COUNT(shapes[i].files) && shapes[i].files[f]; f++)
            unit_put(dir, shapes[i].files[f], text_of(shapes[i].files[f]));
        diags *d = diag_new(dir);
        fs_root root;
        cr_assert_eq(fs_root_init(&root, dir, d), 0);
        /* Detected, then every kind forced: each site.yml reads. */
        for (int forced = -1; forced < INIT_N_KINDS; forced++) {
            init_plan p;
            /* A kind forced on a shape without its pages folder is refused
             * (saying so); every other plan is made. */
            diags *fd = forced < 0 ? d : diag_new(dir);
            int rc = init_plan_make(&p, &root, forced, fd);
            if (rc != 0 && forced >= 0) {
                char *got = unit_diag_text(fd);
                cr_assert(strstr(got, "is not there"), "shape %zu, kind %d: %s", i, forced, got);
                free(got);
                init_plan_release(&p);
                diag_free(fd);
                continue;
            }
            if (fd != d)
                diag_free(fd);
            cr_assert_eq(rc, 0, "shape %zu, kind %d", i, forced);
            cr_assert_eq(p.kind, forced < 0 ? shapes[i].kind : (init_kind)forced);
            cr_assert_str_eq(p.why.data, forced < 0 ? shapes[i].why : "--kind", "shape %zu", i);
            cr_assert_str_eq(p.rel[0], "site.yml");
            site_config c;
            diags *cd = diag_new(NULL);
            cr_assert_eq(config_parse(&c, p.text[0].data, p.text[0].len, cd), 0,
                         "shape %zu, kind %s:\n%s", i, init_kind_names[p.kind], p.text[0].data);
            config_release(&c);
            diag_free(cd);
            init_plan_release(&p);
        }
        cr_assert_eq(diag_count(d, DIAG_ERROR), 0);
        fs_root_release(&root);
        diag_free(d);
        unit_remove(dir);
    }
}

Test(init, jekyll_config_unreadable)
{
    /* A _config.yml that does not parse is reported, at its line. */
    char dir[256];
    unit_mkdtemp(dir, sizeof dir, "init");
    unit_put(dir, "_config.yml", "title: [unclosed\n");
    diags *d = diag_new(dir);
    fs_root root;
    cr_assert_eq(fs_root_init(&root, dir, d), 0);
    init_plan p;
    cr_assert_eq(init_plan_make(&p, &root, -1, d), -1);
    init_plan_release(&p);
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(e[0].file, "_config.yml");
    cr_assert_str_eq(e[0].id, "yaml-syntax");
    fs_root_release(&root);
    diag_free(d);
    unit_remove(dir);
}
