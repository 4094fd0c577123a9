/* The store tests' fixture: a fresh migrated store per test with a small
 * network (two regions with units and venues, a region in a pilot, a
 * pop-up venue), the actors acting on it, and helpers that read the store
 * through store.h calls. Shared by tests/unit/store/test_*.c. */
#ifndef KAIKU_TESTS_STORE_FIXTURE_H
#define KAIKU_TESTS_STORE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rules.h"
#include "store/store.h"
#include "util/strutil.h"

struct fixture {
    char dir[256];
    char path[300];
    struct store *s;
};

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

/* Raw SQL, only where a test is about what the SQLite file itself holds or
 * refuses (migrations, triggers, rows no store call shows, faults planted
 * for a test, the WAL); everything else asks the store, so that the same
 * tests can run on another backend. */
int64_t sql_int(const char *path, const char *query);

int sql_exec(const char *path, const char *statement);

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
