/* autoescape: the context tracker behind ctemplate's {{%AUTOESCAPE}} pragma.
 * A small streaming HTML/JavaScript scanner, fed a template's text as it is
 * parsed, that tells which escaping a variable at the current position needs
 * (text, quoted or unquoted attribute, URL, style, script, string literal).
 * It mirrors the behaviour of upstream's streamhtmlparser, which the tests
 * compare it with character by character (tests/ctemplate-oracle/). */
#ifndef CHARTER_AUTOESCAPE_H
#define CHARTER_AUTOESCAPE_H

#include <stddef.h>

/* What the scanner is reading when it starts (the pragma's context/state). */
typedef enum ae_mode { AE_MODE_HTML, AE_MODE_JS, AE_MODE_CSS, AE_MODE_HTML_IN_TAG } ae_mode;

/* The escaping a variable needs at the current position. */
typedef enum ae_escape {
    AE_ESC_HTML,          /* :h */
    AE_ESC_HTML_UNQUOTED, /* :H=attribute */
    AE_ESC_JS,            /* :j */
    AE_ESC_JS_NUMBER,     /* :J=number */
    AE_ESC_URL_HTML,      /* :U=html */
    AE_ESC_URL_QUERY,     /* :u */
    AE_ESC_STYLE,         /* :c */
    AE_ESC_FAIL           /* no safe escaping: the template must not load */
} ae_escape;

/* Externally visible scanner states (as upstream's htmlparser_state). */
enum { AE_TEXT, AE_TAG, AE_ATTR, AE_VALUE, AE_COMMENT, AE_JS_FILE, AE_CSS_FILE, AE_ERROR };
/* Attribute types (as upstream's htmlparser_attr_type). */
enum { AE_ATTR_NONE, AE_ATTR_REGULAR, AE_ATTR_URI, AE_ATTR_JS, AE_ATTR_STYLE };

typedef struct ae_parser ae_parser;

/* Returns a new scanner in `mode`; the caller frees it with ae_free. */
ae_parser *ae_new(ae_mode mode);
void ae_free(ae_parser *p);
/* Feeds text[0..len) to the scanner. Returns 0, or -1 once the scanner met
 * input upstream's parser refuses (it then stays in AE_ERROR). */
int ae_feed(ae_parser *p, const char *text, size_t len);
/* The escaping for a variable at the current position. On AE_ESC_FAIL the
 * value of an attribute that needs quotes is unquoted: *kind (when not NULL)
 * is set to its kind ("URL", "style", "JavaScript") and *attr to its name
 * (borrowed from p). In an attribute value the variable then counts as text
 * of the value, as upstream's InsertText does; ae_insert_text does only that. */
ae_escape ae_choose(ae_parser *p, const char **kind, const char **attr);
void ae_insert_text(ae_parser *p);

/* Queries, for the differential tests against upstream's parser. */
int ae_state(const ae_parser *p);
int ae_in_js(const ae_parser *p);
int ae_is_attr_quoted(const ae_parser *p);
int ae_attr_type(const ae_parser *p);
int ae_value_index(const ae_parser *p);
int ae_in_css(const ae_parser *p);
int ae_is_url_start(const ae_parser *p);
int ae_is_js_quoted(const ae_parser *p);
int ae_js_state(const ae_parser *p);
/* The current tag and attribute names, or NULL (borrowed from p). */
const char *ae_tag(const ae_parser *p);
const char *ae_attr(const ae_parser *p);

#endif
