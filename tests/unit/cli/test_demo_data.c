/* cli/cmd_demo_data.c: the demo's tables obey the rules the store will apply
 * when kaiku demo replays them, so that the demo never fails half-way: ids,
 * names, usernames (R34's one rule), card codes (R1), restrictions (R17)
 * and the seed's report example (R28) exactly as the operating model gives
 * it. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_demo_data.h"
#include "core/rules.h"
#include "util/date.h"
#include "util/strutil.h"

#define USERS_MAX (1 + REGIONS + UNITS + VENUES)

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* R34: every demo login passes the one username rule, and none is taken
 * twice; every id is a slug, every name fits. */
static void test_demo_network_R34(void **state)
{
    (void)state;
    const char *users[USERS_MAX];
    size_t n = 0;
    users[n++] = "tuki";
    for (int i = 0; i < REGIONS; i++) {
        assert_true(str_is_slug(demo_regions[i].id, ID_MAX));
        assert_true(strlen(demo_regions[i].name) <= NAME_MAX_BYTES);
        assert_true(demo_regions[i].npostal > 0 && demo_regions[i].ntongues > 0);
        for (size_t k = 0; k < demo_regions[i].npostal; k++)
            assert_true(handout_postal_code_valid(demo_regions[i].postal[k]));
        for (size_t k = 0; k < demo_regions[i].ntongues; k++) {
            char lang[6];
            assert_int_equal(handout_language_normalize(demo_regions[i].tongues[k].value, lang), 0);
        }
        users[n++] = demo_regions[i].coordinator;
    }
    for (int i = 0; i < UNITS; i++) {
        assert_true(str_is_slug(demo_units[i].id, ID_MAX));
        assert_true(demo_units[i].region >= 0 && demo_units[i].region < REGIONS);
        users[n++] = demo_units[i].distributor;
    }
    for (int i = 0; i < VENUES; i++) {
        assert_true(str_is_slug(demo_venues[i].id, ID_MAX));
        assert_true(demo_venues[i].region >= -1 && demo_venues[i].region < REGIONS);
        assert_true(strlen(demo_venues[i].accessibility) <= TEXT_MAX_BYTES);
        users[n++] = demo_venues[i].staff;
    }
    assert_int_equal(n, USERS_MAX);
    for (size_t i = 0; i < n; i++)
        if (username_check(users[i], NULL) != 0)
            fail_msg("demo user %s breaks the username rule", users[i]);
    qsort(users, n, sizeof users[0], cmp_str);
    for (size_t i = 1; i < n; i++)
        if (strcmp(users[i - 1], users[i]) == 0)
            fail_msg("demo user %s twice", users[i]);
}

/* R1: every unit's stock codes are valid card codes and no code is in two
 * units' stock. */
static void test_demo_stock_codes_R1(void **state)
{
    (void)state;
    static char codes[UNITS * STOCK_CARDS][CODE_MAX + 1];
    const char *sorted[UNITS * STOCK_CARDS];
    size_t n = 0;
    for (int u = 0; u < UNITS; u++) {
        const struct unit_def *ud = &demo_units[u];
        for (int i = 0; i < STOCK_CARDS; i++, n++) {
            if (i < STOCK_PERSONAL)
                snprintf(codes[n], sizeof codes[n], "%s%0*d", ud->prefix, ud->digits,
                         ud->first + i);
            else
                snprintf(codes[n], sizeof codes[n], "%s%04d", ud->community_prefix,
                         ud->community_first + i - STOCK_PERSONAL);
            char normal[CODE_MAX + 1];
            assert_int_equal(card_code_normalize(codes[n], normal), 0);
            assert_string_equal(normal, codes[n]);
            sorted[n] = codes[n];
        }
    }
    qsort(sorted, n, sizeof sorted[0], cmp_str);
    for (size_t i = 1; i < n; i++)
        if (strcmp(sorted[i - 1], sorted[i]) == 0)
            fail_msg("card %s in two units' stock", sorted[i]);
}

/* R15, R17: the programme's events pass event_validate with the caps and
 * restrictions the replay gives them. */
static void test_demo_programme_R15_R17(void **state)
{
    (void)state;
    assert_true(demo_productions_count > 20);
    for (size_t p = 0; p < demo_productions_count; p++) {
        const struct production *pr = &demo_productions[p];
        assert_true(pr->venue >= 0 && pr->venue < VENUES);
        assert_true(pr->days != 0 && pr->days <= ALL);
        assert_true(strcmp(pr->from, pr->to) <= 0);
        assert_true(pr->uses_lo <= pr->uses_hi);
        struct event e = {.kind = pr->kind,
                          .capacity = pr->capacity,
                          .cap = -1,
                          .guest_producer = pr->guest_producer,
                          .booking_opens_days = pr->booking_days,
                          .collection_opens_minutes = pr->collection_minutes,
                          .excluded = pr->excluded != NULL};
        if (pr->cap_extra >= 0) {
            e.cap = caps_minimum(pr->capacity, pr->kind, pr->guest_producer) + pr->cap_extra;
            if (e.cap > pr->capacity)
                e.cap = pr->capacity;
        }
        str_copy(e.name, sizeof e.name, pr->name);
        if (pr->excluded)
            str_copy(e.exclusion_reason, sizeof e.exclusion_reason, pr->excluded);
        struct error_details d = {0};
        if (event_validate(&e, &d) != 0)
            fail_msg("%s: %s", pr->name, d.field ? d.field : d.key ? d.key : "?");
        /* R26: no community cards on courses; R24: no child tickets. */
        if (pr->kind == EVENT_COURSE)
            assert_true(pr->community_pct == 0 && pr->child_pct == 0);
    }
}

/* R28: the seed's example, as the operating model gives it: E2251 1 2
 * Taikuri Matti 3.2.2020; 50141 1 2 Kesäyöntaika 9.2.2020. */
static void test_demo_seed_example_R28(void **state)
{
    (void)state;
    static const struct {
        const char *card, *event;
        int y, m, d, adult, child;
    } seed[] = {
        {"E2251", "Taikuri Matti", 2020, 2, 3, 1, 2},
        {"50141", "Kesäyöntaika", 2020, 2, 9, 1, 2},
    };
    assert_int_equal(demo_seed_uses_count, ARRAY_LEN(seed));
    for (size_t i = 0; i < ARRAY_LEN(seed); i++) {
        const struct seed_use *su = &demo_seed_uses[i];
        assert_string_equal(su->card, seed[i].card);
        assert_string_equal(su->event, seed[i].event);
        assert_int_equal(date_from_ymd(su->date[0], su->date[1], su->date[2]),
                         D(seed[i].y, seed[i].m, seed[i].d));
        assert_int_equal(su->adult, seed[i].adult);
        assert_int_equal(su->child, seed[i].child);
        /* handed out before the event, from its unit's own stock */
        assert_true(date_from_ymd(su->handed_out[0], su->handed_out[1], su->handed_out[2]) <
                    D(seed[i].y, seed[i].m, seed[i].d));
        const struct unit_def *ud = &demo_units[su->unit];
        size_t plen = strlen(ud->prefix);
        assert_memory_equal(su->card, ud->prefix, plen);
        int64_t number = 0;
        assert_int_equal(str_to_i64(su->card + plen, 0, INT32_MAX, &number), 0);
        assert_true(number >= ud->first && number < ud->first + STOCK_PERSONAL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_network_R34),
        cmocka_unit_test(test_demo_stock_codes_R1),
        cmocka_unit_test(test_demo_programme_R15_R17),
        cmocka_unit_test(test_demo_seed_example_R28),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
