/* test_xml: the XML writer's escaping (the five special characters), the XML
 * 1.0 character rules (disallowed controls, U+FFFE and U+FFFF dropped) and
 * the repair of invalid UTF-8 to U+FFFD, then the element and attribute
 * helpers. Outputs are pinned byte for byte. */
#include "unit.h"

#include "xml.h"

#define FFFD "\xEF\xBF\xBD"

static const struct {
    const char *name;
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *want;
} escape_cases[] = {
    {"empty", "", 0, ""},
    {"plain", "hello, world", 0, "hello, world"},
    {"five specials", "a&b<c>d\"e'f", 0, "a&amp;b&lt;c&gt;d&quot;e&#39;f"},
    {"file name", "R&D <plan>.md", 0, "R&amp;D &lt;plan&gt;.md"},
    {"entity-looking text", "&amp;", 0, "&amp;amp;"},
    {"tab lf cr kept", "a\tb\nc\rd", 0, "a\tb\nc\rd"},
    {"C0 controls dropped", "a\001b\x1b[1mc\014d\x1f", 0, "ab[1mcd"},
    {"NUL dropped", "a\0b", 3, "ab"},
    {"only controls", "\x01\x02\x03", 0, ""},
    {"DEL and C1 kept", "\x7f\xC2\x85", 0, "\x7f\xC2\x85"},
    {"U+FFFE dropped", "a\357\277\276b", 0, "ab"},
    {"U+FFFF dropped", "a\357\277\277b", 0, "ab"},
    {"U+FFFD kept", "\xEF\xBF\xBD", 0, FFFD},
    {"U+FFEF kept", "\xEF\xBF\xAF", 0, "\xEF\xBF\xAF"},
    {"two-byte kept", "caf\xC3\xA9", 0, "caf\xC3\xA9"},
    {"four-byte kept", "\xF0\x9F\x98\x80", 0, "\xF0\x9F\x98\x80"},
    {"stray 0xff", "a\xFFz", 0, "a" FFFD "z"},
    {"lone continuation", "\x80", 0, FFFD},
    {"truncated at end", "a\xC3", 0, "a" FFFD},
    {"truncated before special", "\xE2\x82<", 0, FFFD FFFD "&lt;"},
    {"overlong slash", "\xC0\xAF", 0, FFFD FFFD},
    {"surrogate", "\xED\xA0\x80", 0, FFFD FFFD FFFD},
    {"above U+10FFFF", "\xF4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD},
    {"length bounds the input", "ab&cd", 3, "ab&amp;"},
};

Test(xml, escape)
{
    for (size_t i = 0; i < COUNT(escape_cases); i++) {
        buf b;
        buf_init(&b);
        const char *in = escape_cases[i].in;
        xml_escape(&b, in, escape_cases[i].len ? escape_cases[i].len : strlen(in));
        cr_expect_str_eq(b.data, escape_cases[i].want, "case '%s'", escape_cases[i].name);
        cr_expect_eq(b.len, strlen(escape_cases[i].want), "case '%s'", escape_cases[i].name);
        buf_release(&b);
    }
}

Test(xml, escapes_appends_and_takes_null)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "<t>");
    xml_escapes(&b, "x<y");
    xml_escapes(&b, NULL);
    buf_adds(&b, "</t>");
    cr_assert_str_eq(b.data, "<t>x&lt;y</t>");
    buf_release(&b);
}

Test(xml, elem_indents_escapes_and_ends_the_line)
{
    buf b;
    buf_init(&b);
    xml_elem(&b, 4, "title", "Revise R&D \x01plan\x1b");
    xml_elem(&b, 0, "name", NULL);
    cr_assert_str_eq(b.data, "    <title>Revise R&amp;D plan</title>\n<name></name>\n");
    buf_release(&b);
}

Test(xml, attr_escapes_quotes)
{
    buf b;
    buf_init(&b);
    buf_adds(&b, "<link");
    xml_attr(&b, "href", "/a?b=\"c\"&d='e'");
    xml_attr(&b, "title", NULL);
    buf_adds(&b, "/>");
    cr_assert_str_eq(b.data, "<link href=\"/a?b=&quot;c&quot;&amp;d=&#39;e&#39;\" title=\"\"/>");
    buf_release(&b);
}
