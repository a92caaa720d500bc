/* test_json: JSON string escaping (quotes, backslash, control characters,
 * invalid UTF-8 as \ufffd), then the writer: commas and colons, one-line and
 * block containers nested in each other, empty containers, values, and a
 * value written at an indentation level inside a larger document. */
#include "unit.h"

#include "json.h"

/* ---- json_string ---- */

static const struct {
    const char *name;
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *want;
} string_cases[] = {
    {"empty", "", 0, "\"\""},
    {"plain", "hello", 0, "\"hello\""},
    {"quote and backslash", "a\"b\\c", 0, "\"a\\\"b\\\\c\""},
    {"slash and xml specials left alone", "a/b<&>'", 0, "\"a/b<&>'\""},
    {"newline tab cr", "a\nb\tc\rd", 0, "\"a\\nb\\tc\\rd\""},
    {"control chars", "\x01\x08\x0c\x1b\x1f", 0, "\"\\u0001\\u0008\\u000c\\u001b\\u001f\""},
    {"delete", "\x7f", 0, "\"\\u007f\""},
    {"embedded NUL", "a\0b", 3, "\"a\\u0000b\""},
    {"two-byte kept", "caf\xC3\xA9", 0, "\"caf\xC3\xA9\""},
    {"three-byte kept", "\xE2\x82\xAC", 0, "\"\xE2\x82\xAC\""},
    {"four-byte kept", "\xF0\x9F\x98\x80", 0, "\"\xF0\x9F\x98\x80\""},
    {"max code point kept", "\xF4\x8F\xBF\xBF", 0, "\"\xF4\x8F\xBF\xBF\""},
    {"stray 0xff", "a\xFFz", 0, "\"a\\ufffdz\""},
    {"lone continuation", "\x80", 0, "\"\\ufffd\""},
    {"truncated at end", "a\xC3", 0, "\"a\\ufffd\""},
    {"truncated before ascii", "\xE2\x82z", 0, "\"\\ufffd\\ufffdz\""},
    {"overlong two-byte", "\xC0\xAF", 0, "\"\\ufffd\\ufffd\""},
    {"overlong three-byte", "\xE0\x80\xAF", 0, "\"\\ufffd\\ufffd\\ufffd\""},
    {"surrogate", "\xED\xA0\x80", 0, "\"\\ufffd\\ufffd\\ufffd\""},
    {"above U+10FFFF", "\xF4\x90\x80\x80", 0, "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
    {"length bounds the input", "ab\"cd", 3, "\"ab\\\"\""},
};

Test(json, string_escapes)
{
    for (size_t i = 0; i < COUNT(string_cases); i++) {
        buf b;
        buf_init(&b);
        const char *in = string_cases[i].in;
        json_string(&b, in, string_cases[i].len ? string_cases[i].len : strlen(in));
        cr_expect_str_eq(b.data, string_cases[i].want, "case '%s'", string_cases[i].name);
        buf_release(&b);
    }
}

/* json_string as it was written first, a byte at a time: what the
 * run-at-a-time version must still give, on every input. */
static void reference_string(buf *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    buf_addc(out, '"');
    for (size_t i = 0; i < len;) {
        unsigned c = u[i];
        size_t n = c >= 0x80 ? utf8_seq_len(u + i, len - i) : 1;
        if (c == '"' || c == '\\')
            buf_printf(out, "\\%c", c);
        else if (c == '\n')
            buf_adds(out, "\\n");
        else if (c == '\t')
            buf_adds(out, "\\t");
        else if (c == '\r')
            buf_adds(out, "\\r");
        else if (c < 0x20 || c == 0x7F)
            buf_printf(out, "\\u%04x", c);
        else if (n == 0)
            buf_adds(out, "\\ufffd");
        else
            buf_add(out, s + i, n);
        i += n ? n : 1;
    }
    buf_addc(out, '"');
}

/* Random strings (a fixed seed) drawn from the bytes that matter: plain
 * ASCII, alone and in runs longer than the eight bytes json_string takes
 * at once, the escaped ones, and pieces of valid and broken UTF-8, so that
 * each falls at every place in a word. */
Test(json, string_as_a_byte_at_a_time)
{
    static const char *const pieces[] = {"a",
                                         "abcdefgh",
                                         "0123456789 text",
                                         "Review the policy yearly.",
                                         "Z",
                                         " ",
                                         "~",
                                         "\"",
                                         "\\",
                                         "\n",
                                         "\t",
                                         "\r",
                                         "\x01",
                                         "\x1f",
                                         "\x7f",
                                         "\xC3\xA9",
                                         "\xE2\x82\xAC",
                                         "\xF0\x9F\x98\x80",
                                         "\xC3",
                                         "\xE2\x82",
                                         "\x80",
                                         "\xFF",
                                         "\xC0\xAF",
                                         "\xED\xA0\x80",
                                         "\xF4\x90\x80\x80"};
    unsigned seed = 12345;
    buf in, got, want;
    buf_init(&in);
    buf_init(&got);
    buf_init(&want);
    for (int round = 0; round < 20000; round++) {
        buf_reset(&in);
        buf_reset(&got);
        buf_reset(&want);
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % 40;
        for (size_t k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            buf_adds(&in, pieces[(seed >> 16) % COUNT(pieces)]);
        }
        if (round % 7 == 0)
            buf_add(&in, "\0x", 2); /* a NUL inside */
        json_string(&got, in.data, in.len);
        reference_string(&want, in.data, in.len);
        cr_assert_eq(got.len, want.len, "round %d", round);
        cr_assert_eq(memcmp(got.data, want.data, got.len), 0, "round %d", round);
    }
    buf_release(&in);
    buf_release(&got);
    buf_release(&want);
}

Test(json, string_appends)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "{\"k\":");
    json_string(&b, "v", 1);
    buf_addc(&b, '}');
    cr_assert_str_eq(b.data, "{\"k\":\"v\"}");
    buf_release(&b);
}

