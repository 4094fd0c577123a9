/* store/: stock, transfers, handouts and cancels through store.h (R1, R3–R5, R8–R14). */
#include "testutil.h"

#include "fixture.h"
#include "util/date.h"
#include "util/strutil.h"

static void test_stock_all_or_nothing_R3(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, ce = COORD_ESPOO, ck = COORD_KAINUU, ds = DIST_SOTE;
    const code_t fresh_then_taken[] = {"X1", "X2", "E3", "X3"};
    const code_t twice[] = {"Y1", "Y1"};
    const code_t bad[] = {"z1"};
    const code_t ok[] = {"Z1", "Z2"};
    const struct {
        const char *what;
        const struct actor *a;
        const char *unit;
        const code_t *codes;
        size_t n;
        int rc;
        const char *code; /* details.code; "" none, only details.field "codes" */
    } cases[] = {
        {"R3 a taken code refuses all", &nat, "espoo-sote", fresh_then_taken, 4, -ERR_CODE_TAKEN,
         "E3"},
        {"R3 a code twice in one request", &nat, "espoo-sote", twice, 2, -ERR_CODE_TAKEN, "Y1"},
        {"R32 a code taken in the coordinator's region is named", &ce, "espoo-nuoriso",
         fresh_then_taken, 4, -ERR_CODE_TAKEN, "E3"},
        {"R32 a code taken in another region is not named", &ck, "kainuu-sote", fresh_then_taken, 4,
         -ERR_CODE_TAKEN, ""},
        {"R1 not normalised", &nat, "espoo-sote", bad, 1, -ERR_INVALID_CARD_CODE, "z1"},
        {"R3 distributor adds stock", &ds, "espoo-sote", ok, 2, -ERR_FORBIDDEN, NULL},
        {"R32 coordinator of another region", &ck, "espoo-sote", ok, 2, -ERR_FORBIDDEN, NULL},
        {"unknown unit", &nat, "nope", ok, 2, -ERR_NOT_FOUND, NULL},
        {"nothing to add", &nat, "espoo-sote", ok, 0, -ERR_INVALID_REQUEST, NULL},
        {"R3 coordinator adds to a unit of the region", &ce, "espoo-nuoriso", ok, 2, 0, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct error_details d = {0};
        int rc = store_stock_add(f->s, cases[i].a, cases[i].unit, CARD_PERSONAL, cases[i].codes,
                                 cases[i].n, &d);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
        if (cases[i].code)
            assert_string_equal(d.text, cases[i].code);
        if (cases[i].code && !cases[i].code[0])
            assert_string_equal(d.field, "codes");
    }
    struct card c;
    assert_int_equal(store_card_get(f->s, "X1", &c), -ERR_CARD_UNKNOWN); /* nothing added */
    assert_int_equal(store_card_get(f->s, "Y1", &c), -ERR_CARD_UNKNOWN);
    assert_int_equal(store_card_get(f->s, "Z2", &c), 0);
    assert_string_equal(c.unit, "espoo-nuoriso");
    assert_string_equal(c.region, "espoo");
    assert_int_equal(c.kind, CARD_PERSONAL);
    assert_false(c.issued);
    assert_false(c.cancelled);
    assert_int_equal(store_card_get(f->s, "C1", &c), 0);
    assert_int_equal(c.kind, CARD_COMMUNITY);
}

static void test_transfers_R3(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, ce = COORD_ESPOO, ck = COORD_KAINUU, ds = DIST_SOTE,
                 dn = DIST_NUORISO;
    const code_t two[] = {"E0", "E1"}, other[] = {"E2"}, foreign[] = {"N0"}, unknown[] = {"QQ"},
                 issued[] = {"E9"}, dup[] = {"E4", "E4"};
    assert_int_equal(hand_out(f->s, &ds, "E9", D(2020, 1, 20)), 0);
    const struct {
        const char *what;
        const struct actor *a;
        const code_t *codes;
        size_t n;
        const char *from, *to;
        int rc;
        const char *code;
    } cases[] = {
        {"R3 not in from_unit's stock", &ce, foreign, 1, "espoo-sote", "espoo-nuoriso",
         -ERR_CARD_NOT_IN_UNIT_STOCK, "N0"},
        {"R32 a card outside the caller's scope is as unknown", &ds, foreign, 1, "espoo-sote",
         "espoo-nuoriso", -ERR_CARD_UNKNOWN, "N0"},
        {"unknown code", &ds, unknown, 1, "espoo-sote", "espoo-nuoriso", -ERR_CARD_UNKNOWN, "QQ"},
        {"R3 handed out", &ds, issued, 1, "espoo-sote", "espoo-nuoriso", -ERR_CARD_ALREADY_ISSUED,
         "E9"},
        {"R3 another region", &nat, two, 2, "espoo-sote", "kainuu-sote", -ERR_INVALID_REQUEST,
         NULL},
        {"R32 distributor of another unit", &dn, two, 2, "espoo-sote", "espoo-nuoriso",
         -ERR_FORBIDDEN, NULL},
        {"R32 coordinator of another region", &ck, two, 2, "espoo-sote", "espoo-nuoriso",
         -ERR_FORBIDDEN, NULL},
        {"unknown unit", &ds, two, 2, "espoo-sote", "nope", -ERR_NOT_FOUND, NULL},
        {"same code twice", &ds, dup, 2, "espoo-sote", "espoo-nuoriso", -ERR_INVALID_REQUEST, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct error_details d = {0};
        int64_t id = 0;
        int rc = store_transfer_request(f->s, cases[i].a, cases[i].codes, cases[i].n, cases[i].from,
                                        cases[i].to, &id, &d);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
        if (cases[i].code)
            assert_string_equal(d.text, cases[i].code);
    }
    int transfers = 0;
    assert_int_equal(store_transfer_list(f->s, &nat, -1, count_transfers, &transfers), 0);
    assert_int_equal(transfers, 0);

    int64_t t1 = 0, t2 = 0;
    assert_int_equal(
        store_transfer_request(f->s, &ds, two, 2, "espoo-sote", "espoo-nuoriso", &t1, NULL), 0);
    assert_int_equal(
        store_transfer_request(f->s, &ce, other, 1, "espoo-sote", "espoo-nuoriso", &t2, NULL), 0);
    int n = 0;
    assert_int_equal(store_transfer_list(f->s, &dn, TRANSFER_REQUESTED, count_transfers, &n), 0);
    assert_int_equal(n, 2); /* to_unit sees them too */
    n = 0;
    assert_int_equal(store_transfer_list(f->s, &ck, -1, count_transfers, &n), 0);
    assert_int_equal(n, 0);

    struct transfer t;
    assert_int_equal(store_transfer_decide(f->s, &ds, t1, true, &t, NULL), -ERR_FORBIDDEN);
    assert_int_equal(store_transfer_decide(f->s, &ck, t1, true, &t, NULL), -ERR_FORBIDDEN);
    assert_int_equal(store_transfer_decide(f->s, &ce, 999, true, &t, NULL), -ERR_NOT_FOUND);
    assert_int_equal(store_transfer_decide(f->s, &ce, t1, true, &t, NULL), 0);
    assert_int_equal(t.status, TRANSFER_APPROVED);
    assert_int_equal(t.count, 2);
    assert_string_equal(t.decided_by, "coord-espoo");
    assert_int_equal(store_transfer_decide(f->s, &ce, t1, false, &t, NULL),
                     -ERR_TRANSFER_NOT_PENDING);
    struct card c;
    assert_int_equal(store_card_get(f->s, "E0", &c), 0);
    assert_string_equal(c.unit, "espoo-nuoriso"); /* R3: approval moves the codes */
    assert_int_equal(store_card_get(f->s, "E1", &c), 0);
    assert_string_equal(c.unit, "espoo-nuoriso");

    assert_int_equal(store_transfer_decide(f->s, &ce, t2, false, &t, NULL), 0);
    assert_int_equal(t.status, TRANSFER_REJECTED);
    assert_int_equal(store_card_get(f->s, "E2", &c), 0);
    assert_string_equal(c.unit, "espoo-sote"); /* rejection moves nothing */

    /* Approval re-checks: a code handed out since the request stays. */
    const code_t later[] = {"E5", "E6"};
    int64_t t3 = 0;
    assert_int_equal(
        store_transfer_request(f->s, &ds, later, 2, "espoo-sote", "espoo-nuoriso", &t3, NULL), 0);
    assert_int_equal(hand_out(f->s, &ds, "E6", D(2020, 1, 25)), 0);
    struct error_details d = {0};
    assert_int_equal(store_transfer_decide(f->s, &ce, t3, true, &t, &d), -ERR_CARD_ALREADY_ISSUED);
    assert_string_equal(d.text, "E6");
    assert_int_equal(store_card_get(f->s, "E5", &c), 0);
    assert_string_equal(c.unit, "espoo-sote");
    n = 0;
    assert_int_equal(store_transfer_list(f->s, &ce, TRANSFER_REQUESTED, count_transfers, &n), 0);
    assert_int_equal(n, 1);
}

static void test_handout_validity_R4_R5(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, dk = DIST_KAINUU;
    const struct {
        const char *what;
        const struct actor *a;
        const char *code;
        int32_t day;
        int32_t valid_until;
    } cases[] = {
        {"R4 twelve months", &ds, "E0", D(2020, 2, 1), D(2021, 2, 1)},
        {"R4 29 February", &ds, "E1", D(2020, 2, 29) - 31, D(2021, 1, 29)},
        {"R5 within the pilot", &dk, "K0", D(2020, 1, 10), D(2020, 1, 15)},
        {"R5 pilot ends on the day", &dk, "K1", D(2020, 1, 15), D(2020, 1, 15)},
        {"R4 after the pilot ended", &dk, "K2", D(2020, 1, 16), D(2021, 1, 16)},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct handout h = form(cases[i].code, cases[i].day);
        struct card c;
        int rc = store_handout_record(f->s, cases[i].a, &h, &c, NULL);
        if (rc != 0)
            fail_msg("case %zu (%s): %d", i, cases[i].what, rc);
        assert_true(c.issued);
        assert_int_equal(c.handed_out_on, cases[i].day);
        if (c.valid_until != cases[i].valid_until)
            fail_msg("case %zu (%s): valid until %d", i, cases[i].what, c.valid_until);
        struct card again;
        assert_int_equal(store_card_get(f->s, cases[i].code, &again), 0);
        assert_int_equal(again.valid_until, cases[i].valid_until);
        assert_int_equal(card_status_on(&again, D(2020, 2, 1)),
                         cases[i].valid_until >= D(2020, 2, 1) ? CARD_VALID : CARD_EXPIRED);
    }
}

static void test_no_duplicate_check_R8(void **state)
{
    /* R8: the same background form, on the same day, from two units of two
     * regions, is two people as far as kaiku can tell: both handouts succeed. */
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, dn = DIST_NUORISO, dk = DIST_KAINUU;
    const struct {
        const struct actor *a;
        const char *code;
    } cases[] = {{&ds, "E0"}, {&ds, "E1"}, {&dn, "N0"}, {&dk, "K0"}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int rc = hand_out(f->s, cases[i].a, cases[i].code, D(2020, 2, 1));
        if (rc != 0)
            fail_msg("case %zu (%s): %d", i, cases[i].code, rc);
        struct card c;
        assert_int_equal(store_card_get(f->s, cases[i].code, &c), 0);
        assert_true(c.issued);
    }
}

static void test_handout_errors_R12_R14(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, dn = DIST_NUORISO, ce = COORD_ESPOO, dk = DIST_KAINUU;
    assert_int_equal(hand_out(f->s, &ds, "E0", D(2020, 1, 2)), 0);
    assert_int_equal(hand_out(f->s, &dk, "K0", D(2020, 1, 2)), 0); /* expired with the pilot */
    struct handout young = form("E2", D(2020, 1, 2));
    young.birth_year = 2010;
    struct handout future = form("E2", D(2020, 2, 2));
    struct handout renews_valid = form("E3", D(2020, 2, 1));
    str_copy(renews_valid.renews, sizeof renews_valid.renews, "E0");
    struct handout renews_unknown = form("E3", D(2020, 2, 1));
    str_copy(renews_unknown.renews, sizeof renews_unknown.renews, "QQ");
    struct handout renews_expired = form("K1", D(2020, 2, 1));
    str_copy(renews_expired.renews, sizeof renews_expired.renews, "K0");
    struct handout community = form("C0", D(2020, 2, 1));
    const struct {
        const char *what;
        const struct actor *a;
        struct handout h;
        int rc;
        const char *field;
    } cases[] = {
        {"R12 one handout per code", &ds, form("E0", D(2020, 2, 1)), -ERR_CARD_ALREADY_ISSUED,
         "card"},
        {"R3 card of another unit", &dn, form("E1", D(2020, 2, 1)), -ERR_CARD_NOT_IN_UNIT_STOCK,
         "card"},
        {"unknown card", &ds, form("QQ", D(2020, 2, 1)), -ERR_CARD_UNKNOWN, "card"},
        {"R32 coordinator of the region? only distributors' units", &ce, form("E1", D(2020, 2, 1)),
         0, NULL},
        {"R11 too young", &ds, young, -ERR_TOO_YOUNG, "birth_year"},
        {"R9 not in the future", &ds, future, -ERR_HANDOUT_IN_FUTURE, "handed_out_on"},
        {"R14 renews a valid card", &ds, renews_valid, -ERR_RENEWS_INVALID, "renews"},
        {"R14 renews an unknown card", &ds, renews_unknown, -ERR_RENEWS_INVALID, "renews"},
        {"R14 renews an expired card", &dk, renews_expired, 0, NULL},
        {"R9 community card", &ds, community, 0, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct error_details d = {0};
        struct card c;
        int rc = store_handout_record(f->s, cases[i].a, &cases[i].h, &c, &d);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
        if (cases[i].field)
            assert_string_equal(d.field, cases[i].field);
    }
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM handouts WHERE renews = 'K0'"), 1);
    /* R9: a community handout keeps code, date and unit only. */
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM handouts WHERE card = 'C0' AND "
                                      "birth_year IS NULL AND mother_tongue IS NULL AND "
                                      "gender IS NULL AND postal_code IS NULL AND "
                                      "life_situations IS NULL"),
                     1);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM handouts WHERE card = 'E0' AND "
                                      "birth_year = 1980 AND mother_tongue = 'fi' AND "
                                      "gender = 'female' AND postal_code = '02100' AND "
                                      "life_situations = 4"),
                     1);
}

