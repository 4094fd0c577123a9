/* http/proxy.c: X-Forwarded-For believed only from trusted proxies, read
 * from the right up to the first address that is not one. */
#include "testutil.h"

#include <string.h>

#include "core/error.h"
#include "http/proxy.h"

static void test_client_address(void **state)
{
    (void)state;
    struct proxy_list l = {0};
    assert_int_equal(proxy_add(&l, "10.0.0.1"), 0);
    assert_int_equal(proxy_add(&l, "10.0.0.2"), 0);
    assert_int_equal(proxy_add(&l, "::1"), 0);
    static const struct {
        const char *what, *peer, *forwarded, *client;
    } cases[] = {
        {"no proxy: the peer", "192.0.2.7", NULL, "192.0.2.7"},
        {"an untrusted peer's header is ignored", "192.0.2.7", "198.51.100.1", "192.0.2.7"},
        {"a trusted peer: the address it serves", "10.0.0.1", "198.51.100.1", "198.51.100.1"},
        {"a trusted peer with no header: itself", "10.0.0.1", NULL, "10.0.0.1"},
        {"the rightmost untrusted entry, not the forged left one", "10.0.0.1",
         "203.0.113.9, 198.51.100.1", "198.51.100.1"},
        {"two trusted hops", "10.0.0.1", "203.0.113.9, 198.51.100.1, 10.0.0.2", "198.51.100.1"},
        {"every hop trusted: the leftmost", "10.0.0.1", "10.0.0.2", "10.0.0.2"},
        {"garbage stops at the trusted hop", "10.0.0.1", "x-forged", "10.0.0.1"},
        {"garbage behind a trusted hop", "10.0.0.1", "x-forged, 10.0.0.2", "10.0.0.2"},
        {"an empty entry is garbage", "10.0.0.1", "198.51.100.1,", "10.0.0.1"},
        {"IPv6, written in its short form", "::1", "2001:db8:0:0::5", "2001:db8::5"},
        {"spaces and tabs around entries", "10.0.0.1", " 198.51.100.1\t", "198.51.100.1"},
        {"an over-long entry", "10.0.0.1",
         "1111111111111111111111111111111111111111111111111111111111111111111", "10.0.0.1"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char out[ADDRESS_MAX + 1];
        proxy_client_address(&l, cases[i].peer, cases[i].forwarded, out);
        if (strcmp(out, cases[i].client) != 0)
            fail_msg("case %zu (%s): %s", i, cases[i].what, out);
    }
    char out[ADDRESS_MAX + 1];
    proxy_client_address(NULL, "10.0.0.1", "198.51.100.1", out);
    assert_string_equal(out, "10.0.0.1"); /* no list: nobody is trusted */
}

static void test_add(void **state)
{
    (void)state;
    struct proxy_list l = {0};
    static const struct {
        const char *text;
        int rc;
    } cases[] = {
        {"127.0.0.1", 0},
        {"::ffff:10.1.2.3", 0},
        {"fe80::1", 0},
        {"localhost", -ERR_INVALID_REQUEST},
        {"10.0.0.0/8", -ERR_INVALID_REQUEST},
        {"", -ERR_INVALID_REQUEST},
        {"1.2.3", -ERR_INVALID_REQUEST},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        if (proxy_add(&l, cases[i].text) != cases[i].rc)
            fail_msg("%s", cases[i].text);
    while (l.n < PROXIES_MAX)
        assert_int_equal(proxy_add(&l, "10.9.9.9"), 0);
    assert_int_equal(proxy_add(&l, "10.9.9.8"), -ERR_INVALID_REQUEST); /* full */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_address),
        cmocka_unit_test(test_add),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