/* ---- the writer ---- */

/* Runs fn with a writer on a fresh buffer at indentation level `indent`;
 * returns the bytes (caller frees). */
static char *written(void (*fn)(json_writer *), int indent)
{
    buf b;
    buf_init(&b);
    json_writer w;
    json_writer_init(&w, &b, indent);
    fn(&w);
    json_writer_release(&w);
    return buf_detach(&b);
}

#define expect_written(fn, indent, want)                                                           \
    do {                                                                                           \
        char *got_ = written(fn, indent);                                                          \
        cr_expect_str_eq(got_, (want));                                                            \
        free(got_);                                                                                \
    } while (0)

static void line_object(json_writer *w)
{
    json_begin_object(w, JSON_LINE);
    json_member_str(w, "s", "a\"b");
    json_member_str(w, "none", NULL);
    json_member_int(w, "n", -42);
    json_key(w, "t");
    json_bool(w, 1);
    json_key(w, "f");
    json_bool(w, 0);
    json_key(w, "z");
    json_null(w);
    json_key(w, "bytes");
    json_strn(w, "a\0b", 3);
    json_end(w);
}

Test(json, line_object_places_commas_and_colons)
{
    expect_written(line_object, 0,
                   "{\"s\": \"a\\\"b\", \"none\": null, \"n\": -42, \"t\": true, \"f\": false, "
                   "\"z\": null, \"bytes\": \"a\\u0000b\"}");
}

static void empties(json_writer *w)
{
    json_begin_array(w, JSON_BLOCK);
    json_begin_object(w, JSON_BLOCK);
    json_end(w);
    json_begin_array(w, JSON_LINE);
    json_end(w);
    json_begin_array(w, JSON_BLOCK);
    json_end(w);
    json_end(w);
}

Test(json, empty_containers_are_closed_on_their_line)
{
    expect_written(empties, 0, "[\n  {},\n  [],\n  []\n]");
}

