/* redline: word-level differences (redline.h). The words are split on
 * whitespace, the common start and end are set aside, and Myers' greedy
 * algorithm finds the shortest edit of the rest, keeping each step's
 * frontier to walk back. Beyond REDLINE_MAX_D edits (some 16 MB of
 * frontiers) the texts are too different for a word-by-word redline to
 * help a reader, and the change is shown whole. A line end between words
 * is kept as a word of its own (a paragraph break), compared as any word. */
#include "redline.h"

#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REDLINE_MAX_D 2000

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static size_t split(redline_word **out, const char *s, size_t len)
{
    size_t n = 0, cap = 64;
    redline_word *v = xmalloc(cap * sizeof *v);
    for (size_t i = 0; i < len;) {
        /* Whitespace with a line end between words is a paragraph break:
         * a word of its own ("\n"), so the redline keeps the text's blocks. */
        const char *nl = NULL;
        while (i < len && is_space(s[i])) {
            if (s[i] == '\n' && !nl)
                nl = s + i;
            i++;
        }
        if (nl && n && i < len) {
            if (n == cap) {
                cap *= 2;
                v = xrealloc(v, cap * sizeof *v);
            }
            v[n].s = nl;
            v[n].len = 1;
            n++;
        }
        size_t start = i;
        while (i < len && !is_space(s[i]))
            i++;
        if (i > start) {
            if (n == cap) {
                cap *= 2;
                v = xrealloc(v, cap * sizeof *v);
            }
            v[n].s = s + start;
            v[n].len = i - start;
            n++;
        }
    }
    *out = v;
    return n;
}

static int same(const redline_word *x, const redline_word *y)
{
    return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

static void add_run(redline *r, redline_op op, size_t from, size_t to)
{
    if (from == to)
        return;
    if (r->n_runs && r->runs[r->n_runs - 1].op == op && r->runs[r->n_runs - 1].to == from) {
        r->runs[r->n_runs - 1].to = to;
    } else {
        r->runs = xgrow(r->runs, r->n_runs, sizeof *r->runs);
        r->runs[r->n_runs++] = (redline_run){op, from, to};
    }
    const redline_word *w = op == REDLINE_INS ? r->b : r->a;
    size_t words = 0;
    for (size_t i = from; i < to; i++)
        words += !redline_is_break(&w[i]);
    if (op == REDLINE_DEL)
        r->deleted += words;
    else if (op == REDLINE_INS)
        r->inserted += words;
}

/* One step of the walk back: an edit and the diagonal before it. */
typedef struct step {
    redline_op op;
    size_t x, y;  /* the position in a and b where the edit starts */
    size_t snake; /* equal words that follow it */
} step;

/* Myers on a[lo_a..hi_a) and b[lo_b..hi_b), which differ at both ends.
 * Appends the runs; returns -1 when the edit is longer than REDLINE_MAX_D. */
static int myers(redline *r, size_t lo_a, size_t hi_a, size_t lo_b, size_t hi_b)
{
    long n = (long)(hi_a - lo_a), m = (long)(hi_b - lo_b), max = n + m;
    long limit = max < REDLINE_MAX_D ? max : REDLINE_MAX_D;
    long off = limit + 1;
    long *v = xcalloc((size_t)(2 * off + 1), sizeof *v);
    long **trace = xcalloc((size_t)limit + 2, sizeof *trace);
    long found = -1;
    for (long d = 0; d <= limit && found < 0; d++) {
        trace[d] = xmalloc((size_t)(2 * off + 1) * sizeof **trace);
        memcpy(trace[d], v, (size_t)(2 * off + 1) * sizeof *v);
        for (long k = -d; k <= d; k += 2) {
            long x;
            if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
                x = v[off + k + 1]; /* down: an insertion */
            else
                x = v[off + k - 1] + 1; /* right: a deletion */
            long y = x - k;
            while (x < n && y < m && same(&r->a[lo_a + (size_t)x], &r->b[lo_b + (size_t)y]))
                x++, y++;
            v[off + k] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    int err = found < 0 ? -1 : 0;
    if (!err) {
        /* Walk back from (n, m) through the frontiers, collecting steps. */
        step *steps = xmalloc((size_t)(found + 1) * sizeof *steps);
        size_t ns = 0;
        long x = n, y = m;
        for (long d = found; d >= 0; d--) {
            const long *pv = trace[d];
            long k = x - y;
            if (d == 0) {
                steps[ns++] = (step){REDLINE_SAME, 0, 0, (size_t)x};
                break;
            }
            long pk;
            redline_op op;
            if (k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1])) {
                pk = k + 1;
                op = REDLINE_INS;
            } else {
                pk = k - 1;
                op = REDLINE_DEL;
            }
            long px = pv[off + pk], py = px - pk;
            long sx = op == REDLINE_INS ? px : px + 1; /* after the edit */
            steps[ns++] = (step){op, (size_t)px, (size_t)py, (size_t)(x - sx)};
            x = px;
            y = py;
        }
        for (size_t i = ns; i-- > 0;) {
            const step *st = &steps[i];
            if (st->op == REDLINE_SAME) {
                add_run(r, REDLINE_SAME, lo_a, lo_a + st->snake);
                continue;
            }
            size_t ax = lo_a + st->x, by = lo_b + st->y;
            if (st->op == REDLINE_DEL) {
                add_run(r, REDLINE_DEL, ax, ax + 1);
                add_run(r, REDLINE_SAME, ax + 1, ax + 1 + st->snake);
            } else {
                add_run(r, REDLINE_INS, by, by + 1);
                add_run(r, REDLINE_SAME, ax, ax + st->snake);
            }
        }
        free(steps);
    }
    for (long d = 0; d <= limit + 1; d++)
        free(trace[d]);
    free(trace);
    free(v);
    return err;
}

void redline_compare(redline *r, const char *a, size_t alen, const char *b, size_t blen)
{
    memset(r, 0, sizeof *r);
    r->na = split(&r->a, a, alen);
    r->nb = split(&r->b, b, blen);
    size_t pre = 0, suf = 0;
    while (pre < r->na && pre < r->nb && same(&r->a[pre], &r->b[pre]))
        pre++;
    while (suf < r->na - pre && suf < r->nb - pre &&
           same(&r->a[r->na - 1 - suf], &r->b[r->nb - 1 - suf]))
        suf++;
    add_run(r, REDLINE_SAME, 0, pre);
    size_t ha = r->na - suf, hb = r->nb - suf;
    if (pre < ha && pre < hb) {
        size_t keep = r->n_runs, del = r->deleted, ins = r->inserted;
        if (myers(r, pre, ha, pre, hb) != 0) {
            r->n_runs = keep;
            r->deleted = del;
            r->inserted = ins;
            r->coarse = 1;
            add_run(r, REDLINE_DEL, pre, ha);
            add_run(r, REDLINE_INS, pre, hb);
        }
    } else {
        add_run(r, REDLINE_DEL, pre, ha);
        add_run(r, REDLINE_INS, pre, hb);
    }
    add_run(r, REDLINE_SAME, ha, r->na);
}

int redline_is_break(const redline_word *w)
{
    return w->len == 1 && w->s[0] == '\n';
}

void redline_release(redline *r)
{
    if (!r)
        return;
    free(r->a);
    free(r->b);
    free(r->runs);
    memset(r, 0, sizeof *r);
}
