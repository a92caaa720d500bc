/* test_yaml: the YAML tree (positions, refusals, syntax errors), the typed
 * readers with their exact messages, and the date helpers. */
#include "unit.h"

#include <criterion/parameterized.h>

/* Parameters are indices into the tables below: Criterion runs each case in
 * a fresh process, where pointers stored in a parameter would be invalid. */
#include "yamltree.h"

#include <limits.h>
#include <signal.h>

/* Parses s (strlen) expecting success and no diagnostics. */
static yaml_node *parse_ok_n(const char *s, size_t len, int line_offset)
{
    diags *d = diag_new(NULL);
    yaml_node *n = NULL;
    int rc = yamltree_parse(&n, s, len, "f.yml", line_offset, d);
    cr_assert_diag(d, "");
    cr_assert_eq(rc, 0, "yamltree_parse failed on: %s", s);
    cr_assert_not_null(n);
    diag_free(d);
    return n;
}

static yaml_node *parse_ok(const char *s)
{
    return parse_ok_n(s, strlen(s), 0);
}

static void expect_parse_error_n(const char *s, size_t len, const char *expected)
{
    diags *d = diag_new(NULL);
    yaml_node *n = (yaml_node *)1;
    int rc = yamltree_parse(&n, s, len, "f.yml", 0, d);
    cr_assert_eq(rc, -1, "yamltree_parse accepted: %s", s);
    cr_assert_null(n);
    cr_assert_diag(d, expected);
    diag_free(d);
}

static void expect_pos(const yaml_node *n, yaml_kind kind, int line, int col)
{
    cr_assert_not_null(n);
    cr_assert_eq(yamltree_kind(n), kind);
    cr_assert_eq(yamltree_line(n), line, "line %d, want %d", yamltree_line(n), line);
    cr_assert_eq(yamltree_col(n), col, "col %d, want %d", yamltree_col(n), col);
}

static void expect_scalar(const yaml_node *n, const char *value, int plain, int line, int col)
{
    expect_pos(n, YAML_SCALAR, line, col);
    cr_assert_str_eq(yamltree_text(n), value);
    cr_assert_eq(yamltree_text_len(n), strlen(value));
    cr_assert_eq(yamltree_plain(n), plain, "plain %d for '%s'", yamltree_plain(n), value);
}

/* ---- tree shape and positions ---- */

Test(yaml, scalar_root)
{
    yaml_node *n = parse_ok("  hello world\n");
    expect_scalar(n, "hello world", 1, 1, 3);
    cr_assert_eq(yamltree_len(n), 0);
    yamltree_free(n);
}

Test(yaml, list_root)
{
    yaml_node *n = parse_ok("- a\n- 'b'\n-   \"c\"\n");
    expect_pos(n, YAML_SEQUENCE, 1, 1);
    cr_assert_eq(yamltree_len(n), 3);
    cr_assert_null(yamltree_key(n, 0)); /* a list has no keys */
    expect_scalar(yamltree_item(n, 0), "a", 1, 1, 3);
    expect_scalar(yamltree_item(n, 1), "b", 0, 2, 3);
    expect_scalar(yamltree_item(n, 2), "c", 0, 3, 5);
    yamltree_free(n);
}

Test(yaml, mapping_positions)
{
    yaml_node *n = parse_ok("title: Access control\nowner:   alice\n\"quoted key\": x\n");
    expect_pos(n, YAML_MAPPING, 1, 1);
    cr_assert_eq(yamltree_len(n), 3);
    expect_scalar(yamltree_key(n, 0), "title", 1, 1, 1);
    expect_scalar(yamltree_item(n, 0), "Access control", 1, 1, 8);
    expect_scalar(yamltree_key(n, 1), "owner", 1, 2, 1);
    expect_scalar(yamltree_item(n, 1), "alice", 1, 2, 10);
    expect_scalar(yamltree_key(n, 2), "quoted key", 0, 3, 1);
    expect_scalar(yamltree_item(n, 2), "x", 1, 3, 15);
    yamltree_free(n);
}

Test(yaml, nested_positions)
{
    yaml_node *n = parse_ok("control:\n"
                            "  id: AC-1\n"
                            "  evidence:\n"
                            "    - path: a.md\n"
                            "    - [x, {y: z}]\n"
                            "flow: {k: v, l: [1, 2]}\n");
    const yaml_node *c = yamltree_get(n, "control");
    expect_pos(c, YAML_MAPPING, 2, 3);
    expect_scalar(yamltree_get(c, "id"), "AC-1", 1, 2, 7);
    const yaml_node *ev = yamltree_get(c, "evidence");
    expect_pos(ev, YAML_SEQUENCE, 4, 5);
    cr_assert_eq(yamltree_len(ev), 2);
    const yaml_node *ev0 = yamltree_item(ev, 0), *ev1 = yamltree_item(ev, 1);
    expect_pos(ev0, YAML_MAPPING, 4, 7);
    expect_scalar(yamltree_key(ev0, 0), "path", 1, 4, 7);
    expect_scalar(yamltree_get(ev0, "path"), "a.md", 1, 4, 13);
    expect_pos(ev1, YAML_SEQUENCE, 5, 7);
    expect_scalar(yamltree_item(ev1, 0), "x", 1, 5, 8);
    expect_pos(yamltree_item(ev1, 1), YAML_MAPPING, 5, 11);
    expect_scalar(yamltree_get(yamltree_item(ev1, 1), "y"), "z", 1, 5, 15);
    const yaml_node *f = yamltree_get(n, "flow");
    expect_pos(f, YAML_MAPPING, 6, 7);
    expect_scalar(yamltree_get(f, "k"), "v", 1, 6, 11);
    expect_pos(yamltree_get(f, "l"), YAML_SEQUENCE, 6, 17);
    expect_scalar(yamltree_item(yamltree_get(f, "l"), 1), "2", 1, 6, 21);
    yamltree_free(n);
}

