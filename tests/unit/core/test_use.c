/* core/use.c: the ordered checks of a use (R27, api.md) and the ticket rules
 * (R6, R13, R15–R17, R19, R21, R23, R24, R26). */
#include "testutil.h"

#include <string.h>

#include "core/rules.h"
#include "util/date.h"
#include "util/strutil.h"

/* What each case breaks. Without any, the card is a personal card handed
 * out 2020-02-03 (valid until 2021-02-03), the event a performance on
 * 2020-04-05 18:00 with capacity 100, no cap and no restrictions, and the use
 * is recorded on 2020-03-01 (ahead of the event). */
enum {
    B_UNKNOWN = 1 << 0,         /* no such card */
    B_NOT_ISSUED = 1 << 1,      /* card still in stock */
    B_CANCELLED = 1 << 2,       /* R13 */
    B_EXPIRED = 1 << 3,         /* event the day after valid_until (R4) */
    B_BEFORE_HANDOUT = 1 << 4,  /* event the day before the handout */
    B_EXCLUDED = 1 << 5,        /* R17 */
    B_COMMUNITY = 1 << 6,       /* a community card (R26) */
    B_COURSE = 1 << 7,          /* the event is a course (R24, R26) */
    B_ADULT_ALREADY = 1 << 8,   /* an adult ticket already used (R24, R26) */
    B_BOOKING = 1 << 9,         /* booking opens 30 days before: 2020-03-06 18:00 */
    B_COLLECTION = 1 << 10,     /* collection opens 30 minutes before: 17:30 */
    B_CAP = 1 << 11,            /* cap and used from the case */
    B_FULL = 1 << 12,           /* no cap, capacity used up (R16) */
    B_PAST = 1 << 13,           /* recorded the day after the event */
    B_LAST_VALID_DAY = 1 << 14, /* event late on valid_until's day */
    B_HANDOUT_DAY = 1 << 15,    /* event on the handout day */
    B_BIG = 1 << 16,            /* capacity 5000 instead of 100 */
};

struct use_case {
    const char *why;
    unsigned breaks;
    int32_t adult, child, companion;
    enum channel channel;
    int32_t cap, used; /* with B_CAP */
    int rc;
    const char *field; /* details.field, or NULL */
    const char *key;   /* details.key, or NULL */
    int64_t value;
};

static void run_case(const struct use_case *c)
{
    struct card card = {.code = "E1234", .kind = CARD_PERSONAL, .unit = "espoo-sote"};
    str_copy(card.region, sizeof card.region, "espoo");
    card.issued = !(c->breaks & B_NOT_ISSUED);
    card.cancelled = (c->breaks & B_CANCELLED) != 0;
    if (card.issued) {
        card.handed_out_on = D(2020, 2, 3);
        card.valid_until = D(2021, 2, 3);
    }
    if (c->breaks & B_COMMUNITY)
        card.kind = CARD_COMMUNITY;

    struct event e = {.id = 7, .venue = "teatteri-hilla", .region = "espoo"};
    str_copy(e.name, sizeof e.name, "Taikuri Matti");
    e.kind = (c->breaks & B_COURSE) ? EVENT_COURSE : EVENT_PERFORMANCE;
    e.starts_at = T("2020-04-05T18:00");
    if (c->breaks & B_EXPIRED)
        e.starts_at = T("2021-02-04T18:00");
    if (c->breaks & B_BEFORE_HANDOUT)
        e.starts_at = T("2020-02-02T18:00");
    if (c->breaks & B_LAST_VALID_DAY)
        e.starts_at = T("2021-02-03T23:30");
    if (c->breaks & B_HANDOUT_DAY)
        e.starts_at = T("2020-02-03T00:00");
    e.capacity = (c->breaks & B_BIG) ? 5000 : 100;
    e.cap = -1;
    e.booking_opens_days = (c->breaks & B_BOOKING) ? 30 : -1;
    e.collection_opens_minutes = (c->breaks & B_COLLECTION) ? 30 : -1;
    e.excluded = (c->breaks & B_EXCLUDED) != 0;
    if (e.excluded)
        str_copy(e.exclusion_reason, sizeof e.exclusion_reason, "Ensi-ilta");
    if (c->breaks & B_CAP) {
        e.cap = c->cap;
        e.used = c->used;
    }
    if (c->breaks & B_FULL)
        e.used = e.capacity;

    struct use_facts f = {
        .card = (c->breaks & B_UNKNOWN) ? NULL : &card,
        .event = &e,
        .adult_already = (c->breaks & B_ADULT_ALREADY) != 0,
    };
    struct use_request r = {.card = "E1234", .event = 7};
    r.adult = c->adult;
    r.child = c->child;
    r.companion = c->companion;
    r.channel = c->channel;
    int64_t now = (c->breaks & B_PAST) ? T("2020-04-06T12:00") : T("2020-03-01T12:00");

    print_message("%s\n", c->why);
    struct error_details d = {0};
    assert_int_equal(use_check(&f, &r, now, &d), c->rc);
    if (c->field)
        assert_string_equal(d.field, c->field);
    if (c->key) {
        assert_string_equal(d.key, c->key);
        assert_int_equal(d.value, c->value);
        assert_int_equal(d.value_is_time, strcmp(c->key, "opens_at") == 0);
    }
    assert_int_equal(use_check(&f, &r, now, NULL), c->rc);
}

