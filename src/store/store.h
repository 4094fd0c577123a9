/* store.h — the one interface to storage.
 *
 * Every function is one whole transaction: it either does all it says, with
 * its audit row (R34) written in the same transaction, or nothing. Callers
 * never see transactions, connections or SQL, so a PostgreSQL backend fits
 * behind the same functions (store_open picks the backend from the URL).
 *
 * Threads: a `struct store` may be used from many threads at once. Reads
 * run on a connection of the backend's pool, taken for the call; writes are
 * serialised, one at a time (SQLite: one writer connection); once serving
 * (store_serve) they go through the write queue to one writer thread.
 *
 * Errors: 0 or -ERR_x (core/error.h). -ERR_UNAVAILABLE means the database
 * could not be reached, stayed busy, or the write queue was full or its
 * deadline passed: retry. Scopes (R32): functions that take an actor check
 * that the object lies in the actor's scope and return -ERR_FORBIDDEN
 * otherwise. Which roles may call a route is the router's table (src/http);
 * the store gates by role only where the role decides what is read: the
 * audit trail (national, coordinator) and the country-wide reports
 * (national), with core's audit_gate and report_gate_national.
 *
 * Ownership: out-structs are the caller's; list callbacks get rows that live
 * only for the duration of the call. A callback returning non-zero stops the
 * listing and that value is returned. */
#ifndef KAIKU_STORE_STORE_H
#define KAIKU_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/model.h"
#include "core/report.h"
#include "util/secret.h"

struct event_patch; /* core/rules.h */

/* The stored forms of secrets are util/secret.h's, defined there once. */
#define PASSWORD_HASH_MAX SECRET_HASH_MAX
#define TOKEN_HASH_BYTES  SECRET_DIGEST_BYTES
#define AUDIT_ACTION_MAX  40
#define AUDIT_OBJECT_MAX  100

struct store;

/* Opens `url`: a file path (SQLite) or postgresql://… Returns 0 or an error;
 * on error *out is NULL. -ERR_INVALID_REQUEST: the URL is empty, too long,
 * or names a backend this build does not have (PostgreSQL, for now).
 * -ERR_UNAVAILABLE: the database could not be opened (missing directory,
 * no permission, not a database, busy); the file system says which. Does
 * not create the schema or migrate: see store_migrate. */
int store_open(const char *url, struct store **out);
void store_close(struct store *s);

/* Creates or migrates the schema to the newest version. Idempotent.
 * *from and *to (may be NULL) receive the versions before and after. */
int store_migrate(struct store *s, int *from, int *to);

/* Why the last store_open or store_migrate of this thread failed, in the
 * backend's own words when it has any (PostgreSQL: libpq's message, on one
 * line, e.g. "connection to server … failed: Connection refused"); ""
 * otherwise. For the command line's one line of error. */
const char *store_reason(void);

/* From now on the store serves a long-running server (`kaiku serve`): every
 * write goes through one bounded queue to one writer thread (a full queue,
 * or a write not begun within its deadline, is -ERR_UNAVAILABLE: retry),
 * uses queued together are committed together, and the backend starts its
 * background work (SQLite: the checkpointer). Call it once, after
 * store_migrate and before other threads use the store. Without it (the
 * CLI's commands) every call runs its transaction on the caller's thread. */
int store_serve(struct store *s);

/* The backend's change generation (backend.h): it differs from every
 * earlier answer once any write of this store has committed. Read it before
 * the data that something kept in memory is made of; the thing is stale
 * when the generation has moved on. */
uint64_t store_generation(struct store *s);

/* Whether other server processes may serve this store's database at the
 * same time (the backend's `shared`, backend.h: PostgreSQL yes, SQLite
 * no). A server then keeps nothing in its own memory that decides who may
 * do what: it reads sessions and keys from the store on every request and
 * counts failures with store_failures_* (docs/decisions.md, "Several
 * servers on one database"). */
bool store_shared(const struct store *s);

/* Copies every row of `from` into `to`, which must be migrated to the same
 * schema, not serving (-ERR_INVALID_REQUEST) and empty (a row in any table:
 * -ERR_ALREADY_EXISTS, found in the same transaction that would fill it):
 * one snapshot of `from`, one write transaction of `to`, so the copy is all
 * or nothing and consistent whatever `from` is doing meanwhile. *rows (may be NULL): the
 * rows copied. The backends may differ (SQLite to PostgreSQL). */