static void test_cancel_R13(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, dn = DIST_NUORISO, ck = COORD_KAINUU, hilla = VENUE_HILLA;
    assert_int_equal(hand_out(f->s, &ds, "E0", D(2020, 1, 2)), 0);
    int64_t ev = add_event(f->s, "hilla", 100, -1);
    assert_int_equal(record(f->s, &hilla, "E0", ev, 1, 0), 0);
    struct card c;
    assert_int_equal(store_card_cancel(f->s, &dn, "E0", "lost", &c), -ERR_FORBIDDEN);
    assert_int_equal(store_card_cancel(f->s, &ck, "E0", "lost", &c), -ERR_FORBIDDEN);
    assert_int_equal(store_card_cancel(f->s, &ds, "QQ", "lost", &c), -ERR_CARD_UNKNOWN);
    assert_int_equal(store_card_cancel(f->s, &ds, "E0", "", &c), -ERR_INVALID_REQUEST);
    assert_int_equal(store_card_cancel(f->s, &ds, "E0", "lost", &c), 0);
    assert_true(c.cancelled);
    assert_int_equal(card_status_on(&c, D(2020, 2, 1)), CARD_CANCELLED);
    assert_int_equal(store_card_cancel(f->s, &ds, "E0", "again", &c), -ERR_CARD_CANCELLED);
    /* R13: a cancelled card fails every check. */
    int64_t ev2 = add_event(f->s, "hilla", 100, -1);
    assert_int_equal(record(f->s, &hilla, "E0", ev2, 1, 0), -ERR_CARD_CANCELLED);
    assert_int_equal(store_card_cancel(f->s, &ds, "E1", "misused", &c), 0); /* not issued */
    assert_int_equal(hand_out(f->s, &ds, "E1", D(2020, 2, 1)), -ERR_CARD_CANCELLED);
}

