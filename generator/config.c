/* config: parsing site.yml into site_config (see config.h): strings, lists,
 * durations, directory settings that must stay inside the site, limits with
 * their units, and the normalised base_url. */
#include "config.h"

#include "buf.h"
#include "paths.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- site.yml ------------------------------------------------------------- */

static int config_string(const char **out, const yaml_node *root, const char *key, const char *def,
                         diags *d)
{
    const yaml_node *n = yamltree_get(root, key);
    *out = def;
    if (!n || yamltree_is_null(n))
        return 0;
    return yamltree_as_string(out, n, key, "site.yml", d);
}

static int config_list(const char ***out, size_t *n_out, const yaml_node *root, const char *key,
                       diags *d)
{
    const yaml_node *n = yamltree_get(root, key);
    if (!n || yamltree_is_null(n))
        return 0;
    if (yamltree_kind(n) != YAML_SEQUENCE)
        return diag_error(d, "site.yml", yamltree_line(n), yamltree_col(n), "config",
                          "'%s' must be a list", key);
    *out = xcalloc(yamltree_len(n) + 1, sizeof **out);
    for (size_t i = 0; i < yamltree_len(n); i++)
        if (yamltree_as_string(&(*out)[i], yamltree_item(n, i), key, "site.yml", d) != 0)
            return -1;
    *n_out = yamltree_len(n);
    return 0;
}

static int config_duration(duration *out, const yaml_node *parent, const char *key, const char *def,
                           diags *d)
{
    const char *s = def;
    const yaml_node *n = parent ? yamltree_get(parent, key) : NULL;
    if (n && !yamltree_is_null(n) && yamltree_as_string(&s, n, key, "site.yml", d) != 0)
        return -1;
    if (duration_parse(out, s) != 0)
        return diag_error(d, "site.yml", n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0,
                          "config",
                          "'review.%s' must be a duration like '12 months' or '90 days', not "
                          "'%s'",
                          key, s);
    return 0;
}

/* A directory setting must stay inside the site: it names where charter
 * reads (or, for output, writes), and `..` or an absolute path there is
 * almost always a mistake in a shared repository. Output may be anywhere.
 * Only content may be the site directory itself (`.`, a Jekyll site's
 * pages at the repository root); it is then stored as ".". */
