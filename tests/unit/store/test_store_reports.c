/* store/: reports, the audit trail and whole-store copies through store.h
 * (R25, R28–R31, R34). */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "report/build.h"
#include "util/date.h"
#include "util/strutil.h"

struct report_text {
    char text[8192];
    int rows;
};

static int usage_line(void *ctx, const struct usage_row *u)
{
    struct report_text *r = ctx;
    size_t n = strlen(r->text);
    char day[DATE_STR_LEN];
    date_format(u->date, day);
    snprintf(r->text + n, sizeof r->text - n, "%s %d %d %s %s\n", u->card, (int)u->adult,
             (int)u->child, u->event, day);
    r->rows++;
    return 0;
}

static int count_line(void *ctx, const struct report_count *c)
{
    struct report_text *r = ctx;
    size_t n = strlen(r->text);
    snprintf(r->text + n, sizeof r->text - n, "%s %s=%lld\n", name_of(&report_dim_names, c->dim),
             c->key, (long long)c->count);
    r->rows++;
    return 0;
}

static int national_line(void *ctx, const struct national_row *row)
{
    struct report_text *r = ctx;
    size_t n = strlen(r->text);
    n += (size_t)snprintf(r->text + n, sizeof r->text - n, "[%s]", row->region);
    for (int i = 0; i < FIG_COUNT && n < sizeof r->text; i++)
        n += (size_t)snprintf(r->text + n, sizeof r->text - n, " %lld",
                              (long long)row->figures.v[i]);
    if (n < sizeof r->text)
        snprintf(r->text + n, sizeof r->text - n, "\n");
    r->rows++;
    return 0;
}

static int usage_stop(void *ctx, const struct usage_row *u)
{
    (void)ctx;
    (void)u;
    return 7;
}

/* The seed's Teatteri Hilla report (R28), undone uses left out (R25), event
 * days on Finnish clocks, the coordinator's view (R29), scopes (R32); the
 * cardholder counts (R30) and the national figures (R31) of the same data. */
