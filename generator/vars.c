/* vars: the model as template variables (docs/templates.md lists them): the
 * site-wide values shared by every page, a content page's own values, and
 * the helpers generators use for theirs. Dictionaries only: nothing here
 * renders or writes. */
#include "gen.h"

#include "digest.h"
#include "paths.h"
#include "terms.h"
#include "dates.h"

#include <ctype.h>
#include <string.h>

static void var_name(buf *out, const char *prefix, const char *key)
{
    buf_adds(out, prefix);
    for (const char *p = key; *p; p++)
        buf_addc(out, isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_');
}

void vars_set_shown(tpl_dict *d, const char *name, const char *value)
{
    if (value && *value) {
        tpl_dict_set(d, name, value);
        tpl_dict_show_section(d, name);
    }
}

static int truthy(const yaml_node *n)
{
    if (yamltree_is_null(n))
        return 0;
    if (yamltree_kind(n) == YAML_SCALAR)
        return yamltree_text_len(n) > 0 &&
               !(yamltree_plain(n) &&
                 (strcmp(yamltree_text(n), "false") == 0 || strcmp(yamltree_text(n), "no") == 0));
    return yamltree_len(n) > 0;
}

typedef struct split_ctx {
    tpl_dict *d;
    const char *name;
    buf *joined;
} split_ctx;

static void add_split_item(void *ctx, const char *word, size_t len)
{
    split_ctx *c = ctx;
    tpl_dict *item = tpl_dict_add_section(c->d, c->name);
    tpl_dict_set_len(item, "ITEM", word, len);
    if (c->joined->len)
        buf_adds(c->joined, ", ");
    buf_add(c->joined, word, len);
}

/* Gives the templates every front matter key: PAGE_<KEY> as a variable and
 * as a section shown when the value is set; lists repeat with ITEM; nested
 * mappings flatten to PAGE_<KEY>_<SUB>. */
static void add_yaml(tpl_dict *d, const char *name, const char *key, const yaml_node *v, int depth)
{
    if (depth > 8 || !truthy(v))
        return;
    if (yamltree_kind(v) == YAML_SCALAR) {
        int split = depth == 0 && (strcmp(key, "tags") == 0 || strcmp(key, "categories") == 0);
        if (split) {
            buf joined;
            buf_init(&joined);
            split_ctx sc = {d, name, &joined};
            terms_each_word(yamltree_text(v), add_split_item, &sc);
            tpl_dict_set(d, name, joined.data);
            buf_release(&joined);
        } else {
            vars_set_shown(d, name, yamltree_text(v));
        }
    } else if (yamltree_kind(v) == YAML_SEQUENCE) {
        buf joined;
        buf_init(&joined);
        for (size_t i = 0; i < yamltree_len(v); i++) {
            const yaml_node *it = yamltree_item(v, i);
            tpl_dict *item = tpl_dict_add_section(d, name);
            /* A term's label stands for its mapping (Docusaurus's tags). */
            const yaml_node *label =
                depth == 0 && (!strcmp(key, "tags") || !strcmp(key, "categories"))
                    ? terms_item_name(it)
                    : NULL;
            if (yamltree_kind(it) == YAML_SCALAR || label) {
                const char *text = yamltree_text(label ? label : it);
                tpl_dict_set(item, "ITEM", text);
                if (joined.len)
                    buf_adds(&joined, ", ");
                buf_adds(&joined, text);
            }
            if (yamltree_kind(it) == YAML_MAPPING) {
                buf sub;
                buf_init(&sub);
                for (size_t k = 0; k < yamltree_len(it); k++) {
                    const char *sub_key = yamltree_text(yamltree_key(it, k));
                    buf_reset(&sub);
                    var_name(&sub, "ITEM_", sub_key);
                    add_yaml(item, sub.data, sub_key, yamltree_item(it, k), depth + 1);
                }
                buf_release(&sub);
            }
        }
        tpl_dict_set(d, name, joined.data);
        buf_release(&joined);
    } else {
        tpl_dict_show_section(d, name);
        buf sub;
        buf_init(&sub);
        for (size_t k = 0; k < yamltree_len(v); k++) {
            const char *sub_key = yamltree_text(yamltree_key(v, k));
            buf_reset(&sub);
            buf_adds(&sub, name);
            var_name(&sub, "_", sub_key);
            add_yaml(d, sub.data, sub_key, yamltree_item(v, k), depth + 1);
        }
        buf_release(&sub);
    }
}

void vars_full_url(buf *out, const site *s, const char *url)
{
    buf_adds(out, s->cfg.base_url);
    url_encode_path(out, url + 1);
}

int vars_section_url(buf *out, const site *s, const site_section *sec)
{
    if (sec->on_home) {
        buf_adds(out, s->cfg.base_url);
        buf_printf(out, "#section-%s", sec->slug);
        return 0;
    }
    if (!sec->folder)
        return -1;
    vars_full_url(out, s, sec->folder);
    return 0;
}

/* <PREFIX>_URL, the URL a link to sec leads to, and a section of that
 * name; or, when it leads nowhere, the section <PREFIX>_PLAIN. */
static void set_section_url(tpl_dict *d, const site *s, const site_section *sec, const char *prefix)
{
    buf u, name;
    buf_init(&u);
    buf_init(&name);
    int linked = vars_section_url(&u, s, sec) == 0;
    buf_printf(&name, "%s_%s", prefix, linked ? "URL" : "PLAIN");
    if (linked)
        vars_set_shown(d, name.data, u.data);
    else
        tpl_dict_show_section(d, name.data);
    buf_release(&u);
    buf_release(&name);
}

static void set_page_entry(tpl_dict *e, const page *p, const char *prefix)
{
    buf n;
    buf_init(&n);
    tpl_dict_reserve(e, 18); /* the nine below, each a value and a shown section */
#define ENTRY(suffix, value)                                                                       \
    do {                                                                                           \
        buf_reset(&n);                                                                             \
        buf_printf(&n, "%s_%s", prefix, suffix);                                                   \
        vars_set_shown(e, n.data, value);                                                          \
    } while (0)
    ENTRY("TITLE", p->title ? p->title : p->id);
    ENTRY("URL", p->full_url);
    ENTRY("DESCRIPTION", p->description);
    ENTRY("OWNER", p->owner);
    ENTRY("STATUS", p->status);
    ENTRY("VERSION", p->version);
    char date[11] = "";
    if (p->next_review >= 0)
        date_format(date, p->next_review);
    ENTRY("NEXT_REVIEW", date);
    ENTRY("REVIEW_STATE", review_state_slug(p->review));
    ENTRY("REVIEW_LABEL", review_state_label(p->review));
#undef ENTRY
    buf_release(&n);
}

/* NAME_URL (and its section) for a generated page whose layout exists. */
static void set_generated_url(tpl_dict *d, const site *s, const char *var, const char *name,
                              const char *url)
{
    if (!layouts_has(s->layouts, name))
        return;
    buf u;
    buf_init(&u);
    vars_full_url(&u, s, url);
    vars_set_shown(d, var, u.data);
    buf_release(&u);
}

/* NAME, NAME_SHORT, NAME_URL or NAME_PLAIN for commit (40 hex digits):
 * NAME is also a section, NAME_URL one when repository_url is set (the
 * commit's page), NAME_PLAIN one when it is not. Nothing for NULL or "". */
static void set_site_commit(tpl_dict *d, const site_config *c, const char *name, const char *commit)
{
    if (!commit || !commit[0])
        return;
    buf var, u;
    buf_init(&var);
    buf_init(&u);
    vars_set_shown(d, name, commit);
    buf_printf(&var, "%s_SHORT", name);
    tpl_dict_set_len(d, var.data, commit, strnlen(commit, 7));
    buf_reset(&var);
    if (c->repository_url && c->repository_url[0]) {
        buf what;
        buf_init(&what);
        buf_printf(&what, "commit/%s", commit);
        site_repository_page(&u, c, what.data);
        buf_release(&what);
        buf_printf(&var, "%s_URL", name);
        vars_set_shown(d, var.data, u.data);
    } else {
        buf_printf(&var, "%s_PLAIN", name);
        tpl_dict_show_section(d, var.data);
    }
    buf_release(&u);
    buf_release(&var);
}

void vars_build_commit(tpl_dict *d, const gen *g, const char *commit)
{
    set_site_commit(d, &g->s->cfg, "BUILD_COMMIT", commit);
}

void vars_site_build(tpl_dict *d, const gen *g, int changes)
{
    /* BUILD_COMMIT*: the commit the site is built from, for the footer;
     * nothing when it is in no repository or on an unborn branch. */
    vars_build_commit(d, g, g->prov ? g->prov->commit : NULL);
    /* The latest changes, for the home page. */
    if (changes && history_found(g->h)) {
        size_t n;
        const change *ch = history_changes(g->h, &n);
        if (n)
            tpl_dict_show_section(d, "HAS_RECENT_CHANGES");
        for (size_t i = 0; i < n && i < 5; i++)
            vars_change(tpl_dict_add_section(d, "RECENT_CHANGES"), g->s, &ch[i]);
    }
}

/* AT_*: under --at, the banner every page carries: the day the site is
 * shown as of ("30 June 2026") and, through AT_COMMIT*, its commit. */
static void set_at_banner(tpl_dict *d, const site *s, const build_provenance *p)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    if (!s->git_commit)
        return;
    int y, m, day;
    char iso[11];
    date_to_civil(s->as_of, &y, &m, &day);
    date_format(iso, s->as_of);
    buf t;
    buf_init(&t);
    buf_printf(&t, "%d %s %d", day, months[m - 1], y);
    tpl_dict_show_section(d, "AT_BANNER");
    tpl_dict_set(d, "AT_DATE", iso);
    tpl_dict_set(d, "AT_DATE_TEXT", t.data);
    set_site_commit(d, &s->cfg, "AT_COMMIT", p ? p->commit : NULL);
    buf_release(&t);
}