Test(yaml, line_offset_applies_to_every_node)
{
    yaml_node *n = parse_ok_n("a: 1\nb:\n  - c\n", 14, 4);
    expect_pos(n, YAML_MAPPING, 5, 1);
    expect_scalar(yamltree_key(n, 0), "a", 1, 5, 1);
    expect_scalar(yamltree_item(n, 0), "1", 1, 5, 4);
    expect_pos(yamltree_item(n, 1), YAML_SEQUENCE, 7, 3);
    expect_scalar(yamltree_item(yamltree_item(n, 1), 0), "c", 1, 7, 5);
    yamltree_free(n);
}

Test(yaml, columns_count_characters_not_bytes)
{
    yaml_node *n = parse_ok("\xc3\xa9t\xc3\xa9: \xe2\x82\xac 5\n");
    expect_scalar(yamltree_item(n, 0), "\xe2\x82\xac 5", 1, 1, 6);
    yamltree_free(n);
}

Test(yaml, crlf_positions_and_values)
{
    yaml_node *n = parse_ok("a: 1\r\nb:   two\r\ntext: |\r\n  x\r\n  y\r\n");
    expect_scalar(yamltree_item(n, 1), "two", 1, 2, 6);
    expect_scalar(yamltree_item(n, 2), "x\ny\n", 0, 3, 7);
    yamltree_free(n);
}

Test(yaml, bom_is_not_a_column)
{
    yaml_node *n = parse_ok("\xEF\xBB\xBFk: v\n");
    expect_scalar(yamltree_key(n, 0), "k", 1, 1, 1);
    expect_scalar(yamltree_item(n, 0), "v", 1, 1, 4);
    yamltree_free(n);
}

Test(yaml, plain_flag)
{
    yaml_node *n = parse_ok("a: null\nb: 'null'\nc: \"x\"\nd: |\n  x\ne: >\n  x\n"
                            "f: !!str true\ng: ! true\nh: !!int 5\ni: !custom v\n");
    struct {
        const char *key, *value;
        int plain;
    } want[] = {{"a", "null", 1}, {"b", "null", 0}, {"c", "x", 0}, {"d", "x\n", 0}, {"e", "x\n", 0},
                {"f", "true", 0}, {"g", "true", 0}, {"h", "5", 1}, {"i", "v", 1}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const yaml_node *v = yamltree_get(n, want[i].key);
        cr_assert_not_null(v, "key %s", want[i].key);
        cr_assert_str_eq(yamltree_text(v), want[i].value, "key %s", want[i].key);
        cr_assert_eq(yamltree_plain(v), want[i].plain, "key %s", want[i].key);
    }
    yamltree_free(n);
}

Test(yaml, empty_documents_are_empty_mappings)
{
    const char *inputs[] = {"", "\n\n", "# only a comment\n", "---\n", "---\n...\n", "--- \n"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        yaml_node *n = parse_ok_n(inputs[i], strlen(inputs[i]), 2);
        expect_pos(n, YAML_MAPPING, 3, 1);
        cr_assert_eq(yamltree_len(n), 0, "input %zu", i);
        yamltree_free(n);
    }
}

Test(yaml, null_text_pointer_with_zero_length)
{
    yaml_node *n = parse_ok_n(NULL, 0, 0);
    expect_pos(n, YAML_MAPPING, 1, 1);
    yamltree_free(n);
}

Test(yaml, explicit_null_document_stays_a_scalar)
{
    yaml_node *n = parse_ok("~\n");
    expect_scalar(n, "~", 1, 1, 1);
    cr_assert(yamltree_is_null(n));
    yamltree_free(n);
}

Test(yaml, single_explicit_document_and_directive)
{
    yaml_node *n = parse_ok("%YAML 1.1\n---\na: 1\n...\n");
    expect_scalar(yamltree_item(n, 0), "1", 1, 3, 4);
    yamltree_free(n);
}

Test(yaml, length_bounds_the_input)
{
    /* Only "a: 1" is input; what follows must never be read. */
    yaml_node *n = parse_ok_n("a: 1\nb: [", 4, 0);
    cr_assert_eq(yamltree_len(n), 1);
    yamltree_free(n);
}

Test(yaml, nul_escape_keeps_length)
{
    yaml_node *n = parse_ok("a: \"x\\0y\"\n");
    const yaml_node *a = yamltree_item(n, 0);
    cr_assert_eq(yamltree_text_len(a), 3);
    cr_assert_eq(memcmp(yamltree_text(a), "x\0y", 4), 0);
    yamltree_free(n);
}

Test(yaml, free_accepts_null)
{
    yamltree_free(NULL);
}

/* ---- refusals and syntax errors ---- */

struct err_case {
    const char *input;
    const char *expected;
};

