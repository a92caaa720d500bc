/* config: parsing site.yml into site_config (see config.h): strings, lists,
 * durations, directory settings that must stay inside the site, limits with
 * their units, and the normalised base_url. */
#include "config.h"

#include "buf.h"
#include "diag.h"
#include "oscal.h"
#include "paths.h"

#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- site.yml ------------------------------------------------------------- */

static const char *const change_names[] = {"material", "minor", "editorial", "review"};
static const char *const rule_names[] = {"any", "major", "minor", "patch", "same"};

int config_change_type(const char *name)
{
    for (int i = 0; name && i < 4; i++)
        if (!strcmp(name, change_names[i]))
            return i;
    return -1;
}

const char *config_rule_name(version_rule r)
{
    return rule_names[r];
}

static int config_string(const char **out, const yaml_node *root, const char *key, const char *def,
                         const char *f, diags *d)
{
    const yaml_node *n = yamltree_get(root, key);
    *out = def;
    if (!n || yamltree_is_null(n))
        return 0;
    return yamltree_as_string(out, n, key, f, d);
}

static int config_list(const char ***out, size_t *n_out, const yaml_node *root, const char *key,
                       const char *f, diags *d)
{
    const yaml_node *n = yamltree_get(root, key);
    if (!n || yamltree_is_null(n))
        return 0;
    if (yamltree_kind(n) != YAML_SEQUENCE)
        return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config", "'%s' must be a list",
                          key);
    *out = xcalloc(yamltree_len(n) + 1, sizeof **out);
    for (size_t i = 0; i < yamltree_len(n); i++)
        if (yamltree_as_string(&(*out)[i], yamltree_item(n, i), key, f, d) != 0)
            return -1;
    *n_out = yamltree_len(n);
    return 0;
}

static int config_duration(duration *out, const yaml_node *parent, const char *key, const char *def,
                           const char *f, diags *d)
{
    const char *s = def;
    const yaml_node *n = parent ? yamltree_get(parent, key) : NULL;
    if (n && !yamltree_is_null(n) && yamltree_as_string(&s, n, key, f, d) != 0)
        return -1;
    if (duration_parse(out, s) != 0)
        return diag_error(d, f, n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0, "config",
                          "'review.%s' must be a duration like '12 months' or '90 days', not "
                          "'%s'",
                          key, s);
    return 0;
}

/* A directory setting must stay inside the site: it names where charter
 * reads (or, for output, writes), and `..` or an absolute path there is
 * almost always a mistake in a shared repository. Output may be anywhere
 * here; the build keeps it inside the repository (output_within).
 * Only content may be the site directory itself (`.`, a Jekyll site's
 * pages at the repository root); it is then stored as ".". */
static int config_dir(site_config *c, const char **out, const yaml_node *root, const char *key,
                      const char *def, int root_ok, const char *f, diags *d)
{
    if (config_string(out, root, key, def, f, d) != 0)
        return -1;
    buf p;
    buf_init(&p);
    buf_adds(&p, *out);
    int bad = (*out)[0] == '/' || (*out)[0] == '\0' || path_normalize(&p) != 0;
    if (!bad && p.len == 0) {
        bad = !root_ok;
        if (root_ok)
            *out = ".";
    }
    /* Nor the repository's own folder (`archetypes: .git`): nothing there
     * is ever read as a source. */
    int git = 0;
    for (const char *s = p.data; !bad && !git && s && (s = strstr(s, ".git")) != NULL; s += 4)
        git = (s == p.data || s[-1] == '/') && (s[4] == '/' || s[4] == '\0');
    /* As normalised: `./src` and `src/` are `src`, as every path of the
     * site is named from it (findings, the walk, git's paths). */
    if (!bad && !git && p.len && strcmp(p.data, *out) != 0 && c->n_dirs_own < 8) {
        c->dirs_own[c->n_dirs_own] = buf_detach(&p);
        *out = c->dirs_own[c->n_dirs_own++];
    }
    buf_release(&p);
    if (bad || git) {
        const yaml_node *n = yamltree_get(root, key);
        return diag_error(d, f, n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0, "config",
                          git ? "'%s' must not be in the repository's '.git' folder ('%s')"
                              : "'%s' must be a directory inside the site, not '%s'",
                          key, *out);
    }
    return 0;
}

const site_limits config_default_limits = {
    .page_bytes = (size_t)4 << 20,
    .frontmatter_bytes = (size_t)256 << 10,
    .scalar_bytes = (size_t)64 << 10,
    .frontmatter_keys = 1000,
    .static_bytes = (size_t)64 << 20,
    .file_bytes = (size_t)16 << 20,
    .page_seconds = 10,
    .history_seconds = 300,
};

/* "4194304", "4 MiB", "512 KiB", "10 MB": bytes. Returns 0 or -1. */
static int parse_size(const char *s, size_t *out)
{
    static const struct {
        const char *unit;
        unsigned long long mult;
    } units[] = {{"", 1},
                 {"B", 1},
                 {"KB", 1000ULL},
                 {"KiB", 1ULL << 10},
                 {"MB", 1000000ULL},
                 {"MiB", 1ULL << 20},
                 {"GB", 1000000000ULL},
                 {"GiB", 1ULL << 30}};
    unsigned long long v = 0;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (ULLONG_MAX - 9) / 10)
            return -1;
        v = v * 10 + (unsigned long long)(*p - '0');
    }
    while (*p == ' ')
        p++;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        if (strcmp(p, units[i].unit) != 0)
            continue;
        if (v > SIZE_MAX / units[i].mult)
            return -1;
        *out = (size_t)(v * units[i].mult);
        return 0;
    }
    return -1;
}

