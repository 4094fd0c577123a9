/* store/: a venue's details changed through store.h (R20, R22, R32, R10):
 * who may change which field, the texts' bounds, the audit row, and a
 * refused change that leaves the venue as it was. */
#include "testutil.h"

#include <string.h>

#include "core/series.h"
#include "fixture.h"
#include "util/strutil.h"

static struct venue_patch patch(unsigned set, const char *name, enum venue_category category,
                                const char *fi, const char *sv, const char *en, bool cloakroom)
{
    struct venue_patch p = {.set = set};
    str_copy(p.v.name, sizeof p.v.name, name);
    p.v.category = category;
    str_copy(p.v.accessibility, sizeof p.v.accessibility, fi);
    str_copy(p.v.accessibility_sv, sizeof p.v.accessibility_sv, sv);
    str_copy(p.v.accessibility_en, sizeof p.v.accessibility_en, en);
    p.v.free_cloakroom = cloakroom;
    return p;
}

#define TEXTS (VP_ACCESSIBILITY | VP_ACCESSIBILITY_SV | VP_ACCESSIBILITY_EN | VP_FREE_CLOAKROOM)

static int last_update(void *ctx, const struct audit_entry *e)
{
    struct audit_seen *seen = ctx;
    if (strcmp(e->action, "venue.update") == 0) {
        seen->count++;
        seen->last = *e;
    }
    return 0;
}