static void test_reports_R28_R31(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, ce = COORD_ESPOO, ck = COORD_KAINUU, ds = DIST_SOTE,
                 dn = DIST_NUORISO, dk = DIST_KAINUU, hilla = VENUE_HILLA, kajaani = VENUE_KAJAANI;
    for (int i = 0; i < 4; i++) {
        char code[8];
        snprintf(code, sizeof code, "E%d", i);
        assert_int_equal(hand_out(f->s, &ds, code, D(2020, 1, 10)), 0);
    }
    assert_int_equal(hand_out(f->s, &dn, "N0", D(2020, 1, 20)), 0);
    assert_int_equal(hand_out(f->s, &dk, "K0", D(2020, 1, 10)), 0);
    struct handout community = {.handed_out_on = D(2020, 1, 12)};
    str_copy(community.card, sizeof community.card, "C0");
    struct card card;
    assert_int_equal(store_handout_record(f->s, &ds, &community, &card, NULL), 0);
    assert_int_equal(store_card_cancel(f->s, &ds, "E9", "lost", &card), 0); /* from the stock */

    static const struct {
        const char *name, *starts;
    } events[] = {
        {"Taikuri Matti", "2020-02-03T18:00"},
        {"Kesäyöntaika", "2020-02-09T15:00"},
        {"Myöhäisnäytös", "2020-02-29T23:30"}, /* 21:30 UTC: still February in Finland */
        {"Maaliskuu", "2020-03-01T12:00"},
    };
    int64_t ev[4];
    for (size_t i = 0; i < ARRAY_LEN(events); i++) {
        struct event e = event_of("hilla", events[i].name, events[i].starts, 100, -1);
        assert_int_equal(store_event_add(f->s, &nat, &e, NULL), 0);
        ev[i] = e.id;
    }
    assert_int_equal(record(f->s, &hilla, "E0", ev[0], 1, 2), 0);
    assert_int_equal(record(f->s, &hilla, "E1", ev[1], 1, 2), 0);
    assert_int_equal(record(f->s, &hilla, "E2", ev[0], 1, 0), 0);
    int64_t undone = last_use_id(f->s);
    assert_int_equal(store_use_undo(f->s, &hilla, undone), 0); /* R25: never in a report */
    assert_int_equal(record(f->s, &hilla, "E2", ev[3], 1, 0), 0);
    assert_int_equal(record(f->s, &hilla, "E3", ev[2], 1, 0), 0);
    assert_int_equal(record(f->s, &hilla, "N0", ev[1], 1, 0), 0);
    undone = last_use_id(f->s);
    assert_int_equal(store_use_undo(f->s, &hilla, undone), 0); /* N0: not "used once" */

    /* R28: one row per use, by event start; totals are the caller's. */
    struct report_text r = {0};
    assert_int_equal(store_report_venue_usage(f->s, &hilla, "hilla", D(2020, 2, 1), D(2020, 2, 28),
                                              usage_line, &r),
                     0);
    assert_string_equal(r.text, "E0 1 2 Taikuri Matti 2020-02-03\n"
                                "E1 1 2 Kesäyöntaika 2020-02-09\n");
    const struct {
        const struct actor *a;
        const char *venue;
        int32_t from, to;
        int rc, rows;
    } usage[] = {
        {&hilla, "hilla", D(2020, 2, 1), D(2020, 2, 29), 0, 3},  /* the late show */
        {&hilla, "hilla", D(2020, 2, 4), D(2020, 3, 1), 0, 3},   /* from 4.2. */
        {&hilla, "hilla", D(2020, 3, 2), D(2020, 3, 2), 0, 0},   /* an empty day */
        {&hilla, "hilla", D(1900, 1, 1), D(9999, 12, 31), 0, 4}, /* everything */
        {&ce, "hilla", D(1900, 1, 1), D(9999, 12, 31), 0, 4},    /* R29 */
        {&nat, "hilla", D(1900, 1, 1), D(9999, 12, 31), 0, 4},
        {&kajaani, "hilla", D(1900, 1, 1), D(9999, 12, 31), -ERR_FORBIDDEN, 0},
        {&ck, "hilla", D(1900, 1, 1), D(9999, 12, 31), -ERR_FORBIDDEN, 0},
        {&ds, "hilla", D(1900, 1, 1), D(9999, 12, 31), -ERR_FORBIDDEN, 0},
        {&ce, "ateneum", D(1900, 1, 1), D(9999, 12, 31), -ERR_FORBIDDEN, 0}, /* R22 */
        {&nat, "ateneum", D(1900, 1, 1), D(9999, 12, 31), 0, 0},
        {&nat, "nowhere", D(1900, 1, 1), D(9999, 12, 31), -ERR_NOT_FOUND, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(usage); i++) {
        struct report_text x = {0};
        int rc = store_report_venue_usage(f->s, usage[i].a, usage[i].venue, usage[i].from,
                                          usage[i].to, usage_line, &x);
        if (rc != usage[i].rc || x.rows != usage[i].rows)
            fail_msg("venue usage %zu: rc %d rows %d", i, rc, x.rows);
    }
    assert_int_equal(store_report_venue_usage(f->s, &nat, "hilla", D(1900, 1, 1), D(9999, 12, 31),
                                              usage_stop, NULL),
                     7);

    /* R30: counts of personal handouts only (not C0), of the region only (not K0). */
    const struct report_period whole_2020 = {2020, D(2020, 12, 31), D(2021, 1, 1)};
    memset(&r, 0, sizeof r);
    assert_int_equal(store_report_cardholders(f->s, &ce, "espoo", &whole_2020, count_line, &r), 0);
    static const char *const lines[] = {
        "total =5\n",
        "birth_year_band 1980–1989=5\n",
        "mother_tongue fi=5\n",
        "gender female=5\ngender male=0\n",
        "postal_code 02100=5\n",
        "life_situation student=5\n",
        "unit espoo-nuoriso=1\nunit espoo-sote=4\n", /* every unit of the region, by id */
        "month 2020-01=5\nmonth 2020-02=0\n",
    };
    for (size_t i = 0; i < ARRAY_LEN(lines); i++)
        if (!strstr(r.text, lines[i]))
            fail_msg("cardholders: no [%s] in\n%s", lines[i], r.text);
    assert_int_equal(r.rows, 1 + 1 + 1 + GENDER_COUNT + 1 + LIFE_COUNT + 2 + 12);
    const struct {
        const struct actor *a;
        const char *region;
        int year, rc;
        const char *total;
    } holders[] = {
        {&nat, "", 2020, 0, "total =6\n"}, /* the whole country */
        {&nat, "kainuu", 2020, 0, "total =1\n"},
        {&ce, "espoo", 2019, 0, "total =0\n"},
        {&ce, "", 2020, -ERR_FORBIDDEN, NULL},
        {&ck, "espoo", 2020, -ERR_FORBIDDEN, NULL},
        {&ds, "espoo", 2020, -ERR_FORBIDDEN, NULL},
        {&hilla, "espoo", 2020, -ERR_FORBIDDEN, NULL},
        {&nat, "nowhere", 2020, -ERR_NOT_FOUND, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(holders); i++) {
        struct report_text x = {0};
        const struct report_period whole = {holders[i].year, D(holders[i].year, 12, 31),
                                            D(2021, 1, 1)};
        int rc =
            store_report_cardholders(f->s, holders[i].a, holders[i].region, &whole, count_line, &x);
        if (rc != holders[i].rc || (holders[i].total && !strstr(x.text, holders[i].total)))
            fail_msg("cardholders %zu: rc %d\n%s", i, rc, x.text);
    }

    /* R31: in_stock handed_out valid_now cancelled renewals uses adult child
     * companion used_once venues units events; Kainuu's pilot has ended (R5). */
    memset(&r, 0, sizeof r);
    assert_int_equal(store_report_national(f->s, &nat, 2020, national_line, &r), 0);
    assert_string_equal(r.text, "[espoo] 8 6 6 1 0 4 4 4 0 4 1 2 4\n"
                                "[kainuu] 2 1 0 0 0 0 0 0 0 0 1 1 0\n"
                                "[vantaa] 0 0 0 0 0 0 0 0 0 0 0 1 0\n"
                                "[] 0 0 0 0 0 0 0 0 0 0 1 0 0\n");
    memset(&r, 0, sizeof r);
    assert_int_equal(store_report_national(f->s, &nat, 2019, national_line, &r), 0);
    assert_string_equal(r.text, "[espoo] 8 0 6 0 0 0 0 0 0 0 1 2 0\n"
                                "[kainuu] 2 0 0 0 0 0 0 0 0 0 1 1 0\n"
                                "[vantaa] 0 0 0 0 0 0 0 0 0 0 0 1 0\n"
                                "[] 0 0 0 0 0 0 0 0 0 0 1 0 0\n");
    assert_int_equal(store_report_national(f->s, &ce, 2020, national_line, &r), -ERR_FORBIDDEN);
}

/* The cardholder report of espoo in 2020 as JSON text, read by a coordinator
 * at `now` (Helsinki). malloc'd. */
static char *cardholders_json(struct fixture *f, const char *now)
{
    struct actor a = COORD_ESPOO;
    a.now = T(now);
    struct report_source src = report_source_store(f->s);
    struct error_details d = {0};
    struct report_ctx ctx = {&src, &a, LANG_EN, &d};
    const struct cardholders_query q = {NULL, 2020, true};
    struct report rep;
    assert_int_equal(report_cardholders(&ctx, &q, &rep), 0);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(render_json.render(&rep, &out, &len), 0);
    report_release(&rep);
    char *text = malloc(len + 1); /* the renderer's bytes are not a string */
    assert_non_null(text);
    memcpy(text, out, len);
    text[len] = '\0';
    free(out);
    return text;
}

/* R30 against differencing (docs/privacy.md): two reports read around a
 * single handout dated today are identical, and the coordinator's audit does
 * not name the card handed out. The report moves only when a month ends:
 * also a handout recorded late into a closed month waits until the month of
 * its recording has ended (docs/privacy.md, "Late recordings"). */
static void test_differencing_R30(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, nat = NATIONAL, ce = COORD_ESPOO;
    ds.now = T("2020-01-20T10:00");
    for (int i = 0; i < 6; i++) {
        char code[8];
        snprintf(code, sizeof code, "E%d", i);
        assert_int_equal(hand_out(f->s, &ds, code, D(2020, 1, 10 + i)), 0);
    }
    char *before = cardholders_json(f, "2020-02-10T12:00");
    assert_non_null(strstr(before, "\"through\":\"2020-01-31\",\"total\":6,"));

    ds.now = T("2020-02-10T12:30");
    assert_int_equal(hand_out(f->s, &ds, "E6", D(2020, 2, 10)), 0); /* today */
    char *after = cardholders_json(f, "2020-02-10T12:45");
    assert_string_equal(after, before);
    free(after);
    /* Recorded today but dated in January, a month already closed: the kept
     * counts, by handout day, hold it in January at once, but the report
     * leaves it out until February (its month of recording) has ended, as
     * the scan of the records (store_report_cardholders_scan) does. */
    assert_int_equal(hand_out(f->s, &ds, "E7", D(2020, 1, 15)), 0); /* dated in January */
    after = cardholders_json(f, "2020-02-29T23:59");
    assert_string_equal(after, before);
    free(after);

    /* R34 with R30: the coordinator sees that a card was handed out, and
     * when, but not which; national sees which. */
    struct audit_seen seen = audit_of(f->s, &ce);
    assert_string_equal(seen.last.action, "handout.record");
    assert_string_equal(seen.last.object, "card");
    seen = audit_of(f->s, &nat);
    assert_string_equal(seen.last.object, "card:E7");

    /* Once February has ended, both are in (and E7 in January, its month). */
    after = cardholders_json(f, "2020-03-01T00:00");
    assert_non_null(strstr(after, "\"through\":\"2020-02-29\",\"total\":8,"));
    free(after);
    free(before);
}

static void test_audit_R34(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, ce = COORD_ESPOO, ck = COORD_KAINUU, ds = DIST_SOTE,
                 hilla = VENUE_HILLA;
    struct audit_seen before = audit_of(f->s, &nat);
    /* setup: 3 regions, 4 units, 3 venues, 4 stock additions */
    assert_int_equal(before.count, 14);
    assert_int_equal(hand_out(f->s, &ds, "E0", D(2020, 1, 2)), 0);
    struct audit_seen after = audit_of(f->s, &nat);
    assert_int_equal(after.count, before.count + 1);
    assert_string_equal(after.last.action, "handout.record");
    assert_string_equal(after.last.object, "card:E0");
    assert_string_equal(after.last.user, "dist-sote");
    assert_string_equal(after.last.address, "192.0.2.7");
    assert_string_equal(after.last.region, "espoo");
    assert_int_equal(after.last.at, T(NOW));

    /* A failed change writes no audit row: it is in the same transaction. */
    int64_t ev = add_event(f->s, "hilla", 10, 1);
    before = audit_of(f->s, &nat);
    assert_int_equal(record(f->s, &hilla, "E1", ev, 1, 0), -ERR_CARD_NOT_ISSUED);
    assert_int_equal(hand_out(f->s, &ds, "E0", D(2020, 1, 2)), -ERR_CARD_ALREADY_ISSUED);
    const code_t taken[] = {"NEW1", "E0"};
    assert_int_equal(store_stock_add(f->s, &nat, "espoo-sote", CARD_PERSONAL, taken, 2, NULL),
                     -ERR_CODE_TAKEN);
    assert_int_equal(audit_of(f->s, &nat).count, before.count);
    assert_int_equal(record(f->s, &hilla, "E0", ev, 1, 0), 0);
    after = audit_of(f->s, &nat);
    assert_int_equal(after.count, before.count + 1);
    assert_string_equal(after.last.action, "use.record");
    assert_int_equal(strncmp(after.last.object, "use:", 4), 0);

    /* Scopes: a coordinator sees their region's rows only; others none. */
    struct audit_seen espoo = audit_of(f->s, &ce);
    struct audit_seen kainuu = audit_of(f->s, &ck);
    assert_true(espoo.count > 0 && espoo.count < after.count);
    assert_string_equal(espoo.last.region, "espoo");
    assert_int_equal(kainuu.count, 4); /* the region, its unit, its venue, its stock */
    struct audit_seen none = {0};
    assert_int_equal(store_audit_list(f->s, &hilla, NULL, audit_count_fn, &none), -ERR_FORBIDDEN);
    /* [from, to) */
    none.count = 0;
    assert_int_equal(store_audit_list(f->s, &nat, &(struct audit_filter){.from = T(NOW) + 1},
                                      audit_count_fn, &none),
                     0);
    assert_int_equal(none.count, 0);
    assert_int_equal(
        store_audit_list(f->s, &nat, &(struct audit_filter){.to = T(NOW)}, audit_count_fn, &none),
        0);
    assert_int_equal(none.count, 0);

    /* R34: append-only, and no holder data in any column. */
    assert_int_not_equal(sql_exec(f->path, "UPDATE audit SET \"user\" = 'x'"), SQLITE_OK);
    assert_int_not_equal(sql_exec(f->path, "DELETE FROM audit"), SQLITE_OK);
    assert_int_equal(count_audit(f->s, NULL), after.count);
    assert_int_equal(count_audit_holder_data(f->s), 0);
}

struct listing {
    char text[8192];
    size_t n;
};

static void listing_add(struct listing *l, const char *what, long long a, const char *b)
{
    int n = snprintf(l->text + l->n, sizeof l->text - l->n, "%s %lld %s|", what, a, b);
    assert_true(n > 0 && (size_t)n < sizeof l->text - l->n);
    l->n += (size_t)n;
}

static int list_use(void *ctx, const struct use_row *u)
{
    listing_add(ctx, "use", (long long)u->use.id, u->use.card);
    listing_add(ctx, "by", (long long)u->use.undone_at, u->use.recorded_by);
    return 0;
}

static int list_audit(void *ctx, const struct audit_entry *e)
{
    listing_add(ctx, "audit", (long long)e->id, e->object);
    return 0;
}

static int list_user(void *ctx, const struct user *u)
{
    listing_add(ctx, "user", (long long)u->role, u->username);
    return 0;
}

static int list_transfer(void *ctx, const struct transfer *t)
{
    listing_add(ctx, "transfer", (long long)t->status, t->to_unit);
    return 0;
}

static int list_event(void *ctx, const struct event *e)
{
    listing_add(ctx, "event", (long long)e->used, e->name);
    return 0;
}

static int list_national(void *ctx, const struct national_row *row)
{
    for (int i = 0; i < FIG_COUNT; i++)
        listing_add(ctx, row->region, (long long)row->figures.v[i], "");
    return 0;
}

/* What national sees of a store, through store calls only. */
static void store_picture(struct store *s, struct listing *l)
{
    struct actor nat = NATIONAL;
    l->n = 0;
    l->text[0] = '\0';
    const struct use_filter all_uses = {NULL, 0, -1, -1, 0};
    const struct event_filter all_events = {NULL, 0, 0};
    assert_int_equal(store_use_list(s, &nat, &all_uses, list_use, l), 0);
    assert_int_equal(store_audit_list(s, &nat, NULL, list_audit, l), 0);
    assert_int_equal(store_user_list(s, &nat, list_user, l), 0);
    assert_int_equal(store_transfer_list(s, &nat, -1, list_transfer, l), 0);
    assert_int_equal(store_event_list(s, &all_events, list_event, l), 0);
    assert_int_equal(store_report_national(s, &nat, 2020, list_national, l), 0);
    static const char *const cards[] = {"E0", "E1", "E5", "C0", "N0", "K2"};
    for (size_t i = 0; i < ARRAY_LEN(cards); i++) {
        struct card c;
        assert_int_equal(store_card_get(s, cards[i], &c), 0);
        listing_add(l, "card", (long long)c.valid_until * 4 + c.issued * 2 + c.cancelled, c.unit);
    }
}

static int count_region(void *ctx, const struct region *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

/* store_copy: every table, so that the copy answers every store call as the
 * original does; a copy into a store that is not empty (a clashing key, or
 * any row at all) changes nothing. */
static void test_store_copy(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, hilla = VENUE_HILLA, ds = DIST_SOTE, ce = COORD_ESPOO;
    /* A little of everything: users, a session, a key, handouts, a renewal,
     * a cancel, a decided transfer, uses (one undone). */
    const struct user u = {"bertta", ROLE_DISTRIBUTOR, "espoo-sote", false};
    assert_int_equal(store_user_add(f->s, &nat, &u, "$argon2id$x"), 0);
    const uint8_t token[TOKEN_HASH_BYTES] = {7};
    assert_int_equal(store_session_add(f->s, token, "bertta", T(NOW), T(NOW) + 3600), 0);
    const uint8_t key[TOKEN_HASH_BYTES] = {9};
    int64_t key_id = 0;
    assert_int_equal(store_api_key_add(f->s, &nat, "hilla", "kassa", key, &key_id), 0);
    assert_int_equal(hand_out(f->s, &ds, "E0", D(2020, 1, 2)), 0);
    assert_int_equal(hand_out(f->s, &ds, "E1", D(2020, 1, 3)), 0);
    struct card c;
    assert_int_equal(store_card_cancel(f->s, &ds, "E5", "lost", &c), 0);
    code_t codes[1] = {"E6"};
    int64_t tid = 0;
    assert_int_equal(store_transfer_request(f->s, &ds, (const code_t *)codes, 1, "espoo-sote",
                                            "espoo-nuoriso", &tid, NULL),
                     0);
    assert_int_equal(store_transfer_decide(f->s, &ce, tid, true, NULL, NULL), 0);
    int64_t ev = add_event(f->s, "hilla", 100, 10);
    assert_int_equal(record(f->s, &hilla, "E0", ev, 1, 2), 0);
    assert_int_equal(record(f->s, &hilla, "E1", ev, 1, 0), 0);
    struct listing *before = malloc(sizeof *before), *after = malloc(sizeof *after);
    assert_non_null(before);
    assert_non_null(after);
    store_picture(f->s, before);
    assert_int_equal(count_uses(f->s, ev), 2);

    char copy_path[320];
    snprintf(copy_path, sizeof copy_path, "%s/copy.db", f->dir);
    struct store *to = NULL;
    assert_int_equal(store_open(copy_path, &to), 0);
    assert_int_equal(store_migrate(to, NULL, NULL), 0);
    int64_t rows = 0;
    assert_int_equal(store_copy(f->s, to, &rows), 0);
    assert_true(rows > 40);
    store_picture(to, after);
    assert_string_equal(after->text, before->text);

    /* Sessions and keys answer as they did; the copy goes on from there. */
    struct user who;
    assert_int_equal(store_session_get(to, token, T(NOW), &who, NULL), 0);
    assert_string_equal(who.username, "bertta");
    struct api_key k;
    assert_int_equal(store_api_key_find(to, key, &k), 0);
    assert_int_equal(k.id, key_id);
    assert_int_equal(record(to, &hilla, "E1", ev, 0, 1), 0);
    assert_int_equal(count_uses(to, ev), 3);
    assert_int_equal(count_uses(f->s, ev), 2);

    /* Into a store that is not empty: refused, and nothing of it stays. */
    int64_t audit_rows = count_audit(to, NULL);
    assert_int_equal(store_copy(f->s, to, NULL), -ERR_ALREADY_EXISTS);
    assert_int_equal(count_audit(to, NULL), audit_rows);
    assert_int_equal(count_uses(to, ev), 3);
    /* Into a store with a row, from one with none (so no key can clash):
     * refused all the same, found in the copy's own write transaction. */
    char other_path[320], empty_path[320];
    snprintf(other_path, sizeof other_path, "%s/other.db", f->dir);
    snprintf(empty_path, sizeof empty_path, "%s/empty.db", f->dir);
    struct store *other = NULL, *empty = NULL;
    assert_int_equal(store_open(other_path, &other), 0);
    assert_int_equal(store_migrate(other, NULL, NULL), 0);
    assert_int_equal(store_open(empty_path, &empty), 0);
    assert_int_equal(store_migrate(empty, NULL, NULL), 0);
    const struct region lone = {"lappi", "Lappi", -1};
    assert_int_equal(store_region_add(other, &nat, &lone), 0);
    int64_t other_audit = count_audit(other, NULL);
    assert_int_equal(store_copy(empty, other, NULL), -ERR_ALREADY_EXISTS);
    int regions = 0;
    assert_int_equal(store_region_list(other, count_region, &regions), 0);
    assert_int_equal(regions, 1);
    assert_int_equal(count_audit(other, NULL), other_audit);
    /* The empty store, refused nothing, still takes a whole copy. */
    int64_t rows0 = -1;
    assert_int_equal(store_copy(f->s, empty, &rows0), 0);
    assert_int_equal(rows0, rows);
    store_close(other);
    store_close(empty);
    /* Into a store being served: refused. */
    assert_int_equal(store_serve(to), 0);
    assert_int_equal(store_copy(f->s, to, NULL), -ERR_INVALID_REQUEST);
    store_close(to);
    free(before);
    free(after);
}

int main(void)
{
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_reports_R28_R31),
        T_(test_differencing_R30),
        T_(test_audit_R34),
        T_(test_store_copy),
    };
#undef T_
    return cmocka_run_group_tests(tests, NULL, NULL);
}
