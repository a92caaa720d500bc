/* new: a new page from an archetype (see new.h): the id a section's scheme
 * gives next, the title from a path, and the archetype's front matter
 * filled in line by line, so its comments, order and other keys stay as
 * the site wrote them. The embedded policy archetype lives here. */
#include "new.h"

#include "frontmatter.h"
#include "map.h"
#include "yamltree.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The front matter keys new_fill writes are placeholders here: it fills
 * every one, so a page made from this checks with only owner and approver
 * reported (placeholder). */
static const char policy_md[] =
    "---\n"
    "title:\n"
    "id:\n"
    "owner: \"\"\n"
    "approver: \"\"\n"
    "status: draft\n"
    "version: \"0.1\"\n"
    "last_reviewed:\n"
    "review_cycle:\n"
    "# The controls this policy implements, e.g. [A.5.15, A.8.5].\n"
    "controls: []\n"
    "---\n"
    "\n"
    "## Purpose\n"
    "\n"
    "Why this policy exists: the information, systems and people it protects,\n"
    "and the risks it answers.\n"
    "\n"
    "## Scope\n"
    "\n"
    "Who and what it applies to: staff, contractors, suppliers, systems and\n"
    "locations.\n"
    "\n"
    "## Policy\n"
    "\n"
    "- Each rule is one commitment that someone can check was kept.\n"
    "\n"
    "## Roles and responsibilities\n"
    "\n"
    "| Role | Responsibility |\n"
    "|---|---|\n"
    "| Owner | Keeps this policy current and reviews it every review cycle |\n"
    "| Approver | Approves each new version |\n"
    "| Everyone in scope | Follows this policy and reports breaches |\n"
    "\n"
    "## Exceptions\n"
    "\n"
    "How to ask for an exception, who may grant it, for how long, and where it\n"
    "is recorded.\n";

const char *const new_embedded_kinds[] = {"policy", NULL};

const char *new_embedded_archetype(const char *kind)
{
    return !strcmp(kind, "policy") ? policy_md : NULL;
}

/* --- ids ------------------------------------------------------------------------ */

#define MAX_DIGITS 9 /* a number that fits a long anywhere */

/* Splits id into the text before its trailing digits and their number.
 * Returns the count of those digits, or 0 when id does not end in 1 to
 * MAX_DIGITS digits (it has no scheme). */
static size_t split_id(const char *id, size_t *prefix_len, long *num)
{
    size_t n = strlen(id), k = n;
    while (k > 0 && isdigit((unsigned char)id[k - 1]))
        k--;
    if (k == n || n - k > MAX_DIGITS)
        return 0;
    *prefix_len = k;
    *num = strtol(id + k, NULL, 10);
    return n - k;
}

typedef struct scheme {
    char *prefix;
    size_t count, width; /* ids of the section with it; the fewest digits among them */
} scheme;

/* Up to three letters or digits of s, in capitals. */
static void add_abbrev(buf *out, const char *s)
{
    for (int n = 0; *s && n < 3; s++)
        if (isalnum((unsigned char)*s) && !(*s & 0x80)) {
            buf_addc(out, (char)toupper((unsigned char)*s));
            n++;
        }
}

void new_next_id(buf *out, const char *const *section_ids, size_t n_section,
                 const char *const *site_ids, size_t n_site, const char *kind, const char *section)
{
    map *by_prefix = map_new();
    scheme *schemes = NULL;
    size_t n_schemes = 0, best = 0;
    buf prefix;
    buf_init(&prefix);
    for (size_t i = 0; i < n_section; i++) {
        size_t plen;
        long num;
        size_t digits = split_id(section_ids[i], &plen, &num);
        if (!digits)
            continue;
        buf_reset(&prefix);
        buf_add(&prefix, section_ids[i], plen);
        void **slot = map_ref(by_prefix, prefix.data);
        if (!*slot) {
            schemes = xgrow(schemes, n_schemes, sizeof *schemes);
            schemes[n_schemes] = (scheme){xstrdup(prefix.data), 0, digits};
            *slot = (void *)(uintptr_t)(n_schemes + 1);
            n_schemes++;
        }
        scheme *sc = &schemes[(uintptr_t)*slot - 1];
        sc->count++;
        if (digits < sc->width)
            sc->width = digits;
    }
    for (size_t i = 1; i < n_schemes; i++)
        if (schemes[i].count > schemes[best].count ||
            (schemes[i].count == schemes[best].count &&
             strcmp(schemes[i].prefix, schemes[best].prefix) < 0))
            best = i;

    buf_reset(&prefix);
    size_t width = 3;
    if (n_schemes) {
        buf_adds(&prefix, schemes[best].prefix);
        width = schemes[best].width;
    } else {
        add_abbrev(&prefix, kind);
        buf_addc(&prefix, '-');
        size_t before = prefix.len;
        add_abbrev(&prefix, section ? section : "");
        if (prefix.len > before)
            buf_addc(&prefix, '-');
    }
    long next = 1;
    for (size_t i = 0; i < n_site; i++) {
        size_t plen;
        long num;
        if (split_id(site_ids[i], &plen, &num) && plen == prefix.len &&
            !memcmp(site_ids[i], prefix.data, plen) && num >= next)
            next = num + 1;
    }
    buf_printf(out, "%s%0*ld", prefix.data, (int)width, next);

    for (size_t i = 0; i < n_schemes; i++)
        free(schemes[i].prefix);
    free(schemes);
    map_free(by_prefix);
    buf_release(&prefix);
}