tpl_dict *vars_shared(const gen *g)
{
    const site *s = g->s;
    tpl_dict *d = tpl_dict_new();
    set_generated_url(d, s, "SOA_URL", "soa", config_gen_url(&s->cfg, GEN_SOA));
    set_generated_url(d, s, "REVIEWS_URL", "dashboard", config_gen_url(&s->cfg, GEN_REVIEWS));
    set_generated_url(d, s, "HANDBOOK_URL", "handbook", config_gen_url(&s->cfg, GEN_HANDBOOK));
    set_generated_url(d, s, "CONTROLS_URL", "controls", "/controls/");
    /* The tags index is written only when some page has a tag or a
     * category (gen_terms). */
    size_t n_terms;
    terms_list(s->terms, &n_terms);
    if (n_terms && layouts_has(s->layouts, "tag"))
        set_generated_url(d, s, "TAGS_URL", "tags", "/tags/");
    {
        buf u;
        buf_init(&u);
        vars_full_url(&u, s, "/search.json");
        vars_set_shown(d, "SEARCH_INDEX_URL", u.data);
        if (site_static_by_out(s, "assets/search.js")) {
            buf_reset(&u);
            vars_full_url(&u, s, "/assets/search.js");
            vars_set_shown(d, "SEARCH_SCRIPT_URL", u.data);
        }
        buf_release(&u);
    }
    /* Nothing here changes with a commit that leaves the page alone (the
     * build's commit and the latest changes are the generated pages',
     * vars_site_build): with it in every page's key, a committed one-page
     * edit made every page again. */
    if (history_found(g->h)) {
        buf u;
        buf_init(&u);
        vars_full_url(&u, s, "/feed.xml");
        vars_set_shown(d, "FEED_URL", u.data);
        if (layouts_has(s->layouts, "changelog") &&
            !plan_blocked(s->plan, config_gen_file(&s->cfg, GEN_CHANGELOG))) {
            buf_reset(&u);
            vars_full_url(&u, s, config_gen_url(&s->cfg, GEN_CHANGELOG));
            vars_set_shown(d, "CHANGELOG_URL", u.data);
        }
        buf_release(&u);
    }
    const site_config *c = &s->cfg;
    /* Every scalar setting of site.yml, then the normalised ones on top. */
    buf name;
    buf_init(&name);
    for (size_t i = 0; i < yamltree_len(c->yaml); i++) {
        const char *key = yamltree_text(yamltree_key(c->yaml, i));
        buf_reset(&name);
        var_name(&name, "SITE_", key);
        add_yaml(d, name.data, key, yamltree_item(c->yaml, i), 1);
    }
    buf_release(&name);
    vars_set_shown(d, "SITE_TITLE", c->title);
    /* <html lang dir>: the site's language, and its direction. */
    tpl_dict_set(d, "LANG", c->language);
    if (config_language_rtl(c->language))
        vars_set_shown(d, "TEXT_DIR", "rtl");
    vars_set_shown(d, "SITE_DESCRIPTION", c->description);
    vars_set_shown(d, "SITE_ORGANIZATION", c->organization);
    vars_set_shown(d, "REPOSITORY_URL", c->repository_url);
    tpl_dict_set(d, "BASE_URL", c->base_url);
    tpl_dict_set(d, "CHARTER_VERSION", CHARTER_VERSION);
    char date[11];
    date_format(date, s->as_of);
    tpl_dict_set(d, "BUILD_DATE", date);
    set_at_banner(d, s, g->prov);
    long counts[REVIEW_RETIRED + 1] = {0}, total = 0;
    for (size_t i = 0; i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (p->ok && p->published && p->policy) {
            counts[p->review]++;
            total++;
        }
    }
    tpl_dict_set_int(d, "PAGE_COUNT", total);
    tpl_dict_set_int(d, "REVIEW_OK_COUNT", counts[REVIEW_OK]);
    tpl_dict_set_int(d, "REVIEW_DUE_SOON_COUNT", counts[REVIEW_DUE_SOON]);
    tpl_dict_set_int(d, "REVIEW_OVERDUE_COUNT", counts[REVIEW_OVERDUE]);
    tpl_dict_set_int(d, "REVIEW_NONE_COUNT", counts[REVIEW_NONE]);
    return d;
}