static int config_dir(const char **out, const yaml_node *root, const char *key, const char *def,
                      int root_ok, diags *d)
{
    if (config_string(out, root, key, def, d) != 0)
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
    buf_release(&p);
    if (bad) {
        const yaml_node *n = yamltree_get(root, key);
        return diag_error(d, "site.yml", n ? yamltree_line(n) : 0, n ? yamltree_col(n) : 0,
                          "config", "'%s' must be a directory inside the site, not '%s'", key,
                          *out);
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
static int config_limits(site_limits *l, const yaml_node *n, diags *d)
{
    static const struct {
        const char *key;
        size_t off;
        int seconds;
    } keys[] = {
        {"page_bytes", offsetof(site_limits, page_bytes), 0},
        {"frontmatter_bytes", offsetof(site_limits, frontmatter_bytes), 0},
        {"scalar_bytes", offsetof(site_limits, scalar_bytes), 0},
        {"frontmatter_keys", offsetof(site_limits, frontmatter_keys), 0},
        {"static_bytes", offsetof(site_limits, static_bytes), 0},
        {"file_bytes", offsetof(site_limits, file_bytes), 0},
        {"page_seconds", offsetof(site_limits, page_seconds), 1},
        {"history_seconds", offsetof(site_limits, history_seconds), 1},
    };
    if (!n || yamltree_is_null(n))
        return 0;
    if (yamltree_kind(n) != YAML_MAPPING)
        return diag_error(d, "site.yml", yamltree_line(n), yamltree_col(n), "config",
                          "'limits' must be a mapping of limits to numbers");
    int err = 0;
    for (size_t i = 0; i < yamltree_len(n); i++) {
        const yaml_node *k = yamltree_key(n, i), *v = yamltree_item(n, i);
        size_t j = 0;
        while (j < sizeof keys / sizeof *keys && strcmp(keys[j].key, yamltree_text(k)) != 0)
            j++;
        if (j == sizeof keys / sizeof *keys) {
            err = diag_error(d, "site.yml", yamltree_line(k), yamltree_col(k), "config",
                             "unknown limit '%s' in 'limits' (docs/security.md lists them)",
                             yamltree_text(k));
            continue;
        }
        size_t value = 0;
        int bad = yamltree_kind(v) != YAML_SCALAR || parse_size(yamltree_text(v), &value) != 0 ||
                  value == 0;
        if (!bad && keys[j].seconds) {
            bad =
                value > 86400 || strspn(yamltree_text(v), "0123456789") != strlen(yamltree_text(v));
            if (!bad)
                *(long *)((char *)l + keys[j].off) = (long)value;
        } else if (!bad) {
            *(size_t *)((char *)l + keys[j].off) = value;
        }
        if (bad)
            err = diag_error(d, "site.yml", yamltree_line(v), yamltree_col(v), "config",
                             keys[j].seconds
                                 ? "'limits.%s' must be a whole number of seconds from 1 to 86400"
                                 : "'limits.%s' must be a positive number of bytes, like 4194304 "
                                   "or '4 MiB'",
                             yamltree_text(k));
    }
    return err;
}

int config_parse(site_config *c, const char *text, size_t len, diags *d)
{
    int err = -1;
    memset(c, 0, sizeof *c);
    c->limits = config_default_limits;
    if (yamltree_parse(&c->yaml, text, len, "site.yml", 0, d) != 0)
        goto done;
    const yaml_node *y = c->yaml;
    if (yamltree_kind(y) != YAML_MAPPING) {
        diag_error(d, "site.yml", yamltree_line(y), yamltree_col(y), "config",
                   "site.yml must be a mapping of settings");
        goto done;
    }
    int bad = 0;
    const yaml_node *t = yamltree_get(y, "title");
    if (!t || yamltree_is_null(t)) {
        diag_error(d, "site.yml", 1, 1, "config", "missing required setting 'title'");
        bad = 1;
    }
    bad |= config_string(&c->title, y, "title", "", d);
    bad |= config_string(&c->organization, y, "organization", NULL, d);
    bad |= config_string(&c->description, y, "description", NULL, d);
    bad |= config_string(&c->base_url_raw, y, "base_url", "/", d);
    bad |= config_string(&c->repository_url, y, "repository_url", NULL, d);
    bad |= config_string(&c->branch, y, "repository_branch", "main", d);
    bad |= config_dir(&c->content, y, "content", "content", 1, d);
    bad |= config_dir(&c->controls, y, "controls", "controls", 0, d);
    bad |= config_dir(&c->layouts, y, "layouts", "layouts", 0, d);
    bad |= config_dir(&c->assets, y, "assets", "assets", 0, d);
    bad |= config_list(&c->exclude, &c->n_exclude, y, "exclude", d);
    bad |= config_list(&c->include, &c->n_include, y, "include", d);
    bad |= config_string(&c->output, y, "output", "_site", d);
    bad |= config_list(&c->frameworks, &c->n_frameworks, y, "frameworks", d);
    bad |= config_list(&c->sections, &c->n_sections, y, "sections", d);
    if (yamltree_get(y, "required")) {
        bad |= config_list(&c->required, &c->n_required, y, "required", d);
    } else {
        static const char *def[] = {"title", "owner", "last_reviewed"};
        c->required = xcalloc(4, sizeof *c->required);
        memcpy(c->required, def, sizeof def);
        c->n_required = 3;
    }
    const yaml_node *review = yamltree_get(y, "review");
    if (review && !yamltree_is_null(review) && yamltree_kind(review) != YAML_MAPPING) {
        diag_error(d, "site.yml", yamltree_line(review), yamltree_col(review), "config",
                   "'review' must be a mapping with 'cycle' and 'warn_within'");
        bad = 1;
        review = NULL;
    }
    if (review && yamltree_is_null(review))
        review = NULL;
    bad |= config_duration(&c->cycle, review, "cycle", "12 months", d);
    bad |= config_duration(&c->warn_within, review, "warn_within", "30 days", d);
    c->nav_max_pages = 100;
    const yaml_node *nav = yamltree_get(y, "navigation");
    if (nav && !yamltree_is_null(nav)) {
        const yaml_node *m =
            yamltree_kind(nav) == YAML_MAPPING ? yamltree_get(nav, "max_pages") : NULL;
        long max = 0;
        if (yamltree_kind(nav) != YAML_MAPPING) {
            bad |= diag_error(d, "site.yml", yamltree_line(nav), yamltree_col(nav), "config",
                              "'navigation' must be a mapping with 'max_pages'");
        } else if (m && yamltree_as_int(&max, m, "navigation.max_pages", "site.yml", d) != 0) {
            bad = 1;
        } else if (m && max < 0) {
            bad |= diag_error(d, "site.yml", yamltree_line(m), yamltree_col(m), "config",
                              "'navigation.max_pages' must not be negative");
        } else if (m) {
            c->nav_max_pages = (size_t)max;
        }
    }
    c->template_strip = TPL_STRIP_BLANK_LINES;
    const yaml_node *ts = yamltree_get(y, "template_strip");
    if (ts && !yamltree_is_null(ts)) {
        static const char *const modes[] = {"DO_NOT_STRIP", "STRIP_BLANK_LINES",
                                            "STRIP_WHITESPACE"};
        const char *v = NULL;
        int found = 0;
        if (yamltree_as_string(&v, ts, "template_strip", "site.yml", d) != 0) {
            bad = 1;
        } else {
            for (int i = 0; i < 3; i++)
                if (!strcmp(v, modes[i])) {
                    c->template_strip = (tpl_strip)i;
                    found = 1;
                }
            if (!found)
                bad |= diag_error(d, "site.yml", yamltree_line(ts), yamltree_col(ts), "config",
                                  "'template_strip' must be DO_NOT_STRIP, STRIP_BLANK_LINES or "
                                  "STRIP_WHITESPACE, not '%s'",
                                  v);
        }
    }
    const yaml_node *u = yamltree_get(y, "unsafe_html");
    if (u && !yamltree_is_null(u))
        bad |= yamltree_as_bool(&c->unsafe_html, u, "unsafe_html", "site.yml", d);
    bad |= config_limits(&c->limits, yamltree_get(y, "limits"), d);
    if (bad)
        goto done;

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

void config_release(site_config *c)
{
    if (!c)
        return;
    free(c->frameworks);
    free(c->sections);
    free(c->required);
    free(c->exclude);
    free(c->include);
    free(c->base_url);
    yamltree_free(c->yaml);
    memset(c, 0, sizeof *c);
}