void new_title_from_path(buf *out, const char *rel)
{
    size_t n = strlen(rel);
    if (n >= 3 && !strcmp(rel + n - 3, ".md"))
        n -= 3;
    const char *start = rel;
    for (const char *s = rel; s < rel + n; s++)
        if (*s == '/')
            start = s + 1;
    /* A folder's own page is named after the folder. */
    if ((!strncmp(start, "index", 5) && rel + n == start + 5) ||
        (!strncmp(start, "_index", 6) && rel + n == start + 6)) {
        n = start > rel ? (size_t)(start - 1 - rel) : 0;
        start = rel;
        for (const char *s = rel; s < rel + n; s++)
            if (*s == '/')
                start = s + 1;
    }
    int word_start = 1;
    for (const char *s = start; s < rel + n; s++) {
        char c = *s == '-' || *s == '_' ? ' ' : *s;
        if (c == ' ' && (word_start || s + 1 == rel + n))
            continue; /* no doubled, leading or trailing spaces */
        buf_addc(out, word_start ? (char)toupper((unsigned char)c) : c);
        word_start = c == ' ';
    }
}

/* --- filling the front matter ----------------------------------------------------- */

enum { ALWAYS, IF_EMPTY, IF_PRESENT };

typedef struct fill {
    const char *key;
    int when;
    const char *value; /* written with yamltree_put_scalar */
    const char *raw;   /* or as it is */
} fill;

/* Index of the pair of fm holding key under its name or one of the site's
 * aliases for it (the name wins, as in site.c), or -1. */
static long find_key(const yaml_node *fm, const char *key, const new_values *v)
{
    for (size_t i = 0; i < yamltree_len(fm); i++)
        if (!strcmp(yamltree_text(yamltree_key(fm, i)), key))
            return (long)i;
    for (size_t k = 0; k < v->n_keys; k++) {
        if (strcmp(v->keys[k].key, key))
            continue;
        for (size_t i = 0; i < yamltree_len(fm); i++)
            if (!strcmp(yamltree_text(yamltree_key(fm, i)), v->keys[k].alias))
                return (long)i;
    }
    return -1;
}

static void put_pair(buf *out, const char *key, const fill *f)
{
    yamltree_put_scalar(out, key, 0);
    buf_adds(out, ": ");
    if (f->raw)
        buf_adds(out, f->raw);
    else
        yamltree_put_scalar(out, f->value, 0);
    buf_addc(out, '\n');
}

/* The start of each line of t[0..len) and, last, len: lines[i] is line i + 1. */
static size_t *split_lines(const char *t, size_t len, size_t *n)
{
    size_t cap = 16, k = 0;
    size_t *at = xmalloc(cap * sizeof *at);
    at[k++] = 0;
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n' && i + 1 < len) {
            if (k + 1 >= cap)
                at = xrealloc(at, (cap *= 2) * sizeof *at);
            at[k++] = i + 1;
        }
    at[k] = len;
    *n = k;
    return at;
}

/* A blank line, or a comment at the left margin: an indented '#' line may
 * be text of a block scalar (`|`), which belongs to its key. */
static int is_blank_or_comment(const char *s, const char *end)
{
    if (s < end && *s == '#')
        return 1;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    return s == end || *s == '\n';
}