int store_copy(struct store *from, struct store *to, int64_t *rows);

/* store_copy with the rows copied per table, counts[i] for the table named
 * store_copy_table(i) (in stmt.h's capitals: "TRANSFER_CARDS" for the table
 * transfer_cards), in the order copied.
 * The kept counts (issue 16) are not among them: the target recounts them.
 * After the copy the ids the target generates follow the copied ones. */
#define STORE_COPY_TABLES 17
int store_copy_counted(struct store *from, struct store *to, int64_t counts[STORE_COPY_TABLES]);
const char *store_copy_table(size_t i);

/* The schema version of the store as it is (0: none yet) and the newest
 * this build knows (store_migrate's goal), read without migrating. */
int store_version(struct store *s, int *current, int *latest);

/* Writes a backup of the whole store, consistent as of one moment, to a new
 * file `path` while the store goes on serving (SQLite: the backup API; the
 * file is itself a SQLite database). Complete or absent; mode 0600.
 * -ERR_ALREADY_EXISTS when `path` exists. */
int store_backup(struct store *s, const char *path);

/* Replaces everything in the store with the backup at `path`, all or
 * nothing, then migrates it to this build's schema. Refuses a store that
 * holds any row (-ERR_ALREADY_EXISTS) unless `force`, a store being served
 * (-ERR_INVALID_REQUEST), and a file that is not a sound kaiku backup
 * (-ERR_INVALID_REQUEST); the store is then unchanged. */
int store_restore(struct store *s, const char *path, bool force);

/* ---- network: regions, units, venues ---- */

struct region {
    char id[ID_MAX + 1];
    char name[NAME_MAX_BYTES + 1];
    int32_t pilot_ends_on; /* day number; -1 when not in a pilot */
};

struct unit {
    char id[ID_MAX + 1];
    char region[ID_MAX + 1];
    char name[NAME_MAX_BYTES + 1];
};

struct venue {
    char id[ID_MAX + 1];
    char region[ID_MAX + 1]; /* "" for a pop-up venue (R22) */
    char name[NAME_MAX_BYTES + 1];
    enum venue_category category;
    char accessibility[TEXT_MAX_BYTES + 1];    /* R20, in Finnish (and the default) */
    bool free_cloakroom;                       /* R20 */
    char accessibility_sv[TEXT_MAX_BYTES + 1]; /* R20 in Swedish, "" when not given */
    char accessibility_en[TEXT_MAX_BYTES + 1]; /* R20 in English, "" when not given */
};

typedef int (*store_region_fn)(void *ctx, const struct region *r);
typedef int (*store_unit_fn)(void *ctx, const struct unit *u);
typedef int (*store_venue_fn)(void *ctx, const struct venue *v);

int store_region_add(struct store *s, const struct actor *a, const struct region *r);
int store_region_get(struct store *s, const char *id, struct region *out);
int store_region_list(struct store *s, store_region_fn fn, void *ctx);
/* Changes a region (national only, as adding one): its name when name is
 * not NULL, its pilot when set_pilot (pilot_ends_on -1 ends the pilot, R5;
 * cards already handed out keep their validity). An unknown region is
 * -ERR_NOT_FOUND. *out (may be NULL) is the region as saved. */
struct region_change {
    const char *name;
    bool set_pilot;
    int32_t pilot_ends_on;
};
int store_region_update(struct store *s, const struct actor *a, const char *id,
                        const struct region_change *c, struct region *out);

/* A unit's region must exist (-ERR_NOT_FOUND) and be in the actor's scope. */
int store_unit_add(struct store *s, const struct actor *a, const struct unit *u);
int store_unit_get(struct store *s, const char *id, struct unit *out);
/* Renames a unit in the actor's scope (R32); -ERR_NOT_FOUND when unknown. */
int store_unit_rename(struct store *s, const struct actor *a, const char *id, const char *name);
/* region "" lists all; only units in the actor's scope are listed. A NULL
 * actor lists every unit: where to get a card is public (the web's public
 * pages), as venues are. */
int store_unit_list(struct store *s, const struct actor *a, const char *region, store_unit_fn fn,
                    void *ctx);

int store_venue_add(struct store *s, const struct actor *a, const struct venue *v);
int store_venue_get(struct store *s, const char *id, struct venue *out);
/* Public facts of venues; region "" lists all. Anyone may list them. */
int store_venue_list(struct store *s, const char *region, store_venue_fn fn, void *ctx);

