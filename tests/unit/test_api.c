/* test_api: api/pages.json byte for byte on a tiny loaded site (only
 * published pages whose front matter loaded; URLs percent-encoded under
 * base_url; review data; the whole front matter), with and without history
 * rows, and api_yaml_json's mapping of YAML to JSON values. */
#include "unit.h"
#include "unit_history.h"

#include "api.h"
#include "fs.h"
#include "history_int.h"
#include "site.h"

/* ---- api_yaml_json ---- */

static const struct {
    const char *yaml;
    int indent;
    const char *json;
} yaml_cases[] = {
    {"a: 1\n", 0, "{\n  \"a\": \"1\"\n}"},
    {"a: 1\n", 1, "{\n    \"a\": \"1\"\n  }"},
    {"[]\n", 0, "[]"},
    {"{}\n", 2, "{}"},
    {"plain\n", 0, "\"plain\""},
    /* Plain true/false are booleans; plain null, ~ and nothing are null;
     * every other scalar keeps its text as a string. */
    {"- true\n- false\n- 'true'\n- \"false\"\n- True\n- yes\n- off\n", 0,
     "[\n  true,\n  false,\n  \"true\",\n  \"false\",\n  \"True\",\n  \"yes\",\n  \"off\"\n]"},
    {"- null\n- ~\n-\n- ''\n- 'null'\n- \"~\"\n", 0,
     "[\n  null,\n  null,\n  null,\n  \"\",\n  \"null\",\n  \"~\"\n]"},
    {"- 2.10\n- 010\n- 2026-01-01\n- 1e3\n", 0,
     "[\n  \"2.10\",\n  \"010\",\n  \"2026-01-01\",\n  \"1e3\"\n]"},
    {"k:\n  - {a: b, c: [1, 2]}\n  - []\ne:\n", 0,
     "{\n  \"k\": [\n    {\n      \"a\": \"b\",\n      \"c\": [\n        \"1\",\n        \"2\"\n"
     "      ]\n    },\n    []\n  ],\n  \"e\": null\n}"},
    /* Strings escaped as JSON wants them. */
    {"q: \"tab\\there \\\"quoted\\\" \\u00e9 \\x01 back\\\\slash\"\n", 0,
     "{\n  \"q\": \"tab\\there \\\"quoted\\\" \xc3\xa9 \\u0001 back\\\\slash\"\n}"},
    {"'key \"1\"': 'a\\nb'\n", 0, "{\n  \"key \\\"1\\\"\": \"a\\\\nb\"\n}"},
};

Test(api, yaml_json)
{
    for (size_t i = 0; i < COUNT(yaml_cases); i++) {
        diags *d = diag_new(NULL);
        yaml_node *n = NULL;
        cr_assert_eq(
            yamltree_parse(&n, yaml_cases[i].yaml, strlen(yaml_cases[i].yaml), "x.yml", 0, d), 0,
            "%s", yaml_cases[i].yaml);
        buf b;
        buf_init(&b);
        buf_adds(&b, ">");
        api_yaml_json(&b, n, yaml_cases[i].indent);
        cr_expect_eq(b.data[0], '>', "appends");
        cr_expect_str_eq(b.data + 1, yaml_cases[i].json, "%s", yaml_cases[i].yaml);
        buf_release(&b);
        yamltree_free(n);
        diag_free(d);
    }
}

/* ---- api_pages_json ---- */

static char root[64];

static void put(const char *rel, const char *text)
{
    unit_put(root, rel, text);
}

static void make_site(void)
{
    unit_mkdtemp(root, sizeof root, "api");
    put("site.yml", "title: Test \"Q\"\nbase_url: https://x.example/sub\nrequired: []\n");
    put("layouts/policy.html", "{{CONTENT}}");
    put("layouts/home.html", "{{CONTENT}}");
    put("content/index.md", "---\ntitle: Home\nlayout: home\n---\nHi\n");
    put("content/pol/a b.md", "---\n"
                              "title: A \xc3\xa9\n"
                              "owner: o\n"
                              "version: \"2.10\"\n"
                              "last_reviewed: 2026-01-10\n"
                              "tags: [x, y]\n"
                              "published: true\n"
                              "extra: {k: [1, true], n: ~}\n"
                              "---\n"
                              "Body\n");
    put("content/pol/old.md", "---\ntitle: Old\npublished: false\n---\n");
    put("content/pol/broken.md", "---\ntitle: [\n---\n");
    put("content/pol/untitled.md", "---\nowner: o\nnext_review: 2026-12-01\n---\n");
}