/* A dictionary of its own over the shared values, not the page's: inside
 * SECTIONS only site-wide values are seen (docs/templates.md), and the
 * pages whose layouts do not list it are not made from every page's entry
 * (a front matter edit does not render them again). */
void vars_page_link(tpl_dict *e, const page *p)
{
    tpl_dict_set(e, "ENTRY_TITLE", p->title ? p->title : p->id);
    tpl_dict_set(e, "ENTRY_URL", p->full_url);
    vars_set_shown(e, "ENTRY_DESCRIPTION", p->description);
}

void vars_entry_key(char key[65], digest *h, const page *p)
{
    const char *fields[] = {p->title, p->id,     p->full_url, p->description,
                            p->owner, p->status, p->version};
    for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
        digest_add_str(h, fields[k]);
    digest_add_long(h, p->last_reviewed);
    digest_add_long(h, p->next_review);
    digest_add_long(h, (long)p->review);
    /* The handbook's entries show the approver as written. */
    const yaml_node *ap = p->ok ? yamltree_get(p->fm.data, "approver") : NULL;
    digest_add_str(h, ap && yamltree_kind(ap) == YAML_SCALAR ? yamltree_text(ap) : NULL);
    digest_hex(h, key);
}

void vars_page_list_key(const void *ctx, size_t i, char key[65])
{
    const page_list *c = ctx;
    memcpy(key, c->keys[c->pages[i]->index], 65);
}