#define BOX       CHANNEL_BOX_OFFICE
#define ALL_LATER (B_EXCLUDED | B_COMMUNITY | B_COURSE | B_ADULT_ALREADY | B_BOOKING | B_COLLECTION)

/* R27: each case breaks the rules listed; the first in api.md's order wins:
 * card_unknown → card_not_issued → card_cancelled → card_expired →
 * event_excluded → community_card_course → course_child_ticket →
 * duplicate_adult_ticket → invalid_request → booking_not_open /
 * collection_not_open → cap_reached. */
static void test_use_check_order_R27(void **state)
{
    (void)state;
    static const struct use_case cases[] = {
        {"R27 card_unknown first", B_UNKNOWN | B_NOT_ISSUED | B_CANCELLED | B_EXPIRED | ALL_LATER,
         2, 1, -1, BOX, 0, 0, -ERR_CARD_UNKNOWN, "card", NULL, 0},
        {"R27 card_not_issued before cancelled", B_NOT_ISSUED | B_CANCELLED | B_EXPIRED | ALL_LATER,
         2, 1, 0, BOX, 0, 0, -ERR_CARD_NOT_ISSUED, "card", NULL, 0},
        {"R27 R13 card_cancelled before expired", B_CANCELLED | B_EXPIRED | ALL_LATER, 2, 1, 0, BOX,
         0, 0, -ERR_CARD_CANCELLED, "card", NULL, 0},
        {"R27 R13 cancelled, otherwise fine", B_CANCELLED, 1, 0, 0, BOX, 0, 0, -ERR_CARD_CANCELLED,
         "card", NULL, 0},
        {"R27 R4 card_expired on the day after valid_until", B_EXPIRED | ALL_LATER, 2, 1, 0, BOX, 0,
         0, -ERR_CARD_EXPIRED, "card", NULL, 0},
        {"R27 R4 card_expired: event before the handout", B_BEFORE_HANDOUT | ALL_LATER, 2, 1, 0,
         BOX, 0, 0, -ERR_CARD_EXPIRED, "card", NULL, 0},
        {"R4 valid on valid_until's day (late evening)", B_LAST_VALID_DAY, 1, 0, 0, BOX, 0, 0, 0,
         NULL, NULL, 0},
        {"R4 valid on the handout day", B_HANDOUT_DAY | B_PAST, 1, 0, 0, BOX, 0, 0, 0, NULL, NULL,
         0},
        {"R27 R17 event_excluded before ticket rules", ALL_LATER | B_CAP, 0, 0, 0, BOX, 5, 5,
         -ERR_EVENT_EXCLUDED, "event", NULL, 0},
        {"R27 R26 community_card_course before course_child_ticket",
         B_COMMUNITY | B_COURSE | B_ADULT_ALREADY | B_BOOKING | B_CAP, 2, 1, -1, BOX, 5, 5,
         -ERR_COMMUNITY_CARD_COURSE, "card", NULL, 0},
        {"R26 community card on a course, adult only", B_COMMUNITY | B_COURSE, 1, 0, 0, BOX, 0, 0,
         -ERR_COMMUNITY_CARD_COURSE, "card", NULL, 0},
        {"R27 R24 course_child_ticket before duplicate_adult_ticket",
         B_COURSE | B_ADULT_ALREADY | B_BOOKING | B_CAP, 2, 1, 0, BOX, 5, 5,
         -ERR_COURSE_CHILD_TICKET, "child", NULL, 0},
        {"R27 R24 duplicate_adult_ticket: adult 2, before invalid_request",
         B_BOOKING | B_COLLECTION | B_CAP, 2, -1, -1, BOX, 5, 5, -ERR_DUPLICATE_ADULT_TICKET,
         "adult", NULL, 0},
        {"R27 R24 duplicate_adult_ticket: adult already used", B_ADULT_ALREADY | B_BOOKING | B_CAP,
         1, 0, 0, BOX, 5, 5, -ERR_DUPLICATE_ADULT_TICKET, "adult", NULL, 0},
        {"R26 community card: one adult per event too", B_COMMUNITY | B_ADULT_ALREADY, 1, 2, 0, BOX,
         0, 0, -ERR_DUPLICATE_ADULT_TICKET, "adult", NULL, 0},
        {"R24 course: duplicate adult", B_COURSE | B_ADULT_ALREADY, 1, 0, 0, BOX, 0, 0,
         -ERR_DUPLICATE_ADULT_TICKET, "adult", NULL, 0},
        {"R27 invalid_request: adult < 0 before windows and cap", B_BOOKING | B_CAP, -1, 1, 0, BOX,
         5, 5, -ERR_INVALID_REQUEST, "adult", NULL, 0},
        {"R27 invalid_request: child < 0", B_BOOKING | B_CAP, 1, -1, 0, BOX, 5, 5,
         -ERR_INVALID_REQUEST, "child", NULL, 0},
        {"R27 R21 invalid_request: companion < 0", B_COLLECTION, 1, 0, -1, BOX, 0, 0,
         -ERR_INVALID_REQUEST, "companion", NULL, 0},
        {"R27 invalid_request: all zero", B_BOOKING | B_COLLECTION | B_CAP, 0, 0, 0, BOX, 5, 5,
         -ERR_INVALID_REQUEST, NULL, NULL, 0},
        {"R23 invalid_request: child over TICKETS_MAX", 0, 0, TICKETS_MAX + 1, 0, BOX, 0, 0,
         -ERR_INVALID_REQUEST, "child", NULL, 0},
        {"R21 invalid_request: companion over TICKETS_MAX", 0, 1, 0, TICKETS_MAX + 1, BOX, 0, 0,
         -ERR_INVALID_REQUEST, "companion", NULL, 0},
        {"R27 R17 booking_not_open before collection and cap", B_BOOKING | B_COLLECTION | B_CAP, 1,
         0, 0, BOX, 5, 5, -ERR_BOOKING_NOT_OPEN, NULL, "opens_at", 0 /* set below */},
        {"R27 R17 collection_not_open before cap", B_COLLECTION | B_CAP, 1, 0, 0, BOX, 5, 5,
         -ERR_COLLECTION_NOT_OPEN, NULL, "opens_at", 0 /* set below */},
        {"R27 R15 cap_reached", B_CAP, 1, 0, 0, BOX, 5, 5, -ERR_CAP_REACHED, NULL, "remaining", 0},
        {"R15 cap_reached: adult + child over what remains", B_CAP, 1, 1, 0, BOX, 5, 4,
         -ERR_CAP_REACHED, NULL, "remaining", 1},
        {"R15 exactly what remains", B_CAP, 1, 1, 0, BOX, 5, 3, 0, NULL, NULL, 0},
        {"R16 cap_reached: capacity used up, no cap", B_FULL, 0, 1, 0, BOX, 0, 0, -ERR_CAP_REACHED,
         NULL, "remaining", 0},
        {"R16 capacity limits children too", B_CAP, 0, 6, 0, BOX, -1, 95, -ERR_CAP_REACHED, NULL,
         "remaining", 5},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct use_case c = cases[i];
        if (c.rc == -ERR_BOOKING_NOT_OPEN)
            c.value = T("2020-03-06T18:00"); /* 30 days before, same wall clock */
        if (c.rc == -ERR_COLLECTION_NOT_OPEN)
            c.value = T("2020-04-05T17:30"); /* 30 minutes before */
        run_case(&c);
    }
}

