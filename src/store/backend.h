/* backend.h — the contract between the store's transaction scripts and a
 * database (as git's refs.c sits above refs/files-backend.c).
 *
 * The scripts (src/store/: network.c … uses.c, one file per resource)
 * load, check scopes, call the core to decide, write and audit; they know
 * no SQL. A backend
 * (src/store/sqlite/, later src/store/pg/) supplies only:
 *   - connection handling: open, close, and transactions of three kinds;
 *   - the text of each named statement of stmt.h, in its own dialect;
 *   - its migrations (store_migrate);
 *   - whether several servers may serve one database at once (`shared`),
 *     which tells the server what it may keep in its own memory.
 *
 * Values cross the contract as `struct bk_value` (NULL, integer, text,
 * blob), both as arguments (in the order of the statement's ?1, ?2, …) and
 * as the columns of result rows (in the order stmt.h documents). Every
 * result is rows: an INSERT marked "→ ID" gives the new row's id as its one
 * row (`INSERT … RETURNING id`; SQLite hands it over as the last rowid,
 * which is cheaper), an UPDATE marked "→ ID" one row per row it changed.
 *
 * Transactions:
 *   BK_READ      statements read committed data, each on its own (SQLite:
 *                autocommit on a pooled connection).
 *   BK_SNAPSHOT  every statement reads one consistent picture (reports).
 *   BK_WRITE     one serialisable write transaction. Write transactions of
 *                one database are serialised by the backend (SQLite: BEGIN
 *                IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock
 *                taken at begin). Two guarantees rest on this and every
 *                backend must keep them:
 *                - R16: a row read in a write transaction through a
 *                  statement marked "for update" in stmt.h (S_EVENT_LOCK)
 *                  cannot change until the transaction ends, so a cap
 *                  checked against it holds at commit (PostgreSQL: SELECT …
 *                  FOR UPDATE; SQLite: the database lock of BEGIN IMMEDIATE);
 *                - paging: rows of `uses` and `audit` become visible in the
 *                  order of their ids (ids are taken inside the serialised
 *                  write transaction), so a reader paging by `after_id`
 *                  never skips a row committed meanwhile. See
 *                  docs/decisions.md, "Listings".
 * end(t, rc) commits a write when rc is 0 and rolls back otherwise; it
 * returns rc, or the commit's error. Savepoints nest one level inside a
 * write (the use writer's retry, see uses.c). A whole store is copied with
 * the S_COPY_* statements (copy.c), table by table, ids included; then
 * S_COPY_IDS makes the ids generated from then on follow the copied ones.
 * A backend gives the rows of an S_COPY_*_READ run in a snapshot or write
 * transaction (as copy.c runs them) a few at a time, never the whole table
 * in memory at once (a table may hold ten million uses; PostgreSQL: a
 * cursor fetched in batches; SQLite steps anyway). A backup
 * file is the backend's own (backup, restore: SQLite's backup API).
 *
 * Errors: every function returns 0 or -ERR_x: a constraint on a key that
 * exists → -ERR_ALREADY_EXISTS, a reference to nothing → -ERR_NOT_FOUND,
 * another CHECK → -ERR_INVALID_REQUEST, busy, I/O or a missing schema →
 * -ERR_UNAVAILABLE, anything else -ERR_INTERNAL.
 *
 * Threads: begin/end and everything between run on one thread; a backend
 * may be used by many threads at once, each with its own transaction. */
#ifndef KAIKU_STORE_BACKEND_H
#define KAIKU_STORE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "store/stmt.h"

enum bk_type { BK_NULL, BK_INT, BK_TEXT, BK_BLOB };

/* A value: an argument or a column. Text and blobs point to memory that
 * lives as long as the statement runs (arguments) or the row callback
 * (columns); text is NUL-terminated and n is its length. */
struct bk_value {
    enum bk_type type;
    int64_t i;
    const void *p;
    size_t n;
};

#define BK_COLS_MAX 24 /* the widest row: a table copied whole */

struct bk_row {
    const struct bk_value *v;
    size_t n;
};

/* Called for each result row; non-zero stops the statement and is returned. */
typedef int (*bk_row_fn)(void *ctx, const struct bk_row *row);

enum bk_tx_kind { BK_READ, BK_SNAPSHOT, BK_WRITE };
enum bk_savepoint { BK_SAVEPOINT, BK_ROLLBACK_TO, BK_RELEASE };

struct backend_ops;

/* A backend's handle and its transactions start with these (the rest is
 * the backend's own). */
struct backend {
    const struct backend_ops *ops;
};

struct bk_tx {
    const struct backend_ops *ops;
};

