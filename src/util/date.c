#include "util/date.h"

/* Day-number conversions after Howard Hinnant's public-domain algorithms
 * ("chrono-Compatible Low-Level Date Algorithms"). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

bool date_ymd_valid(int y, int m, int d)
{
    return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int32_t date_from_ymd(int y, int m, int d)
{
    return (int32_t)days_from_civil(y, m, d);
}

void date_to_ymd(int32_t day, int *y, int *m, int *d)
{
    int64_t z = (int64_t)day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

int date_year(int32_t day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    return y;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Parses "YYYY-MM-DD" at s; returns the number of bytes read or -1. */
static int parse_ymd(const char *s, int32_t *out)
{
    int y, m, d;
    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
        digits(s + 8, 2, &d) || !date_ymd_valid(y, m, d))
        return -1;
    *out = date_from_ymd(y, m, d);
    return 10;
}

int date_parse(const char *s, int32_t *out)
{
    int32_t day;
    if (parse_ymd(s, &day) != 10 || s[10] != '\0')
        return -1;
    *out = day;
    return 0;
}

/* Writes v as exactly `width` decimal digits at p (v >= 0). */
static char *put_digits(char *p, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

static char *put_ymd(char *p, int32_t day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    if (y < 0)
        y = 0;
    p = put_digits(p, y % 10000, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    return put_digits(p, d, 2);
}

void date_format(int32_t day, char out[DATE_STR_LEN])
{
    *put_ymd(out, day) = '\0';
}

int32_t date_add_years(int32_t day, int years)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    y += years;
    if (m == 2 && d == 29 && !is_leap(y))
        d = 28;
    return date_from_ymd(y, m, d);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Day number of the last Sunday of month m in year y. */
static int64_t last_sunday(int y, int m)
{
    int64_t last = days_from_civil(y, m, days_in_month(y, m));
    int64_t weekday = ((last % 7) + 7 + 4) % 7; /* 0 = Sunday; 1970-01-01 was a Thursday */
    return last - weekday;
}

int hki_offset_at(int64_t t)
{
    int y, m, d;
    date_to_ymd((int32_t)floor_div(t, 86400), &y, &m, &d);
    int64_t summer_from = last_sunday(y, 3) * 86400 + 3600;
    int64_t summer_until = last_sunday(y, 10) * 86400 + 3600;
    return t >= summer_from && t < summer_until ? 10800 : 7200;
}

void hki_to_local(int64_t t, int32_t *day, int *sec_of_day)
{
    int64_t local = t + hki_offset_at(t);
    int64_t dd = floor_div(local, 86400);
    *day = (int32_t)dd;
    *sec_of_day = (int)(local - dd * 86400);
}

int32_t hki_day(int64_t t)
{
    int32_t day;
    int sec;
    hki_to_local(t, &day, &sec);
    return day;
}

int64_t hki_from_local(int32_t day, int sec_of_day)
{
    int64_t local = (int64_t)day * 86400 + sec_of_day;
    int64_t summer = local - 10800, winter = local - 7200;
    if (hki_offset_at(summer) == 10800)
        return summer; /* also the first of two instants in autumn */
    /* Winter time, or a wall-clock time skipped in spring: local - 2 h is
     * then the instant one hour later on the clock. */
    return winter;
}

int datetime_parse(const char *s, int64_t *out)
{
    int32_t day;
    int hh, mm, ss = 0;
    if (parse_ymd(s, &day) != 10 || s[10] != 'T' || digits(s + 11, 2, &hh) || s[13] != ':' ||
        digits(s + 14, 2, &mm) || hh > 23 || mm > 59)
        return -1;
    const char *p = s + 16;
    if (*p == ':') {
        if (digits(p + 1, 2, &ss) || ss > 59)
            return -1;
        p += 3;
    }
    int sec = hh * 3600 + mm * 60 + ss;
    if (*p == '\0') {
        *out = hki_from_local(day, sec);
        return 0;
    }
    int offset = 0;
    if (p[0] == 'Z' && p[1] == '\0') {
        offset = 0;
    } else if (p[0] == '+' || p[0] == '-') {
        int oh, om;
        if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || p[6] != '\0' ||
            oh > 14 || om > 59)
            return -1;
        offset = (oh * 3600 + om * 60) * (p[0] == '-' ? -1 : 1);
    } else {
        return -1;
    }
    *out = (int64_t)day * 86400 + sec - offset;
    return 0;
}

void datetime_format(int64_t t, char out[DATETIME_STR_LEN])
{
    int32_t day;
    int sec;
    hki_to_local(t, &day, &sec);
    int off = hki_offset_at(t) / 60;
    char *p = put_ymd(out, day);
    *p++ = 'T';
    p = put_digits(p, sec / 3600, 2);
    *p++ = ':';
    p = put_digits(p, sec / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, sec % 60, 2);
    *p++ = '+';
    p = put_digits(p, off / 60, 2);
    *p++ = ':';
    p = put_digits(p, off % 60, 2);
    *p = '\0';
}
