/* store/store_sqlite.c: the SQLite backend against real files (R3–R5,
 * R12–R14, R16, R24, R25, R27, R32, R34). Each test gets a fresh migrated
 * database with a small network: two regions with units and venues, a
 * region in a pilot, and a pop-up venue. */
#include "testutil.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/rules.h"
#include "store/migrations.h"
#include "store/store.h"
#include "util/date.h"
#include "util/strutil.h"

struct fixture {
    char dir[256];
    char path[300];
    struct store *s;
};

/* The clock of every request: Saturday 1 February 2020, noon in Helsinki. */
#define NOW "2020-02-01T12:00"

static struct actor actor(const char *user, enum role role, const char *scope)
{
    struct actor a = {.role = role, .now = T(NOW)};
    str_copy(a.user, sizeof a.user, user);
    str_copy(a.scope, sizeof a.scope, scope);
    str_copy(a.address, sizeof a.address, "192.0.2.7");
    return a;
}

#define NATIONAL      actor("nat", ROLE_NATIONAL, "")
#define COORD_ESPOO   actor("coord-espoo", ROLE_COORDINATOR, "espoo")
#define COORD_KAINUU  actor("coord-kainuu", ROLE_COORDINATOR, "kainuu")
#define DIST_SOTE     actor("dist-sote", ROLE_DISTRIBUTOR, "espoo-sote")
#define DIST_NUORISO  actor("dist-nuoriso", ROLE_DISTRIBUTOR, "espoo-nuoriso")
#define DIST_KAINUU   actor("dist-kainuu", ROLE_DISTRIBUTOR, "kainuu-sote")
#define VENUE_HILLA   actor("hilla-staff", ROLE_VENUE, "hilla")
#define VENUE_KAJAANI actor("kajaani-staff", ROLE_VENUE, "kajaani")

typedef char code_t[CODE_MAX + 1];

static void stock(struct store *s, const char *unit, enum card_kind kind, const char *first,
                  int count)
{
    code_t codes[40];
    assert_true(count <= 40);
    for (int i = 0; i < count; i++)
        snprintf(codes[i], sizeof codes[i], "%s%d", first, i);
    struct actor nat = NATIONAL;
    assert_int_equal(
        store_stock_add(s, &nat, unit, kind, (const code_t *)codes, (size_t)count, NULL), 0);
}

static struct handout form(const char *code, int32_t day)
{
    struct handout h = {.handed_out_on = day,
                        .birth_year = 1980,
                        .gender = GENDER_FEMALE,
                        .life_situations = 1u << LIFE_STUDENT};
    str_copy(h.card, sizeof h.card, code);
    str_copy(h.mother_tongue, sizeof h.mother_tongue, "fi");
    str_copy(h.postal_code, sizeof h.postal_code, "02100");
    return h;
}

static int hand_out(struct store *s, const struct actor *a, const char *code, int32_t day)
{
    struct handout h = form(code, day);
    struct card c;
    return store_handout_record(s, a, &h, &c, NULL);
}

static struct event event_of(const char *venue, const char *name, const char *starts,
                             int32_t capacity, int32_t cap)
{
    struct event e = {.kind = EVENT_PERFORMANCE,
                      .starts_at = T(starts),
                      .capacity = capacity,
                      .cap = cap,
                      .booking_opens_days = -1,
                      .collection_opens_minutes = -1};
    str_copy(e.venue, sizeof e.venue, venue);
    str_copy(e.name, sizeof e.name, name);
    return e;
}

static int64_t add_event(struct store *s, const char *venue, int32_t capacity, int32_t cap)
{
    struct actor nat = NATIONAL;
    struct event e = event_of(venue, "Taikuri Matti", "2020-02-03T18:00", capacity, cap);
    assert_int_equal(store_event_add(s, &nat, &e, NULL), 0);
    return e.id;
}

static struct use_request use_req(const char *card, int64_t event, int adult, int child,
                                  const char *key)
{
    struct use_request r = {.event = event, .adult = adult, .child = child};
    str_copy(r.card, sizeof r.card, card);
    str_copy(r.idempotency_key, sizeof r.idempotency_key, key);
    return r;
}

static int record(struct store *s, const struct actor *a, const char *card, int64_t event,
                  int adult, int child)
{
    struct use_request r = use_req(card, event, adult, child, "");
    struct use u;
    bool replayed;
    return store_use_record(s, a, &r, &u, &replayed, NULL);
}

static int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof f);
    str_copy(f.dir, sizeof f.dir, tmpdir_make());
    snprintf(f.path, sizeof f.path, "%s/kaiku.db", f.dir);
    assert_int_equal(store_open(f.path, &f.s), 0);
    assert_int_equal(store_migrate(f.s, NULL, NULL), 0);

    struct actor nat = NATIONAL;
    static const struct region regions[] = {
        {"espoo", "Espoo", -1},
        {"kainuu", "Kainuu", 0}, /* pilot end set below */
        {"vantaa", "Vantaa", -1},
    };
    for (size_t i = 0; i < ARRAY_LEN(regions); i++) {
        struct region r = regions[i];
        if (strcmp(r.id, "kainuu") == 0)
            r.pilot_ends_on = D(2020, 1, 15); /* R5: a pilot that has just ended */
        assert_int_equal(store_region_add(f.s, &nat, &r), 0);
    }
    static const struct unit units[] = {
        {"espoo-sote", "espoo", "Espoon sosiaalipalvelut"},
        {"espoo-nuoriso", "espoo", "Espoon nuorisopalvelut"},
        {"kainuu-sote", "kainuu", "Kainuun sote"},
        {"vantaa-sote", "vantaa", "Vantaan sote"},
    };
    for (size_t i = 0; i < ARRAY_LEN(units); i++)
        assert_int_equal(store_unit_add(f.s, &nat, &units[i]), 0);
    static const struct venue venues[] = {
        {"hilla", "espoo", "Teatteri Hilla", CAT_THEATRE, "Esteetön sisäänkäynti", true},
        {"kajaani", "kainuu", "Kajaanin teatteri", CAT_THEATRE, "", false},
        {"ateneum", "", "Ateneum", CAT_MUSEUM, "", true}, /* R22: pop-up */
    };
    for (size_t i = 0; i < ARRAY_LEN(venues); i++)
        assert_int_equal(store_venue_add(f.s, &nat, &venues[i]), 0);
    stock(f.s, "espoo-sote", CARD_PERSONAL, "E", 10);
    stock(f.s, "espoo-sote", CARD_COMMUNITY, "C", 2);
    stock(f.s, "espoo-nuoriso", CARD_PERSONAL, "N", 3);
    stock(f.s, "kainuu-sote", CARD_PERSONAL, "K", 3);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    tmpdir_remove(f->dir);
    return 0;
}

