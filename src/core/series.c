/* Recurring admissions: the opening days of a series (core/series.h). */
#include "core/series.h"

#include "util/date.h"

static const char *const weekday_list[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const struct name_table weekday_names = {weekday_list, 7};

int series_weekday(int32_t day)
{
    /* 1 January 2024 was a Monday */
    int32_t monday = date_from_ymd(2024, 1, 1);
    return (int)(((day - monday) % 7 + 7) % 7);
}

int series_days(int32_t first, int32_t last, unsigned weekdays, const int32_t *exceptions, size_t n,
                int32_t out[SERIES_DAYS_MAX], struct error_details *d)
{
    if (last < first || (int64_t)last - first + 1 > SERIES_DAYS_MAX)
        return error_field(d, ERR_INVALID_REQUEST, "last_day");
    if (weekdays == 0 || (weekdays & ~SERIES_WEEKDAYS_ALL) != 0)
        return error_field(d, ERR_INVALID_REQUEST, "weekdays");
    int count = 0;
    for (int32_t day = first; day <= last; day++) {
        if (!(weekdays & (1u << series_weekday(day))))
            continue;
        bool excepted = false;
        for (size_t i = 0; i < n && !excepted; i++)
            excepted = exceptions[i] == day;
        if (!excepted)
            out[count++] = day;
    }
    if (count == 0)
        return error_field(d, ERR_INVALID_REQUEST, "exceptions");
    return count;
}
