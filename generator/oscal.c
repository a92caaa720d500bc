/* oscal: an OSCAL catalog (NIST OSCAL 1.0/1.1 catalog model, JSON) as a
 * charter catalog, and an OSCAL profile's import selection (include-all,
 * include-controls and exclude-controls with with-ids, with-child-controls
 * and matching) as each control's applicability. Parameters are rendered
 * into the statement as NIST's own publications print them: "[Assignment:
 * label]", "[Selection (one or more): a; b]". docs/oscal.md. */
#include "oscal.h"

#include "jsondoc.h"
#include "map.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* Nested {{ insert: param }} in a parameter's choices: NIST's go two deep. */
#define MAX_PARAM_DEPTH 8
/* The YAML written, and the statements' text on the way to it, may each be
 * at most OUT_FACTOR times the size of the catalog and profile plus
 * OUT_SLACK bytes (NIST's catalogs give a twentieth of their size). Without
 * a bound, MAX_PARAM_DEPTH lets a value that inserts its own parameter ten
 * times grow to 10^8 copies, and a group's title (or the profile's, in a
 * justification) is written again for each control. */
#define OUT_FACTOR 4
#define OUT_SLACK ((size_t)1 << 20)

/* One import of a profile: what it includes and excludes. */
typedef struct selection {
    int all;
    map *ids, *with_kids;           /* include-controls: with-ids (and with-child-controls) */
    map *ex_ids, *ex_with_kids;     /* exclude-controls */
    const char **match, **ex_match; /* `matching` patterns, NULL-terminated */
    size_t n_match, n_ex_match;
} selection;

typedef struct conv {
    buf *out;
    diags *d;
    const char *file;
    buf path;       /* the JSON path of what is being read, for messages */
    map *params;    /* parameter id -> its node (ids are unique in a catalog) */
    map *seen;      /* control ids met, withdrawn ones too */
    selection *sel; /* one per profile import; NULL without a profile */
    size_t n_sel;
    size_t n_patterns; /* `matching` patterns of all imports */
    const char *profile_title;
    oscal_counts counts;
    size_t out_start;  /* out's length before the catalog */
    size_t budget;     /* bytes of YAML allowed (OUT_FACTOR) */
    size_t prose_left; /* bytes of statement text still allowed */
    int prose_over;    /* set by add_prose on reaching the bound */
} conv;

int oscal_framework_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 64 || id[0] == '.' || id[0] == '-')
        return 0;
    if (strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") != n)
        return 0;
    return strcmp(id, "applicability") != 0 && !catalog_is_crosswalk(id);
}

/* Appends to out the text of in with every run of white space one space,
 * none at either end. */
static void add_collapsed(buf *out, const char *in)
{
    int space = 0;
    size_t start = out->len;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = 1;
            continue;
        }
        /* "{{ insert: param, x }} ;" in NIST's prose: no space before. */
        if (space && out->len > start && *p != ';' && *p != ',' && *p != ']')
            buf_addc(out, ' ');
        space = 0;
        buf_addc(out, *p);
    }
}

/* Reports a structural problem at the current JSON path; returns -1. */
static int bad(conv *c, const char *what)
{
    return diag_error(c->d, c->file, 0, 0, "oscal", "'%s' %s", c->path.data, what);
}

/* Reports, at the current JSON path, the bound on what is written;
 * returns -1. */
static int too_large(conv *c)
{
    return diag_error(c->d, c->file, 0, 0, "oscal",
                      "'%s' makes the converted catalog larger than %zu bytes (four times the "
                      "OSCAL input plus 1 MiB)",
                      c->path.data, c->budget);
}

/* The member key of obj when it is a string (or absent: *out NULL).
 * Returns 0, or -1 after reporting another type. */
static int get_string(const char **out, conv *c, const jsondoc_node *obj, const char *key)
{
    const jsondoc_node *v = jsondoc_get(obj, key);
    *out = jsondoc_string(v);
    if (!v || *out)
        return 0;
    size_t len = c->path.len;
    buf_printf(&c->path, ".%s", key);
    bad(c, "must be a string");
    buf_truncate(&c->path, len);
    return -1;
}

/* The member key of obj when it is an array (or absent: NULL, no error).
 * Sets *ok to 0 after reporting another type. */