int new_fill(buf *out, const char *text, size_t len, const char *file, const new_values *v,
             diags *d)
{
    int err = -1;
    frontmatter fm = {0};
    int have_fm = 0;
    size_t *lines = NULL, n_lines = 0;
    long *span_end = NULL; /* per line: the last line of the key that starts there, else 0 */
    int *fill_at = NULL;   /* per line: the fill + 1 of the key that starts there, else 0 */
    buf t;
    buf_init(&t);

    /* LF line ends, no byte order mark: what the page is written with. */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    for (size_t i = 0; i < len; i++)
        if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
            buf_addc(&t, text[i]);
    if (frontmatter_parse(&fm, t.data, t.len, file, d) != 0)
        goto done;
    have_fm = 1;
    if (yamltree_kind(fm.data) != YAML_MAPPING) {
        diag_error(d, file, 1, 1, "invalid-type", "the front matter must be a mapping of keys");
        goto done;
    }

    const fill fills[] = {
        {"title", ALWAYS, v->title, NULL},          {"id", ALWAYS, v->id, NULL},
        {"owner", IF_EMPTY, NULL, "\"\""},          {"approver", IF_EMPTY, NULL, "\"\""},
        {"status", ALWAYS, "draft", NULL},          {"version", IF_EMPTY, NULL, "\"0.1\""},
        {"last_reviewed", ALWAYS, v->date, NULL},   {"date", IF_PRESENT, v->date, NULL},
        {"review_cycle", IF_EMPTY, v->cycle, NULL},
    };
    const size_t n_fills = sizeof fills / sizeof *fills;
    int missing[sizeof fills / sizeof *fills] = {0};

    lines = split_lines(t.data, t.len, &n_lines);
    span_end = xcalloc(n_lines + 2, sizeof *span_end);
    fill_at = xcalloc(n_lines + 2, sizeof *fill_at);
    /* The closing `---` is the line before the body. */
    long close = fm.present ? fm.body_line - 1 : 0;
    long prev = 1;
    for (size_t i = 0; i < yamltree_len(fm.data); i++) {
        long at = yamltree_line(yamltree_key(fm.data, i));
        if (at <= prev || at >= close) {
            diag_error(d, file, (int)at, yamltree_col(yamltree_key(fm.data, i)), "invalid-type",
                       "the front matter must be a block mapping, one key to a line");
            goto done;
        }
        prev = at;
    }
    for (size_t f = 0; f < n_fills; f++) {
        long i = find_key(fm.data, fills[f].key, v);
        if (i < 0) {
            missing[f] = fills[f].when != IF_PRESENT;
            continue;
        }
        const yaml_node *val = yamltree_item(fm.data, (size_t)i);
        if (fills[f].when == IF_EMPTY && !yamltree_is_null(val) &&
            !(yamltree_kind(val) == YAML_SCALAR && !yamltree_text_len(val)))
            continue; /* the archetype's own value */
        long at = yamltree_line(yamltree_key(fm.data, (size_t)i));
        long end = (size_t)i + 1 < yamltree_len(fm.data)
                       ? yamltree_line(yamltree_key(fm.data, (size_t)i + 1)) - 1
                       : close - 1;
        /* Comments and blank lines before the next key are the next key's. */
        while (end > at && is_blank_or_comment(t.data + lines[end - 1], t.data + lines[end]))
            end--;
        span_end[at] = end;
        fill_at[at] = (int)f + 1;
    }

    if (!fm.present) {
        buf_adds(out, "---\n");
        for (size_t f = 0; f < n_fills; f++)
            if (missing[f])
                put_pair(out, fills[f].key, &fills[f]);
        buf_adds(out, "---\n");
        buf_add(out, t.data, t.len);
        err = 0;
        goto done;
    }
    for (long ln = 1; ln <= (long)n_lines; ln++) {
        const char *s = t.data + lines[ln - 1], *e = t.data + lines[ln];
        if (ln == close)
            for (size_t f = 0; f < n_fills; f++)
                if (missing[f])
                    put_pair(out, fills[f].key, &fills[f]);
        if (ln < close && fill_at[ln]) {
            const fill *f = &fills[fill_at[ln] - 1];
            put_pair(out,
                     yamltree_text(yamltree_key(fm.data, (size_t)find_key(fm.data, f->key, v))), f);
            ln = span_end[ln];
            continue;
        }
        buf_add(out, s, (size_t)(e - s));
    }
    err = 0;
done:
    if (have_fm)
        frontmatter_release(&fm);
    free(lines);
    free(span_end);
    free(fill_at);
    buf_release(&t);
    return err;
}
