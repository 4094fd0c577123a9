/* core/scope.c: who may see what (R32) and transfer decisions (R3). */
#include "testutil.h"

#include <string.h>

#include "core/rules.h"
#include "util/strutil.h"

/* R32: national sees all; a coordinator their region; a distributor their
 * unit; venue staff their venue. Empty ids never match. */
static void test_scope_allows_R32(void **state)
{
    (void)state;
    static const struct {
        const char *why;
        enum role role;
        const char *scope;
        const char *region, *unit, *venue;
        bool allowed;
    } cases[] = {
        /* national: everything, also pop-up venues without a region (R22) */
        {"national, a unit", ROLE_NATIONAL, "", "espoo", "espoo-sote", "", true},
        {"national, a pop-up venue", ROLE_NATIONAL, "", "", "", "ateneum", true},
        {"national, nothing at all", ROLE_NATIONAL, "", "", "", "", true},
        /* coordinator: their region */
        {"coordinator, own region", ROLE_COORDINATOR, "espoo", "espoo", "", "", true},
        {"coordinator, unit in own region", ROLE_COORDINATOR, "espoo", "espoo", "espoo-sote", "",
         true},
        {"coordinator, venue in own region", ROLE_COORDINATOR, "espoo", "espoo", "",
         "teatteri-hilla", true},
        {"coordinator, other region", ROLE_COORDINATOR, "espoo", "kainuu", "kajaani-sote", "",
         false},
        {"coordinator, pop-up venue (no region, R22)", ROLE_COORDINATOR, "espoo", "", "", "ateneum",
         false},
        {"coordinator, id as unit only", ROLE_COORDINATOR, "espoo", "", "espoo", "", false},
        {"coordinator, prefix of the region", ROLE_COORDINATOR, "espoo", "espoo2", "", "", false},
        {"coordinator with empty scope, empty region", ROLE_COORDINATOR, "", "", "", "", false},
        /* distributor: their unit */
        {"distributor, own unit", ROLE_DISTRIBUTOR, "espoo-sote", "espoo", "espoo-sote", "", true},
        {"distributor, other unit in the region", ROLE_DISTRIBUTOR, "espoo-sote", "espoo",
         "espoo-nuoret", "", false},
        {"distributor, the region itself", ROLE_DISTRIBUTOR, "espoo-sote", "espoo", "", "", false},
        {"distributor, a venue", ROLE_DISTRIBUTOR, "espoo-sote", "espoo", "", "teatteri-hilla",
         false},
        {"distributor with empty scope, empty unit", ROLE_DISTRIBUTOR, "", "espoo", "", "", false},
        /* venue staff: their venue */
        {"venue, own venue", ROLE_VENUE, "teatteri-hilla", "espoo", "", "teatteri-hilla", true},
        {"venue, own pop-up venue", ROLE_VENUE, "ateneum", "", "", "ateneum", true},
        {"venue, other venue in the region", ROLE_VENUE, "teatteri-hilla", "espoo", "",
         "espoo-museo", false},
        {"venue, a unit", ROLE_VENUE, "teatteri-hilla", "espoo", "espoo-sote", "", false},
        {"venue with empty scope, empty venue", ROLE_VENUE, "", "espoo", "espoo-sote", "", false},
        /* an unknown role sees nothing */
        {"unknown role", ROLE_COUNT, "espoo", "espoo", "espoo", "espoo", false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("R32 %s\n", cases[i].why);
        struct actor a = {.user = "tester", .role = cases[i].role};
        str_copy(a.scope, sizeof a.scope, cases[i].scope);
        struct place p = {cases[i].region, cases[i].unit, cases[i].venue};
        assert_int_equal(scope_allows(&a, &p), cases[i].allowed);
    }
}

/* R32: a NULL level is like an empty one (never matches). */
static void test_scope_allows_null_place_R32(void **state)
{
    (void)state;
    static const enum role roles[] = {ROLE_COORDINATOR, ROLE_DISTRIBUTOR, ROLE_VENUE};
    for (size_t i = 0; i < ARRAY_LEN(roles); i++) {
        struct actor a = {.user = "tester", .role = roles[i], .scope = "x"};
        struct place p = {NULL, NULL, NULL};
        assert_false(scope_allows(&a, &p));
    }
    struct actor national = {.user = "tester", .role = ROLE_NATIONAL};
    struct place none = {NULL, NULL, NULL};
    assert_true(scope_allows(&national, &none));
}

/* R3: a transfer is decided once: requested → approved | rejected. */
static void test_transfer_decide_R3(void **state)
{
    (void)state;
    static const struct {
        enum transfer_status current;
        bool approve;
        int rc;
        enum transfer_status next;
    } cases[] = {
        {TRANSFER_REQUESTED, true, 0, TRANSFER_APPROVED},
        {TRANSFER_REQUESTED, false, 0, TRANSFER_REJECTED},
        {TRANSFER_APPROVED, true, -ERR_TRANSFER_NOT_PENDING, TRANSFER_STATUS_COUNT},
        {TRANSFER_APPROVED, false, -ERR_TRANSFER_NOT_PENDING, TRANSFER_STATUS_COUNT},
        {TRANSFER_REJECTED, true, -ERR_TRANSFER_NOT_PENDING, TRANSFER_STATUS_COUNT},
        {TRANSFER_REJECTED, false, -ERR_TRANSFER_NOT_PENDING, TRANSFER_STATUS_COUNT},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        /* next is left alone on failure */
        enum transfer_status next = TRANSFER_STATUS_COUNT;
        assert_int_equal(transfer_decide(cases[i].current, cases[i].approve, &next), cases[i].rc);
        assert_int_equal(next, cases[i].next);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scope_allows_R32),
        cmocka_unit_test(test_scope_allows_null_place_R32),
        cmocka_unit_test(test_transfer_decide_R3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