static const struct err_case errors_cases[] = {
    {"owner: a\ntitle: t\nowner: b\n",
     "f.yml:3:1: error: duplicate key 'owner' (first defined at line 1) [yaml-duplicate-key]\n"},
    {"a:\n  x: 1\n  y: 2\n  x: 3\n",
     "f.yml:4:3: error: duplicate key 'x' (first defined at line 2) [yaml-duplicate-key]\n"},
    {"{k: 1, 'k': 2}\n",
     "f.yml:1:8: error: duplicate key 'k' (first defined at line 1) [yaml-duplicate-key]\n"},
    {"a: &anchor 1\nb: *anchor\n",
     "f.yml:1:4: error: YAML anchors are not supported [yaml-alias]\n"},
    {"a: *anchor\n", "f.yml:1:4: error: YAML aliases are not supported [yaml-alias]\n"},
    {"- &s [1]\n", "f.yml:1:3: error: YAML anchors are not supported [yaml-alias]\n"},
    {"a: &m\n  b: 1\n", "f.yml:1:4: error: YAML anchors are not supported [yaml-alias]\n"},
    {"a: 1\n---\nb: 2\n",
     "f.yml:2:1: error: only one YAML document is allowed [yaml-unsupported]\n"},
    {"---\na: 1\n---\n",
     "f.yml:3:1: error: only one YAML document is allowed [yaml-unsupported]\n"},
    {"? [a, b]\n: 1\n",
     "f.yml:1:3: error: mapping keys must be strings, not a list [yaml-unsupported]\n"},
    {"{{a: 1}: 2}\n",
     "f.yml:1:2: error: mapping keys must be strings, not a mapping [yaml-unsupported]\n"},
    {"a: 1\nb\nc: 2\n",
     "f.yml:3:1: error: invalid YAML: could not find expected ':' (while scanning a simple "
     "key at line 2) [yaml-syntax]\n"},
    /* At the end of a whole file: on its last line, not one past it. */
    {"a: [1, 2\n",
     "f.yml:1:9: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow "
     "sequence at line 1) [yaml-syntax]\n"},
    {"a: [1, 2",
     "f.yml:1:9: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow "
     "sequence at line 1) [yaml-syntax]\n"},
    {"a: b: c\n", "f.yml:1:5: error: invalid YAML: mapping values are not allowed in this context "
                  "[yaml-syntax]\n"},
    {"a: 'b\n\nc: d",
     "f.yml:3:5: error: invalid YAML: found unexpected end of stream (while scanning a quoted "
     "scalar at line 1) [yaml-syntax]\n"},
    {"a:\n\t- b\n",
     "f.yml:2:1: error: invalid YAML: found character that cannot start any token (while "
     "scanning for the next token at line 2) [yaml-syntax]\n"},
    {"x: 1\ny: \xff\n",
     "f.yml:2:4: error: invalid YAML: invalid leading UTF-8 octet [yaml-syntax]\n"},
    {"x: 1\ny: \xc3\xa9\x01\n",
     "f.yml:2:5: error: invalid YAML: control characters are not allowed [yaml-syntax]\n"},
    /* A reader error's offset counted in lines as libyaml breaks them. */
    {"x: 1\ry: \xff\n",
     "f.yml:2:4: error: invalid YAML: invalid leading UTF-8 octet [yaml-syntax]\n"},
    {"x: 1\r\n\r\ny: \xff\n",
     "f.yml:3:4: error: invalid YAML: invalid leading UTF-8 octet [yaml-syntax]\n"},
    {"x: 1\xc2\x85y: \xe2\x80\xa8z: \xff\n",
     "f.yml:3:4: error: invalid YAML: invalid leading UTF-8 octet [yaml-syntax]\n"},
};