static void fill_section_page(const void *ctx, size_t i, tpl_dict *d)
{
    const page_list *c = ctx;
    set_page_entry(d, c->pages[i], "ENTRY");
}

tpl_dict *vars_sections(const gen *g)
{
    const site *s = g->s;
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set_shared(d, g->shared);
    for (size_t k = 0; k < s->n_sections; k++) {
        const site_section *sec = &s->sections[k];
        tpl_dict *sd = tpl_dict_add_section(d, "SECTIONS");
        tpl_dict_set(sd, "SECTION_TITLE", sec->title);
        tpl_dict_set(sd, "SECTION_SLUG", sec->slug);
        set_section_url(sd, s, sec, "SECTION");
        tpl_dict_set_int(sd, "SECTION_PAGE_COUNT", (long)sec->n_pages);
        /* An entry per page, made as it renders: held whole for the whole
         * render, they were tens of megabytes at 20,000 pages. */
        page_list c = {(const page *const *)sec->pages, g->entry_keys};
        tpl_dict_add_lazy_section_keyed(sd, "SECTION_PAGE", sec->n_pages, fill_section_page,
                                        vars_page_list_key, "ENTRY", &c, sizeof c);
        /* The home page names the commit and the latest changes: a commit
         * copies its entries from the previous build's (render.c). */
        tpl_dict_rows_apart(sd, "SECTION_PAGE");
    }
    return d;
}

/* Navigation: every section; the pages of the current page's section only,
 * and only when that section has at most cfg.nav_max_pages pages. A page's
 * navigation then costs a bounded amount however large the site grows (a
 * sidebar of a thousand links helps no reader either); the home page's
 * SECTIONS lists everything once. */
void vars_nav(tpl_dict *d, const site *s, const page *p)
{
    for (size_t k = 0; k < s->n_sections; k++) {
        const site_section *sec = &s->sections[k];
        tpl_dict *sd = tpl_dict_add_section(d, "NAV_SECTION");
        tpl_dict_set(sd, "NAV_SECTION_TITLE", sec->title);
        tpl_dict_set(sd, "NAV_SECTION_SLUG", sec->slug);
        set_section_url(sd, s, sec, "NAV_SECTION");
        if (p && site_section_is_page(sec) && sec->pages[0] == p)
            tpl_dict_show_section(sd, "NAV_SECTION_HERE");
        if (!p || p->section != k + 1 || site_section_is_page(sec))
            continue; /* a page's own entry lists no pages: it is one */
        tpl_dict_show_section(sd, "NAV_SECTION_CURRENT");
        if (sec->n_pages > s->cfg.nav_max_pages)
            continue;
        for (size_t i = 0; i < sec->n_pages; i++) {
            const page *q = sec->pages[i];
            tpl_dict *e = tpl_dict_add_section(sd, "NAV_PAGE");
            tpl_dict_set(e, "NAV_TITLE", q->nav_label ? q->nav_label : q->title ? q->title : q->id);
            tpl_dict_set(e, "NAV_URL", q->full_url);
            if (q == p)
                tpl_dict_show_section(e, "NAV_CURRENT");
        }
    }
}

/* HISTORY: the page's change table, newest first, and the dates around it. */
/* <PREFIX>_COMMIT, _COMMIT_ID and _COMMIT_URL (with repository_url; else
 * the section <PREFIX>_COMMIT_PLAIN) of a commit row. */
static void set_commit(tpl_dict *d, const char *prefix, const site *s, const hist_row *r)
{
    buf name, u;
    buf_init(&name);
    buf_init(&u);
    buf_printf(&name, "%s_COMMIT", prefix);
    tpl_dict_set(d, name.data, r->shortid);
    buf_adds(&name, "_ID");
    tpl_dict_set(d, name.data, r->commit);
    buf_truncate(&name, name.len - 3);
    if (s->cfg.repository_url) {
        buf_adds(&name, "_URL");
        buf what;
        buf_init(&what);
        buf_printf(&what, "commit/%s", r->commit);
        site_repository_page(&u, &s->cfg, what.data);
        buf_release(&what);
        vars_set_shown(d, name.data, u.data);
    } else {
        buf_adds(&name, "_PLAIN");
        tpl_dict_show_section(d, name.data);
    }
    buf_release(&name);
    buf_release(&u);
}

/* A trailer's names joined for a page: "Ann Lee, Bo Chen", without the
 * emails (`Name <email>` shows the name; a bare email shows as it is). */
void vars_join_names(buf *out, char **items, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        const char *v = items[j], *lt = strchr(v, '<');
        size_t len = lt && lt > v ? (size_t)(lt - v) : strlen(v);
        while (len && isspace((unsigned char)v[len - 1]))
            len--;
        buf_printf(out, "%s%.*s", j ? ", " : "", (int)len, v);
    }
}

