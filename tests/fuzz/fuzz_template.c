/* fuzz_template: the ctemplate engine (template.h). The input is
 *
 *   <flags byte><template text>\0<dictionary description>
 *
 * flags: bits 0-1 the strip mode (value % 3: DO_NOT_STRIP, STRIP_BLANK_LINES,
 * STRIP_WHITESPACE); bits 2-4 an {{%AUTOESCAPE}} pragma put in front of the
 * text (0 and 7 none, then HTML, HTML in_tag, JAVASCRIPT, CSS, JSON, XML);
 * bits 5-6 auto includes (0 and 3 off, 1 on, 2 TPL_AUTO_REQUIRED); bit 7
 * some text already in the output buffer. The description is one operation
 * a line, `<op><NAME>[=<value>]` (see build_dict); unknown ops are skipped.
 * Without a NUL, one is made up from the names the template uses.
 * The template is compiled with tpl_set_add and rendered with tpl_render and
 * tpl_render_slots, whose results must agree; tests/fuzz/README.md. */
#include "fuzz.h"

#include "template.h"

#include <ctype.h>
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_OPS 64
#define MAX_DEPTH 4 /* sections and includes pushed in the description */
#define MAX_SLOTS MAX_OPS
#define RENDER_BUDGET 1024 /* repetitions a template may multiply (see kid_cap) */

/* --- the include directory, made once per process ----------------------------- */

static char incdir[] = "/tmp/charter-fuzz-template-XXXXXX";
static int incdir_made;

static const struct {
    const char *name, *text;
} inc_files[] = {
    /* One section and one include each, so include dictionaries nest. */
    {"inc.html", "[{{X}}|{{#S}}({{Y:h}}){{/S}}|{{>J}}]\n"},
    {"plain.html", "plain {{X:h}}\n  indented {{Y}}\n"},
    {"_includes/x.html", "<x>{{X}}</x>\n"},
    {"_includes/loop.html", "a{{>LOOP}}b\n"},
    {"_includes/bad.html", "{{#OPEN}} never closed\n"},
    {"sub/page.html", "{{%AUTOESCAPE context=\"HTML\"}}\n<p title=\"{{X}}\">{{Y}}</p>\n"},
};
/* What include dictionaries may name: the files above, a missing one, one
 * reached through "..", and "" (an include dictionary without a file). */
static const char *const inc_names[] = {
    "inc.html",     "plain.html",      "_includes/x.html",   "sub/page.html",
    "missing.html", "sub/../inc.html", "_includes/bad.html", ""};
