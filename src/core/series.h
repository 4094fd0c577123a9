/* Recurring admissions for walk-in venues (swimming halls, sports halls,
 * museums): a series of day tickets, one event of kind `daily` per opening
 * day of a period, each with its own cap under R15's `daily` line. The
 * days are worked out here, as a pure function of the period, the weekdays
 * and the exception dates; the store writes them in one transaction. */
#ifndef KAIKU_CORE_SERIES_H
#define KAIKU_CORE_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/model.h"

/* The longest period one form or extension creates: a year, as a leap
 * year has it (docs/decisions.md). */
#define SERIES_DAYS_MAX 366
/* Exception dates one form takes. */
#define SERIES_EXCEPTIONS_MAX 100

/* Weekdays as bits: bit 0 Monday … bit 6 Sunday (ISO 8601's order). */
#define SERIES_WEEKDAYS_ALL 0x7fu

/* The weekdays' names in bit order: "mon" … "sun" (the API's). */
extern const struct name_table weekday_names;

/* ISO weekday of a day number: 0 Monday … 6 Sunday. */
int series_weekday(int32_t day);

/* The opening days of [first, last] (day numbers, both inclusive): each day
 * whose weekday bit is in `weekdays` and which is not among the n
 * exceptions, in order, into out (room for SERIES_DAYS_MAX). Returns the
 * number of days (>= 1), or -ERR_INVALID_REQUEST with details.field:
 * "last_day" when last is before first or the period is longer than
 * SERIES_DAYS_MAX days, "weekdays" when none (or an unknown bit) is
 * chosen, "exceptions" when no day remains. */
int series_days(int32_t first, int32_t last, unsigned weekdays, const int32_t *exceptions, size_t n,
                int32_t out[SERIES_DAYS_MAX], struct error_details *d);

#endif