void vars_evidence(tpl_dict *d, const site *s, const hist_row *r)
{
    buf u;
    buf_init(&u);
    if (r->request) {
        int gitlab = r->request[0] == '!';
        buf_printf(&u, "%s %s", gitlab ? "Merge request" : "Pull request", r->request);
        vars_set_shown(d, "EVIDENCE_REQUEST", r->request);
        tpl_dict_set(d, "EVIDENCE_REQUEST_LABEL", u.data);
        buf_reset(&u);
        if (s->cfg.repository_url) {
            buf_printf(&u, "%s/%s/%s", s->cfg.repository_url, gitlab ? "-/merge_requests" : "pull",
                       r->request + 1);
            vars_set_shown(d, "EVIDENCE_REQUEST_URL", u.data);
        } else {
            tpl_dict_show_section(d, "EVIDENCE_REQUEST_PLAIN");
        }
    }
    const char *names[4] = {"EVIDENCE_APPROVED_BY", "EVIDENCE_REVIEWED_BY", "EVIDENCE_CO_AUTHORS",
                            "EVIDENCE_MERGED_AUTHORS"};
    char **lists[4] = {r->approved_by, r->reviewed_by, r->co_authors, r->merged_authors};
    size_t counts[4] = {r->n_approved, r->n_reviewed, r->n_co_authors, r->n_merged_authors};
    for (int k = 0; k < 4; k++) {
        buf_reset(&u);
        vars_join_names(&u, lists[k], counts[k]);
        vars_set_shown(d, names[k], u.data);
    }
    if (!history_row_approved(r))
        tpl_dict_show_section(d, "EVIDENCE_NONE");
    if (r->change_type) {
        vars_set_shown(d, "EVIDENCE_CHANGE_TYPE", r->change_type);
        buf_reset(&u);
        var_name(&u, "EVIDENCE_TYPE_", r->change_type);
        tpl_dict_show_section(d, u.data);
    }
    /* Never more than was checked: a signature is "verified" only when
     * its key is one the site trusts. */
    buf_reset(&u);
    switch (r->sig_state) {
    case HSIG_VERIFIED:
        buf_printf(&u, "Signed (%s), verified: %s", r->sig_kind,
                   r->sig_signer ? r->sig_signer : "a trusted key");
        if (r->sig_key) {
            /* A short form for the table (api/pages.json has it whole): an
             * OpenPGP key's long id (its last 16 hex digits), an SSH key's
             * SHA256 fingerprint's first 12 characters. */
            size_t len = strlen(r->sig_key);
            if (!strncmp(r->sig_key, "SHA256:", 7) && len > 19)
                buf_printf(&u, ", key %.19s…", r->sig_key);
            else if (len > 16)
                buf_printf(&u, ", key %s", r->sig_key + len - 16);
            else
                buf_printf(&u, ", key %s", r->sig_key);
        }
        tpl_dict_set(d, "EVIDENCE_SIGNATURE_STATE", "verified");
        break;
    case HSIG_UNVERIFIED:
        buf_printf(&u, "Signed (%s), not verified: %s", r->sig_kind,
                   r->sig_why ? r->sig_why : "not checked");
        tpl_dict_set(d, "EVIDENCE_SIGNATURE_STATE", "unverified");
        break;
    default:
        buf_adds(&u, "Unsigned");
        tpl_dict_set(d, "EVIDENCE_SIGNATURE_STATE", "unsigned");
        break;
    }
    tpl_dict_set(d, "EVIDENCE_SIGNATURE", u.data);
    buf_release(&u);
}

static void add_history(tpl_dict *d, const site *s, const page_history *ph)
{
    if (!ph->n)
        return;
    tpl_dict_show_section(d, "HAS_HISTORY");
    const hist_row *newest = NULL, *oldest = NULL;
    int truncated = 0;
    buf u;
    buf_init(&u);
    for (size_t i = 0; i < ph->n; i++) {
        const hist_row *r = &ph->rows[i];
        tpl_dict *hd = tpl_dict_add_section(d, "HISTORY");
        switch (r->kind) {
        case HIST_UNCOMMITTED:
            tpl_dict_show_section(hd, "HISTORY_UNCOMMITTED");
            continue;
        case HIST_UNTRACKED:
            tpl_dict_show_section(hd, "HISTORY_UNTRACKED");
            continue;
        case HIST_TRUNCATED:
            tpl_dict_show_section(hd, "HISTORY_TRUNCATED");
            truncated = 1;
            continue;
        case HIST_COMMIT:
            break;
        }
        if (!newest)
            newest = r;
        oldest = r;
        tpl_dict_show_section(hd, "HISTORY_COMMIT_ROW");
        vars_set_shown(hd, "HISTORY_VERSION", r->version);
        tpl_dict_set(hd, "HISTORY_DATE", r->date);
        vars_set_shown(hd, "HISTORY_AUTHOR", r->author);
        vars_set_shown(hd, "HISTORY_SUMMARY", r->summary);
        set_commit(hd, "HISTORY", s, r);
        if (r->review)
            tpl_dict_show_section(hd, "HISTORY_REVIEW");
        vars_evidence(hd, s, r);
        /* The trailers as written, for themes made before EVIDENCE_*. */
        const char *names[2] = {"HISTORY_APPROVED_BY", "HISTORY_REVIEWED_BY"};
        char **lists[2] = {r->approved_by, r->reviewed_by};
        size_t counts[2] = {r->n_approved, r->n_reviewed};
        for (int k = 0; k < 2; k++) {
            buf_reset(&u);
            for (size_t j = 0; j < counts[k]; j++)
                buf_printf(&u, "%s%s", j ? ", " : "", lists[k][j]);
            vars_set_shown(hd, names[k], u.data);
        }
    }
    if (oldest && !truncated)
        vars_set_shown(d, "CREATED", oldest->date);
    if (newest) {
        vars_set_shown(d, "LAST_CHANGED", newest->date);
        vars_set_shown(d, "LAST_CHANGED_BY", newest->author);
    }
    buf_release(&u);
}