/* ---- helpers that look under the store ---- */

static int64_t sql_int(const char *path, const char *query)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, query, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static int sql_exec(const char *path, const char *statement)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    int rc = sqlite3_exec(db, statement, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

struct audit_seen {
    int count;
    struct audit_entry last;
};

static int audit_count_fn(void *ctx, const struct audit_entry *e)
{
    struct audit_seen *seen = ctx;
    seen->count++;
    seen->last = *e;
    return 0;
}

static struct audit_seen audit_of(struct store *s, const struct actor *a)
{
    struct audit_seen seen = {0};
    assert_int_equal(store_audit_list(s, a, NULL, audit_count_fn, &seen), 0);
    return seen;
}

static int count_fn(void *ctx, const void *row)
{
    (void)row;
    (*(int *)ctx)++;
    return 0;
}

static int count_units(void *ctx, const struct unit *u)
{
    return count_fn(ctx, u);
}

static int count_users(void *ctx, const struct user *u)
{
    return count_fn(ctx, u);
}

static int count_transfers(void *ctx, const struct transfer *t)
{
    return count_fn(ctx, t);
}

static int count_venues(void *ctx, const struct venue *v)
{
    return count_fn(ctx, v);
}

static int count_regions(void *ctx, const struct region *r)
{
    return count_fn(ctx, r);
}

static int count_keys(void *ctx, const struct api_key *k)
{
    return count_fn(ctx, k);
}

/* ---- open and migrate ---- */

/* Migration 003 copies the validity of cards handed out before it onto
 * the cards; the trigger does so for handouts after it. */
static void test_migrate_card_validity(void **state)
{
    (void)state;
    const char *dir = tmpdir_make();
    char path[300];
    snprintf(path, sizeof path, "%s/v.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int i = 0; i < 2; i++)
        assert_int_equal(sqlite3_exec(db, migrations[i].sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "PRAGMA user_version = 2;"
                     "INSERT INTO regions (id, name) VALUES ('espoo', 'Espoo');"
                     "INSERT INTO units (id, region, name) VALUES ('sote', 'espoo', 'Sote');"
                     "INSERT INTO cards (code, kind, unit, added_at) VALUES "
                     "('A1', 'personal', 'sote', 0), ('A2', 'personal', 'sote', 0);"
                     "INSERT INTO handouts (card, unit, handed_out_on, valid_until, recorded_by, "
                     "recorded_at) VALUES ('A1', 'sote', 18300, 18665, 'x', 0);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    struct store *s = NULL;
    int from = -1, to = -1;
    assert_int_equal(store_open(path, &s), 0);
    assert_int_equal(store_migrate(s, &from, &to), 0);
    assert_int_equal(from, 2);
    struct card c;
    assert_int_equal(store_card_get(s, "A1", &c), 0);
    assert_true(c.issued);
    assert_int_equal(c.handed_out_on, 18300);
    assert_int_equal(c.valid_until, 18665);
    assert_int_equal(store_card_get(s, "A2", &c), 0);
    assert_false(c.issued);
    store_close(s);
    assert_int_equal(sql_exec(path, "INSERT INTO handouts (card, unit, handed_out_on, "
                                    "valid_until, recorded_by, recorded_at) "
                                    "VALUES ('A2', 'sote', 18400, 18765, 'x', 0)"),
                     SQLITE_OK);
    assert_int_equal(sql_int(path, "SELECT valid_until FROM cards WHERE code = 'A2'"), 18765);
    /* Nothing else may set them apart from the handout. */
    assert_int_not_equal(sql_exec(path, "UPDATE cards SET valid_until = 19000 WHERE code = 'A2'"),
                         SQLITE_OK);
    assert_int_not_equal(sql_exec(path, "UPDATE cards SET handed_out_on = 18300, "
                                        "valid_until = 18665 WHERE code = 'A1' OR code = 'A2'"),
                         SQLITE_OK);
    assert_int_not_equal(sql_exec(path, "UPDATE handouts SET valid_until = 19000"), SQLITE_OK);
    assert_int_not_equal(sql_exec(path, "DELETE FROM handouts WHERE card = 'A1'"), SQLITE_OK);
    assert_int_equal(sql_int(path,
                             "SELECT count(*) FROM cards c JOIN handouts h ON h.card = c.code "
                             "WHERE c.valid_until = h.valid_until "
                             "AND c.handed_out_on = h.handed_out_on"),
                     2);
    tmpdir_remove(dir);
}

static void test_open_and_migrate_twice(void **state)
{
    (void)state;
    const char *dir = tmpdir_make();
    char path[300];
    snprintf(path, sizeof path, "%s/m.db", dir);
    struct store *s = NULL;
    assert_int_equal(store_open(path, &s), 0);
    struct region r;
    /* Not migrated yet: the database is not usable. */
    assert_int_equal(store_region_get(s, "espoo", &r), -ERR_UNAVAILABLE);
    int from = -1, to = -1;
    assert_int_equal(store_migrate(s, &from, &to), 0);
    assert_int_equal(from, 0);
    assert_int_equal(to, migrations_count);
    assert_int_equal(store_migrate(s, &from, &to), 0);
    assert_int_equal(from, migrations_count);
    assert_int_equal(to, migrations_count);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), migrations_count);
    assert_int_equal(store_region_get(s, "espoo", &r), -ERR_NOT_FOUND);
    store_close(s);

    /* A second store on the same file sees it migrated. */
    assert_int_equal(store_open(path, &s), 0);
    assert_int_equal(store_migrate(s, &from, &to), 0);
    assert_int_equal(from, migrations_count);
    store_close(s);
    tmpdir_remove(dir);

    static const struct {
        const char *url;
        int rc;
    } cases[] = {
        /* a later backend: not built, so not worth retrying */
        {"postgresql://kaiku@localhost/kaiku", -ERR_INVALID_REQUEST},
        {"postgres://localhost/kaiku", -ERR_INVALID_REQUEST},
        {"/nonexistent-dir-kaiku/x/y.db", -ERR_UNAVAILABLE},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        s = (struct store *)1;
        assert_int_equal(store_open(cases[i].url, &s), cases[i].rc);
        assert_null(s);
    }
}

/* ---- network (R22, R32) ---- */

static void test_network_scopes_R32(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, ce = COORD_ESPOO, ck = COORD_KAINUU, ds = DIST_SOTE;
    struct region r;
    assert_int_equal(store_region_get(f->s, "kainuu", &r), 0);
    assert_string_equal(r.name, "Kainuu");
    assert_int_equal(r.pilot_ends_on, D(2020, 1, 15));
    assert_int_equal(store_region_get(f->s, "espoo", &r), 0);
    assert_int_equal(r.pilot_ends_on, -1);

    const struct region dup = {"espoo", "Espoo again", -1}, newr = {"oulu", "Oulu", -1};
    const struct unit u_ok = {"espoo-kirjasto", "espoo", "Kirjasto"};
    const struct unit u_other = {"kainuu-x", "kainuu", "X"};
    const struct unit u_noregion = {"nowhere-x", "nowhere", "X"};
    const struct venue v_popup = {"kiasma", "", "Kiasma", CAT_MUSEUM, "", false};
    const struct venue v_espoo = {"tapiola", "espoo", "Tapiola Sali", CAT_MUSIC, "", false};
    const struct venue v_dup = {"hilla", "espoo", "Hilla 2", CAT_THEATRE, "", false};
    static const char *const rule = "R32";
    (void)rule;
    const struct {
        const char *what;
        const struct actor *a;
        const struct region *region;
        const struct unit *unit;
        const struct venue *venue;
        int rc;
    } cases[] = {
        {"R32 coordinator adds a region", &ce, &newr, NULL, NULL, -ERR_FORBIDDEN},
        {"duplicate region", &nat, &dup, NULL, NULL, -ERR_ALREADY_EXISTS},
        {"national adds a region", &nat, &newr, NULL, NULL, 0},
        {"R32 coordinator of another region", &ck, NULL, &u_ok, NULL, -ERR_FORBIDDEN},
        {"R32 distributor adds a unit", &ds, NULL, &u_ok, NULL, -ERR_FORBIDDEN},
        {"coordinator adds a unit of the region", &ce, NULL, &u_ok, NULL, 0},
        {"duplicate unit", &nat, NULL, &u_ok, NULL, -ERR_ALREADY_EXISTS},
        {"R32 coordinator, unit elsewhere", &ce, NULL, &u_other, NULL, -ERR_FORBIDDEN},
        {"unknown region", &nat, NULL, &u_noregion, NULL, -ERR_NOT_FOUND},
        {"R22 pop-up venue by a coordinator", &ce, NULL, NULL, &v_popup, -ERR_FORBIDDEN},
        {"R22 pop-up venue by national", &nat, NULL, NULL, &v_popup, 0},
        {"coordinator adds a venue of the region", &ce, NULL, NULL, &v_espoo, 0},
        {"duplicate venue", &nat, NULL, NULL, &v_dup, -ERR_ALREADY_EXISTS},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int rc = cases[i].region ? store_region_add(f->s, cases[i].a, cases[i].region)
                 : cases[i].unit ? store_unit_add(f->s, cases[i].a, cases[i].unit)
                                 : store_venue_add(f->s, cases[i].a, cases[i].venue);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
    }
    struct venue v;
    assert_int_equal(store_venue_get(f->s, "kiasma", &v), 0);
    assert_string_equal(v.region, "");
    /* R20: a venue's accessibility text and free cloakroom survive the round trip. */
    assert_int_equal(store_venue_get(f->s, "hilla", &v), 0);
    assert_string_equal(v.accessibility, "Esteetön sisäänkäynti");
    assert_true(v.free_cloakroom);
    assert_int_equal(v.category, CAT_THEATRE);
    struct unit u;
    assert_int_equal(store_unit_get(f->s, "espoo-kirjasto", &u), 0);
    assert_string_equal(u.region, "espoo");
    assert_int_equal(store_unit_get(f->s, "nope", &u), -ERR_NOT_FOUND);

    /* Listings: units filtered to the actor's scope (R32), all of them for
     * the public pages (no actor); venues are public. */
    const struct {
        const struct actor *a;
        const char *region;
        int units;
    } lists[] = {
        {&nat, "", 5}, {&nat, "espoo", 3}, {&ce, "", 3},       {&ce, "kainuu", 0},
        {&ds, "", 1},  {NULL, "", 5},      {NULL, "espoo", 3},
    };
    for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
        int n = 0;
        assert_int_equal(store_unit_list(f->s, lists[i].a, lists[i].region, count_units, &n), 0);
        if (n != lists[i].units)
            fail_msg("unit list %zu: %d, expected %d", i, n, lists[i].units);
    }
    int n = 0;
    assert_int_equal(store_venue_list(f->s, "", count_venues, &n), 0);
    assert_int_equal(n, 5);
    n = 0;
    assert_int_equal(store_venue_list(f->s, "espoo", count_venues, &n), 0);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(store_region_list(f->s, count_regions, &n), 0);
    assert_int_equal(n, 4);
}

static int stop_at_first(void *ctx, const struct region *r)
{
    (void)ctx;
    (void)r;
    return 7;
}

static void test_list_callback_stops(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_region_list(f->s, stop_at_first, NULL), 7);
}

