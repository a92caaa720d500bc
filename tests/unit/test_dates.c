/* test_dates: days-from-civil and back across two centuries, month lengths,
 * review durations ("12 months") and adding them with end-of-month clamping.
 * date_parse and date_format live in yaml.h and are tested with yaml. */
#include <string.h>
#include "unit.h"

#include "dates.h"

/* ---- civil dates ---- */

static const struct {
    int y, m, d;
    long days;
} known_dates[] = {
    {1970, 1, 1, 0},      {1969, 12, 31, -1},    {1970, 1, 2, 1},
    {1900, 1, 1, -25567}, {2000, 3, 1, 11017},   {2000, 2, 29, 11016},
    {2024, 2, 29, 19782}, {2100, 12, 31, 47846}, {1600, 1, 1, -135140},
};

Test(dates, known_days)
{
    for (size_t i = 0; i < COUNT(known_dates); i++) {
        int y, m, d;
        long days = date_from_civil(known_dates[i].y, known_dates[i].m, known_dates[i].d);
        cr_expect_eq(days, known_dates[i].days, "%04d-%02d-%02d gave %ld", known_dates[i].y,
                     known_dates[i].m, known_dates[i].d, days);
        date_to_civil(known_dates[i].days, &y, &m, &d);
        cr_expect(y == known_dates[i].y && m == known_dates[i].m && d == known_dates[i].d,
                  "%ld gave %04d-%02d-%02d", known_dates[i].days, y, m, d);
    }
}

Test(dates, round_trip_1900_to_2100)
{
    long prev = date_from_civil(1899, 12, 31);
    long leap_days = 0;
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            int dim = date_days_in_month(y, m);
            for (int d = 1; d <= dim; d++) {
                long days = date_from_civil(y, m, d);
                cr_assert_eq(days, prev + 1, "%04d-%02d-%02d is not the day after", y, m, d);
                int yy, mm, dd;
                date_to_civil(days, &yy, &mm, &dd);
                cr_assert(yy == y && mm == m && dd == d,
                          "%04d-%02d-%02d came back as %04d-%02d-%02d", y, m, d, yy, mm, dd);
                prev = days;
                leap_days += m == 2 && d == 29;
            }
        }
    }
    /* 1904..2096 by fours, minus 2100 and 1900, plus 2000: 49 leap days. */
    cr_assert_eq(leap_days, 49);
    cr_assert_eq(prev, 47846);
}

static const struct {
    int y, m, days;
} month_cases[] = {
    {2023, 1, 31},  {2023, 2, 28}, {2024, 2, 29}, {1900, 2, 28},  {2000, 2, 29},
    {2100, 2, 28},  {2400, 2, 29}, {2023, 4, 30}, {2023, 6, 30},  {2023, 9, 30},
    {2023, 11, 30}, {2023, 7, 31}, {2023, 8, 31}, {2023, 12, 31},
};

Test(dates, days_in_month)
{
    for (size_t i = 0; i < COUNT(month_cases); i++)
        cr_expect_eq(date_days_in_month(month_cases[i].y, month_cases[i].m), month_cases[i].days,
                     "%04d-%02d", month_cases[i].y, month_cases[i].m);
}

/* ---- durations ---- */

static const struct {
    const char *s;
    int months, days;
} duration_ok[] = {
    {"12 months", 12, 0}, {"1 month", 1, 0},   {"1 year", 12, 0},      {"2 years", 24, 0},
    {"90 days", 0, 90},   {"1 day", 0, 1},     {"2 weeks", 0, 14},     {"1 week", 0, 7},
    {" 6 Months ", 6, 0}, {"3 YEARS", 36, 0},  {"9999 days", 0, 9999}, {"1\tyear\n", 12, 0},
    {"annual", 12, 0},    {"Annually", 12, 0}, {"yearly ", 12, 0},     {"semi-annual", 6, 0},
    {"Quarterly", 3, 0},  {"monthly", 1, 0},   {"weekly", 0, 7},       {"biennial", 24, 0},
};

