/* gen_reviews: the review dashboard: every policy with its owner, last
 * and next review, and the days left or overdue, the next review first. */
#include "gen.h"

#include <limits.h>
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

/* REVIEW_ROW: every policy, the next review first. */
static void add_review_rows(tpl_dict *d, const site *s)
{
    const page **v = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < s->n_pages; i++)
        if (s->pages[i]->ok && s->pages[i]->published && s->pages[i]->policy)
            v[n++] = s->pages[i];
    qsort(v, n, sizeof *v, cmp_review);
    buf u, label;
    buf_init(&u);
    buf_init(&label);
    char date[11];
    for (size_t i = 0; i < n; i++) {
        const page *p = v[i];
        tpl_dict *e = tpl_dict_add_section(d, "REVIEW_ROW");
        tpl_dict_set(e, "ENTRY_TITLE", p->title ? p->title : p->id);
        buf_reset(&u);
        vars_full_url(&u, s, p->url);
        tpl_dict_set(e, "ENTRY_URL", u.data);
        vars_set_shown(e, "ENTRY_OWNER", p->owner);
        if (p->last_reviewed >= 0) {
            date_format(date, p->last_reviewed);
            vars_set_shown(e, "ENTRY_LAST_REVIEWED", date);
        }
        tpl_dict_set(e, "ENTRY_REVIEW_STATE", review_state_slug(p->review));
        tpl_dict_set(e, "ENTRY_REVIEW_LABEL", review_state_label(p->review));
        buf_reset(&label);
        if (p->next_review >= 0) {
            date_format(date, p->next_review);
            vars_set_shown(e, "ENTRY_NEXT_REVIEW", date);
            long days = p->next_review - s->as_of;
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
    }
    buf_release(&u);
    buf_release(&label);
    free(v);
}

static void fill_reviews(tpl_dict *d, const gen *g)
{
    add_review_rows(d, g->s);
}

int gen_reviews(gen *g)
{
    return gen_simple(g, "dashboard", "Review dashboard", "/reviews/", "reviews/index.html",
                      fill_reviews);
}
