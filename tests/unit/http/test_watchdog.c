/* http/watchdog.c: a connection still receiving past the deadline is shut
 * down; one whose request is in, or one that was forgotten, is not. */
#include "testutil.h"

#include <sys/socket.h>
#include <unistd.h>

#include "http/watchdog.h"

/* True when the peer of sv[1] sees its connection shut down. */
static bool was_cut(int fd)
{
    char c;
    return recv(fd, &c, 1, MSG_DONTWAIT) == 0;
}

static void test_deadline(void **state)
{
    (void)state;
    struct watchdog w;
    assert_int_equal(watchdog_start(&w, 1000000), 0); /* the thread never cuts here */
    w.deadline_ms = 3000;
    static const struct {
        const char *what;
        bool receiving;
        int64_t after_ms;
        bool cut;
    } cases[] = {
        {"receiving, within the deadline", true, 2900, false},
        {"receiving, past the deadline", true, 3100, true},
        {"the request is in: not timed", false, 100000, false},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int sv[2];
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        struct watch *e = watchdog_add(&w, sv[0]);
        assert_non_null(e);
        watchdog_receiving(&w, e, cases[i].receiving);
        unsigned n = watchdog_sweep(&w, e->since_ms + cases[i].after_ms);
        if ((n == 1) != cases[i].cut || was_cut(sv[1]) != cases[i].cut)
            fail_msg("case %zu (%s): %u cut", i, cases[i].what, n);
        assert_int_equal(watchdog_sweep(&w, e->since_ms + cases[i].after_ms), 0); /* once */
        watchdog_remove(&w, e);
        close(sv[0]);
        close(sv[1]);
    }
    /* Receiving again after a reply: the deadline starts anew. */
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct watch *e = watchdog_add(&w, sv[0]);
    int64_t t0 = e->since_ms;
    watchdog_receiving(&w, e, false);
    usleep(20000);
    watchdog_receiving(&w, e, true);
    assert_true(e->since_ms >= t0 + 20);
    watchdog_remove(&w, e);
    assert_int_equal(watchdog_sweep(&w, t0 + 1000000), 0); /* forgotten: never cut */
    assert_false(was_cut(sv[1]));
    close(sv[0]);
    close(sv[1]);
    watchdog_stop(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