static void test_venue_update_R20(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, ce = COORD_ESPOO, ck = COORD_KAINUU, hilla = VENUE_HILLA,
                 kajaani = VENUE_KAJAANI, ds = DIST_SOTE;
    static char long_text[TEXT_MAX_BYTES + 2];
    memset(long_text, 'x', TEXT_MAX_BYTES + 1);
    const struct venue_patch texts = patch(TEXTS, "", 0, "Luiska", "Ramp", "A ramp", false);
    const struct venue_patch rename =
        patch(VP_NAME | VP_CATEGORY, "Hilla-sali", CAT_MUSIC, "", "", "", false);
    const struct venue_patch name_only = patch(VP_NAME, "Hilla", 0, "", "", "", false);
    const struct venue_patch category_only = patch(VP_CATEGORY, "", CAT_DANCE, "", "", "", false);
    const struct venue_patch empty_name = patch(VP_NAME, "", 0, "", "", "", false);
    const struct venue_patch bad_category = patch(VP_CATEGORY, "", CAT_COUNT, "", "", "", false);
    const struct venue_patch hetu =
        patch(VP_ACCESSIBILITY_SV, "", 0, "", "Ring 131052-308T", "", false);
    struct venue_patch too_long = patch(VP_ACCESSIBILITY_EN, "", 0, "", "", "", false);
    str_copy(too_long.v.accessibility_en, sizeof too_long.v.accessibility_en, long_text);
    too_long.v.accessibility_en[TEXT_MAX_BYTES] = '\0'; /* the most a field holds: passes */
    const struct {
        const char *what;
        const struct actor *a;
        const char *venue;
        const struct venue_patch *p;
        int rc;
        const char *field;
    } cases[] = {
        {"R20 the venue's staff keep its facts", &hilla, "hilla", &texts, 0, NULL},
        {"R20 staff may not rename", &hilla, "hilla", &name_only, -ERR_FORBIDDEN, "name"},
        {"R20 staff may not change the category", &hilla, "hilla", &category_only, -ERR_FORBIDDEN,
         "category"},
        {"R32 another venue's staff", &kajaani, "hilla", &texts, -ERR_FORBIDDEN, NULL},
        {"R32 a distributor", &ds, "hilla", &texts, -ERR_FORBIDDEN, NULL},
        {"R32 another region's coordinator", &ck, "hilla", &texts, -ERR_FORBIDDEN, NULL},
        {"R22 a pop-up venue by a coordinator", &ce, "ateneum", &texts, -ERR_FORBIDDEN, NULL},
        {"R22 a pop-up venue by national", &nat, "ateneum", &texts, 0, NULL},
        {"unknown venue", &nat, "nowhere", &texts, -ERR_NOT_FOUND, NULL},
        {"empty name", &ce, "hilla", &empty_name, -ERR_INVALID_REQUEST, "name"},
        {"bad category", &ce, "hilla", &bad_category, -ERR_INVALID_REQUEST, "category"},
        {"R10 identity data in a text", &hilla, "hilla", &hetu, -ERR_IDENTITY_DATA_REFUSED,
         "accessibility_sv"},
        {"the longest text", &hilla, "hilla", &too_long, 0, NULL},
        {"the region's coordinator renames", &ce, "hilla", &rename, 0, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct error_details d = {0};
        struct venue out;
        int rc = store_venue_update(f->s, cases[i].a, cases[i].venue, cases[i].p, &out, &d);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
        if (cases[i].field && (!d.field || strcmp(d.field, cases[i].field) != 0))
            fail_msg("case %zu (%s): field %s", i, cases[i].what, d.field ? d.field : "(none)");
    }
    struct venue v;
    assert_int_equal(store_venue_get(f->s, "hilla", &v), 0);
    assert_string_equal(v.name, "Hilla-sali");
    assert_int_equal(v.category, CAT_MUSIC);
    assert_string_equal(v.accessibility, "Luiska"); /* untouched by later patches */
    assert_string_equal(v.accessibility_sv, "Ramp");
    assert_int_equal(strlen(v.accessibility_en), TEXT_MAX_BYTES);
    assert_false(v.free_cloakroom);
    struct audit_seen seen = {0};
    struct audit_filter af = {0};
    assert_int_equal(store_audit_list(f->s, &nat, &af, last_update, &seen), 0);
    assert_int_equal(seen.count, 4); /* the four changes made, none of the refused */
    assert_string_equal(seen.last.user, "coord-espoo");
    assert_string_equal(seen.last.object, "venue:hilla");
}

static int first_event(void *ctx, const struct event *e)
{
    *(struct event *)ctx = *e;
    return 1;
}

static int count_day(void *ctx, const struct event *e)
{
    int *n = ctx;
    assert_int_equal(e->kind, EVENT_DAILY);
    (*n)++;
    return 0;
}

/* Recurring admissions: a month of a swimming hall's days (Tue, Thu, Sun,
 * 18:00) in one transaction, all or nothing; extended; closed: the days
 * from then on without uses removed, a day with a use kept. */
static void test_series(void **state)
{
    struct fixture *f = *state;
    struct actor hilla = VENUE_HILLA, kajaani = VENUE_KAJAANI, nat = NATIONAL;
    int32_t days[SERIES_DAYS_MAX];
    const int32_t first = D(2020, 2, 1), last = D(2020, 2, 29); /* February 2020: Sat 1st */
    const unsigned weekdays = (1u << 1) | (1u << 3) | (1u << 6);
    int n = series_days(first, last, weekdays, NULL, 0, days, NULL);
    assert_int_equal(n, 12); /* 4 Tuesdays, 4 Thursdays, 4 Sundays */
    struct series sr = {.weekdays = weekdays,
                        .opens_at = 18 * 3600,
                        .first_day = first,
                        .last_day = last,
                        .capacity = 400,
                        .cap = 19};
    str_copy(sr.venue, sizeof sr.venue, "hilla");
    str_copy(sr.name, sizeof sr.name, "Iltauinti");
    struct error_details d = {0};
    /* R15 daily: min(⌈5 % of 400⌉, 20) = 20: a cap of 19 refuses every day, nothing written */
    assert_int_equal(store_series_add(f->s, &hilla, &sr, days, (size_t)n, &d), -ERR_CAP_TOO_LOW);
    assert_int_equal(d.value, 20);
    assert_int_equal(count_audit(f->s, "series.add"), 0);
    sr.cap = 20;
    assert_int_equal(store_series_add(f->s, &kajaani, &sr, days, (size_t)n, NULL), -ERR_FORBIDDEN);
    assert_int_equal(store_series_add(f->s, &hilla, &sr, days, (size_t)n, NULL), 0);
    struct series got;
    assert_int_equal(store_series_get(f->s, &hilla, sr.id, &got), 0);
    assert_int_equal(got.days, 12);
    assert_string_equal(got.name, "Iltauinti");
    assert_int_equal(store_series_get(f->s, &kajaani, sr.id, &got), -ERR_FORBIDDEN);
    int counted = 0;
    assert_int_equal(store_series_days(f->s, &hilla, sr.id, count_day, &counted), 0);
    assert_int_equal(counted, 12);
    /* each day is an event with its own cap: a use on the first Tuesday */
    struct event first_day = {0};
    struct event_filter ef = {
        .venue = "hilla", .from = T("2020-02-04T00:00"), .to = T("2020-02-05T00:00")};
    assert_int_equal(store_event_list(f->s, &ef, first_event, &first_day), 1);
    assert_int_equal(first_day.starts_at, T("2020-02-04T18:00"));
    assert_int_equal(first_day.cap, 20);
    stock(f->s, "espoo-sote", CARD_PERSONAL, "SR", 1); /* SR0 */
    struct actor ds = DIST_SOTE;
    assert_int_equal(hand_out(f->s, &ds, "SR0", D(2020, 1, 31)), 0);
    assert_int_equal(record(f->s, &hilla, "SR0", first_day.id, 1, 0), 0);
    /* extended through March's first week: 4 more days (Sun 1, Tue 3, Thu 5, Sun 8) */
    n = series_days(last + 1, D(2020, 3, 8), weekdays, NULL, 0, days, NULL);
    assert_int_equal(n, 4);
    assert_int_equal(store_series_extend(f->s, &hilla, sr.id, D(2020, 3, 8), days, (size_t)n, NULL),
                     0);
    assert_int_equal(store_series_extend(f->s, &hilla, sr.id, D(2020, 3, 8), days, (size_t)n, &d),
                     -ERR_INVALID_REQUEST);
    assert_int_equal(store_series_get(f->s, &nat, sr.id, &got), 0);
    assert_int_equal(got.days, 16);
    assert_int_equal(got.last_day, D(2020, 3, 8));
    /* closed from 1 February: every day goes but the one with a use */
    int32_t removed = -1;
    assert_int_equal(store_series_close(f->s, &kajaani, sr.id, first, &removed), -ERR_FORBIDDEN);
    assert_int_equal(store_series_close(f->s, &hilla, sr.id, first, &removed), 0);
    assert_int_equal(removed, 15);
    assert_int_equal(store_series_get(f->s, &hilla, sr.id, &got), 0);
    assert_int_equal(got.days, 1);
    assert_true(got.closed_at != 0);
    assert_int_equal(store_series_close(f->s, &hilla, sr.id, first, &removed),
                     -ERR_INVALID_REQUEST);
    n = series_days(D(2020, 3, 9), D(2020, 3, 15), weekdays, NULL, 0, days, NULL);
    assert_int_equal(
        store_series_extend(f->s, &hilla, sr.id, D(2020, 3, 15), days, (size_t)n, NULL),
        -ERR_INVALID_REQUEST);
    assert_int_equal(count_audit(f->s, "series.add"), 1);
    assert_int_equal(count_audit(f->s, "series.extend"), 1);
    assert_int_equal(count_audit(f->s, "series.close"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_venue_update_R20, setup, teardown),
        cmocka_unit_test_setup_teardown(test_series, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
