/* The store tests' fixture: a fresh migrated store per test with a small
 * network (two regions with units and venues, a region in a pilot, a
 * pop-up venue), the actors acting on it, and helpers that read the store
 * through store.h calls. Shared by tests/unit/store/test_*.c.
 *
 * The backend: a SQLite file in a new temporary directory; or, when the
 * environment's KAIKU_TEST_PG_URL names a database of a PostgreSQL server
 * on which the tests may create databases (tests/pg/test_pg_store.sh sets
 * it to with-postgres.sh's throw-away cluster), a new database per test,
 * copied from one migrated per test program, and dropped after the test.
 * The same tests then hold for both backends (issue 18); a case that is
 * about SQLite itself says so with SKIP_ON_PG. The programs about SQLite
 * itself (test_sqlite, test_power_cut, test_schema) use the fixture too:
 * run them without the variable (CTest's entries clear it). */
#ifndef KAIKU_TESTS_STORE_FIXTURE_H
#define KAIKU_TESTS_STORE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rules.h"
#include "store/store.h"
#include "util/strutil.h"

struct fixture {
    char dir[256];  /* a temporary directory, also on PostgreSQL */
    char path[300]; /* the store: a file in dir, or a postgresql:// URL */
    char pg_db[64]; /* PostgreSQL: the test's own database; "" on SQLite */
    struct store *s;
};

/* True when the tests run on PostgreSQL (KAIKU_TEST_PG_URL is set). */
bool on_pg(void);

/* Skips the running test on PostgreSQL, saying why: only for a case that is
 * about SQLite itself (its query plans, its files). */
#define SKIP_ON_PG(why)                                                          \
    do {                                                                         \
        if (on_pg()) {                                                           \
            print_message("[  SKIPPED ] %s on PostgreSQL: %s\n", __func__, why); \
            skip();                                                              \
        }                                                                        \
    } while (0)

/* A new, migrated, empty store in f->s (f->dir and f->path set), and its
 * end: the store closed, its database and directory removed. */
void store_fresh(struct fixture *f);

void store_gone(struct fixture *f);

/* The clock of every request: Saturday 1 February 2020, noon in Helsinki. */
#define NOW "2020-02-01T12:00"

static inline struct actor actor(const char *user, enum role role, const char *scope)
{
    struct actor a = {.role = role, .now = T(NOW)};
    str_copy(a.user, sizeof a.user, user);
    str_copy(a.scope, sizeof a.scope, scope);
    str_copy(a.address, sizeof a.address, "192.0.2.7");
    return a;
}

#define NATIONAL actor("nat", ROLE_NATIONAL, "")

#define COORD_ESPOO actor("coord-espoo", ROLE_COORDINATOR, "espoo")

#define COORD_KAINUU actor("coord-kainuu", ROLE_COORDINATOR, "kainuu")

#define DIST_SOTE actor("dist-sote", ROLE_DISTRIBUTOR, "espoo-sote")

#define DIST_NUORISO actor("dist-nuoriso", ROLE_DISTRIBUTOR, "espoo-nuoriso")

#define DIST_KAINUU actor("dist-kainuu", ROLE_DISTRIBUTOR, "kainuu-sote")

#define VENUE_HILLA actor("hilla-staff", ROLE_VENUE, "hilla")

#define VENUE_KAJAANI actor("kajaani-staff", ROLE_VENUE, "kajaani")

typedef char code_t[CODE_MAX + 1];

struct audit_seen {
    int count;
    struct audit_entry last;
};

#define ASYNC_USES 40

struct async_use {
    struct use_request r;
    struct use out;
    bool replayed;
    struct error_details d;
    int rc, calls;
};

void stock(struct store *s, const char *unit, enum card_kind kind, const char *first, int count);

struct handout form(const char *code, int32_t day);

int hand_out(struct store *s, const struct actor *a, const char *code, int32_t day);

struct event event_of(const char *venue, const char *name, const char *starts, int32_t capacity,
                      int32_t cap);

int64_t add_event(struct store *s, const char *venue, int32_t capacity, int32_t cap);

struct use_request use_req(const char *card, int64_t event, int adult, int child, const char *key);

int record(struct store *s, const struct actor *a, const char *card, int64_t event, int adult,
           int child);

int setup(void **state);

int teardown(void **state);

/* Raw SQL, only where a test is about what the database itself holds or
 * refuses (triggers, rows no store call shows, faults planted for a test);
 * everything else asks the store. `path` is the fixture's: a SQLite file or
 * a PostgreSQL URL, and the SQL must mean the same in both dialects.
 * sql_int fails the test unless the query gives a row; sql_exec returns 0
 * when the statement ran, non-zero when the database refused it. */
int64_t sql_int(const char *path, const char *query);

int sql_exec(const char *path, const char *statement);

/* The database's write lock, taken as another process takes it (SQLite:
 * BEGIN IMMEDIATE on a connection of its own; PostgreSQL: the advisory
 * lock every write transaction of the backend takes) and held until
 * write_lock_release. */
struct write_lock;

struct write_lock *write_lock_hold(const char *path);

void write_lock_release(struct write_lock *w);

int audit_count_fn(void *ctx, const struct audit_entry *e);

struct audit_seen audit_of(struct store *s, const struct actor *a);

int count_fn(void *ctx, const void *row);

int count_units(void *ctx, const struct unit *u);

int count_users(void *ctx, const struct user *u);

int count_transfers(void *ctx, const struct transfer *t);

int count_venues(void *ctx, const struct venue *v);

int count_regions(void *ctx, const struct region *r);

int count_keys(void *ctx, const struct api_key *k);

int count_use(void *ctx, const struct use_row *u);

/* The uses of an event (0: all) recorded and not undone or not, as national
 * lists them. */
int64_t count_uses(struct store *s, int64_t event);

int64_t count_uses_of_card(struct store *s, const char *card);

/* The id of the use recorded last (uses list in recording order). */
int64_t last_use_id(struct store *s);

/* Audit rows of `action` (NULL: all), as national reads them (R34). */
int64_t count_audit(struct store *s, const char *action);

int64_t count_audit_holder_data(struct store *s);

void async_done(void *ctx, int rc);

/* ASYNC_USES cards PREFIX0.. handed out, each with an adult ticket for one
 * new event of Hilla (capacity 100, the given cap) waiting in uses[]. */
int64_t async_uses_ready(struct fixture *f, const char *prefix, int32_t cap,
                         struct async_use *uses);

/* The store keeps `a` until each use is recorded: it must outlive them. */
void async_uses_queue(struct fixture *f, const struct actor *a, struct async_use *uses);

#endif