static const jsondoc_node *get_array(conv *c, const jsondoc_node *obj, const char *key, int *ok)
{
    const jsondoc_node *v = jsondoc_get(obj, key);
    if (!v || jsondoc_kind_of(v) == JSONDOC_ARRAY)
        return v;
    size_t len = c->path.len;
    buf_printf(&c->path, ".%s", key);
    *ok = bad(c, "must be an array") == 0;
    buf_truncate(&c->path, len);
    return NULL;
}

/* The value of the first prop named `name` (with no class when one has
 * none, as NIST marks its alternative labels with a class), or NULL. */
static const char *prop(const jsondoc_node *obj, const char *name)
{
    const jsondoc_node *props = jsondoc_get(obj, "props");
    const char *first = NULL;
    for (size_t i = 0; i < jsondoc_len(props); i++) {
        const jsondoc_node *p = jsondoc_item(props, i);
        const char *n = jsondoc_string(jsondoc_get(p, "name"));
        const char *v = jsondoc_string(jsondoc_get(p, "value"));
        if (!n || !v || strcmp(n, name))
            continue;
        if (!jsondoc_get(p, "class"))
            return v;
        if (!first)
            first = v;
    }
    return first;
}

static int is_withdrawn(const jsondoc_node *ctl)
{
    const jsondoc_node *props = jsondoc_get(ctl, "props");
    for (size_t i = 0; i < jsondoc_len(props); i++) {
        const jsondoc_node *p = jsondoc_item(props, i);
        const char *n = jsondoc_string(jsondoc_get(p, "name"));
        const char *v = jsondoc_string(jsondoc_get(p, "value"));
        if (n && v && !strcmp(n, "status") && !strcmp(v, "withdrawn"))
            return 1;
    }
    return 0;
}

static void add_prose(buf *out, conv *c, const char *prose, int depth);

/* A parameter as the statement shows it: its values when a profile set
 * them, else its selection or its label. */
static void add_param(buf *out, conv *c, const char *id, int depth)
{
    const jsondoc_node *p = map_get(c->params, id);
    const jsondoc_node *values = jsondoc_get(p, "values");
    const jsondoc_node *sel = jsondoc_get(p, "select");
    const char *label = jsondoc_string(jsondoc_get(p, "label"));
    if (jsondoc_len(values) > 0) {
        for (size_t i = 0; i < jsondoc_len(values); i++) {
            const char *v = jsondoc_string(jsondoc_item(values, i));
            if (i)
                buf_adds(out, ", ");
            add_prose(out, c, v ? v : "", depth + 1);
        }
    } else if (sel) {
        const char *how = jsondoc_string(jsondoc_get(sel, "how-many"));
        const jsondoc_node *choices = jsondoc_get(sel, "choice");
        buf_adds(out, how && !strcmp(how, "one-or-more") ? "[Selection (one or more): "
                                                         : "[Selection: ");
        for (size_t i = 0; i < jsondoc_len(choices); i++) {
            const char *v = jsondoc_string(jsondoc_item(choices, i));
            if (i)
                buf_adds(out, "; ");
            add_prose(out, c, v ? v : "", depth + 1);
        }
        buf_addc(out, ']');
    } else {
        buf_printf(out, "[Assignment: %s]", label ? label : id);
    }
}

/* Appends prose with each "{{ insert: param, ID }}" rendered (OSCAL's
 * markup-line insertion); nesting beyond MAX_PARAM_DEPTH shows the id. */
static void add_prose(buf *out, conv *c, const char *prose, int depth)
{
    const char *p = prose;
    for (;;) {
        /* out holds the whole part's text: each step adds at most one
         * piece of the catalog before the next check. */
        if (out->len > c->prose_left) {
            c->prose_over = 1;
            return;
        }
        const char *open = strstr(p, "{{");
        const char *close = open ? strstr(open, "}}") : NULL;
        if (!close) {
            buf_adds(out, p);
            return;
        }
        buf_add(out, p, (size_t)(open - p));
        /* "{{ insert: param, ac-1_prm_1 }}" */
        const char *q = open + 2;
        q += strspn(q, " ");
        int is_param = !strncmp(q, "insert:", 7);
        if (is_param) {
            q += 7 + strspn(q + 7, " ");
            is_param = !strncmp(q, "param,", 6);
            q += 6;
        }
        if (!is_param) {
            buf_add(out, open, (size_t)(close + 2 - open));
        } else {
            q += strspn(q, " ");
            size_t n = (size_t)(close - q);
            while (n && q[n - 1] == ' ')
                n--;
            char *id = xstrndup(q, n);
            if (depth < MAX_PARAM_DEPTH)
                add_param(out, c, id, depth);
            else
                buf_printf(out, "[Assignment: %s]", id);
            free(id);
        }
        p = close + 2;
    }
}

