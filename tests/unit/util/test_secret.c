/* util/secret.c: argon2id passwords, random tokens, digests, constant-time
 * comparison. */
#include "testutil.h"

#include <string.h>

#include "util/secret.h"

static int setup(void **state)
{
    (void)state;
    return secret_init();
}

static void test_password_acceptable(void **state)
{
    (void)state;
    char longest[PASSWORD_MAX_LEN + 2];
    memset(longest, 'a', sizeof longest);
    longest[PASSWORD_MAX_LEN] = '\0';
    static const struct {
        const char *what, *password;
        bool ok;
    } cases[] = {
        {"empty", "", false},
        {"nine bytes", "123456789", false},
        {"ten bytes", "1234567890", true},
        {"ten bytes of UTF-8 (five letters)", "ääääå", true},
        {"twelve spaces", "            ", false},
        {"spaces and tabs", "  \t\t  \t\t  \t", false},
        {"no-break and ideographic spaces", "\xc2\xa0\xc2\xa0\xe3\x80\x80\xe3\x80\x80  ", false},
        {"spaces with one letter", "           x", true},
        {"a letter between spaces", "     x     ", true},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        if (secret_password_acceptable(cases[i].password) != cases[i].ok)
            fail_msg("case %zu (%s)", i, cases[i].what);
    assert_true(secret_password_acceptable(longest));
    longest[PASSWORD_MAX_LEN] = 'a';
    longest[PASSWORD_MAX_LEN + 1] = '\0';
    assert_false(secret_password_acceptable(longest));
}

static void test_hash_and_verify(void **state)
{
    (void)state;
    char h1[SECRET_HASH_MAX + 1], h2[SECRET_HASH_MAX + 1];
    assert_int_equal(secret_hash_password("correct-horse-battery", h1), 0);
    assert_int_equal(secret_hash_password("correct-horse-battery", h2), 0);
    assert_true(strncmp(h1, "$argon2id$", 10) == 0);
    assert_string_not_equal(h1, h2); /* salted */
    assert_true(secret_verify_password(h1, "correct-horse-battery"));
    assert_true(secret_verify_password(h2, "correct-horse-battery"));
    assert_false(secret_verify_password(h1, "correct-horse-batterY"));
    assert_false(secret_verify_password(h1, ""));
    assert_false(secret_verify_password("", "correct-horse-battery"));
    assert_false(secret_verify_password("$argon2id$garbage", "correct-horse-battery"));
}

static void test_tokens_and_digests(void **state)
{
    (void)state;
    char a[SECRET_TOKEN_LEN + 1], b[SECRET_TOKEN_LEN + 1];
    secret_token(a);
    secret_token(b);
    assert_int_equal(strlen(a), SECRET_TOKEN_LEN);
    assert_string_not_equal(a, b);
    for (size_t i = 0; i < SECRET_TOKEN_LEN; i++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", a[i]));
    uint8_t da[SECRET_DIGEST_BYTES], da2[SECRET_DIGEST_BYTES], db[SECRET_DIGEST_BYTES];
    secret_digest(a, strlen(a), da);
    secret_digest(a, strlen(a), da2);
    secret_digest(b, strlen(b), db);
    assert_memory_equal(da, da2, sizeof da);
    assert_memory_not_equal(da, db, sizeof da);
    assert_true(secret_equal(da, da2, sizeof da));
    assert_false(secret_equal(da, db, sizeof da));
    assert_true(secret_equal("abc", "abd", 2));
    assert_false(secret_equal("abc", "abd", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_acceptable),
        cmocka_unit_test(test_hash_and_verify),
        cmocka_unit_test(test_tokens_and_digests),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
