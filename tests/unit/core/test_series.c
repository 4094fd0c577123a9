/* core/series.c: the opening days of a recurring admission (issue 17, item
 * 1: a day ticket for every opening day, R15's `daily` line per day). The
 * expected days are written out from a calendar: December 2026 begins on a
 * Tuesday. */
#include "testutil.h"

#include "core/series.h"
#include "util/date.h"

#define DEC(d) date_from_ymd(2026, 12, (d))
#define MON    (1u << 0)
#define TUE    (1u << 1)
#define WED    (1u << 2)
#define THU    (1u << 3)
#define FRI    (1u << 4)
#define SAT    (1u << 5)
#define SUN    (1u << 6)

static void test_weekday(void **state)
{
    (void)state;
    const struct {
        int y, m, d, weekday;
    } cases[] = {
        {2026, 12, 1, 1}, /* Tuesday */
        {2026, 12, 6, 6}, /* Sunday (Finland's Independence Day) */
        {2026, 12, 7, 0}, /* Monday */
        {2024, 2, 29, 3}, /* Thursday */
        {2000, 1, 1, 5},  /* Saturday */
        {1970, 1, 1, 3},  /* Thursday */
        {2027, 3, 14, 6}, /* Sunday */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        if (series_weekday(date_from_ymd(cases[i].y, cases[i].m, cases[i].d)) != cases[i].weekday)
            fail_msg("case %zu: %d", i,
                     series_weekday(date_from_ymd(cases[i].y, cases[i].m, cases[i].d)));
}

static void test_days(void **state)
{
    (void)state;
    const int32_t holidays[] = {DEC(6), DEC(24), DEC(25), DEC(26)};
    const struct {
        const char *what;
        int32_t first, last;
        unsigned weekdays;
        const int32_t *except;
        size_t nexcept;
        int rc; /* the number of days, or the error */
        const char *field;
        int32_t firsts[3]; /* the first days expected */
        int32_t final;     /* the last day expected */
    } cases[] = {
        {"every day of December",
         DEC(1),
         DEC(31),
         SERIES_WEEKDAYS_ALL,
         NULL,
         0,
         31,
         NULL,
         {DEC(1), DEC(2), DEC(3)},
         DEC(31)},
        {"weekdays of December",
         DEC(1),
         DEC(31),
         MON | TUE | WED | THU | FRI,
         NULL,
         0,
         23,
         NULL,
         {DEC(1), DEC(2), DEC(3)},
         DEC(31)},
        /* 24 (Thu) and 25 (Fri) fall on weekdays; 6 on a Sunday, 26 on a Saturday */
        {"weekdays without the holidays",
         DEC(1),
         DEC(31),
         MON | TUE | WED | THU | FRI,
         holidays,
         4,
         21,
         NULL,
         {DEC(1), DEC(2), DEC(3)},
         DEC(31)},
        /* 5 Tuesdays, 5 Thursdays, 4 Sundays, less the 6th (Sun) and the 24th (Thu) */
        {"a swimming hall open Tue, Thu, Sun",
         DEC(1),
         DEC(31),
         TUE | THU | SUN,
         holidays,
         4,
         12,
         NULL,
         {DEC(1), DEC(3), DEC(8)},
         DEC(31)},
        {"weekends only",
         DEC(1),
         DEC(13),
         SAT | SUN,
         NULL,
         0,
         4,
         NULL,
         {DEC(5), DEC(6), DEC(12)},
         DEC(13)},
        {"one day", DEC(7), DEC(7), MON, NULL, 0, 1, NULL, {DEC(7)}, DEC(7)},
        {"a year and a day is one day too many",
         DEC(1),
         DEC(1) + SERIES_DAYS_MAX,
         SERIES_WEEKDAYS_ALL,
         NULL,
         0,
         -ERR_INVALID_REQUEST,
         "last_day",
         {0},
         0},
        {"the longest period",
         DEC(1),
         DEC(1) + SERIES_DAYS_MAX - 1,
         SERIES_WEEKDAYS_ALL,
         NULL,
         0,
         SERIES_DAYS_MAX,
         NULL,
         {DEC(1), DEC(2), DEC(3)},
         DEC(1) + SERIES_DAYS_MAX - 1},
        {"reversed",
         DEC(10),
         DEC(9),
         SERIES_WEEKDAYS_ALL,
         NULL,
         0,
         -ERR_INVALID_REQUEST,
         "last_day",
         {0},
         0},
        {"no weekday", DEC(1), DEC(31), 0, NULL, 0, -ERR_INVALID_REQUEST, "weekdays", {0}, 0},
        {"an eighth weekday",
         DEC(1),
         DEC(31),
         1u << 7,
         NULL,
         0,
         -ERR_INVALID_REQUEST,
         "weekdays",
         {0},
         0},
        {"every day an exception",
         DEC(24),
         DEC(26),
         SERIES_WEEKDAYS_ALL,
         holidays,
         4,
         -ERR_INVALID_REQUEST,
         "exceptions",
         {0},
         0},
        {"no chosen weekday in the period",
         DEC(1),
         DEC(4),
         SAT | SUN,
         NULL,
         0,
         -ERR_INVALID_REQUEST,
         "exceptions",
         {0},
         0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int32_t out[SERIES_DAYS_MAX];
        struct error_details d = {0};
        int rc = series_days(cases[i].first, cases[i].last, cases[i].weekdays, cases[i].except,
                             cases[i].nexcept, out, &d);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
        if (rc < 0) {
            assert_string_equal(d.field, cases[i].field);
            continue;
        }
        for (int k = 0; k < 3 && k < rc; k++)
            if (out[k] != cases[i].firsts[k])
                fail_msg("case %zu (%s): day %d is %d", i, cases[i].what, k, out[k]);
        if (out[rc - 1] != cases[i].final)
            fail_msg("case %zu (%s): last day %d", i, cases[i].what, out[rc - 1]);
        for (int k = 1; k < rc; k++)
            assert_true(out[k] > out[k - 1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
