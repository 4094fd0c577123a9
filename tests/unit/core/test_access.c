/* core/access.c: the role → scope table (R32) and the role gates of the
 * audit trail (R34) and the reports (R30, R31). */
#include "testutil.h"

#include <string.h>

#include "core/rules.h"
#include "util/strutil.h"

static struct actor actor(enum role role, const char *user, const char *scope)
{
    struct actor a = {.role = role};
    str_copy(a.user, sizeof a.user, user);
    str_copy(a.scope, sizeof a.scope, scope);
    return a;
}

/* R32: scope_check answers scope_allows with 0 or -ERR_FORBIDDEN, and a
 * user may always change their own password (self_ok), nothing else. */
static void test_scope_check_user_R32(void **state)
{
    (void)state;
    static const struct {
        const char *why;
        enum role role;
        const char *user, *scope;
        const char *target, *region, *unit, *venue;
        bool self_ok;
        int rc;
    } cases[] = {
        {"R32 national manages anyone", ROLE_NATIONAL, "nat", "", "x", "kainuu", "", "", false, 0},
        {"R32 coordinator, a user of their region", ROLE_COORDINATOR, "ce", "espoo", "d", "espoo",
         "espoo-sote", "", false, 0},
        {"R32 coordinator, a user of another region", ROLE_COORDINATOR, "ce", "espoo", "d",
         "kainuu", "kainuu-sote", "", false, -ERR_FORBIDDEN},
        {"R32 coordinator, a national user", ROLE_COORDINATOR, "ce", "espoo", "nat", "", "", "",
         false, -ERR_FORBIDDEN},
        {"R32 distributor, themselves with self_ok", ROLE_DISTRIBUTOR, "d", "espoo-sote", "d",
         "espoo", "espoo-sote", "", true, 0},
        {"R32 distributor, themselves without self_ok", ROLE_DISTRIBUTOR, "d", "espoo-sote", "d",
         "espoo", "", "", false, -ERR_FORBIDDEN},
        {"R32 distributor, a colleague of the unit (users are the coordinator's)", ROLE_DISTRIBUTOR,
         "d", "espoo-sote", "d2", "espoo", "", "", true, -ERR_FORBIDDEN},
        {"R32 venue staff, another venue's user", ROLE_VENUE, "v", "hilla", "w", "espoo", "",
         "kajaani", true, -ERR_FORBIDDEN},
        {"R32 venue staff, a user named like them but another", ROLE_VENUE, "v", "hilla", "v2",
         "espoo", "", "hilla", false, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct actor a = actor(cases[i].role, cases[i].user, cases[i].scope);
        const struct place p = {cases[i].region, cases[i].unit, cases[i].venue};
        assert_int_equal(scope_check_user(&a, cases[i].target, &p, cases[i].self_ok), cases[i].rc);
        if (!cases[i].self_ok)
            assert_int_equal(scope_check(&a, &p), cases[i].rc);
    }
}

/* R32: which place a user's scope names, by role; exactly the roles below
 * national need one. */
static void test_role_scope_of_R32(void **state)
{
    (void)state;
    static const struct {
        const char *why;
        enum role role;
        const char *scope;
        int rc;
        enum scope_kind kind;
        const char *field;
    } cases[] = {
        {"R32 national has no scope", ROLE_NATIONAL, "", 0, SCOPE_NONE, NULL},
        {"R32 national with a scope", ROLE_NATIONAL, "espoo", -ERR_INVALID_REQUEST, SCOPE_NONE,
         NULL},
        {"R32 coordinator: a region", ROLE_COORDINATOR, "espoo", 0, SCOPE_REGION, "region"},
        {"R32 coordinator without one", ROLE_COORDINATOR, "", -ERR_INVALID_REQUEST, SCOPE_REGION,
         "region"},
        {"R32 distributor: a unit", ROLE_DISTRIBUTOR, "espoo-sote", 0, SCOPE_UNIT, "unit"},
        {"R32 distributor without one", ROLE_DISTRIBUTOR, NULL, -ERR_INVALID_REQUEST, SCOPE_UNIT,
         "unit"},
        {"R32 venue staff: a venue", ROLE_VENUE, "hilla", 0, SCOPE_VENUE, "venue"},
        {"an unknown role", ROLE_COUNT, "espoo", -ERR_INVALID_REQUEST, SCOPE_NONE, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct role_scope k = {SCOPE_NONE, NULL};
        assert_int_equal(role_scope_of(cases[i].role, cases[i].scope, &k), cases[i].rc);
        if (cases[i].role == ROLE_COUNT)
            continue;
        assert_int_equal(k.kind, cases[i].kind);
        if (cases[i].field)
            assert_string_equal(k.field, cases[i].field);
        else
            assert_null(k.field);
        /* The name the CLI and POST /users give the scope: the same table. */
        assert_string_equal(role_scope_field(cases[i].role), cases[i].field ? cases[i].field : "");
    }
    assert_string_equal(role_scope_field(ROLE_COUNT), "");
}

/* R34, R30, R31, R32: who reads the audit trail and the country-wide
 * reports, and how a listing of uses is narrowed by the actor's scope. */
static void test_gates_R30_R31_R34(void **state)
{
    (void)state;
    static const struct {
        const char *why;
        enum role role;
        const char *scope;
        int audit_rc;
        const char *audit_region; /* NULL: every row */
        int national_rc;
        const char *venue_filter, *list_venue, *list_region;
    } cases[] = {
        {"R34 national reads every audit row; R31 theirs", ROLE_NATIONAL, "", 0, NULL, 0, "", NULL,
         NULL},
        {"R34 coordinator reads their region's rows; R31 not", ROLE_COORDINATOR, "espoo", 0,
         "espoo", -ERR_FORBIDDEN, "", NULL, "espoo"},
        {"R34 distributor reads none; R30 country-wide not", ROLE_DISTRIBUTOR, "espoo-sote",
         -ERR_FORBIDDEN, NULL, -ERR_FORBIDDEN, "", NULL, NULL},
        {"R34 venue staff read none; R32 their venue's uses", ROLE_VENUE, "hilla", -ERR_FORBIDDEN,
         NULL, -ERR_FORBIDDEN, NULL, "hilla", NULL},
        {"R32 venue staff asking for a venue: the filter's (scope_allows decides)", ROLE_VENUE,
         "hilla", -ERR_FORBIDDEN, NULL, -ERR_FORBIDDEN, "kajaani", "kajaani", NULL},
        {"R32 national asking for a venue", ROLE_NATIONAL, "", 0, NULL, 0, "hilla", "hilla", NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        print_message("%s\n", cases[i].why);
        struct actor a = actor(cases[i].role, "someone", cases[i].scope);
        const char *region = "unset";
        assert_int_equal(audit_gate(&a, &region), cases[i].audit_rc);
        if (cases[i].audit_region)
            assert_string_equal(region, cases[i].audit_region);
        else
            assert_null(region);
        assert_int_equal(report_gate_national(&a), cases[i].national_rc);
        const char *venue = use_list_venue(&a, cases[i].venue_filter);
        if (cases[i].list_venue)
            assert_string_equal(venue, cases[i].list_venue);
        else
            assert_null(venue);
        const char *list_region = use_list_region(&a);
        if (cases[i].list_region)
            assert_string_equal(list_region, cases[i].list_region);
        else
            assert_null(list_region);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scope_check_user_R32),
        cmocka_unit_test(test_role_scope_of_R32),
        cmocka_unit_test(test_gates_R30_R31_R34),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
