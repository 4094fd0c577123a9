/* util/date.c: calendar days and Finnish clocks (used by R4, R5, R17). */
#include "testutil.h"

#include <string.h>

#include "util/date.h"

static void test_date_roundtrip(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int ok;
    } cases[] = {
        {"1970-01-01", 1}, {"2020-02-29", 1}, {"2021-02-29", 0}, {"1900-02-29", 0},
        {"2000-02-29", 1}, {"2020-13-01", 0}, {"2020-1-01", 0},  {"2020-01-01x", 0},
        {"1899-12-31", 0}, {"9999-12-31", 1}, {"", 0},           {"2020-04-31", 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int32_t day = 0;
        int rc = date_parse(cases[i].text, &day);
        assert_int_equal(rc == 0, cases[i].ok);
        if (rc == 0) {
            char out[DATE_STR_LEN];
            date_format(day, out);
            assert_string_equal(out, cases[i].text);
        }
    }
    assert_int_equal(D(1970, 1, 1), 0);
    assert_int_equal(D(2020, 3, 1) - D(2020, 2, 28), 2);
}

/* R4: the same calendar date one year later, 29 February → 28 February. */
static void test_date_add_years_R4(void **state)
{
    (void)state;
    const struct {
        int32_t from, to;
    } cases[] = {
        {D(2020, 2, 29), D(2021, 2, 28)},   {D(2019, 3, 1), D(2020, 3, 1)},
        {D(2020, 1, 31), D(2021, 1, 31)},   {D(2023, 2, 28), D(2024, 2, 28)},
        {D(2019, 12, 31), D(2020, 12, 31)},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_int_equal(date_add_years(cases[i].from, 1), cases[i].to);
}

/* R17 needs Finnish clocks: UTC+2 in winter, UTC+3 from the last Sunday of
 * March 01:00 UTC to the last Sunday of October 01:00 UTC. */
static void test_helsinki_offsets(void **state)
{
    (void)state;
    static const struct {
        const char *utc;
        int offset;
    } cases[] = {
        {"2020-01-15T12:00Z", 7200},     {"2020-07-15T12:00Z", 10800},
        {"2020-03-29T00:59:59Z", 7200},  {"2020-03-29T01:00Z", 10800},
        {"2020-10-25T00:59:59Z", 10800}, {"2020-10-25T01:00Z", 7200},
        {"2026-03-29T01:00Z", 10800},    {"2026-10-25T01:00Z", 7200},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_int_equal(hki_offset_at(T(cases[i].utc)), cases[i].offset);
}

static void test_datetime_parse_and_format(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *out; /* NULL: refused */
    } cases[] = {
        {"2020-02-03T18:00", "2020-02-03T18:00:00+02:00"},
        {"2020-07-03T18:00:30", "2020-07-03T18:00:30+03:00"},
        {"2020-02-03T16:00Z", "2020-02-03T18:00:00+02:00"},
        {"2020-02-03T18:00+02:00", "2020-02-03T18:00:00+02:00"},
        {"2020-02-03T12:00-05:00", "2020-02-03T19:00:00+02:00"},
        /* spring: 03:30 does not exist; it is read as 04:30 summer time */
        {"2020-03-29T03:30", "2020-03-29T04:30:00+03:00"},
        /* autumn: 03:30 happens twice; the first (summer time) is meant */
        {"2020-10-25T03:30", "2020-10-25T03:30:00+03:00"},
        {"2020-10-25T04:30", "2020-10-25T04:30:00+02:00"},
        {"2020-02-03 18:00", NULL},
        {"2020-02-03T24:00", NULL},
        {"2020-02-03T18:00+2", NULL},
        {"2020-02-30T18:00", NULL},
        {"2020-02-03T18:00:00Zjunk", NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int64_t t = 0;
        int rc = datetime_parse(cases[i].in, &t);
        if (!cases[i].out) {
            assert_int_not_equal(rc, 0);
            continue;
        }
        assert_int_equal(rc, 0);
        char buf[DATETIME_STR_LEN];
        datetime_format(t, buf);
        assert_string_equal(buf, cases[i].out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_roundtrip),
        cmocka_unit_test(test_date_add_years_R4),
        cmocka_unit_test(test_helsinki_offsets),
        cmocka_unit_test(test_datetime_parse_and_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