/* R20: what a change of a venue gives (`set`, bits of enum
 * venue_patch_field) and its values in `v` (other members unused). */
enum venue_patch_field {
    VP_NAME = 1u << 0,
    VP_CATEGORY = 1u << 1,
    VP_ACCESSIBILITY = 1u << 2,
    VP_ACCESSIBILITY_SV = 1u << 3,
    VP_ACCESSIBILITY_EN = 1u << 4,
    VP_FREE_CLOAKROOM = 1u << 5,
};
struct venue_patch {
    unsigned set;
    struct venue v;
};
/* Changes a venue in one write transaction: the venue's staff, the
 * coordinator of its region or national (R32: -ERR_FORBIDDEN); name and
 * category only the coordinator or national (venue staff: -ERR_FORBIDDEN
 * with details.field). The name non-empty, texts within their bounds
 * (-ERR_INVALID_REQUEST) and free of identity data (R10). Audited as
 * "venue.update". *out (may be NULL) is the venue as saved. */
int store_venue_update(struct store *s, const struct actor *a, const char *id,
                       const struct venue_patch *p, struct venue *out, struct error_details *d);

/* ---- users, sessions, API keys ---- */

struct user {
    char username[USERNAME_MAX + 1];
    enum role role;
    char scope[ID_MAX + 1]; /* region, unit or venue id; "" for national */
    bool disabled;
};

typedef int (*store_user_fn)(void *ctx, const struct user *u);

/* The scope must exist and, for a coordinator acting, lie in their region. */
int store_user_add(struct store *s, const struct actor *a, const struct user *u,
                   const char *password_hash);
/* Fetches a user and its argon2id hash (hash may be NULL). */
int store_user_get(struct store *s, const char *username, struct user *out,
                   char hash[PASSWORD_HASH_MAX + 1]);
int store_user_list(struct store *s, const struct actor *a, store_user_fn fn, void *ctx);
/* Disables the user, ends all their sessions and revokes every API key they
 * created (each audited as api_key.revoke). The actor's scope must hold the
 * user (R32): -ERR_FORBIDDEN otherwise, and for the actor themselves. */
int store_user_disable(struct store *s, const struct actor *a, const char *username);
/* Re-enables a disabled user (a no-op on an enabled one, audited all the
 * same). Scope and self as store_user_disable; the API keys revoked when the
 * user was disabled stay revoked. A name outside username_check's rule
 * (migration 004's 'cli', 'key:…') is -ERR_INVALID_REQUEST. */
int store_user_enable(struct store *s, const struct actor *a, const char *username);
/* The user, when the actor may disable, re-enable or set the password of
 * them: the actor's scope holds the user (R32) and the user is not the
 * actor. -ERR_NOT_FOUND, -ERR_FORBIDDEN otherwise. Read before the costly
 * hash of a new password, and by pages deciding what to offer. */
int store_user_manageable(struct store *s, const struct actor *a, const char *username,
                          struct user *out);
/* Sets a user's hash and ends their other sessions (keep_session may be NULL).
 * The actor's scope must hold the user (R32), or the actor is the user. */
int store_user_set_password(struct store *s, const struct actor *a, const char *username,
                            const char *password_hash,
                            const uint8_t keep_session[TOKEN_HASH_BYTES]);

/* Sessions are stored only by the hash of their token. Adding one at `now`
 * also deletes the user's sessions that have expired by then. */
int store_session_add(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES],
                      const char *username, int64_t now, int64_t expires_at);
/* The session's user if the session exists, has not expired at `now` and the
 * user is not disabled, and when it expires (*expires_at, may be NULL);
 * -ERR_UNAUTHENTICATED otherwise. */
int store_session_get(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t now,
                      struct user *out, int64_t *expires_at);
int store_session_delete(struct store *s, const uint8_t token_hash[TOKEN_HASH_BYTES]);

struct api_key {
    int64_t id;
    char venue[ID_MAX + 1];
    char label[NAME_MAX_BYTES + 1];
    int64_t created_at;
};

typedef int (*store_api_key_fn)(void *ctx, const struct api_key *k);

int store_api_key_add(struct store *s, const struct actor *a, const char *venue, const char *label,
                      const uint8_t key_hash[TOKEN_HASH_BYTES], int64_t *id);
int store_api_key_list(struct store *s, const struct actor *a, const char *venue,
                       store_api_key_fn fn, void *ctx);
