/* core/window.c: booking and collection windows (R17) on Finnish clocks,
 * and the channels they apply to (R19). */
#include "testutil.h"

#include "core/rules.h"
#include "util/date.h"

static struct event event_at(int64_t starts_at, int32_t booking_days, int32_t collection_min)
{
    struct event e = {.id = 1, .venue = "teatteri-hilla", .name = "Kesäyöntaika"};
    e.kind = EVENT_PERFORMANCE;
    e.starts_at = starts_at;
    e.capacity = 100;
    e.cap = -1;
    e.booking_opens_days = booking_days;
    e.collection_opens_minutes = collection_min;
    return e;
}

/* R17: booking opens N calendar days before at the same Finnish wall-clock
 * time, whatever the clocks did in between. */
static void test_window_booking_opens_R17(void **state)
{
    (void)state;
    static const struct {
        const char *starts_at; /* Finnish local time */
        int32_t days;
        const char *opens; /* an instant: Finnish local or with offset */
    } cases[] = {
        {"2020-02-03T18:00", 30, "2020-01-04T18:00"},
        {"2020-02-03T18:00", 0, "2020-02-03T18:00"},
        /* summer-time event, booking opens in winter time: 18:00 at UTC+2 */
        {"2020-04-05T18:00", 30, "2020-03-06T18:00+02:00"},
        {"2020-04-05T18:00", 30, "2020-03-06T16:00Z"},
        /* winter-time event, booking opens in summer time: 18:00 at UTC+3 */
        {"2020-11-01T18:00", 30, "2020-10-02T18:00+03:00"},
        {"2020-11-01T18:00", 30, "2020-10-02T15:00Z"},
        /* one day across the spring change (23 hours) and the autumn one (25) */
        {"2020-03-29T18:00", 1, "2020-03-28T18:00+02:00"},
        {"2020-10-25T18:00", 1, "2020-10-24T18:00+03:00"},
        /* opening at 03:30 on the spring day: skipped, so 04:30 summer time */
        {"2020-04-28T03:30", 30, "2020-03-29T04:30+03:00"},
        /* opening at 03:30 on the autumn day: shown twice, the first counts */
        {"2020-11-24T03:30", 30, "2020-10-25T03:30+03:00"},
        /* 366 days back across 29 February */
        {"2021-03-01T18:00", 366, "2020-02-29T18:00"},
        /* midnight and the last minute of a day */
        {"2020-06-01T00:00", 7, "2020-05-25T00:00+03:00"},
        {"2020-12-31T23:59", 365, "2020-01-01T23:59+02:00"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s - %d days\n", cases[i].starts_at, cases[i].days);
        struct event e = event_at(T(cases[i].starts_at), cases[i].days, -1);
        assert_int_equal(window_booking_opens(&e), T(cases[i].opens));
    }
    /* The absolute distance is not N × 24 h across a clock change. */
    struct event spring = event_at(T("2020-03-29T18:00"), 1, -1);
    assert_int_equal(spring.starts_at - window_booking_opens(&spring), 23 * 3600);
    struct event autumn = event_at(T("2020-10-25T18:00"), 1, -1);
    assert_int_equal(autumn.starts_at - window_booking_opens(&autumn), 25 * 3600);
}

/* R17: collection opens M minutes before the start, counted in absolute
 * minutes (so the wall clock may show a different difference). */
static void test_window_collection_opens_R17(void **state)
{
    (void)state;
    static const struct {
        const char *starts_at;
        int32_t minutes;
        const char *opens;
    } cases[] = {
        {"2020-02-03T18:00", 30, "2020-02-03T17:30"},
        {"2020-02-03T18:00", 0, "2020-02-03T18:00"},
        {"2020-02-03T00:10", 30, "2020-02-02T23:40"},
        /* spring: 04:30 summer time is 01:30Z; 120 minutes earlier is 23:30Z,
         * 01:30 on the winter clock (the wall clock moved 3 hours) */
        {"2020-03-29T04:30", 120, "2020-03-28T23:30Z"},
        {"2020-03-29T04:30", 120, "2020-03-29T01:30+02:00"},
        /* autumn: 04:30 winter time is 02:30Z; 120 minutes earlier is 00:30Z,
         * 03:30 on the summer clock (the wall clock moved 1 hour) */
        {"2020-10-25T04:30", 120, "2020-10-25T00:30Z"},
        {"2020-10-25T04:30", 120, "2020-10-25T03:30+03:00"},
        {"2020-02-03T18:00", 7 * 24 * 60, "2020-01-27T18:00"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct event e = event_at(T(cases[i].starts_at), -1, cases[i].minutes);
        assert_int_equal(window_collection_opens(&e), T(cases[i].opens));
    }
}

/* R17/R19: window_check. Events already started or past are back-entries
 * and skip the windows; booking holds for every channel, collection only
 * for the box office. opens_at is reported as an instant. */
static void test_window_check_R17_R19(void **state)
{
    (void)state;
    const int64_t start = T("2020-04-05T18:00");
    const int64_t booking = T("2020-03-06T18:00");    /* 30 days before */
    const int64_t collection = T("2020-04-05T17:30"); /* 30 minutes before */
    const struct {
        const char *why;
        int32_t days, minutes;
        enum channel channel;
        int64_t now;
        int rc;
        int64_t opens_at;
    } cases[] = {
        {"no restrictions", -1, -1, CHANNEL_BOX_OFFICE, T("2019-01-01T00:00"), 0, 0},
        {"R17 booking: 1 s before", 30, -1, CHANNEL_BOX_OFFICE, booking - 1, -ERR_BOOKING_NOT_OPEN,
         booking},
        {"R17 booking: at opening", 30, -1, CHANNEL_BOX_OFFICE, booking, 0, 0},
        {"R17 booking: 1 s after", 30, -1, CHANNEL_BOX_OFFICE, booking + 1, 0, 0},
        {"R17 R19 booking: phone", 30, -1, CHANNEL_PHONE, booking - 1, -ERR_BOOKING_NOT_OPEN,
         booking},
        {"R17 R19 booking: ticket agency", 30, -1, CHANNEL_TICKET_AGENCY, booking - 1,
         -ERR_BOOKING_NOT_OPEN, booking},
        {"R17 R19 booking: paper", 30, -1, CHANNEL_PAPER, booking - 1, -ERR_BOOKING_NOT_OPEN,
         booking},
        {"R17 booking before collection", 30, 30, CHANNEL_BOX_OFFICE, booking - 1,
         -ERR_BOOKING_NOT_OPEN, booking},
        {"R17 collection: booking open, box office", 30, 30, CHANNEL_BOX_OFFICE, booking,
         -ERR_COLLECTION_NOT_OPEN, collection},
        {"R17 collection: 1 s before", -1, 30, CHANNEL_BOX_OFFICE, collection - 1,
         -ERR_COLLECTION_NOT_OPEN, collection},
        {"R17 collection: at opening", -1, 30, CHANNEL_BOX_OFFICE, collection, 0, 0},
        {"R17 collection: both open", 30, 30, CHANNEL_BOX_OFFICE, collection, 0, 0},
        {"R19 collection: phone not restricted", 30, 30, CHANNEL_PHONE, booking, 0, 0},
        {"R19 collection: ticket agency not restricted", -1, 30, CHANNEL_TICKET_AGENCY,
         collection - 1, 0, 0},
        {"R19 collection: paper not restricted", -1, 30, CHANNEL_PAPER, collection - 1, 0, 0},
        {"R17 collection 0: opens at the start", -1, 0, CHANNEL_BOX_OFFICE, start - 1,
         -ERR_COLLECTION_NOT_OPEN, start},
        {"R17 started: at the start", 30, 30, CHANNEL_BOX_OFFICE, start, 0, 0},
        {"R17 past: back-entry from paper", 30, 30, CHANNEL_PAPER, start + 86400, 0, 0},
        {"R17 past: back-entry at the box office", 366, 10080, CHANNEL_BOX_OFFICE,
         T("2020-05-01T12:00"), 0, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct event e = event_at(start, cases[i].days, cases[i].minutes);
        struct error_details d = {0};
        assert_int_equal(window_check(&e, cases[i].channel, cases[i].now, &d), cases[i].rc);
        if (cases[i].rc != 0) {
            assert_string_equal(d.key, "opens_at");
            assert_int_equal(d.value, cases[i].opens_at);
            assert_int_equal(d.value_is_time, 1);
        }
        assert_int_equal(window_check(&e, cases[i].channel, cases[i].now, NULL), cases[i].rc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_booking_opens_R17),
        cmocka_unit_test(test_window_collection_opens_R17),
        cmocka_unit_test(test_window_check_R17_R19),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
