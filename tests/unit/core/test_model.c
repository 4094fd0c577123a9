/* core/model.c: every name table maps each value to a name and back, and
 * refuses what is not a name (the API's enums come from these tables). */
#include "testutil.h"

#include <string.h>

#include "core/model.h"

static void test_round_trip(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        const struct name_table *t;
        int count;
    } tables[] = {
        {"roles", &role_names, ROLE_COUNT},
        {"card kinds", &card_kind_names, -1},
        {"card statuses", &card_status_names, -1},
        {"genders", &gender_names, GENDER_COUNT},
        {"life situations", &life_situation_names, -1},
        {"event kinds", &event_kind_names, -1},
        {"channels", &channel_names, CHANNEL_COUNT},
        {"venue categories", &venue_category_names, CAT_COUNT},
        {"transfer statuses", &transfer_status_names, -1},
    };
    for (size_t i = 0; i < ARRAY_LEN(tables); i++) {
        const struct name_table *t = tables[i].t;
        if (tables[i].count >= 0 && t->count != tables[i].count)
            fail_msg("%s: %d names for %d values", tables[i].what, t->count, tables[i].count);
        for (int v = 0; v < t->count; v++) {
            const char *name = name_of(t, v);
            assert_non_null(name);
            if (name_lookup(t, name) != v)
                fail_msg("%s: %s does not map back to %d", tables[i].what, name, v);
        }
        assert_int_equal(name_lookup(t, ""), -1);
        assert_int_equal(name_lookup(t, "no such name"), -1);
    }
}

static void test_seed_names(void **state)
{
    (void)state;
    static const struct {
        const struct name_table *t;
        const char *name;
        int value;
    } cases[] = {
        {&gender_names, "not_told", GENDER_NOT_TOLD},
        {&channel_names, "box_office", CHANNEL_BOX_OFFICE},
        {&role_names, "national", ROLE_NATIONAL},
        {&gender_names, "Female", -1}, /* names are exact: lower case */
        {&channel_names, "box office", -1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        if (name_lookup(cases[i].t, cases[i].name) != cases[i].value)
            fail_msg("case %zu (%s)", i, cases[i].name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_seed_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
