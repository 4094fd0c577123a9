/* core/caps.c: caps (R15), capacity (R16) and the event's own fields
 * (R17 restrictions). */
#include "testutil.h"

#include <string.h>

#include "core/rules.h"
#include "util/strutil.h"

/* R15: the lowest cap allowed, around every boundary. ⌈5 %⌉ in comments. */
static void test_caps_minimum_R15(void **state)
{
    (void)state;
    const struct {
        int32_t capacity;
        enum event_kind kind;
        bool guest_producer;
        int32_t minimum;
    } cases[] = {
        /* performances: capacity ≤ 10 → 0 */
        {1, EVENT_PERFORMANCE, false, 0},
        {10, EVENT_PERFORMANCE, false, 0}, /* ⌈0.5⌉ = 1, but ≤ 10 gives 0 */
        /* ≤ 50 → min(⌈5 %⌉, 2) */
        {11, EVENT_PERFORMANCE, false, 1}, /* ⌈0.55⌉ = 1 */
        {20, EVENT_PERFORMANCE, false, 1}, /* ⌈1.0⌉ = 1 */
        {21, EVENT_PERFORMANCE, false, 2}, /* ⌈1.05⌉ = 2 */
        {49, EVENT_PERFORMANCE, false, 2}, /* ⌈2.45⌉ = 3 → 2 */
        {50, EVENT_PERFORMANCE, false, 2}, /* ⌈2.5⌉ = 3 → 2 */
        /* otherwise ⌈5 %⌉ */
        {51, EVENT_PERFORMANCE, false, 3},   /* ⌈2.55⌉ = 3 */
        {100, EVENT_PERFORMANCE, false, 5},  /* 5 */
        {101, EVENT_PERFORMANCE, false, 6},  /* ⌈5.05⌉ = 6 */
        {999, EVENT_PERFORMANCE, false, 50}, /* ⌈49.95⌉ = 50 */
        {1000, EVENT_PERFORMANCE, false, 50},
        /* > 1000 → min(⌈5 %⌉, 20) */
        {1001, EVENT_PERFORMANCE, false, 20}, /* ⌈50.05⌉ = 51 → 20 */
        {5000, EVENT_PERFORMANCE, false, 20},
        {CAPACITY_MAX, EVENT_PERFORMANCE, false, 20},
        /* day tickets follow the general lines */
        {20, EVENT_DAY_TICKET, false, 1},
        {100, EVENT_DAY_TICKET, false, 5},
        {1001, EVENT_DAY_TICKET, false, 20},
        /* courses → min(⌈5 %⌉, 2) */
        {5, EVENT_COURSE, false, 0},  /* ≤ 10 is lower */
        {11, EVENT_COURSE, false, 1}, /* ⌈0.55⌉ = 1 */
        {100, EVENT_COURSE, false, 2},
        {1000, EVENT_COURSE, false, 2},
        {5000, EVENT_COURSE, false, 2}, /* course 2 is lower than > 1000's 20 */
        /* guest producers → min(⌈5 %⌉, 2) */
        {10, EVENT_PERFORMANCE, true, 0},
        {30, EVENT_PERFORMANCE, true, 2}, /* ⌈1.5⌉ = 2 */
        {100, EVENT_PERFORMANCE, true, 2},
        {1000, EVENT_PERFORMANCE, true, 2},
        {5000, EVENT_DAILY, true, 2},
        /* daily → min(⌈5 %⌉, 20) */
        {10, EVENT_DAILY, false, 0},
        {30, EVENT_DAILY, false, 2},  /* ⌈1.5⌉ = 2; the ≤ 50 line also gives 2 */
        {100, EVENT_DAILY, false, 5}, /* 5 */
        {380, EVENT_DAILY, false, 19},
        {399, EVENT_DAILY, false, 20}, /* ⌈19.95⌉ = 20 */
        {400, EVENT_DAILY, false, 20},
        {500, EVENT_DAILY, false, 20}, /* 25 → 20 */
        {5000, EVENT_DAILY, false, 20},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("capacity %d kind %d guest %d\n", cases[i].capacity, cases[i].kind,
                      cases[i].guest_producer);
        assert_int_equal(caps_minimum(cases[i].capacity, cases[i].kind, cases[i].guest_producer),
                         cases[i].minimum);
    }
}

static struct event base_event(void)
{
    struct event e = {.id = 1, .venue = "teatteri-hilla", .region = "espoo"};
    str_copy(e.name, sizeof e.name, "Taikuri Matti");
    e.kind = EVENT_PERFORMANCE;
    e.capacity = 100;
    e.cap = -1;
    e.booking_opens_days = -1;
    e.collection_opens_minutes = -1;
    return e;
}