int store_api_key_revoke(struct store *s, const struct actor *a, const char *venue, int64_t id);
/* The key with this hash, if not revoked; -ERR_UNAUTHENTICATED otherwise. */
int store_api_key_find(struct store *s, const uint8_t key_hash[TOKEN_HASH_BYTES],
                       struct api_key *out);

/* ---- failures counted for every server (failures.c, migration 011) ----
 *
 * Budgets of failures that every server serving one database must see when
 * it is shared (store_shared): the unknown card codes of a principal, the
 * failed sign-ins of a username and of an address. A count is kept per key
 * and period; the period is the caller's (a bucket of time, or 0 for one
 * count per key). Keys are text (at most FAILURE_KEY_MAX bytes) and stored
 * as their digest (util/secret.h): the table holds no username or address
 * in clear. Counts whose latest failure is older than FAILURES_KEPT seconds
 * are deleted as failures are added: a counter looks back at most that far.
 * No audit row: failures are not changes to the register. */
#define FAILURE_KEY_MAX 200
#define FAILURES_KEPT   3600

struct failure_count {
    int64_t period;
    int64_t n;       /* failures counted in the period, >= 1 */
    int64_t last_at; /* the latest of them */
};

typedef int (*store_failure_fn)(void *ctx, const struct failure_count *c);

/* One failure more of each of the n keys in `period`, the latest at `now`,
 * in one write transaction; a count whose latest failure was before
 * forget_before (0: never) starts again at 1. */
int store_failures_add(struct store *s, const char *const *keys, size_t n, int64_t period,
                       int64_t now, int64_t forget_before);
/* The counts of key from period `from` on, by period. */
int store_failures_list(struct store *s, const char *key, int64_t from, store_failure_fn fn,
                        void *ctx);
/* Forgets every count of key. */
int store_failures_clear(struct store *s, const char *key);

/* ---- cards: stock, transfers, handouts, cancel (R1–R14) ---- */

/* R3: adds codes (already normalised, R1) to a unit's stock; all or none:
 * one code that exists anywhere → -ERR_CODE_TAKEN, with details.code when
 * the card lies in the actor's scope (R32), else with details.field "codes"
 * only (which code is not told). */
int store_stock_add(struct store *s, const struct actor *a, const char *unit, enum card_kind kind,
                    const char (*codes)[CODE_MAX + 1], size_t n, struct error_details *d);

struct transfer {
    int64_t id;
    char from_unit[ID_MAX + 1];
    char to_unit[ID_MAX + 1];
    char region[ID_MAX + 1];
    enum transfer_status status;
    int32_t count; /* codes in the transfer */
    char requested_by[USERNAME_MAX + 1];
    int64_t requested_at;
    char decided_by[USERNAME_MAX + 1];
    int64_t decided_at; /* 0 while requested */
};

typedef int (*store_transfer_fn)(void *ctx, const struct transfer *t);

/* R3: both units in one region; every code in from_unit's stock and not
 * handed out (-ERR_CARD_NOT_IN_UNIT_STOCK / -ERR_CARD_ALREADY_ISSUED with
 * details.code). */
int store_transfer_request(struct store *s, const struct actor *a,
                           const char (*codes)[CODE_MAX + 1], size_t n, const char *from_unit,
                           const char *to_unit, int64_t *id, struct error_details *d);
/* R3: approval re-checks the codes and moves them to to_unit. */
int store_transfer_decide(struct store *s, const struct actor *a, int64_t id, bool approve,
                          struct transfer *out, struct error_details *d);
/* status < 0: all. Only transfers in the actor's scope (either unit). */
int store_transfer_list(struct store *s, const struct actor *a, int status, store_transfer_fn fn,
                        void *ctx);

/* A card and where it is; -ERR_CARD_UNKNOWN when no such code. */
int store_card_get(struct store *s, const char *code, struct card *out);

/* R9–R12, R14: hands out h->card from the actor's unit (distributor). The
 * validity (R4/R5) is computed from the unit's region. *out is the card. */
int store_handout_record(struct store *s, const struct actor *a, const struct handout *h,
                         struct card *out, struct error_details *d);

/* R13: cancels a card of the actor's unit or region. */
int store_card_cancel(struct store *s, const struct actor *a, const char *code, const char *reason,
                      struct card *out);

typedef int (*store_card_fn)(void *ctx, const struct card *c);