#define N_INC_NAMES (sizeof inc_names / sizeof inc_names[0])

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_incdir(void)
{
    nftw(incdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *name, const char *text)
{
    buf path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", incdir, name);
    for (char *p = path.data + strlen(incdir) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(path.data, 0755);
        *p = '/';
    }
    FILE *f = fopen(path.data, "wb");
    FUZZ_CHECK(f);
    fputs(text, f);
    fclose(f);
    buf_release(&path);
}

static void make_incdir(void)
{
    if (incdir_made)
        return;
    FUZZ_CHECK(mkdtemp(incdir));
    for (size_t i = 0; i < sizeof inc_files / sizeof inc_files[0]; i++)
        write_file(inc_files[i].name, inc_files[i].text);
    atexit(remove_incdir);
    incdir_made = 1;
}

/* --- the dictionary ------------------------------------------------------------- */

typedef struct slot_text {
    const char *s;
    size_t len;
} slot_text;

typedef struct desc {
    const char *p; /* the description, not NUL-terminated */
    size_t len;
    size_t kid_cap; /* dictionaries one section or include name may get */
} desc;

/* Counts dictionaries added per name, so that no template can multiply
 * repetitions past RENDER_BUDGET: a section looked up again inside itself
 * finds its parent's repetitions ({{#A}}{{#A}}..., k^depth renders, as
 * upstream). That is the language, not a bug, and would only show up as
 * timeouts. */
typedef struct kid_count {
    char *name[MAX_OPS];
    size_t n[MAX_OPS];
    size_t len;
} kid_count;

static int kid_allowed(kid_count *kc, const char *name, size_t cap)
{
    size_t i = 0;
    while (i < kc->len && strcmp(kc->name[i], name) != 0)
        i++;
    if (i == kc->len) {
        kc->name[kc->len] = xstrdup(name);
        kc->n[kc->len++] = 0;
    }
    if (kc->n[i] >= cap)
        return 0;
    kc->n[i]++;
    return 1;
}

static void kid_count_release(kid_count *kc)
{
    for (size_t i = 0; i < kc->len; i++)
        free(kc->name[i]);
    kc->len = 0;
}

/* Builds the root dictionary (and the shared one, when the description asks
 * for it) from the description, one op a line:
 *   vNAME=value  set          VNAME=value  set (C string: up to a NUL)
 *   iNAME=123    set_int      rNAME=value  set_ref (borrowed from the input)
 *   sNAME=text   a slot (with_slots) or the text as a value (!with_slots)
 *   gNAME=value  template-global       GNAME=value  set-global (set_globals)
 *   #NAME        show section          +NAME  add a section, then ops go to it
 *   >NAME=f      add an include of inc_names[f % N], then ops go to it
 *   -            back to the parent    S / R  ops go to the shared / root tree
 * Slot ids index `texts`. */
static void build_dict(const desc *ds, int with_slots, int set_globals, tpl_set *set,
                       tpl_dict **root_out, tpl_dict **shared_out, slot_text *texts,
                       size_t *n_texts)
{
    tpl_dict *root = tpl_dict_new(), *shared = NULL;
    tpl_dict *stack[MAX_DEPTH + 1];
    size_t depth = 0, ops = 0;
    kid_count kc = {.len = 0};
    buf name;
    buf_init(&name);
    stack[0] = root;
    *n_texts = 0;
    for (size_t pos = 0; pos < ds->len && ops < MAX_OPS; ops++) {
        const char *line = ds->p + pos;
        const char *nl = memchr(line, '\n', ds->len - pos);
        size_t llen = nl ? (size_t)(nl - line) : ds->len - pos;
        pos += llen + 1;
        if (!llen)
            continue;
        char op = line[0];
        const char *eq = memchr(line + 1, '=', llen - 1);
        size_t nlen = eq ? (size_t)(eq - line - 1) : llen - 1;
        const char *value = eq ? eq + 1 : "";
        size_t vlen = eq ? (size_t)(line + llen - value) : 0;
        buf_reset(&name);
        buf_add(&name, line + 1, nlen); /* a NUL inside ends the name */
        tpl_dict *cur = stack[depth];
        switch (op) {
        case 'v':
            tpl_dict_set_len(cur, name.data, value, vlen);
            break;
        case 'V': {
            char *v = xstrndup(value, vlen);
            tpl_dict_set(cur, name.data, v);
            free(v);
            break;
        }
        case 'i': {
            char *v = xstrndup(value, vlen);
            tpl_dict_set_int(cur, name.data, strtol(v, NULL, 10));
            free(v);
            break;
        }
        case 'r':
            tpl_dict_set_ref(cur, name.data, value, vlen);
            break;
        case 's':
            texts[*n_texts].s = value;
            texts[*n_texts].len = vlen;
            if (with_slots)
                tpl_dict_set_slot(cur, name.data, *n_texts);
            else
                tpl_dict_set_len(cur, name.data, value, vlen);
            (*n_texts)++;
            break;
        case 'g':
            tpl_dict_set_template_global(cur, name.data, value, vlen);
            break;
        case 'G':
            if (set_globals)
                tpl_set_global(set, name.data, value, vlen);
            break;
        case '#':
            if (kid_allowed(&kc, name.data, ds->kid_cap))
                tpl_dict_show_section(cur, name.data);
            break;
        case '+':
            if (depth < MAX_DEPTH && kid_allowed(&kc, name.data, ds->kid_cap))
                stack[++depth] = tpl_dict_add_section(cur, name.data);
            break;
        case '>':
            if (depth < MAX_DEPTH && kid_allowed(&kc, name.data, ds->kid_cap))
                stack[++depth] = tpl_dict_add_include(
                    cur, name.data, inc_names[(vlen ? (unsigned char)value[0] : 0) % N_INC_NAMES]);
            break;
        case '-':
            if (depth)
                depth--;
            break;
        case 'S':
            if (!shared) {
                shared = tpl_dict_new();
                tpl_dict_set_shared(root, shared);
            }
            stack[0] = shared;
            depth = 0;
            break;
        case 'R':
            stack[0] = root;
            depth = 0;
            break;
        default:
            break;
        }
    }
    buf_release(&name);
    kid_count_release(&kc);
    *root_out = root;
    *shared_out = shared;
}

/* The dictionaries a section or include name may get: k with
 * k^depth <= RENDER_BUDGET, where depth bounds how deep the template can nest
 * sections and includes: their nesting when the delimiters stay {{ }} (so
 * markers can be found outside comments), else every '#' and '>' (each
 * marker needs one); plus
 * the nesting of the include files when the description adds include
 * dictionaries. */
static size_t kid_cap(const char *text, size_t len, const desc *ds)
{
    size_t depth = 0;
    if (!memmem(text, len, "{{=", 3)) {
        size_t cur = 0;
        for (size_t i = 0; i + 2 < len; i++) {
            if (text[i] != '{' || text[i + 1] != '{')
                continue;
            if (text[i + 2] == '!' || text[i + 2] == '%') {
                /* A comment or pragma hides what looks like markers. */
                const char *e = memmem(text + i + 2, len - i - 2, "}}", 2);
                if (!e)
                    break;
                i = (size_t)(e - text);
                continue;
            }
            if (text[i + 2] == '#' || text[i + 2] == '>')
                cur++;
            if (cur > depth)
                depth = cur;
            if ((text[i + 2] == '/' || text[i + 2] == '>') && cur)
                cur--;
        }
    } else {
        for (size_t i = 0; i < len; i++)
            depth += text[i] == '#' || text[i] == '>';
    }
    for (size_t i = 0; i < ds->len; i++)
        if (ds->p[i] == '>' && (i == 0 || ds->p[i - 1] == '\n')) {
            depth += 2 * MAX_DEPTH;
            break;
        }
    size_t k = 1;
    for (; k < 16; k++) {
        size_t pow = 1;
        for (size_t m = 0; m < depth && pow <= RENDER_BUDGET; m++)
            pow *= k + 1;
        if (pow > RENDER_BUDGET)
            break;
    }
    return k;
}

/* A description for an input without one: every name the template writes
 * {{NAME...}} (delimiters unchanged) gets a value, a slot, two repetitions
 * or an include dictionary, by the marker and the name's length. */
static void describe(buf *out, const char *text, size_t len)
{
    size_t names = 0;
    for (size_t i = 0; i + 2 < len && names < MAX_OPS / 4; i++) {
        if (text[i] != '{' || text[i + 1] != '{')
            continue;
        char kind = text[i + 2];
        size_t at = i + 2 + (kind == '#' || kind == '>');
        size_t n = 0;
        while (at + n < len && (isalnum((unsigned char)text[at + n]) || text[at + n] == '_'))
            n++;
        if (!n)
            continue;
        names++;
        if (kind == '#') {
            buf_printf(out, "+%.*s\nvX=1\n-\n+%.*s\nvX=2\n-\n", (int)n, text + at, (int)n,
                       text + at);
        } else if (kind == '>') {
            buf_printf(out, ">%.*s=%c\nvX=<x>\n-\n", (int)n, text + at, (char)('0' + n));
        } else if (n % 3 == 0) {
            buf_printf(out, "s%.*s=slot %zu\n", (int)n, text + at, names);
        } else {
            buf_printf(out, "v%.*s=<v&'\"%zu>\n", (int)n, text + at, names);
        }
    }
}

/* --- the checks ------------------------------------------------------------------ */

/* out[start..) with every slot's text spliced in at its offset. */
static void splice(buf *res, const buf *out, size_t start, const tpl_slots *slots,
                   const slot_text *texts)
{
    size_t at = start;
    for (size_t i = 0; i < slots->n; i++) {
        size_t off = start + slots->v[i].offset;
        buf_add(res, out->data + at, off - at);
        buf_add(res, texts[slots->v[i].id].s, texts[slots->v[i].id].len);
        at = off;
    }
    buf_add(res, out->data + at, out->len - at);
}

static const char *const pragmas[] = {
    "",
    "{{%AUTOESCAPE context=\"HTML\"}}\n",
    "{{%AUTOESCAPE context=\"HTML\" state=\"IN_TAG\"}}\n",
    "{{%AUTOESCAPE context=\"JAVASCRIPT\"}}\n",
    "{{%AUTOESCAPE context=\"CSS\"}}\n",
    "{{%AUTOESCAPE context=\"JSON\"}}\n",
    "{{%AUTOESCAPE context=\"XML\"}}\n",
    "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    make_incdir();
    unsigned flags = data[0];
    const char *in = (const char *)data + 1;
    size_t in_len = size - 1;
    const char *nul = memchr(in, '\0', in_len);
    size_t tlen = nul ? (size_t)(nul - in) : in_len;
    desc ds = {nul ? nul + 1 : in + in_len, nul ? in_len - tlen - 1 : 0, 1};
    buf made;
    buf_init(&made);
    if (!nul) {
        describe(&made, in, tlen);
        ds.p = made.data;
        ds.len = made.len;
    }

    tpl_strip strip = (tpl_strip)((flags & 3) % 3);
    int auto_includes = (flags >> 5) & 3;
    if (auto_includes == 3)
        auto_includes = 0;
    buf text;
    buf_init(&text);
    buf_adds(&text, pragmas[(flags >> 2) & 7]);
    buf_add(&text, in, tlen);
    ds.kid_cap = kid_cap(text.data, text.len, &ds);

    diags *d = diag_new(NULL);
    tpl_set *set = tpl_set_new(incdir, strip, auto_includes);
    tpl_dict *dict = NULL, *shared = NULL, *vdict = NULL, *vshared = NULL;
    slot_text texts[MAX_SLOTS];
    size_t n_texts = 0;
    buf out, sout, vout, spliced;
    buf_init(&out);
    buf_init(&sout);
    buf_init(&vout);
    buf_init(&spliced);
    tpl_slots slots = {NULL, 0, 0};

    tpl *t = tpl_set_add(set, "t.html", text.data, text.len, 0, d);
    if (!t) {
        FUZZ_CHECK(diag_count(d, DIAG_ERROR) > 0);
        goto done;
    }
    build_dict(&ds, 1, 1, set, &dict, &shared, texts, &n_texts);

    /* tpl_render: slots expand to nothing. */
    int rc = tpl_render(t, dict, &out, d);
    FUZZ_CHECK(rc == 0 || diag_count(d, DIAG_ERROR) > 0);
    FUZZ_CHECK(out.data[out.len] == '\0');

    /* tpl_render_slots, after text already in the buffer when bit 7 says so:
     * the same status and bytes, and the slots in order inside the output. */
    size_t start = 0;
    if (flags & 0x80) {
        buf_adds(&sout, "<prefix>");
        start = sout.len;
    }
    int src = tpl_render_slots(t, dict, &sout, &slots, d);
    FUZZ_CHECK(src == rc);
    if (src != 0) {
        FUZZ_CHECK(slots.n == 0);
        goto done;
    }
    FUZZ_CHECK(sout.len - start == out.len && !memcmp(sout.data + start, out.data, out.len));
    for (size_t i = 0; i < slots.n; i++) {
        FUZZ_CHECK(slots.v[i].id < n_texts);
        FUZZ_CHECK(slots.v[i].offset <= out.len);
        FUZZ_CHECK(i == 0 || slots.v[i - 1].offset <= slots.v[i].offset);
    }

    /* Splicing the slots' texts in gives what the texts as values give.
     * Skipped where the header allows a difference (a slot in an indented
     * include, so with any include marker), and where a changed delimiter
     * could hide one. */
    if (n_texts && !memmem(text.data, text.len, "{{>", 3) &&
        !memmem(text.data, text.len, "{{=", 3)) {
        size_t n_vtexts = 0;
        slot_text vtexts[MAX_SLOTS];
        build_dict(&ds, 0, 0, set, &vdict, &vshared, vtexts, &n_vtexts);
        FUZZ_CHECK(n_vtexts == n_texts);
        FUZZ_CHECK(tpl_render(t, vdict, &vout, d) == 0);
        splice(&spliced, &sout, start, &slots, texts);
        if (spliced.len != vout.len || memcmp(spliced.data, vout.data, vout.len)) {
            fprintf(stderr, "slots spliced:\n%s\nvalues:\n%s\n", spliced.data, vout.data);
            FUZZ_CHECK(!"slots spliced differ from values");
        }
    }

    /* Slots are reusable: a second render empties them first. */
    size_t n_slots = slots.n;
    buf_reset(&sout);
    FUZZ_CHECK(tpl_render_slots(t, dict, &sout, &slots, d) == 0);
    FUZZ_CHECK(sout.len == out.len && slots.n == n_slots);

done:
    /* Lines count in the text compiled, the pragma put in front included. */
    fuzz_check_positions(d, "/t.html", text.data, text.len, 0);
    /* FUZZ_DEBUG=1 shows what an input did: handy when writing seeds. */
    if (getenv("FUZZ_DEBUG")) {
        fprintf(stderr, "--- strip %d, auto includes %d, %zu slot(s) of %zu, output:\n%s\n",
                (int)strip, auto_includes, slots.n, n_texts, sout.len ? sout.data : out.data);
        fuzz_debug_diags(d);
    }
    tpl_slots_release(&slots);
    tpl_dict_free(dict);
    tpl_dict_free(shared);
    tpl_dict_free(vdict);
    tpl_dict_free(vshared);
    tpl_set_free(set);
    buf_release(&out);
    buf_release(&sout);
    buf_release(&vout);
    buf_release(&spliced);
    buf_release(&text);
    buf_release(&made);
    diag_free(d);
    return 0;
}
