/* gen_reviews: the review dashboard: every policy with its owner, last
 * and next review, and the days left or overdue, the next review first. */
#include "gen.h"

#include "dates.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_review(const void *a, const void *b)
{
    const page *x = *(const page *const *)a, *y = *(const page *const *)b;
    long nx = x->next_review < 0 ? LONG_MAX : x->next_review;
    long ny = y->next_review < 0 ? LONG_MAX : y->next_review;
    if (nx != ny)
        return nx < ny ? -1 : 1;
    return strcmp(x->src, y->src);
}

/* The policies, the next review first, and the day the dashboard is of
 * (a lazy section's context: copied whole into the dictionary). */
typedef struct review_rows {
    long as_of;
    char (*keys)[65]; /* gen.entry_keys */
    size_t n;
    const page *v[];
} review_rows;

static void fill_review_row(const void *ctx, size_t i, tpl_dict *e)
{
    const review_rows *r = ctx;
    const page *p = r->v[i];
    char date[11];
    tpl_dict_set(e, "ENTRY_TITLE", p->title ? p->title : p->id);
    tpl_dict_set(e, "ENTRY_URL", p->full_url);
    vars_set_shown(e, "ENTRY_OWNER", p->owner);
    if (p->last_reviewed >= 0) {
        date_format(date, p->last_reviewed);
        vars_set_shown(e, "ENTRY_LAST_REVIEWED", date);
    }
    tpl_dict_set(e, "ENTRY_REVIEW_STATE", review_state_slug(p->review));
    tpl_dict_set(e, "ENTRY_REVIEW_LABEL", review_state_label(p->review));
    buf label;
    buf_init(&label);
    if (p->next_review >= 0) {
        date_format(date, p->next_review);
        vars_set_shown(e, "ENTRY_NEXT_REVIEW", date);
        long days = p->next_review - r->as_of;
        tpl_dict_set_int(e, "ENTRY_DAYS", days);
        if (days == 0)
            buf_adds(&label, "today");
        else if (days > 0)
            buf_printf(&label, "in %ld day%s", days, days == 1 ? "" : "s");
        else
            buf_printf(&label, "%ld day%s overdue", -days, days == -1 ? "" : "s");
    } else {
        tpl_dict_set(e, "ENTRY_DAYS", "");
        buf_adds(&label, "\xe2\x80\x94"); /* an em dash */
    }
    tpl_dict_set(e, "ENTRY_DAYS_LABEL", label.data);
    buf_release(&label);
}

static void review_row_key(const void *ctx, size_t i, char key[65])
{
    const review_rows *r = ctx;
    memcpy(key, r->keys[r->v[i]->index], 65);
}

/* REVIEW_ROW: every policy, the next review first, each made as it
 * renders; keyed by each page's entry key and the day (the days left). */
static void add_review_rows(tpl_dict *d, const gen *g)
{
    const site *s = g->s;
    size_t size = sizeof(review_rows) + (s->n_pages ? s->n_pages : 1) * sizeof(const page *);
    review_rows *r = xcalloc(1, size);
    r->as_of = s->as_of;
    r->keys = g->entry_keys;
    for (size_t i = 0; i < s->n_pages; i++)
        if (s->pages[i]->ok && s->pages[i]->published && s->pages[i]->policy)
            r->v[r->n++] = s->pages[i];
    qsort(r->v, r->n, sizeof *r->v, cmp_review);
    char variant[48];
    snprintf(variant, sizeof variant, "review row %ld", r->as_of);
    tpl_dict_add_lazy_section_keyed(d, "REVIEW_ROW", r->n, fill_review_row, review_row_key, variant,
                                    r, sizeof(review_rows) + r->n * sizeof(const page *));
    /* A commit changes the evidence counts above the rows, seldom a row:
     * the others are copied from the previous build's (render.c). */
    tpl_dict_rows_apart(d, "REVIEW_ROW");
    free(r);
}

/* EVIDENCE_*_COUNT: the changes to published pages in the twelve months up
 * to the as-of day, with and without approval evidence (what a SOC 2 CC8.1
 * auditor samples). */
static void add_evidence_counts(tpl_dict *d, const gen *g)
{
    size_t n = 0, with = 0, without = 0;
    const change *ch = g->h ? history_changes(g->h, &n) : NULL;
    if (!g->h || !history_found(g->h))
        return;
    long to = g->s->as_of, from = date_add(to, (duration){.months = -12});
    for (size_t i = 0; i < n; i++) {
        long day;
        if (date_parse(&day, ch[i].row->date, strlen(ch[i].row->date)) != 0 || day <= from ||
            day > to)
            continue;
        if (history_row_approved(ch[i].row))
            with++;
        else
            without++;
    }
    char date[11];
    date_format(date, from + 1);
    tpl_dict_show_section(d, "HAS_EVIDENCE_COUNTS");
    tpl_dict_set(d, "EVIDENCE_FROM", date);
    tpl_dict_set_int(d, "EVIDENCE_WITH_COUNT", (long)with);
    tpl_dict_set_int(d, "EVIDENCE_WITHOUT_COUNT", (long)without);
}

static void fill_reviews(tpl_dict *d, const gen *g)
{
    add_review_rows(d, g);
    add_evidence_counts(d, g);
}

int gen_reviews(gen *g)
{
    const site_config *c = &g->s->cfg;
    return gen_simple(g, "dashboard", "Review dashboard", config_gen_url(c, GEN_REVIEWS),
                      config_gen_file(c, GEN_REVIEWS), fill_reviews);
}
