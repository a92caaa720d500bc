/* test_frontmatter: where front matter starts and ends (BOM, CRLF, `...`,
 * `---` in the body, Hugo's JSON object), the body offsets, and errors
 * located in the .md file. */
#include "unit.h"

#include <criterion/parameterized.h>

/* Parameters are indices into the tables below: Criterion runs each case in
 * a fresh process, where pointers stored in a parameter would be invalid. */
#include "frontmatter.h"

struct split_case {
    const char *name;
    const char *input;
    int present;
    size_t keys;      /* entries in the mapping */
    const char *body; /* the text from body_start to the end */
    int body_line;
};

static const struct split_case split_cases[] = {
    {"empty file", "", 0, 0, "", 1},
    {"no front matter", "# Title\n\ntext\n", 0, 0, "# Title\n\ntext\n", 1},
    {"dashes later", "# Title\n---\na: 1\n---\n", 0, 0, "# Title\n---\na: 1\n---\n", 1},
    {"not a marker", "--- a\nb: 1\n---\n", 0, 0, "--- a\nb: 1\n---\n", 1},
    {"four dashes", "----\nb: 1\n---\n", 0, 0, "----\nb: 1\n---\n", 1},
    {"indented", " ---\nb: 1\n---\n", 0, 0, " ---\nb: 1\n---\n", 1},
    {"bom, no front matter", "\xEF\xBB\xBFtext\n", 0, 0, "text\n", 1},
    {"basic", "---\ntitle: T\nowner: o\n---\n# Body\n", 1, 2, "# Body\n", 5},
    {"dots closer", "---\ntitle: T\n...\nbody\n", 1, 1, "body\n", 4},
    {"dashes in body", "---\na: 1\n---\nx\n---\ny: 2\n---\n", 1, 1, "x\n---\ny: 2\n---\n", 4},
    {"only front matter", "---\na: 1\n---\n", 1, 1, "", 4},
    {"only front matter, no final newline", "---\na: 1\n---", 1, 1, "", 4},
    {"empty front matter", "---\n---\nbody", 1, 0, "body", 3},
    {"comment-only front matter", "---\n# nothing\n---\nbody\n", 1, 0, "body\n", 4},
    {"opener with trailing blanks", "---  \t\na: 1\n---\nb\n", 1, 1, "b\n", 4},
    {"closer with trailing blanks", "---\na: 1\n---  \nb\n", 1, 1, "b\n", 4},
    {"bom", "\xEF\xBB\xBF---\na: 1\n---\nb\n", 1, 1, "b\n", 4},
    {"crlf", "---\r\na: 1\r\nb: 2\r\n---\r\nbody\r\n", 1, 2, "body\r\n", 5},
    {"crlf dots closer", "---\r\na: 1\r\n...\r\nbody\r\n", 1, 1, "body\r\n", 4},
    {"indented dashes inside yaml", "---\na: |\n  ---\n---\nb\n", 1, 1, "b\n", 5},
    /* Hugo's JSON front matter: an object from the first line. */
    {"json", "{\n  \"title\": \"T\",\n  \"owner\": \"o\"\n}\n# Body\n", 1, 2, "# Body\n", 5},
    {"json on one line", "{\"title\": \"T\"}\nbody\n", 1, 1, "body\n", 2},
    {"json, text after the brace", "{\"a\": 1} body\n", 1, 1, " body\n", 1},
    {"json, braces in strings", "{\"a\": \"}\\\"{\", \"b\": {\"c\": [1, {}]}}\nx\n", 1, 2, "x\n",
     2},
    {"json, bom and crlf", "\xEF\xBB\xBF{\r\n\"a\": 1\r\n}\r\nbody\r\n", 1, 1, "body\r\n", 4},
    {"json, empty object", "{ }\nbody\n", 1, 0, "body\n", 2},
    {"hugo shortcode, not json", "{{< hint >}}\nx\n", 0, 0, "{{< hint >}}\nx\n", 1},
    {"liquid, not json", "{% include x.html %}\n", 0, 0, "{% include x.html %}\n", 1},
    {"heading id, not json", "{#top}\n", 0, 0, "{#top}\n", 1},
};