/* The shape of api/pages.json: blocks in blocks, one-line rows inside. */
static void nested(json_writer *w)
{
    json_begin_object(w, JSON_BLOCK);
    json_member_str(w, "schema", "x@1");
    json_key(w, "pages");
    json_begin_array(w, JSON_BLOCK);
    json_begin_object(w, JSON_BLOCK);
    json_member_str(w, "url", "/a/");
    json_key(w, "history");
    json_begin_array(w, JSON_BLOCK);
    for (int i = 0; i < 2; i++) {
        json_begin_object(w, JSON_LINE);
        json_member_int(w, "i", i);
        json_key(w, "by");
        json_begin_array(w, JSON_LINE);
        json_str(w, "a");
        json_str(w, "b");
        json_end(w);
        json_end(w);
    }
    json_end(w);
    json_key(w, "tags");
    json_begin_array(w, JSON_BLOCK);
    json_str(w, "x");
    json_end(w);
    json_end(w);
    json_end(w);
    json_end(w);
}

Test(json, blocks_indent_two_spaces_per_level)
{
    expect_written(nested, 0,
                   "{\n"
                   "  \"schema\": \"x@1\",\n"
                   "  \"pages\": [\n"
                   "    {\n"
                   "      \"url\": \"/a/\",\n"
                   "      \"history\": [\n"
                   "        {\"i\": 0, \"by\": [\"a\", \"b\"]},\n"
                   "        {\"i\": 1, \"by\": [\"a\", \"b\"]}\n"
                   "      ],\n"
                   "      \"tags\": [\n"
                   "        \"x\"\n"
                   "      ]\n"
                   "    }\n"
                   "  ]\n"
                   "}");
}

/* The shape of search.json: a block inside a one-line object indents by
 * the blocks around it only. */
static void block_in_line(json_writer *w)
{
    json_begin_object(w, JSON_LINE);
    json_key(w, "pages");
    json_begin_array(w, JSON_BLOCK);
    json_begin_object(w, JSON_LINE);
    json_member_str(w, "t", "a");
    json_end(w);
    json_begin_object(w, JSON_LINE);
    json_member_str(w, "t", "b");
    json_end(w);
    json_end(w);
    json_end(w);
}

Test(json, block_inside_a_line)
{
    expect_written(block_in_line, 0, "{\"pages\": [\n  {\"t\": \"a\"},\n  {\"t\": \"b\"}\n]}");
}

/* An element copied in by other means (its comma and line included, as
 * api/pages.json's entries copied from the previous build are): counted
 * with json_member_written, the next element gets its comma. */
static void copied_member(json_writer *w)
{
    json_begin_array(w, JSON_BLOCK);
    buf_adds(w->out, "\n  1");
    json_member_written(w);
    json_int(w, 2);
    json_end(w);
}

Test(json, a_member_written_by_other_means_gets_its_comma)
{
    expect_written(copied_member, 0, "[\n  1,\n  2\n]");
}

static void fragment(json_writer *w)
{
    json_begin_object(w, JSON_BLOCK);
    json_member_str(w, "k", "v");
    json_end(w);
}

Test(json, fragment_starts_at_its_indent)
{
    expect_written(fragment, 3, "{\n        \"k\": \"v\"\n      }");
}

static void scalar(json_writer *w)
{
    json_str(w, "top");
}

Test(json, scalar_document)
{
    expect_written(scalar, 0, "\"top\"");
}

/* Deeper than the writer's first allocation of levels. */
static void deep(json_writer *w)
{
    for (int i = 0; i < 40; i++)
        json_begin_array(w, JSON_LINE);
    json_int(w, 1);
    for (int i = 0; i < 40; i++)
        json_end(w);
}

Test(json, deep_nesting)
{
    char want[82];
    memset(want, '[', 40);
    want[40] = '1';
    memset(want + 41, ']', 40);
    want[81] = '\0';
    expect_written(deep, 0, want);
}

Test(json, release_accepts_null)
{
    json_writer_release(NULL);
}