static void remove_site(void)
{
    unit_remove(root);
}

TestSuite(api, .init = make_site, .fini = remove_site);

static site *load(void)
{
    diags *d = diag_new(root);
    site *s = NULL;
    cr_assert_eq(site_load(&s, root, date_from_civil(2026, 11, 25), d), 0);
    cr_assert_diag(d, "content/pol/broken.md:3:1: error: invalid YAML: did not find expected node "
                      "content (while parsing a flow node at line 3) [yaml-syntax]\n");
    diag_free(d);
    return s;
}

/* The pages' members up to "review_state", and "front_matter". */
#define HOME_HEAD                                                                                  \
    "    {\n"                                                                                      \
    "      \"url\": \"https://x.example/sub/\",\n"                                                 \
    "      \"output\": \"index.html\",\n"                                                          \
    "      \"source\": \"content/index.md\",\n"                                                    \
    "      \"id\": \"index\",\n"                                                                   \
    "      \"title\": \"Home\",\n"                                                                 \
    "      \"layout\": \"home\",\n"                                                                \
    "      \"section\": null,\n"                                                                   \
    "      \"next_review\": null,\n"                                                               \
    "      \"review_state\": \"none\",\n"
#define HOME_FM                                                                                    \
    "      \"front_matter\": {\n"                                                                  \
    "        \"title\": \"Home\",\n"                                                               \
    "        \"layout\": \"home\"\n"                                                               \
    "      }\n"                                                                                    \
    "    }"
#define A_HEAD                                                                                     \
    "    {\n"                                                                                      \
    "      \"url\": \"https://x.example/sub/pol/a%20b/\",\n"                                       \
    "      \"output\": \"pol/a b/index.html\",\n"                                                  \
    "      \"source\": \"content/pol/a b.md\",\n"                                                  \
    "      \"id\": \"pol/a b\",\n"                                                                 \
    "      \"title\": \"A \xc3\xa9\",\n"                                                           \
    "      \"layout\": \"policy\",\n"                                                              \
    "      \"section\": \"Pol\",\n"                                                                \
    "      \"next_review\": \"2027-01-10\",\n"                                                     \
    "      \"review_state\": \"ok\",\n"
#define A_FM                                                                                       \
    "      \"front_matter\": {\n"                                                                  \
    "        \"title\": \"A \xc3\xa9\",\n"                                                         \
    "        \"owner\": \"o\",\n"                                                                  \
    "        \"version\": \"2.10\",\n"                                                             \
    "        \"last_reviewed\": \"2026-01-10\",\n"                                                 \
    "        \"tags\": [\n"                                                                        \
    "          \"x\",\n"                                                                           \
    "          \"y\"\n"                                                                            \
    "        ],\n"                                                                                 \
    "        \"published\": true,\n"                                                               \
    "        \"extra\": {\n"                                                                       \
    "          \"k\": [\n"                                                                         \
    "            \"1\",\n"                                                                         \
    "            true\n"                                                                           \
    "          ],\n"                                                                               \
    "          \"n\": null\n"                                                                      \
    "        }\n"                                                                                  \
    "      }\n"                                                                                    \
    "    }"
#define UNTITLED_HEAD                                                                              \
    "    {\n"                                                                                      \
    "      \"url\": \"https://x.example/sub/pol/untitled/\",\n"                                    \
    "      \"output\": \"pol/untitled/index.html\",\n"                                             \
    "      \"source\": \"content/pol/untitled.md\",\n"                                             \
    "      \"id\": \"pol/untitled\",\n"                                                            \
    "      \"title\": null,\n"                                                                     \
    "      \"layout\": \"policy\",\n"                                                              \
    "      \"section\": \"Pol\",\n"                                                                \
    "      \"next_review\": \"2026-12-01\",\n"                                                     \
    "      \"review_state\": \"due-soon\",\n"
#define UNTITLED_FM                                                                                \
    "      \"front_matter\": {\n"                                                                  \
    "        \"owner\": \"o\",\n"                                                                  \
    "        \"next_review\": \"2026-12-01\"\n"                                                    \
    "      }\n"                                                                                    \
    "    }"
#define SITE_HEAD                                                                                  \
    "{\n"                                                                                          \
    "  \"schema\": \"charter/pages@1\",\n"                                                         \
    "  \"site\": {\n"                                                                              \
    "    \"title\": \"Test \\\"Q\\\"\",\n"                                                         \
    "    \"base_url\": \"https://x.example/sub/\",\n"                                              \
    "    \"as_of\": \"2026-11-25\"\n"                                                              \
    "  },\n"                                                                                       \
    "  \"pages\": [\n"
