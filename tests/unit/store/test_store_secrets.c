/* The store keeps what util/secret.h makes: a real argon2id hash and a real
 * token digest fit the store's buffers and the schema's columns (the sizes
 * are defined once, in util/secret.h, and store.h uses them). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "store/store.h"
#include "util/secret.h"
#include "util/strutil.h"

static void test_store_keeps_real_secrets(void **state)
{
    (void)state;
    assert_int_equal(secret_init(), 0);
    static struct fixture f; /* a new store, without the fixture's network */
    store_fresh(&f);
    struct store *s = f.s;

    /* A password hash, as kaiku user add and POST /users make it. */
    char hash[PASSWORD_HASH_MAX + 1];
    assert_int_equal(secret_hash_password("a-long-password-1", hash), 0);
    struct actor a = {.role = ROLE_NATIONAL, .now = T("2020-02-01T12:00")};
    str_copy(a.user, sizeof a.user, "tuki");
    struct user u = {.role = ROLE_NATIONAL};
    str_copy(u.username, sizeof u.username, "anna");
    assert_int_equal(store_user_add(s, &a, &u, hash), 0);
    char stored[PASSWORD_HASH_MAX + 1];
    assert_int_equal(store_user_get(s, "anna", &u, stored), 0);
    assert_string_equal(stored, hash);
    assert_true(secret_verify_password(stored, "a-long-password-1"));
    assert_false(secret_verify_password(stored, "a-long-password-2"));

    /* A session, stored by the digest of its token only. */
    char token[SECRET_TOKEN_LEN + 1];
    secret_token(token);
    uint8_t digest[TOKEN_HASH_BYTES];
    secret_digest(token, strlen(token), digest);
    assert_int_equal(store_session_add(s, digest, "anna", a.now, a.now + 3600), 0);
    struct user who;
    int64_t expires = 0;
    assert_int_equal(store_session_get(s, digest, a.now + 60, &who, &expires), 0);
    assert_string_equal(who.username, "anna");
    assert_int_equal(expires, a.now + 3600);
    digest[TOKEN_HASH_BYTES - 1] ^= 1;
    assert_int_equal(store_session_get(s, digest, a.now + 60, &who, NULL), -ERR_UNAUTHENTICATED);

    store_gone(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_keeps_real_secrets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