/* /controls/<framework>/<id>/ as a full URL. */
void vars_control_url(buf *out, const site *s, const control *c)
{
    buf rel;
    buf_init(&rel);
    buf_printf(&rel, "/controls/%s/%s/", c->framework, c->id);
    vars_full_url(out, s, rel.data);
    buf_release(&rel);
}

/* PREV_* and NEXT_*: the neighbours of p in its section's order. */
static void add_prev_next(tpl_dict *d, const site *s, const page *p)
{
    if (!p->section)
        return;
    const site_section *sec = &s->sections[p->section - 1];
    size_t i = p->section_pos;
    if (i > 0) {
        const page *q = sec->pages[i - 1];
        vars_set_shown(d, "PREV_URL", q->full_url);
        tpl_dict_set(d, "PREV_TITLE", q->nav_label ? q->nav_label : q->title ? q->title : q->id);
    }
    if (i + 1 < sec->n_pages) {
        const page *q = sec->pages[i + 1];
        vars_set_shown(d, "NEXT_URL", q->full_url);
        tpl_dict_set(d, "NEXT_TITLE", q->nav_label ? q->nav_label : q->title ? q->title : q->id);
    }
}

/* REVISION: comply's `majorRevisions: [{date, comment}]`, as written, in
 * the document's order; entries that are not such mappings are skipped. */
static void add_revisions(tpl_dict *d, const page *p)
{
    const yaml_node *rv = yamltree_get(p->fm.data, "majorRevisions");
    if (!rv || yamltree_kind(rv) != YAML_SEQUENCE)
        return;
    for (size_t i = 0; i < yamltree_len(rv); i++) {
        const yaml_node *e = yamltree_item(rv, i);
        const yaml_node *date = yamltree_get(e, "date"), *comment = yamltree_get(e, "comment");
        if ((date && yamltree_kind(date) != YAML_SCALAR) ||
            (comment && yamltree_kind(comment) != YAML_SCALAR) || (!date && !comment))
            continue;
        tpl_dict_show_section(d, "HAS_REVISIONS");
        tpl_dict *r = tpl_dict_add_section(d, "REVISION");
        tpl_dict_set(r, "REVISION_DATE", date ? yamltree_text(date) : "");
        tpl_dict_set(r, "REVISION_COMMENT", comment ? yamltree_text(comment) : "");
    }
}

/* The i-th control p cites, as catalog_resolve finds it (NULL when it
 * names none), its id as written in *id (NULL when it is not text). */
static const control *cited_control(const char **id, const site *s, const page *p, size_t i)
{
    *id = yamltree_text(yamltree_item(p->controls, i));
    const control *c = NULL;
    buf canon;
    buf_init(&canon);
    if (*id)
        catalog_resolve(s->catalog, *id, &c, &canon);
    buf_release(&canon);
    return c;
}

/* CONTROLS: the controls p cites, as the catalog names them. */
static void add_controls(tpl_dict *d, const site *s, const page *p)
{
    if (!p->controls || !yamltree_len(p->controls))
        return;
    tpl_dict_show_section(d, "HAS_CONTROLS");
    for (size_t i = 0; i < yamltree_len(p->controls); i++) {
        const char *id;
        const control *c = cited_control(&id, s, p, i);
        tpl_dict *cd = tpl_dict_add_section(d, "CONTROLS");
        tpl_dict_set(cd, "CONTROL_ID", c ? c->id : id ? id : "");
        tpl_dict_set(cd, "CONTROL_LABEL", c && c->label ? c->label : c ? c->id : id ? id : "");
        if (c) {
            vars_set_shown(cd, "CONTROL_TITLE", c->title);
            vars_set_shown(cd, "CONTROL_GROUP", c->group);
            vars_set_shown(cd, "CONTROL_FRAMEWORK", c->framework);
            buf cu;
            buf_init(&cu);
            vars_control_url(&cu, s, c);
            vars_set_shown(cd, "CONTROL_URL", cu.data);
            buf_release(&cu);
        }
    }
}

/* HISTORY (add_history) of p, and BUILD_DIRTY when a row of it is not
 * committed in a build from a commit. */
static void add_page_history(tpl_dict *d, const gen *g, const page *p)
{
    if (!g->h)
        return;
    const page_history *ph = history_page(g->h, p->index);
    add_history(d, g->s, ph);
    int dirty = 0;
    for (size_t i = 0; i < ph->n; i++)
        dirty |= ph->rows[i].kind == HIST_UNCOMMITTED || ph->rows[i].kind == HIST_UNTRACKED;
    if (dirty && g->prov && g->prov->commit[0])
        tpl_dict_show_section(d, "BUILD_DIRTY");
    /* PAGE_COMMIT*: the commit that last changed the page's file (its
     * newest commit row), which changes only with the page's history
     * (PAGE_COMMITTED); a page in no commit yet, PAGE_UNCOMMITTED. */
    size_t i = 0;
    while (i < ph->n && ph->rows[i].kind != HIST_COMMIT)
        i++;
    if (i < ph->n) {
        tpl_dict_show_section(d, "PAGE_COMMITTED");
        set_commit(d, "PAGE", g->s, &ph->rows[i]);
    } else if (dirty && g->prov && g->prov->commit[0]) {
        tpl_dict_show_section(d, "PAGE_UNCOMMITTED");
    }
}