#define SITE_TAIL                                                                                  \
    "\n"                                                                                           \
    "  ]\n"                                                                                        \
    "}\n"

Test(api, pages_json_without_history)
{
    site *s = load();
    buf b;
    buf_init(&b);
    api_pages_json(&b, s, NULL);
    cr_expect_str_eq(b.data, SITE_HEAD HOME_HEAD HOME_FM ",\n" A_HEAD A_FM
                                                         ",\n" UNTITLED_HEAD UNTITLED_FM SITE_TAIL);
    buf_release(&b);
    site_free(s);
}

#define EMPTY_HISTORY                                                                              \
    "      \"history\": [],\n"                                                                     \
    "      \"created\": null,\n"                                                                   \
    "      \"last_changed\": null,\n"                                                              \
    "      \"last_changed_by\": null,\n"

Test(api, pages_json_with_history)
{
    site *s = load();
    size_t ia = ((const page *)map_get(s->by_rel, "pol/a b.md"))->index;
    size_t iu = ((const page *)map_get(s->by_rel, "pol/untitled.md"))->index;
    page_history *ph = calloc(s->n_pages, sizeof *ph);
    hist_row a_rows[4], u_rows[2];
    memset(a_rows, 0, sizeof a_rows);
    memset(u_rows, 0, sizeof u_rows);
    char *approvers[] = {"Alice \"A\"", "Bob"}, *reviewers[] = {"Carol"};
    a_rows[0].kind = HIST_UNCOMMITTED;
    unit_commit_row(&a_rows[1], "0123456789abcdef0123456789abcdef01234567", "2026-02-03", "Dana",
                    "Raise the version", "2.10");
    a_rows[1].approved_by = approvers;
    a_rows[1].n_approved = 2;
    a_rows[1].reviewed_by = reviewers;
    a_rows[1].n_reviewed = 1;
    unit_commit_row(&a_rows[2], "fedcba9876543210fedcba9876543210fedcba98", "2025-12-31", "Eve",
                    "Review", "1");
    a_rows[2].review = 1;
    a_rows[3].kind = HIST_TRUNCATED;
    ph[ia] = (page_history){a_rows, 4};
    /* Untracked, then a commit whose author and summary are empty: null. */
    u_rows[0].kind = HIST_UNTRACKED;
    unit_commit_row(&u_rows[1], "1111111111111111111111111111111111111111", "2026-01-01", "", "",
                    "");
    ph[iu] = (page_history){u_rows, 2};
    history h = {.found = 1, .n_pages = s->n_pages, .pages = ph};

    buf b;
    buf_init(&b);
    api_pages_json(&b, s, &h);
    /* The evidence after each row's trailers: none for a row that is no
     * commit, an unsigned signature for a commit. */
#define EV_NONE                                                                                    \
    ", \"co_authors\": [], \"merged_authors\": [], \"request\": null, \"change_type\": null, "     \
    "\"signature\": null}"
#define EV_UNSIGNED                                                                                \
    ", \"co_authors\": [], \"merged_authors\": [], \"request\": null, \"change_type\": null, "     \
    "\"signature\": "                                                                              \
    "{\"state\": \"unsigned\", \"kind\": null, \"key\": null, \"signer\": null, \"why\": null}}"
    static const char want[] = SITE_HEAD HOME_HEAD EMPTY_HISTORY HOME_FM
        ",\n" A_HEAD "      \"history\": [\n"
        "        {\"kind\": \"uncommitted\", \"commit\": null, \"short\": null, \"date\": null, "
        "\"author\": null, \"summary\": null, \"version\": \"\", \"review\": false, "
        "\"approved_by\": [], \"reviewed_by\": []" EV_NONE ",\n"
        "        {\"kind\": \"commit\", \"commit\": \"0123456789abcdef0123456789abcdef01234567\", "
        "\"short\": \"0123456\", \"date\": \"2026-02-03\", \"author\": \"Dana\", \"summary\": "
        "\"Raise the version\", \"version\": \"2.10\", \"review\": false, \"approved_by\": "
        "[\"Alice \\\"A\\\"\", \"Bob\"], \"reviewed_by\": [\"Carol\"]" EV_UNSIGNED ",\n"
        "        {\"kind\": \"commit\", \"commit\": \"fedcba9876543210fedcba9876543210fedcba98\", "
        "\"short\": \"fedcba9\", \"date\": \"2025-12-31\", \"author\": \"Eve\", \"summary\": "
        "\"Review\", \"version\": \"1\", \"review\": true, \"approved_by\": [], \"reviewed_by\": "
        "[]" EV_UNSIGNED ",\n"
        "        {\"kind\": \"truncated\", \"commit\": null, \"short\": null, \"date\": null, "
        "\"author\": null, \"summary\": null, \"version\": \"\", \"review\": false, "
        "\"approved_by\": [], \"reviewed_by\": []" EV_NONE "\n"
        "      ],\n"
        /* Truncated: where the page was created is unknown. */
        "      \"created\": null,\n"
        "      \"last_changed\": \"2026-02-03\",\n"
        "      \"last_changed_by\": \"Dana\",\n" A_FM ",\n" UNTITLED_HEAD "      \"history\": [\n"
        "        {\"kind\": \"untracked\", \"commit\": null, \"short\": null, \"date\": null, "
        "\"author\": null, \"summary\": null, \"version\": \"\", \"review\": false, "
        "\"approved_by\": [], \"reviewed_by\": []" EV_NONE ",\n"
        "        {\"kind\": \"commit\", \"commit\": \"1111111111111111111111111111111111111111\", "
        "\"short\": \"1111111\", \"date\": \"2026-01-01\", \"author\": null, \"summary\": null, "
        "\"version\": \"\", \"review\": false, \"approved_by\": [], \"reviewed_by\": []" EV_UNSIGNED
        "\n"
        "      ],\n"
        "      \"created\": \"2026-01-01\",\n"
        "      \"last_changed\": \"2026-01-01\",\n"
        "      \"last_changed_by\": null,\n" UNTITLED_FM SITE_TAIL;
    cr_expect_str_eq(b.data, want);
    buf_release(&b);
    free(ph);
    site_free(s);
}

