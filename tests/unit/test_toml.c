/* TOML front matter (toml.c): Hugo's `+++` block read into the tree YAML
 * front matter gives, every node at its line and column; TOML's rules on
 * keys and tables enforced; bounded nesting, keys and values. */
#include "frontmatter.h"
#include "toml.h"
#include "unit.h"
#include "yamltree.h"

static yaml_node *parse_ok(const char *text)
{
    diags *d = diag_new(NULL);
    yaml_node *n = NULL;
    int rc = toml_parse(&n, text, strlen(text), "p.md", 1, NULL, d);
    char *got = unit_diag_text(d);
    cr_assert_eq(rc, 0, "%s: %s", text, got);
    free(got);
    diag_free(d);
    return n;
}

static void expect_error(const char *text, const char *want)
{
    diags *d = diag_new(NULL);
    yaml_node *n = NULL;
    int rc = toml_parse(&n, text, strlen(text), "p.md", 1, NULL, d);
    char *got = unit_diag_text(d);
    cr_expect_eq(rc, -1, "%s: accepted", text);
    cr_expect_null(n);
    cr_expect(strstr(got, want) != NULL, "%s:\n got  %s\n want %s", text, got, want);
    free(got);
    diag_free(d);
    yamltree_free(n);
}

static const char *text_at(const yaml_node *m, const char *key)
{
    const yaml_node *v = yamltree_get(m, key);
    cr_assert_not_null(v, "no '%s'", key);
    return yamltree_text(v);
}

/* The values of Hugo's front matter: strings quoted, the rest plain, each
 * at its line and column (line_offset 1: the block starts on line 2). */
Test(toml, values)
{
    yaml_node *n = parse_ok("title = \"Access \\\"Control\\\" \\u00e9\"\n"
                            "owner = 'C:\\path'  # a comment\n"
                            "last_reviewed = 2026-03-16\n"
                            "weight = 1_000\n"
                            "draft = false\n"
                            "ratio = -1.5e3\n"
                            "when = 1979-05-27 07:32:00Z\n"
                            "\"quoted key\" = 1\n");
    cr_expect_str_eq(text_at(n, "title"), "Access \"Control\" \xc3\xa9");
    cr_expect_eq(yamltree_plain(yamltree_get(n, "title")), 0);
    cr_expect_eq(yamltree_line(yamltree_get(n, "title")), 2);
    cr_expect_eq(yamltree_col(yamltree_get(n, "title")), 9);
    cr_expect_str_eq(text_at(n, "owner"), "C:\\path");
    cr_expect_str_eq(text_at(n, "last_reviewed"), "2026-03-16");
    cr_expect_eq(yamltree_plain(yamltree_get(n, "last_reviewed")), 1);
    cr_expect_str_eq(text_at(n, "weight"), "1000");
    cr_expect_str_eq(text_at(n, "draft"), "false");
    cr_expect_str_eq(text_at(n, "ratio"), "-1.5e3");
    cr_expect_str_eq(text_at(n, "when"), "1979-05-27 07:32:00Z");
    cr_expect_str_eq(text_at(n, "quoted key"), "1");
    cr_expect_eq(yamltree_line(yamltree_key(n, 0)), 2);
    cr_expect_eq(yamltree_col(yamltree_key(n, 0)), 1);
    yamltree_free(n);
}

Test(toml, multiline_strings)
{
    yaml_node *n = parse_ok("a = \"\"\"\nOne\ntwo\"\"\"\n"
                            "b = \"\"\"\\\n    joined \\\n    here\"\"\"\n"
                            "c = '''\nraw \\n kept'''\n"
                            "d = \"\"\"quote: \"\"\"\"\"\n");
    cr_expect_str_eq(text_at(n, "a"), "One\ntwo");
    cr_expect_str_eq(text_at(n, "b"), "joined here");
    cr_expect_str_eq(text_at(n, "c"), "raw \\n kept");
    cr_expect_str_eq(text_at(n, "d"), "quote: \"\"");
    cr_expect_eq(yamltree_line(yamltree_key(n, 1)), 5);
    yamltree_free(n);
    /* A CRLF inside is a newline, as tomllib and YAML's block scalars read
     * it: a page saved on Windows reads the same. */
    n = parse_ok("a = \"\"\"\r\nOne\r\n\r\ntwo\"\"\"\r\nb = '''x\r\ny'''\r\n");
    cr_expect_str_eq(text_at(n, "a"), "One\n\ntwo");
    cr_expect_str_eq(text_at(n, "b"), "x\ny");
    yamltree_free(n);
}

