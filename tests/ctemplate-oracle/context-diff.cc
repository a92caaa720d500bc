// Differential test of charter's autoescape context scanner (generator/
// autoescape.c) against upstream's streamhtmlparser inside libctemplate:
// random HTML/JavaScript-like inputs are fed to both one byte at a time and
// every observable (state, attribute type and quoting, value index, URL
// start, CSS, JavaScript and its string state, tag and attribute names) must
// agree after every byte. Usage: context-diff [ITERATIONS [SEED]].
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
#include "autoescape.h"
}

// upstream's parser: exported by libctemplate, declared here (not installed).
namespace ctemplate_htmlparser
{
struct htmlparser_ctx_s;
htmlparser_ctx_s *htmlparser_new();
void htmlparser_delete(htmlparser_ctx_s *);
void htmlparser_reset_mode(htmlparser_ctx_s *, int);
int htmlparser_parse(htmlparser_ctx_s *, const char *, int);
int htmlparser_state(htmlparser_ctx_s *);
int htmlparser_in_js(htmlparser_ctx_s *);
int htmlparser_is_attr_quoted(htmlparser_ctx_s *);
int htmlparser_attr_type(htmlparser_ctx_s *);
int htmlparser_value_index(htmlparser_ctx_s *);
int htmlparser_in_css(htmlparser_ctx_s *);
int htmlparser_is_url_start(htmlparser_ctx_s *);
int htmlparser_is_js_quoted(htmlparser_ctx_s *);
int htmlparser_js_state(htmlparser_ctx_s *);
const char *htmlparser_tag(htmlparser_ctx_s *);
const char *htmlparser_attr(htmlparser_ctx_s *);
int htmlparser_insert_text(htmlparser_ctx_s *);
} // namespace ctemplate_htmlparser
namespace hp = ctemplate_htmlparser;

static const char *const pieces[] = {"<",
                                     ">",
                                     "/",
                                     "a",
                                     "b",
                                     "script",
                                     "style",
                                     "title",
                                     "textarea",
                                     "meta",
                                     "SCRIPT",
                                     "Style",
                                     "href",
                                     "src",
                                     "onclick",
                                     "onload",
                                     "content",
                                     "style",
                                     "class",
                                     "HREF",
                                     "data",
                                     "=",
                                     "\"",
                                     "'",
                                     " ",
                                     "\n",
                                     "\t",
                                     "!",
                                     "-",
                                     "--",
                                     "?",
                                     "&",
                                     "&amp;",
                                     "&#39;",
                                     "&quot;",
                                     "&#x27;",
                                     ";",
                                     "x",
                                     "1",
                                     "url",
                                     "URL",
                                     "*",
                                     "\\",
                                     "[",
                                     "]",
                                     "return",
                                     "typeof",
                                     "(",
                                     ")",
                                     "+",
                                     "++",
                                     "-",
                                     ":",
                                     ",",
                                     "{",
                                     "}",
                                     "5; url=",
                                     "0;URL='",
                                     "http-equiv",
                                     "refresh",
                                     "<!--",
                                     "-->",
                                     "<?",
                                     "?>",
                                     "</script>",
                                     "</style>",
                                     "<script>",
                                     "<style>",
                                     "</",
                                     "/*",
                                     "*/",
                                     "//",
                                     "\r",
                                     "in",
                                     "var",
                                     "x=",
                                     "e",
                                     "$",
                                     "_",
                                     "\xa0",
                                     "\xc3\xa9",
                                     "&lt;",
                                     "&foo",
                                     "&#",
                                     "\xff",
                                     "NUL",
                                     "<a ",
                                     "<a b=",
                                     "<p",
                                     "<img src=",
                                     "<a href=\"",
                                     "<meta http-equiv=refresh content=\"",
                                     "<script>var a = ",
                                     "<style>"};
static const size_t npieces = sizeof pieces / sizeof *pieces;

static unsigned long long rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng_state >> 33) % n);
}

static bool same_str(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return !strcmp(a, b);
}