/* Appends a statement part and its items: "a. Do this; b. That: 1. ...". */
static int add_part(buf *out, conv *c, const jsondoc_node *part, int depth)
{
    if (depth > OSCAL_MAX_NESTING)
        return bad(c, "nests parts too deep");
    const char *label = prop(part, "label");
    const char *prose = jsondoc_string(jsondoc_get(part, "prose"));
    buf text;
    buf_init(&text);
    if (label)
        buf_printf(&text, "%s ", label);
    if (prose)
        add_prose(&text, c, prose, 0);
    if (c->prose_over || text.len > c->prose_left) {
        buf_release(&text);
        c->prose_over = 1;
        return too_large(c);
    }
    c->prose_left -= text.len;
    if (text.len) {
        if (out->len)
            buf_addc(out, ' ');
        add_collapsed(out, text.data);
    }
    buf_release(&text);
    const jsondoc_node *parts = jsondoc_get(part, "parts");
    for (size_t i = 0; i < jsondoc_len(parts); i++) {
        const jsondoc_node *sub = jsondoc_item(parts, i);
        const char *name = jsondoc_string(jsondoc_get(sub, "name"));
        if (name && !strcmp(name, "item") && add_part(out, c, sub, depth + 1) != 0)
            return -1;
    }
    return 0;
}

/* Whether import s selects the control id, whose ancestors (the controls
 * it enhances, nearest last) are anc[0..n_anc). */
static int selects(const selection *s, const char *id, const char *const *anc, size_t n_anc)
{
    int in = s->all || map_get(s->ids, id);
    for (size_t i = 0; !in && i < n_anc; i++)
        in = map_get(s->with_kids, anc[i]) != NULL;
    for (size_t i = 0; !in && i < s->n_match; i++)
        in = fnmatch(s->match[i], id, 0) == 0;
    if (!in)
        return 0;
    if (map_get(s->ex_ids, id))
        return 0;
    for (size_t i = 0; i < n_anc; i++)
        if (map_get(s->ex_with_kids, anc[i]))
            return 0;
    for (size_t i = 0; i < s->n_ex_match; i++)
        if (fnmatch(s->ex_match[i], id, 0) == 0)
            return 0;
    return 1;
}

static int convert_controls(conv *c, const jsondoc_node *list, const char *group, const char **anc,
                            size_t n_anc, int depth);