/* R3: the codes a unit can still hand out (in its stock, not handed out,
 * not cancelled), by code. The unit must exist (-ERR_NOT_FOUND) and lie in
 * the actor's scope (-ERR_FORBIDDEN). */
int store_stock_list(struct store *s, const struct actor *a, const char *unit, store_card_fn fn,
                     void *ctx);
/* The cards a unit has handed out, the latest recorded first, at most
 * limit: code, handout day, validity and whether cancelled, nothing of the
 * background form. Scope as store_stock_list. */
int store_handout_list(struct store *s, const struct actor *a, const char *unit, int limit,
                       store_card_fn fn, void *ctx);
/* A unit asks its region's coordinator for count (1..STOCK_REQUEST_MAX)
 * more cards: an audit entry "stock.request" on "unit:ID:COUNT" in the
 * region, which the coordinator reads in the audit (R34). Scope as
 * store_stock_list; a count out of range is -ERR_INVALID_REQUEST. */
#define STOCK_REQUEST_MAX 10000
int store_stock_request(struct store *s, const struct actor *a, const char *unit, int32_t count);

/* ---- events and uses (R15–R27) ---- */

struct event_filter {
    const char *venue; /* "" or NULL: all */
    int64_t from, to;  /* starts_at within [from, to); 0: open */
};

typedef int (*store_event_fn)(void *ctx, const struct event *e);

/* Validates (core event_validate) and adds; e->id and e->region are set. */
int store_event_add(struct store *s, const struct actor *a, struct event *e,
                    struct error_details *d);
int store_event_get(struct store *s, int64_t id, struct event *out);
/* Loads the event, applies the parsed patch (core event_patch_apply: the
 * venue, id and `used` never change), validates and saves it, all in one
 * write transaction (PATCH). *out (may be NULL) is the event as saved. */
int store_event_update(struct store *s, const struct actor *a, int64_t id,
                       const struct event_patch *p, struct event *out, struct error_details *d);
int store_event_list(struct store *s, const struct event_filter *f, store_event_fn fn, void *ctx);

/* R23–R27: checks and records a use in one write transaction, re-checking
 * cap and capacity there. With an idempotency key already used by the same
 * actor: the same request returns the first use and *replayed = true; another
 * request → -ERR_IDEMPOTENCY_CONFLICT. */
int store_use_record(struct store *s, const struct actor *a, const struct use_request *r,
                     struct use *out, bool *replayed, struct error_details *d);

/* Called once when an asynchronous call has finished, with what the
 * synchronous call would have returned. Runs on a thread of the store: keep
 * it short and do not call the store from it. */
typedef void (*store_done_fn)(void *ctx, int rc);

/* store_use_record without waiting: returns 0 when the request is queued and
 * `done(ctx, rc)` follows later, from the writer thread; a, r, out, replayed
 * and d must stay valid until then. On an error return (-ERR_UNAVAILABLE:
 * the write queue is full), done is not called; a request the writer could
 * not begin within the queue's deadline is done with -ERR_UNAVAILABLE. Lets
 * a server hold many requests in flight on few threads, which the writer
 * then commits together. A store not serving (store_serve) records the use
 * at once and calls done before returning 0. */
int store_use_record_async(struct store *s, const struct actor *a, const struct use_request *r,
                           struct use *out, bool *replayed, struct error_details *d,
                           store_done_fn done, void *ctx);

/* R25: marks the use undone (the row stays). Undoing twice → -ERR_NOT_FOUND. */
int store_use_undo(struct store *s, const struct actor *a, int64_t id);

struct use_filter {
    const char *venue; /* "" or NULL: all in scope */
    int64_t event;     /* 0: all */
    int32_t from, to;  /* event day within [from, to] inclusive; -1: open */
    /* Paging: only uses with an id above after_id (0: from the first). Every
     * backend makes uses visible in the order of their ids (backend.h), so a
     * page never skips or repeats a use recorded meanwhile. */
    int64_t after_id;
};

struct use_row {
    struct use use;
    char venue[ID_MAX + 1];
    char event_name[NAME_MAX_BYTES + 1];
    int64_t event_starts_at;
};

typedef int (*store_use_fn)(void *ctx, const struct use_row *u);

/* Uses in the actor's scope (venue: their venue; coordinator: venues of the
 * region; national: all), in the order they were recorded (by id). */