/* limits: a mapping of the caps in site_limits, each a positive number. */
static int config_limits(site_limits *l, const yaml_node *n, const char *f, diags *d)
{
    enum { BYTES, SECONDS, COUNT };
    static const struct {
        const char *key;
        size_t off;
        int unit;
    } keys[] = {
        {"page_bytes", offsetof(site_limits, page_bytes), BYTES},
        {"frontmatter_bytes", offsetof(site_limits, frontmatter_bytes), BYTES},
        {"scalar_bytes", offsetof(site_limits, scalar_bytes), BYTES},
        {"frontmatter_keys", offsetof(site_limits, frontmatter_keys), COUNT},
        {"static_bytes", offsetof(site_limits, static_bytes), BYTES},
        {"file_bytes", offsetof(site_limits, file_bytes), BYTES},
        {"page_seconds", offsetof(site_limits, page_seconds), SECONDS},
        {"history_seconds", offsetof(site_limits, history_seconds), SECONDS},
    };
    if (!n || yamltree_is_null(n))
        return 0;
    if (yamltree_kind(n) != YAML_MAPPING)
        return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                          "'limits' must be a mapping of limits to numbers");
    int err = 0;
    for (size_t i = 0; i < yamltree_len(n); i++) {
        const yaml_node *k = yamltree_key(n, i), *v = yamltree_item(n, i);
        size_t j = 0;
        while (j < sizeof keys / sizeof *keys && strcmp(keys[j].key, yamltree_text(k)) != 0)
            j++;
        if (j == sizeof keys / sizeof *keys) {
            err = diag_error(d, f, yamltree_line(k), yamltree_col(k), "config",
                             "unknown limit '%s' in 'limits' (docs/security.md lists them)",
                             yamltree_text(k));
            continue;
        }
        size_t value = 0;
        int bad = yamltree_kind(v) != YAML_SCALAR || parse_size(yamltree_text(v), &value) != 0 ||
                  value == 0;
        /* Seconds and counts are plain digits ("4 MiB" is bytes only). */
        if (!bad && keys[j].unit != BYTES)
            bad = strspn(yamltree_text(v), "0123456789") != strlen(yamltree_text(v)) ||
                  (keys[j].unit == SECONDS && value > 86400);
        if (!bad && keys[j].unit == SECONDS)
            *(long *)((char *)l + keys[j].off) = (long)value;
        else if (!bad)
            *(size_t *)((char *)l + keys[j].off) = value;
        if (bad)
            err = diag_error(d, f, yamltree_line(v), yamltree_col(v), "config",
                             keys[j].unit == SECONDS
                                 ? "'limits.%s' must be a whole number of seconds from 1 to 86400"
                             : keys[j].unit == COUNT
                                 ? "'limits.%s' must be a positive whole number, like 1000"
                                 : "'limits.%s' must be a positive number of bytes, like 4194304 "
                                   "or '4 MiB'",
                             yamltree_text(k));
    }
    return err;
}

/* A list of strings, or one string as a list of one. */
static int config_strings(const char ***out, size_t *n_out, const yaml_node *n, const char *key,
                          const char *f, diags *d)
{
    if (!n || yamltree_is_null(n))
        return 0;
    size_t m = yamltree_kind(n) == YAML_SEQUENCE ? yamltree_len(n) : 1;
    if (yamltree_kind(n) == YAML_MAPPING)
        return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                          "'%s' must be a list of strings", key);
    *out = xcalloc(m + 1, sizeof **out);
    *n_out = m;
    for (size_t i = 0; i < m; i++) {
        const yaml_node *v = yamltree_kind(n) == YAML_SEQUENCE ? yamltree_item(n, i) : n;
        if (yamltree_as_string(&(*out)[i], v, key, f, d) != 0)
            return -1;
    }
    return 0;
}

/* defaults: [{scope: {path: P, layout: L}, values: {...}}, ...] (Jekyll's
 * `type:` in a scope is accepted and ignored: every file here is a page). */
static int config_defaults(site_config *c, const yaml_node *n, const char *f, diags *d)
{
    if (!n || yamltree_is_null(n))
        return 0;
    if (yamltree_kind(n) != YAML_SEQUENCE)
        return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                          "'defaults' must be a list of {scope, values} entries");
    c->defaults = xcalloc(yamltree_len(n) + 1, sizeof *c->defaults);
    int err = 0;
    for (size_t i = 0; i < yamltree_len(n); i++) {
        const yaml_node *e = yamltree_item(n, i);
        const yaml_node *scope = yamltree_kind(e) == YAML_MAPPING ? yamltree_get(e, "scope") : NULL;
        const yaml_node *values =
            yamltree_kind(e) == YAML_MAPPING ? yamltree_get(e, "values") : NULL;
        if (!values || yamltree_kind(values) != YAML_MAPPING ||
            (scope && !yamltree_is_null(scope) && yamltree_kind(scope) != YAML_MAPPING)) {
            err = diag_error(d, f, yamltree_line(e), yamltree_col(e), "config",
                             "each entry of 'defaults' must be a mapping with 'values' (a "
                             "mapping) and an optional 'scope' (a mapping of path and layout)");
            continue;
        }
        page_default *pd = &c->defaults[c->n_defaults];
        pd->path = "";
        pd->values = values;
        if (scope && !yamltree_is_null(scope)) {
            const char *path = "";
            if (config_string(&path, scope, "path", "", f, d) != 0 ||
                config_string(&pd->layout, scope, "layout", NULL, f, d) != 0 ||
                config_string(&pd->type, scope, "type", NULL, f, d) != 0) {
                err = -1;
                continue;
            }
            while (path[0] == '.' && path[1] == '/')
                path += 2;
            if (!strcmp(path, "."))
                path = "";
            pd->path = path;
        }
        c->n_defaults++;
    }
    return err;
}

/* keys: {last_reviewed: [last_updated, reviewed], title: name}. */
static int config_keys(site_config *c, const yaml_node *n, const char *f, diags *d)
{
    static const char *const known[] = {
        "title",     "owner",      "last_reviewed", "next_review", "controls",       "description",
        "id",        "layout",     "status",        "version",     "section",        "approver",
        "tags",      "categories", "review_cycle",  "published",   "classification", "date",
        "permalink", "weight"};
    if (!n || yamltree_is_null(n))
        return 0;
    if (yamltree_kind(n) != YAML_MAPPING)
        return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                          "'keys' must map charter's keys to the names the pages use");
    size_t cap = 0;
    for (size_t i = 0; i < yamltree_len(n); i++)
        cap += yamltree_kind(yamltree_item(n, i)) == YAML_SEQUENCE
                   ? yamltree_len(yamltree_item(n, i))
                   : 1;
    c->keys = xcalloc(cap + 1, sizeof *c->keys);
    int err = 0;
    for (size_t i = 0; i < yamltree_len(n); i++) {
        const yaml_node *k = yamltree_key(n, i);
        size_t j = 0;
        while (j < sizeof known / sizeof *known && strcmp(known[j], yamltree_text(k)) != 0)
            j++;
        if (j == sizeof known / sizeof *known) {
            err = diag_error(d, f, yamltree_line(k), yamltree_col(k), "config",
                             "'keys' names '%s', which is not a key charter reads "
                             "(docs/content-model.md lists them)",
                             yamltree_text(k));
            continue;
        }
        const char **names = NULL;
        size_t m = 0;
        if (config_strings(&names, &m, yamltree_item(n, i), yamltree_text(k), f, d) != 0) {
            free(names);
            err = -1;
            continue;
        }
        for (size_t a = 0; a < m; a++) {
            c->keys[c->n_keys].key = known[j];
            c->keys[c->n_keys++].alias = names[a];
        }
        free(names);
    }
    return err;
}

/* policies: {paths: [globs], layouts: [names], keys: [names]}; n NULL
 * gives the default rule. */