/* One control: its entry, then its enhancements. */
static int convert_control(conv *c, const jsondoc_node *ctl, const char *group, const char **anc,
                           size_t n_anc, int depth)
{
    const char *id, *title;
    if (jsondoc_kind_of(ctl) != JSONDOC_OBJECT)
        return bad(c, "must be an object");
    if (get_string(&id, c, ctl, "id") != 0 || get_string(&title, c, ctl, "title") != 0)
        return -1;
    if (!id)
        return bad(c, "has no 'id'");
    if (map_put(c->seen, id, (void *)ctl))
        return diag_error(c->d, c->file, 0, 0, "oscal", "'%s' repeats the control id '%s'",
                          c->path.data, id);
    if (c->counts.controls + c->counts.withdrawn >= OSCAL_MAX_CONTROLS)
        return diag_error(c->d, c->file, 0, 0, "oscal", "'%s' is past the limit of %d controls",
                          c->path.data, OSCAL_MAX_CONTROLS);
    const jsondoc_node *params = jsondoc_get(ctl, "params");
    for (size_t i = 0; i < jsondoc_len(params); i++) {
        const jsondoc_node *p = jsondoc_item(params, i);
        const char *pid = jsondoc_string(jsondoc_get(p, "id"));
        if (pid)
            map_put(c->params, pid, (void *)p);
    }
    if (is_withdrawn(ctl)) {
        c->counts.withdrawn++;
    } else {
        c->counts.controls++;
        buf *o = c->out;
        buf_adds(o, "  - id: ");
        yamltree_put_quoted(o, id);
        const char *label = prop(ctl, "label");
        if (label) {
            buf_adds(o, "\n    label: ");
            yamltree_put_quoted(o, label);
        }
        const jsondoc_node *parts = jsondoc_get(ctl, "parts");
        buf stmt;
        buf_init(&stmt);
        int err = 0;
        for (size_t i = 0; i < jsondoc_len(parts) && !err; i++) {
            const jsondoc_node *part = jsondoc_item(parts, i);
            const char *name = jsondoc_string(jsondoc_get(part, "name"));
            if (name && !strcmp(name, "statement"))
                err = add_part(&stmt, c, part, depth + 1);
        }
        /* A title that only repeats the id (CSF 2.0's subcategories are
         * titled "GV.OC-01") says less than the statement. */
        if ((!title || !strcmp(title, id) || (label && !strcmp(title, label))) && stmt.len)
            title = stmt.data;
        if (title) {
            buf_adds(o, "\n    title: ");
            yamltree_put_quoted(o, title);
        }
        if (group) {
            buf_adds(o, "\n    group: ");
            yamltree_put_quoted(o, group);
        }
        if (stmt.len) {
            buf_adds(o, "\n    statement: ");
            yamltree_put_quoted(o, stmt.data);
        }
        buf_release(&stmt);
        if (err)
            return -1;
        int applicable = 1;
        for (size_t i = 0; c->sel && i < c->n_sel; i++)
            if ((applicable = selects(&c->sel[i], id, anc, n_anc)))
                break;
        if (applicable) {
            c->counts.applicable++;
        } else {
            buf_adds(o, "\n    applicable: false\n    justification: ");
            buf text;
            buf_init(&text);
            buf_printf(&text, "not selected by %s", c->profile_title);
            yamltree_put_quoted(o, text.data);
            buf_release(&text);
        }
        buf_addc(o, '\n');
        if (o->len - c->out_start > c->budget)
            return too_large(c);
    }
    const jsondoc_node *kids = jsondoc_get(ctl, "controls");
    if (!kids)
        return 0;
    anc[n_anc] = id;
    size_t len = c->path.len;
    buf_adds(&c->path, ".controls");
    int err = convert_controls(c, kids, group, anc, n_anc + 1, depth + 1);
    buf_truncate(&c->path, len);
    return err;
}

static int convert_controls(conv *c, const jsondoc_node *list, const char *group, const char **anc,
                            size_t n_anc, int depth)
{
    if (depth > OSCAL_MAX_NESTING)
        return bad(c, "nests controls too deep");
    if (jsondoc_kind_of(list) != JSONDOC_ARRAY)
        return bad(c, "must be an array");
    int err = 0;
    size_t len = c->path.len;
    for (size_t i = 0; i < jsondoc_len(list) && !err; i++) {
        buf_printf(&c->path, "[%zu]", i);
        err = convert_control(c, jsondoc_item(list, i), group, anc, n_anc, depth);
        buf_truncate(&c->path, len);
    }
    return err;
}

/* A group's controls under its title, then its groups. */
static int convert_groups(conv *c, const jsondoc_node *list, const char **anc, int depth)
{
    if (depth > OSCAL_MAX_NESTING)
        return bad(c, "nests groups too deep");
    if (jsondoc_kind_of(list) != JSONDOC_ARRAY)
        return bad(c, "must be an array");
    size_t len = c->path.len;
    int err = 0;
    for (size_t i = 0; i < jsondoc_len(list) && !err; i++) {
        const jsondoc_node *g = jsondoc_item(list, i);
        const char *title;
        buf_printf(&c->path, "[%zu]", i);
        if (jsondoc_kind_of(g) != JSONDOC_OBJECT)
            err = bad(c, "must be an object");
        else if (get_string(&title, c, g, "title") != 0)
            err = -1;
        size_t at = c->path.len;
        if (!err && jsondoc_get(g, "controls")) {
            buf_adds(&c->path, ".controls");
            err = convert_controls(c, jsondoc_get(g, "controls"), title, anc, 0, depth + 1);
            buf_truncate(&c->path, at);
        }
        if (!err && jsondoc_get(g, "groups")) {
            buf_adds(&c->path, ".groups");
            err = convert_groups(c, jsondoc_get(g, "groups"), anc, depth + 1);
        }
        buf_truncate(&c->path, len);
    }
    return err;
}