/* ---- users, sessions, API keys ---- */

static void test_users_R32(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, ce = COORD_ESPOO, ds = DIST_SOTE;
    const struct {
        const char *what;
        const struct actor *a;
        struct user u;
        int rc;
    } cases[] = {
        {"national adds a coordinator", &nat, {"anna", ROLE_COORDINATOR, "espoo", false}, 0},
        {"coordinator adds a distributor of the region",
         &ce,
         {"bertta", ROLE_DISTRIBUTOR, "espoo-sote", false},
         0},
        {"coordinator adds venue staff", &ce, {"cecilia", ROLE_VENUE, "hilla", false}, 0},
        {"R32 coordinator, unit of another region",
         &ce,
         {"daniel", ROLE_DISTRIBUTOR, "kainuu-sote", false},
         -ERR_FORBIDDEN},
        {"R32 coordinator adds national", &ce, {"eero", ROLE_NATIONAL, "", false}, -ERR_FORBIDDEN},
        {"R32 coordinator, pop-up venue staff",
         &ce,
         {"fanni", ROLE_VENUE, "ateneum", false},
         -ERR_FORBIDDEN},
        {"R32 distributor adds a coordinator",
         &ds,
         {"gus", ROLE_COORDINATOR, "espoo", false},
         -ERR_FORBIDDEN},
        {"unknown unit", &nat, {"heikki", ROLE_DISTRIBUTOR, "nope", false}, -ERR_NOT_FOUND},
        {"coordinator without region",
         &nat,
         {"ilona", ROLE_COORDINATOR, "", false},
         -ERR_INVALID_REQUEST},
        {"duplicate", &nat, {"anna", ROLE_COORDINATOR, "kainuu", false}, -ERR_ALREADY_EXISTS},
        {"national adds national", &nat, {"juha", ROLE_NATIONAL, "", false}, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int rc = store_user_add(f->s, cases[i].a, &cases[i].u, "$argon2id$v=19$hash");
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
    }
    struct user u;
    char hash[PASSWORD_HASH_MAX + 1];
    assert_int_equal(store_user_get(f->s, "bertta", &u, hash), 0);
    assert_int_equal(u.role, ROLE_DISTRIBUTOR);
    assert_string_equal(u.scope, "espoo-sote");
    assert_string_equal(hash, "$argon2id$v=19$hash");
    assert_false(u.disabled);
    assert_int_equal(store_user_get(f->s, "nobody", &u, NULL), -ERR_NOT_FOUND);

    int n = 0;
    assert_int_equal(store_user_list(f->s, &nat, count_users, &n), 0);
    assert_int_equal(n, 4);
    n = 0;
    assert_int_equal(store_user_list(f->s, &ce, count_users, &n), 0);
    assert_int_equal(n, 3); /* anna, bertta, cecilia: users of Espoo */

    struct actor ck = COORD_KAINUU;
    assert_int_equal(store_user_disable(f->s, &ck, "bertta"), -ERR_FORBIDDEN);
    assert_int_equal(store_user_disable(f->s, &ce, "nobody"), -ERR_NOT_FOUND);
    assert_int_equal(store_user_set_password(f->s, &ck, "bertta", "$new", NULL), -ERR_FORBIDDEN);
    struct actor bertta = actor("bertta", ROLE_DISTRIBUTOR, "espoo-sote");
    assert_int_equal(store_user_set_password(f->s, &bertta, "bertta", "$mine", NULL), 0);
    assert_int_equal(store_user_get(f->s, "bertta", &u, hash), 0);
    assert_string_equal(hash, "$mine");
}

static void test_sessions(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL, ce = COORD_ESPOO;
    const struct user bertta = {"bertta", ROLE_DISTRIBUTOR, "espoo-sote", false};
    assert_int_equal(store_user_add(f->s, &nat, &bertta, "$h"), 0);
    uint8_t t1[TOKEN_HASH_BYTES], t2[TOKEN_HASH_BYTES], t3[TOKEN_HASH_BYTES];
    memset(t1, 1, sizeof t1);
    memset(t2, 2, sizeof t2);
    memset(t3, 3, sizeof t3);
    int64_t now = T(NOW);
    assert_int_equal(store_session_add(f->s, t1, "bertta", now, now + 3600), 0);
    assert_int_equal(store_session_add(f->s, t2, "bertta", now, now + 3600), 0);
    assert_int_equal(store_session_add(f->s, t3, "bertta", now, now - 1), 0);
    assert_int_equal(store_session_add(f->s, t3, "nobody", now, now + 3600), -ERR_ALREADY_EXISTS);
    struct user u;
    int64_t expires = 0;
    assert_int_equal(store_session_get(f->s, t1, now, &u, &expires), 0);
    assert_int_equal(expires, now + 3600);
    assert_string_equal(u.username, "bertta");
    assert_string_equal(u.scope, "espoo-sote");
    assert_int_equal(store_session_get(f->s, t3, now, &u, NULL),
                     -ERR_UNAUTHENTICATED); /* expired */
    assert_int_equal(store_session_get(f->s, t1, now + 3600, &u, NULL), -ERR_UNAUTHENTICATED);

    /* A password change ends every other session. */
    struct actor b = actor("bertta", ROLE_DISTRIBUTOR, "espoo-sote");
    assert_int_equal(store_user_set_password(f->s, &b, "bertta", "$h2", t1), 0);
    assert_int_equal(store_session_get(f->s, t1, now, &u, NULL), 0);
    assert_int_equal(store_session_get(f->s, t2, now, &u, NULL), -ERR_UNAUTHENTICATED);

    assert_int_equal(store_session_delete(f->s, t1), 0);
    assert_int_equal(store_session_get(f->s, t1, now, &u, NULL), -ERR_UNAUTHENTICATED);

    /* A new session clears the user's expired ones. */
    char expired[128];
    snprintf(expired, sizeof expired,
             "SELECT count(*) FROM sessions WHERE username = 'bertta' AND expires_at <= %lld",
             (long long)now);
    assert_int_equal(store_session_add(f->s, t3, "bertta", now - 7200, now - 3600), 0);
    assert_int_equal(sql_int(f->path, expired), 1);
    assert_int_equal(store_session_add(f->s, t1, "bertta", now, now + 3600), 0);
    assert_int_equal(sql_int(f->path, expired), 0);

    /* Disabling ends all sessions, and a disabled user cannot sign in. */
    assert_int_equal(store_session_add(f->s, t2, "bertta", now, now + 3600), 0);
    assert_int_equal(store_user_disable(f->s, &ce, "bertta"), 0);
    assert_int_equal(store_session_get(f->s, t2, now, &u, NULL), -ERR_UNAUTHENTICATED);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM sessions WHERE username = 'bertta'"),
                     0);
    assert_int_equal(store_user_get(f->s, "bertta", &u, NULL), 0);
    assert_true(u.disabled);
}

