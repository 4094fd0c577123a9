/* store/: network, users, sessions and API keys through store.h (R22, R32). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "util/date.h"
#include "util/strutil.h"

static void test_network_scopes_R32(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, ce = COORD_ESPOO, ck = COORD_KAINUU, ds = DIST_SOTE;
    struct region r;
    assert_int_equal(store_region_get(f->s, "kainuu", &r), 0);
    assert_string_equal(r.name, "Kainuu");
    assert_int_equal(r.pilot_ends_on, D(2020, 1, 15));
    assert_int_equal(store_region_get(f->s, "espoo", &r), 0);
    assert_int_equal(r.pilot_ends_on, -1);

    const struct region dup = {"espoo", "Espoo again", -1}, newr = {"oulu", "Oulu", -1};
    const struct unit u_ok = {"espoo-kirjasto", "espoo", "Kirjasto"};
    const struct unit u_other = {"kainuu-x", "kainuu", "X"};
    const struct unit u_noregion = {"nowhere-x", "nowhere", "X"};
    const struct venue v_popup = {"kiasma", "", "Kiasma", CAT_MUSEUM, "", false, "", ""};
    const struct venue v_espoo = {"tapiola", "espoo", "Tapiola Sali", CAT_MUSIC, "", false, "", ""};
    const struct venue v_dup = {"hilla", "espoo", "Hilla 2", CAT_THEATRE, "", false, "", ""};
    static const char *const rule = "R32";
    (void)rule;
    const struct {
        const char *what;
        const struct actor *a;
        const struct region *region;
        const struct unit *unit;
        const struct venue *venue;
        int rc;
    } cases[] = {
        {"R32 coordinator adds a region", &ce, &newr, NULL, NULL, -ERR_FORBIDDEN},
        {"duplicate region", &nat, &dup, NULL, NULL, -ERR_ALREADY_EXISTS},
        {"national adds a region", &nat, &newr, NULL, NULL, 0},
        {"R32 coordinator of another region", &ck, NULL, &u_ok, NULL, -ERR_FORBIDDEN},
        {"R32 distributor adds a unit", &ds, NULL, &u_ok, NULL, -ERR_FORBIDDEN},
        {"coordinator adds a unit of the region", &ce, NULL, &u_ok, NULL, 0},
        {"duplicate unit", &nat, NULL, &u_ok, NULL, -ERR_ALREADY_EXISTS},
        {"R32 coordinator, unit elsewhere", &ce, NULL, &u_other, NULL, -ERR_FORBIDDEN},
        {"unknown region", &nat, NULL, &u_noregion, NULL, -ERR_NOT_FOUND},
        {"R22 pop-up venue by a coordinator", &ce, NULL, NULL, &v_popup, -ERR_FORBIDDEN},
        {"R22 pop-up venue by national", &nat, NULL, NULL, &v_popup, 0},
        {"coordinator adds a venue of the region", &ce, NULL, NULL, &v_espoo, 0},
        {"duplicate venue", &nat, NULL, NULL, &v_dup, -ERR_ALREADY_EXISTS},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int rc = cases[i].region ? store_region_add(f->s, cases[i].a, cases[i].region)
                 : cases[i].unit ? store_unit_add(f->s, cases[i].a, cases[i].unit)
                                 : store_venue_add(f->s, cases[i].a, cases[i].venue);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
    }
    struct venue v;
    assert_int_equal(store_venue_get(f->s, "kiasma", &v), 0);
    assert_string_equal(v.region, "");
    /* R20: a venue's accessibility text and free cloakroom survive the round trip. */
    assert_int_equal(store_venue_get(f->s, "hilla", &v), 0);
    assert_string_equal(v.accessibility, "Esteetön sisäänkäynti");
    assert_true(v.free_cloakroom);
    assert_int_equal(v.category, CAT_THEATRE);
    struct unit u;
    assert_int_equal(store_unit_get(f->s, "espoo-kirjasto", &u), 0);
    assert_string_equal(u.region, "espoo");
    assert_int_equal(store_unit_get(f->s, "nope", &u), -ERR_NOT_FOUND);

    /* Listings: units filtered to the actor's scope (R32), all of them for
     * the public pages (no actor); venues are public. */
    const struct {
        const struct actor *a;
        const char *region;
        int units;
    } lists[] = {
        {&nat, "", 5}, {&nat, "espoo", 3}, {&ce, "", 3},       {&ce, "kainuu", 0},
        {&ds, "", 1},  {NULL, "", 5},      {NULL, "espoo", 3},
    };
    for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
        int n = 0;
        assert_int_equal(store_unit_list(f->s, lists[i].a, lists[i].region, count_units, &n), 0);
        if (n != lists[i].units)
            fail_msg("unit list %zu: %d, expected %d", i, n, lists[i].units);
    }
    int n = 0;
    assert_int_equal(store_venue_list(f->s, "", count_venues, &n), 0);
    assert_int_equal(n, 5);
    n = 0;
    assert_int_equal(store_venue_list(f->s, "espoo", count_venues, &n), 0);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(store_region_list(f->s, count_regions, &n), 0);
    assert_int_equal(n, 4);
}