static int config_policies(site_config *c, const yaml_node *n, const char *f, diags *d)
{
    static const char *def_layouts[] = {"policy", NULL};
    static const char *def_keys[] = {"owner", "last_reviewed", NULL};
    int err = 0;
    if (n && !yamltree_is_null(n) && yamltree_kind(n) != YAML_MAPPING)
        return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                          "'policies' must be a mapping of paths, layouts and keys");
    if (n && !yamltree_is_null(n)) {
        for (size_t i = 0; i < yamltree_len(n); i++) {
            const char *k = yamltree_text(yamltree_key(n, i));
            if (strcmp(k, "paths") && strcmp(k, "layouts") && strcmp(k, "keys"))
                err = diag_error(d, f, yamltree_line(yamltree_key(n, i)),
                                 yamltree_col(yamltree_key(n, i)), "config",
                                 "unknown setting '%s' in 'policies' (paths, layouts or keys)", k);
        }
        err |= config_strings(&c->policy_paths, &c->n_policy_paths, yamltree_get(n, "paths"),
                              "policies.paths", f, d);
        err |= config_strings(&c->policy_layouts, &c->n_policy_layouts, yamltree_get(n, "layouts"),
                              "policies.layouts", f, d);
        err |= config_strings(&c->policy_keys, &c->n_policy_keys, yamltree_get(n, "keys"),
                              "policies.keys", f, d);
    }
    if (!n || yamltree_is_null(n) || !yamltree_get(n, "layouts")) {
        c->policy_layouts = xcalloc(2, sizeof *c->policy_layouts);
        memcpy(c->policy_layouts, def_layouts, sizeof def_layouts);
        c->n_policy_layouts = 1;
    }
    if (!n || yamltree_is_null(n) || !yamltree_get(n, "keys")) {
        c->policy_keys = xcalloc(3, sizeof *c->policy_keys);
        memcpy(c->policy_keys, def_keys, sizeof def_keys);
        c->n_policy_keys = 2;
    }
    return err;
}

/* static: [static, public]: directories inside the site. */
static int config_statics(site_config *c, const yaml_node *n, const char *f, diags *d)
{
    if (config_strings(&c->statics, &c->n_statics, n, "static", f, d) != 0)
        return -1;
    for (size_t i = 0; i < c->n_statics; i++) {
        buf p;
        buf_init(&p);
        buf_adds(&p, c->statics[i]);
        int bad = c->statics[i][0] == '/' || path_normalize(&p) != 0 || p.len == 0;
        buf_release(&p);
        if (bad)
            return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                              "'static' must list directories inside the site, not '%s'",
                              c->statics[i]);
    }
    return 0;
}

/* framework_aliases / control_aliases: a mapping of strings to strings. */
static int config_aliases(const yaml_node **out, const yaml_node *y, const char *key, const char *f,
                          diags *d)
{
    const yaml_node *n = yamltree_get(y, key);
    if (!n || yamltree_is_null(n))
        return 0;
    int err = 0;
    if (yamltree_kind(n) != YAML_MAPPING)
        return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                          "'%s' must be a mapping of names to names", key);
    for (size_t i = 0; i < yamltree_len(n); i++) {
        const char *v;
        if (yamltree_as_string(&v, yamltree_item(n, i), key, f, d) != 0)
            err = -1;
    }
    if (!err)
        *out = n;
    return err;
}

/* Jekyll's `collections:`, a mapping of names to their settings (or a
 * list of names, none published): those with `output: true` kept, with
 * their `permalink`. */
static int config_collections(site_config *c, const yaml_node *y, const char *f, diags *d)
{
    const yaml_node *n = yamltree_get(y, "collections");
    if (!n || yamltree_is_null(n) || yamltree_kind(n) == YAML_SEQUENCE)
        return 0;
    if (yamltree_kind(n) != YAML_MAPPING)
        return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                          "'collections' must be a mapping of names to their settings");
    int bad = 0;
    for (size_t i = 0; i < yamltree_len(n); i++) {
        const char *name = yamltree_text(yamltree_key(n, i));
        const yaml_node *v = yamltree_item(n, i);
        if (yamltree_kind(v) != YAML_MAPPING)
            continue;
        int output = 0;
        const yaml_node *o = yamltree_get(v, "output");
        if (o && yamltree_as_bool(&output, o, "output", f, d) != 0) {
            bad = 1;
            continue;
        }
        const char *perm = NULL;
        const yaml_node *pl = yamltree_get(v, "permalink");
        if (pl && yamltree_as_string(&perm, pl, "permalink", f, d) != 0) {
            bad = 1;
            continue;
        }
        if (!output || !*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
            continue;
        c->collections = xgrow(c->collections, c->n_collections, sizeof *c->collections);
        c->collections[c->n_collections++] = (struct site_collection){name, perm};
    }
    return bad ? -1 : 0;
}

/* Why base_url cannot be every link's start, or NULL: it is a path ("/",
 * "/handbook/", "handbook") or an http(s) address with a host, written in
 * plain characters. Another scheme (javascript:, data:) or a host without
 * one ("//x.example") would be written into every page's links and
 * script tags. */
const char *config_base_url_problem(const char *u)
{
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || strchr("\"'<>\\`?#", *p))
            return "holds a space, a control character or one of \" ' < > \\ ` ? #";
    if (u[0] == '/' && u[1] == '/')
        return "names a host without a scheme";
    if (!url_is_external(u))
        return NULL;
    size_t n = strncasecmp(u, "https://", 8) == 0 ? 8 : strncasecmp(u, "http://", 7) == 0 ? 7 : 0;
    if (!n)
        return "has a scheme other than http or https";
    if (!u[n] || u[n] == '/')
        return "names no host";
    return NULL;
}

/* Jekyll's url + baseurl ("https://x.github.io" + "/isms"), or either. */
static int jekyll_base_url(site_config *c, const yaml_node *y, const char *f, diags *d)
{
    const char *url = NULL, *base = NULL;
    if (config_string(&url, y, "url", NULL, f, d) != 0 ||
        config_string(&base, y, "baseurl", NULL, f, d) != 0)
        return -1;
    buf b;
    buf_init(&b);
    if (url)
        buf_adds(&b, url);
    while (b.len && b.data[b.len - 1] == '/')
        b.data[--b.len] = '\0';
    if (base && *base && *base != '/')
        buf_addc(&b, '/');
    if (base)
        buf_adds(&b, base);
    if (!b.len)
        buf_addc(&b, '/');
    /* Kept in the tree's lifetime: the string is owned by c (base_own). */
    c->base_own = buf_detach(&b);
    c->base_url_raw = c->base_own;
    return 0;
}

/* The settings both files share, and site.yml's own. */
/* evidence: {keyring: PATH, allowed_signers: PATH, require_approval: BOOL,
 * approval_since: DATE}. The files are read later, inside the site. */