static void test_api_keys_R32(void **state)
{
    struct fixture *f = *state;
    struct actor hilla = VENUE_HILLA, kajaani = VENUE_KAJAANI;
    uint8_t h1[TOKEN_HASH_BYTES], h2[TOKEN_HASH_BYTES];
    memset(h1, 0xa1, sizeof h1);
    memset(h2, 0xb2, sizeof h2);
    int64_t id = 0, id2 = 0;
    assert_int_equal(store_api_key_add(f->s, &hilla, "hilla", "Lippupalvelu", h1, &id), 0);
    assert_true(id > 0);
    assert_int_equal(store_api_key_add(f->s, &kajaani, "hilla", "Vieras", h2, &id2),
                     -ERR_FORBIDDEN); /* R32 */
    assert_int_equal(store_api_key_add(f->s, &hilla, "nope", "X", h2, &id2), -ERR_NOT_FOUND);
    struct api_key k;
    assert_int_equal(store_api_key_find(f->s, h1, &k), 0);
    assert_int_equal(k.id, id);
    assert_string_equal(k.venue, "hilla");
    assert_string_equal(k.label, "Lippupalvelu");
    assert_int_equal(store_api_key_find(f->s, h2, &k), -ERR_UNAUTHENTICATED);
    int n = 0;
    assert_int_equal(store_api_key_list(f->s, &hilla, "hilla", count_keys, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_api_key_list(f->s, &kajaani, "hilla", count_keys, &n), -ERR_FORBIDDEN);
    assert_int_equal(store_api_key_revoke(f->s, &kajaani, "hilla", id), -ERR_FORBIDDEN);
    assert_int_equal(store_api_key_revoke(f->s, &hilla, "hilla", id), 0);
    assert_int_equal(store_api_key_revoke(f->s, &hilla, "hilla", id), -ERR_NOT_FOUND);
    assert_int_equal(store_api_key_find(f->s, h1, &k), -ERR_UNAUTHENTICATED);
    n = 0;
    assert_int_equal(store_api_key_list(f->s, &hilla, "hilla", count_keys, &n), 0);
    assert_int_equal(n, 0);
}

/* ---- cards: stock (R3), transfers (R3) ---- */

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
        const char *code; /* details.code */
    } cases[] = {
        {"R3 a taken code refuses all", &nat, "espoo-sote", fresh_then_taken, 4, -ERR_CODE_TAKEN,
         "E3"},
        {"R3 a code twice in one request", &nat, "espoo-sote", twice, 2, -ERR_CODE_TAKEN, "Y1"},
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
        {"R3 not in from_unit's stock", &ds, foreign, 1, "espoo-sote", "espoo-nuoriso",
         -ERR_CARD_NOT_IN_UNIT_STOCK, "N0"},
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
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM transfers"), 0);

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

/* ---- handouts (R4, R5, R9–R12, R14) and cancel (R13) ---- */

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

/* ---- events (R15–R17) ---- */

static int rename_event(void *ctx, struct event *e)
{
    str_copy(e->name, sizeof e->name, "Kesäyöntaika");
    e->cap = *(const int32_t *)ctx;
    e->used = 99; /* ignored: update never changes used */
    return 0;
}

static int move_event(void *ctx, struct event *e)
{
    (void)ctx;
    str_copy(e->venue, sizeof e->venue, "kajaani");
    return 0;
}

static int refuse(void *ctx, struct event *e)
{
    (void)ctx;
    (void)e;
    return -ERR_INVALID_REQUEST;
}

static int collect_event(void *ctx, const struct event *e)
{
    int64_t *ids = ctx;
    for (int i = 0; i < 8; i++)
        if (ids[i] == 0) {
            ids[i] = e->id;
            break;
        }
    return 0;
}

static void test_events(void **state)
{
    struct fixture *f = *state;
    struct actor hilla = VENUE_HILLA, kajaani = VENUE_KAJAANI, ce = COORD_ESPOO, ck = COORD_KAINUU,
                 nat = NATIONAL;
    const struct {
        const char *what;
        const struct actor *a;
        struct event e;
        int rc;
        int64_t minimum;
    } cases[] = {
        {"venue staff adds", &hilla, event_of("hilla", "A", "2020-02-05T18:00", 100, 5), 0, 0},
        {"R32 other venue", &kajaani, event_of("hilla", "B", "2020-02-05T18:00", 100, 5),
         -ERR_FORBIDDEN, 0},
        {"R32 coordinator of another region", &ck,
         event_of("hilla", "B", "2020-02-05T18:00", 100, 5), -ERR_FORBIDDEN, 0},
        {"R15 cap too low", &ce, event_of("hilla", "C", "2020-02-04T18:00", 100, 4),
         -ERR_CAP_TOO_LOW, 5},
        {"unknown venue", &nat, event_of("nope", "D", "2020-02-05T18:00", 100, 5), -ERR_NOT_FOUND,
         0},
        {"R22 pop-up by coordinator", &ce, event_of("ateneum", "E", "2020-02-05T18:00", 50, -1),
         -ERR_FORBIDDEN, 0},
        {"R22 pop-up by national", &nat, event_of("ateneum", "F", "2020-02-02T10:00", 50, -1), 0,
         0},
        {"coordinator adds", &ce, event_of("hilla", "G", "2020-02-03T18:00", 10, 0), 0, 0},
    };
    int64_t first = 0;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct event e = cases[i].e;
        struct error_details d = {0};
        int rc = store_event_add(f->s, cases[i].a, &e, &d);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
        if (cases[i].minimum)
            assert_int_equal(d.value, cases[i].minimum);
        if (rc == 0 && first == 0)
            first = e.id;
        if (rc == 0)
            assert_string_equal(e.region, strcmp(e.venue, "hilla") == 0 ? "espoo" : "");
    }
    struct event e;
    assert_int_equal(store_event_get(f->s, first, &e), 0);
    assert_string_equal(e.name, "A");
    assert_int_equal(e.cap, 5);
    assert_int_equal(e.used, 0);
    assert_int_equal(e.booking_opens_days, -1);
    assert_int_equal(store_event_get(f->s, 9999, &e), -ERR_NOT_FOUND);

    /* Listing: ordered by start; filtered by venue and [from, to). */
    int64_t ids[8] = {0};
    const struct event_filter all = {NULL, 0, 0};
    assert_int_equal(store_event_list(f->s, &all, collect_event, ids), 0);
    assert_string_equal(cases[6].e.name, "F");
    struct event ev;
    assert_int_equal(store_event_get(f->s, ids[0], &ev), 0);
    assert_string_equal(ev.name, "F");
    assert_int_equal(store_event_get(f->s, ids[1], &ev), 0);
    assert_string_equal(ev.name, "G");
    assert_int_equal(ids[2], first);
    assert_int_equal(ids[3], 0);
    memset(ids, 0, sizeof ids);
    const struct event_filter window = {"hilla", T("2020-02-04T00:00"), T("2020-02-06T00:00")};
    assert_int_equal(store_event_list(f->s, &window, collect_event, ids), 0);
    assert_int_equal(ids[0], first);
    assert_int_equal(ids[1], 0);

    /* Update (PATCH): used never changes; cap below used refused. */
    struct actor ds = DIST_SOTE;
    assert_int_equal(hand_out(f->s, &ds, "E0", D(2020, 1, 2)), 0);
    assert_int_equal(hand_out(f->s, &ds, "E1", D(2020, 1, 2)), 0);
    assert_int_equal(record(f->s, &hilla, "E0", first, 1, 3), 0);
    int32_t cap = 20;
    struct error_details d = {0};
    assert_int_equal(store_event_update(f->s, &hilla, first, rename_event, &cap, &e, &d), 0);
    assert_string_equal(e.name, "Kesäyöntaika");
    assert_int_equal(e.cap, 20);
    assert_int_equal(e.used, 4);
    assert_int_equal(store_event_get(f->s, first, &e), 0);
    assert_int_equal(e.used, 4);
    assert_int_equal(e.cap, 20);
    cap = 3; /* below the 5 % minimum */
    assert_int_equal(store_event_update(f->s, &hilla, first, rename_event, &cap, &e, &d),
                     -ERR_CAP_TOO_LOW);
    int64_t small = 0;
    {
        struct event s10 = event_of("hilla", "Pieni", "2020-02-03T18:00", 10, -1);
        assert_int_equal(store_event_add(f->s, &hilla, &s10, NULL), 0);
        small = s10.id;
    }
    assert_int_equal(record(f->s, &hilla, "E1", small, 1, 2), 0);
    cap = 2; /* R15: allowed for capacity 10, but below the 3 used */
    assert_int_equal(store_event_update(f->s, &hilla, small, rename_event, &cap, &e, &d),
                     -ERR_CAP_BELOW_USED);
    memset(&d, 0, sizeof d);
    assert_int_equal(store_event_update(f->s, &hilla, first, move_event, NULL, &e, &d),
                     -ERR_INVALID_REQUEST);
    assert_string_equal(d.field, "venue");
    assert_int_equal(store_event_update(f->s, &kajaani, first, rename_event, &cap, &e, &d),
                     -ERR_FORBIDDEN);
    assert_int_equal(store_event_update(f->s, &hilla, 9999, rename_event, &cap, &e, &d),
                     -ERR_NOT_FOUND);
    assert_int_equal(store_event_update(f->s, &hilla, first, refuse, NULL, &e, &d),
                     -ERR_INVALID_REQUEST);
    assert_int_equal(store_event_get(f->s, first, &e), 0);
    assert_string_equal(e.venue, "hilla");
    assert_int_equal(e.cap, 20);
}

