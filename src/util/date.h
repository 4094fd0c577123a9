/* Calendar dates and Europe/Helsinki date-times, as plain integers.
 *
 * A date is a day number: days since 1970-01-01 (int32_t). A date-time is
 * seconds since the Unix epoch, UTC (int64_t). Finland's clock is computed
 * here from the EU rule in force since 1996 (UTC+2, and UTC+3 from the last
 * Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC), so the
 * core needs no tz database and every result is reproducible in tests. */
#ifndef KAIKU_UTIL_DATE_H
#define KAIKU_UTIL_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DATE_STR_LEN     11 /* "YYYY-MM-DD" + NUL */
#define DATETIME_STR_LEN 26 /* "YYYY-MM-DDTHH:MM:SS+HH:MM" + NUL */

/* Dates supported: years 1900..9999. */
bool date_ymd_valid(int y, int m, int d);
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t day, int *y, int *m, int *d);
int date_year(int32_t day);

/* Strict "YYYY-MM-DD". Returns 0 or -1. */
int date_parse(const char *s, int32_t *out);
void date_format(int32_t day, char out[DATE_STR_LEN]);

/* The same calendar date `years` later; 29 February becomes 28 February in
 * a year that has none (R4). */
int32_t date_add_years(int32_t day, int years);

/* Seconds east of UTC on Finnish clocks at the instant t (7200 or 10800). */
int hki_offset_at(int64_t t);

/* Finnish wall-clock time of instant t. */
void hki_to_local(int64_t t, int32_t *day, int *sec_of_day);
int32_t hki_day(int64_t t);

/* The instant at which Finnish clocks show `day` + `sec_of_day`. A time that
 * clocks skip (spring, 03:00–03:59) is moved forward by the hour skipped; a
 * time shown twice (autumn, 03:00–03:59) is its first, summer-time instant. */
int64_t hki_from_local(int32_t day, int sec_of_day);

/* "YYYY-MM-DDTHH:MM[:SS]" optionally followed by "Z" or "±HH:MM"; without an
 * offset the time is Finnish local time. Returns 0 or -1. */
int datetime_parse(const char *s, int64_t *out);
/* Finnish local time with its offset, "2020-02-03T18:00:00+02:00". */
void datetime_format(int64_t t, char out[DATETIME_STR_LEN]);

#endif