static int config_evidence(site_config *c, const yaml_node *n, const char *f, diags *d)
{
    static const char *const keys[] = {"keyring", "allowed_signers", "require_approval",
                                       "approval_since"};
    int bad = 0;
    c->approval_since = LONG_MIN;
    if (!n || yamltree_is_null(n))
        return 0;
    if (yamltree_kind(n) != YAML_MAPPING)
        return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                          "'evidence' must be a mapping with 'keyring', 'allowed_signers', "
                          "'require_approval' or 'approval_since'");
    for (size_t i = 0; i < yamltree_len(n); i++) {
        const char *k = yamltree_text(yamltree_key(n, i));
        size_t j = 0;
        while (j < 4 && strcmp(k, keys[j]))
            j++;
        if (j == 4)
            bad |= diag_error(d, f, yamltree_line(yamltree_key(n, i)),
                              yamltree_col(yamltree_key(n, i)), "config",
                              "unknown setting '%s' in 'evidence' (keyring, allowed_signers, "
                              "require_approval or approval_since)",
                              k);
    }
    bad |= config_string(&c->keyring, n, "keyring", NULL, f, d);
    bad |= config_string(&c->allowed_signers, n, "allowed_signers", NULL, f, d);
    const yaml_node *r = yamltree_get(n, "require_approval");
    if (r && !yamltree_is_null(r))
        bad |= yamltree_as_bool(&c->require_approval, r, "evidence.require_approval", f, d);
    const yaml_node *since = yamltree_get(n, "approval_since");
    if (since && !yamltree_is_null(since))
        bad |= yamltree_as_date(&c->approval_since, since, "evidence.approval_since", f, d);
    return bad ? -1 : 0;
}

/* A file of the site named at key in entry n (required or not): a path
 * inside the site, as written. */
static int config_site_file(const char **out, const yaml_node *n, const char *key, int required,
                            const char *f, diags *d)
{
    const yaml_node *v = yamltree_get(n, key);
    *out = NULL;
    if (!v || yamltree_is_null(v))
        return required ? diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                                     "an entry of 'oscal_catalogs' must name its '%s'", key)
                        : 0;
    if (yamltree_as_string(out, v, key, f, d) != 0)
        return -1;
    buf p;
    buf_init(&p);
    buf_adds(&p, *out);
    int bad = (*out)[0] == '/' || path_normalize(&p) != 0 || p.len == 0;
    buf_release(&p);
    if (bad)
        return diag_error(d, f, yamltree_line(v), yamltree_col(v), "config",
                          "'%s' must be a file inside the site, not '%s'", key, *out);
    return 0;
}

/* oscal_catalogs: [{catalog: PATH, profile: PATH, framework: ID, name:
 * TEXT}, ...]; the files are read when the catalogs load. */
static int config_oscal(site_config *c, const yaml_node *n, const char *f, diags *d)
{
    static const char *const keys[] = {"catalog", "profile", "framework", "name"};
    if (!n || yamltree_is_null(n))
        return 0;
    if (yamltree_kind(n) != YAML_SEQUENCE)
        return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                          "'oscal_catalogs' must be a list of mappings with 'catalog' and "
                          "optionally 'profile', 'framework' and 'name'");
    int bad = 0;
    c->oscal_catalogs = xcalloc(yamltree_len(n) + 1, sizeof *c->oscal_catalogs);
    for (size_t i = 0; i < yamltree_len(n); i++) {
        const yaml_node *e = yamltree_item(n, i);
        oscal_catalog_ref *r = &c->oscal_catalogs[c->n_oscal_catalogs];
        if (yamltree_kind(e) != YAML_MAPPING) {
            bad |= diag_error(d, f, yamltree_line(e), yamltree_col(e), "config",
                              "an entry of 'oscal_catalogs' must be a mapping with 'catalog'");
            continue;
        }
        for (size_t k = 0; k < yamltree_len(e); k++) {
            const yaml_node *key = yamltree_key(e, k);
            size_t j = 0;
            while (j < 4 && strcmp(yamltree_text(key), keys[j]))
                j++;
            if (j == 4)
                bad |= diag_error(d, f, yamltree_line(key), yamltree_col(key), "config",
                                  "unknown setting '%s' in 'oscal_catalogs' (catalog, profile, "
                                  "framework or name)",
                                  yamltree_text(key));
        }
        int err = config_site_file(&r->catalog, e, "catalog", 1, f, d);
        err |= config_site_file(&r->profile, e, "profile", 0, f, d);
        err |= config_string(&r->framework, e, "framework", NULL, f, d);
        err |= config_string(&r->name, e, "name", NULL, f, d);
        const yaml_node *fw = yamltree_get(e, "framework");
        if (!err && r->framework && !oscal_framework_id_ok(r->framework))
            err = diag_error(d, f, yamltree_line(fw), yamltree_col(fw), "config",
                             "'%s' cannot be a framework id: use letters, digits, '.', '-' and "
                             "'_' (not applicability or crosswalk-*)",
                             r->framework);
        if (err)
            bad = 1;
        else
            c->n_oscal_catalogs++;
    }
    return bad ? -1 : 0;
}

static const char *const gen_names[GEN_MOVABLE] = {"soa", "reviews", "handbook", "changelog"};
static const char *const gen_urls[GEN_MOVABLE] = {"/soa/", "/reviews/", "/handbook/",
                                                  "/changelog/"};
static const char *const gen_files[GEN_MOVABLE] = {"soa/index.html", "reviews/index.html",
                                                   "handbook/index.html", "changelog/index.html"};

static const char *const gen_alternatives[GEN_MOVABLE] = {"/statement-of-applicability/",
                                                          "/review-dashboard/", "/policy-handbook/",
                                                          "/policy-changelog/"};

const char *config_gen_name(int which)
{
    return gen_names[which];
}

const char *config_gen_alternative(int which)
{
    return gen_alternatives[which];
}

const char *config_gen_url(const site_config *c, int which)
{
    return c->gen_url[which] ? c->gen_url[which] : gen_urls[which];
}

const char *config_gen_file(const site_config *c, int which)
{
    return c->gen_file[which] ? c->gen_file[which] : gen_files[which];
}

/* generated_pages: {handbook: /print/}: charter's page at another address,
 * where the site has a page of its own at charter's (a handbook section).
 * Each must be a folder's address, not the home page. */