/* ---- uses (R24–R27) ---- */

static void test_use_record_R24_R27(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, hilla = VENUE_HILLA, kajaani = VENUE_KAJAANI, ce = COORD_ESPOO;
    for (int i = 0; i < 4; i++) {
        char code[8];
        snprintf(code, sizeof code, "E%d", i);
        assert_int_equal(hand_out(f->s, &ds, code, D(2020, 1, 2)), 0);
    }
    int64_t ev = add_event(f->s, "hilla", 10, 4);
    const struct {
        const char *what;
        const struct actor *a;
        const char *card;
        int64_t event;
        int adult, child;
        int rc;
        const char *field;
    } cases[] = {
        {"first use", &hilla, "E0", ev, 1, 1, 0, NULL},
        {"R24 one adult ticket per event", &hilla, "E0", ev, 1, 0, -ERR_DUPLICATE_ADULT_TICKET,
         "adult"},
        {"R24 more children are fine", &ce, "E0", ev, 0, 1, 0, NULL},
        {"R27 unknown card", &hilla, "QQ", ev, 1, 0, -ERR_CARD_UNKNOWN, "card"},
        {"R27 card not issued", &hilla, "E9", ev, 1, 0, -ERR_CARD_NOT_ISSUED, "card"},
        {"R32 another venue", &kajaani, "E1", ev, 1, 0, -ERR_FORBIDDEN, NULL},
        {"unknown event", &hilla, "E1", 9999, 1, 0, -ERR_NOT_FOUND, "event"},
        {"R16 cap reached", &hilla, "E1", ev, 1, 1, -ERR_CAP_REACHED, NULL},
        {"last place", &hilla, "E1", ev, 1, 0, 0, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct use_request r =
            use_req(cases[i].card, cases[i].event, cases[i].adult, cases[i].child, "");
        struct use u;
        bool replayed = true;
        struct error_details d = {0};
        int rc = store_use_record(f->s, cases[i].a, &r, &u, &replayed, &d);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): %d, expected %d", i, cases[i].what, rc, cases[i].rc);
        if (cases[i].field)
            assert_string_equal(d.field, cases[i].field);
        assert_false(replayed);
        if (rc == 0) {
            assert_true(u.id > 0);
            assert_string_equal(u.card, cases[i].card);
            assert_string_equal(u.recorded_by, cases[i].a->user);
        }
    }
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, 4);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM uses"), 3);
}

