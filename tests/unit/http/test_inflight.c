/* http/inflight.c: a principal's requests in flight are bounded, principals
 * apart, and a request that has finished makes room. */
#include "testutil.h"

#include <stdio.h>

#include "core/error.h"
#include "http/inflight.h"

static void test_bound(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        int rc; /* entering once more */
    } steps[] = {
        {"u|anna", 0},
        {"u|anna", 0},
        {"u|anna", 0},
        {"u|anna", -ERR_UNAVAILABLE}, /* a bound of 3 */
        {"v|hilla", 0},               /* another principal is not held up */
        {"u|anna", -ERR_UNAVAILABLE},
    };
    for (size_t i = 0; i < ARRAY_LEN(steps); i++)
        if (inflight_enter(steps[i].key, 3) != steps[i].rc)
            fail_msg("step %zu (%s)", i, steps[i].key);
    assert_int_equal(inflight_count("u|anna"), 3);
    inflight_leave("u|anna"); /* one finished: room for one */
    assert_int_equal(inflight_enter("u|anna", 3), 0);
    assert_int_equal(inflight_enter("u|anna", 3), -ERR_UNAVAILABLE);
    for (int i = 0; i < 3; i++)
        inflight_leave("u|anna");
    inflight_leave("v|hilla");
    assert_int_equal(inflight_count("u|anna"), 0);
    assert_int_equal(inflight_count("v|hilla"), 0);
}

/* Many principals at once: each gets its own count; all leave cleanly. */
static void test_many(void **state)
{
    (void)state;
    char key[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "u|user%d", i);
        assert_int_equal(inflight_enter(key, 1), 0);
    }
    for (int i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "u|user%d", i);
        assert_int_equal(inflight_enter(key, 1), -ERR_UNAVAILABLE);
        inflight_leave(key);
        assert_int_equal(inflight_count(key), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bound),
        cmocka_unit_test(test_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