static int read_gen_pages(site_config *c, const yaml_node *gp, const char *f, diags *d)
{
    if (yamltree_kind(gp) != YAML_MAPPING)
        return diag_error(d, f, yamltree_line(gp), yamltree_col(gp), "config",
                          "'generated_pages' must be a mapping of soa, reviews, handbook or "
                          "changelog to an address, like {handbook: /print/}");
    int bad = 0;
    buf url, out;
    buf_init(&url);
    buf_init(&out);
    for (size_t i = 0; i < yamltree_len(gp); i++) {
        const yaml_node *k = yamltree_key(gp, i), *v = yamltree_item(gp, i);
        const char *name = yamltree_text(k), *to = NULL, *why = NULL;
        int which = 0;
        while (which < GEN_MOVABLE && strcmp(name, gen_names[which]))
            which++;
        if (which == GEN_MOVABLE) {
            bad |= diag_error(d, f, yamltree_line(k), yamltree_col(k), "config",
                              "'generated_pages' has no page '%s': it moves soa, reviews, "
                              "handbook or changelog",
                              name);
            continue;
        }
        if (yamltree_is_null(v))
            continue; /* charter's own address */
        buf_reset(&url);
        buf_printf(&url, "generated_pages.%s", name);
        if (yamltree_as_string(&to, v, url.data, f, d) != 0) {
            bad = 1;
            continue;
        }
        buf_reset(&url);
        buf_reset(&out);
        if (path_permalink(&url, &out, to, &why) != 0 || !strcmp(url.data, "/") || out.len < 11 ||
            strcmp(out.data + out.len - 11, "/index.html") != 0) {
            bad |= diag_error(d, f, yamltree_line(v), yamltree_col(v), "config",
                              "'generated_pages.%s' must be a folder's address like '/print/', "
                              "not '%s'%s%s",
                              name, to, why ? ": " : "", why ? why : "");
            continue;
        }
        free(c->gen_url[which]);
        free(c->gen_file[which]);
        c->gen_url[which] = buf_detach(&url);
        c->gen_file[which] = buf_detach(&out);
    }
    buf_release(&url);
    buf_release(&out);
    return bad ? -1 : 0;
}

int config_language_ok(const char *tag)
{
    /* BCP 47's shape: a language of 2 or 3 letters ("fr"), then subtags
     * of 1 to 8 letters or digits ("fr-FR", "zh-Hant-TW"). */
    size_t n = tag ? strlen(tag) : 0, first = tag ? strcspn(tag, "-") : 0;
    if (n > 35 || first < 2 || first > 3)
        return 0;
    for (size_t i = 0; i < first; i++)
        if (!isalpha((unsigned char)tag[i]))
            return 0;
    for (size_t i = first, run = 0; i < n; i++) {
        if (tag[i] == '-') {
            if (i + 1 == n || tag[i + 1] == '-')
                return 0;
            run = 0;
        } else if (!isalnum((unsigned char)tag[i]) || ++run > 8)
            return 0;
    }
    return 1;
}

int config_language_rtl(const char *tag)
{
    static const char *const rtl[] = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"};
    size_t n = tag ? strcspn(tag, "-") : 0;
    for (size_t i = 0; i < sizeof rtl / sizeof *rtl; i++)
        if (strlen(rtl[i]) == n && !strncasecmp(tag, rtl[i], n))
            return 1;
    return 0;
}

/* site.yml's settings, for unknown_settings. */
static const char *const known_settings[] = {"title",
                                             "language",
                                             "organization",
                                             "description",
                                             "base_url",
                                             "repository_url",
                                             "repository_branch",
                                             "content",
                                             "controls",
                                             "layouts",
                                             "assets",
                                             "archetypes",
                                             "output",
                                             "exclude",
                                             "include",
                                             "frameworks",
                                             "oscal_catalogs",
                                             "sections",
                                             "required",
                                             "policies",
                                             "default_layout",
                                             "collections",
                                             "defaults",
                                             "keys",
                                             "static",
                                             "framework_aliases",
                                             "control_aliases",
                                             "strip_number_prefixes",
                                             "generated_pages",
                                             "readme_index",
                                             "leaf_bundles",
                                             "urls",
                                             "lowercase_urls",
                                             "fenceless_front_matter",
                                             "checks",
                                             "versioning",
                                             "template_strip",
                                             "unsafe_html",
                                             "limits",
                                             "review",
                                             "markdown",
                                             "navigation",
                                             "evidence",
                                             "document_files"};

/* A setting of site.yml spelt like one of charter's but not one
 * (`framworks:`): a warning with the setting meant. Any other name is the
 * team's own, for the layouts (SITE_<NAME>), and not reported. */
static void unknown_settings(const yaml_node *y, const char *f, diags *d)
{
    size_t n = sizeof known_settings / sizeof *known_settings;
    buf upper;
    buf_init(&upper);
    for (size_t i = 0; i < yamltree_len(y); i++) {
        const yaml_node *k = yamltree_key(y, i);
        const char *name = yamltree_text(k), *meant = NULL;
        size_t j = 0;
        while (j < n && strcmp(known_settings[j], name))
            j++;
        if (j < n)
            continue;
        for (j = 0; j < n && !meant; j++)
            if (!strcasecmp(known_settings[j], name))
                meant = known_settings[j];
        if (!meant)
            meant = diag_nearest(name, known_settings, n, strlen(name) >= 8 ? 2 : 1);
        if (!meant || strlen(name) < 4)
            continue;
        buf_reset(&upper);
        for (const char *c = name; *c; c++)
            buf_addc(&upper, (char)toupper((unsigned char)*c));
        diag_warning(d, f, yamltree_line(k), yamltree_col(k), "unknown-setting",
                     "unknown setting '%s'; did you mean '%s'? (a setting charter does not know "
                     "reaches the layouts as SITE_%s)",
                     name, meant, upper.data);
    }
    buf_release(&upper);
}

/* Each key of the mapping m (section's; nothing when m is no mapping) is
 * one of keys[0..n): an error at any other, naming the one meant when it
 * is spelt alike (`review: {cycel: ...}` would leave the default cycle
 * in force without a word). Returns 0, or -1 after reporting. */
static int only_keys(const yaml_node *m, const char *section, const char *const *keys, size_t n,
                     const char *f, diags *d)
{
    if (!m || yamltree_kind(m) != YAML_MAPPING)
        return 0;
    int bad = 0;
    buf list;
    buf_init(&list);
    for (size_t j = 0; j < n; j++)
        buf_printf(&list, "%s%s", j ? ", " : "", keys[j]);
    for (size_t i = 0; i < yamltree_len(m); i++) {
        const yaml_node *k = yamltree_key(m, i);
        const char *name = yamltree_text(k);
        size_t j = 0;
        while (j < n && strcmp(keys[j], name))
            j++;
        if (j < n)
            continue;
        const char *meant = diag_nearest(name, keys, n, strlen(name) >= 8 ? 2 : 1);
        if (meant)
            bad |= diag_error(d, f, yamltree_line(k), yamltree_col(k), "config",
                              "unknown setting '%s' in '%s'; did you mean '%s'?", name, section,
                              meant);
        else
            bad |= diag_error(d, f, yamltree_line(k), yamltree_col(k), "config",
                              "unknown setting '%s' in '%s' (%s)", name, section, list.data);
    }
    buf_release(&list);
    return bad ? -1 : 0;
}

/* versioning: {material: major, minor: minor, editorial: any, review: same}
 * (the defaults), each type's rule one of any, major, minor, patch, same. */