struct backend_ops {
    /* Whether several server processes may serve one database of this
     * backend at once: PostgreSQL true (issue 18: servers behind a load
     * balancer), SQLite false (one serving process per file). A server
     * keeps what decides who may do what — who a token stands for, the
     * budgets of guessed card codes, the sign-in throttle — in its own
     * memory only when the backend is not shared; on a shared one it reads
     * them from the database on every request and counts failures there
     * (S_FAILURE_*, migration 011), so that a sign-out, a disabled user or
     * a spent budget holds on every server at once (store_shared;
     * docs/decisions.md, "Several servers on one database"). */
    bool shared;
    /* url is the backend's own (store.c chose it). Does not migrate. */
    int (*open)(const char *url, struct backend **out);
    /* Finishes and frees everything; no transaction may be open. */
    void (*close)(struct backend *b);
    /* Creates or migrates the schema; *from, *to may be NULL. */
    int (*migrate)(struct backend *b, int *from, int *to);
    /* The schema's version as it is (0: no schema yet) and the newest this
     * build's migrations reach, read without changing anything (a store
     * copied from must not be migrated behind its owner's back). */
    int (*version)(struct backend *b, int *current, int *latest);
    /* The process is a long-running server from now on: start background
     * work (SQLite: the checkpointer thread) and answer a write that waits
     * longer than wait_ms for another process with -ERR_UNAVAILABLE. */
    int (*serve)(struct backend *b, int wait_ms);
    int (*begin)(struct backend *b, enum bk_tx_kind kind, struct bk_tx **out);
    int (*end)(struct bk_tx *t, int rc);
    /* Runs statement `id` with args[0..n) bound to ?1..?n; fn (may be NULL)
     * gets each row. A statement of stmt.h's DEFERRABLE_STMTS (or a copy's
     * write) run without fn in a write transaction may return 0 before it
     * has run (PostgreSQL sends it and goes on: one round trip for many);
     * its error, if any, is then returned by the transaction's next run,
     * savepoint, sync or end, and the transaction has failed. */
    int (*run)(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n, bk_row_fn fn,
               void *ctx);
    /* The outcome of the statements run so far whose answers were deferred
     * (0 when none was, as always on SQLite). */
    int (*sync)(struct bk_tx *t);
    /* Savepoints: after the first, no statement of the transaction is
     * deferred, so a failure shows within the savepoint that caused it. */
    int (*savepoint)(struct bk_tx *t, enum bk_savepoint op);
    /* False once the database has ended the transaction on its own (SQLite
     * rolls back on a full disk or an I/O error while spilling pages). */
    bool (*alive)(struct bk_tx *t);
    /* Writes the whole database as of one moment to a new file `path`
     * (-ERR_ALREADY_EXISTS when it exists), while others go on reading and
     * writing. The file is complete or absent: written under a temporary
     * name beside it, synced, then linked into place. Mode 0600. */
    int (*backup)(struct backend *b, const char *path);
    /* Replaces the whole database with the backup file at `path` (made by
     * backup), in one write: all or nothing. -ERR_INVALID_REQUEST when
     * `path` is not a sound kaiku database of a schema version this build
     * knows. Does not migrate. */
    int (*restore)(struct backend *b, const char *path);
    /* The change generation: a number that differs from every earlier
     * answer once a write has committed, so that what a reader made of the
     * data (a rendered page, web/pagecache.h) is known stale exactly when
     * the generation it was made at is not the current one. Read it BEFORE
     * reading the data it stands for. It must be cheap (it is read on every
     * cached page) and must count every commit that can reach this
     * backend's readers: SQLite counts the commits of this process (its one
     * writer connection, restore, migrate) — another process writing the
     * same file while it serves is not seen: the commands that write events,
     * uses or venues from outside (`kaiku restore`, `kaiku demo`) are run
     * with the server stopped (docs/security.md, "Backups"; the demo fills
     * a database before it is served); a backend shared by several
     * servers (PostgreSQL, issue 18) must count the commits of all of them
     * (e.g. a counter row bumped by every write transaction and followed by
     * LISTEN/NOTIFY), or return a new number on every call (no caching). */
    uint64_t (*generation)(struct backend *b);
};

/* A backend's own words for why open or migrate failed (store_reason),
 * kept per thread; "" clears them. */
void bk_reason_set(const char *msg);

/* The backends of this build. */
extern const struct backend_ops sqlite_backend;
extern const struct backend_ops pg_backend;

/* ---- values ---- */

static inline struct bk_value bk_int(int64_t v)
{
    return (struct bk_value){BK_INT, v, NULL, 0};
}

/* v < 0 is NULL: "no cap", "no restriction", "no pilot". */
static inline struct bk_value bk_opt_int(int64_t v)
{
    return v >= 0 ? bk_int(v) : (struct bk_value){BK_NULL, 0, NULL, 0};
}

static inline struct bk_value bk_text(const char *s)
{
    return (struct bk_value){BK_TEXT, 0, s, strlen(s)};
}

/* "" or NULL is NULL: optional references such as a pop-up venue's region. */
static inline struct bk_value bk_opt_text(const char *s)
{
    return s && *s ? bk_text(s) : (struct bk_value){BK_NULL, 0, NULL, 0};
}

/* A token digest (32 bytes) or NULL. */
static inline struct bk_value bk_hash(const uint8_t *h)
{
    return h ? (struct bk_value){BK_BLOB, 0, h, 32} : (struct bk_value){BK_NULL, 0, NULL, 0};
}

/* An argument list: t->ops->run(t, S_X, BK_ARGS(bk_text(a), bk_int(b)), fn, ctx). */
#define BK_ARGS(...)                        \
    (const struct bk_value[]){__VA_ARGS__}, \
        sizeof((const struct bk_value[]){__VA_ARGS__}) / sizeof(struct bk_value)
#define BK_NO_ARGS NULL, 0

#endif
