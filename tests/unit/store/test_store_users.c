/* store/: disabling and re-enabling users, and the API keys of a disabled
 * user (issue 15, item 3; R32, R34). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "util/strutil.h"

/* The users of these tests and the API keys they created. */
enum { K_KASSA1, K_KASSA2, K_ANNA, K_KAJAANI, K_COUNT };

struct keys {
    uint8_t hash[K_COUNT][TOKEN_HASH_BYTES];
    int64_t id[K_COUNT];
};

static void users_and_keys(struct fixture *f, struct keys *k)
{
    struct actor nat = NATIONAL;
    static const struct user users[] = {
        {"anna", ROLE_COORDINATOR, "espoo", false},
        {"kassa", ROLE_VENUE, "hilla", false},
        {"kassa-k", ROLE_VENUE, "kajaani", false},
        {"tuki2", ROLE_NATIONAL, "", false},
    };
    for (size_t i = 0; i < ARRAY_LEN(users); i++)
        assert_int_equal(store_user_add(f->s, &nat, &users[i], "$argon2id$v=19$hash"), 0);
    static const struct {
        const char *user, *venue;
        enum role role;
        const char *scope;
    } made[K_COUNT] = {
        [K_KASSA1] = {"kassa", "hilla", ROLE_VENUE, "hilla"},
        [K_KASSA2] = {"kassa", "hilla", ROLE_VENUE, "hilla"},
        [K_ANNA] = {"anna", "hilla", ROLE_COORDINATOR, "espoo"},
        [K_KAJAANI] = {"kassa-k", "kajaani", ROLE_VENUE, "kajaani"},
    };
    for (int i = 0; i < K_COUNT; i++) {
        struct actor by = actor(made[i].user, made[i].role, made[i].scope);
        memset(k->hash[i], 0x10 + i, TOKEN_HASH_BYTES);
        assert_int_equal(
            store_api_key_add(f->s, &by, made[i].venue, "Lippupalvelu", k->hash[i], &k->id[i]), 0);
    }
}

#define ALL_KEYS ((1u << K_COUNT) - 1)
#define KEY(k)   (1u << (k))

/* Each step in order: who does what to whom, the answer, then which keys
 * work and whether the user is disabled. A disabled user's keys stop at
 * once; re-enabling the user does not bring them back. */