static int config_versioning(site_config *c, const yaml_node *n, const char *f, diags *d)
{
    static const version_rule defaults[4] = {VR_MAJOR, VR_MINOR, VR_ANY, VR_SAME};
    memcpy(c->versioning, defaults, sizeof defaults);
    /* `versioning:` alone turns the check on with the defaults. */
    c->versioning_on = n != NULL;
    if (!n || yamltree_is_null(n))
        return 0;
    if (yamltree_kind(n) != YAML_MAPPING)
        return diag_error(d, f, yamltree_line(n), yamltree_col(n), "config",
                          "'versioning' must be a mapping of change types (material, minor, "
                          "editorial, review) to rules (major, minor, patch, same, any)");
    int bad = 0;
    for (size_t i = 0; i < yamltree_len(n); i++) {
        const yaml_node *k = yamltree_key(n, i), *v = yamltree_item(n, i);
        int type = config_change_type(yamltree_text(k));
        const char *rule = NULL;
        if (type < 0) {
            bad |= diag_error(d, f, yamltree_line(k), yamltree_col(k), "config",
                              "unknown change type '%s' in 'versioning' (material, minor, "
                              "editorial or review)",
                              yamltree_text(k));
            continue;
        }
        if (yamltree_as_string(&rule, v, "versioning", f, d) != 0) {
            bad = 1;
            continue;
        }
        int found = 0;
        for (int j = 0; j < 5; j++)
            if (!strcmp(rule, rule_names[j])) {
                c->versioning[type] = (version_rule)j;
                found = 1;
            }
        if (!found)
            bad |= diag_error(d, f, yamltree_line(v), yamltree_col(v), "config",
                              "'versioning.%s' must be major, minor, patch, same or any, not '%s'",
                              yamltree_text(k), rule);
    }
    return bad ? -1 : 0;
}

