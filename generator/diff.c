/* diff: compares two loaded, parsed and checked sites (diff.h). Pages are
 * paired by id (so a renamed policy stays one change), then by path; each
 * pair's rendered text is compared word by word (redline.c) and its front
 * matter key by key. Coverage and applicability come from each side's
 * catalog and citations; findings are matched by check id, file (after
 * renames) and message, so a finding that only moved lines is neither new
 * nor fixed. */
#include "diff.h"

#include "checks.h"
#include "history.h"

#include "catalog.h"
#include "dates.h"
#include "parse.h"
#include "site.h"
#include "yamltree.h"

#include <stdlib.h>
#include <string.h>

/* --- rendered text ------------------------------------------------------------------- */

static int is_block(const char *tag, size_t len)
{
    static const char *const blocks[] = {"p",   "div",        "li", "ul", "ol", "h1",     "h2",
                                         "h3",  "h4",         "h5", "h6", "tr", "br",     "table",
                                         "pre", "blockquote", "dd", "dt", "hr", "section"};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (strlen(blocks[i]) == len && !strncasecmp(tag, blocks[i], len))
            return 1;
    return 0;
}

void diff_html_text(buf *out, const char *html, size_t len)
{
    for (size_t i = 0; i < len;) {
        char c = html[i];
        if (c == '<') {
            const char *end = memchr(html + i, '>', len - i);
            if (!end)
                break;
            const char *t = html + i + 1;
            if (*t == '/')
                t++;
            size_t tl = 0;
            while (t + tl < end &&
                   ((t[tl] >= 'a' && t[tl] <= 'z') || (t[tl] >= 'A' && t[tl] <= 'Z') ||
                    (t[tl] >= '0' && t[tl] <= '9')))
                tl++;
            if (is_block(t, tl))
                buf_addc(out, '\n'); /* inline tags leave nothing */
            i = (size_t)(end - html) + 1;
            continue;
        }
        if (c == '&') {
            const char *semi = memchr(html + i, ';', len - i < 12 ? len - i : 12);
            if (semi) {
                size_t n = (size_t)(semi - html) - i - 1;
                const char *e = html + i + 1;
                static const struct {
                    const char *name, *text;
                } ents[] = {{"amp", "&"},   {"lt", "<"},   {"gt", ">"},
                            {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
                int done = 0;
                for (size_t k = 0; k < sizeof ents / sizeof ents[0] && !done; k++)
                    if (strlen(ents[k].name) == n && !strncmp(e, ents[k].name, n)) {
                        buf_adds(out, ents[k].text);
                        done = 1;
                    }
                if (!done && n > 1 && e[0] == '#') {
                    unsigned long cp = e[1] == 'x' || e[1] == 'X' ? strtoul(e + 2, NULL, 16)
                                                                  : strtoul(e + 1, NULL, 10);
                    if (cp > 0 && cp < 0x110000 && !(cp >= 0xd800 && cp <= 0xdfff)) {
                        unsigned char u[4];
                        size_t k = 0;
                        if (cp < 0x80) {
                            u[k++] = (unsigned char)cp;
                        } else if (cp < 0x800) {
                            u[k++] = (unsigned char)(0xc0 | (cp >> 6));
                            u[k++] = (unsigned char)(0x80 | (cp & 0x3f));
                        } else if (cp < 0x10000) {
                            u[k++] = (unsigned char)(0xe0 | (cp >> 12));
                            u[k++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
                            u[k++] = (unsigned char)(0x80 | (cp & 0x3f));
                        } else {
                            u[k++] = (unsigned char)(0xf0 | (cp >> 18));
                            u[k++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
                            u[k++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
                            u[k++] = (unsigned char)(0x80 | (cp & 0x3f));
                        }
                        buf_add(out, u, k);
                        done = 1;
                    }
                }
                if (done) {
                    i = (size_t)(semi - html) + 1;
                    continue;
                }
            }
        }
        /* A line end inside a block is a soft break: a space to a reader. */
        buf_addc(out, c == '\n' || c == '\r' ? ' ' : c);
        i++;
    }
}

/* Page i's rendered text, or "" when it has none (a draft not parsed). */
static char *page_text(const diff_side *side, size_t i)
{
    buf html, text;
    buf_init(&html);
    buf_init(&text);
    const parsed_page *pp = side->pp ? parsed_page_at(side->pp, i) : NULL;
    diags *quiet = diag_new(NULL);
    if (pp && pp->ok && parsed_html(side->pp, i, &html, quiet) == 0)
        diff_html_text(&text, html.data, html.len);
    diag_free(quiet);
    buf_release(&html);
    return buf_detach(&text);
}

/* --- front matter ---------------------------------------------------------------------- */

static char *str_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

static char *date_or_empty(long days)
{
    char out[11];
    if (days < 0)
        return xstrdup("");
    date_format(out, days);
    return xstrdup(out);
}

static const char *fm_text(const page *p, const char *key)
{
    const yaml_node *v = p && p->ok ? yamltree_get(p->fm.data, key) : NULL;
    return v && yamltree_kind(v) == YAML_SCALAR ? yamltree_text(v) : NULL;
}

static void add_field(diff_page *dp, const char *key, char *old, char *new)
{
    if (!strcmp(old, new)) {
        free(old);
        free(new);
        return;
    }
    dp->fields = xgrow(dp->fields, dp->n_fields, sizeof *dp->fields);
    dp->fields[dp->n_fields++] = (diff_field){key, old, new};
}

/* The control ids a page cites, as written. */
static size_t cited(const page *p, char ***out)
{
    size_t n = 0;
    *out = NULL;
    if (!p || !p->controls)
        return 0;
    size_t len = yamltree_len(p->controls);
    *out = xcalloc(len + 1, sizeof **out);
    for (size_t i = 0; i < len; i++) {
        const yaml_node *v = yamltree_item(p->controls, i);
        if (v && yamltree_kind(v) == YAML_SCALAR)
            (*out)[n++] = xstrdup(yamltree_text(v));
    }
    return n;
}

static int has(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return 1;
    return 0;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void compare_fields(diff_page *dp, const page *a, const page *b)
{
    add_field(dp, "title", str_or_empty(a->title), str_or_empty(b->title));
    add_field(dp, "id", str_or_empty(a->id), str_or_empty(b->id));
    add_field(dp, "owner", str_or_empty(a->owner), str_or_empty(b->owner));
    add_field(dp, "approver", str_or_empty(fm_text(a, "approver")),
              str_or_empty(fm_text(b, "approver")));
    add_field(dp, "status", str_or_empty(a->status), str_or_empty(b->status));
    add_field(dp, "version", str_or_empty(a->version), str_or_empty(b->version));
    add_field(dp, "last_reviewed", date_or_empty(a->last_reviewed),
              date_or_empty(b->last_reviewed));
    add_field(dp, "next review", date_or_empty(a->next_review), date_or_empty(b->next_review));
    char **ca, **cb;
    size_t na = cited(a, &ca), nb = cited(b, &cb);
    for (size_t i = 0; i < nb; i++)
        if (!has(ca, na, cb[i])) {
            dp->controls_added = xgrow(dp->controls_added, dp->n_added, sizeof(char *));
            dp->controls_added[dp->n_added++] = xstrdup(cb[i]);
        }
    for (size_t i = 0; i < na; i++)
        if (!has(cb, nb, ca[i])) {
            dp->controls_removed = xgrow(dp->controls_removed, dp->n_removed, sizeof(char *));
            dp->controls_removed[dp->n_removed++] = xstrdup(ca[i]);
        }
    free_list(ca, na);
    free_list(cb, nb);
}

/* --- building the result ------------------------------------------------------------------ */

static diff_page *new_page(diff_result *r, diff_page_kind kind)
{
    r->pages = xgrow(r->pages, r->n_pages, sizeof *r->pages);
    diff_page *dp = &r->pages[r->n_pages++];
    memset(dp, 0, sizeof *dp);
    dp->kind = kind;
    return dp;
}

/* Page i of side, added (it is in the head only) or removed (the base). */
static void one_side(diff_result *r, diff_page_kind kind, const diff_side *side, size_t i)
{
    const page *p = side->s->pages[i];
    diff_page *dp = new_page(r, kind);
    int added = kind == DIFF_ADDED;
    *(added ? &dp->new_file : &dp->old_file) = xstrdup(p->src);
    *(added ? &dp->new_text : &dp->old_text) = page_text(side, i);
    dp->title = str_or_empty(p->title);
    dp->id = str_or_empty(p->id);
    char **c;
    size_t n = cited(p, &c);
    *(added ? &dp->controls_added : &dp->controls_removed) = c;
    *(added ? &dp->n_added : &dp->n_removed) = n;
}

static void add_finding(diff_finding **v, size_t *n, diag_level level, const char *file, int line,
                        int col, const char *id, const char *message, int rule)
{
    *v = xgrow(*v, *n, sizeof **v);
    (*v)[(*n)++] = (diff_finding){
        level, file ? xstrdup(file) : NULL, line, col, xstrdup(id), xstrdup(message), rule};
}

static const char *page_key(const page *p)
{
    return p->id ? p->id : p->rel;
}

/* version-rule for one changed policy: its type from the range's
 * Change-Type: trailers (`ev`, history_evidence's value), else its front
 * matter `change:`; its versions against site.yml `versioning`. */
static void version_rule_finding(diff_result *r, const site *s, const page *pa, const page *pb,
                                 int body_changed, const void *ev)
{
    static const int by_rank[] = {-1, CHANGE_REVIEW, CHANGE_EDITORIAL, CHANGE_MINOR,
                                  CHANGE_MATERIAL};
    int type = by_rank[history_ev_type(ev)];
    const yaml_node *c = pb->ok && type < 0 ? yamltree_get(pb->fm.data, "change") : NULL;
    if (c && yamltree_kind(c) == YAML_SCALAR)
        type = config_change_type(yamltree_text(c));
    if (type < 0)
        return;
    static const char *const names[] = {"material", "minor", "editorial", "review"};
    version_rule rule = s->cfg.versioning[type];
    const char *was = pa->version ? pa->version : "", *now = pb->version ? pb->version : "";
    const yaml_node *v = pb->ok ? yamltree_get(pb->fm.data, "version") : NULL;
    buf m;
    buf_init(&m);
    if (type == CHANGE_REVIEW && body_changed)
        buf_printf(&m, "this change is a review but changes the text: a review changes only "
                       "last_reviewed");
    else if ((pa->version || pb->version) && checks_version_follows(rule, was, now) == 0)
        buf_printf(&m, "this change is %s but takes version '%s' to '%s' (versioning.%s: %s)",
                   names[type], was, now, names[type], config_rule_name(rule));
    if (m.len)
        add_finding(&r->added, &r->n_added, DIAG_WARNING, pb->src, v ? yamltree_line(v) : 1,
                    v ? yamltree_col(v) : 1, "version-rule", m.data, 1);
    buf_release(&m);
}

static void compare_pages(diff_result *r, const diff_side *a, const diff_side *b,
                          const map *evidence, const map *moved, map *renames)
{
    map *by_key = map_new(), *by_rel = map_new(), *by_src = map_new(), *matched = map_new();
    for (size_t i = 0; i < a->s->n_pages; i++) {
        map_put(by_key, page_key(a->s->pages[i]), a->s->pages[i]);
        map_put(by_rel, a->s->pages[i]->rel, a->s->pages[i]);
        map_put(by_src, a->s->pages[i]->src, a->s->pages[i]);
    }
    for (size_t i = 0; i < b->s->n_pages; i++) {
        const page *pb = b->s->pages[i];
        const page *pa = map_get(by_key, page_key(pb));
        if (!pa || map_get(matched, pa->rel))
            pa = map_get(by_rel, pb->rel);
        if (pa && map_get(matched, pa->rel))
            pa = NULL;
        /* A page without an id that git sees moved (git mv): one page. */
        const char *from = !pa && moved ? map_get(moved, pb->src) : NULL;
        if (from && (pa = map_get(by_src, from)) != NULL && map_get(matched, pa->rel))
            pa = NULL;
        if (!pa) {
            one_side(r, DIFF_ADDED, b, i);
            continue;
        }
        map_put(matched, pa->rel, (void *)pa);
        /* Published on one side only (a draft published, a chapter taken
         * out of SUMMARY.md): it joins or leaves the site, whether or not
         * its file changed. */
        if (pa->ok && pb->ok && pa->published != pb->published) {
            if (pb->published)
                one_side(r, DIFF_ADDED, b, i);
            else
                one_side(r, DIFF_REMOVED, a, pa->index);
            continue;
        }
        diff_page dp;
        memset(&dp, 0, sizeof dp);
        dp.kind = DIFF_CHANGED;
        dp.renamed = strcmp(pa->src, pb->src) != 0;
        if (dp.renamed)
            map_put(renames, pa->src, pb->src);
        dp.old_text = page_text(a, pa->index);
        dp.new_text = page_text(b, i);
        dp.body_changed = strcmp(dp.old_text, dp.new_text) != 0;
        compare_fields(&dp, pa, pb);
        if (!dp.renamed && !dp.body_changed && !dp.n_fields && !dp.n_added && !dp.n_removed) {
            free(dp.old_text);
            free(dp.new_text);
            free(dp.fields);
            continue;
        }
        dp.old_file = xstrdup(pa->src);
        dp.new_file = xstrdup(pb->src);
        dp.title = str_or_empty(pb->title);
        dp.id = str_or_empty(pb->id);
        if (dp.body_changed)
            redline_compare(&dp.red, dp.old_text, strlen(dp.old_text), dp.new_text,
                            strlen(dp.new_text));
        *new_page(r, DIFF_CHANGED) = dp;
        /* The rules a reviewer cares about. */
        if (dp.body_changed && pb->policy &&
            !strcmp(pa->version ? pa->version : "", pb->version ? pb->version : "")) {
            const yaml_node *v = pb->ok ? yamltree_get(pb->fm.data, "version") : NULL;
            add_finding(&r->added, &r->n_added, DIAG_WARNING, pb->src, v ? yamltree_line(v) : 1,
                        v ? yamltree_col(v) : 1, "version-not-bumped",
                        "the text of this policy changed but its version did not", 1);
        }
        if (pa->last_reviewed != pb->last_reviewed && pb->last_reviewed >= 0 &&
            !(evidence && ((intptr_t)map_get(evidence, pb->src) & HISTORY_EV_APPROVED))) {
            const yaml_node *v = pb->ok ? yamltree_get(pb->fm.data, "last_reviewed") : NULL;
            char was[11] = "", now[11];
            if (pa->last_reviewed >= 0)
                date_format(was, pa->last_reviewed);
            date_format(now, pb->last_reviewed);
            /* Before: a date, a value that was none ('15.03.2025'), or
             * nothing at all. */
            const yaml_node *old = pa->ok ? yamltree_get(pa->fm.data, "last_reviewed") : NULL;
            if (old && yamltree_is_null(old))
                old = NULL; /* `last_reviewed: ~` is none */
            const char *old_text =
                old && yamltree_kind(old) == YAML_SCALAR ? yamltree_text(old) : NULL;
            buf m;
            buf_init(&m);
            if (was[0])
                buf_printf(&m, "last_reviewed moved from %s to %s", was, now);
            else if (old_text && *old_text)
                buf_printf(&m, "last_reviewed moved from '%s' to %s", old_text, now);
            else if (old)
                buf_printf(&m, "last_reviewed moved from a %s to %s",
                           yamltree_kind(old) == YAML_SEQUENCE ? "list" : "mapping", now);
            else
                buf_printf(&m, "last_reviewed set to %s", now);
            buf_adds(&m, " without review evidence: no commit of this change to the page carries "
                         "Approved-by: or Reviewed-by:");
            add_finding(&r->added, &r->n_added, DIAG_WARNING, pb->src, v ? yamltree_line(v) : 1,
                        v ? yamltree_col(v) : 1, "review-without-evidence", m.data, 1);
            buf_release(&m);
        }
        if (pb->policy && b->s->cfg.versioning_on)
            version_rule_finding(r, b->s, pa, pb, dp.body_changed,
                                 evidence ? map_get(evidence, pb->src) : NULL);
    }
    for (size_t i = 0; i < a->s->n_pages; i++) {
        const page *pa = a->s->pages[i];
        if (map_get(matched, pa->rel))
            continue;
        one_side(r, DIFF_REMOVED, a, i);
    }
    map_free(by_key);
    map_free(by_rel);
    map_free(by_src);
    map_free(matched);
}

/* The control of framework fw with id id in s's catalog, or NULL. */
static const control *find_control(const struct site *s, const char *fw, const char *id)
{
    size_t n;
    const framework *f = catalog_frameworks(s->catalog, &n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].id, fw) != 0)
            continue;
        for (size_t k = 0; k < f[i].n_controls; k++)
            if (!strcmp(f[i].controls[k].id, id))
                return &f[i].controls[k];
    }
    return NULL;
}

static size_t covering(const struct site *s, const control *c)
{
    size_t n = 0;
    if (c)
        site_cited_by(s, c, &n);
    return n;
}

static char *soa_text(const control *c)
{
    buf b;
    buf_init(&b);
    buf_printf(&b, "%s%s%s", c->status ? c->status : "", c->status && c->justification ? ": " : "",
               c->justification ? c->justification : "");
    return buf_detach(&b);
}

static void add_control(diff_result *r, diff_control_kind kind, const control *c, char *old,
                        char *new)
{
    r->controls = xgrow(r->controls, r->n_controls, sizeof *r->controls);
    r->controls[r->n_controls++] = (diff_control){
        kind, xstrdup(c->framework), xstrdup(c->id), str_or_empty(c->title), old, new};
}

static void compare_controls(diff_result *r, const diff_side *a, const diff_side *b)
{
    size_t nf;
    const framework *f = catalog_frameworks(b->s->catalog, &nf);
    for (size_t i = 0; i < nf; i++) {
        for (size_t k = 0; k < f[i].n_controls; k++) {
            const control *cb = &f[i].controls[k];
            const control *ca = find_control(a->s, f[i].id, cb->id);
            if (!ca)
                continue; /* a framework the base did not use: nothing to compare */
            if (ca->applicable != cb->applicable) {
                add_control(r, cb->applicable ? DIFF_NOW_APPLICABLE : DIFF_NOT_APPLICABLE, cb,
                            soa_text(ca), soa_text(cb));
                continue;
            }
            char *sa = soa_text(ca), *sb = soa_text(cb);
            if (strcmp(sa, sb) != 0) {
                add_control(r, DIFF_SOA_CHANGED, cb, sa, sb);
            } else {
                free(sa);
                free(sb);
            }
            if (!cb->applicable)
                continue;
            size_t was = covering(a->s, ca), now = covering(b->s, cb);
            if (was && !now)
                add_control(r, DIFF_UNCOVERED, cb, NULL, NULL);
            else if (!was && now)
                add_control(r, DIFF_COVERED, cb, NULL, NULL);
        }
    }
}

/* A removed policy that cited controls the head still holds applicable. */
static void deleted_policies(diff_result *r, const diff_side *a, const diff_side *b)
{
    for (size_t i = 0; i < r->n_pages; i++) {
        diff_page *dp = &r->pages[i];
        if (dp->kind != DIFF_REMOVED || !dp->n_removed)
            continue;
        const page *pa = NULL;
        for (size_t k = 0; k < a->s->n_pages && !pa; k++)
            if (!strcmp(a->s->pages[k]->src, dp->old_file))
                pa = a->s->pages[k];
        if (!pa || !pa->policy)
            continue;
        buf ids;
        buf_init(&ids);
        size_t n = 0;
        for (size_t k = 0; k < dp->n_removed; k++) {
            const control *c = NULL;
            buf canon;
            buf_init(&canon);
            if (catalog_resolve(b->s->catalog, dp->controls_removed[k], &c, &canon) ==
                    CONTROL_EXACT &&
                c && c->applicable) {
                buf_printf(&ids, "%s'%s'%s", n ? ", " : "", c->id,
                           covering(b->s, c) ? "" : " (now covered by nothing)");
                n++;
            }
            buf_release(&canon);
        }
        if (n) {
            buf m;
            buf_init(&m);
            buf_printf(&m, "policy '%s' was deleted while it still covers applicable control%s %s",
                       dp->title, n == 1 ? "" : "s", ids.data);
            add_finding(&r->added, &r->n_added, DIAG_ERROR, dp->old_file, 1, 1,
                        "deleted-policy-cited", m.data, 1);
            buf_release(&m);
        }
        buf_release(&ids);
    }
}

static void finding_key(buf *k, const diag_entry *e, const map *renames)
{
    const char *file = e->file ? e->file : "";
    const char *renamed = renames ? map_get(renames, file) : NULL;
    buf_reset(k);
    buf_printf(k, "%s\x1f%s\x1f%d\x1f%s", e->id, renamed ? renamed : file, (int)e->level,
               e->message);
}

/* Findings of `from` not in `other` (as many times as they are missing). */
static void unmatched(diff_finding **v, size_t *n, diags *from, const map *from_renames,
                      diags *other, const map *other_renames)
{
    size_t nf, no;
    diag_sort(from);
    diag_sort(other);
    const diag_entry *ef = diag_entries(from, &nf);
    const diag_entry *eo = diag_entries(other, &no);
    map *count = map_new();
    buf k;
    buf_init(&k);
    for (size_t i = 0; i < no; i++) {
        finding_key(&k, &eo[i], other_renames);
        void **ref = map_ref(count, k.data);
        *ref = (void *)((char *)*ref + 1);
    }
    for (size_t i = 0; i < nf; i++) {
        finding_key(&k, &ef[i], from_renames);
        void **ref = map_ref(count, k.data);
        if (*ref) {
            *ref = (void *)((char *)*ref - 1);
            continue;
        }
        add_finding(v, n, ef[i].level, ef[i].file, ef[i].line, ef[i].col, ef[i].id, ef[i].message,
                    0);
    }
    buf_release(&k);
    map_free(count);
}

static int cmp_finding(const void *x, const void *y)
{
    const diff_finding *a = x, *b = y;
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    c = strcmp(a->id, b->id);
    return c ? c : strcmp(a->message, b->message);
}

static int cmp_page(const void *x, const void *y)
{
    const diff_page *a = x, *b = y;
    return strcmp(a->new_file ? a->new_file : a->old_file, b->new_file ? b->new_file : b->old_file);
}

diff_result *diff_compare(const diff_side *base, const diff_side *head, const map *evidence,
                          const map *moved)
{
    diff_result *r = xcalloc(1, sizeof *r);
    r->base_label = xstrdup(base->label);
    r->head_label = xstrdup(head->label);
    map *renames = map_new();
    compare_pages(r, base, head, evidence, moved, renames);
    if (r->n_pages > 1)
        qsort(r->pages, r->n_pages, sizeof *r->pages, cmp_page);
    compare_controls(r, base, head);
    deleted_policies(r, base, head);
    /* Findings: head's that base has not (after renames), and the reverse. */
    unmatched(&r->added, &r->n_added, head->d, NULL, base->d, renames);
    unmatched(&r->fixed, &r->n_fixed, base->d, renames, head->d, NULL);
    if (r->n_added > 1)
        qsort(r->added, r->n_added, sizeof *r->added, cmp_finding);
    if (r->n_fixed > 1)
        qsort(r->fixed, r->n_fixed, sizeof *r->fixed, cmp_finding);
    map_free(renames);
    return r;
}

void diff_result_free(diff_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_pages; i++) {
        diff_page *p = &r->pages[i];
        free(p->old_file);
        free(p->new_file);
        free(p->title);
        free(p->id);
        for (size_t k = 0; k < p->n_fields; k++) {
            free(p->fields[k].old);
            free(p->fields[k].new);
        }
        free(p->fields);
        free_list(p->controls_added, p->n_added);
        free_list(p->controls_removed, p->n_removed);
        free(p->old_text);
        free(p->new_text);
        redline_release(&p->red);
    }
    free(r->pages);
    for (size_t i = 0; i < r->n_controls; i++) {
        free(r->controls[i].framework);
        free(r->controls[i].id);
        free(r->controls[i].title);
        free(r->controls[i].old);
        free(r->controls[i].new);
    }
    free(r->controls);
    diff_finding *lists[2] = {r->added, r->fixed};
    size_t ns[2] = {r->n_added, r->n_fixed};
    for (int l = 0; l < 2; l++) {
        for (size_t i = 0; i < ns[l]; i++) {
            free(lists[l][i].file);
            free(lists[l][i].id);
            free(lists[l][i].message);
        }
        free(lists[l]);
    }
    free(r->base_label);
    free(r->head_label);
    free(r);
}
