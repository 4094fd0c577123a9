/* http/signin.c: the sign-in throttle's growing delays, per key; and the
 * bound on hashes at once. */
#include "testutil.h"

#include "core/error.h"
#include "http/signin.h"

#define T0 1800000000

static void test_growing_delays(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        int failures;
        int64_t asked_after; /* seconds after the latest failure */
        int rc;
        int64_t retry_after;
    } cases[] = {
        {"none", 0, 0, 0, 0},
        {"fewer than the free ones", 4, 0, 0, 0},
        {"the last free one: then 2 s", 5, 0, -ERR_RATE_LIMITED, 2},
        {"... 1 s later", 5, 1, -ERR_RATE_LIMITED, 1},
        {"... 2 s later", 5, 2, 0, 0},
        {"one more: 4 s", 6, 1, -ERR_RATE_LIMITED, 3},
        {"four more: 32 s", 9, 0, -ERR_RATE_LIMITED, 32},
        {"many: at most SIGNIN_DELAY_MAX", 40, 0, -ERR_RATE_LIMITED, SIGNIN_DELAY_MAX},
        {"forgotten after SIGNIN_FORGET", 40, SIGNIN_FORGET + 1, 0, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        signin_throttle_reset();
        for (int k = 0; k < cases[i].failures; k++)
            signin_throttle_fail("u|anna", T0);
        int64_t retry = -1;
        int rc = signin_throttle_check("u|anna", 5, T0 + cases[i].asked_after, &retry);
        if (rc != cases[i].rc || (rc != 0 && retry != cases[i].retry_after))
            fail_msg("case %zu (%s): rc %d retry %lld", i, cases[i].what, rc, (long long)retry);
    }
}

static void test_keys_apart_and_cleared(void **state)
{
    (void)state;
    signin_throttle_reset();
    int64_t retry;
    for (int k = 0; k < 8; k++)
        signin_throttle_fail("u|anna", T0);
    assert_int_equal(signin_throttle_check("u|anna", 5, T0, &retry), -ERR_RATE_LIMITED);
    assert_int_equal(signin_throttle_check("u|bertta", 5, T0, &retry), 0);
    assert_int_equal(signin_throttle_check("a|192.0.2.1", 5, T0, &retry), 0);
    signin_throttle_clear("u|anna"); /* a successful sign-in */
    assert_int_equal(signin_throttle_check("u|anna", 5, T0, &retry), 0);
    /* Many keys (a guesser trying names): the table forgets the stalest,
     * never the one being guessed at now. */
    for (int k = 0; k < 8; k++)
        signin_throttle_fail("u|anna", T0);
    for (int i = 0; i < 5000; i++) {
        char key[32];
        snprintf(key, sizeof key, "u|k%d", i);
        signin_throttle_fail(key, T0 - 300);
    }
    assert_int_equal(signin_throttle_check("u|anna", 5, T0, &retry), -ERR_RATE_LIMITED);
}

static void test_hash_slots(void **state)
{
    (void)state;
    for (int i = 0; i < SIGNIN_HASHES_MAX; i++)
        assert_int_equal(signin_hash_begin(), 0);
    /* All taken: the next waits SIGNIN_HASH_WAIT_MS, then gives up. */
    assert_int_equal(signin_hash_begin(), -ERR_UNAVAILABLE);
    signin_hash_end();
    assert_int_equal(signin_hash_begin(), 0);
    for (int i = 0; i < SIGNIN_HASHES_MAX; i++)
        signin_hash_end();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_growing_delays),
        cmocka_unit_test(test_keys_apart_and_cleared),
        cmocka_unit_test(test_hash_slots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
