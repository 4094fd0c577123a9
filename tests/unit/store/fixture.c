/* tests/unit/store/fixture.h's helpers. */
#include "testutil.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "util/date.h"
#include "util/strutil.h"

void stock(struct store *s, const char *unit, enum card_kind kind, const char *first, int count)
{
    code_t codes[40];
    assert_true(count <= 40);
    for (int i = 0; i < count; i++)
        snprintf(codes[i], sizeof codes[i], "%s%d", first, i);
    struct actor nat = NATIONAL;
    assert_int_equal(
        store_stock_add(s, &nat, unit, kind, (const code_t *)codes, (size_t)count, NULL), 0);
}

struct handout form(const char *code, int32_t day)
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

int hand_out(struct store *s, const struct actor *a, const char *code, int32_t day)
{
    struct handout h = form(code, day);
    struct card c;
    return store_handout_record(s, a, &h, &c, NULL);
}

struct event event_of(const char *venue, const char *name, const char *starts, int32_t capacity,
                      int32_t cap)
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

int64_t add_event(struct store *s, const char *venue, int32_t capacity, int32_t cap)
{
    struct actor nat = NATIONAL;
    struct event e = event_of(venue, "Taikuri Matti", "2020-02-03T18:00", capacity, cap);
    assert_int_equal(store_event_add(s, &nat, &e, NULL), 0);
    return e.id;
}

struct use_request use_req(const char *card, int64_t event, int adult, int child, const char *key)
{
    struct use_request r = {.event = event, .adult = adult, .child = child};
    str_copy(r.card, sizeof r.card, card);
    str_copy(r.idempotency_key, sizeof r.idempotency_key, key);
    return r;
}

int record(struct store *s, const struct actor *a, const char *card, int64_t event, int adult,
           int child)
{
    struct use_request r = use_req(card, event, adult, child, "");
    struct use u;
    bool replayed;
    return store_use_record(s, a, &r, &u, &replayed, NULL);
}

/* ---- the backend: a SQLite file, or a PostgreSQL database per test ---- */

/* The lock every write transaction of src/store/pg/backend.c takes (its
 * WRITE_LOCK_KEY); a test holding another would find writes going on. */
#define PG_WRITE_LOCK "SELECT pg_advisory_xact_lock(1801544053)"

static const char *pg_base(void)
{
    const char *url = getenv("KAIKU_TEST_PG_URL");
    return url && *url ? url : NULL;
}

bool on_pg(void)
{
    return pg_base() != NULL;
}

static bool is_pg(const char *path)
{
    return strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0;
}

/* base with its database name replaced by db: postgresql://[who@host]/NAME?… */
static void pg_url(const char *db, char *out, size_t cap)
{
    const char *base = pg_base();
    const char *p = strstr(base, "://");
    assert_non_null(p);
    p += 3;
    const char *name = p + strcspn(p, "/?"); /* after the host, if any */
    const char *rest = *name == '/' ? name + 1 + strcspn(name + 1, "?") : name;
    int n = snprintf(out, cap, "%.*s/%s%s", (int)(name - base), base, db, rest);
    assert_true(n > 0 && (size_t)n < cap);
}

static void pg_quiet(void *ctx, const char *message)
{
    (void)ctx;
    (void)message;
}

static PGconn *pg_connect(const char *url)
{
    PGconn *pg = PQconnectdb(url);
    if (PQstatus(pg) != CONNECTION_OK)
        fail_msg("cannot connect to %s: %s", url, PQerrorMessage(pg));
    PQsetNoticeProcessor(pg, pg_quiet, NULL); /* "does not exist, skipping" */
    return pg;
}

/* Runs sql on the server's own database (KAIKU_TEST_PG_URL); a CREATE
 * DATABASE copies files (PostgreSQL 15 on: STRATEGY FILE_COPY), which is
 * quicker for a small database than writing its pages to the WAL. */
static void pg_admin(const char *sql)
{
    PGconn *pg = pg_connect(pg_base());
    char strategy[256];
    if (strncmp(sql, "CREATE DATABASE", 15) == 0 && PQserverVersion(pg) >= 150000) {
        snprintf(strategy, sizeof strategy, "%s STRATEGY FILE_COPY", sql);
        sql = strategy;
    }
    PGresult *r = PQexec(pg, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(pg));
    PQclear(r);
    PQfinish(pg);
}

static char pg_template[64];