static void test_use_idempotency_R27(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, hilla = VENUE_HILLA, ce = COORD_ESPOO, nat = NATIONAL;
    assert_int_equal(hand_out(f->s, &ds, "E0", D(2020, 1, 2)), 0);
    int64_t ev = add_event(f->s, "hilla", 100, -1);
    struct use_request r = use_req("E0", ev, 1, 2, "key-1");
    struct use first, again;
    bool replayed = true;
    assert_int_equal(store_use_record(f->s, &hilla, &r, &first, &replayed, NULL), 0);
    assert_false(replayed);
    int audit_rows = audit_of(f->s, &nat).count;
    /* R27: the same key and body → the first use, nothing written. */
    assert_int_equal(store_use_record(f->s, &hilla, &r, &again, &replayed, NULL), 0);
    assert_true(replayed);
    assert_int_equal(again.id, first.id);
    assert_int_equal(again.child, 2);
    assert_int_equal(audit_of(f->s, &nat).count, audit_rows);
    /* Another body with the key → conflict. */
    struct use_request other = use_req("E0", ev, 1, 3, "key-1");
    struct error_details d = {0};
    assert_int_equal(store_use_record(f->s, &hilla, &other, &again, &replayed, &d),
                     -ERR_IDEMPOTENCY_CONFLICT);
    /* The key belongs to whoever used it: another user's key is their own. */
    assert_int_equal(store_use_record(f->s, &ce, &other, &again, &replayed, NULL),
                     -ERR_DUPLICATE_ADULT_TICKET);
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, 3);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM uses"), 1);
}

struct use_seen {
    int count;
    int undone;
    struct use_row last;
};

static int collect_use(void *ctx, const struct use_row *u)
{
    struct use_seen *seen = ctx;
    seen->count++;
    seen->undone += u->use.undone_at != 0;
    seen->last = *u;
    return 0;
}