static void test_disable_enable_and_keys_R32(void **state)
{
    struct fixture *f = *state;
    struct keys k;
    users_and_keys(f, &k);
    const struct actor nat = NATIONAL, ck = COORD_KAINUU,
                       anna = actor("anna", ROLE_COORDINATOR, "espoo"),
                       tuki2 = actor("tuki2", ROLE_NATIONAL, "");
    enum op { DISABLE, ENABLE };
    static const char *const rule = "R32";
    (void)rule;
    const struct {
        const char *what;
        const struct actor *a;
        enum op op;
        const char *user;
        int rc;
        unsigned keys_working;
        bool disabled;
    } steps[] = {
        {"R32 coordinator of another region", &ck, DISABLE, "kassa", -ERR_FORBIDDEN, ALL_KEYS,
         false},
        {"nobody disables themselves", &anna, DISABLE, "anna", -ERR_FORBIDDEN, ALL_KEYS, false},
        {"national cannot either", &tuki2, DISABLE, "tuki2", -ERR_FORBIDDEN, ALL_KEYS, false},
        {"R32 a coordinator, a national user", &anna, DISABLE, "tuki2", -ERR_FORBIDDEN, ALL_KEYS,
         false},
        {"unknown user", &anna, DISABLE, "nobody", -ERR_NOT_FOUND, ALL_KEYS, false},
        {"coordinator disables venue staff: their two keys stop", &anna, DISABLE, "kassa", 0,
         KEY(K_ANNA) | KEY(K_KAJAANI), true},
        {"disabled again: nothing more stops", &anna, DISABLE, "kassa", 0,
         KEY(K_ANNA) | KEY(K_KAJAANI), true},
        {"R32 re-enabled from another region", &ck, ENABLE, "kassa", -ERR_FORBIDDEN,
         KEY(K_ANNA) | KEY(K_KAJAANI), true},
        {"re-enabled: the keys stay revoked", &anna, ENABLE, "kassa", 0,
         KEY(K_ANNA) | KEY(K_KAJAANI), false},
        {"enabling an enabled user changes nothing", &anna, ENABLE, "kassa", 0,
         KEY(K_ANNA) | KEY(K_KAJAANI), false},
        {"national disables the coordinator: the key she made for Hilla stops", &nat, DISABLE,
         "anna", 0, KEY(K_KAJAANI), true},
        {"nobody re-enables themselves", &anna, ENABLE, "anna", -ERR_FORBIDDEN, KEY(K_KAJAANI),
         true},
        {"national re-enables her", &nat, ENABLE, "anna", 0, KEY(K_KAJAANI), false},
        {"unknown user re-enabled", &nat, ENABLE, "nobody", -ERR_NOT_FOUND, KEY(K_KAJAANI), false},
    };
    for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
        int rc = steps[i].op == DISABLE ? store_user_disable(f->s, steps[i].a, steps[i].user)
                                        : store_user_enable(f->s, steps[i].a, steps[i].user);
        if (rc != steps[i].rc)
            fail_msg("step %zu (%s): %d, expected %d", i, steps[i].what, rc, steps[i].rc);
        for (int j = 0; j < K_COUNT; j++) {
            struct api_key found;
            bool works = store_api_key_find(f->s, k.hash[j], &found) == 0;
            if (works != ((steps[i].keys_working & KEY(j)) != 0))
                fail_msg("step %zu (%s): key %d %s", i, steps[i].what, j,
                         works ? "still works" : "stopped");
        }
        struct user u;
        const char *whom = strcmp(steps[i].user, "nobody") == 0 ? "kassa" : steps[i].user;
        assert_int_equal(store_user_get(f->s, whom, &u, NULL), 0);
        if (steps[i].rc == 0 && u.disabled != steps[i].disabled)
            fail_msg("step %zu (%s): disabled %d", i, steps[i].what, u.disabled);
    }

    /* R34: a revoked key, a disabling and a re-enabling each leave their row:
     * kassa's two keys and Anna's one, three disablings, three re-enablings. */
    assert_int_equal(count_audit(f->s, "api_key.revoke"), 3);
    assert_int_equal(count_audit(f->s, "user.disable"), 3);
    assert_int_equal(count_audit(f->s, "user.enable"), 3);
    /* The venue's key list shows none of the revoked keys. */
    struct actor hilla = VENUE_HILLA;
    int n = 0;
    assert_int_equal(store_api_key_list(f->s, &hilla, "hilla", count_keys, &n), 0);
    assert_int_equal(n, 0);
}

static int revoke_rows(void *ctx, const struct audit_entry *e)
{
    char *seen = ctx;
    if (strcmp(e->action, "api_key.revoke") == 0) {
        size_t n = strlen(seen);
        snprintf(seen + n, 256 - n, "%s %s %s;", e->user, e->object, e->region);
    }
    return 0;
}

/* R34: each revoked key is audited by whoever disabled its maker, in the
 * region of the key's venue (the coordinator of that region sees it). */
static void test_revoked_keys_audited_R34(void **state)
{
    struct fixture *f = *state;
    struct keys k;
    users_and_keys(f, &k);
    struct actor nat = NATIONAL;
    assert_int_equal(store_user_disable(f->s, &nat, "kassa-k"), 0);
    char seen[256] = "", expected[128];
    assert_int_equal(store_audit_list(f->s, &nat, NULL, revoke_rows, seen), 0);
    snprintf(expected, sizeof expected, "nat api_key:%lld kainuu;", (long long)k.id[K_KAJAANI]);
    assert_string_equal(seen, expected);
}

int main(void)
{
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_disable_enable_and_keys_R32),
        T_(test_revoked_keys_audited_R34),
    };
#undef T_
    return cmocka_run_group_tests(tests, NULL, NULL);
}