tpl_dict *vars_page_begin(const gen *g, const page *p)
{
    tpl_dict *d = tpl_dict_new();
    tpl_dict_set_shared(d, g->shared);
    add_controls(d, g->s, p);
    add_page_history(d, g, p);
    return d;
}

void vars_page_finish(tpl_dict *d, const gen *g, const page *p)
{
    const site *s = g->s;
    const md_doc *doc = &parsed_page_at(g->pp, p->index)->doc;
    buf name, u;
    buf_init(&name);
    buf_init(&u);
    const yaml_node *fm = p->fm.data;
    for (size_t i = 0; i < yamltree_len(fm); i++) {
        const char *key = yamltree_text(yamltree_key(fm, i));
        if (p->owner_own && !strcmp(key, "owner"))
            continue; /* a list of owners: PAGE_OWNER joined, below */
        buf_reset(&name);
        var_name(&name, "PAGE_", key);
        add_yaml(d, name.data, key, yamltree_item(fm, i), 0);
        /* HAS_PAGE_<KEY>: shown once when set, for lists whose PAGE_<KEY>
         * section repeats per item. */
        if (truthy(yamltree_item(fm, i))) {
            buf_reset(&name);
            var_name(&name, "HAS_PAGE_", key);
            tpl_dict_show_section(d, name.data);
        }
    }
    vars_set_shown(d, "PAGE_ID", p->id);
    vars_set_shown(d, "PAGE_LAYOUT", p->layout);
    vars_set_shown(d, "PAGE_STATUS", p->status); /* "Approved" read as approved */
    if (p->owner_own)
        vars_set_shown(d, "PAGE_OWNER", p->owner_own);
    /* A page in a language of its own (`lang: ar`), or a direction
     * (`dir: rtl`), where the site's would be wrong for a screen reader. */
    const yaml_node *ln = yamltree_get(fm, "lang"), *dn = yamltree_get(fm, "dir");
    const char *lang = ln && yamltree_kind(ln) == YAML_SCALAR ? yamltree_text(ln) : NULL;
    const char *dir = dn && yamltree_kind(dn) == YAML_SCALAR ? yamltree_text(dn) : NULL;
    if (lang && config_language_ok(lang))
        tpl_dict_set(d, "LANG", lang);
    else
        lang = NULL;
    if (dir && (!strcmp(dir, "rtl") || !strcmp(dir, "ltr")))
        vars_set_shown(d, "TEXT_DIR", dir);
    else if (lang)
        vars_set_shown(d, "TEXT_DIR", config_language_rtl(lang) ? "rtl" : "ltr");
    tpl_dict_set(d, "TITLE", p->title ? p->title : p->id);
    tpl_dict_set(d, "URL", p->full_url);
    tpl_dict_set(d, "SOURCE_PATH", p->src);
    vars_set_shown(d, "SECTION_TITLE", p->section_title);
    if (p->section) {
        tpl_dict_set(d, "SECTION_SLUG", s->sections[p->section - 1].slug);
        set_section_url(d, s, &s->sections[p->section - 1], "SECTION");
    }
    if (s->cfg.repository_url) {
        buf_reset(&u);
        site_repository_url(&u, s, p->src, "edit");
        vars_set_shown(d, "EDIT_URL", u.data);
    }
    char date[11] = "";
    if (p->next_review >= 0)
        date_format(date, p->next_review);
    vars_set_shown(d, "NEXT_REVIEW", date);
    /* As read, written YYYY-MM-DD: a TOML datetime, `Jun 1 2018`. */
    date[0] = '\0';
    if (p->last_reviewed >= 0)
        date_format(date, p->last_reviewed);
    vars_set_shown(d, "LAST_REVIEWED", date);
    tpl_dict_set(d, "REVIEW_STATE", review_state_slug(p->review));
    tpl_dict_set(d, "REVIEW_LABEL", review_state_label(p->review));
    add_revisions(d, p);
    add_prev_next(d, s, p);
    size_t n_toc = 0;
    for (size_t i = 0; i < doc->n_headings; i++)
        n_toc += doc->headings[i].level == 2 || doc->headings[i].level == 3;
    if (n_toc >= 3) {
        tpl_dict *toc = tpl_dict_add_section(d, "TOC");
        for (size_t i = 0; i < doc->n_headings; i++) {
            const md_heading *h = &doc->headings[i];
            if (h->level != 2 && h->level != 3)
                continue;
            tpl_dict *e = tpl_dict_add_section(toc, "TOC_ENTRY");
            tpl_dict_set(e, "TOC_ID", h->id);
            tpl_dict_set(e, "TOC_TEXT", h->text);
            tpl_dict_set_int(e, "TOC_LEVEL", h->level);
        }
    }
    vars_nav(d, s, p);
    buf_release(&name);
    buf_release(&u);
}

