/* dates: calendar arithmetic for review dates. Dates are days since
 * 1970-01-01 in the proleptic Gregorian calendar (negative before 1970);
 * durations are the "12 months", "1 year", "90 days" strings of front matter
 * and site.yml. All UTC: a build's outcome must not depend on its time zone. */
#ifndef CHARTER_DATES_H
#define CHARTER_DATES_H

#include <stddef.h>

typedef struct duration {
    int months;
    int days;
} duration;

/* Days since the epoch of y-m-d (no validation: callers check first). */
long date_from_civil(int y, int m, int d);
/* Splits days since the epoch into year, month (1-12) and day (1-31). */
void date_to_civil(long days, int *y, int *m, int *d);
int date_days_in_month(int y, int m);
/* True if y-m-d exists in the proleptic Gregorian calendar. */
int date_is_real(int y, int m, int d);
/* Reads the shape YYYY-MM-DD from the first 10 bytes of s (len >= 10),
 * without checking the calendar. Returns 0, or -1 if the shape is wrong. */
int date_split(const char *s, size_t len, int *y, int *m, int *d);
/* Reads a date written with the month's name: "Jun 1 2018", "June 1, 2018",
 * "1 June 2018", "15-Mar-2026", "Mar. 15, 2026", "March 15th, 2026"
 * (English names or their three-letter forms, any case), without checking
 * the calendar. Returns 0, or -1 for any other text. */
int date_split_words(const char *s, int *y, int *m, int *d);
/* Reads a date in numbers other than YYYY-MM-DD that reads one way only:
 * "2026-3-5" (YAML 1.1's timestamp), "2026/03/15" (year first), "15.03.2026"
 * (day first, with full stops, as Europe writes it), "15/03/2026" and
 * "03/15/2026" (also with '-': the number over 12 is the day; 05/05/2026 too), without
 * checking the calendar. "03/04/2026" reads two ways: -2; any other text
 * -1. */
int date_split_numbers(const char *s, int *y, int *m, int *d);
/* Parses exactly YYYY-MM-DD (len == 10) into days since the epoch. Returns
 * 0, or -1 if malformed or not a real date (2024-02-30). */
int date_parse(long *out, const char *s, size_t len);
/* Formats days since the epoch as YYYY-MM-DD into out (11 bytes, NUL
 * included); days outside 0000-01-01..9999-12-31 are clamped to that range. */
void date_format(char out[11], long days);

/* Parses "<n> <unit>" where unit is day(s), week(s), month(s) or year(s),
 * n a positive integer below 10000, or a word policy templates use
 * ("annual", "yearly", "semi-annual", "quarterly", "monthly", "weekly",
 * "biennial"). Returns 0, or -1 if malformed. */
int duration_parse(duration *out, const char *s);
/* Adds d to date: months first, clamping the day to the month's end
 * (2024-01-31 + 1 month = 2024-02-29), then days. */
long date_add(long date, duration d);
/* Today's date in UTC. */
long date_today(void);

#endif