/* R15–R17: an event's own fields. */
static void test_event_validate_R15_R17(void **state)
{
    (void)state;
    const struct {
        const char *why;
        int32_t capacity, cap, used;
        enum event_kind kind;
        int32_t booking, collection;
        bool excluded;
        const char *reason;
        int rc;
        const char *field; /* details.field, or NULL */
        const char *key;   /* details.key, or NULL */
        int64_t value;
    } cases[] = {
        {"R15 no cap", 100, -1, 0, EVENT_PERFORMANCE, -1, -1, false, "", 0, NULL, NULL, 0},
        {"R15 cap = minimum", 100, 5, 0, EVENT_PERFORMANCE, -1, -1, false, "", 0, NULL, NULL, 0},
        {"R15 cap below minimum", 100, 4, 0, EVENT_PERFORMANCE, -1, -1, false, "", -ERR_CAP_TOO_LOW,
         NULL, "minimum", 5},
        {"R15 cap 0 below minimum 1", 11, 0, 0, EVENT_PERFORMANCE, -1, -1, false, "",
         -ERR_CAP_TOO_LOW, NULL, "minimum", 1},
        {"R15 course minimum 2", 100, 1, 0, EVENT_COURSE, -1, -1, false, "", -ERR_CAP_TOO_LOW, NULL,
         "minimum", 2},
        {"R15 daily minimum 20", 500, 19, 0, EVENT_DAILY, -1, -1, false, "", -ERR_CAP_TOO_LOW, NULL,
         "minimum", 20},
        {"R15 capacity <= 10: cap 0", 10, 0, 0, EVENT_PERFORMANCE, -1, -1, false, "", 0, NULL, NULL,
         0},
        {"R15 capacity <= 10: cap 1", 10, 1, 0, EVENT_PERFORMANCE, -1, -1, false, "", 0, NULL, NULL,
         0},
        {"R15 cap = capacity", 100, 100, 0, EVENT_PERFORMANCE, -1, -1, false, "", 0, NULL, NULL, 0},
        {"R15 cap above capacity", 100, 101, 0, EVENT_PERFORMANCE, -1, -1, false, "",
         -ERR_INVALID_REQUEST, "cap", NULL, 0},
        {"R15 cap below -1", 100, -2, 0, EVENT_PERFORMANCE, -1, -1, false, "", -ERR_INVALID_REQUEST,
         "cap", NULL, 0},
        {"R15 cap = used", 100, 10, 10, EVENT_PERFORMANCE, -1, -1, false, "", 0, NULL, NULL, 0},
        {"R15 cap below used", 100, 10, 11, EVENT_PERFORMANCE, -1, -1, false, "",
         -ERR_CAP_BELOW_USED, NULL, NULL, 0},
        {"R15 too low wins over below used", 100, 4, 11, EVENT_PERFORMANCE, -1, -1, false, "",
         -ERR_CAP_TOO_LOW, NULL, "minimum", 5},
        {"R16 capacity below used", 10, -1, 11, EVENT_PERFORMANCE, -1, -1, false, "",
         -ERR_CAP_BELOW_USED, NULL, NULL, 0},
        {"R16 capacity 0", 0, -1, 0, EVENT_PERFORMANCE, -1, -1, false, "", -ERR_INVALID_REQUEST,
         "capacity", NULL, 0},
        {"R16 capacity negative", -5, -1, 0, EVENT_PERFORMANCE, -1, -1, false, "",
         -ERR_INVALID_REQUEST, "capacity", NULL, 0},
        {"R16 capacity at the limit", CAPACITY_MAX, -1, 0, EVENT_PERFORMANCE, -1, -1, false, "", 0,
         NULL, NULL, 0},
        {"R16 capacity over the limit", CAPACITY_MAX + 1, -1, 0, EVENT_PERFORMANCE, -1, -1, false,
         "", -ERR_INVALID_REQUEST, "capacity", NULL, 0},
        {"kind out of range", 100, -1, 0, EVENT_KIND_COUNT, -1, -1, false, "", -ERR_INVALID_REQUEST,
         "kind", NULL, 0},
        {"R17 excluded with reason", 100, -1, 0, EVENT_PERFORMANCE, -1, -1, true,
         "Ensi-ilta, ei Kaikukortti-lippuja", 0, NULL, NULL, 0},
        {"R17 excluded without reason", 100, -1, 0, EVENT_PERFORMANCE, -1, -1, true, "",
         -ERR_INVALID_REQUEST, "exclusion_reason", NULL, 0},
        {"R17 booking 30 days", 100, -1, 0, EVENT_PERFORMANCE, 30, -1, false, "", 0, NULL, NULL, 0},
        {"R17 booking 0 days", 100, -1, 0, EVENT_PERFORMANCE, 0, -1, false, "", 0, NULL, NULL, 0},
        {"R17 booking: the last allowed", 100, -1, 0, EVENT_PERFORMANCE, BOOKING_OPENS_DAYS_MAX, -1,
         false, "", 0, NULL, NULL, 0},
        {"R17 booking: the first refused", 100, -1, 0, EVENT_PERFORMANCE,
         BOOKING_OPENS_DAYS_MAX + 1, -1, false, "", -ERR_INVALID_REQUEST, "booking_opens_days",
         NULL, 0},
        {"R17 booking -2", 100, -1, 0, EVENT_PERFORMANCE, -2, -1, false, "", -ERR_INVALID_REQUEST,
         "booking_opens_days", NULL, 0},
        {"R17 collection: the last allowed", 100, -1, 0, EVENT_PERFORMANCE, -1,
         COLLECTION_OPENS_MINUTES_MAX, false, "", 0, NULL, NULL, 0},
        {"R17 collection: the first refused", 100, -1, 0, EVENT_PERFORMANCE, -1,
         COLLECTION_OPENS_MINUTES_MAX + 1, false, "", -ERR_INVALID_REQUEST,
         "collection_opens_minutes", NULL, 0},
        {"R17 collection -2", 100, -1, 0, EVENT_PERFORMANCE, -1, -2, false, "",
         -ERR_INVALID_REQUEST, "collection_opens_minutes", NULL, 0},
    };
    /* R17: the limits decided in docs/decisions.md (a year, a week), which
     * the API's parser shares. */
    assert_int_equal(BOOKING_OPENS_DAYS_MAX, 366);
    assert_int_equal(COLLECTION_OPENS_MINUTES_MAX, 10080);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct event e = base_event();
        e.capacity = cases[i].capacity;
        e.cap = cases[i].cap;
        e.used = cases[i].used;
        e.kind = cases[i].kind;
        e.booking_opens_days = cases[i].booking;
        e.collection_opens_minutes = cases[i].collection;
        e.excluded = cases[i].excluded;
        str_copy(e.exclusion_reason, sizeof e.exclusion_reason, cases[i].reason);
        struct error_details d = {0};
        assert_int_equal(event_validate(&e, &d), cases[i].rc);
        if (cases[i].field)
            assert_string_equal(d.field, cases[i].field);
        if (cases[i].key) {
            assert_string_equal(d.key, cases[i].key);
            assert_int_equal(d.value, cases[i].value);
            assert_int_equal(d.value_is_time, 0);
        }
        assert_int_equal(event_validate(&e, NULL), cases[i].rc);
    }
}