static int stop_at_first(void *ctx, const struct region *r)
{
    (void)ctx;
    (void)r;
    return 7;
}

static void test_list_callback_stops(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_region_list(f->s, stop_at_first, NULL), 7);
}

/* The change generation (store_generation, backend.h): reads leave it,
 * every committed write moves it, a refused write (nothing committed)
 * leaves it. Kept pages (web/pagecache.h) rest on this. PostgreSQL, whose
 * database other servers write too, may answer a new number on every call
 * (backend.h): there only the moves are asserted. */
static void test_generation(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL;
    const bool steady = !on_pg();
    uint64_t g0 = store_generation(f->s);
    struct venue v;
    assert_int_equal(store_venue_get(f->s, "hilla", &v), 0);
    assert_int_equal(store_region_list(f->s, stop_at_first, NULL), 7);
    assert_true(!steady || store_generation(f->s) == g0);
    const struct region r = {"turku", "Turku", -1};
    assert_int_equal(store_region_add(f->s, &nat, &r), 0);
    uint64_t g1 = store_generation(f->s);
    assert_true(g1 != g0);
    assert_int_equal(store_region_add(f->s, &nat, &r), -ERR_ALREADY_EXISTS);
    assert_true(!steady || store_generation(f->s) == g1);
    const struct region r2 = {"vaasa", "Vaasa", -1};
    assert_int_equal(store_region_add(f->s, &nat, &r2), 0);
    assert_true(store_generation(f->s) != g1 && store_generation(f->s) != g0);
}

