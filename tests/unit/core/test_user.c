/* core/user.c: the one username rule (R27, R34) that the command line, the
 * API and the database (migration 004) enforce. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "core/rules.h"

static void test_username_check_R27_R34(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        bool allowed;
        const char *why;
    } cases[] = {
        {"anna", true, "letters"},
        {"Anna.Virtanen@espoo.fi", true, "an e-mail address"},
        {"kassa-hilla_2", true, "- _ and digits"},
        {"a", true, "one byte"},
        {"0", true, "one digit"},
        {"key", true, "the word alone"},
        {"keys.1", true, "no colon"},
        {"clio", true, "only 'cli' itself is taken"},
        {"CLI", true, "usernames are case-sensitive, as the database compares them"},
        {"", false, "empty"},
        {"key:1", false, "R27/R34: an API key's actor name"},
        {"key:", false, "a colon"},
        {"anna:1", false, "a colon anywhere"},
        {"cli", false, "R34: the command line's actor name"},
        {"anna virtanen", false, "a space"},
        {" anna", false, "a leading space"},
        {"anna\t", false, "a tab"},
        {"anna\n", false, "a newline"},
        {"matti.meikäläinen", false, "not ASCII"},
        {"anna|x", false, "'|' (the rate limiter's separator)"},
        {"anna/x", false, "a slash (it would not fit a path)"},
        {"anna%20", false, "a percent sign"},
        {"anna'x", false, "a quote"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct error_details d = {0};
        int rc = username_check(cases[i].name, &d);
        if (rc != (cases[i].allowed ? 0 : -ERR_INVALID_REQUEST))
            fail_msg("\"%s\" (%s): %d", cases[i].name, cases[i].why, rc);
        if (!cases[i].allowed)
            assert_string_equal(d.field, "username");
        assert_int_equal(username_check(cases[i].name, NULL), rc);
    }
}

/* The length bounds match USERNAME_MAX, the size of every username buffer:
 * the last allowed length and the first refused one. */
static void test_username_length_bounds(void **state)
{
    (void)state;
    char name[USERNAME_MAX + 2];
    memset(name, 'a', sizeof name);
    name[USERNAME_MAX] = '\0';
    assert_int_equal(username_check(name, NULL), 0);
    name[USERNAME_MAX] = 'a';
    name[USERNAME_MAX + 1] = '\0';
    assert_int_equal(username_check(name, NULL), -ERR_INVALID_REQUEST);
}

/* A venue's API keys are capped: the last count allowed and the first
 * refused. */
static void test_api_key_cap(void **state)
{
    (void)state;
    static const struct {
        int64_t held;
        int rc;
    } cases[] = {
        {0, 0},
        {API_KEYS_PER_VENUE - 1, 0},
        {API_KEYS_PER_VENUE, -ERR_API_KEY_LIMIT},
        {API_KEYS_PER_VENUE + 5, -ERR_API_KEY_LIMIT},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_int_equal(api_key_check_count(cases[i].held), cases[i].rc);
}

/* Every name an API key can act under ("key:ID", http/session.c) is
 * refused, for small and for the largest ids. */
static void test_no_user_is_an_api_key_R27(void **state)
{
    (void)state;
    static const long long ids[] = {1, 7, 42, 1000000, 9223372036854775807LL};
    for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
        char actor[USERNAME_MAX + 1];
        snprintf(actor, sizeof actor, "key:%lld", ids[i]);
        assert_int_equal(username_check(actor, NULL), -ERR_INVALID_REQUEST);
    }
    assert_int_equal(username_check(USERNAME_CLI, NULL), -ERR_INVALID_REQUEST);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_username_check_R27_R34),
        cmocka_unit_test(test_username_length_bounds),
        cmocka_unit_test(test_no_user_is_an_api_key_R27),
        cmocka_unit_test(test_api_key_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