/* "NIST SP 800-53 Rev. 5" -> "nist-sp-800-53-rev-5": lowercase letters and
 * digits, every other run one '-', at most 64 bytes (cut at a '-'). */
static void slug(buf *out, const char *title)
{
    size_t start = out->len;
    for (const unsigned char *p = (const unsigned char *)title; *p; p++) {
        int alnum = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
        int upper = *p >= 'A' && *p <= 'Z';
        if (alnum || upper)
            buf_addc(out, (char)(upper ? *p - 'A' + 'a' : *p));
        else if (out->len > start && out->data[out->len - 1] != '-')
            buf_addc(out, '-');
    }
    if (out->len - start > 64) {
        buf_truncate(out, start + 64);
        char *dash = strrchr(out->data + start, '-');
        if (dash && dash > out->data + start)
            buf_truncate(out, (size_t)(dash - out->data));
    }
    while (out->len > start && out->data[out->len - 1] == '-')
        buf_truncate(out, out->len - 1);
}

static void selection_release(selection *s)
{
    map_free(s->ids);
    map_free(s->with_kids);
    map_free(s->ex_ids);
    map_free(s->ex_with_kids);
    free(s->match);
    free(s->ex_match);
}

/* Reads one include-controls or exclude-controls list into the maps and
 * patterns, each id also listed in order in *ids for the warnings. */
static int read_selectors(conv *c, const jsondoc_node *list, map *ids, map *kids,
                          const char ***match, size_t *n_match, const char ***order,
                          size_t *n_order)
{
    if (jsondoc_kind_of(list) != JSONDOC_ARRAY)
        return bad(c, "must be an array");
    size_t len = c->path.len;
    for (size_t i = 0; i < jsondoc_len(list); i++) {
        const jsondoc_node *sel = jsondoc_item(list, i);
        buf_printf(&c->path, "[%zu]", i);
        const char *with_kids = NULL;
        int ok = 1;
        const jsondoc_node *with = get_array(c, sel, "with-ids", &ok);
        const jsondoc_node *pats = get_array(c, sel, "matching", &ok);
        if (!ok || get_string(&with_kids, c, sel, "with-child-controls") != 0) {
            buf_truncate(&c->path, len);
            return -1;
        }
        int kids_too = with_kids && !strcmp(with_kids, "yes");
        for (size_t k = 0; k < jsondoc_len(with); k++) {
            const char *id = jsondoc_string(jsondoc_item(with, k));
            if (!id) {
                buf_printf(&c->path, ".with-ids[%zu]", k);
                bad(c, "must be a string");
                buf_truncate(&c->path, len);
                return -1;
            }
            map_put(ids, id, (void *)id);
            if (kids_too)
                map_put(kids, id, (void *)id);
            *order = xgrow(*order, *n_order, sizeof **order);
            (*order)[(*n_order)++] = id;
        }
        for (size_t k = 0; k < jsondoc_len(pats); k++) {
            const char *pat = jsondoc_string(jsondoc_get(jsondoc_item(pats, k), "pattern"));
            if (!pat)
                continue;
            if (++c->n_patterns > OSCAL_MAX_PATTERNS || strlen(pat) > OSCAL_MAX_PATTERN_BYTES) {
                buf_printf(&c->path, ".matching[%zu]", k);
                diag_error(c->d, c->file, 0, 0, "oscal",
                           "'%s': a profile may have at most %d 'matching' patterns of at most "
                           "%d bytes",
                           c->path.data, OSCAL_MAX_PATTERNS, OSCAL_MAX_PATTERN_BYTES);
                buf_truncate(&c->path, len);
                return -1;
            }
            *match = xrealloc(*match, (*n_match + 2) * sizeof **match);
            (*match)[(*n_match)++] = pat;
            (*match)[*n_match] = NULL;
        }
        buf_truncate(&c->path, len);
    }
    return 0;
}

/* Reads the profile's imports into c->sel; every id a with-ids names is
 * listed in *order. The imports' hrefs are not followed: each applies to
 * the catalog being converted. */