static void test_use_undo_R25(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE, hilla = VENUE_HILLA, kajaani = VENUE_KAJAANI, ce = COORD_ESPOO,
                 ck = COORD_KAINUU;
    assert_int_equal(hand_out(f->s, &ds, "E0", D(2020, 1, 2)), 0);
    assert_int_equal(hand_out(f->s, &ds, "E1", D(2020, 1, 2)), 0);
    int64_t ev = add_event(f->s, "hilla", 10, 2);
    struct use_request r = use_req("E0", ev, 1, 1, "");
    struct use u;
    bool replayed;
    assert_int_equal(store_use_record(f->s, &hilla, &r, &u, &replayed, NULL), 0);
    assert_int_equal(record(f->s, &hilla, "E1", ev, 1, 0), -ERR_CAP_REACHED);

    assert_int_equal(store_use_undo(f->s, &kajaani, u.id), -ERR_FORBIDDEN);
    assert_int_equal(store_use_undo(f->s, &ck, u.id), -ERR_FORBIDDEN);
    assert_int_equal(store_use_undo(f->s, &hilla, 9999), -ERR_NOT_FOUND);
    assert_int_equal(store_use_undo(f->s, &hilla, u.id), 0);
    assert_int_equal(store_use_undo(f->s, &hilla, u.id), -ERR_NOT_FOUND); /* R25: twice */
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, 0);
    /* R25: the undone use frees its place, and the same card may again. */
    assert_int_equal(record(f->s, &hilla, "E1", ev, 1, 0), 0);
    assert_int_equal(record(f->s, &hilla, "E0", ev, 1, 0), 0);

    /* The row stays, with who undid it and when. */
    struct use_seen seen = {0};
    const struct use_filter all = {NULL, 0, -1, -1, 0};
    assert_int_equal(store_use_list(f->s, &hilla, &all, collect_use, &seen), 0);
    assert_int_equal(seen.count, 3);
    assert_int_equal(seen.undone, 1);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM uses WHERE undone_by = "
                                      "'hilla-staff' AND undone_at IS NOT NULL"),
                     1);
    assert_string_equal(seen.last.venue, "hilla");
    assert_string_equal(seen.last.event_name, "Taikuri Matti");
    /* R32: listings follow the scope; the day filter is on the event's day. */
    const struct {
        const struct actor *a;
        struct use_filter f;
        int count;
    } lists[] = {
        {&kajaani, {NULL, 0, -1, -1, 0}, 0},
        {&ce, {"hilla", 0, -1, -1, 0}, 3},
        {&ck, {NULL, 0, -1, -1, 0}, 0},
        {&hilla, {NULL, ev, D(2020, 2, 3), D(2020, 2, 3), 0}, 3},
        {&hilla, {NULL, 0, D(2020, 2, 4), -1, 0}, 0},
        {&hilla, {NULL, 0, -1, D(2020, 2, 2), 0}, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
        struct use_seen s = {0};
        assert_int_equal(store_use_list(f->s, lists[i].a, &lists[i].f, collect_use, &s), 0);
        if (s.count != lists[i].count)
            fail_msg("use list %zu: %d, expected %d", i, s.count, lists[i].count);
    }
    /* Paging by id: after the first use come the other two; after the last, none. */
    const struct use_filter after_first = {NULL, 0, -1, -1,
                                           sql_int(f->path, "SELECT min(id) FROM uses")};
    const struct use_filter after_last = {NULL, 0, -1, -1, seen.last.use.id};
    struct use_seen rest = {0}, none = {0};
    assert_int_equal(store_use_list(f->s, &hilla, &after_first, collect_use, &rest), 0);
    assert_int_equal(rest.count, 2);
    assert_int_equal(store_use_list(f->s, &hilla, &after_last, collect_use, &none), 0);
    assert_int_equal(none.count, 0);
}

/* ---- reports (R28–R31) ---- */

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
    int64_t undone = sql_int(f->path, "SELECT max(id) FROM uses");
    assert_int_equal(store_use_undo(f->s, &hilla, undone), 0); /* R25: never in a report */
    assert_int_equal(record(f->s, &hilla, "E2", ev[3], 1, 0), 0);
    assert_int_equal(record(f->s, &hilla, "E3", ev[2], 1, 0), 0);
    assert_int_equal(record(f->s, &hilla, "N0", ev[1], 1, 0), 0);
    undone = sql_int(f->path, "SELECT max(id) FROM uses");
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
    memset(&r, 0, sizeof r);
    assert_int_equal(store_report_cardholders(f->s, &ce, "espoo", 2020, count_line, &r), 0);
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
        int rc = store_report_cardholders(f->s, holders[i].a, holders[i].region, holders[i].year,
                                          count_line, &x);
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

/* ---- audit (R34) ---- */

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
    assert_int_not_equal(sql_exec(f->path, "UPDATE audit SET user = 'x'"), SQLITE_OK);
    assert_int_not_equal(sql_exec(f->path, "DELETE FROM audit"), SQLITE_OK);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM audit"), after.count);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM audit WHERE "
                                      "object LIKE '%02100%' OR object LIKE '%1980%' OR "
                                      "action LIKE '%02100%'"),
                     0);
}

/* ---- concurrency (R16) ---- */

#define RACE_THREADS 8
#define RACE_CARDS   4 /* per thread */

struct racer {
    struct store *s;
    int64_t event;
    int index;
    pthread_barrier_t *start;
    int ok, cap_reached, other;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct actor a = VENUE_HILLA;
    pthread_barrier_wait(r->start);
    for (int i = 0; i < RACE_CARDS; i++) {
        char code[CODE_MAX + 1];
        snprintf(code, sizeof code, "R%d", r->index * RACE_CARDS + i);
        int rc = record(r->s, &a, code, r->event, 1, 0);
        if (rc == 0)
            r->ok++;
        else if (rc == -ERR_CAP_REACHED)
            r->cap_reached++;
        else
            r->other++;
    }
    return NULL;
}

static void test_race_cap_R16(void **state)
{
    struct fixture *f = *state;
    struct actor ds = DIST_SOTE;
    stock(f->s, "espoo-sote", CARD_PERSONAL, "R", RACE_THREADS * RACE_CARDS);
    for (int i = 0; i < RACE_THREADS * RACE_CARDS; i++) {
        char code[CODE_MAX + 1];
        snprintf(code, sizeof code, "R%d", i);
        assert_int_equal(hand_out(f->s, &ds, code, D(2020, 1, 2)), 0);
    }
    int64_t ev = add_event(f->s, "hilla", 100, 5);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, RACE_THREADS);
    pthread_t threads[RACE_THREADS];
    struct racer racers[RACE_THREADS];
    for (int i = 0; i < RACE_THREADS; i++) {
        racers[i] = (struct racer){f->s, ev, i, &start, 0, 0, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
    }
    int ok = 0, cap_reached = 0, other = 0;
    for (int i = 0; i < RACE_THREADS; i++) {
        pthread_join(threads[i], NULL);
        ok += racers[i].ok;
        cap_reached += racers[i].cap_reached;
        other += racers[i].other;
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(ok, 5);
    assert_int_equal(cap_reached, RACE_THREADS * RACE_CARDS - 5);
    assert_int_equal(other, 0);
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, 5);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM uses"), 5);
}

#define ASYNC_USES 40

struct async_use {
    struct use_request r;
    struct use out;
    bool replayed;
    struct error_details d;
    int rc, calls;
};

static void async_done(void *ctx, int rc)
{
    struct async_use *u = ctx;
    u->rc = rc;
    u->calls++;
}

/* ASYNC_USES cards PREFIX0.. handed out, each with an adult ticket for one
 * new event of Hilla (capacity 100, the given cap) waiting in uses[]. */
static int64_t async_uses_ready(struct fixture *f, const char *prefix, int32_t cap,
                                struct async_use *uses)
{
    struct actor ds = DIST_SOTE;
    stock(f->s, "espoo-sote", CARD_PERSONAL, prefix, ASYNC_USES);
    int64_t ev = add_event(f->s, "hilla", 100, cap);
    for (int i = 0; i < ASYNC_USES; i++) {
        char code[CODE_MAX + 1];
        snprintf(code, sizeof code, "%s%d", prefix, i);
        assert_int_equal(hand_out(f->s, &ds, code, D(2020, 1, 2)), 0);
        uses[i] = (struct async_use){.r = use_req(code, ev, 1, 0, ""), .rc = 1};
    }
    return ev;
}