/* Arrays over lines with comments and a trailing comma; inline tables;
 * dotted keys; [tables] and [[arrays of tables]], whose later [x.y] goes
 * into the newest table. */
Test(toml, structure)
{
    yaml_node *n = parse_ok("controls = [\n  \"A.5.15\", # rules\n  \"A.8.2\",\n]\n"
                            "point = { x = 1, y = \"two\" }\n"
                            "site.name = \"x\"\n"
                            "[params]\nclassification = \"Internal\"\nreview.cycle = \"12m\"\n"
                            "[[history]]\nversion = \"1.0\"\n[history.meta]\nby = \"A\"\n"
                            "[[history]]\nversion = \"1.1\"\n[history.meta]\nby = \"B\"\n");
    const yaml_node *c = yamltree_get(n, "controls");
    cr_assert_eq(yamltree_kind(c), YAML_SEQUENCE);
    cr_assert_eq(yamltree_len(c), 2);
    cr_expect_str_eq(yamltree_text(yamltree_item(c, 1)), "A.8.2");
    cr_expect_eq(yamltree_line(yamltree_item(c, 1)), 4);
    cr_expect_eq(yamltree_col(yamltree_item(c, 1)), 3);
    cr_expect_str_eq(text_at(yamltree_get(n, "point"), "y"), "two");
    cr_expect_str_eq(text_at(yamltree_get(n, "site"), "name"), "x");
    const yaml_node *p = yamltree_get(n, "params");
    cr_expect_str_eq(text_at(p, "classification"), "Internal");
    cr_expect_str_eq(text_at(yamltree_get(p, "review"), "cycle"), "12m");
    const yaml_node *h = yamltree_get(n, "history");
    cr_assert_eq(yamltree_kind(h), YAML_SEQUENCE);
    cr_assert_eq(yamltree_len(h), 2);
    cr_expect_str_eq(text_at(yamltree_item(h, 1), "version"), "1.1");
    cr_expect_str_eq(text_at(yamltree_get(yamltree_item(h, 0), "meta"), "by"), "A");
    cr_expect_str_eq(text_at(yamltree_get(yamltree_item(h, 1), "meta"), "by"), "B");
    yamltree_free(n);
}