static void pg_template_drop(void)
{
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", pg_template);
    PGconn *pg = PQconnectdb(pg_base());
    if (PQstatus(pg) == CONNECTION_OK)
        PQclear(PQexec(pg, sql));
    PQfinish(pg);
}

/* The migrated, empty database each test's is copied from (migrating takes
 * longer than copying): made once per test program, dropped at its exit. */
static void pg_template_make(void)
{
    if (pg_template[0])
        return;
    snprintf(pg_template, sizeof pg_template, "kaiku_test_%ld_template", (long)getpid());
    char sql[128], url[sizeof((struct fixture *)0)->path];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", pg_template);
    pg_admin(sql);
    atexit(pg_template_drop);
    pg_url(pg_template, url, sizeof url);
    struct store *s = NULL;
    assert_int_equal(store_open(url, &s), 0);
    assert_int_equal(store_migrate(s, NULL, NULL), 0);
    store_close(s);
}

void store_fresh(struct fixture *f)
{
    static int made;
    memset(f, 0, sizeof *f);
    str_copy(f->dir, sizeof f->dir, tmpdir_make());
    if (on_pg()) {
        pg_template_make();
        snprintf(f->pg_db, sizeof f->pg_db, "kaiku_test_%ld_%d", (long)getpid(), ++made);
        char sql[192];
        snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s", f->pg_db, pg_template);
        pg_admin(sql);
        pg_url(f->pg_db, f->path, sizeof f->path);
    } else {
        snprintf(f->path, sizeof f->path, "%s/kaiku.db", f->dir);
    }
    assert_int_equal(store_open(f->path, &f->s), 0);
    assert_int_equal(store_migrate(f->s, NULL, NULL), 0);
}

void store_gone(struct fixture *f)
{
    store_close(f->s);
    f->s = NULL;
    if (f->pg_db[0]) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", f->pg_db);
        pg_admin(sql);
        f->pg_db[0] = '\0';
    }
    tmpdir_remove(f->dir);
}

