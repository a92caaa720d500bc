/* test_redline: the word-level comparison behind charter diff's redlines
 * (redline.c), and diff_html_text, which gives it the rendered text. */
#include "unit.h"

#include "diff.h"
#include "redline.h"

/* The redline as "=kept -deleted +inserted" runs, for comparing. */
static char *show(const redline *r)
{
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < r->n_runs; i++) {
        const redline_run *run = &r->runs[i];
        const redline_word *w = run->op == REDLINE_INS ? r->b : r->a;
        buf_adds(&b, i ? " " : "");
        buf_addc(&b, run->op == REDLINE_SAME ? '=' : run->op == REDLINE_DEL ? '-' : '+');
        for (size_t k = run->from; k < run->to; k++) {
            buf_adds(&b, k > run->from ? "_" : "");
            if (redline_is_break(&w[k]))
                buf_adds(&b, "\\n");
            else
                buf_add(&b, w[k].s, w[k].len);
        }
    }
    return buf_detach(&b);
}

static const struct {
    const char *a, *b, *want;
    size_t deleted, inserted;
} cases[] = {
    {"a b c", "a b c", "=a_b_c", 0, 0},
    {"", "", "", 0, 0},
    {"", "new words", "+new_words", 0, 2},
    {"old words", "", "-old_words", 2, 0},
    {"the cat sat", "the black cat sat", "=the +black =cat_sat", 0, 1},
    {"the cat sat", "the dog sat", "=the -cat +dog =sat", 1, 1},
    {"a  b\tc", "a b c", "=a_b_c", 0, 0}, /* whitespace is not compared */
    {"one two\n\nthree", "one two\nthree four", "=one_two_\\n_three +four", 0, 1},
    {"one two three", "one\ntwo three", "=one +\\n =two_three", 0, 0}, /* a break: no word */
    {"x y z x y z", "z y x", "-x_y =z -x =y -z +x", 4, 1},
};

Test(redline, cases)
{
    for (size_t i = 0; i < COUNT(cases); i++) {
        redline r;
        redline_compare(&r, cases[i].a, strlen(cases[i].a), cases[i].b, strlen(cases[i].b));
        char *got = show(&r);
        cr_expect_str_eq(got, cases[i].want, "'%s' -> '%s'", cases[i].a, cases[i].b);
        cr_expect_eq(r.deleted, cases[i].deleted, "deleted, case %zu", i);
        cr_expect_eq(r.inserted, cases[i].inserted, "inserted, case %zu", i);
        cr_expect_eq(r.coarse, 0);
        free(got);
        redline_release(&r);
    }
}

/* The shortest edit: each run list, applied to a, gives b. */
Test(redline, applies)
{
    const char *a = "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12";
    const char *b = "w1 w3 w4 x w5 w6 w8 w9 y z w10 w12 w13";
    redline r;
    redline_compare(&r, a, strlen(a), b, strlen(b));
    buf out;
    buf_init(&out);
    for (size_t i = 0; i < r.n_runs; i++) {
        const redline_run *run = &r.runs[i];
        if (run->op == REDLINE_DEL)
            continue;
        const redline_word *w = run->op == REDLINE_INS ? r.b : r.a;
        for (size_t k = run->from; k < run->to; k++) {
            buf_adds(&out, out.len ? " " : "");
            buf_add(&out, w[k].s, w[k].len);
        }
    }
    cr_expect_str_eq(out.data, b);
    cr_expect_eq(r.deleted, 3, "w2, w7 and w11 deleted");
    cr_expect_eq(r.inserted, 4, "x, y, z and w13 inserted: the shortest edit");
    buf_release(&out);
    redline_release(&r);
}

/* Texts too different to compare word by word: one deletion, one insertion. */
Test(redline, coarse)
{
    buf a, b;
    buf_init(&a);
    buf_init(&b);
    for (int i = 0; i < 3000; i++) {
        buf_printf(&a, "a%d ", i);
        buf_printf(&b, "b%d ", i);
    }
    redline r;
    redline_compare(&r, a.data, a.len, b.data, b.len);
    cr_expect_eq(r.coarse, 1);
    cr_expect_eq(r.n_runs, 2);
    cr_expect_eq(r.deleted, 3000);
    cr_expect_eq(r.inserted, 3000);
    redline_release(&r);
    buf_release(&a);
    buf_release(&b);
}

Test(redline, html_text)
{
    const char *html = "<h2 id=\"x\">Rules &amp; more</h2>\n<p>One <em>two</em>\nthree&#233;"
                       "&#x2014;&lt;b&gt;</p><ul><li>item</li></ul>";
    buf out;
    buf_init(&out);
    diff_html_text(&out, html, strlen(html));
    cr_expect_str_eq(out.data,
                     "\nRules & more\n \nOne two three\xc3\xa9\xe2\x80\x94<b>\n\n\nitem\n\n");
    buf_release(&out);
}
