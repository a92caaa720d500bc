/* fuzz_dates: the calendar a review's due date rests on (dates.h), and the
 * dates and durations authors write. The input is `<8 bytes><text>`: the
 * bytes make a day of 0000-01-01..9999-12-31 and a duration of up to 9999
 * months and 9999 days; the text goes to every date and duration reader.
 * Checked: the day's y-m-d is the one glibc's timegm() gives and reads back
 * from date_to_civil, date_format and date_parse; date_add gives the
 * months' clamped day, then the days; a date read from the text in any
 * shape, written back as YYYY-MM-DD (or the shape it was read in), reads
 * the same again; a duration read is within its bounds. tests/fuzz/README.md. */
#include "fuzz.h"

#include "buf.h"
#include "dates.h"

#include <time.h>

/* Days since the epoch by glibc: an oracle written by others. */
static long glibc_days(int y, int m, int d)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = 12;
    time_t t = timegm(&tm);
    return (long)((t - 12 * 3600) / 86400);
}

static void check_day(long days)
{
    int y, m, d;
    date_to_civil(days, &y, &m, &d);
    FUZZ_CHECK(y >= 0 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m));
    FUZZ_CHECK(date_is_real(y, m, d));
    FUZZ_CHECK(date_from_civil(y, m, d) == days);
    FUZZ_CHECK(glibc_days(y, m, d) == days);
    char s[11];
    date_format(s, days);
    long back;
    FUZZ_CHECK(date_parse(&back, s, 10) == 0 && back == days);
    int y2, m2, d2;
    FUZZ_CHECK(date_split(s, 10, &y2, &m2, &d2) == 0 && y2 == y && m2 == m && d2 == d);
}

static void check_add(long days, duration du)
{
    int y, m, d;
    date_to_civil(days, &y, &m, &d);
    long total = (long)y * 12 + (m - 1) + du.months;
    int y2 = (int)(total / 12), m2 = (int)(total % 12) + 1;
    if (y2 > 9999)
        return; /* beyond what date_format shows */
    int last = date_days_in_month(y2, m2), d2 = d < last ? d : last;
    long want = glibc_days(y2, m2, d2) + du.days;
    FUZZ_CHECK(date_add(days, du) == want);
}

/* A date read from text in some shape reads the same written back. */
static void check_read(const char *text)
{
    int y, m, d;
    if (date_split_words(text, &y, &m, &d) == 0) {
        FUZZ_CHECK(m >= 1 && m <= 12 && y >= 0 && d >= 0);
    }
    if (date_split_words(text, &y, &m, &d) == 0 && y <= 9999 && date_is_real(y, m, d)) {
        static const char *const months[] = {"January",   "February", "March",    "April",
                                             "May",       "June",     "July",     "August",
                                             "September", "October",  "November", "December"};
        buf b;
        buf_init(&b);
        buf_printf(&b, "%s %d, %04d", months[m - 1], d, y);
        int y2, m2, d2;
        FUZZ_CHECK(date_split_words(b.data, &y2, &m2, &d2) == 0 && y2 == y && m2 == m && d2 == d);
        buf_release(&b);
    }
    int rc = date_split_numbers(text, &y, &m, &d);
    FUZZ_CHECK(rc == 0 || rc == -1 || rc == -2);
    if (rc == 0 && y >= 0 && y <= 9999 && date_is_real(y, m, d)) {
        buf b;
        buf_init(&b);
        buf_printf(&b, "%04d/%02d/%02d", y, m, d);
        int y2, m2, d2;
        FUZZ_CHECK(date_split_numbers(b.data, &y2, &m2, &d2) == 0 && y2 == y && m2 == m && d2 == d);
        buf_release(&b);
    }
    duration du;
    if (duration_parse(&du, text) == 0) {
        FUZZ_CHECK(du.months >= 0 && du.days >= 0 && du.months + du.days > 0);
        FUZZ_CHECK(du.months <= 9999 * 12 && du.days <= 9999 * 7);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    long first = date_from_civil(0, 1, 1), last = date_from_civil(9999, 12, 31);
    uint32_t v = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
                 (uint32_t)data[3] << 24;
    long days = first + (long)(v % (uint32_t)(last - first + 1));
    duration du = {(data[4] | data[5] << 8) % 10000, (data[6] | data[7] << 8) % 10000};
    check_day(days);
    check_add(days, du);
    char *text = xstrndup((const char *)data + 8, size - 8);
    check_read(text);
    free(text);
    return 0;
}