/* Uses in the actor's scope (R32) matching f; a venue or an event of f
 * outside the scope is -ERR_FORBIDDEN, before any use is read (an unknown
 * one lists nothing). An event given reads only that event's uses. */
int store_use_list(struct store *s, const struct actor *a, const struct use_filter *f,
                   store_use_fn fn, void *ctx);

/* ---- recurring admissions: series of day tickets (core/series.h) ---- */

struct series {
    int64_t id;
    char venue[ID_MAX + 1];
    char name[NAME_MAX_BYTES + 1]; /* each day's event name */
    unsigned weekdays;             /* bit 0 Monday … bit 6 Sunday */
    int32_t opens_at;              /* seconds from midnight, Finnish time */
    int32_t first_day, last_day;   /* day numbers, both inclusive */
    int32_t capacity, cap;         /* each day's; cap -1: none (R15's `daily` line) */
    int64_t closed_at;             /* 0 while open */
    int32_t days;                  /* its days (events) now; as read */
};

typedef int (*store_series_fn)(void *ctx, const struct series *s);

/* Adds a series and one event of kind `daily` for each of the n days
 * (core series_days: ascending, within sr's first and last day), all in
 * one write transaction: every day is validated as an event is (R15–R17),
 * and one refusal leaves nothing written. The venue must be in the
 * actor's scope (R32). sr->id is set; audited once, "series.add". */
int store_series_add(struct store *s, const struct actor *a, struct series *sr, const int32_t *days,
                     size_t n, struct error_details *d);
/* Extends an open series to last_day with the n days given (each after
 * the series' last day and at most last_day), all or nothing. A closed
 * series, or last_day not after its last day: -ERR_INVALID_REQUEST
 * (details.field "last_day"). Audited "series.extend". */
int store_series_extend(struct store *s, const struct actor *a, int64_t id, int32_t last_day,
                        const int32_t *days, size_t n, struct error_details *d);
/* Closes a series as of day `from`: its days from then on that no use
 * names (undone or not) are removed, days with uses stay, and it cannot
 * be extended again. *removed (may be NULL): the days removed. Closing a
 * closed series: -ERR_INVALID_REQUEST. Audited "series.close". */
int store_series_close(struct store *s, const struct actor *a, int64_t id, int32_t from,
                       int32_t *removed);
/* A series in the actor's scope (-ERR_FORBIDDEN), or -ERR_NOT_FOUND. */
int store_series_get(struct store *s, const struct actor *a, int64_t id, struct series *out);
/* A venue's series, the latest first; the venue in the actor's scope. */
int store_series_list(struct store *s, const struct actor *a, const char *venue, store_series_fn fn,
                      void *ctx);
/* The days (events) of a series, by start; scope as store_series_get. */
int store_series_days(struct store *s, const struct actor *a, int64_t id, store_event_fn fn,
                      void *ctx);

/* ---- audit (R34) ---- */

struct audit_entry {
    int64_t id;
    int64_t at;
    char user[USERNAME_MAX + 1];
    char action[AUDIT_ACTION_MAX + 1]; /* e.g. "use.record" */
    char object[AUDIT_OBJECT_MAX + 1]; /* e.g. "use:42" */
    char address[ADDRESS_MAX + 1];
    char region[ID_MAX + 1]; /* "" when national */
};

typedef int (*store_audit_fn)(void *ctx, const struct audit_entry *e);

struct audit_filter {
    int64_t from, to; /* at within [from, to); 0: open */
    /* Paging: only entries with an id above after_id (0: from the first);
     * entries become visible in the order of their ids (backend.h). */
    int64_t after_id;
};

/* Entries of the filter in the actor's scope (national all, coordinator
 * their region), in the order they were written (by id). */
int store_audit_list(struct store *s, const struct actor *a, const struct audit_filter *f,
                     store_audit_fn fn, void *ctx);

/* ---- reports (R28–R31) ----
 *
 * Each report is read in one read transaction, so that it is one consistent
 * picture of the register even while uses are being recorded. Counts are
 * exact: hiding small ones (R30) is the caller's, at the moment of showing
 * them (core/report.h). */

struct usage_row {
    char card[CODE_MAX + 1];
    int32_t adult, child;
    char event[NAME_MAX_BYTES + 1]; /* the event's name */
    int32_t date;                   /* the event's day on Finnish clocks */
    int64_t starts_at;              /* the event's start, whose day `date` is */
};

typedef int (*store_usage_fn)(void *ctx, const struct usage_row *row);

