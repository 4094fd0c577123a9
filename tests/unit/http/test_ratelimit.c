/* http/ratelimit.c: failures counted per key in buckets over a sliding
 * window; a key at its limit is refused with the seconds until it is not.
 * The same in memory and in a store shared by several servers (the
 * store's failure counts, here on a SQLite file). */
#include "testutil.h"

#include <stdio.h>

#include "core/error.h"
#include "http/ratelimit.h"
#include "store/store.h"

#define T0 1800000000 /* a multiple of the 60 s bucket length */

static void fail_n(const char *key, int n, int64_t at)
{
    for (int i = 0; i < n; i++)
        ratelimit_fail(key, at);
}

/* Where the failures are counted: this process's memory, or a store. */
static struct store *shared;

static void fail_at(const char *key, int64_t at)
{
    if (shared)
        assert_int_equal(ratelimit_fail_shared(shared, key, at), 0);
    else
        ratelimit_fail(key, at);
}

static int check_at(const char *key, unsigned limit, int64_t at, int64_t *retry)
{
    return shared ? ratelimit_check_shared(shared, key, limit, at, retry)
                  : ratelimit_check(key, limit, at, retry);
}

/* A key the store has not seen yet: each case of a table its own. */
static const char *fresh_key(char buf[32], size_t i)
{
    snprintf(buf, 32, "u|case%zu", i);
    return buf;
}

static void limit_and_retry(void)
{
    static const struct {
        const char *what;
        int failures_at_t0, failures_at_t0_plus_90; /* two buckets */
        unsigned limit;
        int64_t asked_at;
        int rc;
        int64_t retry_after; /* when rc != 0 */
    } cases[] = {
        {"no failures", 0, 0, 3, T0, 0, 0},
        {"below the limit", 2, 0, 3, T0, 0, 0},
        {"at the limit", 3, 0, 3, T0 + 10, -ERR_RATE_LIMITED, 590},
        {"the window has passed", 3, 0, 3, T0 + 600, 0, 0},
        {"one second before it passes", 3, 0, 3, T0 + 599, -ERR_RATE_LIMITED, 1},
        {"two buckets: the older leaving is enough", 2, 2, 3, T0 + 100, -ERR_RATE_LIMITED, 500},
        {"two buckets: both must leave", 1, 3, 3, T0 + 100, -ERR_RATE_LIMITED, 560},
        {"two buckets: the older has left", 2, 2, 3, T0 + 600, 0, 0},
        {"a high limit", 50, 49, 100, T0 + 100, 0, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        ratelimit_reset();
        char buf[32];
        const char *k = fresh_key(buf, i);
        for (int n = 0; n < cases[i].failures_at_t0; n++)
            fail_at(k, T0);
        for (int n = 0; n < cases[i].failures_at_t0_plus_90; n++)
            fail_at(k, T0 + 90);
        int64_t retry = -1;
        int rc = check_at(k, cases[i].limit, cases[i].asked_at, &retry);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s)%s: rc %d", i, cases[i].what, shared ? " shared" : "", rc);
        if (rc != 0 && retry != cases[i].retry_after)
            fail_msg("case %zu (%s)%s: retry after %lld", i, cases[i].what, shared ? " shared" : "",
                     (long long)retry);
    }
}

static void test_limit_and_retry(void **state)
{
    (void)state;
    limit_and_retry();
}

/* The same cases counted in a store, as servers sharing one database count
 * them: one verdict over the buckets, wherever they are kept. */
static void test_limit_and_retry_shared(void **state)
{
    (void)state;
    const char *dir = tmpdir_make();
    char path[512];
    snprintf(path, sizeof path, "%s/shared.db", dir);
    assert_int_equal(store_open(path, &shared), 0);
    assert_int_equal(store_migrate(shared, NULL, NULL), 0);
    limit_and_retry();
    /* Keys apart, and nothing of the memory table: it holds none of them. */
    int64_t retry;
    for (int n = 0; n < 5; n++)
        fail_at("u|anna", T0);
    assert_int_equal(check_at("u|anna", 5, T0, &retry), -ERR_RATE_LIMITED);
    assert_int_equal(check_at("u|bertta", 5, T0, &retry), 0);
    assert_int_equal(ratelimit_check("u|anna", 5, T0, &retry), 0);
    /* Counts an hour old go as new failures come, any key's. */
    fail_at("u|cecilia", T0 + FAILURES_KEPT + 1);
    assert_int_equal(check_at("u|anna", 5, T0, &retry), 0);
    store_close(shared);
    shared = NULL;
    tmpdir_remove(dir);
}

static void test_keys_apart(void **state)
{
    (void)state;
    ratelimit_reset();
    int64_t retry;
    fail_n("u|anna", 5, T0);
    assert_int_equal(ratelimit_check("u|anna", 5, T0, &retry), -ERR_RATE_LIMITED);
    assert_int_equal(ratelimit_check("u|bertta", 5, T0, &retry), 0);
    assert_int_equal(ratelimit_check("a|127.0.0.1", 5, T0, &retry), 0);
    /* Many keys: the table forgets the stalest, never the busy one. */
    for (int i = 0; i < 5000; i++) {
        char key[32];
        snprintf(key, sizeof key, "u|k%d", i);
        ratelimit_fail(key, T0 - 300);
        fail_n("u|anna", 1, T0);
    }
    assert_int_equal(ratelimit_check("u|anna", 5, T0, &retry), -ERR_RATE_LIMITED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_and_retry),
        cmocka_unit_test(test_limit_and_retry_shared),
        cmocka_unit_test(test_keys_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