static int config_read(site_config *c, const char *text, size_t len, const char *f, int jekyll,
                       const char *fallback_title, diags *d)
{
    int err = -1;
    memset(c, 0, sizeof *c);
    c->file = f;
    c->jekyll = jekyll;
    c->limits = config_default_limits;
    if (yamltree_parse(&c->yaml, text, len, f, 0, d) != 0)
        goto done;
    const yaml_node *y = c->yaml;
    if (yamltree_kind(y) != YAML_MAPPING) {
        diag_error(d, f, yamltree_line(y), yamltree_col(y), "config",
                   "'%s' must be a mapping of settings", f);
        goto done;
    }
    int bad = 0;
    const yaml_node *t = yamltree_get(y, "title");
    if (!jekyll && (!t || yamltree_is_null(t))) {
        diag_error(d, f, 1, 1, "config", "missing required setting 'title'");
        bad = 1;
    }
    if (!jekyll) /* _config.yml holds Jekyll's many settings */
        unknown_settings(y, f, d);
    bad |= config_string(&c->title, y, "title", jekyll ? fallback_title : "", f, d);
    bad |= config_string(&c->description, y, "description", NULL, f, d);
    const char *lang_key = jekyll ? "lang" : "language";
    bad |= config_string(&c->language, y, lang_key, "en", f, d);
    if (c->language && strchr(c->language, '_')) {
        /* fr_FR, as jekyll-seo-tag and locales write it: fr-FR. */
        free(c->language_own);
        c->language_own = xstrdup(c->language);
        for (char *u = c->language_own; *u; u++)
            *u = *u == '_' ? '-' : *u;
        c->language = c->language_own;
    }
    if (jekyll && !config_language_ok(c->language))
        c->language = "en"; /* _config.yml's lang, which Jekyll reads as it comes */
    else if (!config_language_ok(c->language)) {
        const yaml_node *l = yamltree_get(y, lang_key);
        bad |= diag_error(d, f, l ? yamltree_line(l) : 1, l ? yamltree_col(l) : 1, "config",
                          "'%s' must be a language tag such as en or fr-FR, not '%s'", lang_key,
                          c->language);
    }
    bad |= config_list(&c->exclude, &c->n_exclude, y, "exclude", f, d);
    bad |= config_list(&c->include, &c->n_include, y, "include", f, d);
    bad |= config_collections(c, y, f, d);
    bad |= config_defaults(c, yamltree_get(y, "defaults"), f, d);
    if (jekyll) {
        /* Jekyll's own names; charter's theme, assets and catalogs are its
         * embedded ones, overridable in .charter/ (skipped as content). */
        bad |= jekyll_base_url(c, y, f, d);
        bad |= config_string(&c->output, y, "destination", "_site", f, d);
        c->content = ".";
        c->controls = ".charter/controls";
        c->layouts = ".charter/layouts";
        c->assets = ".charter/assets";
        c->branch = "main";
        c->lax_headings = 1;
        c->default_layout = "page";
        /* just-the-docs orders its navigation by nav_order (init writes
         * the same keys:). */
        c->keys = xcalloc(2, sizeof *c->keys);
        c->keys[0] = (key_alias){"weight", "nav_order"};
        c->n_keys = 1;
        const yaml_node *pl = yamltree_get(y, "permalink");
        const char *perm = NULL;
        if (pl && yamltree_kind(pl) == YAML_SCALAR && !yamltree_is_null(pl))
            perm = yamltree_text(pl);
        if (perm && strcmp(perm, "pretty") != 0 && strcmp(perm, "none") != 0)
            diag_warning(d, f, yamltree_line(pl), yamltree_col(pl), "config",
                         "permalink style '%s' is not supported: pages get pretty URLs "
                         "(/folder/page/), as with 'permalink: pretty'",
                         perm);
        bad |= config_policies(c, NULL, f, d);
        goto defaults;
    }
    bad |= config_string(&c->organization, y, "organization", NULL, f, d);
    bad |= config_string(&c->base_url_raw, y, "base_url", "/", f, d);
    bad |= config_string(&c->repository_url, y, "repository_url", NULL, f, d);
    bad |= config_string(&c->branch, y, "repository_branch", "main", f, d);
    bad |= config_dir(c, &c->content, y, "content", "content", 1, f, d);
    bad |= config_dir(c, &c->controls, y, "controls", "controls", 0, f, d);
    bad |= config_dir(c, &c->layouts, y, "layouts", "layouts", 0, f, d);
    bad |= config_dir(c, &c->assets, y, "assets", "assets", 0, f, d);
    bad |= config_dir(c, &c->archetypes, y, "archetypes", "archetypes", 0, f, d);
    bad |= config_string(&c->output, y, "output", "_site", f, d);
    bad |= config_statics(c, yamltree_get(y, "static"), f, d);
    bad |= config_string(&c->default_layout, y, "default_layout", "policy", f, d);
    bad |= config_string(&c->document_files, y, "document_files", NULL, f, d);
    if (c->document_files) {
        const char *at = strstr(c->document_files, ":id");
        if (!at || strstr(at + 3, ":id") || strchr(c->document_files, '/')) {
            const yaml_node *v = yamltree_get(y, "document_files");
            bad |= diag_error(d, f, yamltree_line(v), yamltree_col(v), "config",
                              "'document_files' must be a file name with one ':id' (the page's "
                              "id) and no '/', like 'ACME-:id.pdf', not '%s'",
                              c->document_files);
        }
    }
    bad |= config_keys(c, yamltree_get(y, "keys"), f, d);
    bad |= config_policies(c, yamltree_get(y, "policies"), f, d);
    bad |= config_aliases(&c->framework_aliases, y, "framework_aliases", f, d);
    bad |= config_aliases(&c->control_aliases, y, "control_aliases", f, d);
    bad |= config_list(&c->frameworks, &c->n_frameworks, y, "frameworks", f, d);
    bad |= config_oscal(c, yamltree_get(y, "oscal_catalogs"), f, d);
    bad |= config_list(&c->sections, &c->n_sections, y, "sections", f, d);
    if (yamltree_get(y, "required"))
        bad |= config_list(&c->required, &c->n_required, y, "required", f, d);
    const yaml_node *review = yamltree_get(y, "review");
    if (review && !yamltree_is_null(review) && yamltree_kind(review) != YAML_MAPPING) {
        diag_error(d, f, yamltree_line(review), yamltree_col(review), "config",
                   "'review' must be a mapping with 'cycle' and 'warn_within'");
        bad = 1;
        review = NULL;
    }
    if (review && yamltree_is_null(review))
        review = NULL;
    static const char *const review_keys[] = {"cycle", "warn_within"};
    bad |= only_keys(review, "review", review_keys, 2, f, d);
    bad |= config_duration(&c->cycle, review, "cycle", "12 months", f, d);
    bad |= config_duration(&c->warn_within, review, "warn_within", "30 days", f, d);
    c->nav_max_pages = 100;
    const yaml_node *nav = yamltree_get(y, "navigation");
    static const char *const nav_keys[] = {"max_pages", "order", "unlisted"};
    bad |= only_keys(nav, "navigation", nav_keys, 3, f, d);
    if (nav && !yamltree_is_null(nav)) {
        const yaml_node *m =
            yamltree_kind(nav) == YAML_MAPPING ? yamltree_get(nav, "max_pages") : NULL;
        long max = 0;
        if (yamltree_kind(nav) != YAML_MAPPING) {
            bad |= diag_error(d, f, yamltree_line(nav), yamltree_col(nav), "config",
                              "'navigation' must be a mapping with 'max_pages', 'order' or "
                              "'unlisted'");
        } else if (m && yamltree_as_int(&max, m, "navigation.max_pages", f, d) != 0) {
            bad = 1;
        } else if (m && max < 0) {
            bad |= diag_error(d, f, yamltree_line(m), yamltree_col(m), "config",
                              "'navigation.max_pages' must not be negative");
        } else if (m) {
            c->nav_max_pages = (size_t)max;
        }
        if (yamltree_kind(nav) == YAML_MAPPING) {
            bad |= config_string(&c->nav_order, nav, "order", NULL, f, d);
            const yaml_node *u = yamltree_get(nav, "unlisted");
            const char *v = NULL;
            if (u && !yamltree_is_null(u) &&
                yamltree_as_string(&v, u, "navigation.unlisted", f, d) != 0) {
                bad = 1;
            } else if (v && strcmp(v, "publish") != 0 && strcmp(v, "omit") != 0) {
                bad |= diag_error(d, f, yamltree_line(u), yamltree_col(u), "config",
                                  "'navigation.unlisted' must be 'publish' or 'omit', not '%s'", v);
            } else if (v && !strcmp(v, "omit") && !c->nav_order) {
                bad |= diag_error(d, f, yamltree_line(u), yamltree_col(u), "config",
                                  "'navigation.unlisted: omit' needs 'navigation.order': the "
                                  "file that lists the pages to publish");
            } else {
                c->nav_omit_unlisted = v && !strcmp(v, "omit");
            }
        }
    }
    c->template_strip = TPL_STRIP_BLANK_LINES;
    const yaml_node *ts = yamltree_get(y, "template_strip");
    if (ts && !yamltree_is_null(ts)) {
        static const char *const modes[] = {"DO_NOT_STRIP", "STRIP_BLANK_LINES",
                                            "STRIP_WHITESPACE"};
        const char *v = NULL;
        int found = 0;
        if (yamltree_as_string(&v, ts, "template_strip", f, d) != 0) {
            bad = 1;
        } else {
            for (int i = 0; i < 3; i++)
                if (!strcmp(v, modes[i])) {
                    c->template_strip = (tpl_strip)i;
                    found = 1;
                }
            if (!found)
                bad |= diag_error(d, f, yamltree_line(ts), yamltree_col(ts), "config",
                                  "'template_strip' must be DO_NOT_STRIP, STRIP_BLANK_LINES or "
                                  "STRIP_WHITESPACE, not '%s'",
                                  v);
        }
    }
    const yaml_node *gp = yamltree_get(y, "generated_pages");
    if (gp && !yamltree_is_null(gp))
        bad |= read_gen_pages(c, gp, f, d) != 0;
    const yaml_node *fl = yamltree_get(y, "fenceless_front_matter");
    if (fl && !yamltree_is_null(fl))
        bad |= yamltree_as_bool(&c->fenceless, fl, "fenceless_front_matter", f, d);
    const yaml_node *np = yamltree_get(y, "strip_number_prefixes");
    if (np && !yamltree_is_null(np))
        bad |= yamltree_as_bool(&c->strip_number_prefixes, np, "strip_number_prefixes", f, d);
    const yaml_node *uk = yamltree_get(y, "urls");
    if (uk && !yamltree_is_null(uk)) {
        const char *v = NULL;
        if (yamltree_as_string(&v, uk, "urls", f, d) != 0)
            bad = 1;
        else if (strcmp(v, "pretty") != 0 && strcmp(v, "html") != 0)
            bad |= diag_error(d, f, yamltree_line(uk), yamltree_col(uk), "config",
                              "'urls' must be 'pretty' (/a/b/) or 'html' (/a/b.html), not '%s'", v);
        else
            c->html_urls = !strcmp(v, "html");
    }
    const yaml_node *lu = yamltree_get(y, "lowercase_urls");
    if (lu && !yamltree_is_null(lu))
        bad |= yamltree_as_bool(&c->lower_urls, lu, "lowercase_urls", f, d);
    const yaml_node *lb = yamltree_get(y, "leaf_bundles");
    if (lb && !yamltree_is_null(lb))
        bad |= yamltree_as_bool(&c->leaf_bundles, lb, "leaf_bundles", f, d);
    const yaml_node *ri = yamltree_get(y, "readme_index");
    if (ri && !yamltree_is_null(ri))
        bad |= yamltree_as_bool(&c->readme_index, ri, "readme_index", f, d);
    const yaml_node *u = yamltree_get(y, "unsafe_html");
    if (u && !yamltree_is_null(u))
        bad |= yamltree_as_bool(&c->unsafe_html, u, "unsafe_html", f, d);
    const yaml_node *md = yamltree_get(y, "markdown");
    static const char *const md_keys[] = {"lax_headings", "wiki_links", "heading_ids"};
    bad |= only_keys(md, "markdown", md_keys, 3, f, d);
    if (md && !yamltree_is_null(md)) {
        const yaml_node *lax =
            yamltree_kind(md) == YAML_MAPPING ? yamltree_get(md, "lax_headings") : NULL;
        const yaml_node *wiki =
            yamltree_kind(md) == YAML_MAPPING ? yamltree_get(md, "wiki_links") : NULL;
        if (yamltree_kind(md) != YAML_MAPPING)
            bad |= diag_error(d, f, yamltree_line(md), yamltree_col(md), "config",
                              "'markdown' must be a mapping with 'lax_headings', 'wiki_links' "
                              "or 'heading_ids'");
        if (lax && !yamltree_is_null(lax))
            bad |= yamltree_as_bool(&c->lax_headings, lax, "markdown.lax_headings", f, d);
        const yaml_node *ids =
            yamltree_kind(md) == YAML_MAPPING ? yamltree_get(md, "heading_ids") : NULL;
        const char *it = ids && yamltree_kind(ids) == YAML_SCALAR ? yamltree_text(ids) : NULL;
        if (it && !strcmp(it, "github"))
            c->heading_ids = 1;
        else if (it && !strcmp(it, "gitlab"))
            c->heading_ids = 2;
        else if (it && !strcmp(it, "mkdocs"))
            c->heading_ids = 3;
        else if (it && !strcmp(it, "vitepress"))
            c->heading_ids = 4;
        else if (ids && !yamltree_is_null(ids))
            bad |= diag_error(d, f, yamltree_line(ids), yamltree_col(ids), "config",
                              "'markdown.heading_ids' must be github, gitlab, mkdocs or vitepress");
        if (wiki && yamltree_kind(wiki) == YAML_SCALAR && !strcmp(yamltree_text(wiki), "obsidian"))
            c->wiki_links = WIKI_OBSIDIAN;
        else if (wiki && !yamltree_is_null(wiki))
            bad |= yamltree_as_bool(&c->wiki_links, wiki, "markdown.wiki_links", f, d);
    }
    bad |= config_limits(&c->limits, yamltree_get(y, "limits"), f, d);
    bad |= config_evidence(c, yamltree_get(y, "evidence"), f, d);
    bad |= config_versioning(c, yamltree_get(y, "versioning"), f, d);
defaults:
    if (jekyll) {
        bad |= config_duration(&c->cycle, NULL, "cycle", "12 months", f, d);
        bad |= config_duration(&c->warn_within, NULL, "warn_within", "30 days", f, d);
        c->nav_max_pages = 100;
        c->template_strip = TPL_STRIP_BLANK_LINES;
    }
    if (jekyll) {
        c->approval_since = LONG_MIN;
        config_versioning(c, NULL, f, d);
    }
    if (!c->required) {
        static const char *def[] = {"title", "owner", "last_reviewed"};
        c->required = xcalloc(4, sizeof *c->required);
        memcpy(c->required, def, sizeof def);
        c->n_required = 3;
    }
    if (bad)
        goto done;

    /* repository_url goes into every page's edit and commit links: an
     * http(s) address with a host, as base_url's (a javascript: one ran
     * on a click); its branch a plain name, never '..' (edit links to
     * another repository of the host). */
    const char *rwhy = c->repository_url ? config_base_url_problem(c->repository_url) : NULL;
    if (c->repository_url && !rwhy && !url_is_external(c->repository_url))
        rwhy = "is not an http or https address";
    if (rwhy) {
        const yaml_node *n = yamltree_get(y, "repository_url");
        diag_error(d, f, n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0, "config",
                   "'repository_url' %s ('%s'): write the repository's https:// address", rwhy,
                   c->repository_url);
        goto done;
    }
    if (c->branch && (!c->branch[0] || c->branch[0] == '/' || strstr(c->branch, "..") ||
                      config_base_url_problem(c->branch) || strchr(c->branch, ':'))) {
        const yaml_node *n = yamltree_get(y, "repository_branch");
        diag_error(d, f, n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0, "config",
                   "'repository_branch' must be a branch's name, not '%s'", c->branch);
        goto done;
    }
    const char *why = config_base_url_problem(c->base_url_raw);
    if (why) {
        const yaml_node *n = yamltree_get(y, jekyll ? "url" : "base_url");
        diag_error(d, f, n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0, "config",
                   "'base_url' %s ('%s'): write a path such as '/' or '/policies/', or an "
                   "https:// address",
                   why, c->base_url_raw);
        goto done;
    }
    /* base_url: "/", "/handbook/" or "https://x.example/handbook"; always
     * stored with a trailing slash so templates write {{BASE_URL}}assets/. */
    buf b;
    buf_init(&b);
    if (c->base_url_raw[0] != '/' && !url_is_external(c->base_url_raw))
        buf_addc(&b, '/');
    buf_adds(&b, c->base_url_raw);
    if (b.data[b.len - 1] != '/')
        buf_addc(&b, '/');
    c->base_url = buf_detach(&b);
    err = 0;
done:
    return err;
}