/* A site with no published page still writes the envelope. */
Test(api, pages_json_no_pages)
{
    remove_site();
    unit_mkdtemp(root, sizeof root, "api");
    put("site.yml", "title: Empty\n");
    put("content/old.md", "---\ntitle: Old\npublished: false\n---\n");
    diags *d = diag_new(root);
    site *s = NULL;
    cr_assert_eq(site_load(&s, root, date_from_civil(2026, 11, 25), d), 0);
    cr_assert_diag(d, "");
    buf b;
    buf_init(&b);
    api_pages_json(&b, s, NULL);
    cr_expect_str_eq(b.data, "{\n"
                             "  \"schema\": \"charter/pages@1\",\n"
                             "  \"site\": {\n"
                             "    \"title\": \"Empty\",\n"
                             "    \"base_url\": \"/\",\n"
                             "    \"as_of\": \"2026-11-25\"\n"
                             "  },\n"
                             "  \"pages\": []\n"
                             "}\n");
    buf_release(&b);
    site_free(s);
    diag_free(d);
}

/* ---- api_pages_key ---- */

/* The JSON and the key of s with h. */
static void json_and_key(buf *json, char key[DIGEST_HEX], const site *s, const history *h)
{
    buf_reset(json);
    api_pages_json(json, s, h);
    api_pages_key(key, s, h);
}

/* The key of api/pages.json changes exactly when the file would: after
 * each edit below (of a page's file, of the site's settings, of a history
 * row in memory), a file that changed has a new key (else the previous
 * build's would be linked, stale), and one that did not keeps its key
 * (else it is made again for nothing): an edit of a body is the second
 * kind. */