ParameterizedTestParameters(frontmatter, split)
{
    static size_t idx[COUNT(split_cases)];
    for (size_t i = 0; i < COUNT(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, COUNT(idx));
}

ParameterizedTest(size_t *i, frontmatter, split)
{
    const struct split_case *c = &split_cases[*i];
    diags *d = diag_new(NULL);
    frontmatter fm;
    size_t len = strlen(c->input);
    cr_assert_eq(frontmatter_parse(&fm, c->input, len, "p.md", d), 0, "%s", c->name);
    cr_assert_diag(d, "");
    cr_assert_eq(fm.present, c->present, "%s", c->name);
    cr_assert_not_null(fm.data, "%s", c->name);
    cr_assert_eq(yamltree_kind(fm.data), YAML_MAPPING, "%s", c->name);
    cr_assert_eq(yamltree_len(fm.data), c->keys, "%s", c->name);
    cr_assert_leq(fm.body_start, len, "%s", c->name);
    cr_assert_str_eq(c->input + fm.body_start, c->body, "%s", c->name);
    cr_assert_eq(fm.body_line, c->body_line, "%s: body_line %d", c->name, fm.body_line);
    frontmatter_release(&fm);
    cr_assert_null(fm.data);
    diag_free(d);
}

struct error_case {
    const char *name;
    const char *input;
    const char *expected;
};

static const struct error_case errors_cases[] = {
    {"unterminated", "---\na: 1\nbody\n",
     "p.md:1:1: error: front matter opened here is never closed with '---' "
     "[frontmatter-unterminated]\n"},
    {"only the opener", "---",
     "p.md:1:1: error: front matter opened here is never closed with '---' "
     "[frontmatter-unterminated]\n"},
    {"opener and newline", "---\n",
     "p.md:1:1: error: front matter opened here is never closed with '---' "
     "[frontmatter-unterminated]\n"},
    {"closer with text after it", "---\na: 1\n--- x\n",
     "p.md:1:1: error: front matter opened here is never closed with '---' "
     "[frontmatter-unterminated]\n"},
    {"bom and crlf, unterminated", "\xEF\xBB\xBF---\r\na: 1\r\n",
     "p.md:1:1: error: front matter opened here is never closed with '---' "
     "[frontmatter-unterminated]\n"},
    {"scalar", "---\njust text\n---\n",
     "p.md:2:1: error: front matter must be a mapping of keys to values "
     "[invalid-type]\n"},
    {"list", "---\n\n  - a\n  - b\n---\n",
     "p.md:3:3: error: front matter must be a mapping of keys to values "
     "[invalid-type]\n"},
    {"null", "---\n~\n---\n",
     "p.md:2:1: error: front matter must be a mapping of keys to values "
     "[invalid-type]\n"},
    {"syntax error", "---\ntitle: T\nowner\nstatus: x\n---\n",
     "p.md:4:1: error: invalid YAML: could not find expected ':' (while scanning a simple "
     "key at line 3) [yaml-syntax]\n"},
    {"syntax error, crlf and bom", "\xEF\xBB\xBF---\r\ntitle: T\r\na: b: c\r\n---\r\n",
     "p.md:3:5: error: invalid YAML: mapping values are not allowed in this context "
     "[yaml-syntax]\n"},
    {"duplicate key", "---\nowner: a\ntitle: t\nowner: b\n---\n",
     "p.md:4:1: error: duplicate key 'owner' (first defined at line 2) "
     "[yaml-duplicate-key]\n"},
    {"alias", "---\na: 1\nb: *x\n---\n",
     "p.md:3:4: error: YAML aliases are not supported [yaml-alias]\n"},
    {"unclosed quote stops at the closer", "---\na: 'x\n---\nbody\n",
     "p.md:3:1: error: invalid YAML: found unexpected end of stream (while scanning a quoted "
     "scalar at line 2) [yaml-syntax]\n"},
    {"json never closed", "{\n  \"title\": \"T\"\nbody\n",
     "p.md:1:1: error: front matter opened here with '{' is never closed with '}' "
     "[frontmatter-unterminated]\n"},
    {"json closed by a bracket", "{\"a\": 1]\n",
     "p.md:1:8: error: front matter opened with '{' on line 1 is closed here with ']', not '}' "
     "[json]\n"},
    {"json closed by a bracket, lines on", "{\n  \"t\": \"\xC3\xA9\",\n  \"c\": [1]]\n",
     "p.md:3:11: error: front matter opened with '{' on line 1 is closed here with ']', not '}' "
     "[json]\n"},
    {"json, a missing comma", "{\n  \"title\": \"T\"\n  \"owner\": \"o\"\n}\n",
     "p.md:3:9: error: invalid JSON: '}' expected near '\"owner\"' [json]\n"},
    {"json, not JSON but YAML's flow", "{\"title\": T}\n",
     "p.md:1:11: error: invalid JSON: invalid token near 'T' [json]\n"},
    {"json, a repeated key", "{\"a\": 1, \"a\": 2}\n",
     "p.md:1:12: error: invalid JSON: duplicate object key near '\"a\"' [json]\n"},
};

ParameterizedTestParameters(frontmatter, errors)
{
    static size_t idx[COUNT(errors_cases)];
    for (size_t i = 0; i < COUNT(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, COUNT(idx));
}

ParameterizedTest(size_t *i, frontmatter, errors)
{
    const struct error_case *c = &errors_cases[*i];
    diags *d = diag_new(NULL);
    frontmatter fm;
    cr_assert_eq(frontmatter_parse(&fm, c->input, strlen(c->input), "p.md", d), -1, "%s", c->name);
    cr_assert_diag(d, c->expected);
    cr_assert_null(fm.data, "%s", c->name);
    diag_free(d);
}

Test(frontmatter, positions_are_file_lines)
{
    diags *d = diag_new(NULL);
    frontmatter fm;
    const char *s = "---\r\ntitle: Access\r\nowner:    alice\r\ntags:\r\n  - a\r\n---\r\nx\r\n";
    cr_assert_eq(frontmatter_parse(&fm, s, strlen(s), "p.md", d), 0);
    cr_assert_diag(d, "");
    const yaml_node *owner = yamltree_get(fm.data, "owner");
    cr_assert_str_eq(yamltree_text(owner), "alice");
    cr_assert_eq(yamltree_line(owner), 3);
    cr_assert_eq(yamltree_col(owner), 11);
    const yaml_node *owner_key = yamltree_key(fm.data, 1);
    cr_assert_eq(yamltree_line(owner_key), 3);
    cr_assert_eq(yamltree_col(owner_key), 1);
    const yaml_node *tag = yamltree_item(yamltree_get(fm.data, "tags"), 0);
    cr_assert_eq(yamltree_line(tag), 5);
    cr_assert_eq(yamltree_col(tag), 5);
    cr_assert_str_eq(yamltree_text(tag), "a");
    cr_assert_eq(fm.body_line, 7);
    frontmatter_release(&fm);
    diag_free(d);
}

Test(frontmatter, json_positions_are_file_lines)
{
    diags *d = diag_new(NULL);
    frontmatter fm;
    const char *s = "{\n  \"title\": \"Access\",\n  \"controls\": [\"A.5.1\", \"A.5.2\"]\n}\n\nx\n";
    cr_assert_eq(frontmatter_parse(&fm, s, strlen(s), "p.md", d), 0);
    cr_assert_diag(d, "");
    cr_assert_eq(fm.format, FM_JSON);
    const yaml_node *c = yamltree_item(yamltree_get(fm.data, "controls"), 1);
    cr_assert_str_eq(yamltree_text(c), "A.5.2");
    cr_assert_eq(yamltree_line(c), 3);
    cr_assert_eq(yamltree_col(c), 25);
    cr_assert_eq(fm.body_line, 5);
    frontmatter_release(&fm);
    diag_free(d);
}

/* A character beyond U+FFFF escaped as JSON writes it, a surrogate pair,
 * which libyaml alone refuses; an escaped backslash before a 'u' is text. */
Test(frontmatter, json_surrogate_pairs)
{
    diags *d = diag_new(NULL);
    frontmatter fm;
    const char *s = "{\"title\": \"\\ud83d\\ude00 smile\", \"a\": \"\\\\ud83d\", "
                    "\"b\": \"\\u00e9\\uD83D\\uDE00\"}\nx\n";
    cr_assert_eq(frontmatter_parse(&fm, s, strlen(s), "p.md", d), 0);
    cr_assert_diag(d, "");
    cr_expect_str_eq(yamltree_text(yamltree_get(fm.data, "title")), "\xF0\x9F\x98\x80 smile");
    cr_expect_str_eq(yamltree_text(yamltree_get(fm.data, "a")), "\\ud83d");
    cr_expect_str_eq(yamltree_text(yamltree_get(fm.data, "b")), "\xC3\xA9\xF0\x9F\x98\x80");
    frontmatter_release(&fm);
    diag_free(d);
}

Test(frontmatter, type_errors_point_into_the_file)
{
    diags *d = diag_new(NULL);
    frontmatter fm;
    const char *s = "\xEF\xBB\xBF---\nlast_reviewed: 2024-02-30\ndraft: maybe\n---\n";
    cr_assert_eq(frontmatter_parse(&fm, s, strlen(s), "p.md", d), 0);
    long day;
    int draft;
    cr_assert_eq(
        yamltree_as_date(&day, yamltree_get(fm.data, "last_reviewed"), "last_reviewed", "p.md", d),
        -1);
    cr_assert_eq(yamltree_as_bool(&draft, yamltree_get(fm.data, "draft"), "draft", "p.md", d), -1);
    cr_assert_diag(d, "p.md:2:16: error: 'last_reviewed' is not a real date: 2024-02-30 "
                      "[invalid-date]\n"
                      "p.md:3:8: error: 'draft' must be true or false, not 'maybe' "
                      "[invalid-type]\n");
    frontmatter_release(&fm);
    diag_free(d);
}

Test(frontmatter, nul_bytes_are_data)
{
    /* A NUL in the body is body text; one in the YAML is a located error. */
    static const char body_nul[] = "---\na: 1\n---\nx\0y\n";
    static const char yaml_nul[] = "---\na: 1\nb: \0\n---\n";
    diags *d = diag_new(NULL);
    frontmatter fm;
    cr_assert_eq(frontmatter_parse(&fm, body_nul, sizeof body_nul - 1, "p.md", d), 0);
    cr_assert_eq(fm.body_start, 13);
    cr_assert_eq(fm.body_line, 4);
    frontmatter_release(&fm);
    cr_assert_diag(d, "");
    cr_assert_eq(frontmatter_parse(&fm, yaml_nul, sizeof yaml_nul - 1, "p.md", d), -1);
    cr_assert_diag(d, "p.md:3:4: error: invalid YAML: control characters are not allowed "
                      "[yaml-syntax]\n");
    diag_free(d);
}

Test(frontmatter, length_bounds_the_input)
{
    /* The closer lies past len: the front matter is unterminated. */
    const char *s = "---\na: 1\n---\n";
    diags *d = diag_new(NULL);
    frontmatter fm;
    cr_assert_eq(frontmatter_parse(&fm, s, 9, "p.md", d), -1);
    cr_assert_diag(d, "p.md:1:1: error: front matter opened here is never closed with '---' "
                      "[frontmatter-unterminated]\n");
    diag_free(d);
}

Test(frontmatter, release_accepts_null_and_repeats)
{
    frontmatter fm = {0};
    frontmatter_release(NULL);
    frontmatter_release(&fm);
    frontmatter_release(&fm);
}

/* comply's header: YAML from line 1, closed by `---`, read only when asked. */
Test(frontmatter, fenceless_header)
{
    const char *text = "name: Access Policy\nsatisfies:\n  TSC:\n    - CC6.1\n---\n# Purpose\n";
    fm_limits lim = {0};
    lim.fenceless = 1;
    frontmatter fm;
    diags *d = diag_new(NULL);
    cr_assert_eq(frontmatter_parse_limited(&fm, text, strlen(text), "p.md", &lim, d), 0);
    cr_expect_eq(fm.present, 1);
    cr_expect_str_eq(text + fm.body_start, "# Purpose\n");
    cr_expect_eq(fm.body_line, 6);
    const yaml_node *sat = yamltree_get(fm.data, "satisfies");
    cr_assert_not_null(sat);
    const yaml_node *id = yamltree_item(yamltree_get(sat, "TSC"), 0);
    cr_expect_eq(yamltree_line(id), 4, "the id is on line 4 of the file");
    cr_expect_str_eq(yamltree_text(yamltree_get(fm.data, "name")), "Access Policy");
    frontmatter_release(&fm);

    /* Not asked for: the header is body text. */
    cr_assert_eq(frontmatter_parse(&fm, text, strlen(text), "p.md", d), 0);
    cr_expect_eq(fm.present, 0);
    cr_expect_eq(fm.body_start, 0);
    frontmatter_release(&fm);

    /* No closing line, or a first line that is not a key: no header. */
    const char *plain[] = {"name: x\nno closing line\n", "# Title\n---\n", "Note that: x\n---\n",
                           "http://x.example\n---\n"};
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        cr_assert_eq(frontmatter_parse_limited(&fm, plain[i], strlen(plain[i]), "p.md", &lim, d),
                     0);
        cr_expect_eq(fm.present, 0, "'%s'", plain[i]);
        frontmatter_release(&fm);
    }
    diag_free(d);
}