static int read_profile(conv *c, const jsondoc_node *root, const char ***order, size_t *n_order)
{
    const jsondoc_node *p = jsondoc_get(root, "profile");
    if (jsondoc_kind_of(p) != JSONDOC_OBJECT)
        return diag_error(c->d, c->file, 0, 0, "oscal",
                          "an OSCAL profile must be an object with a 'profile' object");
    buf_reset(&c->path);
    buf_adds(&c->path, "profile.metadata");
    if (get_string(&c->profile_title, c, jsondoc_get(p, "metadata"), "title") != 0)
        return -1;
    if (!c->profile_title)
        return bad(c, "has no 'title'");
    const jsondoc_node *imports = jsondoc_get(p, "imports");
    buf_reset(&c->path);
    buf_adds(&c->path, "profile.imports");
    if (jsondoc_kind_of(imports) != JSONDOC_ARRAY || jsondoc_len(imports) == 0)
        return bad(c, "must be an array of at least one import");
    if (jsondoc_len(imports) > OSCAL_MAX_IMPORTS)
        return diag_error(c->d, c->file, 0, 0, "oscal", "'%s' has more than %d imports",
                          c->path.data, OSCAL_MAX_IMPORTS);
    c->n_sel = jsondoc_len(imports);
    c->sel = xcalloc(c->n_sel, sizeof *c->sel);
    for (size_t i = 0; i < c->n_sel; i++) {
        selection *s = &c->sel[i];
        const jsondoc_node *imp = jsondoc_item(imports, i);
        s->ids = map_new();
        s->with_kids = map_new();
        s->ex_ids = map_new();
        s->ex_with_kids = map_new();
        buf_reset(&c->path);
        buf_printf(&c->path, "profile.imports[%zu]", i);
        s->all = jsondoc_get(imp, "include-all") != NULL;
        const jsondoc_node *inc = jsondoc_get(imp, "include-controls");
        const jsondoc_node *exc = jsondoc_get(imp, "exclude-controls");
        if (!s->all && !inc)
            return bad(c, "has neither 'include-all' nor 'include-controls'");
        size_t len = c->path.len;
        buf_adds(&c->path, ".include-controls");
        if (inc && read_selectors(c, inc, s->ids, s->with_kids, &s->match, &s->n_match, order,
                                  n_order) != 0)
            return -1;
        buf_truncate(&c->path, len);
        buf_adds(&c->path, ".exclude-controls");
        if (exc && read_selectors(c, exc, s->ex_ids, s->ex_with_kids, &s->ex_match, &s->n_ex_match,
                                  order, n_order) != 0)
            return -1;
    }
    return 0;
}