int main(int argc, char **argv)
{
    // A first argument that is not a number is one input to check (then the
    // second is its mode), for looking into a reported mismatch.
    const char *one = argc > 1 && (argv[1][0] < '0' || argv[1][0] > '9') ? argv[1] : NULL;
    long iterations = one ? 1 : argc > 1 ? atol(argv[1]) : 20000;
    rng_state = !one && argc > 2 ? strtoull(argv[2], NULL, 10) : 20261127;
    long failures = 0;
    for (long it = 0; it < iterations && failures < 5; it++) {
        int mode = rnd(8) == 0 ? (int)rnd(4) : 0; // mostly HTML
        std::string s;
        size_t n = 1 + rnd(40);
        for (size_t i = 0; i < n; i++) {
            const char *piece = pieces[rnd(npieces)];
            if (!strcmp(piece, "NUL"))
                s += std::string("\0", 1); // a NUL byte, which a C string cannot hold
            else
                s += piece;
        }
        if (one) {
            s = one;
            mode = argc > 2 ? atoi(argv[2]) : 0;
        }
        hp::htmlparser_ctx_s *u = hp::htmlparser_new();
        hp::htmlparser_reset_mode(u, mode);
        ae_parser *c = ae_new((ae_mode)mode);
        for (size_t i = 0; i < s.size(); i++) {
            bool insert = rnd(16) == 0; // a variable here, as the template module does
            if (insert) {
                hp::htmlparser_insert_text(u);
                ae_insert_text(c);
            }
            int uerr = hp::htmlparser_parse(u, &s[i], 1) == 7; // upstream's error state
            int cerr = ae_feed(c, &s[i], 1) < 0;
            if (uerr || cerr) {
                if (uerr != cerr) {
                    printf("mode %d after byte %zu of \"%s\": error upstream %d, ours %d\n", mode,
                           i, s.substr(0, i + 1).c_str(), uerr, cerr);
                    failures++;
                }
                break;
            }
            int us[] = {hp::htmlparser_state(u),          hp::htmlparser_in_js(u),
                        hp::htmlparser_is_attr_quoted(u), hp::htmlparser_attr_type(u),
                        hp::htmlparser_value_index(u),    hp::htmlparser_in_css(u),
                        hp::htmlparser_is_url_start(u),   hp::htmlparser_is_js_quoted(u),
                        hp::htmlparser_js_state(u)};
            int ours[] = {ae_state(c),        ae_in_js(c),        ae_is_attr_quoted(c),
                          ae_attr_type(c),    ae_value_index(c),  ae_in_css(c),
                          ae_is_url_start(c), ae_is_js_quoted(c), ae_js_state(c)};
            static const char *const names[] = {"state",     "in_js",       "attr_quoted",
                                                "attr_type", "value_index", "in_css",
                                                "url_start", "js_quoted",   "js_state"};
            bool ok = same_str(hp::htmlparser_tag(u), ae_tag(c)) &&
                      same_str(hp::htmlparser_attr(u), ae_attr(c));
            std::string what = ok ? "" : "tag/attr ";
            for (int k = 0; k < 9; k++)
                if (us[k] != ours[k]) {
                    ok = false;
                    what += std::string(names[k]) + "(upstream " + std::to_string(us[k]) +
                            ", ours " + std::to_string(ours[k]) + ") ";
                }
            if (!ok) {
                const char *ut = hp::htmlparser_tag(u), *ct = ae_tag(c);
                const char *ua = hp::htmlparser_attr(u), *ca = ae_attr(c);
                printf("mode %d after byte %zu of \"%s\": %s tag %s/%s attr %s/%s\n", mode, i,
                       s.substr(0, i + 1).c_str(), what.c_str(), ut ? ut : "-", ct ? ct : "-",
                       ua ? ua : "-", ca ? ca : "-");
                failures++;
                break;
            }
        }
        hp::htmlparser_delete(u);
        ae_free(c);
    }
    printf("context-diff: %ld inputs, %ld mismatches\n", iterations, failures);
    return failures ? 1 : 0;
}
