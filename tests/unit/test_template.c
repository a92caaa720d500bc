/* test_template: the ctemplate engine. Expected outputs of the render and
 * modifier tables were produced by libctemplate 2.4 (the reference
 * implementation) from the same template and dictionary; the rest covers
 * charter's extensions: auto includes, include safety and diagnostics. */
#include "unit.h"

#include <ftw.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "template.h"

/* --- helpers ------------------------------------------------------------------ */

static char *make_tmpdir(void)
{
    char *dir = xstrdup("/tmp/charter-template-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

static void write_file(const char *dir, const char *name, const char *content)
{
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", dir, name);
    for (char *p = path.data + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(path.data, 0755);
        *p = '/';
    }
    FILE *f = fopen(path.data, "wb");
    cr_assert_not_null(f, "cannot write %s", path.data);
    fwrite(content, 1, strlen(content), f);
    fclose(f);
    buf_release(&path);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

/* The text a test splices in for slot `id`; slot values stand for it when
 * the same dictionary is built with values instead of slots. */
static const char *const slot_texts[] = {"[#0]", "[#1]", "[#2]", "[#3]", "[#4]",
                                         "[#5]", "[#6]", "[#7]", "[#8]", "[#9]"};

/* Fills a dictionary from lines of a tiny language, one command a line:
 * `set NAME VALUE` (\n \t \r \0 \\ escapes in VALUE), `sec NAME` (add a
 * section dictionary and enter it), `show NAME`, `inc NAME FILE` (add an
 * include dictionary and enter it), `tglobal NAME VALUE`, `slot NAME ID`
 * (a slot; with `as_values`, the value slot_texts[ID] instead), `end`
 * (leave). */
static void setup_dict_as(tpl_dict *root, const char *spec, int as_values)
{
    tpl_dict *stack[64];
    int n = 0;
    stack[n++] = root;
    buf line, value;
    buf_init(&line);
    buf_init(&value);
    for (const char *p = spec; *p;) {
        size_t len = strcspn(p, "\n");
        buf_reset(&line);
        buf_add(&line, p, len);
        p += len + (p[len] == '\n');
        char *cmd = line.data;
        char *name = strchr(cmd, ' ');
        char *arg = "";
        if (name) {
            *name++ = '\0';
            char *sp = strchr(name, ' ');
            if (sp) {
                *sp = '\0';
                arg = sp + 1;
            }
        }
        buf_reset(&value);
        for (const char *a = arg; *a; a++) {
            if (*a == '\\' && a[1]) {
                a++;
                buf_addc(&value, *a == 'n'   ? '\n'
                                 : *a == 't' ? '\t'
                                 : *a == 'r' ? '\r'
                                 : *a == '0' ? '\0'
                                             : *a);
            } else {
                buf_addc(&value, *a);
            }
        }
        tpl_dict *d = stack[n - 1];
        if (!strcmp(cmd, "set"))
            tpl_dict_set_len(d, name, value.data, value.len);
        else if (!strcmp(cmd, "sec"))
            stack[n++] = tpl_dict_add_section(d, name);
        else if (!strcmp(cmd, "show"))
            tpl_dict_show_section(d, name);
        else if (!strcmp(cmd, "inc"))
            stack[n++] = tpl_dict_add_include(d, name, value.data);
        else if (!strcmp(cmd, "tglobal"))
            tpl_dict_set_template_global(d, name, value.data, value.len);
        else if (!strcmp(cmd, "slot") && as_values)
            tpl_dict_set(d, name, slot_texts[strtoul(value.data, NULL, 10) % 10]);
        else if (!strcmp(cmd, "slot"))
            tpl_dict_set_slot(d, name, strtoul(value.data, NULL, 10));
        else if (!strcmp(cmd, "end"))
            n--;
        else
            cr_assert_fail("bad setup command '%s'", cmd);
    }
    buf_release(&line);
    buf_release(&value);
}

static void setup_dict(tpl_dict *root, const char *spec)
{
    setup_dict_as(root, spec, 0);
}

/* How render_files_as renders: tpl_render; tpl_render_slots after a prefix
 * already in the buffer; tpl_render with slots set as values. */
enum { RENDER_PLAIN, RENDER_SLOTS, RENDER_VALUES };
#define SLOTS_PREFIX "(before)"

/* Renders `text` loaded as file t.tpl from a fresh directory holding `files`
 * (name, content pairs, NULL-terminated). Returns the output (caller frees)
 * or NULL; the diagnostics, with `dir/` stripped from file names, go to
 * *diag_out when given. With RENDER_SLOTS the slots go to *slots, and the
 * output returned leaves out SLOTS_PREFIX. */
static char *render_files_as(tpl_strip strip, int auto_includes, const char *text,
                             const char *setup, const char *const *files, int how, tpl_slots *slots,
                             char **diag_out)
{
    char *dir = make_tmpdir();
    write_file(dir, "t.tpl", text);
    for (size_t i = 0; files && files[i]; i += 2)
        write_file(dir, files[i], files[i + 1]);
    tpl_set *s = tpl_set_new(dir, strip, auto_includes);
    diags *d = diag_new(NULL);
    tpl_dict *dict = tpl_dict_new();
    setup_dict_as(dict, setup, how == RENDER_VALUES);
    buf out;
    buf_init(&out);
    tpl *t = tpl_set_load(s, "t.tpl", d);
    int ok;
    if (how == RENDER_SLOTS) {
        buf_adds(&out, SLOTS_PREFIX);
        ok = t && tpl_render_slots(t, dict, &out, slots, d) == 0;
        cr_assert(!strncmp(out.data, SLOTS_PREFIX, strlen(SLOTS_PREFIX)));
        memmove(out.data, out.data + strlen(SLOTS_PREFIX), out.len - strlen(SLOTS_PREFIX) + 1);
        out.len -= strlen(SLOTS_PREFIX);
    } else {
        ok = t && tpl_render(t, dict, &out, d) == 0;
    }
    char *diag = unit_diag_text(d);
    /* "/tmp/charter-template-XXXXXX/" -> "" */
    buf clean;
    buf_init(&clean);
    size_t dl = strlen(dir);
    for (const char *p = diag; *p;) {
        const char *hit = strstr(p, dir);
        if (!hit) {
            buf_adds(&clean, p);
            break;
        }
        buf_add(&clean, p, (size_t)(hit - p));
        p = hit + dl + (hit[dl] == '/');
    }
    free(diag);
    if (diag_out)
        *diag_out = buf_detach(&clean);
    buf_release(&clean);
    tpl_dict_free(dict);
    tpl_set_free(s);
    diag_free(d);
    remove_tree(dir);
    if (!ok) {
        buf_release(&out);
        return NULL;
    }
    return buf_detach(&out);
}

static char *render_files(tpl_strip strip, int auto_includes, const char *text, const char *setup,
                          const char *const *files, char **diag_out)
{
    return render_files_as(strip, auto_includes, text, setup, files, RENDER_PLAIN, NULL, diag_out);
}

/* Compiles `text` from memory as t.html in set directory "." and renders it. */
static char *render_string(tpl_strip strip, const char *text, const char *setup, diags *d)
{
    tpl_set *s = tpl_set_new(".", strip, 0);
    tpl_dict *dict = tpl_dict_new();
    setup_dict(dict, setup);
    buf out;
    buf_init(&out);
    tpl *t = tpl_set_add(s, "t.html", text, strlen(text), 0, d);
    int ok = t && tpl_render(t, dict, &out, d) == 0;
    tpl_dict_free(dict);
    tpl_set_free(s);
    if (!ok) {
        buf_release(&out);
        return NULL;
    }
    return buf_detach(&out);
}

/* --- markers, sections, includes and strip modes (verified upstream) ----------- */

typedef struct render_case {
    const char *name;
    tpl_strip strip;
    const char *text;
    const char *setup;
    const char *files[5];
    const char *expected;
} render_case;

static const render_case render_cases[] = {
    {"variable", 0, "Hello {{NAME}}!", "set NAME world", {NULL}, "Hello world!"},
    {"missing variable is empty", 0, "[{{NOPE}}]", "", {NULL}, "[]"},
    {"empty name", 0, "a{{}}b", "", {NULL}, "ab"},
    {"braces before a marker", 0, "{{{V}}}{{{{V}}", "set V v", {NULL}, "{v}{{v"},
    {"single braces", 0, "{ } }} {x}", "", {NULL}, "{ } }} {x}"},
    {"builtins", 0, "[{{BI_SPACE}}][{{BI_NEWLINE}}]", "", {NULL}, "[ ][\n]"},
    {"builtins can be overridden", 0, "[{{BI_SPACE}}]", "set BI_SPACE x", {NULL}, "[x]"},
    {"hidden section", 0, "a{{#S}}x{{/S}}b", "", {NULL}, "ab"},
    {"shown section", 0, "a{{#S}}x{{V}}{{/S}}b", "show S\nset V v", {NULL}, "axvb"},
    {"repeated section",
     0,
     "{{#A}}[{{N}}]{{/A}}",
     "sec A\nset N 1\nend\nsec A\nset N 2\nend\nsec A\nset N 3\nend",
     {NULL},
     "[1][2][3]"},
    {"separator",
     0,
     "{{#A}}{{N}}{{#A_separator}}, {{/A_separator}}{{/A}}",
     "sec A\nset N 1\nend\nsec A\nset N 2\nend\nsec A\nset N 3\nend",
     {NULL},
     "1, 2, 3"},
    {"separator of a shown section",
     0,
     "{{#B}}{{N}}{{#B_separator}},{{/B_separator}}{{/B}}",
     "show B\nset N 0",
     {NULL},
     "0"},
    {"last separator wins",
     0,
     "{{#A}}{{N}}{{#A_separator}}-{{/A_separator}}{{#A_separator}}+{{/A_separator}}{{/A}}",
     "sec A\nset N 1\nend\nsec A\nset N 2\nend\nsec A\nset N 3\nend",
     {NULL},
     "1+2+3"},
    {"nested separator is not special",
     0,
     "{{#A}}{{N}}{{#X}}{{#A_separator}}-{{/A_separator}}{{/X}}{{/A}}",
     "sec A\nset N 1\nend\nsec A\nset N 2\nshow X\nend\nsec A\nset N 3\nend",
     {NULL},
     "123"},
    {"separator uses the repetition's values",
     0,
     "{{#D}}{{C}}{{#D_separator}}{{SEP}}{{/D_separator}}{{/D}}",
     "sec D\nset C 12\nset SEP /\nend\nsec D\nset C 25\nset SEP -\nend\nsec D\nset C 2024\nend",
     {NULL},
     "12/25-2024"},
    {"nested sections see parents",
     0,
     "{{#A}}[{{#B}}{{N}}{{M}}{{/B}}]{{/A}}",
     "set M m\nsec A\nset N 1\nsec B\nend\nend\nsec A\nset N 2\nend",
     {NULL},
     "[1m][]"},
    {"section found in a parent",
     0,
     "{{#A}}[{{#B}}b{{N}}{{/B}}]{{/A}}",
     "sec A\nset N 1\nend\nsec A\nset N 2\nend\nsec B\nset N x\nend",
     {NULL},
     "[bx][bx]"},
    {"same section nested",
     0,
     "{{#A}}[{{#A}}{{N}}{{/A}}]{{/A}}",
     "sec A\nset N 1\nend\nsec A\nset N 2\nend",
     {NULL},
     "[12][12]"},
    {"comment", 0, "a{{! any } thing }}b{{!\nmulti\nline\n}}c", "", {NULL}, "abc"},
    {"set delimiters", 0, "{{=<% %>=}}<%X%>{{X}}<%={{ }}=%>{{X}}", "set X x", {NULL}, "x{{X}}x"},
    {"set delimiters in sections", 0, "{{=| |=}}|#S|[|X|]|/S|", "show S\nset X x", {NULL}, "[x]"},
    {"escaped newline after markers",
     0,
     "a{{#S}}\\\nb{{/S}}\\\n{{V}}\\\nc",
     "show S\nset V v",
     {NULL},
     "a\nb\nv\\\nc"},
    {"include", 0, "[{{>INC}}]", "inc INC i.tpl\nset N n\nend", {"i.tpl", "i{{N}}"}, "[in]"},
    {"include per dictionary",
     0,
     "[{{>INC}}]",
     "inc INC i.tpl\nset N 1\nend\ninc INC i.tpl\nset N 2\nend",
     {"i.tpl", "i{{N}}"},
     "[i1i2]"},
    {"include without dictionary", 0, "[{{>INC}}]", "", {"i.tpl", "i"}, "[]"},
    {"include boundary",
     0,
     "{{>INC}}",
     "set N n\nshow S\ninc INC i.tpl\nend",
     {"i.tpl", "i{{N}}{{#S}}s{{/S}}"},
     "i"},
    {"include template globals",
     0,
     "{{>INC}}{{G}}",
     "tglobal G g\ninc INC i.tpl\nend",
     {"i.tpl", "i{{G}}"},
     "igg"},
    {"include found in a parent",
     0,
     "{{#A}}[{{>INC}}]{{/A}}",
     "sec A\nset N 1\nend\nsec A\nset N 2\nend\ninc INC i.tpl\nset M m\nend",
     {"i.tpl", "i{{N}}{{M}}"},
     "[im][im]"},
    {"recursive include",
     0,
     "{{>INC}}",
     "inc INC i.tpl\nsec S\nset N 1\ninc INC i.tpl\nsec S\nset N 2\nend\nend\nend\nend",
     {"i.tpl", "({{#S}}{{N}}{{>INC}}{{/S}})"},
     "(1(2))"},
    {"include with modifiers",
     0,
     "{{>INC:h}}|{{>INC:u}}",
     "inc INC i.tpl\nset A <>\nend",
     {"i.tpl", "{{A}}&\n"},
     "&lt;&gt;&amp; |%3C%3E%26%0A"},
    {"include indentation",
     0,
     "x\n  {{>INC}}\ny  {{>INC}}z\n",
     "inc INC i.tpl\nend",
     {"i.tpl", "L1\nL2\r\nL3\rL4\n"},
     "x\n  L1\n  L2\r\n  L3\r  L4\n  \ny  L1\nL2\r\nL3\rL4\nz\n"},
    {"include indentation per dictionary",
     0,
     "x\n\t{{>INC}}|",
     "inc INC i.tpl\nend\ninc INC i.tpl\nend",
     {"i.tpl", "L1\nL2\n"},
     "x\n\tL1\n\tL2\n\tL1\n\tL2\n\t|"},
    {"include indentation at the top",
     0,
     "  {{>INC}}|",
     "inc INC i.tpl\nend",
     {"i.tpl", "L1\nL2\n"},
     "  L1\n  L2\n  |"},
    {"include indentation at a section start",
     0,
     "{{#S}}  {{>INC}}{{/S}}|",
     "inc INC i.tpl\nend\nshow S",
     {"i.tpl", "L1\nL2\n"},
     "  L1\n  L2\n  |"},
    {"include indentation cleared by a comment",
     0,
     "x\n\t{{!c}}{{>INC}}|",
     "inc INC i.tpl\nend",
     {"i.tpl", "L1\nL2\n"},
     "x\n\tL1\nL2\n|"},
    {"include indentation after a section",
     0,
     "x\n  {{#S}}{{/S}}{{>INC}}|",
     "inc INC i.tpl\nend\nshow S",
     {"i.tpl", "L1\nL2\n"},
     "x\n  L1\nL2\n|"},
    {"include indentation with modifiers",
     0,
     "\t {{>INC:h}}\n",
     "inc INC i.tpl\nend",
     {"i.tpl", "L1\nL2\n"},
     "\t L1 L2 \n"},
    {"strip mode 0",
     0,
     "a\n  \n  {{#S}}  \n x {{V}} \n\t{{/S}}\n{{! c }}\n  {{!c}} {{!d}}\ny{{V}}\n {{V}}  "
     "\nz{{#S}}\nw\n{{/S}}\\\nq{{BI_SPACE}}{{BI_NEWLINE}}e\n\n",
     "show S\nset V v",
     {NULL},
     "a\n  \n    \n x v \n\t\n\n   \nyv\n v  \nz\nw\n\nq \ne\n\n"},
    {"strip mode 0, crlf",
     0,
     "  a  \r\n  \r\n  {{#S}} \r\n b\r\n{{/S}}\r\n",
     "show S",
     {NULL},
     "  a  \r\n  \r\n   \r\n b\r\n\r\n"},
    {"strip mode 0, delimiters",
     0,
     " {{#S}} \n{{/S}}{{V}}\n{{=| |=}}\n|#S|\nx\n|/S|\n",
     "show S",
     {NULL},
     "  \n\n\n\nx\n\n"},
    {"strip mode 0, include indentation",
     0,
     "x\n  {{>INC}}\ny\n",
     "inc INC i.tpl\nend",
     {"i.tpl", "L1\n  L2\n"},
     "x\n  L1\n    L2\n  \ny\n"},
    {"strip mode 0, escaped newline",
     0,
     "a{{#S}}\\\nb{{/S}}\\\n{{V}}\\\nc\\\nd{{!x}}\\\r\ne  \\  \n",
     "show S\nset V v",
     {NULL},
     "a\nb\nv\\\nc\\\nd\\\r\ne  \\  \n"},
    {"strip mode 0, .js include",
     0,
     "{{>I}}x",
     "inc I i.js\nend",
     {"i.js", "  a  \n  b\n\n"},
     "  a  \n  b\n\nx"},
    {"strip mode 1",
     1,
     "a\n  \n  {{#S}}  \n x {{V}} \n\t{{/S}}\n{{! c }}\n  {{!c}} {{!d}}\ny{{V}}\n {{V}}  "
     "\nz{{#S}}\nw\n{{/S}}\\\nq{{BI_SPACE}}{{BI_NEWLINE}}e\n\n",
     "show S\nset V v",
     {NULL},
     "a\n x v \n   \nyv\n v  \nz\nw\n\nq \ne\n"},
    {"strip mode 1, crlf",
     1,
     "  a  \r\n  \r\n  {{#S}} \r\n b\r\n{{/S}}\r\n",
     "show S",
     {NULL},
     "  a  \r\n b\r\n"},
    {"strip mode 1, delimiters",
     1,
     " {{#S}} \n{{/S}}{{V}}\n{{=| |=}}\n|#S|\nx\n|/S|\n",
     "show S",
     {NULL},
     "\nx\n"},
    {"strip mode 1, include indentation",
     1,
     "x\n  {{>INC}}\ny\n",
     "inc INC i.tpl\nend",
     {"i.tpl", "L1\n  L2\n"},
     "x\nL1\n  L2\ny\n"},
    {"strip mode 1, escaped newline",
     1,
     "a{{#S}}\\\nb{{/S}}\\\n{{V}}\\\nc\\\nd{{!x}}\\\r\ne  \\  \n",
     "show S\nset V v",
     {NULL},
     "a\nb\nv\\\nc\\\nd\\\r\ne  \\  \n"},
    {"strip mode 1, .js include",
     1,
     "{{>I}}x",
     "inc I i.js\nend",
     {"i.js", "  a  \n  b\n\n"},
     "  a  \n  b\nx"},
    {"strip mode 2",
     2,
     "a\n  \n  {{#S}}  \n x {{V}} \n\t{{/S}}\n{{! c }}\n  {{!c}} {{!d}}\ny{{V}}\n {{V}}  "
     "\nz{{#S}}\nw\n{{/S}}\\\nq{{BI_SPACE}}{{BI_NEWLINE}}e\n\n",
     "show S\nset V v",
     {NULL},
     "ax v yvvzw\\q \ne"},
    {"strip mode 2, crlf",
     2,
     "  a  \r\n  \r\n  {{#S}} \r\n b\r\n{{/S}}\r\n",
     "show S",
     {NULL},
     "ab"},
    {"strip mode 2, delimiters",
     2,
     " {{#S}} \n{{/S}}{{V}}\n{{=| |=}}\n|#S|\nx\n|/S|\n",
     "show S",
     {NULL},
     "x"},
    {"strip mode 2, include indentation",
     2,
     "x\n  {{>INC}}\ny\n",
     "inc INC i.tpl\nend",
     {"i.tpl", "L1\n  L2\n"},
     "xL1L2y"},
    {"strip mode 2, escaped newline",
     2,
     "a{{#S}}\\\nb{{/S}}\\\n{{V}}\\\nc\\\nd{{!x}}\\\r\ne  \\  \n",
     "show S\nset V v",
     {NULL},
     "a\\b\\v\\c\\d\\e  \\"},
    /* Auto-escaping: the pragma picks each variable's escaping from where it
     * stands; given modifiers stay when they are safe alternatives. */
    {"autoescape html text and attributes",
     0,
     "{{%AUTOESCAPE context=\"HTML\"}}<p class=\"{{V}}\" title={{V}}>{{V}}</p>",
     "set V a\"b <c>",
     {NULL},
     "<p class=\"a&quot;b &lt;c&gt;\" title=a_b__c_>a&quot;b &lt;c&gt;</p>"},
    {"autoescape urls",
     0,
     "{{%AUTOESCAPE context=\"HTML\"}}<a href=\"{{U}}\">"
     "<a href=\"/q?x={{U}}\"><a href=/q?x={{U}}>",
     "set U javascript:x&y",
     {NULL},
     "<a href=\"#\"><a href=\"/q?x=javascript:x&amp;y\"><a href=/q?x=javascript%3Ax%26y>"},
    {"autoescape script, style and handlers",
     0,
     "{{%AUTOESCAPE context=\"HTML\"}}<script>var a = '{{V}}', b = {{V}};</script>"
     "<style>p { color: {{V}} }</style><b onclick=\"f({{V}})\" style=\"c:{{V}}\">",
     "set V 1'<",
     {NULL},
     "<script>var a = '1\\x27\\x3c', b = null;</script><style>p { color: 1 }</style>"
     "<b onclick=\"f(null)\" style=\"c:1\">"},
    {"autoescape keeps safe modifiers, adds to others",
     0,
     "{{%AUTOESCAPE context=\"HTML\"}}{{V:none}} {{V:p}} {{V:x-foo}} {{V:j}}",
     "set V <'>",
     {NULL},
     "<'> &lt;&#39;&gt; &lt;&#39;&gt; \\x3c\\x27\\x3e"},
    {"autoescape other contexts",
     0,
     "{{>X}}{{>J}}",
     "inc X x.tpl\nset V <&>\nend\ninc J j.tpl\nset V <&>\nend",
     {"x.tpl", "{{%AUTOESCAPE context=\"XML\"}}{{V}}|", "j.tpl",
      "{{%AUTOESCAPE context=\"JSON\"}}{{V}}|"},
     "&lt;&amp;&gt;|\\x3c\\x26\\x3e|"},
    {"strip mode 2, .js include",
     2,
     "{{>I}}x",
     "inc I i.js\nend",
     {"i.js", "  a  \n  b\n\n"},
     "  a  \n  b\nx"},
};

Test(template, upstream_rendering)
{
    for (size_t i = 0; i < sizeof render_cases / sizeof *render_cases; i++) {
        const render_case *c = &render_cases[i];
        char *diag = NULL;
        char *got = render_files(c->strip, 0, c->text, c->setup, c->files, &diag);
        cr_expect_not_null(got, "%s: failed: %s", c->name, diag);
        if (got)
            cr_expect_str_eq(got, c->expected, "%s", c->name);
        free(got);
        free(diag);
    }
}

/* --- modifiers (verified upstream) ---------------------------------------------- */

typedef struct mod_case {
    const char *text;
    const char *value;
    const char *expected;
} mod_case;

static const mod_case mod_cases[] = {
    {"{{X:h}}", "<a href=\"x\">&'\t\n</a>", "&lt;a href=&quot;x&quot;&gt;&amp;&#39;  &lt;/a&gt;"},
    {"{{X:html_escape}}", "a<b", "a&lt;b"},
    {"{{X:p}}", "<a>\t\n\"'&", "&lt;a&gt;\t\n&quot;&#39;&amp;"},
    {"{{X:pre_escape}}", "<pre>\n", "&lt;pre&gt;\n"},
    {"{{X:H=snippet}}", "<b>x<i>y</b>&amp;&{z<br><wbr><p>\"'\n",
     "<b>x<i>y</b>&amp;&amp;{z<br><wbr>&lt;p&gt;&quot;&#39; </i>"},
    {"{{X:H=snippet}}", "<i><b>x", "<i><b>x</b></i>"},
    {"{{X:H=pre}}", "<a>\t", "&lt;a&gt;\t"},
    {"{{X:H=url}}", "javascript:alert(1)", "#"},
    {"{{X:H=url}}", "http://x/?a=1&b=<2>", "http://x/?a=1&amp;b=&lt;2&gt;"},
    {"{{X:H=attribute}}", "=a=b c\"=/", "_a=b_c_=_"},
    {"{{X:html_escape_with_arg=attribute}}", "on click", "on_click"},
    {"{{X:j}}",
     "\"'\\\t\r\n\x08"
     "\x0b"
     "\x0c"
     "&<>= \xe2"
     "\x80"
     "\xa8"
     "\xe2"
     "\x80"
     "\xa9"
     "\xc3"
     "\xa9"
     "\xc0"
     "\xa2"
     "\xff"
     "",
     "\\x22\\x27\\\\\\t\\r\\n\\b\\x0b\\f\\x26\\x3c\\x3e\\x3d \\u2028\\u2029\xc3"
     "\xa9"
     "\\x22\xff"
     ""},
    {"{{X:javascript_escape}}", "a'b", "a\\x27b"},
    {"{{X:J=number}}", "0x1F", "0x1F"},
    {"{{X:J=number}}", "-1.5e+3", "-1.5e+3"},
    {"{{X:J=number}}", "true", "true"},
    {"{{X:J=number}}", "alert(1)", "null"},
    {"{{X:J=number}}", "0x", "null"},
    {"{{X:J=number}}", "", ""},
    {"{{X:o}}",
     "\"\\/\x08"
     "\x0c"
     "\n\r\t&<>\xc3"
     "\xa9"
     "",
     "\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0026\\u003C\\u003E\xc3"
     "\xa9"
     ""},
    {"{{X:json_escape}}", "</script>", "\\u003C\\/script\\u003E"},
    {"{{X:c}}", "a b;c{d}#e%f!g,h.i_j-k(l)", "a bcd#e%f!g,h.i_j-kl"},
    {"{{X:cleanse_css}}", "red;x:y", "redxy"},
    {"{{X:u}}",
     "a b/c?d=e&f:g*h~i!j(k)l-m_n.o,p;\xc3"
     "\xa9"
     "",
     "a+b/c%3Fd%3De%26f%3Ag*h~i!j(k)l-m_n.o,p%3B%C3%A9"},
    {"{{X:url_query_escape}}", "x y", "x+y"},
    {"{{X:U=html}}", "http://a.b/c?d=<e>&f", "http://a.b/c?d=&lt;e&gt;&amp;f"},
    {"{{X:U=html}}", "javascript:alert(1)", "#"},
    {"{{X:U=html}}", "ftp://x", "ftp://x"},
    {"{{X:U=html}}", "ftp://", "#"},
    {"{{X:U=html}}", "mailto:x", "#"},
    {"{{X:U=html}}", "/rel:ok", "/rel:ok"},
    {"{{X:U=html}}", "HTTPS://x", "HTTPS://x"},
    {"{{X:U=javascript}}", "https://a/?q='x'", "https://a/?q\\x3d\\x27x\\x27"},
    {"{{X:U=javascript}}", "data:x", "#"},
    {"{{X:U=css}}", "http://a/(x)*'\"<>\\", "http://a/%28x%29%2A%27%22%3C%3E%5C"},
    {"{{X:U=css}}", "vbscript:x", "#"},
    {"{{X:U=query}}", "a b&c", "a+b%26c"},
    {"{{X:I=html}}", "javascript:x", "/images/cleardot.gif"},
    {"{{X:I=html}}", "/img.png?a&b", "/img.png?a&amp;b"},
    {"{{X:I=javascript}}", "foo:bar", "/images/cleardot.gif"},
    {"{{X:I=css}}", "a(b)", "a%28b%29"},
    {"{{X:url_escape_with_arg=html}}", "a<b", "a&lt;b"},
    {"{{X:img_src_url_escape_with_arg=css}}", "x:y", "/images/cleardot.gif"},
    {"{{X:xml_escape}}",
     "<&>\"' \x01"
     "\t\n\r&nbsp;",
     "&lt;&amp;&gt;&quot;&#39;  \t\n\r&amp;nbsp;"},
    {"{{X:none}}", "<&>", "<&>"},
    {"{{X:x-foo}}", "<&>", "<&>"},
    {"{{X:x-foo=bar baz}}", "<&>", "<&>"},
    {"{{X:h:j}}", "<a'b>", "\\x26lt;a\\x26#39;b\\x26gt;"},
    {"{{X:j:h}}", "<a'b>", "\\x3ca\\x27b\\x3e"},
    {"{{X:u:h:j}}", "a b<c>'", "a+b%3Cc%3E%27"},
    {"{{X:H=snippet:u}}", "<b>x y", "%3Cb%3Ex+y%3C/b%3E"},
    {"{{X:h:x-a:u}}", "a&b", "a%26amp%3Bb"},
    {"{{X:none:h}}", "<", "&lt;"},
};

Test(template, modifiers)
{
    for (size_t i = 0; i < sizeof mod_cases / sizeof *mod_cases; i++) {
        const mod_case *c = &mod_cases[i];
        diags *d = diag_new(NULL);
        tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
        tpl_dict *dict = tpl_dict_new();
        tpl_dict_set(dict, "X", c->value);
        buf out;
        buf_init(&out);
        tpl *t = tpl_set_add(s, "t.html", c->text, strlen(c->text), 0, d);
        cr_expect_not_null(t, "%s", c->text);
        if (t) {
            cr_expect_eq(tpl_render(t, dict, &out, d), 0);
            cr_expect_str_eq(out.data, c->expected, "%s with '%s'", c->text, c->value);
        }
        buf_release(&out);
        tpl_dict_free(dict);
        tpl_set_free(s);
        diag_free(d);
    }
}

/* What :h, :pre_escape and :xml_escape make of each byte, byte by byte:
 * the reference that the run-at-a-time escapes must equal. */
static void reference_escape(buf *out, const char *in, size_t len, char mod)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '&')
            buf_adds(out, "&amp;");
        else if (c == '"')
            buf_adds(out, "&quot;");
        else if (c == '\'')
            buf_adds(out, "&#39;");
        else if (c == '<')
            buf_adds(out, "&lt;");
        else if (c == '>')
            buf_adds(out, "&gt;");
        else if (mod == 'h' && c >= 0x09 && c <= 0x0d)
            buf_addc(out, ' ');
        else if (mod == 'x' && c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            buf_addc(out, ' ');
        else
            buf_addc(out, (char)c);
    }
}

/* Generated values, with plain runs longer than the eight bytes the
 * escapes pass over at once and every byte they map at every place in a
 * word, through the three table-driven escapes. */
Test(template, escapes_as_a_byte_at_a_time)
{
    static const char *const parts[] = {"a",        "plain text", "0123456789abcdef",
                                        "\xC3\xA9", "\xFF",       "&",
                                        "\"",       "'",          "<",
                                        ">",        "\t",         "\n",
                                        "\v",       "\f",         "\r",
                                        "\x01",     "\x1f",       " ",
                                        "=",        "%"};
    static const struct {
        const char *text;
        char mod;
    } mods[] = {{"{{V:h}}", 'h'}, {"{{V:pre_escape}}", 'p'}, {"{{V:xml_escape}}", 'x'}};
    diags *d = diag_new(NULL);
    tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
    tpl *t[3];
    for (size_t m = 0; m < 3; m++) {
        char name[16];
        snprintf(name, sizeof name, "m%zu.html", m);
        t[m] = tpl_set_add(s, name, mods[m].text, strlen(mods[m].text), 0, d);
        cr_assert_not_null(t[m]);
    }
    unsigned long long seed = 99;
    buf value, got, want;
    buf_init(&value);
    buf_init(&got);
    buf_init(&want);
    for (int round = 0; round < 20000; round++) {
        unit_pick_text(&value, &seed, parts, COUNT(parts), 30);
        tpl_dict *dict = tpl_dict_new();
        tpl_dict_set_len(dict, "V", value.data, value.len);
        for (size_t m = 0; m < 3; m++) {
            buf_reset(&got);
            buf_reset(&want);
            cr_assert_eq(tpl_render(t[m], dict, &got, d), 0);
            reference_escape(&want, value.data, value.len, mods[m].mod);
            cr_assert(got.len == want.len && !memcmp(got.data, want.data, got.len),
                      "round %d, %s: got '%s', want '%s'", round, mods[m].text, got.data,
                      want.data);
        }
        tpl_dict_free(dict);
    }
    buf_release(&value);
    buf_release(&got);
    buf_release(&want);
    tpl_set_free(s);
    diag_free(d);
}

Test(template, modifier_sees_nul_bytes)
{
    diags *d = diag_new(NULL);
    char *got = render_string(TPL_DO_NOT_STRIP, "[{{X:j}}][{{X:xml_escape}}]", "set X a\\0b", d);
    cr_assert_not_null(got);
    cr_expect_str_eq(got, "[a\\x00b][a b]");
    free(got);
    diag_free(d);
}

/* Rendering skips the modifiers of an empty value (and a slot is one): it
 * must not matter, so every modifier must turn nothing into nothing. */
Test(template, modifiers_of_nothing)
{
    diags *d = diag_new(NULL);
    buf text;
    buf_init(&text);
    buf_adds(&text, "[");
    /* Every modifier, then a chain of them. */
    const char *mods = "h p H=snippet H=pre H=attribute H=url j J=number o u U=javascript U=html "
                       "U=query U=css I=html I=javascript I=css c none xml_escape x-mine "
                       "h:j:u:H=snippet:I=css";
    for (const char *m = mods; *m;) {
        int n = (int)strcspn(m, " ");
        buf_printf(&text, "{{E:%.*s}}{{UNSET:%.*s}}", n, m, n, m);
        m += n + (m[n] == ' ');
    }
    buf_adds(&text, "]");
    char *got = render_string(TPL_DO_NOT_STRIP, text.data, "set E ", d);
    cr_assert_not_null(got);
    cr_expect_str_eq(got, "[]");
    free(got);
    buf_release(&text);
    diag_free(d);
}

/* --- syntax errors -------------------------------------------------------------- */

typedef struct error_case {
    tpl_strip strip;
    const char *text;
    const char *expected;
} error_case;

static const error_case error_cases[] = {
    {0, "{{#A}}x\n{{#B}}\n{{/A}}",
     "t.html:3:1: '{{/A}}' does not match the open section 'B' [template-syntax]\n"},
    {1, "{{#A}}x\n\n  {{#B}}\n{{/A}}",
     "t.html:4:1: '{{/A}}' does not match the open section 'B' [template-syntax]\n"},
    {0, "a\n  {{X:zz}}", "t.html:2:7: unknown modifier 'zz' [template-syntax]\n"},
    {2, "a\n  {{X:zz}}", "t.html:2:7: unknown modifier 'zz' [template-syntax]\n"},
    {0, "{{#A}}\n\n  {{#B}}", "t.html:3:3: section 'B' is never closed [template-syntax]\n"},
    {1, "{{#A}}\n\n  {{#B}}{{/B}}\n",
     "t.html:1:1: section 'A' is never closed [template-syntax]\n"},
    {0, "x{{/B}}", "t.html:1:2: '{{/B}}' closes no open section [template-syntax]\n"},
    {0, "{{X:H=foo}}", "t.html:1:5: unknown value 'foo' for modifier 'H' [template-syntax]\n"},
    {0, "{{X:h=1}}", "t.html:1:5: modifier 'h' takes no value [template-syntax]\n"},
    {0, "{{X:H}}", "t.html:1:5: modifier 'H' needs a value [template-syntax]\n"},
    {0, "{{X:}}", "t.html:1:5: unknown modifier '' [template-syntax]\n"},
    {0, "{{A B}}", "t.html:1:1: invalid marker name 'A B' [template-syntax]\n"},
    {0, "{{A-B}}", "t.html:1:1: invalid marker name 'A-B' [template-syntax]\n"},
    {0, "{{#A.B}}{{/A.B}}", "t.html:1:1: invalid marker name 'A.B' [template-syntax]\n"},
    {0, "{{>../x}}", "t.html:1:1: invalid marker name '../x' [template-syntax]\n"},
    {0, "{{=a=}}", "t.html:1:1: invalid delimiter marker '{{=a=}}' [template-syntax]\n"},
    {0, "{{=a b c=}}", "t.html:1:1: invalid delimiter marker '{{=a b c=}}' [template-syntax]\n"},
    {0, "{{%FOO}}", "t.html:1:1: unknown pragma 'FOO' [template-syntax]\n"},
    {0, "  x\n  {{%AUTOESCAPE context=\"HTML\"}}",
     "t.html:2:3: pragma must come first in the template [template-syntax]\n"},
    {0, "{{%AUTOESCAPE context=\"HTMLX\"}}",
     "t.html:1:1: malformed pragma: invalid context [template-syntax]\n"},
    {0, "{{%AUTOESCAPE context=HTML}}",
     "t.html:1:1: malformed pragma: attribute value is not in double quotes [template-syntax]\n"},
    {0, "{{%AUTOESCAPE color=\"HTML\"}}",
     "t.html:1:1: malformed pragma: unknown attribute 'color' [template-syntax]\n"},
    {0, "{{%AUTOESCAPE context=\"HTML\"}}{{!c}}{{%AUTOESCAPE context=\"HTML\"}}",
     "t.html:1:37: pragma must come first in the template [template-syntax]\n"},
    {0, "{{%AUTOESCAPE context=\"HTML\"}}\n<a href={{URL}}>",
     "t.html:2:9: auto-escape: the value of URL attribute 'href' must be in quotes "
     "[template-syntax]\n"},
    {0, "{{%AUTOESCAPE context=\"HTML\"}}<p style={{C}}>",
     "t.html:1:40: auto-escape: the value of style attribute 'style' must be in quotes "
     "[template-syntax]\n"},
    {0, "{{%AUTOESCAPE context=\"HTML\"}}<p onclick={{C}}>",
     "t.html:1:42: auto-escape: the value of JavaScript attribute 'onclick' must be in quotes "
     "[template-syntax]\n"},
    {0, "{{%AUTOESCAPE context=\"HTML\"}}<a =b>",
     "t.html:1:31: auto-escape: cannot follow the HTML here (in '<a =b>') [template-syntax]\n"},
    {0, "{{%AUTOESCAPE context=\"JSON\" state=\"IN_TAG\"}}",
     "t.html:1:1: malformed pragma: unsupported state 'IN_TAG' [template-syntax]\n"},
    {0, "{{=a =}}", "t.html:1:1: empty delimiter in '{{=a =}}' [template-syntax]\n"},
    {0, "{{#S:h}}{{/S}}",
     "t.html:1:1: only variables and includes can have modifiers [template-syntax]\n"},
    {0, "{{#S}}{{/S:h}}",
     "t.html:1:7: only variables and includes can have modifiers [template-syntax]\n"},
    {0, "ab\n{{X", "t.html:2:1: marker has no closing '}}' [template-syntax]\n"},
    {0, "ab\n{{! never closed", "t.html:2:1: marker has no closing '}}' [template-syntax]\n"},
    {0, "a{{", "t.html:1:2: marker has no closing '}}' [template-syntax]\n"},
    {0, "{{=<% %>=}}\n<%#S%>\n<%/T%>",
     "t.html:3:1: '<%/T%>' does not match the open section 'S' [template-syntax]\n"},
    {2, "{{=<% %>=}}\n  <%#S%>\n  <%/T%>",
     "t.html:3:3: '<%/T%>' does not match the open section 'S' [template-syntax]\n"},
};

Test(template, syntax_errors)
{
    for (size_t i = 0; i < sizeof error_cases / sizeof *error_cases; i++) {
        const error_case *c = &error_cases[i];
        diags *d = diag_new(NULL);
        char *got = render_string(c->strip, c->text, "", d);
        cr_expect_null(got, "%s rendered", c->text);
        char *text = unit_diag_text(d);
        /* unit_diag_text adds the level; the table leaves it out for width. */
        buf want;
        buf_init(&want);
        const char *colon = strstr(c->expected, ": ");
        buf_add(&want, c->expected, (size_t)(colon - c->expected));
        buf_printf(&want, ": error: %s", colon + 2);
        cr_expect_str_eq(text, want.data, "%s", c->text);
        buf_release(&want);
        free(text);
        free(got);
        diag_free(d);
    }
}

/* Empty delimiters are an error in every strip mode. The stripper used to
 * adopt them and then match the empty start delimiter where it stood forever
 * (as upstream's StripBuffer does): hence the timeout. */
static const error_case empty_delimiter_cases[] = {
    {0, "a{{= =}}b", "t.html:1:2: empty delimiter in '{{= =}}' [template-syntax]\n"},
    {1, "a{{= =}}b", "t.html:1:2: empty delimiter in '{{= =}}' [template-syntax]\n"},
    {2, "a{{= =}}b", "t.html:1:2: empty delimiter in '{{= =}}' [template-syntax]\n"},
    {0, "a\n  {{= =}}\nb", "t.html:2:3: empty delimiter in '{{= =}}' [template-syntax]\n"},
    {1, "a\n  {{= =}}\nb", "t.html:2:3: empty delimiter in '{{= =}}' [template-syntax]\n"},
    {2, "a\n  {{= =}}\nb", "t.html:2:3: empty delimiter in '{{= =}}' [template-syntax]\n"},
    {0, "{{= x=}}", "t.html:1:1: empty delimiter in '{{= x=}}' [template-syntax]\n"},
    {1, "{{= x=}}", "t.html:1:1: empty delimiter in '{{= x=}}' [template-syntax]\n"},
    {2, "{{= x=}}", "t.html:1:1: empty delimiter in '{{= x=}}' [template-syntax]\n"},
    {1, "{{=x =}}\n", "t.html:1:1: empty delimiter in '{{=x =}}' [template-syntax]\n"},
    {2, "{{=x =}}\n", "t.html:1:1: empty delimiter in '{{=x =}}' [template-syntax]\n"},
    {0, "{{=<% %>=}}\n<%= =%>\nx", "t.html:2:1: empty delimiter in '<%= =%>' [template-syntax]\n"},
    {1, "{{=<% %>=}}\n<%= =%>\nx", "t.html:2:1: empty delimiter in '<%= =%>' [template-syntax]\n"},
    {2, "{{=<% %>=}}\n<%= =%>\nx", "t.html:2:1: empty delimiter in '<%= =%>' [template-syntax]\n"},
    /* Two markers on one line: the second one is the bad one. */
    {1, "{{=<% %>=}}<%= =%>{{X}}\n",
     "t.html:1:12: empty delimiter in '<%= =%>' [template-syntax]\n"},
};

Test(template, empty_delimiters_in_every_strip_mode, .timeout = 10)
{
    for (size_t i = 0; i < sizeof empty_delimiter_cases / sizeof *empty_delimiter_cases; i++) {
        const error_case *c = &empty_delimiter_cases[i];
        diags *d = diag_new(NULL);
        char *got = render_string(c->strip, c->text, "set X v", d);
        cr_expect_null(got, "strip %d: %s rendered", c->strip, c->text);
        char *text = unit_diag_text(d);
        buf want;
        buf_init(&want);
        const char *colon = strstr(c->expected, ": ");
        buf_add(&want, c->expected, (size_t)(colon - c->expected));
        buf_printf(&want, ": error: %s", colon + 2);
        cr_expect_str_eq(text, want.data, "strip %d: %s", c->strip, c->text);
        buf_release(&want);
        free(text);
        free(got);
        diag_free(d);
    }
}

Test(template, error_lines_follow_line_offset)
{
    diags *d = diag_new(NULL);
    tpl_set *s = tpl_set_new("site", TPL_STRIP_BLANK_LINES, 0);
    const char *text = "\n  \n<p>{{#BODY}}</p>\n";
    cr_expect_null(tpl_set_add(s, "layouts/default.html", text, strlen(text), 4, d));
    cr_assert_diag(d, "site/layouts/default.html:7:4: error: section 'BODY' is never closed "
                      "[template-syntax]\n");
    tpl_set_free(s);
    diag_free(d);
}

Test(template, nesting_limit)
{
    buf text;
    buf_init(&text);
    for (int i = 0; i < 100; i++)
        buf_adds(&text, "{{#S}}");
    buf_adds(&text, "x");
    for (int i = 0; i < 100; i++)
        buf_adds(&text, "{{/S}}");
    diags *d = diag_new(NULL);
    char *got = render_string(TPL_DO_NOT_STRIP, text.data, "show S", d);
    cr_assert_not_null(got, "100 levels must work");
    cr_expect_str_eq(got, "x");
    free(got);

    buf_reset(&text);
    for (int i = 0; i < 5000; i++)
        buf_adds(&text, "{{#S}}");
    got = render_string(TPL_DO_NOT_STRIP, text.data, "", d);
    cr_expect_null(got);
    cr_assert_diag(d, "t.html:1:601: error: sections nested deeper than 100 levels "
                      "[template-syntax]\n");
    buf_release(&text);
    diag_free(d);
}

/* --- includes ------------------------------------------------------------------- */

Test(template, auto_includes)
{
    const char *files[] = {"_includes/header.html",
                           "<h1>{{TITLE}}</h1>{{#NAV}}[{{ITEM}}]{{/NAV}}\n", "_includes/foot.html",
                           "{{ITEM}}.", NULL};
    char *diag = NULL;
    char *got =
        render_files(TPL_DO_NOT_STRIP, 1, "  {{>HEADER}}body {{#NAV}}{{>FOOT}}{{/NAV}}{{>OTHER}}\n",
                     "set TITLE T\nsec NAV\nset ITEM a\nend\nsec NAV\nset ITEM b\nend\n"
                     "inc OTHER x.html\nset ITEM inc\nend",
                     (const char *const[]){files[0], files[1], files[2], files[3], "x.html",
                                           "<{{ITEM}}{{TITLE}}>", NULL},
                     &diag);
    cr_assert_not_null(got, "%s", diag);
    /* The include renders with the current dictionary, so it sees TITLE of the
     * root and ITEM of the section; an include dictionary still wins. */
    cr_expect_str_eq(got, "  <h1>T</h1>[a][b]\n  body a.b.<inc>\n");
    free(got);
    free(diag);

    /* Without auto_includes an include without dictionary renders nothing. */
    got = render_files(TPL_DO_NOT_STRIP, 0, "[{{>HEADER}}]", "", files, &diag);
    cr_expect_str_eq(got, "[]");
    free(got);
    free(diag);
}

Test(template, auto_include_recursion_without_progress_is_a_cycle)
{
    /* The section inherits S from the parent, so the include re-enters with
     * the same dictionary forever. */
    const char *files[] = {"_includes/loop.html", "{{#S}}{{>LOOP}}{{/S}}", NULL};
    char *diag = NULL;
    char *got = render_files(TPL_DO_NOT_STRIP, 1, "{{>LOOP}}", "show S", files, &diag);
    cr_expect_null(got);
    cr_expect_str_eq(diag, "_includes/loop.html:1:7: error: include cycle: _includes/loop.html "
                           "-> _includes/loop.html [template-include]\n");
    free(got);
    free(diag);
}

Test(template, include_errors)
{
    static const struct {
        int auto_includes;
        const char *text;
        const char *setup;
        const char *expected;
    } cases[] = {
        {1, "a\n {{>NOPE}}", "",
         "t.tpl:2:2: error: cannot read include '_includes/nope.html': no such file or "
         "directory [template-include]\n"},
        {0, "{{>I}}", "inc I missing.html\nend",
         "t.tpl:1:1: error: cannot read include 'missing.html': no such file or directory "
         "[template-include]\n"},
        {0, "{{>I}}", "inc I ../escape.html\nend",
         "t.tpl:1:1: error: include '../escape.html' is outside the template directory "
         "[template-include]\n"},
        {0, "{{>I}}", "inc I sub/../../escape.html\nend",
         "t.tpl:1:1: error: include 'sub/../../escape.html' is outside the template directory "
         "[template-include]\n"},
        {0, "{{>I}}", "inc I /etc/passwd\nend",
         "t.tpl:1:1: error: include '/etc/passwd' is outside the template directory "
         "[template-include]\n"},
        {0, "{{>I}}", "inc I link.html\nend",
         "t.tpl:1:1: error: include 'link.html' is outside the template directory "
         "[template-include]\n"},
        {0, "x{{>I}}", "inc I bad.html\nend",
         "bad.html:1:3: error: section 'A' is never closed [template-syntax]\n"
         "t.tpl:1:2: note: include 'bad.html' not loaded: see the errors in it "
         "[template-include]\n"},
        {1, "x{{>BAD}}", "",
         "_includes/bad.html:1:5: error: unknown modifier 'q' [template-syntax]\n"
         "t.tpl:1:2: note: include '_includes/bad.html' not loaded: see the errors in it "
         "[template-include]\n"},
        {1, "{{>A}}", "",
         "_includes/b.html:2:1: error: include cycle: _includes/a.html -> _includes/b.html -> "
         "_includes/a.html [template-include]\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *dir = make_tmpdir();
        char *outside = make_tmpdir();
        write_file(outside, "secret.html", "secret");
        buf target;
        buf_init(&target);
        buf_printf(&target, "%s/secret.html", outside);
        buf link;
        buf_init(&link);
        buf_printf(&link, "%s/link.html", dir);
        cr_assert_eq(symlink(target.data, link.data), 0);
        write_file(dir, "t.tpl", cases[i].text);
        write_file(dir, "escape.html", "no");
        write_file(dir, "bad.html", "ab{{#A}}");
        write_file(dir, "_includes/bad.html", "{{X:q}}");
        write_file(dir, "_includes/a.html", "{{>B}}");
        write_file(dir, "_includes/b.html", "b\n{{>A}}");
        tpl_set *s = tpl_set_new(dir, TPL_DO_NOT_STRIP, cases[i].auto_includes);
        diags *d = diag_new(NULL);
        tpl_dict *dict = tpl_dict_new();
        setup_dict(dict, cases[i].setup);
        buf out;
        buf_init(&out);
        tpl *t = tpl_set_load(s, "t.tpl", d);
        int rc = t ? tpl_render(t, dict, &out, d) : -1;
        cr_expect_eq(rc, -1, "case %zu rendered", i);
        char *got = unit_diag_text(d);
        buf want;
        buf_init(&want);
        /* Expected names are relative; the set reports dir/name. */
        for (const char *p = cases[i].expected; *p;) {
            size_t len = strcspn(p, "\n");
            buf_printf(&want, "%s/%.*s\n", dir, (int)len, p);
            p += len + (p[len] == '\n');
        }
        cr_expect_str_eq(got, want.data, "case %zu: %s", i, got);
        free(got);
        buf_release(&want);
        buf_release(&out);
        buf_release(&target);
        buf_release(&link);
        tpl_dict_free(dict);
        tpl_set_free(s);
        diag_free(d);
        remove_tree(dir);
        remove_tree(outside);
    }
}

Test(template, include_depth_limit)
{
    char *dir = make_tmpdir();
    write_file(dir, "node.html", "<{{>NEXT}}>");
    tpl_set *s = tpl_set_new(dir, TPL_DO_NOT_STRIP, 0);
    diags *d = diag_new(NULL);
    tpl_dict *dict = tpl_dict_new();
    tpl_dict *at = dict;
    for (int i = 0; i < 40; i++)
        at = tpl_dict_add_include(at, "NEXT", "node.html");
    tpl *t = tpl_set_load(s, "node.html", d);
    cr_assert_not_null(t);
    buf out;
    buf_init(&out);
    cr_expect_eq(tpl_render(t, dict, &out, d), -1);
    char *got = unit_diag_text(d);
    buf want;
    buf_init(&want);
    buf_printf(&want,
               "%s/node.html:1:2: error: includes nested deeper than 32 levels "
               "[template-include]\n",
               dir);
    cr_expect_str_eq(got, want.data);
    free(got);
    buf_release(&want);
    buf_release(&out);
    tpl_dict_free(dict);
    tpl_set_free(s);
    diag_free(d);
    remove_tree(dir);
}

/* A reader serving one include from memory, named "(mem)/..." in messages,
 * as layout.c serves the default theme's. */
static int mem_reader(void *ctx, const char *name, buf *out, buf *shown, int *missing, diags *d)
{
    (void)ctx;
    (void)d;
    *missing = strcmp(name, "_includes/bad.html") != 0;
    if (*missing)
        return -1;
    buf_adds(out, "ok {{#OPEN}}");
    buf_printf(shown, "(mem)/%s", name);
    return 0;
}

/* Messages name a template by the name its reader or tpl_set_add_shown
 * gives, and the include marker that asked for it by its own. */
Test(template, shown_names)
{
    tpl_set *s = tpl_set_new("layouts", TPL_DO_NOT_STRIP, TPL_AUTO_REQUIRED);
    tpl_set_reader(s, mem_reader, NULL);
    diags *d = diag_new(NULL);
    cr_expect_null(tpl_set_add_shown(s, "a.html", "(mem)/a.html", "x{{>BAD}}", 9, 2, d));
    cr_expect_null(tpl_set_add_shown(s, "b.html", NULL, "{{/X}}", 6, 0, d));
    char *got = unit_diag_text(d);
    cr_expect_str_eq(got, "(mem)/_includes/bad.html:1:4: error: section 'OPEN' is never closed "
                          "[template-syntax]\n"
                          "(mem)/a.html:3:2: note: include '_includes/bad.html' not loaded: see "
                          "the errors in it [template-include]\n"
                          "layouts/b.html:1:1: error: '{{/X}}' closes no open section "
                          "[template-syntax]\n");
    free(got);
    tpl_set_free(s);
    diag_free(d);
}

Test(template, load_caches_and_reports)
{
    char *dir = make_tmpdir();
    write_file(dir, "a.html", "a");
    tpl_set *s = tpl_set_new(dir, TPL_DO_NOT_STRIP, 0);
    diags *d = diag_new(NULL);
    tpl *a = tpl_set_load(s, "a.html", d);
    cr_assert_not_null(a);
    cr_expect_eq(tpl_set_load(s, "a.html", d), a);
    cr_expect_null(tpl_set_load(s, "nope.html", d));
    cr_expect_null(tpl_set_add(s, "a.html", "x", 1, 0, d));
    char *got = unit_diag_text(d);
    buf want;
    buf_init(&want);
    buf_printf(&want,
               "%s/a.html:0:0: error: template 'a.html' is already loaded [template-include]\n"
               "%s/nope.html:0:0: error: cannot read template 'nope.html': no such file or "
               "directory [template-include]\n",
               dir, dir);
    cr_expect_str_eq(got, want.data);
    free(got);
    buf_release(&want);
    tpl_set_free(s);
    diag_free(d);
    remove_tree(dir);
}

/* A broken include asked for by two templates is one error, at the
 * include, and a note at each marker (the second from the cache). */
Test(template, broken_include_is_one_error)
{
    tpl_set *s = tpl_set_new("layouts", TPL_DO_NOT_STRIP, TPL_AUTO_REQUIRED);
    tpl_set_reader(s, mem_reader, NULL);
    diags *d = diag_new(NULL);
    cr_expect_null(tpl_set_add_shown(s, "a.html", "(mem)/a.html", "x{{>BAD}}", 9, 0, d));
    cr_expect_null(tpl_set_add_shown(s, "b.html", "(mem)/b.html", "\n{{>BAD}}", 9, 0, d));
    cr_expect_eq(diag_count(d, DIAG_ERROR), 1);
    cr_expect_eq(diag_count(d, DIAG_NOTE), 2);
    char *got = unit_diag_text(d);
    cr_expect_str_eq(got, "(mem)/_includes/bad.html:1:4: error: section 'OPEN' is never closed "
                          "[template-syntax]\n"
                          "(mem)/a.html:1:2: note: include '_includes/bad.html' not loaded: see "
                          "the errors in it [template-include]\n"
                          "(mem)/b.html:2:1: note: include '_includes/bad.html' not loaded: see "
                          "the errors in it [template-include]\n");
    free(got);
    tpl_set_free(s);
    diag_free(d);
}

/* Render-time loads of include files happen from many threads at once. */
#define THREADS 8

typedef struct thread_arg {
    const tpl *t;
    int id;
    int ok;
} thread_arg;

static void *render_thread(void *p)
{
    thread_arg *a = p;
    diags *d = diag_new(NULL);
    a->ok = 1;
    for (int round = 0; round < 50; round++) {
        tpl_dict *dict = tpl_dict_new();
        for (int k = 0; k < THREADS; k++) {
            char name[32];
            snprintf(name, sizeof name, "inc%d.html", (k + a->id) % THREADS);
            tpl_dict_set_int(tpl_dict_add_include(dict, "I", name), "N", k);
        }
        buf out;
        buf_init(&out);
        if (tpl_render(a->t, dict, &out, d) != 0)
            a->ok = 0;
        buf want;
        buf_init(&want);
        for (int k = 0; k < THREADS; k++)
            buf_printf(&want, "%d:%d;", (k + a->id) % THREADS, k);
        if (strcmp(out.data, want.data))
            a->ok = 0;
        buf_release(&want);
        buf_release(&out);
        tpl_dict_free(dict);
    }
    diag_free(d);
    return NULL;
}

Test(template, parallel_render_loads_includes_once)
{
    char *dir = make_tmpdir();
    write_file(dir, "page.html", "{{>I}}");
    for (int k = 0; k < THREADS; k++) {
        char name[32], text[64];
        snprintf(name, sizeof name, "inc%d.html", k);
        snprintf(text, sizeof text, "%d:{{N}};", k);
        write_file(dir, name, text);
    }
    tpl_set *s = tpl_set_new(dir, TPL_STRIP_WHITESPACE, 0);
    diags *d = diag_new(NULL);
    tpl *t = tpl_set_load(s, "page.html", d);
    cr_assert_not_null(t);
    pthread_t th[THREADS];
    thread_arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (thread_arg){t, i, 0};
        pthread_create(&th[i], NULL, render_thread, &args[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        cr_expect(args[i].ok, "thread %d", i);
    }
    tpl_set_free(s);
    diag_free(d);
    remove_tree(dir);
}

/* --- dictionaries --------------------------------------------------------------- */

Test(template, dictionary_values)
{
    diags *d = diag_new(NULL);
    tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
    tpl_dict *dict = tpl_dict_new();
    buf text, want;
    buf_init(&text);
    buf_init(&want);
    /* Many names: the lookup must not degrade, and every value must be found. */
    for (int i = 0; i < 1000; i++) {
        char name[16], value[16];
        snprintf(name, sizeof name, "V%d", i);
        snprintf(value, sizeof value, "%d,", i * 7);
        tpl_dict_set(dict, name, "replaced");
        tpl_dict_set(dict, name, value);
        buf_printf(&text, "{{V%d}}", i);
        buf_adds(&want, value);
    }
    tpl_dict_set_int(dict, "NEG", -42);
    tpl_dict_set_len(dict, "NUL", "a\0b", 3);
    tpl_dict_set(dict, "NULLED", NULL);
    buf_adds(&text, "{{NEG}}{{NUL}}[{{NULLED}}]");
    buf_adds(&want, "-42");
    buf_add(&want, "a\0b", 3);
    buf_adds(&want, "[]");
    /* show after add and add after show, as upstream. */
    tpl_dict_add_section(dict, "A");
    tpl_dict_show_section(dict, "A");
    tpl_dict_show_section(dict, "B");
    tpl_dict_add_section(dict, "B");
    buf_adds(&text, "{{#A}}a{{/A}}{{#B}}b{{/B}}");
    buf_adds(&want, "abb");
    tpl *t = tpl_set_add(s, "t.html", text.data, text.len, 0, d);
    cr_assert_not_null(t);
    buf out;
    buf_init(&out);
    cr_expect_eq(tpl_render(t, dict, &out, d), 0);
    cr_expect_eq(out.len, want.len);
    cr_expect(!memcmp(out.data, want.data, want.len));
    buf_release(&out);
    buf_release(&text);
    buf_release(&want);
    tpl_dict_free(dict);
    tpl_dict_free(NULL);
    tpl_set_free(s);
    tpl_set_free(NULL);
    diag_free(d);
}

/* --- slots ---------------------------------------------------------------------- */

/* Splices slot_texts[id] into out[0..len) at each recorded offset; the
 * offsets must be in output order and inside the output. */
static char *splice_slots(const char *out, const tpl_slots *slots)
{
    buf b;
    buf_init(&b);
    size_t len = strlen(out), at = 0;
    for (size_t k = 0; k < slots->n; k++) {
        size_t off = slots->v[k].offset;
        cr_assert(off >= at && off <= len, "slot %zu at %zu, after %zu, in %zu bytes", k, off, at,
                  len);
        cr_assert_lt(slots->v[k].id, 10);
        buf_add(&b, out + at, off - at);
        buf_adds(&b, slot_texts[slots->v[k].id]);
        at = off;
    }
    buf_adds(&b, out + at);
    return buf_detach(&b);
}

typedef struct slot_case {
    const char *name;
    tpl_strip strip;
    int auto_includes;
    const char *text;
    const char *setup; /* setup_dict's language; `slot NAME ID` */
    const char *files[7];
    const char *expected; /* the output with slot_texts spliced in */
} slot_case;

static const slot_case slot_cases[] = {
    {"variable, and :none", 0, 0, "a{{S}}b{{S:none}}c", "slot S 1", {NULL}, "a[#1]b[#1]c"},
    {"several, one not set",
     0,
     0,
     "{{S}}-{{T}}-{{S}}{{U}}|",
     "slot S 1\nslot T 2",
     {NULL},
     "[#1]-[#2]-[#1]|"},
    {"a value replaces a slot and a slot a value",
     0,
     0,
     "{{S}}{{T}}",
     "set S x\nslot S 1\nslot T 2\nset T y",
     {NULL},
     "[#1]y"},
    {"custom delimiters", 0, 0, "{{=<% %>=}}<%S%>{{S}}", "slot S 1", {NULL}, "[#1]{{S}}"},
    {"repeated section with a separator",
     0,
     0,
     "<{{#L}}{{S}}{{#L_separator}}, {{/L_separator}}{{/L}}>",
     "sec L\nslot S 1\nend\nsec L\nslot S 2\nend\nsec L\nset S x\nend",
     {NULL},
     "<[#1], [#2], x>"},
    {"looked up from a section",
     0,
     0,
     "{{#L}}({{S}}){{/L}}",
     "slot S 5\nsec L\nend\nsec L\nslot S 6\nend",
     {NULL},
     "([#5])([#6])"},
    {"include dictionaries",
     0,
     0,
     "x{{>INC}}y",
     "inc INC inc.tpl\nslot S 3\nend\ninc INC inc.tpl\nslot S 4\nend",
     {"inc.tpl", "<{{S}}>", NULL},
     "x<[#3]><[#4]>y"},
    {"include boundary",
     0,
     0,
     "{{S}}{{>INC}}",
     "slot S 1\ninc INC inc.tpl\nend",
     {"inc.tpl", "[{{S}}]", NULL},
     "[#1][]"},
    {"include with :none",
     0,
     0,
     "a{{>INC:none}}b",
     "inc INC inc.tpl\nslot S 1\nend",
     {"inc.tpl", "<{{S}}>", NULL},
     "a<[#1]>b"},
    {"include with a modifier and no slot",
     0,
     0,
     "{{S}}{{>INC:h}}{{S}}",
     "slot S 1\ninc INC inc.tpl\nset V &\nend",
     {"inc.tpl", "<{{V}}>", NULL},
     "[#1]&lt;&amp;&gt;[#1]"},
    {"indented include",
     0,
     0,
     "<ul>\n  {{>INC}}\n</ul>\n",
     "inc INC inc.tpl\nslot S 1\nslot T 2\nslot U 3\nend",
     {"inc.tpl", "<li>{{S}}</li>\n<li>{{T}}</li>\n{{U}}", NULL},
     "<ul>\n  <li>[#1]</li>\n  <li>[#2]</li>\n  [#3]\n</ul>\n"},
    {"indented include, slots at line ends",
     0,
     0,
     "  {{>A}}|\n\t{{>B}}|",
     "inc A a.tpl\nslot S 1\nslot T 2\nend\ninc B b.tpl\nslot S 3\nend",
     {"a.tpl", "{{S}}a\n{{T}}", "b.tpl", "a{{S}}\n", NULL},
     "  [#1]a\n  [#2]|\n\ta[#3]\n\t|"},
    {"indented include, crlf and lone cr",
     0,
     0,
     " {{>INC}}",
     "inc INC inc.tpl\nslot S 1\nslot T 2\nend",
     {"inc.tpl", "a\r\n{{S}}\r{{T}}b\r", NULL},
     " a\r\n [#1]\r [#2]b\r "},
    {"nested indented auto includes",
     0,
     1,
     "<div>\n  {{>OUTER}}\n</div>",
     "slot S 1\nslot T 2\nslot U 3",
     {"_includes/outer.html", "<p>{{S}}</p>\n  {{>INNER}}\n<p>{{U}}</p>", "_includes/inner.html",
      "{{T}}\n{{T}}", NULL},
     "<div>\n  <p>[#1]</p>\n    [#2]\n    [#2]\n  <p>[#3]</p>\n</div>"},
    {"indented includes repeated in a section",
     0,
     0,
     "<ol>\n{{#L}}  {{>INC}}\n{{/L}}</ol>",
     "sec L\ninc INC inc.tpl\nslot S 1\nend\nend\nsec L\ninc INC inc.tpl\nslot S 2\nend\nend",
     {"inc.tpl", "<li>\n{{S}}\n</li>", NULL},
     "<ol>\n  <li>\n  [#1]\n  </li>\n  <li>\n  [#2]\n  </li>\n</ol>"},
    {"strip blank lines",
     TPL_STRIP_BLANK_LINES,
     0,
     "<ul>\n  {{>INC}}\n\n  <li>{{S}}</li>\n  {{#L}}\n{{S}}\n  {{/L}}\n</ul>\n",
     "slot S 1\nshow L\ninc INC inc.tpl\nslot T 2\nend",
     {"inc.tpl", "<li>\n\n{{T}}\n</li>\n", NULL},
     "<ul>\n<li>\n[#2]\n</li>\n  <li>[#1]</li>\n[#1]\n</ul>\n"},
    {"strip whitespace",
     TPL_STRIP_WHITESPACE,
     0,
     "<p>\n  {{S}}\n  {{>INC}}\n</p>\n",
     "slot S 1\ninc INC inc.tpl\nslot T 2\nend",
     {"inc.tpl", " a\n {{T}} \n", NULL},
     "<p>[#1]a[#2]</p>"},
    {"auto-escaping, with :none",
     0,
     0,
     "{{%AUTOESCAPE context=\"HTML\"}}<p title=\"{{V}}\">{{V}}{{S:none}}</p>{{BI_NEWLINE}}",
     "set V <&>\nslot S 1",
     {NULL},
     "<p title=\"&lt;&amp;&gt;\">&lt;&amp;&gt;[#1]</p>\n"},
    {"auto-escaping JavaScript, with :none",
     0,
     0,
     "{{%AUTOESCAPE context=\"JAVASCRIPT\"}}var s = '{{S:none}}';",
     "slot S 1",
     {NULL},
     "var s = '[#1]';"},
};

/* Each case three ways: tpl_render_slots (spliced, it must give `expected`),
 * tpl_render (the same output, slots empty) and tpl_render with the texts
 * as values (the same document: slots stand exactly where values do; the
 * texts have no line breaks, so indentation cannot tell them apart). */
Test(template, slots)
{
    for (size_t i = 0; i < sizeof slot_cases / sizeof *slot_cases; i++) {
        const slot_case *c = &slot_cases[i];
        tpl_slots slots = {0};
        char *diag = NULL;
        char *out = render_files_as(c->strip, c->auto_includes, c->text, c->setup, c->files,
                                    RENDER_SLOTS, &slots, &diag);
        cr_assert_not_null(out, "%s: %s", c->name, diag);
        char *spliced = splice_slots(out, &slots);
        cr_expect_str_eq(spliced, c->expected, "%s", c->name);
        char *plain = render_files_as(c->strip, c->auto_includes, c->text, c->setup, c->files,
                                      RENDER_PLAIN, NULL, NULL);
        cr_expect_str_eq(plain, out, "%s: tpl_render", c->name);
        char *values = render_files_as(c->strip, c->auto_includes, c->text, c->setup, c->files,
                                       RENDER_VALUES, NULL, NULL);
        cr_expect_str_eq(values, c->expected, "%s: values", c->name);
        free(values);
        free(plain);
        free(spliced);
        free(out);
        free(diag);
        tpl_slots_release(&slots);
    }
}

typedef struct slot_error_case {
    tpl_strip strip;
    const char *text;
    const char *setup;
    const char *files[5];
    const char *expected;
} slot_error_case;

#define NO_ESCAPE                                                                                  \
    "cannot be escaped: write it without modifiers or with ':none' [template-syntax]\n"
#define NO_AUTO "cannot be auto-escaped: write it with ':none' [template-syntax]\n"

static const slot_error_case slot_error_cases[] = {
    {0, "a\n {{S:h}}", "slot S 1", {NULL}, "t.tpl:2:2: error: slot variable 'S' " NO_ESCAPE},
    {0, "{{S:x-mine}}", "slot S 1", {NULL}, "t.tpl:1:1: error: slot variable 'S' " NO_ESCAPE},
    {0, "{{S:none:h}}", "slot S 1", {NULL}, "t.tpl:1:1: error: slot variable 'S' " NO_ESCAPE},
    {1,
     "\n\n  {{#L}}{{S:u}}{{/L}}\n",
     "show L\nslot S 1",
     {NULL},
     "t.tpl:3:9: error: slot variable 'S' " NO_ESCAPE},
    {2,
     "\n\n  {{#L}}{{S:u}}{{/L}}\n",
     "show L\nslot S 1",
     {NULL},
     "t.tpl:3:9: error: slot variable 'S' " NO_ESCAPE},
    /* Once per marker, however often it expands; each marker once. */
    {0,
     "{{#L}}{{S:h}}{{T:j}}{{/L}}",
     "sec L\nslot S 1\nslot T 2\nend\nsec L\nslot S 2\nend",
     {NULL},
     "t.tpl:1:7: error: slot variable 'S' " NO_ESCAPE
     "t.tpl:1:14: error: slot variable 'T' " NO_ESCAPE},
    {0,
     "{{%AUTOESCAPE context=\"HTML\"}}\n<p>{{S}}</p>",
     "slot S 1",
     {NULL},
     "t.tpl:2:4: error: slot variable 'S' " NO_AUTO},
    {0,
     "{{%AUTOESCAPE context=\"HTML\"}}<a href=\"{{S:x-url}}\">",
     "slot S 1",
     {NULL},
     "t.tpl:1:40: error: slot variable 'S' " NO_AUTO},
    {0,
     "{{%AUTOESCAPE context=\"JAVASCRIPT\"}}var s = '{{S}}';",
     "slot S 1",
     {NULL},
     "t.tpl:1:46: error: slot variable 'S' " NO_AUTO},
    {0,
     "x{{>INC:h}}",
     "inc INC inc.tpl\nslot S 1\nend",
     {"inc.tpl", "a\n  {{S}}", NULL},
     "inc.tpl:2:3: error: slot variable 'S' cannot be escaped by the modifiers of include 'INC' "
     "[template-syntax]\n"},
    {0,
     "{{>OUT:j}}",
     "inc OUT out.tpl\ninc IN in.tpl\nslot S 1\nend\nend",
     {"out.tpl", "[{{>IN}}]", "in.tpl", "{{S}}", NULL},
     "in.tpl:1:1: error: slot variable 'S' cannot be escaped by the modifiers of include 'OUT' "
     "[template-syntax]\n"},
};

/* The same error from tpl_render_slots and tpl_render; slots left empty. */
Test(template, slot_errors)
{
    for (size_t i = 0; i < sizeof slot_error_cases / sizeof *slot_error_cases; i++) {
        const slot_error_case *c = &slot_error_cases[i];
        tpl_slots slots = {0};
        char *diag = NULL;
        char *out =
            render_files_as(c->strip, 0, c->text, c->setup, c->files, RENDER_SLOTS, &slots, &diag);
        cr_expect_null(out, "%s rendered", c->text);
        cr_expect_str_eq(diag, c->expected, "%s", c->text);
        cr_expect_eq(slots.n, 0, "%s", c->text);
        free(out);
        free(diag);
        out = render_files_as(c->strip, 0, c->text, c->setup, c->files, RENDER_PLAIN, NULL, &diag);
        cr_expect_null(out, "%s rendered", c->text);
        cr_expect_str_eq(diag, c->expected, "%s: tpl_render", c->text);
        free(out);
        free(diag);
        tpl_slots_release(&slots);
    }
}

/* The vector is emptied by each render and reused; ids are the caller's. */
Test(template, slots_vector)
{
    diags *d = diag_new(NULL);
    tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
    const char *text = "{{A}}-{{B}}";
    tpl *t = tpl_set_add(s, "t.html", text, strlen(text), 0, d);
    cr_assert_not_null(t);
    tpl_dict *dict = tpl_dict_new();
    tpl_dict_set_slot(dict, "A", (size_t)-1);
    tpl_dict_set_slot(dict, "B", 12345);
    tpl_slots slots = {0};
    buf out;
    buf_init(&out);
    for (int round = 0; round < 3; round++) {
        cr_assert_eq(tpl_render_slots(t, dict, &out, &slots, d), 0);
        cr_assert_eq(slots.n, 2);
        cr_expect_eq(slots.v[0].offset, 0);
        cr_expect_eq(slots.v[0].id, (size_t)-1);
        cr_expect_eq(slots.v[1].offset, 1);
        cr_expect_eq(slots.v[1].id, 12345);
    }
    cr_expect_str_eq(out.data, "---");
    cr_expect_eq(tpl_render_slots(t, dict, &out, NULL, d), 0);
    cr_expect_str_eq(out.data, "----");
    tpl_slots_release(&slots);
    cr_expect_null(slots.v);
    cr_expect_eq(slots.n, 0);
    tpl_slots_release(&slots);
    tpl_slots_release(NULL);
    buf_release(&out);
    tpl_dict_free(dict);
    tpl_set_free(s);
    diag_free(d);
}

/* A dictionary keeps its entries in order and, past a few, a hash index that
 * is rebuilt as it grows: every name stays found, in its own namespace, with
 * its last value, however many there are. */
Test(template, dictionary_with_many_names)
{
    tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
    tpl_dict *dict = tpl_dict_new();
    diags *d = diag_new(NULL);
    char name[32], value[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "V%d", i);
        snprintf(value, sizeof value, "v%d", i);
        tpl_dict_set(dict, name, value);
        if (i % 3 == 0) {
            /* A section of the same name: another namespace. */
            tpl_dict *kid = tpl_dict_add_section(dict, name);
            snprintf(value, sizeof value, "s%d", i);
            tpl_dict_set(kid, "IN", value);
        }
    }
    for (int i = 0; i < 3000; i += 7) {
        snprintf(name, sizeof name, "V%d", i);
        snprintf(value, sizeof value, "w%d", i);
        tpl_dict_set(dict, name, value);
    }
    const char *text = "{{V0}} {{V1}} {{V2}} {{V7}} {{V1000}} {{V2999}} {{V3000}}|"
                       "{{#V0}}{{IN}}{{V1}}{{/V0}}{{#V1}}x{{/V1}}{{#V2997}}{{IN}}{{/V2997}}";
    tpl *t = tpl_set_add(s, "t.html", text, strlen(text), 0, d);
    cr_assert_not_null(t);
    buf out;
    buf_init(&out);
    cr_assert_eq(tpl_render(t, dict, &out, d), 0);
    cr_expect_str_eq(out.data, "w0 v1 v2 w7 v1000 v2999 |s0v1s2997");
    buf_release(&out);
    tpl_dict_free(dict);
    tpl_set_free(s);
    diag_free(d);
}

/* Sections shown in one dictionary share one empty dictionary and its list;
 * adding to one of them afterwards gives it a list of its own, leaving the
 * others shown once; lookups inside a shown section reach the dictionary
 * that shows it. */
Test(template, shown_sections_then_added_to)
{
    tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
    tpl_dict *dict = tpl_dict_new();
    diags *d = diag_new(NULL);
    tpl_dict *row = tpl_dict_add_section(dict, "ROW");
    tpl_dict_set(row, "V", "r");
    tpl_dict_show_section(row, "X");
    tpl_dict_show_section(row, "Y");
    tpl_dict_show_section(row, "Z");
    tpl_dict_show_section(row, "X"); /* again: still once */
    tpl_dict_set(tpl_dict_add_section(row, "Y"), "V", "added");
    const char *text = "{{#ROW}}{{#X}}x{{V}}{{/X}}|{{#Y}}y{{V}}{{/Y}}|{{#Z}}z{{V}}{{/Z}}{{/ROW}}";
    tpl *t = tpl_set_add(s, "t.html", text, strlen(text), 0, d);
    cr_assert_not_null(t);
    buf out;
    buf_init(&out);
    cr_assert_eq(tpl_render(t, dict, &out, d), 0);
    cr_expect_str_eq(out.data, "xr|yryadded|zr");
    buf_release(&out);
    tpl_dict_free(dict);
    tpl_set_free(s);
    diag_free(d);
}

/* A reserved dictionary keeps what it held before and renders as one that
 * grew: names set before the reservation, after it, past it (the table
 * grows again) and past the size where lookups go through an index. */
Test(template, reserve_keeps_entries)
{
    tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
    diags *d = diag_new(NULL);
    buf text, want;
    buf_init(&text);
    buf_init(&want);
    for (int i = 0; i < 40; i++) {
        buf_printf(&text, "{{V%d}}{{#S%d}}s{{/S%d}},", i, i, i);
        buf_printf(&want, "v%d%s,", i, i % 3 ? "s" : "");
    }
    tpl *t = tpl_set_add(s, "t.html", text.data, text.len, 0, d);
    cr_assert_not_null(t);
    for (size_t reserve = 0; reserve < 3; reserve++) {
        static const size_t at[] = {0, 2, 6};
        static const size_t n[] = {0, 18, 100};
        tpl_dict *dict = tpl_dict_new();
        buf name, value;
        buf_init(&name);
        buf_init(&value);
        for (int i = 0; i < 40; i++) {
            if ((size_t)i == at[reserve] && n[reserve])
                tpl_dict_reserve(dict, n[reserve]);
            buf_reset(&name);
            buf_printf(&name, "V%d", i);
            buf_reset(&value);
            buf_printf(&value, "v%d", i);
            tpl_dict_set(dict, name.data, value.data);
            if (i % 3) {
                buf_reset(&name);
                buf_printf(&name, "S%d", i);
                tpl_dict_show_section(dict, name.data);
            }
        }
        buf out;
        buf_init(&out);
        cr_assert_eq(tpl_render(t, dict, &out, d), 0);
        cr_expect_str_eq(out.data, want.data, "reserved %zu at %zu", n[reserve], at[reserve]);
        buf_release(&out);
        buf_release(&name);
        buf_release(&value);
        tpl_dict_free(dict);
    }
    cr_assert_diag(d, "");
    diag_free(d);
    buf_release(&text);
    buf_release(&want);
    tpl_set_free(s);
}

/* ---- tpl_dict_digest ---- */

static void digest_into(void *ctx, const void *data, size_t len)
{
    digest_add(ctx, data, len);
}

static void dict_hex(char hex[DIGEST_HEX], const tpl_dict *d)
{
    digest *h = digest_new();
    tpl_dict_digest(d, digest_into, h);
    digest_hex(h, hex);
    digest_free(h);
}

/* A tree with a value of `len` bytes (byte `flip` changed, when below len)
 * among short ones, in a section, so the feed's buffer is filled, passed
 * and flushed around it. */
static void long_value_hex(char hex[DIGEST_HEX], size_t len, size_t flip)
{
    char *v = xmalloc(len + 1);
    for (size_t i = 0; i < len; i++)
        v[i] = (char)('a' + i % 26);
    if (flip < len)
        v[flip] = 'Z';
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set(d, "TITLE", "T");
    for (int k = 0; k < 3; k++) {
        tpl_dict *e = tpl_dict_add_section(d, "ROW");
        tpl_dict_set(e, "SHORT", "s");
        tpl_dict_set_len(e, "LONG", v, len);
        tpl_dict_set_int(e, "N", k);
    }
    dict_hex(hex, d);
    tpl_dict_free(d);
    free(v);
}

/* Every byte of every value counts, wherever it falls against the feed's
 * 4 KB buffer; and how text is cut into names, values and entries counts
 * too: no two different trees are fed alike. */
Test(template, dictionary_digest_counts_every_byte)
{
    static const size_t lens[] = {1, 100, 4000, 4095, 4096, 4097, 9000};
    for (size_t i = 0; i < COUNT(lens); i++) {
        char base[DIGEST_HEX], again[DIGEST_HEX], other[DIGEST_HEX];
        long_value_hex(base, lens[i], SIZE_MAX);
        long_value_hex(again, lens[i], SIZE_MAX);
        cr_expect_str_eq(base, again, "length %zu: not stable", lens[i]);
        size_t flips[] = {0, lens[i] / 2, lens[i] - 1};
        for (size_t k = 0; k < COUNT(flips); k++) {
            long_value_hex(other, lens[i], flips[k]);
            cr_expect_str_neq(base, other, "length %zu: byte %zu not fed", lens[i], flips[k]);
        }
    }

    tpl_dict *a = tpl_dict_new(), *b = tpl_dict_new(), *c = tpl_dict_new(), *e = tpl_dict_new();
    tpl_dict_set(a, "A", "bc");
    tpl_dict_set(b, "Ab", "c");
    tpl_dict_set(c, "A", "b");
    tpl_dict_set(c, "c", "");
    tpl_dict_add_section(e, "A");
    char ha[DIGEST_HEX], hb[DIGEST_HEX], hc[DIGEST_HEX], he[DIGEST_HEX];
    dict_hex(ha, a);
    dict_hex(hb, b);
    dict_hex(hc, c);
    dict_hex(he, e);
    cr_expect_str_neq(ha, hb);
    cr_expect_str_neq(ha, hc);
    cr_expect_str_neq(hb, hc);
    cr_expect_str_neq(ha, he);
    tpl_dict_add_section(e, "A");
    char he2[DIGEST_HEX];
    dict_hex(he2, e);
    cr_expect_str_neq(he, he2, "a section's count not fed");
    /* An empty value set by reference (no bytes at all) is fed as "". */
    tpl_dict *r = tpl_dict_new(), *q = tpl_dict_new();
    tpl_dict_set_ref(r, "CONTENT", NULL, 0);
    tpl_dict_set(q, "CONTENT", "");
    char hr[DIGEST_HEX], hq[DIGEST_HEX];
    dict_hex(hr, r);
    dict_hex(hq, q);
    cr_expect_str_eq(hr, hq);
    tpl_dict_free(r);
    tpl_dict_free(q);
    tpl_dict_free(a);
    tpl_dict_free(b);
    tpl_dict_free(c);
    tpl_dict_free(e);
}

/* ---- lazy sections (tpl_dict_add_lazy_section) ---- */

typedef struct lazy_rows {
    const char *const *names;
    int *made; /* how many dictionaries fill has made */
} lazy_rows;

/* Row i: its own values, a nested section, a shown section on odd rows,
 * an include with a dictionary of its own, and a slot. */
static void fill_row(const void *ctx, size_t i, tpl_dict *d)
{
    const lazy_rows *r = ctx;
    (*r->made)++;
    tpl_dict_set(d, "NAME", r->names[i]);
    tpl_dict_set_int(d, "N", (long)i);
    for (int k = 0; k < 2; k++)
        tpl_dict_set_int(tpl_dict_add_section(d, "SUB"), "X", (long)i * 10 + k);
    if (i % 2)
        tpl_dict_show_section(d, "ODD");
    tpl_dict_set_int(tpl_dict_add_include(d, "INC", "inc.html"), "V", (long)i);
    tpl_dict_set_slot(d, "SLOT", 100 + i);
}

/* The tree both ways: ROW eager (every dictionary made now) or lazy. */
static tpl_dict *rows_dict(int lazy, const lazy_rows *r, size_t n, const tpl_dict *shared)
{
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set_shared(d, shared);
    tpl_dict_set(d, "OWNER", "own");
    tpl_dict_set(d, "NAME", "not this one");
    tpl_dict_set_template_global(d, "TG", "tg", 2);
    tpl_dict *list = tpl_dict_add_section(d, "LIST");
    tpl_dict_set(list, "LIST_TITLE", "rows");
    if (lazy) {
        tpl_dict_add_lazy_section(list, "ROW", n, fill_row, r, sizeof *r);
    } else {
        for (size_t i = 0; i < n; i++)
            fill_row(r, i, tpl_dict_add_section(list, "ROW"));
    }
    return d;
}

/* A lazy section renders and records slots exactly as the same section
 * made whole: values of its own and of every dictionary above it, of the
 * shared tree and the template-globals; nested, shown and separated
 * sections; includes; slots. Each render makes each dictionary once and
 * keeps none (AddressSanitizer would report a leak); a digest makes each
 * once more, alike for the same rows. */
Test(template, lazy_section_equals_a_whole_one)
{
    diags *d = diag_new(NULL);
    tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
    const char *text = "{{#LIST}}{{LIST_TITLE}}:{{#ROW}}[{{NAME}} {{N}} {{OWNER}} {{SITE}} "
                       "{{TG}}{{#SUB}} {{X}}{{#SUB_separator}},{{/SUB_separator}}{{/SUB}}"
                       "{{#ODD}} odd{{/ODD}} {{>INC}} {{SLOT}}]{{#ROW_separator}}; "
                       "{{/ROW_separator}}{{/ROW}}{{/LIST}}";
    const char *inc = "<{{V}}{{OWNER}}{{TG}}>";
    cr_assert_not_null(tpl_set_add(s, "inc.html", inc, strlen(inc), 0, d));
    tpl *t = tpl_set_add(s, "t.html", text, strlen(text), 0, d);
    cr_assert_not_null(t);
    tpl_dict *shared = tpl_dict_new();
    tpl_dict_set(shared, "SITE", "site");
    static const char *const names[] = {"a", "b", "c"};
    static const char want[] =
        "rows:[a 0 own site tg 0, 1 <0tg> ]; [b 1 own site tg 10, 11 odd <1tg> ]; "
        "[c 2 own site tg 20, 21 <2tg> ]";
    for (size_t n = 0; n <= 3; n++) {
        int made_whole = 0, made_lazy = 0;
        lazy_rows whole = {names, &made_whole}, lazy = {names, &made_lazy};
        tpl_dict *a = rows_dict(0, &whole, n, shared), *b = rows_dict(1, &lazy, n, shared);
        cr_expect_eq(made_lazy, 0, "nothing made before it is used");
        buf oa, ob;
        buf_init(&oa);
        buf_init(&ob);
        tpl_slots sa = {0}, sb = {0};
        cr_assert_eq(tpl_render_slots(t, a, &oa, &sa, d), 0);
        cr_assert_eq(tpl_render_slots(t, b, &ob, &sb, d), 0);
        cr_expect_str_eq(ob.data, oa.data, "%zu rows", n);
        cr_expect_eq(made_lazy, (int)n, "each made once per render");
        cr_assert_eq(sb.n, sa.n);
        cr_expect_eq(sa.n, n);
        for (size_t k = 0; k < sa.n; k++) {
            cr_expect_eq(sb.v[k].offset, sa.v[k].offset);
            cr_expect_eq(sb.v[k].id, sa.v[k].id);
            cr_expect_eq(sa.v[k].id, 100 + k);
        }
        if (n == 3)
            cr_expect_str_eq(oa.data, want);
        if (n == 0)
            cr_expect_str_eq(oa.data, "rows:", "no rows: the section is hidden");
        char hb[DIGEST_HEX], hc[DIGEST_HEX];
        dict_hex(hb, b);
        cr_expect_eq(made_lazy, 2 * (int)n, "and once more for the digest");
        int made_again = 0;
        lazy_rows again = {names, &made_again};
        tpl_dict *c = rows_dict(1, &again, n, shared);
        dict_hex(hc, c);
        cr_expect_str_eq(hc, hb, "%zu rows: digested alike", n);
        tpl_dict_free(c);
        tpl_slots_release(&sa);
        tpl_slots_release(&sb);
        buf_release(&oa);
        buf_release(&ob);
        tpl_dict_free(a);
        tpl_dict_free(b);
    }
    /* Added to afterwards: replaced by the dictionaries added. */
    int made = 0;
    lazy_rows r = {names, &made};
    const char *rows_text = "{{#ROW}}({{X}}){{/ROW}}";
    tpl *rt = tpl_set_add(s, "rows.html", rows_text, strlen(rows_text), 0, d);
    cr_assert_not_null(rt);
    tpl_dict *list = tpl_dict_new();
    tpl_dict_add_lazy_section(list, "ROW", 3, fill_row, &r, sizeof r);
    tpl_dict_set(tpl_dict_add_section(list, "ROW"), "X", "x");
    buf o;
    buf_init(&o);
    cr_assert_eq(tpl_render(rt, list, &o, d), 0);
    cr_expect_str_eq(o.data, "(x)");
    cr_expect_eq(made, 0);
    cr_assert_diag(d, "");
    buf_release(&o);
    tpl_dict_free(list);
    tpl_dict_free(shared);
    tpl_set_free(s);
    diag_free(d);
}

/* ---- keyed lazy sections (tpl_dict_add_lazy_section_keyed) ---- */

typedef struct keyed_rows {
    lazy_rows rows;
    const char *const *keys; /* each row's key, 64 characters */
    int *keyed;              /* how many keys were asked for */
} keyed_rows;

static void fill_keyed(const void *ctx, size_t i, tpl_dict *d)
{
    fill_row(&((const keyed_rows *)ctx)->rows, i, d);
}

static void key_row(const void *ctx, size_t i, char key[65])
{
    const keyed_rows *r = ctx;
    (*r->keyed)++;
    memcpy(key, r->keys[i], 65);
}

/* An outer lazy section's one row holding the keyed section: digested,
 * the keyed section is added inside a digest sink. */
typedef struct keyed_outer {
    const keyed_rows *rows;
    size_t n;
} keyed_outer;

static void fill_outer(const void *ctx, size_t i, tpl_dict *d)
{
    (void)i;
    const keyed_outer *o = ctx;
    tpl_dict_add_lazy_section_keyed(d, "ROW", o->n, fill_keyed, key_row, "v", o->rows,
                                    sizeof *o->rows);
}

static tpl_dict *outer_dict(const keyed_outer *o)
{
    tpl_dict *d = tpl_dict_new();
    tpl_dict_add_lazy_section(d, "OUTER", 1, fill_outer, o, sizeof *o);
    return d;
}

static tpl_dict *keyed_dict(const keyed_rows *r, size_t n, const char *variant)
{
    tpl_dict *d = tpl_dict_new();
    tpl_dict *list = tpl_dict_add_section(d, "LIST");
    tpl_dict_add_lazy_section_keyed(list, "ROW", n, fill_keyed, key_row, variant, r, sizeof *r);
    return d;
}

/* A keyed lazy section renders as the plain one, but a digest takes each
 * row's key instead of making it: the same keys and variant digest alike,
 * another key or variant otherwise, and no row is made for it. */
Test(template, a_keyed_lazy_section_digests_its_keys)
{
    diags *d = diag_new(NULL);
    tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
    const char *text = "{{#LIST}}{{#ROW}}[{{NAME}} {{N}}]{{/ROW}}{{/LIST}}";
    tpl *t = tpl_set_add(s, "t.html", text, strlen(text), 0, d);
    cr_assert_not_null(t);
    static const char *const names[] = {"a", "b"};
    char k0[65], k1[65], k2[65];
    memset(k0, '0', 64);
    memset(k1, '1', 64);
    memset(k2, '2', 64);
    k0[64] = k1[64] = k2[64] = '\0';
    const char *keys[] = {k0, k1}, *other[] = {k0, k2};
    int made = 0, keyed = 0;
    keyed_rows r = {{names, &made}, keys, &keyed}, o = {{names, &made}, other, &keyed};
    tpl_dict *a = keyed_dict(&r, 2, "v"), *b = keyed_dict(&r, 2, "v"), *c = keyed_dict(&o, 2, "v"),
             *e = keyed_dict(&r, 2, "w");
    buf out;
    buf_init(&out);
    cr_assert_eq(tpl_render(t, a, &out, d), 0);
    cr_expect_str_eq(out.data, "[a 0][b 1]");
    cr_expect_eq(made, 2);
    char ha[DIGEST_HEX], hb[DIGEST_HEX], hc[DIGEST_HEX], he[DIGEST_HEX];
    dict_hex(ha, a);
    dict_hex(hb, b);
    dict_hex(hc, c);
    dict_hex(he, e);
    cr_expect_eq(made, 2, "a row made for a digest");
    cr_expect_eq(keyed, 8);
    cr_expect_str_eq(ha, hb, "the same keys digest alike");
    cr_expect_str_neq(ha, hc, "another row's key digests the same");
    cr_expect_str_neq(ha, he, "another variant digests the same");
    /* The same inside a lazy section's dictionary made for a digest. */
    keyed_outer oa = {&r, 2}, ob = {&r, 2}, oc = {&o, 2};
    tpl_dict *xa = outer_dict(&oa), *xb = outer_dict(&ob), *xc = outer_dict(&oc);
    made = keyed = 0;
    dict_hex(ha, xa);
    dict_hex(hb, xb);
    dict_hex(hc, xc);
    cr_expect_eq(made, 0, "a row made for a digest inside a sink");
    cr_expect_eq(keyed, 6);
    cr_expect_str_eq(ha, hb, "inside a sink: the same keys digest alike");
    cr_expect_str_neq(ha, hc, "inside a sink: another row's key digests the same");
    tpl_dict_free(xa);
    tpl_dict_free(xb);
    tpl_dict_free(xc);
    cr_assert_diag(d, "");
    buf_release(&out);
    tpl_dict_free(a);
    tpl_dict_free(b);
    tpl_dict_free(c);
    tpl_dict_free(e);
    tpl_set_free(s);
    diag_free(d);
}

/* What a fill sets in its dictionary, each variant changing one thing, so
 * that a digest missing any kind of addition is caught. */
enum {
    V_BASE,
    V_VALUE,         /* a value's bytes */
    V_NAME,          /* a value's name */
    V_REF,           /* a value set by reference, other bytes */
    V_ORDER,         /* two values set the other way round */
    V_WHERE,         /* a value set in the nested section, not the row */
    V_SUB_VALUE,     /* a nested section's value */
    V_SUB_COUNT,     /* the nested section once more */
    V_SHOW,          /* another section shown */
    V_SLOT,          /* a slot's id */
    V_INCLUDE_FILE,  /* an include's file */
    V_INCLUDE_VALUE, /* a value in the include's dictionary */
    V_INNER_COUNT,   /* a lazy section inside the row: one row more */
    V_INNER_VALUE,   /* and a value of it */
    V_GLOBAL,        /* a template-global value */
    V_COUNT
};

typedef struct variant_rows {
    int variant;
    int *made;
} variant_rows;

static void fill_inner(const void *ctx, size_t i, tpl_dict *d)
{
    const variant_rows *r = ctx;
    tpl_dict_set_int(d, "IN", (long)i + (r->variant == V_INNER_VALUE && i == 1));
}

static void fill_variant(const void *ctx, size_t i, tpl_dict *d)
{
    const variant_rows *r = ctx;
    int v = i == 1 ? r->variant : V_BASE; /* the second row differs */
    (*r->made)++;
    tpl_dict_reserve(d, 12);
    if (v == V_ORDER) {
        tpl_dict_set(d, "B", "b");
        tpl_dict_set(d, v == V_NAME ? "AA" : "A", v == V_VALUE ? "a2" : "a");
    } else {
        tpl_dict_set(d, v == V_NAME ? "AA" : "A", v == V_VALUE ? "a2" : "a");
        tpl_dict_set(d, "B", "b");
    }
    tpl_dict_set_ref(d, "R", v == V_REF ? "rr" : "r", v == V_REF ? 2 : 1);
    tpl_dict *sub = tpl_dict_add_section(d, "SUB");
    tpl_dict_set(sub, "X", v == V_SUB_VALUE ? "x2" : "x");
    tpl_dict_set(v == V_WHERE ? sub : d, "W", "w");
    if (v == V_SUB_COUNT)
        tpl_dict_add_section(d, "SUB");
    tpl_dict_show_section(d, v == V_SHOW ? "SHOWN2" : "SHOWN");
    tpl_dict_set_slot(d, "SLOT", v == V_SLOT ? 8 : 7);
    tpl_dict *inc = tpl_dict_add_include(d, "INC", v == V_INCLUDE_FILE ? "b.html" : "a.html");
    tpl_dict_set(inc, "V", v == V_INCLUDE_VALUE ? "v2" : "v");
    tpl_dict_add_lazy_section(d, "INNER", v == V_INNER_COUNT ? 3 : 2, fill_inner, r, sizeof *r);
    if (v == V_GLOBAL)
        tpl_dict_set_template_global(d, "G", "g", 1);
}

static void variant_hex(char hex[DIGEST_HEX], int variant, int *made)
{
    variant_rows r = {variant, made};
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set(d, "TOP", "t");
    tpl_dict_add_lazy_section(d, "ROW", 3, fill_variant, &r, sizeof r);
    dict_hex(hex, d);
    tpl_dict_free(d);
}

/* A lazy section's digest is fed what its fill sets, as it sets it: the
 * same fill digests alike; a change of any kind to one row (a value, a
 * name, the order, the dictionary it went in, a section, a slot, an
 * include, a lazy section within) digests differently, and no two changes
 * alike. Each row is made once for the digest and kept by nothing
 * (AddressSanitizer would report a leak). */
Test(template, lazy_section_digest_takes_in_every_addition)
{
    char hex[V_COUNT][DIGEST_HEX], again[DIGEST_HEX];
    for (int v = 0; v < V_COUNT; v++) {
        int made = 0;
        variant_hex(hex[v], v, &made);
        cr_expect_eq(made, 3, "variant %d: each row made once", v);
    }
    int made = 0;
    variant_hex(again, V_BASE, &made);
    cr_expect_str_eq(again, hex[V_BASE], "the same fill digests alike");
    for (int v = 0; v < V_COUNT; v++)
        for (int w = v + 1; w < V_COUNT; w++)
            cr_expect_str_neq(hex[v], hex[w], "variants %d and %d digested alike", v, w);
}

/* A lazy section in a shared tree (as the site's SECTIONS, listing every
 * page) renders from several threads at once, each making its own. */
typedef struct lazy_thread {
    const tpl *t;
    const tpl_dict *shared;
    char *out;
} lazy_thread;

static void fill_number(const void *ctx, size_t i, tpl_dict *d)
{
    (void)ctx;
    tpl_dict_set_int(d, "I", (long)i);
}

static void *render_lazy(void *arg)
{
    lazy_thread *lt = arg;
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set_shared(d, lt->shared);
    buf out;
    buf_init(&out);
    diags *dg = diag_new(NULL);
    for (int k = 0; k < 50; k++) {
        buf_reset(&out);
        if (tpl_render(lt->t, d, &out, dg) != 0)
            break;
    }
    lt->out = buf_detach(&out);
    diag_free(dg);
    tpl_dict_free(d);
    return NULL;
}

Test(template, lazy_section_shared_by_threads)
{
    diags *d = diag_new(NULL);
    tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
    const char *text = "{{#ALL}}{{I}}{{#ALL_separator}} {{/ALL_separator}}{{/ALL}}";
    tpl *t = tpl_set_add(s, "t.html", text, strlen(text), 0, d);
    cr_assert_not_null(t);
    tpl_dict *shared = tpl_dict_new();
    tpl_dict_add_lazy_section(shared, "ALL", 1000, fill_number, NULL, 0);
    buf want;
    buf_init(&want);
    for (int i = 0; i < 1000; i++)
        buf_printf(&want, i ? " %d" : "%d", i);
    lazy_thread th[4];
    pthread_t id[4];
    for (int i = 0; i < 4; i++) {
        th[i] = (lazy_thread){t, shared, NULL};
        cr_assert_eq(pthread_create(&id[i], NULL, render_lazy, &th[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(id[i], NULL);
        cr_expect_str_eq(th[i].out, want.data, "thread %d", i);
        free(th[i].out);
    }
    buf_release(&want);
    tpl_dict_free(shared);
    tpl_set_free(s);
    diag_free(d);
}

/* Marks: where watched values (by address, as tpl_dict_get gives them) went
 * in the output, through their modifiers, from sections below the
 * dictionary that set them too; a value set again below (another address)
 * is not the watched one. */
Test(template, marks_where_watched_values_go)
{
    diags *d = diag_new(NULL);
    tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
    const char *text = "{{A}}|{{B:h}}|{{#S}}<{{A:j}}>{{/S}}|{{C}}";
    tpl *t = tpl_set_add(s, "t.html", text, strlen(text), 0, d);
    cr_assert_not_null(t);
    tpl_dict *dict = tpl_dict_new();
    tpl_dict_set(dict, "A", "abc1234");
    tpl_dict_set(dict, "B", "x&abc1234");
    tpl_dict_set(dict, "C", "abc1234");
    tpl_dict_add_section(dict, "S");
    tpl_dict_set(tpl_dict_add_section(dict, "S"), "A", "abc1234"); /* its own A */
    cr_assert_null(tpl_dict_get(dict, "NONE", NULL));
    size_t len = 0;
    tpl_marks m = {.watch = {tpl_dict_get(dict, "A", &len), tpl_dict_get(dict, "B", NULL)},
                   .n_watch = 2};
    cr_expect_eq(len, 7);
    buf out;
    buf_init(&out);
    buf_adds(&out, "(before)");
    cr_assert_eq(tpl_render_marked(t, dict, &out, NULL, &m, d), 0);
    cr_expect_str_eq(out.data, "(before)abc1234|x&amp;abc1234|<abc1234><abc1234>|abc1234");
    cr_assert_eq(m.n, 3);
    cr_expect_eq(m.v[0].offset, 0);
    cr_expect_eq(m.v[0].len, 7);
    cr_expect_eq(m.v[0].which, 0);
    cr_expect_eq(m.v[1].offset, 8);
    cr_expect_eq(m.v[1].len, 13);
    cr_expect_eq(m.v[1].which, 1);
    cr_expect_eq(m.v[2].offset, 23);
    cr_expect_eq(m.v[2].which, 0);
    cr_expect_not(m.lost);
    tpl_marks_release(&m);
    cr_expect_null(m.v);
    tpl_marks_release(NULL);
    buf_release(&out);
    tpl_dict_free(dict);
    tpl_set_free(s);
    diag_free(d);
}

/* A watched value whose place the marks cannot say loses them: in an
 * include rendered through modifiers, or indented, or through the one
 * modifier that does not pass digits and letters through as they are. */
Test(template, marks_lost)
{
    static const char *const cases[] = {"{{>INC:h}}", "x\n  {{>INC}}\n",
                                        "{{A:javascript_escape_with_arg=number}}", NULL};
    for (size_t i = 0; cases[i]; i++) {
        diags *d = diag_new(NULL);
        tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
        cr_assert_not_null(tpl_set_add(s, "inc.html", "{{A}}\n", 6, 0, d));
        tpl *t = tpl_set_add(s, "t.html", cases[i], strlen(cases[i]), 0, d);
        cr_assert_not_null(t, "%s", cases[i]);
        tpl_dict *dict = tpl_dict_new();
        tpl_dict_set(dict, "A", "abc1234");
        tpl_dict *inc = tpl_dict_add_include(dict, "INC", "inc.html");
        tpl_dict_set(inc, "A", "abc1234"); /* an include's own: not its parent's */
        tpl_marks m = {.watch = {tpl_dict_get(dict, "A", NULL), tpl_dict_get(inc, "A", NULL)},
                       .n_watch = 2};
        buf out;
        buf_init(&out);
        cr_assert_eq(tpl_render_marked(t, dict, &out, NULL, &m, d), 0, "%s", cases[i]);
        cr_expect(m.lost, "%s: %s", cases[i], out.data);
        /* The same include unindented and unescaped: marked. */
        buf_reset(&out);
        tpl *plain = tpl_set_add(s, "plain.html", "{{>INC}}", 8, 0, d);
        cr_assert_eq(tpl_render_marked(plain, dict, &out, NULL, &m, d), 0);
        cr_expect_not(m.lost);
        cr_expect_eq(m.n, 1, "%s: %zu marks", cases[i], m.n);
        cr_expect_eq(m.v[0].which, 1);
        tpl_marks_release(&m);
        buf_release(&out);
        tpl_dict_free(dict);
        tpl_set_free(s);
        diag_free(d);
    }
}

/* ---- rows left to the caller (tpl_dict_rows_apart, tpl_rows_fn) ---- */

/* The caller's side: it holds the rows whose key starts with `held`, and
 * writes each row's full key as the row's key with its first 8 characters
 * kept and the rest '-'. */
typedef struct row_asks {
    char held;
    int begun, asked;
    char where[64], variant[16];
    char context[DIGEST_HEX]; /* the digest of the last context */
} row_asks;

static void ask_rows(void *ctx, const char *where, const char *variant, const void *context,
                     size_t len)
{
    row_asks *a = ctx;
    a->begun++;
    snprintf(a->where, sizeof a->where, "%s", where);
    snprintf(a->variant, sizeof a->variant, "%s", variant);
    digest_of(a->context, context, len);
}

static int ask_row(void *ctx, const char *key, char full[65])
{
    row_asks *a = ctx;
    a->asked++;
    memset(full, '-', 64);
    full[64] = '\0';
    memcpy(full, key, 8);
    return key[0] == a->held;
}

/* A render with rows asks for each row of an apart section: the rows the caller holds are neither made nor rendered, and each
 * row is marked where it goes, with its key; a section not apart, or a
 * render without rows, renders every row in place. */
Test(template, rows_apart_left_to_the_caller)
{
    diags *d = diag_new(NULL);
    tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
    const char *text = "H{{#LIST}}{{#ROW}}[{{NAME}} {{N}}]{{/ROW}}{{/LIST}}T";
    tpl *t = tpl_set_add(s, "t.html", text, strlen(text), 0, d);
    cr_assert_not_null(t);
    static const char *const names[] = {"a", "b", "c"};
    char k0[65], k1[65], k2[65];
    memset(k0, '0', 64);
    memset(k1, '1', 64);
    memset(k2, '0', 64);
    k0[64] = k1[64] = k2[64] = '\0';
    k2[1] = '2';
    const char *keys[] = {k0, k1, k2};
    int made = 0, keyed = 0;
    keyed_rows r = {{names, &made}, keys, &keyed};
    tpl_dict *dict = keyed_dict(&r, 3, "v");
    row_asks a = {.held = '0'};
    tpl_marks m = {.rows_begin = ask_rows, .rows = ask_row, .rows_ctx = &a};
    buf out;
    buf_init(&out);
    /* Not apart: every row in place, none asked for. */
    cr_assert_eq(tpl_render_marked(t, dict, &out, NULL, &m, d), 0);
    cr_expect_str_eq(out.data, "H[a 0][b 1][c 2]T");
    cr_expect_eq(a.asked, 0);
    cr_expect_eq(m.n, 0);
    tpl_dict_rows_apart(dict, "ROW"); /* not d's own section (LIST's): nothing */
    buf_reset(&out);
    cr_assert_eq(tpl_render_marked(t, dict, &out, NULL, &m, d), 0);
    cr_expect_eq(a.asked, 0);
    tpl_dict_free(dict);
    dict = tpl_dict_new();
    tpl_dict *list = tpl_dict_add_section(dict, "LIST");
    tpl_dict_add_lazy_section_keyed(list, "ROW", 3, fill_keyed, key_row, "v", &r, sizeof r);
    tpl_dict_rows_apart(list, "ROW");
    made = keyed = 0;
    buf_reset(&out);
    buf_adds(&out, "(before)");
    cr_assert_eq(tpl_render_marked(t, dict, &out, NULL, &m, d), 0);
    cr_expect_str_eq(out.data, "(before)H[b 1]T", "the rows held are left out");
    cr_expect_eq(made, 1, "rows made: %d", made);
    cr_expect_eq(a.begun, 1);
    cr_expect_eq(a.asked, 3);
    cr_expect_str_eq(a.variant, "v");
    cr_expect(strncmp(a.where, "t.html@", 7) == 0, "%s", a.where);
    cr_assert_eq(m.n, 3);
    cr_expect_eq(m.kept, 2);
    cr_expect_not(m.lost);
    const size_t offsets[] = {1, 1, 6}, lens[] = {0, 5, 0};
    const size_t which[] = {TPL_MARK_ROW_KEPT, TPL_MARK_ROW, TPL_MARK_ROW_KEPT};
    const char *const full[] = {k0, k1, k2};
    for (size_t i = 0; i < 3; i++) {
        cr_expect_eq(m.v[i].offset, offsets[i], "row %zu at %zu", i, m.v[i].offset);
        cr_expect_eq(m.v[i].len, lens[i], "row %zu of %zu bytes", i, m.v[i].len);
        cr_expect_eq(m.v[i].which, which[i], "row %zu", i);
        cr_expect(strncmp(m.v[i].key, full[i], 8) == 0 && m.v[i].key[8] == '-' &&
                      strlen(m.v[i].key) == 64,
                  "row %zu's key %s", i, m.v[i].key);
    }
    /* An apart section digests as the same section not apart. */
    char h1[DIGEST_HEX], h2[DIGEST_HEX];
    dict_hex(h1, dict);
    tpl_dict *plain = keyed_dict(&r, 3, "v");
    dict_hex(h2, plain);
    cr_expect_str_eq(h1, h2);
    tpl_dict_free(plain);
    /* Without rows: every row rendered in place. */
    tpl_marks none = {0};
    buf_reset(&out);
    cr_assert_eq(tpl_render_marked(t, dict, &out, NULL, &none, d), 0);
    cr_expect_str_eq(out.data, "H[a 0][b 1][c 2]T");
    cr_expect_eq(none.n, 0);
    cr_assert_diag(d, "");
    tpl_marks_release(&m);
    tpl_marks_release(&none);
    buf_release(&out);
    tpl_dict_free(dict);
    tpl_set_free(s);
    diag_free(d);
}

/* Where a row's text would not be its own where it goes, the marks are
 * lost: a watched value inside a row, rows in an indented include. Rows in
 * a section with a separator, or through an include's modifiers, are
 * rendered in place, unasked. */
Test(template, rows_apart_lost_or_in_place)
{
    static const struct {
        const char *text;
        int lost, asked;
        const char *out;
    } cases[] = {
        {"{{#LIST}}{{#ROW}}<{{W}}>{{/ROW}}{{/LIST}}", 1, 2, "<w><w>"},
        {"x\n  {{>INC}}\n", 1, 2, "x\n  [a][b]\n"},
        {"{{#LIST}}{{#ROW}}[{{NAME}}]{{#ROW_separator}},{{/ROW_separator}}{{/ROW}}{{/LIST}}", 0, 0,
         "[a],[b]"},
        {"{{>INC:h}}", 0, 0, "[a][b]"},
        {"{{#LIST}}{{#ROW}}[{{NAME}}]{{/ROW}}{{/LIST}}", 0, 2, "[a][b]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        diags *d = diag_new(NULL);
        tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 0);
        const char *inc = "{{#LIST}}{{#ROW}}[{{NAME}}]{{/ROW}}{{/LIST}}";
        cr_assert_not_null(tpl_set_add(s, "inc.html", inc, strlen(inc), 0, d));
        tpl *t = tpl_set_add(s, "t.html", cases[i].text, strlen(cases[i].text), 0, d);
        cr_assert_not_null(t, "%s", cases[i].text);
        static const char *const names[] = {"a", "b"};
        char k0[65];
        memset(k0, '0', 64);
        k0[64] = '\0';
        const char *keys[] = {k0, k0};
        int made = 0, keyed = 0;
        keyed_rows r = {{names, &made}, keys, &keyed};
        tpl_dict *dict = tpl_dict_new();
        tpl_dict_set(dict, "W", "w");
        /* the include's own LIST, and the page's */
        tpl_dict *holders[] = {tpl_dict_add_include(dict, "INC", "inc.html"), dict};
        for (size_t h = 0; h < 2; h++) {
            tpl_dict *list = tpl_dict_add_section(holders[h], "LIST");
            tpl_dict_add_lazy_section_keyed(list, "ROW", 2, fill_keyed, key_row, "v", &r, sizeof r);
            tpl_dict_rows_apart(list, "ROW");
        }
        row_asks a = {.held = 'x'}; /* holds none */
        tpl_marks m = {.watch = {tpl_dict_get(dict, "W", NULL)},
                       .n_watch = 1,
                       .rows_begin = ask_rows,
                       .rows = ask_row,
                       .rows_ctx = &a};
        buf out;
        buf_init(&out);
        cr_assert_eq(tpl_render_marked(t, dict, &out, NULL, &m, d), 0, "%s", cases[i].text);
        cr_expect_str_eq(out.data, cases[i].out, "%s", cases[i].text);
        cr_expect_eq(m.lost, cases[i].lost, "%s: lost %d", cases[i].text, m.lost);
        cr_expect_eq(a.asked, cases[i].asked, "%s: asked %d", cases[i].text, a.asked);
        cr_expect_eq(m.kept, 0);
        tpl_marks_release(&m);
        buf_release(&out);
        tpl_dict_free(dict);
        tpl_set_free(s);
        diag_free(d);
    }
}

static void fill_outside(const void *ctx, size_t i, tpl_dict *d)
{
    (void)i;
    tpl_dict_set(d, "O", *(const char *const *)ctx);
}

static void key_outside(const void *ctx, size_t i, char key[65])
{
    (void)i;
    memset(key, (*(const char *const *)ctx)[0], 64);
    key[64] = '\0';
}

/* The context of a section's rows: what they read beside their own
 * dictionaries. A value they use, found between the rows and the root or
 * in the template-globals (directly, in a nested section, in an include
 * rendered without a dictionary, or a keyed section read from outside)
 * changes it; a value they do not use, or more or other rows, does not. */
Test(template, rows_context_is_what_rows_read_beside_their_own)
{
    static const char *const names[] = {"a", "b", "c"};
    char k0[65], k1[65];
    memset(k0, '0', 64);
    memset(k1, '1', 64);
    k0[64] = k1[64] = '\0';
    const char *keys[] = {k0, k1, k0}, *other[] = {k1, k1, k1};
    int made = 0, keyed = 0;
    keyed_rows r = {{names, &made}, keys, &keyed}, o = {{names, &made}, other, &keyed};
    enum { BASE, OTHER_ROWS, UNUSED, USED, SHADOWED, NESTED, AUTO, GLOBAL, OUTSIDE, SHARED, N_CASES };
    char ctx[N_CASES][DIGEST_HEX];
    for (int c = 0; c < N_CASES; c++) {
        diags *d = diag_new(NULL);
        tpl_set *s = tpl_set_new(".", TPL_DO_NOT_STRIP, 1);
        const char *inc = "{{AUTO}}";
        cr_assert_not_null(tpl_set_add(s, "_includes/autoinc.html", inc, strlen(inc), 0, d));
        const char *text = "{{#LIST}}{{#ROW}}[{{NAME}} {{USED}}{{#SUB}}{{NESTED}}{{/SUB}}"
                           "{{>AUTOINC}}{{G}}{{#OUT}}{{O}}{{/OUT}}{{SV}}]{{/ROW}}{{/LIST}}";
        tpl *t = tpl_set_add(s, "t.html", text, strlen(text), 0, d);
        cr_assert_not_null(t);
        tpl_dict *dict = tpl_dict_new(), *shared = tpl_dict_new();
        tpl_dict_set(shared, "SV", c == SHARED ? "s2" : "s");
        tpl_dict_set_shared(dict, shared);
        tpl_dict_set(dict, "USED", c == USED ? "u2" : "u");
        tpl_dict_set(dict, "UNUSED", c == UNUSED ? "x2" : "x");
        tpl_dict_set(dict, "NESTED", c == NESTED ? "n2" : "n");
        tpl_dict_set(dict, "AUTO", c == AUTO ? "i2" : "i");
        tpl_dict_set_template_global(dict, "G", c == GLOBAL ? "g2" : "g", c == GLOBAL ? 2 : 1);
        static const char *const outs[] = {"o", "p"};
        tpl_dict_add_lazy_section_keyed(dict, "OUT", 1, fill_outside, key_outside, "o",
                                        &outs[c == OUTSIDE], sizeof outs[0]);
        tpl_dict *list = tpl_dict_add_section(dict, "LIST");
        if (c == SHADOWED)
            tpl_dict_set(list, "USED", "u");
        tpl_dict_add_lazy_section_keyed(list, "ROW", c == OTHER_ROWS ? 2 : 3, fill_keyed, key_row,
                                        "v", c == OTHER_ROWS ? &o : &r, sizeof r);
        tpl_dict_rows_apart(list, "ROW");
        row_asks a = {.held = 'x'};
        tpl_marks m = {.rows_begin = ask_rows, .rows = ask_row, .rows_ctx = &a};
        buf out;
        buf_init(&out);
        int rc = tpl_render_marked(t, dict, &out, NULL, &m, d);
        char *why = unit_diag_text(d);
        cr_assert_eq(rc, 0, "case %d: %s", c, why);
        free(why);
        cr_expect_eq(a.begun, 1, "case %d", c);
        memcpy(ctx[c], a.context, DIGEST_HEX);
        cr_assert_diag(d, "");
        tpl_marks_release(&m);
        buf_release(&out);
        tpl_dict_free(dict);
        tpl_dict_free(shared);
        tpl_set_free(s);
        diag_free(d);
    }
    cr_expect_str_eq(ctx[BASE], ctx[OTHER_ROWS], "other rows change the context");
    cr_expect_str_eq(ctx[BASE], ctx[UNUSED], "a value the rows do not use changes the context");
    static const char *const what[] = {[USED] = "a value used",
                                       [SHADOWED] = "a value used, set nearer the rows",
                                       [NESTED] = "a value a nested section uses",
                                       [AUTO] = "a value an include uses",
                                       [GLOBAL] = "a template-global",
                                       [OUTSIDE] = "a keyed section's key",
                                       [SHARED] = "a value of the shared tree"};
    for (int c = USED; c < N_CASES; c++)
        cr_expect_str_neq(ctx[BASE], ctx[c], "%s does not change the context", what[c]);
}