static void test_users_R32(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, ce = COORD_ESPOO, ds = DIST_SOTE;
    const struct {
        const char *what;
        const struct actor *a;
        struct user u;
        int rc;
    } cases[] = {
        {"national adds a coordinator", &nat, {"anna", ROLE_COORDINATOR, "espoo", false}, 0},
        {"coordinator adds a distributor of the region",
         &ce,
         {"bertta", ROLE_DISTRIBUTOR, "espoo-sote", false},
         0},
        {"coordinator adds venue staff", &ce, {"cecilia", ROLE_VENUE, "hilla", false}, 0},
        {"R32 coordinator, unit of another region",
         &ce,
         {"daniel", ROLE_DISTRIBUTOR, "kainuu-sote", false},
         -ERR_FORBIDDEN},
        {"R32 coordinator adds national", &ce, {"eero", ROLE_NATIONAL, "", false}, -ERR_FORBIDDEN},
        {"R32 coordinator, pop-up venue staff",
         &ce,
         {"fanni", ROLE_VENUE, "ateneum", false},
         -ERR_FORBIDDEN},
        {"R32 distributor adds a coordinator",
         &ds,
         {"gus", ROLE_COORDINATOR, "espoo", false},
         -ERR_FORBIDDEN},
        {"unknown unit", &nat, {"heikki", ROLE_DISTRIBUTOR, "nope", false}, -ERR_NOT_FOUND},
        {"coordinator without region",
         &nat,
         {"ilona", ROLE_COORDINATOR, "", false},
         -ERR_INVALID_REQUEST},
        {"duplicate", &nat, {"anna", ROLE_COORDINATOR, "kainuu", false}, -ERR_ALREADY_EXISTS},
        {"national adds national", &nat, {"juha", ROLE_NATIONAL, "", false}, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int rc = store_user_add(f->s, cases[i].a, &cases[i].u, "$argon2id$v=19$hash");
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
    }
    struct user u;
    char hash[PASSWORD_HASH_MAX + 1];
    assert_int_equal(store_user_get(f->s, "bertta", &u, hash), 0);
    assert_int_equal(u.role, ROLE_DISTRIBUTOR);
    assert_string_equal(u.scope, "espoo-sote");
    assert_string_equal(hash, "$argon2id$v=19$hash");
    assert_false(u.disabled);
    assert_int_equal(store_user_get(f->s, "nobody", &u, NULL), -ERR_NOT_FOUND);

    int n = 0;
    assert_int_equal(store_user_list(f->s, &nat, count_users, &n), 0);
    assert_int_equal(n, 4);
    n = 0;
    assert_int_equal(store_user_list(f->s, &ce, count_users, &n), 0);
    assert_int_equal(n, 3); /* anna, bertta, cecilia: users of Espoo */

    struct actor ck = COORD_KAINUU;
    assert_int_equal(store_user_disable(f->s, &ck, "bertta"), -ERR_FORBIDDEN);
    assert_int_equal(store_user_disable(f->s, &ce, "nobody"), -ERR_NOT_FOUND);
    assert_int_equal(store_user_set_password(f->s, &ck, "bertta", "$new", NULL), -ERR_FORBIDDEN);
    struct actor bertta = actor("bertta", ROLE_DISTRIBUTOR, "espoo-sote");
    assert_int_equal(store_user_set_password(f->s, &bertta, "bertta", "$mine", NULL), 0);
    assert_int_equal(store_user_get(f->s, "bertta", &u, hash), 0);
    assert_string_equal(hash, "$mine");
}

static void test_sessions(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, ce = COORD_ESPOO;
    const struct user bertta = {"bertta", ROLE_DISTRIBUTOR, "espoo-sote", false};
    assert_int_equal(store_user_add(f->s, &nat, &bertta, "$h"), 0);
    uint8_t t1[TOKEN_HASH_BYTES], t2[TOKEN_HASH_BYTES], t3[TOKEN_HASH_BYTES];
    memset(t1, 1, sizeof t1);
    memset(t2, 2, sizeof t2);
    memset(t3, 3, sizeof t3);
    int64_t now = T(NOW);
    assert_int_equal(store_session_add(f->s, t1, "bertta", now, now + 3600), 0);
    assert_int_equal(store_session_add(f->s, t2, "bertta", now, now + 3600), 0);
    assert_int_equal(store_session_add(f->s, t3, "bertta", now, now - 1), 0);
    assert_int_equal(store_session_add(f->s, t3, "nobody", now, now + 3600), -ERR_ALREADY_EXISTS);
    struct user u;
    int64_t expires = 0;
    assert_int_equal(store_session_get(f->s, t1, now, &u, &expires), 0);
    assert_int_equal(expires, now + 3600);
    assert_string_equal(u.username, "bertta");
    assert_string_equal(u.scope, "espoo-sote");
    assert_int_equal(store_session_get(f->s, t3, now, &u, NULL),
                     -ERR_UNAUTHENTICATED); /* expired */
    assert_int_equal(store_session_get(f->s, t1, now + 3600, &u, NULL), -ERR_UNAUTHENTICATED);

    /* A password change ends every other session. */
    struct actor b = actor("bertta", ROLE_DISTRIBUTOR, "espoo-sote");
    assert_int_equal(store_user_set_password(f->s, &b, "bertta", "$h2", t1), 0);
    assert_int_equal(store_session_get(f->s, t1, now, &u, NULL), 0);
    assert_int_equal(store_session_get(f->s, t2, now, &u, NULL), -ERR_UNAUTHENTICATED);

    assert_int_equal(store_session_delete(f->s, t1), 0);
    assert_int_equal(store_session_get(f->s, t1, now, &u, NULL), -ERR_UNAUTHENTICATED);

    /* A new session clears the user's expired ones. */
    char expired[128];
    snprintf(expired, sizeof expired,
             "SELECT count(*) FROM sessions WHERE username = 'bertta' AND expires_at <= %lld",
             (long long)now);
    assert_int_equal(store_session_add(f->s, t3, "bertta", now - 7200, now - 3600), 0);
    assert_int_equal(sql_int(f->path, expired), 1);
    assert_int_equal(store_session_add(f->s, t1, "bertta", now, now + 3600), 0);
    assert_int_equal(sql_int(f->path, expired), 0);

    /* Disabling ends all sessions, and a disabled user cannot sign in. */
    assert_int_equal(store_session_add(f->s, t2, "bertta", now, now + 3600), 0);
    assert_int_equal(store_user_disable(f->s, &ce, "bertta"), 0);
    assert_int_equal(store_session_get(f->s, t2, now, &u, NULL), -ERR_UNAUTHENTICATED);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sessions WHERE username = 'bertta'"),
                     0);
    assert_int_equal(store_user_get(f->s, "bertta", &u, NULL), 0);
    assert_true(u.disabled);
}