Test(api, key_follows_the_file)
{
    static const struct file_edit {
        const char *what, *rel, *text;
        int changes;
    } file_edits[] = {
        {"a's body", "content/pol/a b.md",
         "---\ntitle: A \xc3\xa9\nowner: o\nversion: \"2.10\"\nlast_reviewed: 2026-01-10\n"
         "tags: [x, y]\npublished: true\nextra: {k: [1, true], n: ~}\n---\nAnother body\n",
         0},
        {"a's tags", "content/pol/a b.md",
         "---\ntitle: A \xc3\xa9\nowner: o\nversion: \"2.10\"\nlast_reviewed: 2026-01-10\n"
         "tags: [x, z]\npublished: true\nextra: {k: [1, true], n: ~}\n---\nAnother body\n",
         1},
        {"a value quoted", "content/pol/a b.md",
         "---\ntitle: A \xc3\xa9\nowner: o\nversion: \"2.10\"\nlast_reviewed: 2026-01-10\n"
         "tags: [x, z]\npublished: true\nextra: {k: [1, \"true\"], n: ~}\n---\nAnother body\n",
         1},
        {"the home's title", "content/index.md", "---\ntitle: Start\nlayout: home\n---\nHi\n", 1},
        {"the site's title", "site.yml",
         "title: Other\nbase_url: https://x.example/sub\nrequired: []\n", 1},
        {"the base URL", "site.yml", "title: Other\nbase_url: https://y.example/\nrequired: []\n",
         1},
        {"an unpublished page's body", "content/pol/old.md",
         "---\ntitle: Old\npublished: false\n---\nStill not shown\n", 0},
    };
    site *s = load();
    size_t ia = ((const page *)map_get(s->by_rel, "pol/a b.md"))->index;
    page_history *ph = calloc(s->n_pages, sizeof *ph);
    hist_row rows[2];
    memset(rows, 0, sizeof rows);
    char *names[] = {"Ann", "Bob"};
    unit_commit_row(&rows[0], "0123456789abcdef0123456789abcdef01234567", "2026-02-03", "Dana",
                    "Raise the version", "2.10");
    unit_commit_row(&rows[1], "fedcba9876543210fedcba9876543210fedcba98", "2025-12-31", "Eve",
                    "Create", "1");
    ph[ia] = (page_history){rows, 2};
    history h = {.found = 1, .n_pages = s->n_pages, .pages = ph};
    buf before, after;
    buf_init(&before);
    buf_init(&after);
    char kb[DIGEST_HEX], ka[DIGEST_HEX];
    json_and_key(&before, kb, s, &h);

    /* Each field of a row that the file shows, changed in memory. */
    for (int e = 0; e < 12; e++) {
        hist_row *r = &rows[e % 2];
        if (e == 0)
            r->summary = "Reworded";
        else if (e == 1)
            r->author = "Eve Lee";
        else if (e == 2)
            strcpy(r->date, "2025-12-30");
        else if (e == 3)
            r->version = "1.1";
        else if (e == 4)
            r->review = 1;
        else if (e == 5) {
            r->approved_by = names;
            r->n_approved = 2;
        } else if (e == 6) {
            r->reviewed_by = names;
            r->n_reviewed = 1;
        } else if (e == 7) {
            r->co_authors = names + 1;
            r->n_co_authors = 1;
        } else if (e == 8)
            r->request = "!12";
        else if (e == 9)
            r->change_type = "minor";
        else if (e == 10) {
            r->sig_state = HSIG_VERIFIED;
            strcpy(r->sig_kind, "ssh");
        } else
            r->sig_signer = "Eve";
        json_and_key(&after, ka, s, &h);
        cr_expect_str_neq(after.data, before.data, "row edit %d: the file changes", e);
        cr_expect_str_neq(ka, kb, "row edit %d: the file changed, its key did not", e);
        buf_reset(&before);
        buf_add(&before, after.data, after.len);
        memcpy(kb, ka, DIGEST_HEX);
    }
    /* Without the history: no history members. */
    json_and_key(&after, ka, s, NULL);
    cr_expect_str_neq(ka, kb, "without history");
    buf_reset(&before);
    buf_add(&before, after.data, after.len);
    memcpy(kb, ka, DIGEST_HEX);
    free(ph);
    site_free(s);

    for (size_t e = 0; e < COUNT(file_edits); e++) {
        put(file_edits[e].rel, file_edits[e].text);
        s = load();
        json_and_key(&after, ka, s, NULL);
        int file_same = !strcmp(after.data, before.data), key_same = !strcmp(ka, kb);
        cr_expect_eq(file_same, !file_edits[e].changes, "%s: the file %s", file_edits[e].what,
                     file_same ? "did not change" : "changed");
        cr_expect_eq(key_same, file_same, "%s: the key %s, the file %s", file_edits[e].what,
                     key_same ? "stayed" : "changed", file_same ? "did not" : "did");
        buf_reset(&before);
        buf_add(&before, after.data, after.len);
        memcpy(kb, ka, DIGEST_HEX);
        site_free(s);
    }
    /* Another day: the review states and the date shown. */
    diags *d = diag_new(root);
    cr_assert_eq(site_load(&s, root, date_from_civil(2026, 11, 26), d), 0);
    diag_free(d);
    json_and_key(&after, ka, s, NULL);
    cr_expect_str_neq(after.data, before.data, "another day: the file changes");
    cr_expect_str_neq(ka, kb, "another day: the key changes");
    site_free(s);
    buf_release(&before);
    buf_release(&after);
}