/* ---- the handout desk's lists and requests ---- */

struct cards_seen {
    code_t codes[40];
    struct card last;
    int n;
};

static int collect_card(void *ctx, const struct card *c)
{
    struct cards_seen *seen = ctx;
    if (seen->n < 40)
        str_copy(seen->codes[seen->n], sizeof seen->codes[0], c->code);
    seen->n++;
    seen->last = *c;
    return 0;
}

/* R3: a unit's stock is its codes neither handed out nor cancelled; its
 * handouts come latest first, with dates and validity only; each within
 * the actor's scope. */
static void test_stock_and_handout_lists(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, dn = DIST_NUORISO, ce = COORD_ESPOO, ck = COORD_KAINUU;
    struct cards_seen seen = {0};
    assert_int_equal(store_stock_list(f->s, &ds, "espoo-sote", collect_card, &seen), 0);
    assert_int_equal(seen.n, 12); /* E0..E9 and C0, C1 */
    assert_string_equal(seen.codes[0], "C0");
    assert_string_equal(seen.codes[2], "E0");

    assert_int_equal(hand_out(f->s, &ds, "E3", D(2020, 1, 2)), 0);
    ds.now += 60;
    assert_int_equal(hand_out(f->s, &ds, "E1", D(2020, 1, 1)), 0);
    struct card c;
    assert_int_equal(store_card_cancel(f->s, &ds, "E5", "lost", &c), 0);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_stock_list(f->s, &ds, "espoo-sote", collect_card, &seen), 0);
    assert_int_equal(seen.n, 9);
    for (int i = 0; i < seen.n; i++) {
        assert_string_not_equal(seen.codes[i], "E1");
        assert_string_not_equal(seen.codes[i], "E3");
        assert_string_not_equal(seen.codes[i], "E5");
    }

    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_handout_list(f->s, &ds, "espoo-sote", 10, collect_card, &seen), 0);
    assert_int_equal(seen.n, 2);
    assert_string_equal(seen.codes[0], "E1"); /* recorded last, though handed out earlier */
    assert_string_equal(seen.codes[1], "E3");
    assert_int_equal(seen.last.handed_out_on, D(2020, 1, 2));
    assert_int_equal(seen.last.valid_until, D(2021, 1, 2));
    assert_true(seen.last.issued);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_handout_list(f->s, &ds, "espoo-sote", 1, collect_card, &seen), 0);
    assert_int_equal(seen.n, 1);
    assert_int_equal(store_card_cancel(f->s, &ds, "E1", "misused", &c), 0);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_handout_list(f->s, &ds, "espoo-sote", 1, collect_card, &seen), 0);
    assert_true(seen.last.cancelled);

    /* the coordinator of the region may look; another unit or region not */
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_stock_list(f->s, &ce, "espoo-sote", collect_card, &seen), 0);
    assert_int_equal(seen.n, 9);
    assert_int_equal(store_stock_list(f->s, &dn, "espoo-sote", collect_card, &seen),
                     -ERR_FORBIDDEN);
    assert_int_equal(store_handout_list(f->s, &ck, "espoo-sote", 5, collect_card, &seen),
                     -ERR_FORBIDDEN);
    assert_int_equal(store_stock_list(f->s, &ds, "nowhere", collect_card, &seen), -ERR_NOT_FOUND);
}

