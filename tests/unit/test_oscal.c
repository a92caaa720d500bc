/* Unit tests for jsondoc.c (the JSON reader: invalid UTF-8, duplicate keys,
 * the depth bound, document order) and oscal.c (OSCAL catalogs and
 * profiles into charter catalog YAML: nested groups, enhancements,
 * withdrawn controls, parameters, profile selection), and the converted
 * text loaded by catalog.c as site.yml's oscal_catalogs are. */
#include "unit.h"

#include "catalog.h"
#include "config.h"
#include "jsondoc.h"
#include "oscal.h"

/* Parses text as "t.json"; returns the document or NULL, diagnostics in d. */
static jsondoc *parse(const char *text, size_t max_depth, diags *d)
{
    jsondoc *doc = NULL;
    int rc = jsondoc_parse(&doc, text, strlen(text), "t.json", max_depth, d);
    cr_assert_eq(rc == 0, doc != NULL);
    return doc;
}

Test(jsondoc, reads_values_and_members_in_document_order)
{
    diags *d = diag_new(NULL);
    jsondoc *doc =
        parse("\xEF\xBB\xBF{\"z\": 1.5, \"a\": [true, null, \"x\\u00e9\"], \"m\": {}}", 0, d);
    cr_assert_not_null(doc);
    const jsondoc_node *r = jsondoc_root(doc);
    cr_assert_eq(jsondoc_kind_of(r), JSONDOC_OBJECT);
    cr_assert_eq(jsondoc_len(r), 3);
    const char *want[] = {"z", "a", "m"}, *key;
    const jsondoc_node *v;
    jsondoc_iter it = {0};
    size_t i = 0;
    while (jsondoc_next(&it, r, &key, &v))
        cr_assert_str_eq(key, want[i++]);
    cr_assert_eq(i, 3);
    double num;
    cr_assert_eq(jsondoc_number(&num, jsondoc_get(r, "z")), 0);
    cr_assert_float_eq(num, 1.5, 1e-9);
    const jsondoc_node *a = jsondoc_get(r, "a");
    int b;
    cr_assert_eq(jsondoc_bool(&b, jsondoc_item(a, 0)), 0);
    cr_assert_eq(b, 1);
    cr_assert_eq(jsondoc_kind_of(jsondoc_item(a, 1)), JSONDOC_NULL);
    cr_assert_str_eq(jsondoc_string(jsondoc_item(a, 2)), "x\xC3\xA9");
    cr_assert_null(jsondoc_item(a, 3));
    cr_assert_null(jsondoc_get(a, "z"));
    cr_assert_null(jsondoc_string(jsondoc_get(r, "missing")));
    cr_assert_eq(jsondoc_len(jsondoc_get(r, "m")), 0);
    cr_assert_diag(d, "");
    jsondoc_free(doc);
    diag_free(d);
}

/* Each bad input and the one diagnostic it gives. */
static const struct {
    const char *text, *diag;
} bad_json[] = {
    {"{\"a\": \"ok\",\n \"b\": \"\xFF\"}",
     "t.json:2:7: error: invalid JSON: unable to decode byte 0xff near '\"' [json]\n"},
    {"{\"a\": 1,\n  \"a\": 2}",
     "t.json:2:5: error: invalid JSON: duplicate object key near '\"a\"' [json]\n"},
    {"[1, 2,]", "t.json:1:7: error: invalid JSON: unexpected token near ']' [json]\n"},
    {"{\"a\": \"\\u0000\"}", "t.json:1:14: error: invalid JSON: a string holds \\u0000, which "
                             "charter does not read [json]\n"},
    {"[] []", "t.json:1:4: error: invalid JSON: end of file expected near '[' [json]\n"},
    {"", "t.json:1:0: error: invalid JSON: unexpected token near end of file [json]\n"},
};

Test(jsondoc, refuses_invalid_json_with_line_and_column)
{
    for (size_t i = 0; i < COUNT(bad_json); i++) {
        diags *d = diag_new(NULL);
        cr_assert_null(parse(bad_json[i].text, 0, d), "case %zu", i);
        cr_assert_diag(d, bad_json[i].diag);
        diag_free(d);
    }
}

