/* core/custody.c: moving cards between units (R3), handing out (R3, R12,
 * R13) and cancelling (R13), decided on the card as the store loaded it. */
#include "testutil.h"

#include <string.h>

#include "core/rules.h"
#include "util/strutil.h"

static struct card card(const char *unit, const char *region, bool issued, bool cancelled)
{
    struct card c = {.kind = CARD_PERSONAL, .issued = issued, .cancelled = cancelled};
    str_copy(c.code, sizeof c.code, "E7");
    str_copy(c.unit, sizeof c.unit, unit);
    str_copy(c.region, sizeof c.region, region);
    return c;
}

/* R3: within one region, to another unit; each code from the sending
 * unit's stock, not handed out, not cancelled. */
static void test_transfer_R3(void **state)
{
    (void)state;
    static const struct {
        const char *why;
        const char *from_region, *from_unit, *to_region, *to_unit;
        int rc;
    } routes[] = {
        {"R3 two units of one region", "espoo", "espoo-sote", "espoo", "espoo-nuoriso", 0},
        {"R3 another region", "espoo", "espoo-sote", "kainuu", "kainuu-sote", -ERR_INVALID_REQUEST},
        {"R3 the same unit", "espoo", "espoo-sote", "espoo", "espoo-sote", -ERR_INVALID_REQUEST},
    };
    for (size_t i = 0; i < ARRAY_LEN(routes); i++) {
        print_message("%s\n", routes[i].why);
        struct error_details d = {0};
        assert_int_equal(transfer_check_route(routes[i].from_region, routes[i].from_unit,
                                              routes[i].to_region, routes[i].to_unit, &d),
                         routes[i].rc);
        if (routes[i].rc)
            assert_string_equal(d.field, "to_unit");
    }
    static const struct {
        const char *why;
        const char *unit;
        bool issued, cancelled;
        int rc;
    } codes[] = {
        {"R3 in the unit's stock", "espoo-sote", false, false, 0},
        {"R3 in another unit's stock", "espoo-nuoriso", false, false, -ERR_CARD_NOT_IN_UNIT_STOCK},
        {"R3 handed out already (R12)", "espoo-sote", true, false, -ERR_CARD_ALREADY_ISSUED},
        {"R3 cancelled in stock (R13)", "espoo-sote", false, true, -ERR_CARD_CANCELLED},
        {"R3 another unit's and cancelled: the unit first", "espoo-nuoriso", false, true,
         -ERR_CARD_NOT_IN_UNIT_STOCK},
    };
    for (size_t i = 0; i < ARRAY_LEN(codes); i++) {
        print_message("%s\n", codes[i].why);
        struct card c = card(codes[i].unit, "espoo", codes[i].issued, codes[i].cancelled);
        struct error_details d = {0};
        assert_int_equal(card_check_movable(&c, "espoo-sote", &d), codes[i].rc);
        if (codes[i].rc) {
            assert_string_equal(d.key, "code");
            assert_string_equal(d.text, "E7");
        }
    }
}

/* R3, R12, R13: who may hand out a card, and which cards. */
static void test_handout_card_R12_R13(void **state)
{
    (void)state;
    static const struct {
        const char *why;
        enum role role;
        const char *scope, *unit;
        bool issued, cancelled;
        int rc;
        const char *field;
    } cases[] = {
        {"R3 distributor, own unit's stock", ROLE_DISTRIBUTOR, "espoo-sote", "espoo-sote", false,
         false, 0, NULL},
        {"R3 distributor, another unit's card", ROLE_DISTRIBUTOR, "espoo-sote", "espoo-nuoriso",
         false, false, -ERR_CARD_NOT_IN_UNIT_STOCK, "card"},
        {"R32 coordinator of the region", ROLE_COORDINATOR, "espoo", "espoo-sote", false, false, 0,
         NULL},
        {"R32 coordinator of another region", ROLE_COORDINATOR, "kainuu", "espoo-sote", false,
         false, -ERR_FORBIDDEN, NULL},
        {"R32 venue staff", ROLE_VENUE, "hilla", "espoo-sote", false, false, -ERR_FORBIDDEN, NULL},
        {"R12 handed out before", ROLE_DISTRIBUTOR, "espoo-sote", "espoo-sote", true, false,
         -ERR_CARD_ALREADY_ISSUED, "card"},
        {"R13 cancelled in stock", ROLE_DISTRIBUTOR, "espoo-sote", "espoo-sote", false, true,
         -ERR_CARD_CANCELLED, "card"},
        {"R12 before R13: issued and cancelled", ROLE_DISTRIBUTOR, "espoo-sote", "espoo-sote", true,
         true, -ERR_CARD_ALREADY_ISSUED, "card"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct actor a = {.role = cases[i].role, .user = "u"};
        str_copy(a.scope, sizeof a.scope, cases[i].scope);
        struct card c = card(cases[i].unit, "espoo", cases[i].issued, cases[i].cancelled);
        struct error_details d = {0};
        assert_int_equal(handout_check_card(&a, &c, &d), cases[i].rc);
        if (cases[i].field)
            assert_string_equal(d.field, cases[i].field);
        else
            assert_null(d.field);
    }
}

/* R13: a card is cancelled by its unit or region, once, with a reason. */
static void test_cancel_R13(void **state)
{
    (void)state;
    static char long_reason[TEXT_MAX_BYTES + 2];
    memset(long_reason, 'x', TEXT_MAX_BYTES + 1);
    static char longest[TEXT_MAX_BYTES + 1];
    memset(longest, 'x', TEXT_MAX_BYTES);
    const struct {
        const char *why;
        enum role role;
        const char *scope;
        bool cancelled;
        const char *reason;
        int rc;
    } cases[] = {
        {"R13 the unit cancels", ROLE_DISTRIBUTOR, "espoo-sote", false, "lost", 0},
        {"R13 the region's coordinator cancels", ROLE_COORDINATOR, "espoo", false, "lost", 0},
        {"R13 another unit may not", ROLE_DISTRIBUTOR, "espoo-nuoriso", false, "lost",
         -ERR_FORBIDDEN},
        {"R13 another region may not", ROLE_COORDINATOR, "kainuu", false, "lost", -ERR_FORBIDDEN},
        {"R13 twice", ROLE_DISTRIBUTOR, "espoo-sote", true, "lost", -ERR_CARD_CANCELLED},
        {"R13 scope before state", ROLE_DISTRIBUTOR, "espoo-nuoriso", true, "lost", -ERR_FORBIDDEN},
        {"R13 without a reason", ROLE_DISTRIBUTOR, "espoo-sote", false, "", -ERR_INVALID_REQUEST},
        {"R13 a NULL reason", ROLE_DISTRIBUTOR, "espoo-sote", false, NULL, -ERR_INVALID_REQUEST},
        {"R13 the longest reason", ROLE_DISTRIBUTOR, "espoo-sote", false, longest, 0},
        {"R13 a reason too long", ROLE_DISTRIBUTOR, "espoo-sote", false, long_reason,
         -ERR_INVALID_REQUEST},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct actor a = {.role = cases[i].role, .user = "u"};
        str_copy(a.scope, sizeof a.scope, cases[i].scope);
        struct card c = card("espoo-sote", "espoo", true, cases[i].cancelled);
        assert_int_equal(cancel_check(&a, &c, cases[i].reason), cases[i].rc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transfer_R3),
        cmocka_unit_test(test_handout_card_R12_R13),
        cmocka_unit_test(test_cancel_R13),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
