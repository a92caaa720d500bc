/* test_frontmatter: where front matter starts and ends (BOM, CRLF, `...`,
 * `---` in the body), the body offsets, and errors located in the .md file. */
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

/* --- frontmatter_scalars against the parser ------------------------------------ */

/* What frontmatter_parse and yamltree give for key: its text when a string
 * that is not null, else NULL. Caller frees. */
static char *parsed_scalar(const char *text, size_t len, const char *key)
{
    diags *quiet = diag_new(NULL);
    frontmatter fm;
    char *got = NULL;
    if (frontmatter_parse(&fm, text, len, NULL, quiet) == 0) {
        const yaml_node *v = yamltree_get(fm.data, key);
        const char *value;
        if (v && yamltree_kind(v) == YAML_SCALAR && !yamltree_is_null(v) &&
            yamltree_as_string(&value, v, key, NULL, quiet) == 0)
            got = strdup(value);
        frontmatter_release(&fm);
    }
    diag_free(quiet);
    return got;
}

/* Checks one text: when frontmatter_scalars reads it, each key's value is
 * the parser's. Returns 1 when it read it. */
static int agrees(const char *text)
{
    static const char *const keys[] = {"version", "change", "title"};
    fm_scalar got[3];
    size_t len = strlen(text);
    if (!frontmatter_scalars(got, text, len, keys, 3))
        return 0;
    for (size_t k = 0; k < 3; k++) {
        char *want = parsed_scalar(text, len, keys[k]);
        int same = want ? got[k].text && got[k].len == strlen(want) &&
                              !memcmp(got[k].text, want, got[k].len)
                        : !got[k].text;
        cr_assert(same, "'%s' in:\n%s\nread '%.*s', parsed '%s'", keys[k], text,
                  got[k].text ? (int)got[k].len : 6, got[k].text ? got[k].text : "(none)",
                  want ? want : "(none)");
        free(want);
    }
    return 1;
}

Test(frontmatter, scalars_examples)
{
    static const char *const keys[] = {"version", "change"};
    fm_scalar got[2];
    const char *t =
        "---\ntitle: T\nversion: \"1.7\"\nchange: Minor\ncontrols: [A.5.1, A.8.2]\n---\nb\n";
    cr_assert_eq(frontmatter_scalars(got, t, strlen(t), keys, 2), 1);
    cr_expect(got[0].len == 3 && !memcmp(got[0].text, "1.7", 3));
    cr_expect(got[1].len == 5 && !memcmp(got[1].text, "Minor", 5));
    /* Left to the parser: a block list, an escape, a comment after a value. */
    const char *other[] = {"---\ntags:\n  - a\n---\n",       "---\nversion: \"1\\u0037\"\n---\n",
                           "---\nversion: 1 # draft\n---\n", "\xEF\xBB\xBF---\nversion: 1\n---\n",
                           "---\r\nversion: 1\r\n---\r\n",   "---\nversion: 1\nversion: 2\n---\n"};
    for (size_t i = 0; i < COUNT(other); i++)
        cr_expect_eq(frontmatter_scalars(got, other[i], strlen(other[i]), keys, 2), 0, "%s",
                     other[i]);
    /* No front matter, or one never closed: read, with no values. */
    const char *none[] = {"", "# Title\nversion: 1\n", "---\nversion: 1\n"};
    for (size_t i = 0; i < COUNT(none); i++) {
        cr_expect_eq(frontmatter_scalars(got, none[i], strlen(none[i]), keys, 2), 1);
        cr_expect_null(got[0].text, "%s", none[i]);
    }
    for (size_t i = 0; i < COUNT(other); i++)
        agrees(other[i]);
    agrees(t);
}

/* Generated front matters, from the shapes pages have and the ones that
 * look like them but are not (flow lists, quotes, comments, indicators,
 * duplicates, nesting, tabs, CR, non-ASCII): wherever frontmatter_scalars
 * reads one, it agrees with the parser. */