Test(dates, duration_parse_valid)
{
    for (size_t i = 0; i < COUNT(duration_ok); i++) {
        duration d = {-1, -1};
        int rc = duration_parse(&d, duration_ok[i].s);
        cr_expect_eq(rc, 0, "'%s' refused", duration_ok[i].s);
        cr_expect(d.months == duration_ok[i].months && d.days == duration_ok[i].days,
                  "'%s' gave %d months %d days", duration_ok[i].s, d.months, d.days);
    }
}

static const char *const duration_bad[] = {
    "",
    "   ",
    "months",
    "0 days",
    "-1 days",
    "+1 days",
    "12",
    "12 fortnights",
    "10000 days",
    "99999999999999999999 days",
    "1.5 years",
    "one year",
    "12 months ago",
    "12 month s",
    "days 12",
    "annual review",
    "biannual",
    "daily-ish",
};

Test(dates, duration_parse_invalid)
{
    for (size_t i = 0; i < COUNT(duration_bad); i++) {
        duration d = {0, 0};
        cr_expect_eq(duration_parse(&d, duration_bad[i]), -1, "'%s' accepted as %d months %d days",
                     duration_bad[i], d.months, d.days);
    }
}

/* ---- date_add ---- */

static const struct {
    int y, m, d;
    const char *dur;
    int wy, wm, wd;
} add_cases[] = {
    {2024, 1, 31, "1 month", 2024, 2, 29},   {2023, 1, 31, "1 month", 2023, 2, 28},
    {2024, 3, 31, "1 month", 2024, 4, 30},   {2024, 1, 15, "1 month", 2024, 2, 15},
    {2024, 1, 31, "12 months", 2025, 1, 31}, {2024, 2, 29, "1 year", 2025, 2, 28},
    {2024, 2, 29, "4 years", 2028, 2, 29},   {2023, 12, 15, "1 month", 2024, 1, 15},
    {2023, 11, 30, "3 months", 2024, 2, 29}, {2024, 1, 1, "90 days", 2024, 3, 31},
    {2023, 1, 1, "90 days", 2023, 4, 1},     {2023, 12, 31, "1 day", 2024, 1, 1},
    {2023, 12, 25, "2 weeks", 2024, 1, 8},   {1999, 12, 31, "1 day", 2000, 1, 1},
    {2024, 5, 10, "24 months", 2026, 5, 10}, {2099, 12, 31, "1 year", 2100, 12, 31},
    {1969, 12, 31, "1 month", 1970, 1, 31},  {1969, 6, 15, "1 year", 1970, 6, 15},
};

Test(dates, add)
{
    for (size_t i = 0; i < COUNT(add_cases); i++) {
        duration dur;
        cr_assert_eq(duration_parse(&dur, add_cases[i].dur), 0, "'%s'", add_cases[i].dur);
        long from = date_from_civil(add_cases[i].y, add_cases[i].m, add_cases[i].d);
        int y, m, d;
        date_to_civil(date_add(from, dur), &y, &m, &d);
        cr_expect(y == add_cases[i].wy && m == add_cases[i].wm && d == add_cases[i].wd,
                  "%04d-%02d-%02d + %s gave %04d-%02d-%02d, want %04d-%02d-%02d", add_cases[i].y,
                  add_cases[i].m, add_cases[i].d, add_cases[i].dur, y, m, d, add_cases[i].wy,
                  add_cases[i].wm, add_cases[i].wd);
    }
}

Test(dates, add_months_and_days_together)
{
    /* Months first, then days: 2024-01-31 + (1 month, 1 day) = 2024-03-01. */
    duration dur = {1, 1};
    int y, m, d;
    date_to_civil(date_add(date_from_civil(2024, 1, 31), dur), &y, &m, &d);
    cr_assert(y == 2024 && m == 3 && d == 1, "got %04d-%02d-%02d", y, m, d);
}

Test(dates, today_is_plausible)
{
    long today = date_today();
    /* After 2024-01-01 and before 2200-01-01 for the life of this code. */
    cr_assert_gt(today, date_from_civil(2024, 1, 1));
    cr_assert_lt(today, date_from_civil(2200, 1, 1));
}