/* R28, R29: one row per use not undone (R25) of the events of `venue` whose
 * Finnish date lies within [from, to] (-1: open), by event start, then by
 * event, then by use; an event's uses purged by R35 (store_purge) are one
 * row before its others, with an empty card and their tickets. The venue must exist
 * (-ERR_NOT_FOUND) and lie in the actor's scope (R32): its staff, the coordinator of its region,
 * national. */
int store_report_venue_usage(struct store *s, const struct actor *a, const char *venue,
                             int32_t from, int32_t to, store_usage_fn fn, void *ctx);
/* How many rows store_report_venue_usage would give, `limit` at most: the
 * sum of the events' kept counts (issue 16), before any row is read. Scope
 * as store_report_venue_usage. */
int store_report_venue_usage_count(struct store *s, const struct actor *a, const char *venue,
                                   int32_t from, int32_t to, int64_t limit, int64_t *count);

/* R30: the counts of personal cards handed out in the period `p` (core's
 * report_closed_period: its year up to p->through, recorded before
 * p->recorded_before began) by the units of `region`, as core's cardholder
 * tally makes them (in the order of enum report_dim; every unit of the region
 * listed, with zeros; the months up to p->through's).
 * region "": the whole country, for national only. The region must exist
 * (-ERR_NOT_FOUND) and lie in the actor's scope (-ERR_FORBIDDEN). */
int store_report_cardholders(struct store *s, const struct actor *a, const char *region,
                             const struct report_period *p, report_count_fn fn, void *ctx);

struct national_row {
    char region[ID_MAX + 1];         /* "" for the pop-up venues (R22) */
    char name[NAME_MAX_BYTES + 1];   /* the region's name; "" for pop-ups */
    struct national_figures figures; /* core/report.h says what each counts */
};

typedef int (*store_national_fn)(void *ctx, const struct national_row *row);

/* R31: one row per region, by id, then one for the pop-up venues, which lie
 * in no region (their venues, events and uses; no cards). Figures of "the
 * year" count what happened in that Finnish calendar year; stock, validity,
 * venues and units are as of the actor's `now`. Cards belong to the region
 * of their unit, uses and events to that of their venue. National only
 * (-ERR_FORBIDDEN). */
int store_report_national(struct store *s, const struct actor *a, int year, store_national_fn fn,
                          void *ctx);

/* ---- imports from paper and Excel (docs/imports.md) ---- */

#define IMPORT_KEY_BYTES 32

/* A row of a handout sheet, as import.c read it; `row` is its number in
 * the file, `key` its digest (the same row imported again has the same). */
struct import_handout {
    int32_t row;
    struct handout h;
    uint8_t key[IMPORT_KEY_BYTES];
};

/* A row of a venue's usage sheet (R28's layout): the event by its name and
 * its day at the venue. */
struct import_use {
    int32_t row;
    char card[CODE_MAX + 1];
    int32_t adult, child;
    char event[NAME_MAX_BYTES + 1];
    int32_t date;
    uint8_t key[IMPORT_KEY_BYTES];
};

enum import_layout { IMPORT_HANDOUTS, IMPORT_USES, IMPORT_LAYOUT_COUNT };

struct store_import {
    enum import_layout layout;
    const char *place; /* the unit (handouts) or venue (uses) the file is of */
    const struct import_handout *handouts;
    const struct import_use *uses;
    size_t n;
    /* Decide every row but write nothing (the file had rows that could not
     * be read: their errors are shown with these). */
    bool check_only;
    /* A row the rules refuse: its index, error and details. */
    void (*refused)(void *ctx, size_t i, int err, const struct error_details *d);
    /* Every row is about to be decided again from the first: forget what
     * `refused` was told so far (may be NULL). */
    void (*restart)(void *ctx);
    /* Called every so many rows, and once at the end. */
    void (*progress)(void *ctx, size_t done, size_t n);
    void *ctx;
    size_t recorded, skipped; /* out: rows recorded now; rows an import recorded before */
};

/* Records every row of an import in one write transaction, all or nothing:
 * each row by the transaction script of a single request (R9–R14 for
 * handouts, R15–R27 for uses, with channel `paper` (R19)), acting as the
 * unit's desk or the venue's box office on behalf of the actor, whose
 * scope must hold the place (R32). A row whose key an import recorded
 * before is skipped. Returns 0 when every row was recorded or skipped;
 * -ERR_INVALID_REQUEST when a row was refused (each told to `refused`) or
 * check_only: nothing is written; other errors as for any write. A row
 * that fails once it has written (a CHECK of the schema) is refused alone
 * on either backend: should its failure end the transaction (PostgreSQL
 * ends it at any error), the rows are decided again with a savepoint each,
 * after `restart`. Audit
 * (R34): each row's own entry and one "import.handouts"/"import.uses". */