/* The name: 1..NAME_MAX_BYTES bytes. */
static void test_event_validate_name(void **state)
{
    (void)state;
    static const struct {
        size_t len;
        int rc;
    } cases[] = {
        {0, -ERR_INVALID_REQUEST},
        {1, 0},
        {NAME_MAX_BYTES, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct event e = base_event();
        memset(e.name, 'a', cases[i].len);
        e.name[cases[i].len] = '\0';
        struct error_details d = {0};
        assert_int_equal(event_validate(&e, &d), cases[i].rc);
        if (cases[i].rc != 0)
            assert_string_equal(d.field, "name");
    }
}

/* R15/R16: tickets still available under cap and capacity. */
static void test_caps_remaining_R15_R16(void **state)
{
    (void)state;
    static const struct {
        int32_t capacity, cap, used, remaining;
    } cases[] = {
        {100, -1, 0, 100},                     /* R15: no cap, only capacity (R16) */
        {100, -1, 40, 60},  {100, -1, 100, 0}, /* R16: full */
        {100, -1, 150, 0},                     /* never negative */
        {100, 10, 3, 7},                       /* R15: cap below capacity */
        {100, 10, 10, 0},                      /* used = cap */
        {100, 10, 12, 0},                      /* used > cap */
        {100, 100, 30, 70},                    /* cap = capacity */
        {100, 200, 30, 70},                    /* R16: capacity limits even a cap above it */
        {10, 0, 0, 0},                         /* cap 0 */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct event e = base_event();
        e.capacity = cases[i].capacity;
        e.cap = cases[i].cap;
        e.used = cases[i].used;
        assert_int_equal(caps_remaining(&e), cases[i].remaining);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caps_minimum_R15),
        cmocka_unit_test(test_event_validate_R15_R17),
        cmocka_unit_test(test_event_validate_name),
        cmocka_unit_test(test_caps_remaining_R15_R16),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
