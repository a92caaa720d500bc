/* checks_history: the findings that rest on a page's git history rather
 * than its text (docs/evidence.md): a policy change with no approval
 * evidence (unapproved-change, when site.yml's evidence.require_approval
 * turns it on) and a classified change whose version does not follow the
 * site's versioning rule (version-rule, when site.yml has `versioning`).
 * Both are off by default, so `check` reads the history only for a site
 * that asks (checks_want_history). Run after history_load. */
#include "checks.h"

#include "buf.h"
#include "dates.h"
#include "history.h"
#include "yamltree.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* A version as up to three numbers ("3", "2.1", "v1.4.2"); 0 and the
 * numbers in v, or -1 when it is not one (a date, "draft"). */
int checks_version_parse(long v[3], const char *s)
{
    v[0] = v[1] = v[2] = 0;
    if (!s)
        return -1;
    if (*s == 'v' || *s == 'V')
        s++;
    for (int i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)*s))
            return -1;
        long n = 0;
        while (isdigit((unsigned char)*s)) {
            if (n > (LONG_MAX - 9) / 10)
                return -1;
            n = n * 10 + (*s++ - '0');
        }
        v[i] = n;
        if (!*s)
            return 0;
        if (*s != '.')
            return -1;
        s++;
    }
    return -1;
}

/* Whether going from version a to b follows rule r; -1 when either is no
 * version the rule can judge. */
int checks_version_follows(version_rule r, const char *a, const char *b)
{
    long x[3], y[3];
    if (r == VR_ANY)
        return 1;
    if (r == VR_SAME)
        return !strcmp(a, b);
    if (checks_version_parse(x, a) != 0 || checks_version_parse(y, b) != 0)
        return -1;
    switch (r) {
    case VR_MAJOR:
        return y[0] > x[0];
    case VR_MINOR:
        return y[0] == x[0] && y[1] > x[1];
    case VR_PATCH:
        return y[0] == x[0] && y[1] == x[1] && y[2] > x[2];
    default:
        return 1;
    }
}

/* What rule r asks, for a message: "raise the major version". */
static const char *rule_says(version_rule r)
{
    switch (r) {
    case VR_MAJOR:
        return "raise the major version (2.3 -> 3.0)";
    case VR_MINOR:
        return "raise the minor version (2.3 -> 2.4)";
    case VR_PATCH:
        return "raise the patch version (2.3.1 -> 2.3.2)";
    case VR_SAME:
        return "leave the version as it was";
    default:
        return "";
    }
}

/* The newest commit row of page i's history and the one before it, or 0. */
static int newest_two(const page_history *ph, const hist_row **now, const hist_row **before)
{
    *now = *before = NULL;
    for (size_t j = 0; j < ph->n; j++) {
        if (ph->rows[j].kind != HIST_COMMIT)
            continue;
        if (!*now)
            *now = &ph->rows[j];
        else {
            *before = &ph->rows[j];
            break;
        }
    }
    return *now != NULL;
}

static void check_version_rule(const site *s, const page *p, const page_history *ph, diags *d)
{
    const hist_row *now, *before;
    if (!newest_two(ph, &now, &before) || !now->change_type)
        return;
    int type = config_change_type(now->change_type);
    if (type < 0)
        return;
    if (type == CHANGE_REVIEW && !now->review) {
        diag_error(d, p->src, 1, 1, "version-rule",
                   "change %s (%s) is a review but changes more than 'last_reviewed': a "
                   "review changes no text; classify it as material, minor or editorial",
                   now->shortid, now->date);
        return;
    }
    version_rule r = s->cfg.versioning[type];
    /* Only numbers the page declared can break a rule: a running number
     * counts commits, and a new page has no version before it. */
    if (!before || now->counted || before->counted || r == VR_ANY)
        return;
    int ok = checks_version_follows(r, before->version, now->version);
    /* At the page's `version:`, which is what to fix. */
    const yaml_node *at = p->ok ? yamltree_get(p->fm.data, "version") : NULL;
    if (ok == 0)
        diag_error(d, p->src, at ? yamltree_line(at) : 1, at ? yamltree_col(at) : 1, "version-rule",
                   "change %s (%s) is %s but takes version '%s' to '%s': a %s change must %s "
                   "(versioning.%s: %s)",
                   now->shortid, now->date, now->change_type, before->version, now->version,
                   now->change_type, rule_says(r), now->change_type, config_rule_name(r));
}

static void check_approval(const site *s, const page *p, const page_history *ph, const map *pending,
                           diags *d)
{
    for (size_t j = 0; j < ph->n; j++) {
        const hist_row *r = &ph->rows[j];
        long day;
        if (r->kind != HIST_COMMIT || history_row_approved(r))
            continue;
        if (pending && map_get(pending, r->commit))
            continue; /* the pull request's own: its review is under way */
        if (date_parse(&day, r->date, strlen(r->date)) == 0 && day < s->cfg.approval_since)
            continue;
        diag_error(d, p->src, 1, 1, "unapproved-change",
                   "change %s (%s, %s: '%s') has no approval evidence: no pull or merge request, "
                   "no Approved-by: or Reviewed-by: trailer",
                   r->shortid, r->date, r->author ? r->author : "?", r->summary ? r->summary : "");
    }
}

int checks_want_history(const site *s)
{
    return s->cfg.require_approval || s->cfg.versioning_on;
}

/* The branch a pull request goes into, as a revision, when CI says (or
 * CHARTER_BASE names one): into out; 0, or -1 outside a pull request. */
static int pull_request_base(buf *out)
{
    const char *own = getenv("CHARTER_BASE");
    if (own && *own) {
        buf_adds(out, own);
        return 0;
    }
    /* GitHub Actions on pull_request, GitLab's merge request pipelines */
    const char *vars[] = {"GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME"};
    for (int k = 0; k < 2; k++) {
        const char *v = getenv(vars[k]);
        if (v && *v) {
            buf_printf(out, "origin/%s", v);
            return 0;
        }
    }
    return -1;
}

void checks_history(const site *s, const history *h, diags *d)
{
    /* In a pull request, the changes not yet in its base await the review
     * that approves them: not judged (docs/evidence.md). */
    map *pending = NULL;
    buf base;
    buf_init(&base);
    if (h && s->cfg.require_approval && !s->git_commit && history_found(h) &&
        pull_request_base(&base) == 0)
        pending = history_pending(s->root, base.data, d);
    buf_release(&base);
    for (size_t i = 0; h && i < s->n_pages; i++) {
        const page *p = s->pages[i];
        if (!p->ok || !p->published || !p->policy)
            continue;
        const page_history *ph = history_page(h, i);
        if (s->cfg.versioning_on)
            check_version_rule(s, p, ph, d);
        if (s->cfg.require_approval)
            check_approval(s, p, ph, pending, d);
    }
    map_free(pending);
}
