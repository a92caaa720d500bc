/* dates: Gregorian calendar arithmetic (days from civil and back, after
 * Howard Hinnant's public-domain algorithms, rewritten here) and review
 * durations. */
#include "dates.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

long date_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_to_civil(long days, int *y, int *m, int *d)
{
    days += 719468;
    long era = (days >= 0 ? days : days - 146096) / 146097;
    long doe = days - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int date_days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

int date_is_real(int y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

int date_split(const char *s, size_t len, int *y, int *m, int *d)
{
    static const char shape[] = "9999-99-99";
    int v[3] = {0, 0, 0}, k = 0;
    if (len < 10)
        return -1;
    for (size_t i = 0; i < 10; i++) {
        if (shape[i] == '-') {
            if (s[i] != '-')
                return -1;
            k++;
        } else if (s[i] < '0' || s[i] > '9') {
            return -1;
        } else {
            v[k] = v[k] * 10 + (s[i] - '0');
        }
    }
    *y = v[0];
    *m = v[1];
    *d = v[2];
    return 0;
}

int date_parse(long *out, const char *s, size_t len)
{
    int y, m, d;
    if (len != 10 || date_split(s, len, &y, &m, &d) != 0 || !date_is_real(y, m, d))
        return -1;
    *out = date_from_civil(y, m, d);
    return 0;
}

void date_format(char out[11], long days)
{
    /* 0000-01-01 and 9999-12-31: what four digits of year can show. */
    const long lo = -719528, hi = 2932896;
    int y, m, d;
    date_to_civil(days < lo ? lo : days > hi ? hi : days, &y, &m, &d);
    /* Written digit by digit: a site's pages and histories format tens of
     * thousands of dates, and snprintf cost a thousand instructions each. */
    const int parts[3][2] = {{y, 4}, {m, 2}, {d, 2}};
    char *o = out;
    for (int k = 0; k < 3; k++) {
        if (k)
            *o++ = '-';
        for (int i = parts[k][1] - 1, v = parts[k][0]; i >= 0; i--, v /= 10)
            o[i] = (char)('0' + v % 10);
        o += parts[k][1];
    }
    *o = '\0';
}

int duration_parse(duration *out, const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    /* As policy templates write a review cycle: "annual", "quarterly". */
    static const struct {
        const char *name;
        int months, days;
    } words[] = {{"annual", 12, 0},      {"annually", 12, 0},     {"yearly", 12, 0},
                 {"semi-annual", 6, 0},  {"semi-annually", 6, 0}, {"semiannual", 6, 0},
                 {"semiannually", 6, 0}, {"half-yearly", 6, 0},   {"quarterly", 3, 0},
                 {"monthly", 1, 0},      {"weekly", 0, 7},        {"biennial", 24, 0},
                 {"biennially", 24, 0}};
    size_t wl = strlen(s);
    while (wl && isspace((unsigned char)s[wl - 1]))
        wl--;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strlen(words[i].name) == wl && strncasecmp(s, words[i].name, wl) == 0) {
            out->months = words[i].months;
            out->days = words[i].days;
            return 0;
        }
    }
    if (!isdigit((unsigned char)*s))
        return -1;
    char *end;
    long n = strtol(s, &end, 10);
    if (n <= 0 || n >= 10000)
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    size_t len = strlen(end);
    while (len && isspace((unsigned char)end[len - 1]))
        len--;
    static const struct {
        const char *name;
        int months, days;
    } units[] = {{"day", 0, 1},   {"days", 0, 1},   {"week", 0, 7},  {"weeks", 0, 7},
                 {"month", 1, 0}, {"months", 1, 0}, {"year", 12, 0}, {"years", 12, 0}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].name) == len && strncasecmp(end, units[i].name, len) == 0) {
            out->months = (int)n * units[i].months;
            out->days = (int)n * units[i].days;
            return 0;
        }
    }
    return -1;
}

long date_add(long date, duration dur)
{
    int y, m, d;
    if (dur.months) {
        date_to_civil(date, &y, &m, &d);
        long total = (long)y * 12 + (m - 1) + dur.months;
        y = (int)(total / 12);
        m = (int)(total % 12) + 1;
        int dim = date_days_in_month(y, m);
        date = date_from_civil(y, m, d > dim ? dim : d);
    }
    return date + dur.days;
}

long date_today(void)
{
    return (long)(time(NULL) / 86400);
}