/* What TOML refuses, each at its place. */
Test(toml, errors)
{
    yaml_node *n;
    expect_error("title = \"X\nowner = 1\n",
                 "p.md:2:9: error: a string opened here is never closed [toml-syntax]");
    expect_error("a = 1\na = 2\n", "p.md:3:1: error: duplicate key 'a' [yaml-duplicate-key]");
    expect_error("[t]\nx = 1\n[t]\ny = 2\n", "p.md:4:2: error: table 't' is defined twice");
    expect_error("a = 1\n[a]\n", "'a' is already a value, not a table");
    expect_error("a = 1\n[a.b]\n", "'a' is already a value, not a table");
    expect_error("x = [1, 2\n", "an array is never closed [toml-syntax]");
    expect_error("x = \n", "p.md:2:5: error: expected a value");
    expect_error("x = 1 2\n", "expected the end of the line after a value");
    expect_error("x = \"\\q\"\n", "unknown escape '\\q'");
    expect_error("x = \"\\uD800\"\n", "is not a Unicode character");
    expect_error("x = \"a\x01\"\n", "control character in a string");
    expect_error("x = \"\xff\"\n", "invalid UTF-8 in a string");
    expect_error("= 1\n", "expected a key");
    expect_error("x = {a = 1\n", "expected ',' or '}' in an inline table");
    expect_error("[[a]]\n[a]\n", "table 'a' is defined twice");
    expect_error("a = [1]\n[[a]]\n", "'a' is already defined, not as an array of tables");
    /* What TOML 1.0 refuses and HEAD~1 took (a differential run against
     * Python's tomllib): an inline table extended, a table of dotted keys
     * opened again by a header, numbers and dates that are none, invalid
     * UTF-8 in a comment. */
    expect_error("a = {x = 1}\na.c = 2\n", "'a' is an inline table, which nothing extends");
    expect_error("a = {x = 1}\n[a.b]\n", "'a' is an inline table, which nothing extends");
    expect_error("a = {x = 1}\n[a]\n", "table 'a' is defined twice");
    expect_error("a.b = 1\n[a]\n", "table 'a' is defined twice");
    expect_error("[t]\nb.c = 1\n[t.b]\n", "table 'b' is defined twice");
    static const char *const bad[] = {"12abc",
                                      "1_",
                                      "1__0",
                                      "0x_1",
                                      "01",
                                      "1E",
                                      "5.",
                                      "2024-1-1",
                                      "1979-02-30",
                                      "2023-02-29",
                                      "+0x1",
                                      "1.e5",
                                      "07:32:00.9.9",
                                      "1979-05-27T25:00:00",
                                      "1979-05-27T07:32:00+24:00"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        char doc[96];
        snprintf(doc, sizeof doc, "v = %s\n", bad[i]);
        expect_error(doc, "is no TOML value");
    }
    expect_error("# caf\xe9\n", "invalid UTF-8 in a comment");
    /* A second differential run (tomllib): keys spelt with the bytes the
     * tables' paths were joined with, or holding a NUL, passed for other
     * keys (an abort in yamltree_append; a table merged into another);
     * dotted keys added to a table a header defined and to an array of
     * tables. Tables are now known by their node, keys by all their
     * bytes. */
    expect_error("\"x\\u001fy\" = [1]\n[[x.y]]\n[\"x\\u001fy\".z]\n",
                 "p.md:4:2: error: 'x\x1fy' is already a value, not a table");
    expect_error("\"x\\u001fy\" = []\n[[x.y]]\n[\"x\\u001fy\".z]\n", "already a value");
    expect_error("\"a\\u0000b\" = 1\n\"a\\u0000b\" = 2\n", "duplicate key");
    expect_error("[a.b]\n[a]\nb.c = 1\n",
                 "p.md:4:1: error: 'b' is a table a [header] defines; a dotted key cannot add to "
                 "it [yaml-duplicate-key]");
    expect_error("[[t.arr]]\nx = 1\n[t]\narr.y = 2\n",
                 "'arr' is an array of tables; a dotted key cannot add to it");
    expect_error("[a.b.c]\n[a]\nb.d = 1\n[a.b]\n", "table 'b' is defined twice");
    expect_error("x = 1 \xc3\xa9\n", "not the byte 0xC3");
    expect_error("x = \"\"\"\nabc\n", "p.md:2:5: error: a string opened here is never closed");
    n = parse_ok("[a]\nx = 1\n[\"a\\u0000\".y]\nz = 2\n\"a\\u0000b\".c = 3\n"
                 "[\"x\\u001fy\"]\n[x.y.z]\n[x.y]\n");
    cr_expect_eq(yamltree_len(yamltree_get(n, "a")), 1); /* x; not y */
    cr_expect_eq(yamltree_len(n), 4); /* a, a\0 (z and a\0b in its y), x\x1fy, x */
    yamltree_free(n);
    n = parse_ok("a = 0x1F\nb = 0o17\nc = 0b101\nd = 1_000\ne = -0.5e-3\nf = +inf\n"
                 "g = 2000-02-29\nh = 07:32:00.999\ni = 1979-05-27T00:32:00-07:00\n"
                 "[t]\nx.y = 1\n[t.z]\n[[u]]\n[u.v]\n[[u]]\n[u.v]\n");
    cr_expect_str_eq(text_at(n, "d"), "1000");
    cr_expect_eq(yamltree_len(yamltree_get(n, "u")), 2);
    yamltree_free(n);
}