/* What vars_page_finish(g, p) reads, in the same order of concerns, then
 * the dictionary vars_page_begin made. Kept in step with them: a value
 * they read and this does not feed would let a changed page be linked
 * unchanged. CHARTER_CHECK_REUSE (the test suites) renders every page found
 * unchanged by this key and compares. */
/* What vars_page_begin puts in p's dictionary, digested without making it
 * (most pages of an edit are linked by their key, and making it was a
 * third of their key's cost): the controls p cites as catalog_resolve
 * finds them, each one's URL made from base_url, its framework and its id
 * (add_controls); p's history rows, every field (history_row_digest), and
 * whether the build is of a commit (add_page_history). Kept in step with
 * those two: test_render's page_keys_follow_their_dictionaries compares
 * the keys with the dictionaries' digests. */
static void begun_key(digest *h, const gen *g, const page *p)
{
    const site *s = g->s;
    digest_add_str(h, s->cfg.base_url);
    size_t n = p->controls ? yamltree_len(p->controls) : 0;
    digest_add_long(h, (long)n);
    for (size_t i = 0; i < n; i++) {
        const char *id;
        const control *c = cited_control(&id, s, p, i);
        digest_add_str(h, id);
        digest_add_long(h, c != NULL);
        if (c) {
            const char *fields[] = {c->id, c->label, c->title, c->group, c->framework};
            for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
                digest_add_str(h, fields[k]);
        }
    }
    digest_add_long(h, g->h != NULL);
    if (!g->h)
        return;
    const page_history *ph = history_page(g->h, p->index);
    digest_add_long(h, (long)ph->n);
    for (size_t i = 0; i < ph->n; i++)
        history_row_digest(h, &ph->rows[i]);
    digest_add_long(h, g->prov && g->prov->commit[0]);
}

void vars_nav_key(char hex[DIGEST_HEX], const site *s)
{
    digest *h = digest_new();
    digest_add_long(h, (long)s->n_sections);
    for (size_t k = 0; k < s->n_sections; k++) {
        digest_add_str(h, s->sections[k].title);
        digest_add_str(h, s->sections[k].slug);
        digest_add_long(h, s->sections[k].on_home);
        digest_add_str(h, s->sections[k].folder);
    }
    digest_hex(h, hex);
    digest_free(h);
}

void vars_page_key(digest *h, const gen *g, const page *p)
{
    const site *s = g->s;
    /* PAGE_*, HAS_PAGE_* and REVISION: the front matter, whole. */
    digest_add(h, p->fm_hex, DIGEST_HEX);
    const char *fields[] = {p->id,
                            p->layout,
                            p->title,
                            p->full_url,
                            p->src,
                            p->section_title,
                            s->cfg.repository_url,
                            s->cfg.branch,
                            review_state_slug(p->review)};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        digest_add_str(h, fields[i]);
    digest_add_long(h, p->next_review);
    /* Navigation (vars_nav), the same for every page: its digest, made
     * once (gen_init), and the neighbours (add_prev_next). */
    if (g->nav_key[0]) {
        digest_add(h, g->nav_key, DIGEST_HEX);
    } else {
        char nav[DIGEST_HEX];
        vars_nav_key(nav, s);
        digest_add(h, nav, DIGEST_HEX);
    }
    digest_add_long(h, (long)p->section);
    if (p->section) {
        const site_section *sec = &s->sections[p->section - 1];
        digest_add_long(h, (long)sec->n_pages);
        digest_add_long(h, (long)p->section_pos);
        /* Every page of the section when the navigation lists them (at
         * most navigation.max_pages), else the two beside p. */
        int listed = sec->n_pages <= s->cfg.nav_max_pages;
        digest_add_long(h, listed);
        size_t from = listed || !p->section_pos ? 0 : p->section_pos - 1;
        size_t to = listed ? sec->n_pages : p->section_pos + 2;
        for (size_t i = from; i < to && i < sec->n_pages; i++) {
            const page *q = sec->pages[i];
            digest_add_long(h, (long)i);
            digest_add_str(h, q->title);
            digest_add_str(h, q->nav_label);
            digest_add_str(h, q->id);
            digest_add_str(h, q->full_url);
        }
    }
    /* The cited controls and the history (vars_page_begin's part). */
    begun_key(h, g, p);
}

void vars_change(tpl_dict *cd, const site *s, const change *ch)
{
    const hist_row *row = ch->row;
    tpl_dict_set(cd, "CHANGE_DATE", row->date);
    vars_set_shown(cd, "CHANGE_AUTHOR", row->author);
    vars_set_shown(cd, "CHANGE_SUMMARY", row->summary);
    set_commit(cd, "CHANGE", s, row);
    vars_evidence(cd, s, row);
    for (size_t j = 0; j < ch->n_pages; j++) {
        const page *p = s->pages[ch->pages[j]];
        tpl_dict *pd = tpl_dict_add_section(cd, "CHANGE_PAGE");
        tpl_dict_set(pd, "CHANGE_PAGE_TITLE", p->title ? p->title : p->id);
        tpl_dict_set(pd, "CHANGE_PAGE_URL", p->full_url);
        vars_set_shown(pd, "CHANGE_PAGE_VERSION", ch->rows[j]->version);
        if (ch->rows[j]->review)
            tpl_dict_show_section(pd, "CHANGE_PAGE_REVIEW");
    }
}