/* A request for more cards is an audit entry of the unit's region, which
 * its coordinator reads; nothing else changes. */
static void test_stock_request(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, dn = DIST_NUORISO, ce = COORD_ESPOO, ck = COORD_KAINUU;
    struct audit_seen before = audit_of(f->s, &ce);
    assert_int_equal(store_stock_request(f->s, &ds, "espoo-sote", 50), 0);
    struct audit_seen after = audit_of(f->s, &ce);
    assert_int_equal(after.count, before.count + 1);
    assert_string_equal(after.last.action, "stock.request");
    assert_string_equal(after.last.object, "unit:espoo-sote:50");
    assert_string_equal(after.last.user, "dist-sote");
    assert_string_equal(after.last.region, "espoo");
    struct audit_seen kainuu = audit_of(f->s, &ck);
    assert_string_not_equal(kainuu.last.action, "stock.request");

    assert_int_equal(store_stock_request(f->s, &ds, "espoo-sote", 0), -ERR_INVALID_REQUEST);
    assert_int_equal(store_stock_request(f->s, &ds, "espoo-sote", STOCK_REQUEST_MAX + 1),
                     -ERR_INVALID_REQUEST);
    assert_int_equal(store_stock_request(f->s, &dn, "espoo-sote", 5), -ERR_FORBIDDEN);
    assert_int_equal(store_stock_request(f->s, &ds, "nowhere", 5), -ERR_NOT_FOUND);
    assert_int_equal(audit_of(f->s, &ce).count, after.count);
}

int main(void)
{
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_stock_all_or_nothing_R3), T_(test_transfers_R3),
        T_(test_handout_validity_R4_R5),  T_(test_no_duplicate_check_R8),
        T_(test_handout_errors_R12_R14),  T_(test_cancel_R13),
        T_(test_stock_and_handout_lists), T_(test_stock_request),
    };
#undef T_
    return cmocka_run_group_tests(tests, NULL, NULL);
}