Test(frontmatter, scalars_agree_with_the_parser)
{
    static const char *const keys[] = {"version", "change", "title", "Version", "x-y",
                                       "_k",      "1",      "a b",   "-k",      "version "};
    static const char *const values[] = {"1.7",
                                         "\"1.7\"",
                                         "'1.7'",
                                         "\"a \\\"b\\\"\"",
                                         "'it''s'",
                                         "null",
                                         "Null",
                                         "NULL",
                                         "~",
                                         "",
                                         " ",
                                         "\"\"",
                                         "''",
                                         "[a, b]",
                                         "[A.5.1, A.8.2]",
                                         "[]",
                                         "[a,b]",
                                         "[a, ]",
                                         "[ a]",
                                         "{a: 1}",
                                         "a: b",
                                         "a:b",
                                         "http://x/y?q=1",
                                         "a #c",
                                         "a#c",
                                         "- a",
                                         "-1",
                                         "|",
                                         ">",
                                         "&x a",
                                         "*x",
                                         "!!str 5",
                                         "! 5",
                                         "%x",
                                         "@x",
                                         "`x`",
                                         "yes",
                                         "true",
                                         "Minor",
                                         "MAJOR",
                                         "a  b",
                                         "a b  ",
                                         "?x",
                                         ",x",
                                         ".5",
                                         "x,y",
                                         "x[y]",
                                         "\"unterminated",
                                         "'x' y",
                                         "\"x\" # c",
                                         "\tx",
                                         "\xc3\xa9",
                                         "a\tb",
                                         "x:",
                                         "[a b, c]",
                                         "[(x), y+z]",
                                         "[-a]",
                                         "[a, -b]",
                                         "[a, .b]",
                                         "[a:b]",
                                         "[a, [b]]",
                                         "[a], [b]",
                                         "'a\"b'",
                                         "\"a'b\"",
                                         "a \"b\" c",
                                         "{}",
                                         "\"#\"",
                                         "'a: b'",
                                         "a'",
                                         "0x1F",
                                         "..",
                                         "---",
                                         "1e3",
                                         "=",
                                         "<x>",
                                         "a\\b",
                                         "\"a\\b\"",
                                         "'a\\b'",
                                         "x ]",
                                         "[a b]",
                                         "[a  b]"};
    /* K: the key, V: the value. */
    static const char *const forms[] = {"K: V",  "K:V",    "K :V",  "K:",      "# K V",
                                        "",      "  - KV", " K: V", "- K V",   "K: V\r",
                                        "K:  V", "K: V ",  "? K V", "K: V # c"};
    unsigned long long seed = 12345;
    size_t read = 0, with_version = 0, n = 30000;
    char text[2048];
    for (size_t i = 0; i < n; i++) {
        size_t at = 0;
        at += (size_t)snprintf(text + at, sizeof text - at, "---\n");
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t lines = (size_t)(seed >> 60) % 6 + 1;
        for (size_t l = 0; l < lines; l++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned r = (unsigned)(seed >> 33);
            /* Mostly plain lines of plain keys, so that many texts are read. */
            const char *form = r % 3 ? forms[0] : forms[r / 3 % COUNT(forms)];
            const char *key = r / 7 % 2 ? keys[r / 61 % 3] : keys[r / 61 % COUNT(keys)];
            const char *value = values[r / 997 % COUNT(values)];
            for (const char *f = form; *f && at + 200 < sizeof text; f++) {
                const char *put = *f == 'K' ? key : *f == 'V' ? value : NULL;
                if (put)
                    at += (size_t)snprintf(text + at, sizeof text - at, "%s", put);
                else
                    text[at++] = *f;
            }
            text[at++] = '\n';
        }
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        const char *closer[] = {"---\n", "...\n", "---  \n", "", "--- x\n"};
        snprintf(text + at, sizeof text - at, "%sbody\n", closer[(seed >> 40) % COUNT(closer)]);
        if (agrees(text)) {
            read++;
            fm_scalar got[1];
            static const char *const v[] = {"version"};
            frontmatter_scalars(got, text, strlen(text), v, 1);
            with_version += got[0].text != NULL;
        }
    }
    /* Not vacuous: a good share is read, with a version among them, and a
     * good share left to the parser. */
    cr_expect_gt(read, n / 5, "read %zu of %zu", read, n);
    cr_expect_gt(with_version, n / 100, "%zu read with a version", with_version);
    cr_expect_lt(read, n * 9 / 10, "read %zu of %zu", read, n);
    cr_log_info("read %zu of %zu, %zu with a version", read, n, with_version);
}
