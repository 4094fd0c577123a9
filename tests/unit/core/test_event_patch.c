/* core/event_patch.c: a POST or PATCH of an event, parsed before its
 * transaction and applied to the event as the store loaded it (R15–R17). */
#include "testutil.h"

#include <string.h>

#include "core/rules.h"
#include "util/strutil.h"

static struct event loaded(void)
{
    struct event e = {.id = 17,
                      .kind = EVENT_PERFORMANCE,
                      .starts_at = 1000,
                      .capacity = 100,
                      .cap = 10,
                      .guest_producer = false,
                      .booking_opens_days = -1,
                      .collection_opens_minutes = 30,
                      .excluded = false,
                      .used = 7};
    str_copy(e.venue, sizeof e.venue, "hilla");
    str_copy(e.region, sizeof e.region, "espoo");
    str_copy(e.name, sizeof e.name, "Kesäyö");
    return e;
}

/* Each field given is copied; nothing else changes, not even fields the
 * patch's struct happens to hold (id, region, used, fields not set). */
static void test_event_patch_apply_R15_R17(void **state)
{
    (void)state;
    struct event v = {.id = 99,
                      .kind = EVENT_COURSE,
                      .starts_at = 2000,
                      .capacity = 50,
                      .cap = -1,
                      .guest_producer = true,
                      .booking_opens_days = 14,
                      .collection_opens_minutes = -1,
                      .excluded = true,
                      .used = 99};
    str_copy(v.venue, sizeof v.venue, "hilla");
    str_copy(v.region, sizeof v.region, "kainuu");
    str_copy(v.name, sizeof v.name, "Syysyö");
    str_copy(v.exclusion_reason, sizeof v.exclusion_reason, "R17 oma tuotanto");
    static const struct {
        const char *why;
        unsigned set;
    } cases[] = {
        {"nothing given: nothing changes", 0},
        {"the name", EP_NAME},
        {"R15 the cap set to none (null)", EP_CAP},
        {"R15 capacity and guest producer", EP_CAPACITY | EP_GUEST_PRODUCER},
        {"R17 both windows", EP_BOOKING_OPENS | EP_COLLECTION_OPENS},
        {"R17 exclusion and its reason", EP_EXCLUDED | EP_EXCLUSION_REASON},
        {"kind and start", EP_KIND | EP_STARTS_AT},
        {"the same venue again", EP_VENUE},
        {"everything", 0x7ffu},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        const struct event_patch p = {cases[i].set, v};
        struct event e = loaded();
        const struct event before = e;
        assert_int_equal(event_patch_apply(&p, &e, NULL), 0);
        unsigned set = cases[i].set;
        assert_string_equal(e.name, (set & EP_NAME) ? v.name : before.name);
        assert_int_equal(e.kind, (set & EP_KIND) ? v.kind : before.kind);
        assert_int_equal(e.starts_at, (set & EP_STARTS_AT) ? v.starts_at : before.starts_at);
        assert_int_equal(e.capacity, (set & EP_CAPACITY) ? v.capacity : before.capacity);
        assert_int_equal(e.cap, (set & EP_CAP) ? v.cap : before.cap);
        assert_int_equal(e.guest_producer,
                         (set & EP_GUEST_PRODUCER) ? v.guest_producer : before.guest_producer);
        assert_int_equal(e.booking_opens_days, (set & EP_BOOKING_OPENS)
                                                   ? v.booking_opens_days
                                                   : before.booking_opens_days);
        assert_int_equal(e.collection_opens_minutes, (set & EP_COLLECTION_OPENS)
                                                         ? v.collection_opens_minutes
                                                         : before.collection_opens_minutes);
        assert_int_equal(e.excluded, (set & EP_EXCLUDED) ? v.excluded : before.excluded);
        assert_string_equal(e.exclusion_reason,
                            (set & EP_EXCLUSION_REASON) ? v.exclusion_reason : "");
        /* never from a patch */
        assert_int_equal(e.id, 17);
        assert_string_equal(e.region, "espoo");
        assert_string_equal(e.venue, "hilla");
        assert_int_equal(e.used, 7);
    }
}

/* An event stays at its venue; a new event (no venue yet) takes the one
 * given. */
static void test_event_patch_venue(void **state)
{
    (void)state;
    static const struct {
        const char *why;
        const char *loaded_venue, *given;
        int rc;
        const char *venue;
    } cases[] = {
        {"PATCH moving the event", "hilla", "kajaani", -ERR_INVALID_REQUEST, "hilla"},
        {"PATCH naming its own venue", "hilla", "hilla", 0, "hilla"},
        {"POST: a new event takes the venue", "", "kajaani", 0, "kajaani"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct event_patch p = {.set = EP_VENUE | EP_NAME};
        str_copy(p.v.venue, sizeof p.v.venue, cases[i].given);
        str_copy(p.v.name, sizeof p.v.name, "Uusi");
        struct event e = loaded();
        str_copy(e.venue, sizeof e.venue, cases[i].loaded_venue);
        struct error_details d = {0};
        assert_int_equal(event_patch_apply(&p, &e, &d), cases[i].rc);
        assert_string_equal(e.venue, cases[i].venue);
        if (cases[i].rc) {
            assert_string_equal(d.field, "venue");
            assert_string_equal(e.name, "Kesäyö"); /* refused before any change */
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_patch_apply_R15_R17),
        cmocka_unit_test(test_event_patch_venue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