/* The month a word names (1-12): its English name or first three letters. */
static int month_named(const char *w, size_t n)
{
    static const char *const names[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};
    for (int i = 0; i < 12; i++) {
        size_t full = strlen(names[i]);
        if ((n == 3 || n == full) && !strncasecmp(w, names[i], n))
            return i + 1;
        if (n == 4 && i == 8 && !strncasecmp(w, "sept", 4))
            return 9;
    }
    return 0;
}

/* Reads n digits (1 to max) at *p into *v. Returns 0, or -1. */
static int digits_at(const char **p, int max, int *v)
{
    int k = 0;
    *v = 0;
    while (k < max && **p >= '0' && **p <= '9') {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        k++;
    }
    return k ? 0 : -1;
}

int date_split_numbers(const char *s, int *y, int *m, int *d)
{
    const char *p = s;
    int a, b, c;
    if (digits_at(&p, 4, &a) != 0)
        return -1;
    size_t first = (size_t)(p - s);
    char sep = *p;
    if (first == 4 && (sep == '-' || sep == '/')) {
        /* 2026-3-5 (YAML 1.1's timestamp), 2026/03/15: year, month, day */
        p++;
        if (digits_at(&p, 2, &b) != 0 || *p++ != sep || digits_at(&p, 2, &c) != 0 || *p)
            return -1;
        *y = a, *m = b, *d = c;
        return 0;
    }
    if (first <= 2 && (sep == '/' || sep == '-')) {
        /* 15/03/2026 or 03/15/2026 (also with '-'), day and month in the
         * order the one over 12 decides; 03/04/2026 reads two ways: -2. */
        p++;
        const char *ys;
        if (digits_at(&p, 2, &b) != 0 || *p++ != sep || (ys = p, digits_at(&p, 4, &c)) != 0 ||
            p - ys != 4 || *p)
            return -1;
        if ((a > 12 && b >= 1 && b <= 12) || (a == b && a >= 1 && a <= 12))
            *y = c, *m = b, *d = a; /* 05/05/2026 reads one way too */
        else if (b > 12 && a >= 1 && a <= 12)
            *y = c, *m = a, *d = b;
        else
            return a >= 1 && a <= 12 && b >= 1 && b <= 12 ? -2 : -1;
        return 0;
    }
    if (first <= 2 && sep == '.') {
        /* 15.03.2026: day, month, year, as Europe writes it */
        p++;
        const char *ys;
        if (digits_at(&p, 2, &b) != 0 || *p++ != '.' || (ys = p, digits_at(&p, 4, &c)) != 0 ||
            p - ys != 4 || *p)
            return -1;
        *y = c, *m = b, *d = a;
        return 0;
    }
    return -1;
}

int date_split_words(const char *s, int *y, int *m, int *d)
{
    /* Three words: a month name, a day (1-31) and a year (4 digits), the
     * day before or after the month; a comma may follow the day. */
    const char *w[3];
    size_t wn[3], n = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '-')
            p++;
        if (!*p)
            break;
        if (n == 3)
            return -1;
        w[n] = p;
        while (*p && *p != ' ' && *p != ',' && *p != '-')
            p++;
        wn[n] = (size_t)(p - w[n]);
        n++;
    }
    if (n != 3)
        return -1;
    long num[3];
    int month = 0, mi = -1;
    for (size_t i = 0; i < 3; i++) {
        num[i] = -1;
        size_t digits = strspn(w[i], "0123456789");
        /* A day's ordinal: 1st, 2nd, 3rd, 15th */
        static const char *const ordinals[] = {"st", "nd", "rd", "th"};
        int ordinal = 0;
        for (int k = 0; k < 4 && digits && digits <= 2 && wn[i] == digits + 2; k++)
            ordinal |= !strncasecmp(w[i] + digits, ordinals[k], 2);
        /* An abbreviation's full stop: "Mar. 15, 2026" */
        size_t wl = wn[i] > 3 && w[i][wn[i] - 1] == '.' ? wn[i] - 1 : wn[i];
        if ((digits >= wn[i] && wn[i] <= 4) || ordinal) {
            num[i] = strtol(w[i], NULL, 10);
            wn[i] = digits;
        } else if (!month && (month = month_named(w[i], wl)) != 0) {
            mi = (int)i;
        } else {
            return -1;
        }
    }
    if (mi != 0 && mi != 1)
        return -1;
    long day = mi == 0 ? num[1] : num[0];
    size_t day_len = mi == 0 ? wn[1] : wn[0];
    if (wn[2] != 4 || day_len > 2 || day < 1 || day > 31)
        return -1;
    *y = (int)num[2];
    *m = month;
    *d = (int)day;
    return 0;
}