ParameterizedTestParameters(yaml, errors)
{
    static size_t idx[COUNT(errors_cases)];
    for (size_t i = 0; i < COUNT(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, COUNT(idx));
}

ParameterizedTest(size_t *i, yaml, errors)
{
    const struct err_case *c = &errors_cases[*i];
    expect_parse_error_n(c->input, strlen(c->input), c->expected);
}

Test(yaml, nul_byte_is_an_error_not_an_end)
{
    static const char s[] = "a: 1\nb: x\0y\n";
    expect_parse_error_n(s, sizeof s - 1,
                         "f.yml:2:5: error: invalid YAML: control characters are not allowed "
                         "[yaml-syntax]\n");
}

Test(yaml, syntax_error_lines_include_offset)
{
    diags *d = diag_new(NULL);
    yaml_node *n = NULL;
    cr_assert_eq(yamltree_parse(&n, "a: 1\nb\nc: 2\n", 12, "page.md", 1, d), -1);
    cr_assert_diag(d, "page.md:4:1: error: invalid YAML: could not find expected ':' (while "
                      "scanning a simple key at line 3) [yaml-syntax]\n");
    diag_free(d);
}

/* Builds `depth` nested flow lists: [[[x]]]. */
static char *nested_flow(int depth)
{
    buf b;
    buf_init(&b);
    for (int i = 0; i < depth; i++)
        buf_addc(&b, '[');
    buf_addc(&b, 'x');
    for (int i = 0; i < depth; i++)
        buf_addc(&b, ']');
    return buf_detach(&b);
}

Test(yaml, depth_cap)
{
    char *ok = nested_flow(64), *deep = nested_flow(65);
    yaml_node *n = parse_ok(ok);
    const yaml_node *p = n;
    for (int i = 1; i < 64; i++)
        p = yamltree_item(p, 0);
    expect_pos(p, YAML_SEQUENCE, 1, 64);
    expect_scalar(yamltree_item(p, 0), "x", 1, 1, 65);
    yamltree_free(n);
    expect_parse_error_n(deep, strlen(deep),
                         "f.yml:1:65: error: YAML is nested more than 64 levels deep "
                         "[yaml-unsupported]\n");
    free(ok);
    free(deep);
}

Test(yaml, depth_cap_block_style)
{
    buf b;
    buf_init(&b);
    for (int i = 0; i < 65; i++) {
        for (int k = 0; k < i; k++)
            buf_addc(&b, ' ');
        buf_adds(&b, "k:\n");
    }
    for (int k = 0; k < 65; k++)
        buf_addc(&b, ' ');
    buf_adds(&b, "k: v\n");
    expect_parse_error_n(b.data, b.len,
                         "f.yml:65:65: error: YAML is nested more than 64 levels deep "
                         "[yaml-unsupported]\n");
    buf_release(&b);
}

Test(yaml, very_deep_input_stops_early)
{
    char *deep = nested_flow(200000);
    expect_parse_error_n(deep, strlen(deep),
                         "f.yml:1:65: error: YAML is nested more than 64 levels deep "
                         "[yaml-unsupported]\n");
    free(deep);
}

/* ---- lookups ---- */

Test(yaml, get)
{
    yaml_node *n = parse_ok("a: 1\nb: [x]\n");
    cr_assert_str_eq(yamltree_text(yamltree_get(n, "a")), "1");
    cr_assert_eq(yamltree_kind(yamltree_get(n, "b")), YAML_SEQUENCE);
    cr_assert_null(yamltree_get(n, "c"));
    cr_assert_null(yamltree_get(n, ""));
    cr_assert_null(yamltree_get(NULL, "a"));
    cr_assert_null(yamltree_get(yamltree_get(n, "b"), "x"));
    yamltree_free(n);
}

Test(yaml, is_null)
{
    yaml_node *n =
        parse_ok("- \n- ~\n- null\n- Null\n- NULL\n- 'null'\n- \"\"\n- nUll\n- 0\n- []\n");
    int want[] = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    cr_assert_eq(yamltree_len(n), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < yamltree_len(n); i++)
        cr_assert_eq(yamltree_is_null(yamltree_item(n, i)), want[i], "item %zu", i);
    cr_assert_not(yamltree_is_null(NULL));
    yamltree_free(n);
}

/* ---- typed readers ---- */

/* Parses "v: <yaml>" and returns the tree; *value is the node of v. */
static yaml_node *value_of(const char *yaml_value, const yaml_node **value)
{
    buf b;
    buf_init(&b);
    buf_printf(&b, "v: %s\n", yaml_value);
    yaml_node *n = parse_ok(b.data);
    buf_release(&b);
    *value = yamltree_get(n, "v");
    cr_assert_not_null(*value);
    return n;
}

struct reader_case {
    const char *yaml;     /* the value after "v: " */
    long want;            /* on success */
    const char *expected; /* diagnostics; "" for success */
};

enum reader { READ_BOOL, READ_INT, READ_DATE };

static void run_reader(enum reader r, const struct reader_case *c)
{
    const yaml_node *v;
    yaml_node *n = value_of(c->yaml, &v);
    diags *d = diag_new(NULL);
    long got = 12345;
    int b = 7, rc;
    if (r == READ_BOOL) {
        rc = yamltree_as_bool(&b, v, "draft", "f.yml", d);
        if (rc == 0)
            got = b;
        else
            cr_assert_eq(b, 7, "*out changed on error");
    } else if (r == READ_INT) {
        rc = yamltree_as_int(&got, v, "count", "f.yml", d);
    } else {
        rc = yamltree_as_date(&got, v, "last_reviewed", "f.yml", d);
    }
    cr_assert_diag(d, c->expected);
    if (c->expected[0]) {
        cr_assert_eq(rc, -1, "accepted: %s", c->yaml);
        cr_assert_eq(got, 12345, "*out changed on error: %s", c->yaml);
    } else {
        cr_assert_eq(rc, 0, "refused: %s", c->yaml);
        cr_assert_eq(got, c->want, "%s gave %ld, want %ld", c->yaml, got, c->want);
    }
    diag_free(d);
    yamltree_free(n);
}

#define FT(msg) "f.yml:1:4: error: " msg " [invalid-type]\n"
/* libyaml puts an empty value just after the colon. */
#define FT_EMPTY(msg) "f.yml:1:3: error: " msg " [invalid-type]\n"

static const struct reader_case as_bool_cases[] = {
    {"true", 1, ""},
    {"True", 1, ""},
    {"TRUE", 1, ""},
    {"yes", 1, ""},
    {"Yes", 1, ""},
    {"YES", 1, ""},
    {"on", 1, ""},
    {"On", 1, ""},
    {"ON", 1, ""},
    {"false", 0, ""},
    {"False", 0, ""},
    {"FALSE", 0, ""},
    {"no", 0, ""},
    {"No", 0, ""},
    {"NO", 0, ""},
    {"off", 0, ""},
    {"Off", 0, ""},
    {"OFF", 0, ""},
    {"tRUE", 0, FT("'draft' must be true or false, not 'tRUE'")},
    {"y", 0, FT("'draft' must be true or false, not 'y'")},
    {"n", 0, FT("'draft' must be true or false, not 'n'")},
    {"1", 0, FT("'draft' must be true or false, not '1'")},
    {"maybe", 0, FT("'draft' must be true or false, not 'maybe'")},
    {"\"true\"", 0, FT("'draft' must be true or false without quotes")},
    {"'no'", 0, FT("'draft' must be true or false without quotes")},
    {"\"maybe\"", 0, FT("'draft' must be true or false, not 'maybe'")},
    {"", 0, FT_EMPTY("'draft' must be true or false, not empty")},
    {"~", 0, FT("'draft' must be true or false, not null")},
    {"[true]", 0, FT("'draft' must be true or false, not a list")},
    {"{a: b}", 0, FT("'draft' must be true or false, not a mapping")},
};

ParameterizedTestParameters(yaml, as_bool)
{
    static size_t idx[COUNT(as_bool_cases)];
    for (size_t i = 0; i < COUNT(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, COUNT(idx));
}

ParameterizedTest(size_t *i, yaml, as_bool)
{
    const struct reader_case *c = &as_bool_cases[*i];
    run_reader(READ_BOOL, c);
}

static const struct reader_case as_int_cases[] = {
    {"0", 0, ""},
    {"42", 42, ""},
    {"-7", -7, ""},
    {"+5", 5, ""},
    {"010", 10, ""},
    {"'12'", 12, ""},
    {"9223372036854775807", LONG_MAX, ""},
    {"-9223372036854775808", LONG_MIN, ""},
    {"9223372036854775808", 0, FT("'count' is out of range: 9223372036854775808")},
    {"-9223372036854775809", 0, FT("'count' is out of range: -9223372036854775809")},
    {"1.5", 0, FT("'count' must be an integer, not '1.5'")},
    {"0x10", 0, FT("'count' must be an integer, not '0x10'")},
    {"1_000", 0, FT("'count' must be an integer, not '1_000'")},
    {"'-'", 0, FT("'count' must be an integer, not '-'")},
    {"'5 '", 0, FT("'count' must be an integer, not '5 '")},
    {"many", 0, FT("'count' must be an integer, not 'many'")},
    {"", 0, FT_EMPTY("'count' must be an integer, not empty")},
    {"null", 0, FT("'count' must be an integer, not null")},
    {"[1]", 0, FT("'count' must be an integer, not a list")},
    {"{a: 1}", 0, FT("'count' must be an integer, not a mapping")},
};

ParameterizedTestParameters(yaml, as_int)
{
    static size_t idx[COUNT(as_int_cases)];
    for (size_t i = 0; i < COUNT(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, COUNT(idx));
}

ParameterizedTest(size_t *i, yaml, as_int)
{
    const struct reader_case *c = &as_int_cases[*i];
    run_reader(READ_INT, c);
}

#define BAD_DATE(v) FT("'last_reviewed' must be a date (YYYY-MM-DD), not '" v "'")
#define UNREAL(v) "f.yml:1:4: error: 'last_reviewed' is not a real date: " v " [invalid-date]\n"

static const struct reader_case as_date_cases[] = {
    {"1970-01-01", 0, ""},
    {"2024-01-05", 19727, ""},
    {"'2024-01-05'", 19727, ""},
    {"2024-02-29", 19782, ""},
    {"2000-02-29", 11016, ""},
    {"1969-12-31", -1, ""},
    {"1900-01-01", -25567, ""},
    {"2024-01-05 10:00:00", 19727, ""},
    {"2024-01-05T10:00:00Z", 19727, ""},
    {"2024-01-05t9:05:59.123456", 19727, ""},
    {"2024-01-05   23:59:60 -05:00", 19727, ""},
    {"2024-01-05 10:00:00+1", 19727, ""},
    {"2024-01-05 10:00:00 +0000", 19727, ""},
    {"2024-01-05T10:00:00-0530", 19727, ""},
    {"2024-01-05 10:00:00 +000", 0, BAD_DATE("2024-01-05 10:00:00 +000")},
    {"2024-01-05 10:00:00 +00000", 0, BAD_DATE("2024-01-05 10:00:00 +00000")},
    {"2023-02-29", 0, UNREAL("2023-02-29")},
    {"1900-02-29", 0, UNREAL("1900-02-29")},
    {"2024-02-30", 0, UNREAL("2024-02-30")},
    {"2024-13-01", 0, UNREAL("2024-13-01")},
    {"2024-00-10", 0, UNREAL("2024-00-10")},
    {"2024-04-31", 0, UNREAL("2024-04-31")},
    {"2024-01-00", 0, UNREAL("2024-01-00")},
    {"2024-02-30T10:00:00Z", 0, UNREAL("2024-02-30T10:00:00Z")},
    {"next week", 0, BAD_DATE("next week")},
    {"'next week'", 0, BAD_DATE("next week")},
    {"2024-1-05", 19727, ""},
    {"2024-1-5", 19727, ""},
    {"2024/01/05", 19727, ""},
    {"05.01.2024", 19727, ""},
    {"5-Jan-2024", 19727, ""},
    {"January 5th, 2024", 19727, ""},
    {"2024-2-30", 0, UNREAL("2024-2-30")},
    {"01/05/2024", 0,
     FT("'last_reviewed' must be a date (YYYY-MM-DD), not '01/05/2024', which reads as "
        "day/month or as month/day")},
    {"15/05/2024", 19858, ""},
    {"05/15/2024", 19858, ""},
    {"15-05-2024", 19858, ""},
    {"24-01-05", 0, BAD_DATE("24-01-05")},
    {"2024-01-05x", 0, BAD_DATE("2024-01-05x")},
    {"2024-01-05T", 0, BAD_DATE("2024-01-05T")},
    {"2024-01-05 10:00", 0, BAD_DATE("2024-01-05 10:00")},
    {"2024-01-05 24:00:00", 0, BAD_DATE("2024-01-05 24:00:00")},
    {"2024-01-05T10:00:00Zulu", 0, BAD_DATE("2024-01-05T10:00:00Zulu")},
    {"'2024-01-05 '", 0, BAD_DATE("2024-01-05 ")},
    {"", 0, FT_EMPTY("'last_reviewed' must be a date (YYYY-MM-DD), not empty")},
    {"[2024-01-05]", 0, FT("'last_reviewed' must be a date (YYYY-MM-DD), not a list")},
    {"{a: b}", 0, FT("'last_reviewed' must be a date (YYYY-MM-DD), not a mapping")},
    {"this value is far too long to be quoted back in full", 0,
     BAD_DATE("this value is far too long to be quoted...")},
    {"|\n  first line\n  second line", 0, BAD_DATE("first line...")},
};

ParameterizedTestParameters(yaml, as_date)
{
    static size_t idx[COUNT(as_date_cases)];
    for (size_t i = 0; i < COUNT(idx); i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, COUNT(idx));
}

ParameterizedTest(size_t *i, yaml, as_date)
{
    const struct reader_case *c = &as_date_cases[*i];
    run_reader(READ_DATE, c);
}

Test(yaml, as_string)
{
    yaml_node *n =
        parse_ok("s: plain text\nq: \"quoted\"\nnum: 5\nl: [a]\nm: {a: b}\nz: \"a\\0b\"\n");
    diags *d = diag_new(NULL);
    const char *s = NULL;
    cr_assert_eq(yamltree_as_string(&s, yamltree_get(n, "s"), "s", "f.yml", d), 0);
    cr_assert_str_eq(s, "plain text");
    cr_assert_eq(yamltree_as_string(&s, yamltree_get(n, "q"), "q", "f.yml", d), 0);
    cr_assert_str_eq(s, "quoted");
    cr_assert_eq(yamltree_as_string(&s, yamltree_get(n, "num"), "num", "f.yml", d), 0);
    cr_assert_str_eq(s, "5");
    cr_assert_diag(d, "");
    s = NULL;
    cr_assert_eq(yamltree_as_string(&s, yamltree_get(n, "l"), "tags", "f.yml", d), -1);
    cr_assert_eq(yamltree_as_string(&s, yamltree_get(n, "m"), "title", "f.yml", d), -1);
    cr_assert_eq(yamltree_as_string(&s, yamltree_get(n, "z"), "owner", "f.yml", d), -1);
    cr_assert_null(s);
    cr_assert_diag(d, "f.yml:4:4: error: 'tags' must be a string, not a list [invalid-type]\n"
                      "f.yml:5:4: error: 'title' must be a string, not a mapping "
                      "[invalid-type]\n"
                      "f.yml:6:4: error: 'owner' must not contain a NUL character "
                      "[invalid-type]\n");
    diag_free(d);
    yamltree_free(n);
}

Test(yaml, readers_report_missing_nodes)
{
    diags *d = diag_new(NULL);
    const char *s;
    int b;
    long l;
    cr_assert_eq(yamltree_as_string(&s, NULL, "title", "f.yml", d), -1);
    cr_assert_eq(yamltree_as_bool(&b, NULL, "draft", "f.yml", d), -1);
    cr_assert_eq(yamltree_as_int(&l, NULL, "count", "f.yml", d), -1);
    cr_assert_eq(yamltree_as_date(&l, NULL, "when", "f.yml", d), -1);
    cr_assert_diag(d, "f.yml:0:0: error: 'count' is missing [invalid-type]\n"
                      "f.yml:0:0: error: 'draft' is missing [invalid-type]\n"
                      "f.yml:0:0: error: 'title' is missing [invalid-type]\n"
                      "f.yml:0:0: error: 'when' is missing [invalid-type]\n");
    diag_free(d);
}

Test(yaml, messages_cut_on_a_character_boundary)
{
    /* 39 ASCII bytes then a 2-byte character straddling the 40-byte cut. */
    const yaml_node *v;
    yaml_node *n = value_of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9xyz", &v);
    diags *d = diag_new(NULL);
    long l;
    cr_assert_eq(yamltree_as_int(&l, v, "count", "f.yml", d), -1);
    cr_assert_diag(
        d, FT("'count' must be an integer, not 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'"));
    diag_free(d);
    yamltree_free(n);
}

/* ---- date helpers ---- */

Test(date, parse_known_days)
{
    struct {
        const char *s;
        long days;
    } cases[] = {
        {"1970-01-01", 0},       {"1970-01-02", 1},       {"1969-12-31", -1},
        {"2000-03-01", 11017},   {"2024-02-29", 19782},   {"1900-03-01", -25508},
        {"1600-02-29", -135081}, {"0000-01-01", -719528}, {"0000-02-29", -719469},
        {"9999-12-31", 2932896}, {"2038-01-19", 24855},   {"1582-10-15", -141427},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long got = 99;
        cr_assert_eq(date_parse(&got, cases[i].s, 10), 0, "%s", cases[i].s);
        cr_assert_eq(got, cases[i].days, "%s: %ld, want %ld", cases[i].s, got, cases[i].days);
        char out[11];
        date_format(out, cases[i].days);
        cr_assert_str_eq(out, cases[i].s);
    }
}

Test(date, parse_rejects)
{
    const char *bad[] = {"2023-02-29", "1900-02-29", "2024-02-30", "2024-13-01", "2024-00-01",
                         "2024-06-31", "2024-01-00", "2024-01-32", "2024-1-05",  "2024/01/05",
                         "20240105",   "2024-01-0a", "abcd-01-01", "-024-01-01", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long got = 99;
        cr_assert_eq(date_parse(&got, bad[i], strlen(bad[i])), -1, "%s", bad[i]);
        cr_assert_eq(got, 99);
    }
    long got = 99;
    /* Exactly ten bytes: no time part, no trailing text, nothing past len. */
    cr_assert_eq(date_parse(&got, "2024-01-05 10:00:00", 19), -1);
    cr_assert_eq(date_parse(&got, "2024-01-05 ", 11), -1);
    cr_assert_eq(date_parse(&got, "2024-01-05", 9), -1);
    cr_assert_eq(date_parse(&got, "2024-01-05", 10), 0);
}

Test(date, format_round_trips_every_day)
{
    char prev[11] = "", out[11];
    for (long days = -719528; days <= 2932896; days++) {
        date_format(out, days);
        long back = 0;
        if (date_parse(&back, out, 10) != 0 || back != days)
            cr_assert_fail("day %ld formats as %s, parses back as %ld", days, out, back);
        /* ISO dates sort as text: each day is after the one before. */
        if (prev[0] && strcmp(prev, out) >= 0)
            cr_assert_fail("%s does not follow %s", out, prev);
        memcpy(prev, out, sizeof out);
    }
}

Test(date, format_clamps_to_four_digit_years)
{
    char out[11];
    date_format(out, -719529);
    cr_assert_str_eq(out, "0000-01-01");
    date_format(out, LONG_MIN);
    cr_assert_str_eq(out, "0000-01-01");
    date_format(out, 2932897);
    cr_assert_str_eq(out, "9999-12-31");
    date_format(out, LONG_MAX);
    cr_assert_str_eq(out, "9999-12-31");
}

Test(yaml, messages_stop_at_a_nul_in_a_value)
{
    /* The message is a C string: a NUL quoted into it would end it there,
     * losing the closing quote and the rest (found by fuzzing). */
    static const char text[] = "d: \"2024\\0-01-01\"\n";
    diags *d = diag_new(NULL);
    yaml_node *n = NULL;
    cr_assert_eq(yamltree_parse(&n, text, sizeof text - 1, "f.yml", 0, d), 0);
    long day;
    cr_assert_eq(yamltree_as_date(&day, yamltree_get(n, "d"), "d", "f.yml", d), -1);
    cr_assert_diag(d, "f.yml:1:4: error: 'd' must be a date (YYYY-MM-DD), not '2024...' "
                      "[invalid-type]\n");
    yamltree_free(n);
    diag_free(d);
}

Test(yaml, utf16_is_refused_not_misplaced)
{
    /* libyaml would decode a UTF-16 text after its byte order mark and count
     * positions in a text charter does not have (found by fuzzing). */
    expect_parse_error_n("\xFE\xFF\0k\0:\0 \0v", 9,
                         "f.yml:1:1: error: invalid YAML: invalid leading UTF-8 octet "
                         "[yaml-syntax]\n");
}

/* yamltree_put_quoted (the writer of charter catalog import) and
 * yamltree_put_scalar read back as the same string through libyaml,
 * characters libyaml refuses in a stream included: a C1 control (U+0086),
 * U+FEFF inside the text, U+FFFE, U+FFFF, next to NEL, LS, a quote and a
 * newline. Written as they are, libyaml refused the file. */
Test(yamltree, quoted_scalars_read_back)
{
    static const char *const texts[] = {"a\xC2\x86"
                                        "b",
                                        "x\xEF\xBB\xBFy",
                                        "\xEF\xBF\xBE",
                                        "\xEF\xBF\xBF"
                                        "end",
                                        "nel\xC2\x85ls\xE2\x80\xA8q\"\\\nz",
                                        "plain text"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        for (int quoted = 0; quoted < 2; quoted++) {
            buf b;
            buf_init(&b);
            buf_adds(&b, "k: ");
            if (quoted)
                yamltree_put_quoted(&b, texts[i]);
            else
                yamltree_put_scalar(&b, texts[i], 0);
            buf_addc(&b, '\n');
            diags *d = diag_new(NULL);
            yaml_node *root = NULL;
            cr_assert_eq(yamltree_parse(&root, b.data, b.len, "t.yml", 0, d), 0, "%s", b.data);
            cr_expect_str_eq(yamltree_text(yamltree_get(root, "k")), texts[i], "%s", b.data);
            yamltree_free(root);
            diag_free(d);
            buf_release(&b);
        }
}

/* ---- packed trees ---- */

/* A parsed tree is one allocation: read-only, and its copies are trees of
 * their own that can be extended and freed (under ASan, a copy that kept
 * the packed mark would leak or free inside the parsed tree's block). */
Test(yamltree, copies_of_a_parsed_tree_are_built_trees)
{
    yaml_node *n = parse_ok("title: T\ncontrols: [A.1, A.2]\nnested: {k: [v]}\n");
    yaml_node *c = yamltree_copy(n, NULL);
    yamltree_append(c, yamltree_new(YAML_SCALAR, "owner", 0, NULL),
                    yamltree_new(YAML_SCALAR, "o", 1, NULL));
    yaml_node *seq = yamltree_copy(yamltree_get(n, "controls"), NULL);
    yamltree_append(seq, NULL, yamltree_new(YAML_SCALAR, "A.3", 0, NULL));
    yamltree_replace(c, 1, seq);
    yamltree_free(n);
    /* The copy outlives the parsed tree it came from. */
    cr_assert_eq(yamltree_len(c), 4);
    expect_scalar(yamltree_get(c, "title"), "T", 1, 1, 8);
    expect_scalar(yamltree_get(c, "owner"), "o", 0, 0, 0);
    const yaml_node *got = yamltree_get(c, "controls");
    cr_assert_eq(yamltree_len(got), 3);
    expect_scalar(yamltree_item(got, 2), "A.3", 1, 0, 0);
    const yaml_node *k = yamltree_get(yamltree_get(c, "nested"), "k");
    cr_assert_not_null(k);
    expect_scalar(yamltree_item(k, 0), "v", 1, 3, 14);
    /* Packed in turn, it reads the same. */
    c = yamltree_pack(c);
    cr_assert_eq(yamltree_len(yamltree_get(c, "controls")), 3);
    expect_scalar(yamltree_get(c, "owner"), "o", 0, 0, 0);
    yamltree_free(c);
}

/* Appending to a parsed tree is a programming error, stopped at once. */
Test(yamltree, a_parsed_tree_is_read_only, .signal = SIGABRT)
{
    yaml_node *n = parse_ok("a: 1\n");
    yamltree_append(n, yamltree_new(YAML_SCALAR, "b", 0, NULL),
                    yamltree_new(YAML_SCALAR, "2", 0, NULL));
}

/* --- the plain reading against libyaml's ---------------------------------------- */

/* Where yamltree_parse_plain reads text, its tree is libyaml's, node for
 * node: kinds, plainness, lines, columns and texts (yamltree_encode).
 * Returns 1 when it read it. */
static int plain_agrees(const char *text, int line_offset, const yamltree_limits *lim)
{
    yaml_node *plain = NULL, *full = NULL;
    if (!yamltree_parse_plain(&plain, text, strlen(text), line_offset, lim)) {
        cr_assert_null(plain);
        return 0;
    }
    diags *d = diag_new(NULL);
    cr_assert_eq(yamltree_parse_libyaml(&full, text, strlen(text), "p.md", line_offset, lim, d), 0,
                 "read plain, refused by libyaml:\n%s", text);
    buf a, b;
    buf_init(&a);
    buf_init(&b);
    yamltree_encode(&a, plain);
    yamltree_encode(&b, full);
    cr_assert(a.len == b.len && !memcmp(a.data, b.data, a.len), "trees differ for:\n%s", text);
    buf_release(&a);
    buf_release(&b);
    yamltree_free(plain);
    yamltree_free(full);
    diag_free(d);
    return 1;
}

Test(yamltree, plain_examples)
{
    yaml_node *t = NULL;
    const char *page = "title: Access control\nversion: \"1.7\"\n# a note\n\nowner: 'CISO'\n"
                       "controls: [A.5.6, A.8.30]\nurl: https://example.com/a\n";
    cr_assert_eq(yamltree_parse_plain(&t, page, strlen(page), 1, NULL), 1);
    cr_expect_eq(yamltree_len(t), 5);
    cr_expect_eq(yamltree_line(yamltree_get(t, "controls")), 7);
    cr_expect_eq(yamltree_col(yamltree_get(t, "controls")), 11);
    cr_expect_eq(yamltree_len(yamltree_get(t, "controls")), 2);
    cr_expect_eq(yamltree_plain(yamltree_get(t, "owner")), 0);
    yamltree_free(t);
    cr_expect(plain_agrees(page, 1, NULL));
    /* Left to libyaml: what it would refuse, or cap, and the other shapes. */
    const yamltree_limits two = {8, "limits.scalar_bytes", 2, "limits.frontmatter_keys"};
    const char *other[] = {"a: 1\na: 2\n",
                           "a:\n  - x\n",
                           "a: \"\\u0041\"\n",
                           "a: 1 # c\n",
                           "\xEF\xBB\xBF"
                           "a: 1\n",
                           "a: 1\r\n",
                           "a:\n",
                           "# only\n",
                           ""};
    for (size_t i = 0; i < COUNT(other); i++) {
        cr_expect_eq(yamltree_parse_plain(&t, other[i], strlen(other[i]), 0, NULL), 0, "%s",
                     other[i]);
        cr_expect_null(t);
    }
    const char *capped[] = {"a: 1\nb: 2\nc: 3\n", "a: 123456789\n", "a: [b, 123456789]\n"};
    /* libyaml refuses a key longer than 1024 characters: so does the plain
     * reading, and a long value is read. */
    char long_key[1200], long_value[5100];
    memset(long_key, 'k', 1100);
    memcpy(long_key + 1100, ": v\n", 5);
    cr_expect_eq(yamltree_parse_plain(&t, long_key, strlen(long_key), 0, NULL), 0);
    memcpy(long_value, "k: ", 3);
    memset(long_value + 3, 'v', 5000);
    memcpy(long_value + 5003, "\n", 2);
    cr_expect(plain_agrees(long_value, 0, NULL));
    for (size_t i = 0; i < COUNT(capped); i++)
        cr_expect_eq(yamltree_parse_plain(&t, capped[i], strlen(capped[i]), 0, &two), 0, "%s",
                     capped[i]);
}

/* Generated documents, from the shapes front matter has and the ones that
 * look like them but are not: wherever the plain reading reads one, its
 * tree is libyaml's. */
Test(yamltree, plain_agrees_with_libyaml)
{
    static const char *const keys[] = {"version", "change", "title", "Version", "x-y",
                                       "_k",      "1",      "a b",   "-k",      "version "};
    static const char *const values[] = {"1.7",
                                         "\"1.7\"",
                                         "'1.7'",
                                         "\"a \\\"b\\\"\"",
                                         "'it''s'",
                                         "null",
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
                                         "%x",
                                         "@x",
                                         "yes",
                                         "Minor",
                                         "a  b",
                                         "a b  ",
                                         "?x",
                                         ",x",
                                         ".5",
                                         "x,y",
                                         "x[y]",
                                         "\"unterminated",
                                         "'x' y",
                                         "\tx",
                                         "\xc3\xa9",
                                         "x:",
                                         "[a b, c]",
                                         "[(x), y+z]",
                                         "[-a]",
                                         "[a, -b]",
                                         "[a:b]",
                                         "[a, [b]]",
                                         "[a], [b]",
                                         "'a\"b'",
                                         "a \"b\" c",
                                         "{}",
                                         "'a: b'",
                                         "a'",
                                         "..",
                                         "---",
                                         "=",
                                         "a\\b",
                                         "\"a\\b\"",
                                         "[a b]",
                                         "[a  b]",
                                         "[a ,b]",
                                         "[a,  b]",
                                         "[ ]",
                                         "[a/b, c.d]"};
    static const char *const forms[] = {"K: V",   "K:V",      "K :V",  "K:",     "# K V", "",
                                        "  - KV", " K: V",    "- K V", "K: V\r", "K:  V", "K: V ",
                                        "? K V",  "K: V # c", "#K: V", "K:   V"};
    unsigned long long seed = 987654321;
    size_t read = 0, n = 30000;
    char text[2048];
    for (size_t i = 0; i < n; i++) {
        size_t at = 0;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t lines = (size_t)(seed >> 60) % 7 + 1;
        for (size_t l = 0; l < lines; l++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned r = (unsigned)(seed >> 33);
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
        text[at] = '\0';
        read += (size_t)plain_agrees(text, (int)(seed >> 50) % 3, NULL);
    }
    cr_expect_gt(read, n / 20, "read %zu of %zu", read, n);
    cr_expect_lt(read, n * 9 / 10, "read %zu of %zu", read, n);
    cr_log_info("read %zu of %zu", read, n);
}

/* The breaks YAML reads, which init's copy of _config.yml splits lines at
 * so that its line numbers are the tree's. */
Test(yaml, break_len)
{
    static const struct {
        const char *s;
        size_t n, len;
    } cases[] = {
        {"\n", 1, 1},           {"\r\n", 2, 2},         {"\r", 1, 1},           {"\rx", 2, 1},
        {"\xC2\x85", 2, 2},     {"\xE2\x80\xA8", 3, 3}, {"\xE2\x80\xA9", 3, 3}, {"\xE2\x80", 2, 0},
        {"\xE2\x80\xA8", 2, 0}, {"x\n", 2, 0},          {"\xC2\xA0", 2, 0},     {"", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_eq(yamltree_break_len(cases[i].s, cases[i].n), cases[i].len, "case %zu", i);
    /* A CR alone is a line of its own: the tree's next line. */
    yaml_node *y = NULL;
    diags *d = diag_new(NULL);
    cr_assert_eq(yamltree_parse(&y,
                                "a: 1\rb: 2\xC2\x85"
                                "c: 3\n",
                                16, "t.yml", 0, d),
                 0);
    cr_expect_eq(yamltree_line(yamltree_get(y, "b")), 2);
    cr_expect_eq(yamltree_line(yamltree_get(y, "c")), 3);
    yamltree_free(y);
    diag_free(d);
}