/* Bounded: nesting past 64, keys past the cap, a value past its cap. */
Test(toml, limits)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "x = ");
    for (int i = 0; i < 100; i++)
        buf_addc(&b, '[');
    for (int i = 0; i < 100; i++)
        buf_addc(&b, ']');
    buf_addc(&b, '\n');
    expect_error(b.data, "values nested more than 64 deep [yaml-unsupported]");
    /* Inline tables in inline tables too: HEAD~1 recursed without a bound
     * (60,000 deep overflowed the stack) and took 100 deep. */
    for (int deep = 100; deep <= 60000; deep *= 600) {
        buf_reset(&b);
        buf_adds(&b, "a = ");
        for (int i = 0; i < deep; i++)
            buf_adds(&b, "{b=");
        buf_addc(&b, '1');
        for (int i = 0; i < deep; i++)
            buf_addc(&b, '}');
        buf_addc(&b, '\n');
        expect_error(b.data, "values nested more than 64 deep [yaml-unsupported]");
    }
    yamltree_limits lim = {.scalar_bytes = 8,
                           .scalar_name = "limits.scalar_bytes",
                           .keys = 3,
                           .keys_name = "limits.frontmatter_keys"};
    diags *d = diag_new(NULL);
    yaml_node *n = NULL;
    const char *keys = "a = 1\nb = 2\nc = 3\nd = 4\n";
    cr_expect_eq(toml_parse(&n, keys, strlen(keys), "p.md", 1, &lim, d), -1);
    const char *big = "a = \"123456789012\"\n";
    cr_expect_eq(toml_parse(&n, big, strlen(big), "p.md", 1, &lim, d), -1);
    char *got = unit_diag_text(d);
    cr_expect(
        strstr(got, "p.md:5:1: error: more than 3 keys (limits.frontmatter_keys) [too-large]"),
        "%s", got);
    cr_expect(strstr(got, "over the limit of 8 bytes (limits.scalar_bytes) [too-large]"), "%s",
              got);
    free(got);
    diag_free(d);
    /* Every scalar within its cap: a string one character past it (the
     * check came before the last character, and a \U escape adds four
     * bytes), a bare key, a number; a multi-line string's at its opening. */
    d = diag_new(NULL);
    static const char *const over[] = {"a = \"12345678\\U0001F600\"\n", "abcdefghij = 1\n",
                                       "a = 1234567890\n", "a = \"\"\"\n123456789\n\"\"\"\n"};
    for (size_t i = 0; i < COUNT(over); i++)
        cr_expect_eq(toml_parse(&n, over[i], strlen(over[i]), "p.md", 1, &lim, d), -1, "%s",
                     over[i]);
    got = unit_diag_text(d);
    cr_expect(strstr(got, "p.md:2:5: error: value is over the limit of 8 bytes"), "%s", got);
    cr_expect(strstr(got, "p.md:2:1: error: value is over the limit of 8 bytes"), "%s", got);
    cr_expect_eq(diag_count(d, DIAG_ERROR), 4u, "%s", got);
    free(got);
    diag_free(d);
    /* Many keys in one table: looked up at once, not one by one. */
    buf_reset(&b);
    for (int i = 0; i < 100000; i++)
        buf_printf(&b, "k%d = 1\n", i);
    n = parse_ok(b.data);
    cr_expect_eq(yamltree_len(n), 100000);
    yamltree_free(n);
    /* A long array is linear: 200,000 items. */
    buf_reset(&b);
    buf_adds(&b, "x = [");
    for (int i = 0; i < 200000; i++)
        buf_adds(&b, "1,");
    buf_adds(&b, "]\n");
    n = parse_ok(b.data);
    cr_expect_eq(yamltree_len(yamltree_get(n, "x")), 200000);
    yamltree_free(n);
    buf_release(&b);
}

/* Through frontmatter_parse_limited: `+++` opens and closes the block, the
 * body follows, and a block never closed is reported. */
Test(toml, front_matter)
{
    diags *d = diag_new(NULL);
    frontmatter fm;
    const char *page = "+++\ntitle = \"T\"\nowner = \"O\"\n+++\n# Body\n";
    cr_assert_eq(frontmatter_parse_limited(&fm, page, strlen(page), "p.md", NULL, d), 0);
    cr_expect_eq(fm.present, 1);
    cr_expect_str_eq(text_at(fm.data, "owner"), "O");
    cr_expect_eq(yamltree_line(yamltree_get(fm.data, "owner")), 3);
    cr_expect_str_eq(page + fm.body_start, "# Body\n");
    cr_expect_eq(fm.body_line, 5);
    frontmatter_release(&fm);
    const char *open = "+++\ntitle = \"T\"\n";
    cr_expect_eq(frontmatter_parse_limited(&fm, open, strlen(open), "p.md", NULL, d), -1);
    char *got = unit_diag_text(d);
    cr_expect(strstr(got, "p.md:1:1: error: front matter opened here is never closed with '+++' "
                          "[frontmatter-unterminated]"),
              "%s", got);
    free(got);
    diag_free(d);
}