int setup(void **state)
{
    static struct fixture f;
    store_fresh(&f);

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
        {"hilla", "espoo", "Teatteri Hilla", CAT_THEATRE, "Esteetön sisäänkäynti", true, "", ""},
        {"kajaani", "kainuu", "Kajaanin teatteri", CAT_THEATRE, "", false, "", ""},
        {"ateneum", "", "Ateneum", CAT_MUSEUM, "", true, "", ""}, /* R22: pop-up */
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

int teardown(void **state)
{
    store_gone(*state);
    return 0;
}

/* Raw SQL: see fixture.h. */
int64_t sql_int(const char *path, const char *query)
{
    if (is_pg(path)) {
        PGconn *pg = pg_connect(path);
        PGresult *r = PQexec(pg, query);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
            fail_msg("%s: %s", query, PQerrorMessage(pg));
        int64_t v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        PQfinish(pg);
        return v;
    }
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

int sql_exec(const char *path, const char *statement)
{
    if (is_pg(path)) {
        PGconn *pg = pg_connect(path);
        PGresult *r = PQexec(pg, statement);
        int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : 1;
        PQclear(r);
        PQfinish(pg);
        return rc;
    }
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    int rc = sqlite3_exec(db, statement, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

struct write_lock {
    sqlite3 *db;
    PGconn *pg;
};

struct write_lock *write_lock_hold(const char *path)
{
    struct write_lock *w = calloc(1, sizeof *w);
    assert_non_null(w);
    if (is_pg(path)) {
        w->pg = pg_connect(path);
        PGresult *r = PQexec(w->pg, "BEGIN; " PG_WRITE_LOCK);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            fail_msg("taking the write lock: %s", PQerrorMessage(w->pg));
        PQclear(r);
        return w;
    }
    assert_int_equal(sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(w->db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    return w;
}

void write_lock_release(struct write_lock *w)
{
    if (w->pg) {
        PGresult *r = PQexec(w->pg, "ROLLBACK");
        assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
        PQclear(r);
        PQfinish(w->pg);
    } else {
        assert_int_equal(sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(w->db);
    }
    free(w);
}

int audit_count_fn(void *ctx, const struct audit_entry *e)
{
    struct audit_seen *seen = ctx;
    seen->count++;
    seen->last = *e;
    return 0;
}

struct audit_seen audit_of(struct store *s, const struct actor *a)
{
    struct audit_seen seen = {0};
    assert_int_equal(store_audit_list(s, a, NULL, audit_count_fn, &seen), 0);
    return seen;
}

int count_fn(void *ctx, const void *row)
{
    (void)row;
    (*(int *)ctx)++;
    return 0;
}

int count_units(void *ctx, const struct unit *u)
{
    return count_fn(ctx, u);
}

int count_users(void *ctx, const struct user *u)
{
    return count_fn(ctx, u);
}

int count_transfers(void *ctx, const struct transfer *t)
{
    return count_fn(ctx, t);
}

int count_venues(void *ctx, const struct venue *v)
{
    return count_fn(ctx, v);
}

int count_regions(void *ctx, const struct region *r)
{
    return count_fn(ctx, r);
}

int count_keys(void *ctx, const struct api_key *k)
{
    return count_fn(ctx, k);
}

int count_use(void *ctx, const struct use_row *u)
{
    (void)u;
    (*(int64_t *)ctx)++;
    return 0;
}

/* The uses of an event (0: all) recorded and not undone or not, as national
 * lists them. */
int64_t count_uses(struct store *s, int64_t event)
{
    struct actor nat = NATIONAL;
    const struct use_filter all = {NULL, event, -1, -1, 0};
    int64_t n = 0;
    assert_int_equal(store_use_list(s, &nat, &all, count_use, &n), 0);
    return n;
}

struct card_count {
    const char *card;
    int64_t n;
};

static int count_card_use(void *ctx, const struct use_row *u)
{
    struct card_count *c = ctx;
    c->n += strcmp(u->use.card, c->card) == 0;
    return 0;
}

int64_t count_uses_of_card(struct store *s, const char *card)
{
    struct actor nat = NATIONAL;
    const struct use_filter all = {NULL, 0, -1, -1, 0};
    struct card_count c = {card, 0};
    assert_int_equal(store_use_list(s, &nat, &all, count_card_use, &c), 0);
    return c.n;
}

static int last_id(void *ctx, const struct use_row *u)
{
    *(int64_t *)ctx = u->use.id;
    return 0;
}

/* The id of the use recorded last (uses list in recording order). */
int64_t last_use_id(struct store *s)
{
    struct actor nat = NATIONAL;
    const struct use_filter all = {NULL, 0, -1, -1, 0};
    int64_t id = 0;
    assert_int_equal(store_use_list(s, &nat, &all, last_id, &id), 0);
    return id;
}

struct audit_count {
    const char *action; /* NULL: all */
    int64_t n;
};

static int count_action(void *ctx, const struct audit_entry *e)
{
    struct audit_count *c = ctx;
    if (!c->action || strcmp(c->action, e->action) == 0)
        c->n++;
    return 0;
}

/* R34: audit rows that carry a handout's personal data (the fixture's
 * postal code and birth year), as national reads them: none may. */
static int holder_data(void *ctx, const struct audit_entry *e)
{
    static const char *const data[] = {"02100", "1980"};
    for (size_t i = 0; i < ARRAY_LEN(data); i++)
        if (strstr(e->object, data[i]) || strstr(e->action, data[i]) || strstr(e->user, data[i]) ||
            strstr(e->address, data[i]))
            (*(int64_t *)ctx)++;
    return 0;
}

int64_t count_audit_holder_data(struct store *s)
{
    struct actor nat = NATIONAL;
    int64_t n = 0;
    assert_int_equal(store_audit_list(s, &nat, NULL, holder_data, &n), 0);
    return n;
}

/* Audit rows of `action` (NULL: all), as national reads them (R34). */
int64_t count_audit(struct store *s, const char *action)
{
    struct actor nat = NATIONAL;
    struct audit_count c = {action, 0};
    assert_int_equal(store_audit_list(s, &nat, NULL, count_action, &c), 0);
    return c.n;
}

void async_done(void *ctx, int rc)
{
    struct async_use *u = ctx;
    u->rc = rc;
    u->calls++;
}

/* ASYNC_USES cards PREFIX0.. handed out, each with an adult ticket for one
 * new event of Hilla (capacity 100, the given cap) waiting in uses[]. */
int64_t async_uses_ready(struct fixture *f, const char *prefix, int32_t cap, struct async_use *uses)
{
    struct actor ds = DIST_SOTE;
    assert_int_equal(store_serve(f->s), 0); /* the writer thread batches them */
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
void async_uses_queue(struct fixture *f, const struct actor *a, struct async_use *uses)
{
    for (int i = 0; i < ASYNC_USES; i++)
        assert_int_equal(store_use_record_async(f->s, a, &uses[i].r, &uses[i].out,
                                                &uses[i].replayed, &uses[i].d, async_done,
                                                &uses[i]),
                         0);
}