/* The store keeps `a` until each use is recorded: it must outlive them. */
static void async_uses_queue(struct fixture *f, const struct actor *a, struct async_use *uses)
{
    for (int i = 0; i < ASYNC_USES; i++)
        assert_int_equal(store_use_record_async(f->s, a, &uses[i].r, &uses[i].out,
                                                &uses[i].replayed, &uses[i].d, async_done,
                                                &uses[i]),
                         0);
}

/* R16 through store_use_record_async: uses queued without waiting are
 * recorded one by one against the cap, each caller hears back exactly once,
 * and whatever is queued when the store closes is still recorded. */
static void test_use_async_R16(void **state)
{
    struct fixture *f = *state;
    static struct async_use uses[ASYNC_USES];
    struct actor hilla = VENUE_HILLA;
    int64_t ev = async_uses_ready(f, "A", 5, uses);
    async_uses_queue(f, &hilla, uses);
    store_close(f->s); /* waits for the queue */
    assert_int_equal(store_open(f->path, &f->s), 0);

    int ok = 0, cap_reached = 0;
    for (int i = 0; i < ASYNC_USES; i++) {
        if (uses[i].calls != 1)
            fail_msg("use %d: done called %d times", i, uses[i].calls);
        if (uses[i].rc == 0) {
            ok++;
            assert_true(uses[i].out.id > 0);
            assert_string_equal(uses[i].out.card, uses[i].r.card);
        } else if (uses[i].rc == -ERR_CAP_REACHED) {
            cap_reached++;
        } else {
            fail_msg("use %d: rc %d", i, uses[i].rc);
        }
    }
    assert_int_equal(ok, 5);
    assert_int_equal(cap_reached, ASYNC_USES - 5);
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, 5);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM uses"), 5);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM audit WHERE action = 'use.record'"), 5);
}

/* A use that fails after it started writing (here: its audit row, refused
 * by a trigger planted for card B7) must not take the other uses of its
 * batch with it, nor leave half of itself behind. A second connection holds
 * the write lock while the uses are queued, so that they form one batch. */
static void test_use_batch_partial_failure(void **state)
{
    struct fixture *f = *state;
    static struct async_use uses[ASYNC_USES];
    struct actor hilla = VENUE_HILLA;
    int64_t ev = async_uses_ready(f, "B", 50, uses);
    assert_int_equal(sql_exec(f->path, "CREATE TRIGGER boom BEFORE INSERT ON audit "
                                       "WHEN NEW.action = 'use.record' AND (SELECT card FROM uses "
                                       "WHERE 'use:' || id = NEW.object) = 'B7' "
                                       "BEGIN SELECT RAISE(ABORT, 'boom'); END"),
                     SQLITE_OK);
    sqlite3 *hold = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &hold, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(hold, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    async_uses_queue(f, &hilla, uses);
    struct timespec pause = {0, 100 * 1000 * 1000};
    nanosleep(&pause, NULL); /* the writer waits for the lock with the rest queued */
    assert_int_equal(sqlite3_exec(hold, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(hold);
    store_close(f->s); /* waits for the queue */
    assert_int_equal(store_open(f->path, &f->s), 0);

    for (int i = 0; i < ASYNC_USES; i++) {
        if (uses[i].calls != 1)
            fail_msg("use %d: done called %d times", i, uses[i].calls);
        if (i == 7)
            assert_true(uses[i].rc < 0 && uses[i].rc != -ERR_CAP_REACHED);
        else if (uses[i].rc != 0)
            fail_msg("use %d: rc %d", i, uses[i].rc);
    }
    struct event e;
    assert_int_equal(store_event_get(f->s, ev, &e), 0);
    assert_int_equal(e.used, ASYNC_USES - 1);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM uses"), ASYNC_USES - 1);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM uses WHERE card = 'B7'"), 0);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM audit WHERE action = 'use.record'"),
                     ASYNC_USES - 1);
}

/* Under a steady stream of commits the WAL does not grow without bound:
 * the writer finishes the checkpointer's work and SQLite starts the WAL
 * afresh (a WAL of every commit since start would be ~140 MiB here). */
static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_wal_stays_bounded(void **state)
{
    struct fixture *f = *state;
    struct actor nat = NATIONAL;
    long db_before = file_size(f->path);
    for (int i = 0; i < 6000; i++) {
        code_t code;
        snprintf(code, sizeof code, "W%d", i);
        assert_int_equal(store_stock_add(f->s, &nat, "espoo-sote", CARD_PERSONAL,
                                         (const code_t *)&code, 1, NULL),
                         0);
        if (i != 1999)
            continue;
        /* ~8,000 WAL pages: too few for the writer to step in, so only the
         * checkpointer can have copied pages into the database file (it
         * once did nothing, its connection not knowing the file was in WAL
         * mode). */
        for (int tries = 0; tries < 200 && file_size(f->path) <= db_before; tries++) {
            struct timespec ten_ms = {0, 10 * 1000 * 1000};
            nanosleep(&ten_ms, NULL);
        }
        if (file_size(f->path) <= db_before)
            fail_msg("the checkpointer left the database file at %ld bytes", db_before);
    }
    char wal[320];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    long bytes = file_size(wal);
    if (bytes < 0 || bytes > 100L * 1024 * 1024) /* WAL_RESET_PAGES is 64 MiB of frames */
        fail_msg("the WAL has grown to %ld bytes", bytes);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM cards WHERE code LIKE 'W%'"), 6000);
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
        cmocka_unit_test(test_open_and_migrate_twice),
        cmocka_unit_test(test_migrate_card_validity),
        T_(test_network_scopes_R32),
        T_(test_list_callback_stops),
        T_(test_users_R32),
        T_(test_sessions),
        T_(test_api_keys_R32),
        T_(test_stock_all_or_nothing_R3),
        T_(test_transfers_R3),
        T_(test_handout_validity_R4_R5),
        T_(test_no_duplicate_check_R8),
        T_(test_handout_errors_R12_R14),
        T_(test_cancel_R13),
        T_(test_events),
        T_(test_use_record_R24_R27),
        T_(test_use_idempotency_R27),
        T_(test_use_undo_R25),
        T_(test_audit_R34),
        T_(test_race_cap_R16),
        T_(test_use_async_R16),
        T_(test_use_batch_partial_failure),
        T_(test_wal_stays_bounded),
        T_(test_reports_R28_R31),
        T_(test_stock_and_handout_lists),
        T_(test_stock_request),
    };
#undef T_
    return cmocka_run_group_tests(tests, NULL, NULL);
}