/* A NUL byte is JSON nowhere: jansson read one ending a number as the end
 * of the text ("4\0" was 4). Refused where it is, in a string or not. */
Test(jsondoc, refuses_a_nul_byte)
{
    static const struct {
        const char *text;
        size_t len;
        const char *diag;
    } cases[] = {
        {"4\0", 2, "t.json:1:2: error: invalid JSON: a NUL byte [json]\n"},
        {"[4]\0", 4, "t.json:1:4: error: invalid JSON: a NUL byte [json]\n"},
        {"{\"a\":\n \"x\0y\"}", 11, "t.json:2:4: error: invalid JSON: a NUL byte [json]\n"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        diags *d = diag_new(NULL);
        jsondoc *doc = NULL;
        cr_assert_eq(jsondoc_parse(&doc, cases[i].text, cases[i].len, "t.json", 0, d), -1,
                     "case %zu", i);
        cr_assert_null(doc);
        cr_assert_diag(d, cases[i].diag);
        diag_free(d);
    }
}

Test(jsondoc, bounds_the_depth_before_parsing)
{
    diags *d = diag_new(NULL);
    /* Brackets inside strings do not count; the fourth level is refused. */
    jsondoc *doc = parse("[[[\"[[[[\"]]]", 3, d);
    cr_assert_not_null(doc);
    jsondoc_free(doc);
    cr_assert_null(parse("[[\n [{\"a\": 1}]]]", 3, d));
    cr_assert_diag(d, "t.json:2:3: error: arrays and objects nested deeper than 3 levels [json]\n");
    diag_free(d);
    /* The default: JSONDOC_MAX_DEPTH, far below jansson's own 2048. */
    buf deep;
    buf_init(&deep);
    for (int i = 0; i < 100000; i++)
        buf_addc(&deep, '[');
    d = diag_new(NULL);
    cr_assert_null(parse(deep.data, 0, d));
    cr_assert_diag(d,
                   "t.json:1:65: error: arrays and objects nested deeper than 64 levels [json]\n");
    diag_free(d);
    buf_release(&deep);
}

/* A catalog with two nested groups, a control outside any group, an
 * enhancement, a withdrawn control and parameters. */
static const char catalog_json[] =
    "{\"catalog\": {\"uuid\": \"u\", \"metadata\": {\"title\": \"Test Catalog, v1.0\"},\n"
    " \"groups\": [{\"id\": \"ac\", \"title\": \"Access Control\", \"controls\": [\n"
    "   {\"id\": \"ac-1\", \"title\": \"Policy\",\n"
    "    \"params\": [{\"id\": \"ac-1_prm_1\", \"label\": \"frequency\"},\n"
    "               {\"id\": \"ac-1_prm_2\", \"select\": {\"how-many\": \"one-or-more\",\n"
    "                \"choice\": [\"daily \", \"every {{ insert: param, ac-1_prm_1 }}\"]}}],\n"
    "    \"props\": [{\"name\": \"label\", \"value\": \"AC-01\", \"class\": \"zero-padded\"},\n"
    "              {\"name\": \"label\", \"value\": \"AC-1\"}],\n"
    "    \"parts\": [{\"name\": \"guidance\", \"prose\": \"Not the statement.\"},\n"
    "     {\"name\": \"statement\", \"parts\": [\n"
    "      {\"name\": \"item\", \"props\": [{\"name\": \"label\", \"value\": \"a.\"}],\n"
    "       \"prose\": \"Review  it\\n {{ insert: param, ac-1_prm_1 }} ;\", \"parts\": [\n"
    "        {\"name\": \"item\", \"props\": [{\"name\": \"label\", \"value\": \"1.\"}],\n"
    "         \"prose\": \"Say \\\"{{ insert: param, ac-1_prm_2 }}\\\"\"}]},\n"
    "      {\"name\": \"item\", \"props\": [{\"name\": \"label\", \"value\": \"b.\"}],\n"
    "       \"prose\": \"Keep {{ insert: param, nowhere }}.\"}]}],\n"
    "    \"controls\": [{\"id\": \"ac-1.1\", \"title\": \"Automated\",\n"
    "      \"props\": [{\"name\": \"label\", \"value\": \"AC-1(1)\"}],\n"
    "      \"parts\": [{\"name\": \"statement\", \"prose\": \"Automate.\"}]},\n"
    "     {\"id\": \"ac-1.2\", \"title\": \"Gone\",\n"
    "      \"props\": [{\"name\": \"status\", \"value\": \"withdrawn\"}]}]}],\n"
    "  \"groups\": [{\"id\": \"ac-x\", \"title\": \"Inner\", \"controls\": [\n"
    "    {\"id\": \"ac-9\", \"title\": \"Nested\"}]}]}],\n"
    " \"controls\": [{\"id\": \"zz-1\", \"title\": \"Loose\"}]}}\n";

static void convert(buf *out, buf *fw, oscal_counts *n, const char *profile, const char *id,
                    diags *d, int want)
{
    oscal_input cat = {"cat.json", catalog_json, strlen(catalog_json)};
    oscal_input prof = {"prof.json", profile, profile ? strlen(profile) : 0};
    int rc = oscal_convert(out, fw, n, &cat, profile ? &prof : NULL, id, NULL, "Made by a test", d);
    cr_assert_eq(rc, want);
}

Test(oscal, converts_groups_enhancements_and_statements)
{
    diags *d = diag_new(NULL);
    buf out, fw;
    buf_init(&out);
    buf_init(&fw);
    oscal_counts n;
    convert(&out, &fw, &n, NULL, NULL, d, 0);
    cr_assert_diag(d, "");
    cr_assert_str_eq(fw.data, "test-catalog-v1-0");
    cr_assert_str_eq(
        out.data,
        "# Made by a test\n"
        "framework: \"test-catalog-v1-0\"\n"
        "name: \"Test Catalog, v1.0\"\n"
        "controls:\n"
        "  - id: \"ac-1\"\n"
        "    label: \"AC-1\"\n"
        "    title: \"Policy\"\n"
        "    group: \"Access Control\"\n"
        "    statement: \"a. Review it [Assignment: frequency]; 1. Say \\\"[Selection (one or "
        "more): daily; every [Assignment: frequency]]\\\" b. Keep [Assignment: nowhere].\"\n"
        "  - id: \"ac-1.1\"\n"
        "    label: \"AC-1(1)\"\n"
        "    title: \"Automated\"\n"
        "    group: \"Access Control\"\n"
        "    statement: \"Automate.\"\n"
        "  - id: \"ac-9\"\n"
        "    title: \"Nested\"\n"
        "    group: \"Inner\"\n"
        "  - id: \"zz-1\"\n"
        "    title: \"Loose\"\n");
    cr_assert_eq(n.controls, 4);
    cr_assert_eq(n.applicable, 4);
    cr_assert_eq(n.withdrawn, 1);
    buf_release(&out);
    buf_release(&fw);
    diag_free(d);
}

/* Which controls each profile leaves applicable, and its warnings. */
static const struct {
    const char *profile, *applicable, *diag;
} profiles[] = {
    {"{\"profile\": {\"metadata\": {\"title\": \"P\"}, \"imports\": [{\"href\": \"#x\",\n"
     "  \"include-controls\": [{\"with-ids\": [\"ac-1\", \"zz-1\", \"ac-7\"]}]}]}}",
     "ac-1 zz-1 ",
     "prof.json:0:0: warning: the profile selects 'ac-7', which the catalog "
     "'cat.json' does not define [oscal-profile]\n"},
    {"{\"profile\": {\"metadata\": {\"title\": \"P\"}, \"imports\": [{\"href\": \"#x\",\n"
     "  \"include-controls\": [{\"with-ids\": [\"ac-1\"], \"with-child-controls\": \"yes\"}]}]}}",
     "ac-1 ac-1.1 ", ""},
    {"{\"profile\": {\"metadata\": {\"title\": \"P\"}, \"imports\": [{\"href\": \"#x\",\n"
     "  \"include-all\": {}, \"exclude-controls\": [{\"with-ids\": [\"ac-9\"]},\n"
     "  {\"matching\": [{\"pattern\": \"zz-*\"}]}]}]}}",
     "ac-1 ac-1.1 ", ""},
    {"{\"profile\": {\"metadata\": {\"title\": \"P\"}, \"imports\": [\n"
     "  {\"href\": \"#x\", \"include-controls\": [{\"with-ids\": [\"ac-9\"]}]},\n"
     "  {\"href\": \"#y\", \"include-controls\": [{\"matching\": [{\"pattern\": \"ac-1.*\"}]}]}]}}",
     "ac-1.1 ac-9 ", ""},
};

Test(oscal, profile_selects_the_applicable_controls)
{
    for (size_t i = 0; i < COUNT(profiles); i++) {
        diags *d = diag_new(NULL);
        buf out, fw, got;
        buf_init(&out);
        buf_init(&fw);
        buf_init(&got);
        oscal_counts n;
        convert(&out, &fw, &n, profiles[i].profile, "t", d, 0);
        cr_assert_diag(d, profiles[i].diag);
        /* Each control's entry: applicable unless it says otherwise. */
        const char *p = out.data;
        while ((p = strstr(p, "  - id: \"")) != NULL) {
            p += 9;
            size_t len = strcspn(p, "\"");
            const char *next = strstr(p, "  - id: ");
            const char *off = strstr(p, "applicable: false\n    justification: \"not "
                                        "selected by P\"");
            if (!off || (next && off > next))
                buf_printf(&got, "%.*s ", (int)len, p);
        }
        cr_assert_str_eq(got.data, profiles[i].applicable, "profile %zu", i);
        cr_assert_eq(n.controls, 4);
        size_t words = 0;
        for (const char *w = profiles[i].applicable; *w; w++)
            words += *w == ' ';
        cr_assert_eq(n.applicable, words);
        buf_release(&out);
        buf_release(&fw);
        buf_release(&got);
        diag_free(d);
    }
}

Test(oscal, reports_what_is_no_catalog)
{
    static const struct {
        const char *json, *diag;
    } cases[] = {
        {"{\"profile\": {}}", "c.json:0:0: error: an OSCAL catalog must be an object with a "
                              "'catalog' object (this is a profile: give it with --profile, "
                              "and its catalog) [oscal]\n"},
        {"{\"catalog\": {\"metadata\": {}}}",
         "c.json:0:0: error: 'catalog.metadata' has no 'title' [oscal]\n"},
        {"{\"catalog\": {\"metadata\": {\"title\": \"T\"}, \"groups\": [{\"title\": \"G\",\n"
         " \"controls\": [{\"id\": \"a\"}, {\"id\": 7}]}]}}",
         "c.json:0:0: error: 'catalog.groups[0].controls[1].id' must be a string [oscal]\n"},
        {"{\"catalog\": {\"metadata\": {\"title\": \"T\"}, \"controls\": [{\"id\": \"a\"},\n"
         " {\"id\": \"a\"}]}}",
         "c.json:0:0: error: 'catalog.controls[1]' repeats the control id 'a' [oscal]\n"},
        {"{\"catalog\": {\"metadata\": {\"title\": \"!!!\"}}}",
         "c.json:0:0: error: the catalog's title '!!!' gives no usable framework id (''): "
         "name one [oscal]\n"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        diags *d = diag_new(NULL);
        buf out, fw;
        buf_init(&out);
        buf_init(&fw);
        oscal_input cat = {"c.json", cases[i].json, strlen(cases[i].json)};
        cr_assert_eq(oscal_convert(&out, &fw, NULL, &cat, NULL, NULL, NULL, NULL, d), -1);
        cr_assert_diag(d, cases[i].diag);
        buf_release(&out);
        buf_release(&fw);
        diag_free(d);
    }
}

Test(oscal, nesting_is_bounded)
{
    buf j;
    buf_init(&j);
    buf_adds(&j, "{\"catalog\": {\"metadata\": {\"title\": \"T\"}, \"groups\": [");
    for (int i = 0; i < 40; i++)
        buf_adds(&j, "{\"title\": \"g\", \"groups\": [");
    for (int i = 0; i < 40; i++)
        buf_adds(&j, "]}");
    buf_adds(&j, "]}}");
    diags *d = diag_new(NULL);
    buf out, fw;
    buf_init(&out);
    buf_init(&fw);
    oscal_input cat = {"c.json", j.data, j.len};
    jsondoc *doc = NULL;
    /* Each group is two levels of JSON: jsondoc's bound (64) stops the
     * catalog before oscal.c's (32 groups) could; both bound recursion. */
    cr_assert_eq(jsondoc_parse(&doc, j.data, j.len, "c.json", 200, d), 0);
    jsondoc_free(doc);
    cr_assert_eq(oscal_convert(&out, &fw, NULL, &cat, NULL, NULL, NULL, NULL, d), -1);
    cr_assert_diag(d, "c.json:1:858: error: arrays and objects nested deeper than 64 levels "
                      "[json]\n");
    buf_release(&out);
    buf_release(&fw);
    buf_release(&j);
    diag_free(d);
}

Test(oscal, framework_ids)
{
    cr_assert(oscal_framework_id_ok("nist-800-53-r5"));
    cr_assert(oscal_framework_id_ok("Cis_8.0"));
    cr_assert_not(oscal_framework_id_ok(""));
    cr_assert_not(oscal_framework_id_ok("../etc"));
    cr_assert_not(oscal_framework_id_ok("a/b"));
    cr_assert_not(oscal_framework_id_ok(".hidden"));
    cr_assert_not(oscal_framework_id_ok("applicability"));
    cr_assert_not(oscal_framework_id_ok("crosswalk-a-b"));
}

/* What the converted YAML may grow to: four times the OSCAL input plus
 * 1 MiB. Each of these once ran charter out of memory (or for minutes)
 * from a small catalog: a parameter whose value inserts itself ten times
 * (10^8 copies through MAX_PARAM_DEPTH, from 416 bytes), a long group
 * title written again for each control, and a long profile title in each
 * control's justification. */
Test(oscal, converted_size_is_bounded)
{
    static const char *const where[] = {"catalog.controls[0]", "catalog.groups[0].controls[9]",
                                        "catalog.controls[10]"};
    for (int i = 0; i < 3; i++) {
        buf cat, prof;
        buf_init(&cat);
        buf_init(&prof);
        buf_adds(&cat, "{\"catalog\": {\"metadata\": {\"title\": \"T\"}, ");
        if (i == 0) {
            buf_adds(&cat, "\"controls\": [{\"id\": \"a\", \"params\": [{\"id\": \"p\", "
                           "\"values\": [\"");
            for (int k = 0; k < 10; k++)
                buf_adds(&cat, "{{ insert: param, p }}");
            buf_adds(&cat, "\"]}], \"parts\": [{\"name\": \"statement\", "
                           "\"prose\": \"{{ insert: param, p }}\"}]}]}}");
        } else {
            buf_adds(&cat, i == 1 ? "\"groups\": [{\"title\": \"" : "\"controls\": [");
            for (int k = 0; i == 1 && k < 200000; k++)
                buf_addc(&cat, 'g');
            buf_adds(&cat, i == 1 ? "\", \"controls\": [" : "");
            for (int k = 0; k < 100; k++)
                buf_printf(&cat, "%s{\"id\": \"c%d\"}", k ? ", " : "", k);
            buf_adds(&cat, i == 1 ? "]}]}}" : "]}}");
        }
        if (i == 2) {
            buf_adds(&prof, "{\"profile\": {\"metadata\": {\"title\": \"");
            for (int k = 0; k < 200000; k++)
                buf_addc(&prof, 'p');
            buf_adds(&prof, "\"}, \"imports\": [{\"include-controls\": [{\"with-ids\": "
                            "[\"c0\"]}]}]}}");
        }
        diags *d = diag_new(NULL);
        buf out, fw, want;
        buf_init(&out);
        buf_init(&fw);
        buf_init(&want);
        oscal_input ci = {"c.json", cat.data, cat.len}, pi = {"p.json", prof.data, prof.len};
        cr_assert_eq(oscal_convert(&out, &fw, NULL, &ci, i == 2 ? &pi : NULL, NULL, NULL, NULL, d),
                     -1);
        buf_printf(&want,
                   "c.json:0:0: error: '%s' makes the converted catalog larger than %zu bytes "
                   "(four times the OSCAL input plus 1 MiB) [oscal]\n",
                   where[i], 4 * (cat.len + prof.len) + (1 << 20));
        cr_assert_diag(d, want.data);
        buf_release(&want);
        buf_release(&out);
        buf_release(&fw);
        buf_release(&cat);
        buf_release(&prof);
        diag_free(d);
    }
}

/* Every control is tested against every import and `matching` pattern of
 * a profile, so both are bounded: 65 imports, 65 patterns and a pattern
 * of 129 bytes are refused at their place (unbounded, 20,000 controls
 * against 20,000 patterns took seconds, a 16 MiB profile minutes). */
Test(oscal, profile_selectors_are_bounded)
{
    static const char cat[] = "{\"catalog\": {\"metadata\": {\"title\": \"T\"}, "
                              "\"controls\": [{\"id\": \"a\"}]}}";
    static const char *const want[] = {
        "p.json:0:0: error: 'profile.imports' has more than 64 imports [oscal]\n",
        "p.json:0:0: error: 'profile.imports[0].include-controls[0].matching[64]': a profile may "
        "have at most 64 'matching' patterns of at most 128 bytes [oscal]\n",
        "p.json:0:0: error: 'profile.imports[0].include-controls[0].matching[0]': a profile may "
        "have at most 64 'matching' patterns of at most 128 bytes [oscal]\n"};
    for (int i = 0; i < 3; i++) {
        buf prof, out, fw;
        buf_init(&prof);
        buf_init(&out);
        buf_init(&fw);
        buf_adds(&prof, "{\"profile\": {\"metadata\": {\"title\": \"P\"}, \"imports\": [");
        for (int k = 0; k < (i == 0 ? 65 : 1); k++) {
            buf_printf(&prof, "%s{\"include-controls\": [{\"matching\": [", k ? ", " : "");
            for (int m = 0; m < (i == 1 ? 65 : 1); m++) {
                buf_printf(&prof, "%s{\"pattern\": \"", m ? ", " : "");
                for (int b = 0; b < (i == 2 ? 129 : 1); b++)
                    buf_addc(&prof, 'a');
                buf_adds(&prof, "\"}");
            }
            buf_adds(&prof, "]}]}");
        }
        buf_adds(&prof, "]}}");
        diags *d = diag_new(NULL);
        oscal_input ci = {"c.json", cat, sizeof cat - 1}, pi = {"p.json", prof.data, prof.len};
        cr_assert_eq(oscal_convert(&out, &fw, NULL, &ci, &pi, NULL, NULL, NULL, d), -1, "%s",
                     prof.data);
        cr_assert_diag(d, want[i]);
        diag_free(d);
        buf_release(&prof);
        buf_release(&out);
        buf_release(&fw);
    }
}

/* The converted text as site.yml's oscal_catalogs load it: statements
 * and the profile's applicability reach the controls; applicability.yml
 * still overrides them. */
Test(oscal, converted_catalog_loads)
{
    char dir[64];
    unit_mkdtemp(dir, sizeof dir, "oscal");
    unit_put(dir, "vendor/cat.json", catalog_json);
    unit_put(dir, "vendor/prof.json",
             "{\"profile\": {\"metadata\": {\"title\": \"Base\"}, \"imports\": [{\"href\": \"#x\","
             " \"include-controls\": [{\"with-ids\": [\"ac-1\"]}]}]}}");
    unit_put(dir, "controls/applicability.yml", "zz-1: {applicable: true, status: planned}\n");
    diags *d = diag_new(NULL);
    fs_root root;
    cr_assert_eq(fs_root_init(&root, dir, d), 0);
    oscal_catalog_ref ref = {"vendor/cat.json", "vendor/prof.json", "tc", NULL};
    catalog_text *texts = NULL;
    cr_assert_eq(oscal_site_catalogs(&texts, &root, &ref, 1, 1 << 20, d), 0);
    catalog *c = NULL;
    cr_assert_eq(catalog_load_with(&c, &root, "controls", NULL, 0, texts, 1, 1 << 20, d), 0);
    oscal_texts_free(texts, 1);
    cr_assert_diag(d, "");
    const control *ac1 = catalog_find(c, "tc:ac-1"), *ac9 = catalog_find(c, "ac-9"),
                  *zz1 = catalog_find(c, "zz-1");
    cr_assert_not_null(ac1);
    cr_assert_str_eq(ac1->file, "vendor/cat.json");
    cr_assert_eq(ac1->line, 0);
    cr_assert_eq(ac1->applicable, 1);
    cr_assert_str_eq(ac1->statement, "a. Review it [Assignment: frequency]; 1. Say "
                                     "\"[Selection (one or more): daily; every [Assignment: "
                                     "frequency]]\" b. Keep [Assignment: nowhere].");
    cr_assert_eq(ac9->applicable, 0);
    cr_assert_str_eq(ac9->justification, "not selected by Base");
    cr_assert_eq(zz1->applicable, 1);
    cr_assert_str_eq(zz1->status, "planned");
    catalog_free(c);

    /* A second framework of the same id is refused. */
    unit_put(dir, "controls/tc.yml", "framework: tc\ncontrols: []\n");
    cr_assert_eq(oscal_site_catalogs(&texts, &root, &ref, 1, 1 << 20, d), 0);
    cr_assert_eq(catalog_load_with(&c, &root, "controls", NULL, 0, texts, 1, 1 << 20, d), -1);
    oscal_texts_free(texts, 1);
    cr_assert_diag(d, "vendor/cat.json:0:0: error: framework 'tc' of 'vendor/cat.json' is also "
                      "declared by 'controls/tc.yml' [config]\n");
    fs_root_release(&root);
    diag_free(d);
    unit_remove(dir);
}

/* site.yml's oscal_catalogs: each problem at its key's line and column. */
Test(oscal, site_yml_entries)
{
    static const char yml[] = "title: T\n"
                              "oscal_catalogs:\n"
                              "  - catalog: vendor/a.json\n"
                              "    profile: vendor/p.json\n"
                              "    framework: a\n"
                              "  - profile: vendor/p.json\n"
                              "  - catalog: ../outside.json\n"
                              "    framework: crosswalk-a-b\n"
                              "    colour: red\n"
                              "  - just a string\n";
    diags *d = diag_new(NULL);
    site_config c;
    cr_assert_eq(config_parse(&c, yml, strlen(yml), d), -1);
    cr_assert_diag(
        d, "site.yml:6:5: error: an entry of 'oscal_catalogs' must name its 'catalog' [config]\n"
           "site.yml:7:14: error: 'catalog' must be a file inside the site, not '../outside.json' "
           "[config]\n"
           "site.yml:9:5: error: unknown setting 'colour' in 'oscal_catalogs' (catalog, profile, "
           "framework or name) [config]\n"
           "site.yml:10:5: error: an entry of 'oscal_catalogs' must be a mapping with 'catalog' "
           "[config]\n");
    config_release(&c);
    diag_free(d);

    d = diag_new(NULL);
    static const char good[] = "title: T\n"
                               "oscal_catalogs:\n"
                               "  - catalog: vendor/a.json\n"
                               "    profile: vendor/p.json\n"
                               "    framework: a\n"
                               "  - {catalog: b.json, framework: crosswalk-x, name: B}\n";
    cr_assert_eq(config_parse(&c, good, strlen(good), d), -1);
    cr_assert_diag(d, "site.yml:6:34: error: 'crosswalk-x' cannot be a framework id: use letters, "
                      "digits, '.', '-' and '_' (not applicability or crosswalk-*) [config]\n");
    config_release(&c);
    diag_free(d);

    d = diag_new(NULL);
    static const char fine[] = "title: T\n"
                               "oscal_catalogs:\n"
                               "  - catalog: vendor/a.json\n"
                               "    profile: vendor/p.json\n"
                               "    framework: a\n"
                               "  - {catalog: b.json, name: B}\n";
    cr_assert_eq(config_parse(&c, fine, strlen(fine), d), 0);
    cr_assert_diag(d, "");
    cr_assert_eq(c.n_oscal_catalogs, 2);
    cr_assert_str_eq(c.oscal_catalogs[0].profile, "vendor/p.json");
    cr_assert_str_eq(c.oscal_catalogs[0].framework, "a");
    cr_assert_null(c.oscal_catalogs[1].profile);
    cr_assert_str_eq(c.oscal_catalogs[1].name, "B");
    config_release(&c);
    diag_free(d);
}