int store_import(struct store *s, const struct actor *a, struct store_import *im,
                 struct error_details *d);
/* ---- kept counts (issue 16) ----
 *
 * The reports read counts kept per event, card, region and month, and unit
 * and month (migration 008 says which), moved in the transaction of every
 * change that moves them. */

#define COUNTS_TABLES 7
/* The kept tables, in the order of struct counts_check's arrays. */
extern const char *const counts_table_names[COUNTS_TABLES];

struct counts_check {
    int64_t kept[COUNTS_TABLES];      /* rows of each table that are not 0 */
    int64_t recounted[COUNTS_TABLES]; /* the same after a recount */
    bool differs[COUNTS_TABLES];
    int differing; /* tables that differ; 0: every kept count is right */
};

/* Recounts every kept count from the records, in one write transaction with
 * an audit row ("counts.rebuild"). National only (-ERR_FORBIDDEN). */
int store_counts_rebuild(struct store *s, const struct actor *a);
/* Compares every kept count with a full recount, changing nothing (the
 * recount is made in a write transaction that is rolled back). */
int store_counts_check(struct store *s, struct counts_check *out);

/* ---- retention (R35, issue 16 item 5; purge.c, migration 009) ---- */

/* The years a purge summary tells apart: 1900 … 2155. */
#define PURGE_YEAR_FIRST 1900
#define PURGE_YEARS      256

/* What a purge removes (or would): per year, the handouts whose background
 * is cleared (by the year of the handout) and the use records deleted (by
 * the year of their event's start), and the sums. */
struct purge_summary {
    int32_t before; /* the first day kept */
    int64_t handouts[PURGE_YEARS], uses[PURGE_YEARS];
    int64_t total_handouts, total_uses;
};

/* R35: clears the background of every handout made before the day `before`
 * and deletes the use records of every event that starts before it (on
 * Finnish clocks), keeping what they counted (purged_event_uses,
 * purged_background, cards.purged_uses) so that every kept count and every
 * report stays as it was; in one write transaction with an audit row
 * ("records.purge"). With dry_run nothing changes: *out only says what
 * would go. National only (-ERR_FORBIDDEN); `before` later than the first
 * day of the current month (Finnish) is -ERR_INVALID_REQUEST: the month
 * still open stays whole. */
int store_purge(struct store *s, const struct actor *a, int32_t before, bool dry_run,
                struct purge_summary *out);

/* The reports of R30 and R31 as full recounts of the records, as before
 * the kept counts: for the benchmark (bench/reports.sh) and the tests that
 * compare the two. Contracts as store_report_cardholders and
 * store_report_national. */
int store_report_cardholders_scan(struct store *s, const struct actor *a, const char *region,
                                  const struct report_period *p, report_count_fn fn, void *ctx);
int store_report_national_scan(struct store *s, const struct actor *a, int year,
                               store_national_fn fn, void *ctx);
/* R31 for a year beside the previous one (issue 16): the figures of
 * store_report_national with each year's uses split by the domain of their
 * venue (core's category_domain). */
struct statistics_row {
    char region[ID_MAX + 1];       /* "" for the pop-up venues (R22) */
    char name[NAME_MAX_BYTES + 1]; /* the region's name; "" for pop-ups */
    struct stat_figures year, previous;
};

typedef int (*store_statistics_fn)(void *ctx, const struct statistics_row *row);

/* region NULL or "": one row per region by id, then the pop-up venues'
 * (national only, -ERR_FORBIDDEN); else that region's row, for its
 * coordinator and national (-ERR_NOT_FOUND: no such region). One snapshot. */
int store_report_statistics(struct store *s, const struct actor *a, const char *region, int year,
                            store_statistics_fn fn, void *ctx);

/* The same count made by counting the uses (up to `limit`, where it stops),
 * as before the kept counts: for the benchmark and the tests. */
int store_report_venue_usage_count_scan(struct store *s, const struct actor *a, const char *venue,
                                        int32_t from, int32_t to, int64_t limit, int64_t *count);

#endif