static void test_api_keys_R32(void **state)
{
    struct fixture *f = *state;
    struct actor hilla = VENUE_HILLA, kajaani = VENUE_KAJAANI;
    uint8_t h1[TOKEN_HASH_BYTES], h2[TOKEN_HASH_BYTES];
    memset(h1, 0xa1, sizeof h1);
    memset(h2, 0xb2, sizeof h2);
    int64_t id = 0, id2 = 0;
    assert_int_equal(store_api_key_add(f->s, &hilla, "hilla", "Lippupalvelu", h1, &id), 0);
    assert_true(id > 0);
    assert_int_equal(store_api_key_add(f->s, &kajaani, "hilla", "Vieras", h2, &id2),
                     -ERR_FORBIDDEN); /* R32 */
    assert_int_equal(store_api_key_add(f->s, &hilla, "nope", "X", h2, &id2), -ERR_NOT_FOUND);
    struct api_key k;
    assert_int_equal(store_api_key_find(f->s, h1, &k), 0);
    assert_int_equal(k.id, id);
    assert_string_equal(k.venue, "hilla");
    assert_string_equal(k.label, "Lippupalvelu");
    assert_int_equal(store_api_key_find(f->s, h2, &k), -ERR_UNAUTHENTICATED);
    int n = 0;
    assert_int_equal(store_api_key_list(f->s, &hilla, "hilla", count_keys, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_api_key_list(f->s, &kajaani, "hilla", count_keys, &n), -ERR_FORBIDDEN);
    assert_int_equal(store_api_key_revoke(f->s, &kajaani, "hilla", id), -ERR_FORBIDDEN);
    assert_int_equal(store_api_key_revoke(f->s, &hilla, "hilla", id), 0);
    assert_int_equal(store_api_key_revoke(f->s, &hilla, "hilla", id), -ERR_NOT_FOUND);
    assert_int_equal(store_api_key_find(f->s, h1, &k), -ERR_UNAUTHENTICATED);
    n = 0;
    assert_int_equal(store_api_key_list(f->s, &hilla, "hilla", count_keys, &n), 0);
    assert_int_equal(n, 0);
}

int main(void)
{
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_network_scopes_R32), T_(test_list_callback_stops), T_(test_users_R32),
        T_(test_sessions),           T_(test_api_keys_R32),        T_(test_generation),
    };
#undef T_
    return cmocka_run_group_tests(tests, NULL, NULL);
}