Test(dates, month_names)
{
    static const struct {
        const char *s;
        int ok, y, m, d;
    } cases[] = {
        {"Jun 1 2018", 1, 2018, 6, 1},
        {"June 1, 2018", 1, 2018, 6, 1},
        {"1 June 2018", 1, 2018, 6, 1},
        {"sept 30 2020", 1, 2020, 9, 30},
        {"DEC 31, 1999", 1, 1999, 12, 31},
        {"Jun 2018", 0, 0, 0, 0},
        {"Jun 1 18", 0, 0, 0, 0},
        {"Jun 32 2018", 0, 0, 0, 0},
        {"Junk 1 2018", 0, 0, 0, 0},
        {"1 2 2018", 0, 0, 0, 0},
        {"2018 Jun 1", 0, 0, 0, 0},
        {"Jun 1 2018 extra", 0, 0, 0, 0},
        {"", 0, 0, 0, 0},
        {"May May 2018", 0, 0, 0, 0},
        {"15-Mar-2026", 1, 2026, 3, 15},
        {"Mar. 15, 2026", 1, 2026, 3, 15},
        {"March 15th, 2026", 1, 2026, 3, 15},
        {"1st June 2018", 1, 2018, 6, 1},
        {"Jun 15xx 2018", 0, 0, 0, 0},
        {"15-03-2026", 0, 0, 0, 0},
        {"Ma. 15 2026", 0, 0, 0, 0},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        int y = 0, m = 0, d = 0;
        int rc = date_split_words(cases[i].s, &y, &m, &d);
        cr_expect_eq(rc == 0, cases[i].ok, "'%s': rc %d", cases[i].s, rc);
        if (!strcmp(cases[i].s, "03/04/2026"))
            cr_expect_eq(rc, -2, "'03/04/2026' reads two ways: rc %d", rc);
        if (cases[i].ok)
            cr_expect(y == cases[i].y && m == cases[i].m && d == cases[i].d,
                      "'%s' gave %04d-%02d-%02d", cases[i].s, y, m, d);
    }
}

/* Dates in numbers that read one way only (YAML 1.1's 2026-3-5, year
 * first with slashes, day first with full stops, day and month with '/'
 * or '-' in the order the number over 12 decides); month and day unsure
 * ("03/04/2026": -2) or trailing text: none. */
Test(dates, numbers)
{
    static const struct {
        const char *s;
        int ok, y, m, d;
    } cases[] = {
        {"2026-3-5", 1, 2026, 3, 5},
        {"2026/03/15", 1, 2026, 3, 15},
        {"2026/3/5", 1, 2026, 3, 5},
        {"15.03.2026", 1, 2026, 3, 15},
        {"5.3.2026", 1, 2026, 3, 5},
        {"03/04/2026", 0, 0, 0, 0},
        {"15/03/2026", 1, 2026, 3, 15},
        {"2026-3-5x", 0, 0, 0, 0},
        {"2026-03/15", 0, 0, 0, 0},
        {"03/15/2026", 1, 2026, 3, 15},
        {"15-03-2026", 1, 2026, 3, 15},
        {"3-15-2026", 1, 2026, 3, 15},
        {"13/13/2026", 0, 0, 0, 0},
        {"0/15/2026", 0, 0, 0, 0},
        {"15/03-2026", 0, 0, 0, 0},
        {"15/03/26", 0, 0, 0, 0},
        {"05/05/2026", 1, 2026, 5, 5},
        {"12-12-2025", 1, 2025, 12, 12},
        {"15.03.26", 0, 0, 0, 0},
        {"2026.03.15", 0, 0, 0, 0},
        {"", 0, 0, 0, 0},
        {"2026-123-1", 0, 0, 0, 0},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        int y = 0, m = 0, d = 0;
        int rc = date_split_numbers(cases[i].s, &y, &m, &d);
        cr_expect_eq(rc == 0, cases[i].ok, "'%s': rc %d", cases[i].s, rc);
        if (!strcmp(cases[i].s, "03/04/2026"))
            cr_expect_eq(rc, -2, "'03/04/2026' reads two ways: rc %d", rc);
        if (cases[i].ok)
            cr_expect(y == cases[i].y && m == cases[i].m && d == cases[i].d,
                      "'%s' gave %04d-%02d-%02d", cases[i].s, y, m, d);
    }
}