/* What is allowed: R6, R19, R21, R23, R24, R26, and back-entries (R17). */
static void test_use_check_allowed(void **state)
{
    (void)state;
    static const struct use_case cases[] = {
        {"R23 one adult ticket", 0, 1, 0, 0, BOX, 0, 0, 0, NULL, NULL, 0},
        {"R23 R24 adult and children on a personal card", 0, 1, 4, 0, BOX, 0, 0, 0, NULL, NULL, 0},
        {"R23 R24 any number of child tickets", B_BIG, 0, TICKETS_MAX, 0, CHANNEL_PHONE, -1, 0, 0,
         NULL, NULL, 0},
        {"R6 R24 more child tickets after the adult one", B_ADULT_ALREADY, 0, 3, 0, BOX, 0, 0, 0,
         NULL, NULL, 0},
        {"R6 a companion-only use after the adult one", B_ADULT_ALREADY, 0, 0, 1, BOX, 0, 0, 0,
         NULL, NULL, 0},
        {"R24 course: the holder's own adult ticket", B_COURSE, 1, 0, 0, BOX, 0, 0, 0, NULL, NULL,
         0},
        {"R26 community card: worker and clients under 16", B_COMMUNITY, 1, 5, 0, BOX, 0, 0, 0,
         NULL, NULL, 0},
        {"R26 community card: clients only", B_COMMUNITY | B_ADULT_ALREADY, 0, 5, 0, BOX, 0, 0, 0,
         NULL, NULL, 0},
        {"R21 companions do not count against the cap", B_CAP, 0, 0, 2, BOX, 5, 5, 0, NULL, NULL,
         0},
        {"R21 companions beside the last ticket", B_CAP, 1, 0, 3, BOX, 5, 4, 0, NULL, NULL, 0},
        {"R21 companions do not count against capacity", B_FULL, 0, 0, 2, BOX, 0, 0, 0, NULL, NULL,
         0},
        {"R19 phone: collection window does not apply", B_COLLECTION, 1, 0, 0, CHANNEL_PHONE, 0, 0,
         0, NULL, NULL, 0},
        {"R19 ticket agency: collection window does not apply", B_COLLECTION, 1, 0, 0,
         CHANNEL_TICKET_AGENCY, 0, 0, 0, NULL, NULL, 0},
        {"R19 paper: collection window does not apply", B_COLLECTION, 1, 0, 0, CHANNEL_PAPER, 0, 0,
         0, NULL, NULL, 0},
        {"R17 back-entry of a past event skips both windows", B_PAST | B_BOOKING | B_COLLECTION, 1,
         2, 0, BOX, 0, 0, 0, NULL, NULL, 0},
        {"R17 back-entry still meets the cap", B_PAST | B_CAP, 1, 0, 0, CHANNEL_PAPER, 5, 5,
         -ERR_CAP_REACHED, NULL, "remaining", 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        run_case(&cases[i]);
}

/* R19: the booking window holds for every channel; only the collection
 * window depends on the channel. */
static void test_use_check_channels_R19(void **state)
{
    (void)state;
    for (int ch = 0; ch < CHANNEL_COUNT; ch++) {
        struct use_case booking = {"R19 booking window, every channel",
                                   B_BOOKING,
                                   1,
                                   0,
                                   0,
                                   (enum channel)ch,
                                   0,
                                   0,
                                   -ERR_BOOKING_NOT_OPEN,
                                   NULL,
                                   "opens_at",
                                   T("2020-03-06T18:00")};
        run_case(&booking);
        struct use_case collection = {"R19 collection window, box office only",
                                      B_COLLECTION,
                                      1,
                                      0,
                                      0,
                                      (enum channel)ch,
                                      0,
                                      0,
                                      ch == CHANNEL_BOX_OFFICE ? -ERR_COLLECTION_NOT_OPEN : 0,
                                      NULL,
                                      ch == CHANNEL_BOX_OFFICE ? "opens_at" : NULL,
                                      T("2020-04-05T17:30")};
        run_case(&collection);
    }
}

/* R27: a retry with the same idempotency key is the same request only when
 * card, event, tickets and channel all agree with the use first recorded. */
static void test_use_same_request_R27(void **state)
{
    (void)state;
    static const struct {
        const char *why;
        const char *card;
        int64_t event;
        int32_t adult, child, companion;
        enum channel channel;
        bool same;
    } cases[] = {
        {"R27 the very same request", "E2251", 17, 1, 2, 0, CHANNEL_BOX_OFFICE, true},
        {"R27 another card", "E2252", 17, 1, 2, 0, CHANNEL_BOX_OFFICE, false},
        {"R27 a card that starts alike", "E225", 17, 1, 2, 0, CHANNEL_BOX_OFFICE, false},
        {"R27 another event", "E2251", 18, 1, 2, 0, CHANNEL_BOX_OFFICE, false},
        {"R27 no adult ticket", "E2251", 17, 0, 2, 0, CHANNEL_BOX_OFFICE, false},
        {"R27 one child less", "E2251", 17, 1, 1, 0, CHANNEL_BOX_OFFICE, false},
        {"R27 a companion more (R21)", "E2251", 17, 1, 2, 1, CHANNEL_BOX_OFFICE, false},
        {"R27 another channel (R19)", "E2251", 17, 1, 2, 0, CHANNEL_PHONE, false},
    };
    const struct use first = {.id = 5,
                              .card = "E2251",
                              .event = 17,
                              .adult = 1,
                              .child = 2,
                              .companion = 0,
                              .channel = CHANNEL_BOX_OFFICE,
                              .recorded_by = "hilla-staff"};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct use_request r = {.event = cases[i].event,
                                .adult = cases[i].adult,
                                .child = cases[i].child,
                                .companion = cases[i].companion,
                                .channel = cases[i].channel,
                                .idempotency_key = "k1"};
        str_copy(r.card, sizeof r.card, cases[i].card);
        assert_int_equal(use_same_request(&first, &r), cases[i].same);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_use_same_request_R27),
        cmocka_unit_test(test_use_check_order_R27),
        cmocka_unit_test(test_use_check_allowed),
        cmocka_unit_test(test_use_check_channels_R19),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
