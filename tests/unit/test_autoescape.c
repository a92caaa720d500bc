/* test_autoescape: the auto-escape context scanner: which escaping a variable
 * gets after a given stretch of template text, in each starting mode, and the
 * inputs it refuses. (tests/ctemplate-oracle/context-diff.cc compares every
 * state with upstream's scanner on random input.) */
#include "unit.h"

#include "autoescape.h"

typedef struct choose_case {
    ae_mode mode;
    const char *text; /* the template text before the variable */
    ae_escape want;
} choose_case;

static const choose_case choose_cases[] = {
    {AE_MODE_HTML, "", AE_ESC_HTML},
    {AE_MODE_HTML, "<p>Hello ", AE_ESC_HTML},
    {AE_MODE_HTML, "<!-- a ", AE_ESC_HTML},
    {AE_MODE_HTML, "<", AE_ESC_HTML_UNQUOTED},
    {AE_MODE_HTML, "<a ", AE_ESC_HTML_UNQUOTED},
    {AE_MODE_HTML, "<a class=\"", AE_ESC_HTML},
    {AE_MODE_HTML, "<a class='x ", AE_ESC_HTML},
    {AE_MODE_HTML, "<table border=", AE_ESC_HTML_UNQUOTED},
    {AE_MODE_HTML, "<a href=\"", AE_ESC_URL_HTML},
    {AE_MODE_HTML, "<a HREF='", AE_ESC_URL_HTML},
    {AE_MODE_HTML, "<img src=\"/i?x=", AE_ESC_HTML},
    {AE_MODE_HTML, "<a href=/q?x=", AE_ESC_URL_QUERY},
    {AE_MODE_HTML, "<a href=", AE_ESC_FAIL},
    {AE_MODE_HTML, "<meta http-equiv=\"refresh\" content=\"5; url=", AE_ESC_URL_HTML},
    {AE_MODE_HTML, "<meta http-equiv=\"refresh\" content=\"5; url=/x", AE_ESC_HTML},
    {AE_MODE_HTML, "<meta name=\"d\" content=\"", AE_ESC_HTML},
    {AE_MODE_HTML, "<div style=\"color:", AE_ESC_STYLE},
    {AE_MODE_HTML, "<div style=", AE_ESC_FAIL},
    {AE_MODE_HTML, "<a onclick=\"f('", AE_ESC_JS},
    {AE_MODE_HTML, "<a onclick=\"f(", AE_ESC_JS_NUMBER},
    {AE_MODE_HTML, "<a onclick=\"f(&quot;", AE_ESC_JS},
    {AE_MODE_HTML, "<a onclick=f(", AE_ESC_FAIL},
    {AE_MODE_HTML, "<script>var a = '", AE_ESC_JS},
    {AE_MODE_HTML, "<script>var a = \"x\\\"", AE_ESC_JS},
    {AE_MODE_HTML, "<script>var a = ", AE_ESC_JS_NUMBER},
    {AE_MODE_HTML, "<script>var a = /'/; b = ", AE_ESC_JS_NUMBER},
    {AE_MODE_HTML, "<script>var a = x / 2; '", AE_ESC_JS},
    {AE_MODE_HTML, "<script>// it's\n", AE_ESC_JS_NUMBER},
    {AE_MODE_HTML, "<script>x</script><p>", AE_ESC_HTML},
    {AE_MODE_HTML, "<style>p { color: ", AE_ESC_STYLE},
    {AE_MODE_HTML, "<title>", AE_ESC_HTML},
    {AE_MODE_HTML, "<textarea>", AE_ESC_HTML},
    {AE_MODE_HTML_IN_TAG, "", AE_ESC_HTML_UNQUOTED},
    {AE_MODE_HTML_IN_TAG, "class=\"", AE_ESC_HTML},
    {AE_MODE_JS, "var a = ", AE_ESC_JS_NUMBER},
    {AE_MODE_JS, "var a = '", AE_ESC_JS},
};

Test(autoescape, choose)
{
    for (size_t i = 0; i < COUNT(choose_cases); i++) {
        const choose_case *c = &choose_cases[i];
        ae_parser *p = ae_new(c->mode);
        cr_assert_eq(ae_feed(p, c->text, strlen(c->text)), 0, "%s", c->text);
        const char *kind = NULL, *attr = NULL;
        cr_expect_eq(ae_choose(p, &kind, &attr), c->want, "mode %d, '%s'", c->mode, c->text);
        ae_free(p);
    }
}

Test(autoescape, failure_names_the_attribute)
{
    ae_parser *p = ae_new(AE_MODE_HTML);
    ae_feed(p, "<a href=", 8);
    const char *kind = NULL, *attr = NULL;
    cr_assert_eq(ae_choose(p, &kind, &attr), AE_ESC_FAIL);
    cr_expect_str_eq(kind, "URL");
    cr_expect_str_eq(attr, "href");
    ae_free(p);
}

Test(autoescape, variable_in_unquoted_value_is_value_text)
{
    /* "<a b={{X}} c=" : after the variable the space ends the value, as in
     * the browser, instead of "c=" being taken for b's value. */
    ae_parser *p = ae_new(AE_MODE_HTML);
    ae_feed(p, "<a b=", 5);
    cr_assert_eq(ae_choose(p, NULL, NULL), AE_ESC_HTML_UNQUOTED);
    ae_feed(p, " c=\"", 4);
    cr_expect_eq(ae_state(p), AE_VALUE);
    cr_expect_str_eq(ae_attr(p), "c");
    ae_free(p);
}

static const char *const refused[] = {"<a =b>", "<a&", "<a b+", "</$"};

Test(autoescape, refuses_what_upstream_refuses)
{
    for (size_t i = 0; i < COUNT(refused); i++) {
        ae_parser *p = ae_new(AE_MODE_HTML);
        cr_expect_eq(ae_feed(p, refused[i], strlen(refused[i])), -1, "%s", refused[i]);
        cr_expect_eq(ae_state(p), AE_ERROR, "%s", refused[i]);
        ae_free(p);
    }
    ae_free(NULL);
}

Test(autoescape, names_are_lowercased_and_tracked)
{
    ae_parser *p = ae_new(AE_MODE_HTML);
    ae_feed(p, "<SCRIPT type=x>", 15);
    cr_expect_str_eq(ae_tag(p), "script");
    cr_expect(ae_in_js(p));
    ae_feed(p, "</script >", 10);
    cr_expect_null(ae_tag(p));
    cr_expect_not(ae_in_js(p));
    ae_free(p);
}