int config_parse(site_config *c, const char *text, size_t len, diags *d)
{
    return config_read(c, text, len, "site.yml", 0, NULL, d);
}

int config_parse_jekyll(site_config *c, const char *text, size_t len, const char *fallback_title,
                        diags *d)
{
    return config_read(c, text, len, "_config.yml", 1, fallback_title, d);
}

void config_release(site_config *c)
{
    if (!c)
        return;
    free(c->language_own);
    for (int i = 0; i < GEN_MOVABLE; i++) {
        free(c->gen_url[i]);
        free(c->gen_file[i]);
    }
    for (size_t i = 0; i < c->n_dirs_own; i++)
        free(c->dirs_own[i]);
    free(c->frameworks);
    free(c->oscal_catalogs);
    free(c->sections);
    free(c->required);
    free(c->exclude);
    free(c->include);
    free(c->collections);
    free(c->base_url);
    free(c->base_own);
    free(c->defaults);
    free(c->keys);
    free(c->policy_paths);
    free(c->policy_layouts);
    free(c->policy_keys);
    free(c->statics);
    yamltree_free(c->yaml);
    memset(c, 0, sizeof *c);
}

const config_common_alias config_common_aliases[] = {
    {"last_reviewed", "last_updated"},
    {"last_reviewed", "last_review_date"},
    {"last_reviewed", "last_review"},
    {"last_reviewed", "review_date"},
    {"last_reviewed", "reviewed"},
    {"last_reviewed", "reviewed_on"},
    {"last_reviewed", "date_reviewed"},
    {"last_reviewed", "last_reviewed_date"},
    {"last_reviewed", "lastReviewed"},
    {"next_review", "next_review_date"},
    {"next_review", "review_by"},
    {"next_review", "nextReview"},
    {"owner", "policy_owner"},
    {"owner", "document_owner"},
    {"owner", "owner_name"},
    {"approver", "approved_by"},
    {"review_cycle", "review_frequency"},
    {"review_cycle", "review_interval"},
};
const size_t config_n_common_aliases = sizeof config_common_aliases / sizeof *config_common_aliases;