int oscal_convert(buf *out, buf *fw_out, oscal_counts *counts, const oscal_input *cat,
                  const oscal_input *prof, const char *framework_id, const char *name,
                  const char *header, diags *d)
{
    int err = -1;
    jsondoc *doc = NULL, *pdoc = NULL;
    const char **order = NULL;
    size_t n_order = 0;
    conv c = {.out = out,
              .d = d,
              .params = map_new(),
              .seen = map_new(),
              .out_start = out->len,
              .budget = OUT_FACTOR * (cat->len + (prof ? prof->len : 0)) + OUT_SLACK};
    c.prose_left = c.budget;
    buf_init(&c.path);
    if (jsondoc_parse(&doc, cat->text, cat->len, cat->file, 0, d) != 0)
        goto done;
    if (prof) {
        c.file = prof->file;
        if (jsondoc_parse(&pdoc, prof->text, prof->len, prof->file, 0, d) != 0 ||
            read_profile(&c, jsondoc_root(pdoc), &order, &n_order) != 0)
            goto done;
    }
    c.file = cat->file;
    const jsondoc_node *cat_obj = jsondoc_get(jsondoc_root(doc), "catalog");
    if (jsondoc_kind_of(cat_obj) != JSONDOC_OBJECT) {
        diag_error(d, cat->file, 0, 0, "oscal",
                   "an OSCAL catalog must be an object with a 'catalog' object%s",
                   jsondoc_get(jsondoc_root(doc), "profile")
                       ? " (this is a profile: give it with --profile, and its catalog)"
                       : "");
        goto done;
    }
    const char *title = NULL;
    buf_reset(&c.path);
    buf_adds(&c.path, "catalog.metadata");
    if (get_string(&title, &c, jsondoc_get(cat_obj, "metadata"), "title") != 0)
        goto done;
    if (!title) {
        bad(&c, "has no 'title'");
        goto done;
    }
    if (framework_id) {
        buf_adds(fw_out, framework_id);
    } else {
        slug(fw_out, title);
        if (!oscal_framework_id_ok(fw_out->data)) {
            diag_error(d, cat->file, 0, 0, "oscal",
                       "the catalog's title '%s' gives no usable framework id ('%s'): name "
                       "one",
                       title, fw_out->data);
            goto done;
        }
    }
    for (const char *h = header; h && *h;) {
        size_t n = strcspn(h, "\n");
        buf_printf(out, "# %.*s\n", (int)n, h);
        h += n + (h[n] == '\n');
    }
    buf_adds(out, "framework: ");
    yamltree_put_quoted(out, fw_out->data);
    buf_adds(out, "\nname: ");
    yamltree_put_quoted(out, name ? name : title);
    buf_adds(out, "\ncontrols:\n");
    size_t before = out->len;
    /* Enhancements carry their ancestors' ids for with-child-controls. */
    const char *anc[OSCAL_MAX_NESTING + 2];
    int failed = 0;
    buf_reset(&c.path);
    buf_adds(&c.path, "catalog.groups");
    if (jsondoc_get(cat_obj, "groups") &&
        convert_groups(&c, jsondoc_get(cat_obj, "groups"), anc, 1) != 0)
        failed = 1;
    buf_reset(&c.path);
    buf_adds(&c.path, "catalog.controls");
    if (!failed && jsondoc_get(cat_obj, "controls") &&
        convert_controls(&c, jsondoc_get(cat_obj, "controls"), NULL, anc, 0, 1) != 0)
        failed = 1;
    if (failed)
        goto done;
    if (out->len == before)
        buf_adds(out, "  []\n");
    /* Each id once, in the profile's order. */
    map *warned = map_new();
    for (size_t i = 0; i < n_order; i++) {
        if (map_get(c.seen, order[i]) || map_put(warned, order[i], (void *)order[i]))
            continue;
        c.counts.profile_missing++;
        diag_warning(d, prof->file, 0, 0, "oscal-profile",
                     "the profile selects '%s', which the catalog '%s' does not define", order[i],
                     cat->file);
    }
    map_free(warned);
    err = 0;
done:
    if (counts)
        *counts = c.counts;
    for (size_t i = 0; i < c.n_sel; i++)
        selection_release(&c.sel[i]);
    free(c.sel);
    free(order);
    map_free(c.params);
    map_free(c.seen);
    buf_release(&c.path);
    jsondoc_free(doc);
    jsondoc_free(pdoc);
    return err;
}

int oscal_site_catalogs(catalog_text **out, const fs_root *fs, const oscal_catalog_ref *refs,
                        size_t n, size_t max, diags *d)
{
    *out = NULL;
    if (n == 0)
        return 0;
    catalog_text *texts = xcalloc(n, sizeof *texts);
    int err = 0;
    buf cat, prof, yaml, fw;
    buf_init(&cat);
    buf_init(&prof);
    buf_init(&yaml);
    buf_init(&fw);
    for (size_t i = 0; i < n; i++) {
        const oscal_catalog_ref *r = &refs[i];
        buf_reset(&cat);
        buf_reset(&prof);
        buf_reset(&yaml);
        buf_reset(&fw);
        texts[i].file = r->catalog;
        if (fs_read_source(&cat, fs, r->catalog, max, "limits.file_bytes", d) != 0 ||
            (r->profile &&
             fs_read_source(&prof, fs, r->profile, max, "limits.file_bytes", d) != 0)) {
            err = -1;
            continue;
        }
        oscal_input ci = {r->catalog, cat.data, cat.len};
        oscal_input pi = {r->profile, prof.data, prof.len};
        if (oscal_convert(&yaml, &fw, NULL, &ci, r->profile ? &pi : NULL, r->framework, r->name,
                          NULL, d) != 0) {
            err = -1;
            continue;
        }
        texts[i].len = yaml.len;
        texts[i].text = buf_detach(&yaml);
    }
    buf_release(&cat);
    buf_release(&prof);
    buf_release(&yaml);
    buf_release(&fw);
    if (err) {
        oscal_texts_free(texts, n);
        texts = NULL;
    }
    *out = texts;
    return err;
}

void oscal_texts_free(catalog_text *texts, size_t n)
{
    if (!texts)
        return;
    for (size_t i = 0; i < n; i++)
        free((char *)texts[i].text);
    free(texts);
}
