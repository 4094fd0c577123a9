/* store_sqlite.c — the SQLite backend of store.h.
 *
 * Connections: reads take one from a small pool (POOL_MAX, opened lazily,
 * guarded by a mutex and a condition variable) for their duration. Every
 * write of this process goes through one more connection, `writer`, under
 * `write_mu`: writers wait on a mutex instead of SQLite's sleeping busy
 * handler, and the writer's page cache stays warm because no other
 * connection of the process changes the file under it. Writers of other
 * processes are met by busy_timeout. Each connection prepares every
 * statement of `sql[]` once (persistent) and resets it after use.
 *
 * Writes: every mutating call is one BEGIN IMMEDIATE … COMMIT with its audit
 * row (R34). Because the whole check-and-write of a use happens under that
 * one write lock, concurrent uses can never oversell an event (R16), and the
 * CHECKs of the schema are a second guard.
 *
 * Uses, the hot path, are group-committed: callers queue them and the
 * `use_writer` thread records everything queued as one transaction (see
 * use_batch_run).
 *
 * Checkpoints: the writer does not checkpoint inside a commit; its WAL hook
 * wakes the `checkpointer` thread, which copies the WAL back into the
 * database on its own connection (PASSIVE: it never blocks readers or the
 * writer). Past WAL_RESET_PAGES the writer finishes the copy itself, so the
 * WAL restarts and stays bounded (see write_end). On close SQLite
 * checkpoints what is left.
 *
 * Scopes (R32) are checked inside the transaction against the place of the
 * object as the database has it, with core's scope_allows(). */
#include "store/store_impl.h"

#include <assert.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "core/report.h"
#include "core/rules.h"
#include "store/migrations.h"
#include "util/date.h"
#include "util/strutil.h"

#define POOL_MAX         8
#define BUSY_TIMEOUT_MS  5000
#define PATH_MAX_BYTES   4096
#define CHECKPOINT_PAGES 1000  /* SQLite's own autocheckpoint threshold */
#define WAL_RESET_PAGES  16384 /* past this (64 MiB), the writer finishes the checkpoint */
#define WAL_RETRY_PAGES  1024  /* after a checkpoint held back by a reader */

/* ---- the statements: one enum, one const table of SQL ---- */

/* A card's handout day and validity are on its row (migration 003). */
#define CARD_COLS                                                        \
    "c.code, c.kind, c.unit, u.region, c.handed_out_on, c.valid_until, " \
    "c.cancelled_at IS NOT NULL"
#define CARD_FROM " FROM cards c JOIN units u ON u.id = c.unit"
#define EVENT_COLS                                                                     \
    "e.id, e.venue, coalesce(v.region, ''), e.name, e.kind, e.starts_at, e.capacity, " \
    "coalesce(e.cap, -1), e.guest_producer, coalesce(e.booking_opens_days, -1), "      \
    "coalesce(e.collection_opens_minutes, -1), e.excluded, e.exclusion_reason, e.used"
#define EVENT_FROM " FROM events e JOIN venues v ON v.id = e.venue"
#define USE_COLS                                                                       \
    "s.id, s.card, s.event, s.adult, s.child, s.companion, s.channel, s.recorded_by, " \
    "s.recorded_at, coalesce(s.undone_by, ''), coalesce(s.undone_at, 0)"
#define TRANSFER_COLS                                                                   \
    "t.id, t.from_unit, t.to_unit, uf.region, t.status, "                               \
    "(SELECT count(*) FROM transfer_cards k WHERE k.transfer = t.id), t.requested_by, " \
    "t.requested_at, coalesce(t.decided_by, ''), coalesce(t.decided_at, 0), ut.region"
#define TRANSFER_FROM \
    " FROM transfers t JOIN units uf ON uf.id = t.from_unit JOIN units ut ON ut.id = t.to_unit"
/* A user and the place of their scope: (region, unit, venue) for R32. */
#define USER_COLS                                                                     \
    "us.username, us.role, coalesce(us.region, us.unit, us.venue, ''), us.disabled, " \
    "coalesce(us.region, un.region, vn.region, ''), coalesce(us.unit, ''), "          \
    "coalesce(us.venue, ''), us.password_hash"
#define USER_FROM \
    " FROM users us LEFT JOIN units un ON un.id = us.unit LEFT JOIN venues vn ON vn.id = us.venue"

/* Personal handouts by the units of a region (?1; NULL: every region) on
 * days [?2, ?3], for the cardholder report (R30). */
#define HANDOUTS_OF                                                                   \
    " FROM handouts h JOIN cards c ON c.code = h.card JOIN units u ON u.id = h.unit " \
    "WHERE c.kind = 'personal' AND (?1 IS NULL OR u.region = ?1) "                    \
    "AND h.handed_out_on BETWEEN ?2 AND ?3"
/* R31, per region: ?1..?2 the year's days, ?3 today, ?4..?5 the year's
 * instants [start, end). Cards count in the region of their unit; events,
 * uses and venues in that of their venue, so pop-up venues (region NULL)
 * get a row of their own. Each CTE is keyed by region and joined with IS,
 * which matches NULL to NULL. FIG_USED_ONCE is counted apart (used_once). */
#define NATIONAL_SQL                                                                               \
    "WITH places(region, name) AS (SELECT id, name FROM regions UNION ALL SELECT NULL, NULL), "    \
    "bycard AS (SELECT c.unit, sum(c.handed_out_on IS NULL AND c.cancelled_at IS NULL) AS stock, " \
    "  sum(c.cancelled_at IS NULL AND ?3 BETWEEN c.handed_out_on AND c.valid_until) AS valid, "    \
    "  sum(c.cancelled_at >= ?4 AND c.cancelled_at < ?5) AS cancelled FROM cards c "               \
    "  GROUP BY c.unit), "                                                                         \
    "cardfig AS (SELECT u.region, sum(b.stock) AS stock, sum(b.valid) AS valid, "                  \
    "  sum(b.cancelled) AS cancelled FROM bycard b JOIN units u ON u.id = b.unit "                 \
    "  GROUP BY u.region), "                                                                       \
    "handed AS (SELECT u.region, count(*) AS n, count(h.renews) AS renewals "                      \
    "  FROM handouts h JOIN units u ON u.id = h.unit "                                             \
    "  WHERE h.handed_out_on BETWEEN ?1 AND ?2 GROUP BY u.region), "                               \
    "used AS (SELECT v.region, count(*) AS n, sum(s.adult) AS adult, sum(s.child) AS child, "      \
    "  sum(s.companion) AS companion FROM uses s JOIN events e ON e.id = s.event "                 \
    "  JOIN venues v ON v.id = e.venue WHERE s.undone_at IS NULL "                                 \
    "  AND e.starts_at >= ?4 AND e.starts_at < ?5 GROUP BY v.region), "                            \
    "ev AS (SELECT v.region, count(*) AS n FROM events e JOIN venues v ON v.id = e.venue "         \
    "  WHERE e.starts_at >= ?4 AND e.starts_at < ?5 GROUP BY v.region), "                          \
    "vn AS (SELECT region, count(*) AS n FROM venues GROUP BY region), "                           \
    "un AS (SELECT region, count(*) AS n FROM units GROUP BY region) "                             \
    "SELECT coalesce(p.region, ''), coalesce(p.name, ''), coalesce(cardfig.stock, 0), "            \
    "coalesce(handed.n, 0), coalesce(cardfig.valid, 0), coalesce(cardfig.cancelled, 0), "          \
    "coalesce(handed.renewals, 0), coalesce(used.n, 0), coalesce(used.adult, 0), "                 \
    "coalesce(used.child, 0), coalesce(used.companion, 0), 0, "                                    \
    "coalesce(vn.n, 0), coalesce(un.n, 0), coalesce(ev.n, 0) FROM places p "                       \
    "LEFT JOIN cardfig ON cardfig.region IS p.region "                                             \
    "LEFT JOIN handed ON handed.region IS p.region "                                               \
    "LEFT JOIN used ON used.region IS p.region LEFT JOIN ev ON ev.region IS p.region "             \
    "LEFT JOIN vn ON vn.region IS p.region LEFT JOIN un ON un.region IS p.region "                 \
    "ORDER BY p.region IS NULL, p.region"

#define STATEMENTS(X)                                                                             \
    X(BEGIN, "BEGIN IMMEDIATE")                                                                   \
    X(BEGIN_READ, "BEGIN DEFERRED")                                                               \
    X(COMMIT, "COMMIT")                                                                           \
    X(ROLLBACK, "ROLLBACK")                                                                       \
    X(SAVEPOINT, "SAVEPOINT one_use")                                                             \
    X(ROLLBACK_TO, "ROLLBACK TO one_use")                                                         \
    X(RELEASE, "RELEASE one_use")                                                                 \
    X(AUDIT_ADD, "INSERT INTO audit (at, user, action, object, client_ip, region) "               \
                 "VALUES (?, ?, ?, ?, ?, ?)")                                                     \
    X(AUDIT_LIST, "SELECT id, at, user, action, object, client_ip, coalesce(region, '') "         \
                  "FROM audit WHERE (?1 = 0 OR at >= ?1) AND (?2 = 0 OR at < ?2) "                \
                  "AND (?3 IS NULL OR region = ?3) AND id > ?4 ORDER BY id")                      \
    X(PLACE_REGION, "SELECT id, '', '' FROM regions WHERE id = ?")                                \
    X(PLACE_UNIT, "SELECT region, id, '' FROM units WHERE id = ?")                                \
    X(PLACE_VENUE, "SELECT coalesce(region, ''), '', id FROM venues WHERE id = ?")                \
    X(REGION_ADD, "INSERT INTO regions (id, name, pilot_ends_on) VALUES (?, ?, ?)")               \
    X(REGION_GET, "SELECT id, name, coalesce(pilot_ends_on, -1) FROM regions WHERE id = ?")       \
    X(REGION_LIST, "SELECT id, name, coalesce(pilot_ends_on, -1) FROM regions ORDER BY id")       \
    X(UNIT_ADD, "INSERT INTO units (id, region, name) VALUES (?, ?, ?)")                          \
    X(UNIT_GET, "SELECT id, region, name FROM units WHERE id = ?")                                \
    X(UNIT_LIST, "SELECT id, region, name FROM units WHERE (?1 = '' OR region = ?1) "             \
                 "ORDER BY id")                                                                   \
    X(VENUE_ADD, "INSERT INTO venues (id, region, name, category, accessibility, "                \
                 "free_cloakroom) VALUES (?, ?, ?, ?, ?, ?)")                                     \
    X(VENUE_GET, "SELECT id, coalesce(region, ''), name, category, accessibility, "               \
                 "free_cloakroom FROM venues WHERE id = ?")                                       \
    X(VENUE_LIST, "SELECT id, coalesce(region, ''), name, category, accessibility, "              \
                  "free_cloakroom FROM venues WHERE (?1 = '' OR region = ?1) ORDER BY id")        \
    X(USER_ADD, "INSERT INTO users (username, password_hash, role, region, unit, venue, "         \
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")                                       \
    X(USER_GET, "SELECT " USER_COLS USER_FROM " WHERE us.username = ?")                           \
    X(USER_LIST, "SELECT " USER_COLS USER_FROM " ORDER BY us.username")                           \
    X(USER_DISABLE, "UPDATE users SET disabled = 1 WHERE username = ?")                           \
    X(USER_SET_HASH, "UPDATE users SET password_hash = ? WHERE username = ?")                     \
    X(SESSION_ADD, "INSERT INTO sessions (token_hash, username, created_at, expires_at) "         \
                   "VALUES (?, ?, ?, ?)")                                                         \
    X(SESSION_GET, "SELECT " USER_COLS ", se.expires_at" USER_FROM                                \
                   " JOIN sessions se ON se.username = us.username "                              \
                   "WHERE se.token_hash = ? AND se.expires_at > ? AND us.disabled = 0")           \
    X(SESSION_DELETE, "DELETE FROM sessions WHERE token_hash = ?")                                \
    X(SESSIONS_PURGE, "DELETE FROM sessions WHERE username = ? AND expires_at <= ?")              \
    X(SESSIONS_END, "DELETE FROM sessions WHERE username = ?1 "                                   \
                    "AND (?2 IS NULL OR token_hash <> ?2)")                                       \
    X(API_KEY_ADD, "INSERT INTO api_keys (venue, label, key_hash, created_by, created_at) "       \
                   "VALUES (?, ?, ?, ?, ?)")                                                      \
    X(API_KEY_LIST, "SELECT id, venue, label, created_at FROM api_keys "                          \
                    "WHERE venue = ? AND revoked_at IS NULL ORDER BY id")                         \
    X(API_KEY_REVOKE, "UPDATE api_keys SET revoked_at = ?1 "                                      \
                      "WHERE id = ?2 AND venue = ?3 AND revoked_at IS NULL")                      \
    X(API_KEY_FIND, "SELECT id, venue, label, created_at FROM api_keys "                          \
                    "WHERE key_hash = ? AND revoked_at IS NULL")                                  \
    X(CARD_GET, "SELECT " CARD_COLS CARD_FROM " WHERE c.code = ?")                                \
    X(CARD_EXISTS, "SELECT 1 FROM cards WHERE code = ?")                                          \
    X(CARD_ADD, "INSERT INTO cards (code, kind, unit, added_at) VALUES (?, ?, ?, ?)")             \
    X(CARD_CANCEL, "UPDATE cards SET cancelled_at = ?, cancel_reason = ? WHERE code = ?")         \
    X(STOCK_LIST, "SELECT " CARD_COLS CARD_FROM " WHERE c.unit = ? AND c.handed_out_on IS NULL "  \
                  "AND c.cancelled_at IS NULL ORDER BY c.code")                                   \
    X(HANDOUT_LIST, "SELECT " CARD_COLS CARD_FROM " JOIN handouts h ON h.card = c.code "          \
                    "WHERE h.unit = ?1 ORDER BY h.recorded_at DESC, h.card DESC LIMIT ?2")        \
    X(HANDOUT_ADD, "INSERT INTO handouts (card, unit, handed_out_on, valid_until, "               \
                   "birth_year, mother_tongue, gender, postal_code, life_situations, "            \
                   "renews, recorded_by, recorded_at) "                                           \
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")                                 \
    X(TRANSFER_ADD, "INSERT INTO transfers (from_unit, to_unit, requested_by, "                   \
                    "requested_at) VALUES (?, ?, ?, ?)")                                          \
    X(TRANSFER_CARD_ADD, "INSERT INTO transfer_cards (transfer, card) VALUES (?, ?)")             \
    X(TRANSFER_GET, "SELECT " TRANSFER_COLS TRANSFER_FROM " WHERE t.id = ?")                      \
    X(TRANSFER_LIST,                                                                              \
      "SELECT " TRANSFER_COLS TRANSFER_FROM " WHERE (?1 IS NULL OR t.status = ?1) ORDER BY t.id") \
    X(TRANSFER_CARDS, "SELECT " CARD_COLS CARD_FROM " JOIN transfer_cards k ON k.card = c.code "  \
                      "WHERE k.transfer = ? ORDER BY c.code")                                     \
    X(TRANSFER_MOVE, "UPDATE cards SET unit = ?1 "                                                \
                     "WHERE code IN (SELECT card FROM transfer_cards WHERE transfer = ?2)")       \
    X(TRANSFER_SET, "UPDATE transfers SET status = ?, decided_by = ?, decided_at = ? "            \
                    "WHERE id = ?")                                                               \
    X(EVENT_ADD, "INSERT INTO events (venue, name, kind, starts_at, capacity, cap, "              \
                 "guest_producer, booking_opens_days, collection_opens_minutes, excluded, "       \
                 "exclusion_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")                    \
    X(EVENT_GET, "SELECT " EVENT_COLS EVENT_FROM " WHERE e.id = ?")                               \
    X(EVENT_SET, "UPDATE events SET name = ?, kind = ?, starts_at = ?, capacity = ?, "            \
                 "cap = ?, guest_producer = ?, booking_opens_days = ?, "                          \
                 "collection_opens_minutes = ?, excluded = ?, exclusion_reason = ? "              \
                 "WHERE id = ?")                                                                  \
    X(EVENT_LIST, "SELECT " EVENT_COLS EVENT_FROM                                                 \
                  " WHERE (?1 IS NULL OR e.venue = ?1) AND (?2 = 0 OR e.starts_at >= ?2) "        \
                  "AND (?3 = 0 OR e.starts_at < ?3) ORDER BY e.starts_at, e.id")                  \
    X(EVENT_ADD_USED, "UPDATE events SET used = used + ?1 WHERE id = ?2")                         \
    X(USE_BY_KEY,                                                                                 \
      "SELECT " USE_COLS " FROM uses s WHERE s.recorded_by = ? AND s.idempotency_key = ?")        \
    X(USE_ADULT, "SELECT 1 FROM uses "                                                            \
                 "WHERE card = ? AND event = ? AND adult > 0 AND undone_at IS NULL")              \
    X(USE_ADD, "INSERT INTO uses (card, event, adult, child, companion, channel, "                \
               "recorded_by, recorded_at, idempotency_key) "                                      \
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")                                              \
    X(USE_GET, "SELECT " USE_COLS " FROM uses s WHERE s.id = ?")                                  \
    X(USE_UNDO, "UPDATE uses SET undone_by = ?, undone_at = ? "                                   \
                "WHERE id = ? AND undone_at IS NULL")                                             \
    X(USE_LIST, "SELECT " USE_COLS ", e.venue, e.name, e.starts_at, coalesce(v.region, '') "      \
                "FROM uses s JOIN events e ON e.id = s.event JOIN venues v ON v.id = e.venue "    \
                "WHERE (?1 IS NULL OR e.venue = ?1) AND (?2 = 0 OR s.event = ?2) "                \
                "AND (?3 IS NULL OR e.starts_at >= ?3) AND (?4 IS NULL OR e.starts_at < ?4) "     \
                "AND s.id > ?5 AND (?7 IS NULL OR v.region = ?7) ORDER BY s.id")                  \
    X(REPORT_VENUE_USAGE,                                                                         \
      "SELECT s.card, s.adult, s.child, e.name, e.starts_at FROM uses s "                         \
      "JOIN events e ON e.id = s.event WHERE e.venue = ?1 AND s.undone_at IS NULL "               \
      "AND e.starts_at >= ?2 AND e.starts_at < ?3 ORDER BY e.starts_at, s.id")                    \
    /* Groups in the order cardholders_add wants: (enum report_dim, key, text, count). */         \
    X(REPORT_CARDHOLDERS,                                                                         \
      "SELECT 0, 0, '', count(*)" HANDOUTS_OF                                                     \
      " UNION ALL SELECT 1, h.birth_year, '', count(*)" HANDOUTS_OF " GROUP BY h.birth_year"      \
      " UNION ALL SELECT 2, 0, h.mother_tongue, count(*)" HANDOUTS_OF " GROUP BY h.mother_tongue" \
      " UNION ALL SELECT 3, 0, h.gender, count(*)" HANDOUTS_OF " GROUP BY h.gender"               \
      " UNION ALL SELECT 4, 0, h.postal_code, count(*)" HANDOUTS_OF " GROUP BY h.postal_code"     \
      " UNION ALL SELECT 5, h.life_situations, '', count(*)" HANDOUTS_OF                          \
      " GROUP BY h.life_situations"                                                               \
      " UNION ALL SELECT 6, 0, n.id, (SELECT count(*) FROM handouts h "                           \
      "JOIN cards c ON c.code = h.card WHERE h.unit = n.id AND c.kind = 'personal' "              \
      "AND h.handed_out_on BETWEEN ?2 AND ?3) FROM units n WHERE ?1 IS NULL OR n.region = ?1"     \
      " UNION ALL SELECT 7, h.handed_out_on, '', count(*)" HANDOUTS_OF                            \
      " GROUP BY h.handed_out_on ORDER BY 1, 2, 3")                                               \
    X(REPORT_NATIONAL, NATIONAL_SQL)                                                              \
    /* The year's handouts in card order (the key), with their region. */                         \
    X(REPORT_HANDED_CARDS,                                                                        \
      "SELECT h.card, u.region FROM handouts h JOIN units u ON u.id = h.unit "                    \
      "WHERE h.handed_out_on BETWEEN ?1 AND ?2")                                                  \
    X(REPORT_USED_CARDS, "SELECT card FROM uses WHERE undone_at IS NULL")

enum stmt {
#define X(name, text) S_##name,
    STATEMENTS(X)
#undef X
        STMT_COUNT
};

static const char *const sql[STMT_COUNT] = {
#define X(name, text) [S_##name] = text,
    STATEMENTS(X)
#undef X
};

/* ---- connections and the pool ---- */

struct conn {
    sqlite3 *db;   /* NULL until first taken */
    bool prepared; /* every q[] prepared */
    sqlite3_stmt *q[STMT_COUNT];
    struct conn *next; /* in the idle list */
};

struct sq_store {
    struct store base; /* first: store.c sees only this */
    char path[PATH_MAX_BYTES];
    pthread_mutex_t mu; /* guards idle */
    pthread_cond_t cv;  /* signalled when a connection comes back */
    struct conn *idle;
    struct conn conns[POOL_MAX];
    pthread_mutex_t write_mu; /* guards writer and wal_pages */
    struct conn writer;
    int wal_pages;    /* frames in the WAL after the writer's last commit */
    int wal_reset_at; /* when wal_pages reaches this, write_end checkpoints */

    /* Group commit of uses: the queue of the use_writer thread. batch_mu
     * guards the queue, `stopping` and the `done` of waiting callers. */
    pthread_mutex_t batch_mu;
    pthread_cond_t queued_cv; /* a job was queued, or stopping */
    pthread_cond_t done_cv;   /* a waiting caller's use is done (use_waited) */
    struct use_job *queue, **queue_tail;
    bool stopping;
    pthread_t use_thread;
    bool use_thread_started;

    /* The checkpointer thread and its own connection. */
    pthread_mutex_t ckpt_mu;
    pthread_cond_t ckpt_cv;
    pthread_mutex_t ckpt_run_mu; /* held while either side checkpoints */
    bool ckpt_wanted, ckpt_stopping;
    pthread_t ckpt_thread;
    bool ckpt_thread_started;
    sqlite3 *ckpt_db;
};

static struct sq_store *sq(struct store *s)
{
    return (struct sq_store *)s;
}

/* SQLite result codes → kaiku errors. Extended codes come before the
 * primary ones they refine; anything not listed is internal. */
static const struct {
    int sqlite;
    enum kaiku_error err;
} error_map[] = {
    {SQLITE_CONSTRAINT_PRIMARYKEY, ERR_ALREADY_EXISTS},
    {SQLITE_CONSTRAINT_UNIQUE, ERR_ALREADY_EXISTS},
    {SQLITE_CONSTRAINT_FOREIGNKEY, ERR_NOT_FOUND},
    {SQLITE_CONSTRAINT, ERR_INVALID_REQUEST},
    {SQLITE_BUSY, ERR_UNAVAILABLE},
    {SQLITE_LOCKED, ERR_UNAVAILABLE},
    {SQLITE_CANTOPEN, ERR_UNAVAILABLE},
    {SQLITE_IOERR, ERR_UNAVAILABLE},
    {SQLITE_FULL, ERR_UNAVAILABLE},
    {SQLITE_NOMEM, ERR_UNAVAILABLE},
    {SQLITE_READONLY, ERR_UNAVAILABLE},
    {SQLITE_PROTOCOL, ERR_UNAVAILABLE},
    {SQLITE_NOTADB, ERR_UNAVAILABLE},
    {SQLITE_CORRUPT, ERR_UNAVAILABLE},
    {SQLITE_NOLFS, ERR_UNAVAILABLE},
};

static int map_error(int rc)
{
    for (size_t i = 0; i < sizeof error_map / sizeof error_map[0]; i++)
        if (error_map[i].sqlite == rc || error_map[i].sqlite == (rc & 0xff))
            return -(int)error_map[i].err;
    return -ERR_INTERNAL;
}

static void conn_unprepare(struct conn *c)
{
    for (int i = 0; i < STMT_COUNT; i++) {
        sqlite3_finalize(c->q[i]);
        c->q[i] = NULL;
    }
    c->prepared = false;
}

static int conn_prepare(struct conn *c)
{
    int rc = 0;
    for (int i = 0; i < STMT_COUNT && rc == 0; i++) {
        int src = sqlite3_prepare_v3(c->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &c->q[i], NULL);
        /* A statement that does not prepare means the schema is missing
         * (store_migrate not run) or the file is not usable. */
        if (src != SQLITE_OK)
            rc = (src & 0xff) == SQLITE_ERROR ? -ERR_UNAVAILABLE : map_error(src);
    }
    if (rc == 0)
        c->prepared = true;
    else
        conn_unprepare(c);
    return rc;
}

static int conn_open(struct conn *c, const char *path)
{
    static const char pragmas[] = "PRAGMA journal_mode = WAL;"
                                  "PRAGMA foreign_keys = ON;"
                                  "PRAGMA synchronous = NORMAL;";
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(c->db, 1);
        rc = sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, pragmas, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(c->db); /* also after a failed open: it frees the handle */
        c->db = NULL;
        return map_error(rc);
    }
    return 0;
}

static void conn_give(struct sq_store *s, struct conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&s->mu);
    c->next = s->idle;
    s->idle = c;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* Takes an idle connection, waiting while all POOL_MAX are busy, and opens
 * it on first use. `prepare`: the statements are needed (all but migrate). */
static int conn_take(struct sq_store *s, bool prepare, struct conn **out)
{
    pthread_mutex_lock(&s->mu);
    while (!s->idle)
        pthread_cond_wait(&s->cv, &s->mu);
    struct conn *c = s->idle;
    s->idle = c->next;
    pthread_mutex_unlock(&s->mu);

    int rc = 0;
    if (!c->db)
        rc = conn_open(c, s->path);
    if (rc == 0 && prepare && !c->prepared)
        rc = conn_prepare(c);
    if (rc != 0) {
        conn_give(s, c);
        c = NULL;
    }
    *out = c;
    return rc;
}

/* ---- statements: bind, step, read ---- */

/* Binding fails only for a wrong index or type: programmer errors. Text is
 * bound with its length and SQLITE_STATIC: it lives until done(). */
static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    int rc = sqlite3_bind_text(q, i, s, (int)strlen(s), SQLITE_STATIC);
    assert(rc == SQLITE_OK);
    (void)rc;
}

/* "" (or NULL) binds NULL: optional references such as a pop-up venue's region. */
static void bind_opt_text(sqlite3_stmt *q, int i, const char *s)
{
    int rc = s && *s ? sqlite3_bind_text(q, i, s, (int)strlen(s), SQLITE_STATIC)
                     : sqlite3_bind_null(q, i);
    assert(rc == SQLITE_OK);
    (void)rc;
}

static void bind_i64(sqlite3_stmt *q, int i, int64_t v)
{
    int rc = sqlite3_bind_int64(q, i, v);
    assert(rc == SQLITE_OK);
    (void)rc;
}

/* v < 0 binds NULL: "no cap", "no restriction", "no pilot". */
static void bind_opt_i64(sqlite3_stmt *q, int i, int64_t v)
{
    int rc = v >= 0 ? sqlite3_bind_int64(q, i, v) : sqlite3_bind_null(q, i);
    assert(rc == SQLITE_OK);
    (void)rc;
}

static void bind_hash(sqlite3_stmt *q, int i, const uint8_t *h)
{
    int rc =
        h ? sqlite3_bind_blob(q, i, h, TOKEN_HASH_BYTES, SQLITE_STATIC) : sqlite3_bind_null(q, i);
    assert(rc == SQLITE_OK);
    (void)rc;
}

/* 1: a row; 0: done; < 0: an error. */
static int step(sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return map_error(rc);
}

static void done(sqlite3_stmt *q)
{
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
}

/* Runs a statement that returns no rows of interest. */
static int run(sqlite3_stmt *q)
{
    int rc = step(q);
    done(q);
    return rc < 0 ? rc : 0;
}

static void col_text(sqlite3_stmt *q, int i, char *dst, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    str_copy(dst, cap, t ? (const char *)t : "");
}

static int col_name(sqlite3_stmt *q, int i, const struct name_table *t)
{
    const unsigned char *text = sqlite3_column_text(q, i);
    int v = text ? name_lookup(t, (const char *)text) : -1;
    return v >= 0 ? v : 0; /* the schema's CHECKs allow only known names */
}

static bool col_bool(sqlite3_stmt *q, int i)
{
    return sqlite3_column_int(q, i) != 0;
}

/* ---- rows ---- */

struct place_buf {
    char region[ID_MAX + 1];
    char unit[ID_MAX + 1];
    char venue[ID_MAX + 1];
};

static struct place place_of(const struct place_buf *p)
{
    return (struct place){p->region, p->unit, p->venue};
}

struct user_row {
    struct user user;
    struct place_buf place;
    char hash[PASSWORD_HASH_MAX + 1];
};

struct transfer_row {
    struct transfer t;
    char to_region[ID_MAX + 1];
};

typedef void (*row_reader)(sqlite3_stmt *q, void *out);

static void read_place(sqlite3_stmt *q, void *out)
{
    struct place_buf *p = out;
    col_text(q, 0, p->region, sizeof p->region);
    col_text(q, 1, p->unit, sizeof p->unit);
    col_text(q, 2, p->venue, sizeof p->venue);
}

static void read_region(sqlite3_stmt *q, void *out)
{
    struct region *r = out;
    col_text(q, 0, r->id, sizeof r->id);
    col_text(q, 1, r->name, sizeof r->name);
    r->pilot_ends_on = sqlite3_column_int(q, 2);
}

static void read_unit(sqlite3_stmt *q, void *out)
{
    struct unit *u = out;
    col_text(q, 0, u->id, sizeof u->id);
    col_text(q, 1, u->region, sizeof u->region);
    col_text(q, 2, u->name, sizeof u->name);
}

static void read_venue(sqlite3_stmt *q, void *out)
{
    struct venue *v = out;
    col_text(q, 0, v->id, sizeof v->id);
    col_text(q, 1, v->region, sizeof v->region);
    col_text(q, 2, v->name, sizeof v->name);
    v->category = (enum venue_category)col_name(q, 3, &venue_category_names);
    col_text(q, 4, v->accessibility, sizeof v->accessibility);
    v->free_cloakroom = col_bool(q, 5);
}

static void read_user(sqlite3_stmt *q, void *out)
{
    struct user_row *r = out;
    col_text(q, 0, r->user.username, sizeof r->user.username);
    r->user.role = (enum role)col_name(q, 1, &role_names);
    col_text(q, 2, r->user.scope, sizeof r->user.scope);
    r->user.disabled = col_bool(q, 3);
    col_text(q, 4, r->place.region, sizeof r->place.region);
    col_text(q, 5, r->place.unit, sizeof r->place.unit);
    col_text(q, 6, r->place.venue, sizeof r->place.venue);
    col_text(q, 7, r->hash, sizeof r->hash);
}

static void read_api_key(sqlite3_stmt *q, void *out)
{
    struct api_key *k = out;
    k->id = sqlite3_column_int64(q, 0);
    col_text(q, 1, k->venue, sizeof k->venue);
    col_text(q, 2, k->label, sizeof k->label);
    k->created_at = sqlite3_column_int64(q, 3);
}

static void read_card(sqlite3_stmt *q, void *out)
{
    struct card *c = out;
    col_text(q, 0, c->code, sizeof c->code);
    c->kind = (enum card_kind)col_name(q, 1, &card_kind_names);
    col_text(q, 2, c->unit, sizeof c->unit);
    col_text(q, 3, c->region, sizeof c->region);
    c->issued = sqlite3_column_type(q, 4) != SQLITE_NULL;
    c->handed_out_on = c->issued ? sqlite3_column_int(q, 4) : 0;
    c->valid_until = c->issued ? sqlite3_column_int(q, 5) : 0;
    c->cancelled = col_bool(q, 6);
}

static void read_transfer(sqlite3_stmt *q, void *out)
{
    struct transfer_row *r = out;
    struct transfer *t = &r->t;
    t->id = sqlite3_column_int64(q, 0);
    col_text(q, 1, t->from_unit, sizeof t->from_unit);
    col_text(q, 2, t->to_unit, sizeof t->to_unit);
    col_text(q, 3, t->region, sizeof t->region);
    t->status = (enum transfer_status)col_name(q, 4, &transfer_status_names);
    t->count = sqlite3_column_int(q, 5);
    col_text(q, 6, t->requested_by, sizeof t->requested_by);
    t->requested_at = sqlite3_column_int64(q, 7);
    col_text(q, 8, t->decided_by, sizeof t->decided_by);
    t->decided_at = sqlite3_column_int64(q, 9);
    col_text(q, 10, r->to_region, sizeof r->to_region);
}

static void read_event(sqlite3_stmt *q, void *out)
{
    struct event *e = out;
    e->id = sqlite3_column_int64(q, 0);
    col_text(q, 1, e->venue, sizeof e->venue);
    col_text(q, 2, e->region, sizeof e->region);
    col_text(q, 3, e->name, sizeof e->name);
    e->kind = (enum event_kind)col_name(q, 4, &event_kind_names);
    e->starts_at = sqlite3_column_int64(q, 5);
    e->capacity = sqlite3_column_int(q, 6);
    e->cap = sqlite3_column_int(q, 7);
    e->guest_producer = col_bool(q, 8);
    e->booking_opens_days = sqlite3_column_int(q, 9);
    e->collection_opens_minutes = sqlite3_column_int(q, 10);
    e->excluded = col_bool(q, 11);
    col_text(q, 12, e->exclusion_reason, sizeof e->exclusion_reason);
    e->used = sqlite3_column_int(q, 13);
}

static void read_use(sqlite3_stmt *q, void *out)
{
    struct use *u = out;
    u->id = sqlite3_column_int64(q, 0);
    col_text(q, 1, u->card, sizeof u->card);
    u->event = sqlite3_column_int64(q, 2);
    u->adult = sqlite3_column_int(q, 3);
    u->child = sqlite3_column_int(q, 4);
    u->companion = sqlite3_column_int(q, 5);
    u->channel = (enum channel)col_name(q, 6, &channel_names);
    col_text(q, 7, u->recorded_by, sizeof u->recorded_by);
    u->recorded_at = sqlite3_column_int64(q, 8);
    col_text(q, 9, u->undone_by, sizeof u->undone_by);
    u->undone_at = sqlite3_column_int64(q, 10);
}

static void read_audit(sqlite3_stmt *q, void *out)
{
    struct audit_entry *e = out;
    e->id = sqlite3_column_int64(q, 0);
    e->at = sqlite3_column_int64(q, 1);
    col_text(q, 2, e->user, sizeof e->user);
    col_text(q, 3, e->action, sizeof e->action);
    col_text(q, 4, e->object, sizeof e->object);
    col_text(q, 5, e->address, sizeof e->address);
    col_text(q, 6, e->region, sizeof e->region);
}

/* One row by a text or integer key. No row: `missing` (a negative error),
 * with details.field = field when d is given. */
static int get_row(sqlite3_stmt *q, row_reader read, void *out, int missing,
                   struct error_details *d, const char *field)
{
    int rc = step(q);
    if (rc == 1)
        read(q, out);
    done(q);
    if (rc == 0)
        return field ? error_field(d, -missing, field) : missing;
    return rc < 0 ? rc : 0;
}

static int get_by_text(struct conn *c, enum stmt id, const char *key, row_reader read, void *out,
                       int missing, struct error_details *d, const char *field)
{
    bind_text(c->q[id], 1, key);
    return get_row(c->q[id], read, out, missing, d, field);
}

static int get_by_i64(struct conn *c, enum stmt id, int64_t key, row_reader read, void *out,
                      int missing, struct error_details *d, const char *field)
{
    bind_i64(c->q[id], 1, key);
    return get_row(c->q[id], read, out, missing, d, field);
}

/* ---- transactions ---- */

static int read_begin(struct sq_store *s, struct conn **out)
{
    return conn_take(s, true, out);
}

static int read_end(struct sq_store *s, struct conn *c, int rc)
{
    conn_give(s, c);
    return rc;
}

/* One row by key_text, or by key_i64 when key_text is NULL, in its own read
 * transaction: the shape of every store_*_get. */
static int read_one(struct store *st, enum stmt id, const char *key_text, int64_t key_i64,
                    row_reader read, void *out, int missing)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int rc = read_begin(s, &c);
    if (rc == 0)
        rc = key_text ? get_by_text(c, id, key_text, read, out, missing, NULL, NULL)
                      : get_by_i64(c, id, key_i64, read, out, missing, NULL, NULL);
    return read_end(s, c, rc);
}

/* The writer's WAL hook, after each commit: past the threshold, wake the
 * checkpointer (instead of checkpointing inside the commit). */
static int on_wal_commit(void *ctx, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    struct sq_store *s = ctx;
    s->wal_pages = pages; /* under write_mu: the hook runs inside COMMIT */
    if (pages >= CHECKPOINT_PAGES) {
        pthread_mutex_lock(&s->ckpt_mu);
        s->ckpt_wanted = true;
        pthread_cond_signal(&s->ckpt_cv);
        pthread_mutex_unlock(&s->ckpt_mu);
    }
    return SQLITE_OK;
}

/* Takes the write lock and begins a write transaction on the writer
 * connection. On error *out is NULL and nothing is held. */
static int write_begin(struct sq_store *s, struct conn **out)
{
    struct conn *c = &s->writer;
    int rc = 0;
    /* The lock may be waited for as long as SQLite would wait for another
     * process's writer (busy_timeout); after that the caller gets 503. */
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += BUSY_TIMEOUT_MS / 1000;
    if (pthread_mutex_timedlock(&s->write_mu, &until) != 0) {
        *out = NULL;
        return -ERR_UNAVAILABLE;
    }
    if (!c->db && (rc = conn_open(c, s->path)) == 0) {
        sqlite3_wal_hook(c->db, on_wal_commit, s);
        (void)sqlite3_exec(c->db, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
    }
    if (rc == 0 && !c->prepared)
        rc = conn_prepare(c);
    if (rc == 0)
        rc = run(c->q[S_BEGIN]);
    if (rc != 0) {
        pthread_mutex_unlock(&s->write_mu);
        c = NULL;
    }
    *out = c;
    return rc;
}

/* Commits when rc is 0, else rolls back; returns rc or the commit's error. */
static int write_end(struct sq_store *s, struct conn *c, int rc)
{
    if (!c)
        return rc;
    if (rc == 0)
        rc = run(c->q[S_COMMIT]);
    if (rc != 0 && !sqlite3_get_autocommit(c->db))
        (void)run(c->q[S_ROLLBACK]);
    /* The checkpointer copies the WAL while writes go on, so it never
     * catches up with the last frames, and SQLite starts the WAL afresh only
     * once every frame is copied. When the WAL has grown this far, the writer
     * copies what is left (little: the checkpointer did the rest) before the
     * next write, which then starts the WAL from its beginning again. */
    if (rc == 0 && s->wal_pages >= s->wal_reset_at) {
        /* The checkpointer may be half way: wait for it, then copy the rest. */
        int frames = 0, copied = 0;
        pthread_mutex_lock(&s->ckpt_run_mu);
        int src =
            sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
        pthread_mutex_unlock(&s->ckpt_run_mu);
        /* A long read (a report) can hold back the copy; then try again
         * only after another WAL_RETRY_PAGES, not after every commit. */
        s->wal_reset_at =
            src == SQLITE_OK && copied == frames ? WAL_RESET_PAGES : s->wal_pages + WAL_RETRY_PAGES;
    }
    pthread_mutex_unlock(&s->write_mu);
    return rc;
}

/* R34: the audit row of a change, inside the change's transaction. Holds
 * who, what, which object, when and from where; never holder data. */
static int audit_add(struct conn *c, const struct actor *a, const char *action, const char *kind,
                     const char *id, const char *region)
{
    char object[AUDIT_OBJECT_MAX + 1];
    snprintf(object, sizeof object, "%s:%s", kind, id);
    sqlite3_stmt *q = c->q[S_AUDIT_ADD];
    bind_i64(q, 1, a->now);
    bind_text(q, 2, a->user);
    bind_text(q, 3, action);
    bind_text(q, 4, object);
    bind_text(q, 5, a->address);
    bind_opt_text(q, 6, region);
    return run(q);
}

static int audit_add_id(struct conn *c, const struct actor *a, const char *action, const char *kind,
                        int64_t id, const char *region)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)id);
    return audit_add(c, a, action, kind, text, region);
}

static int forbidden_unless(const struct actor *a, const struct place *p)
{
    return scope_allows(a, p) ? 0 : -ERR_FORBIDDEN; /* R32 */
}

/* ---- open, close, migrate ---- */

static const struct store_ops sqlite_ops;

static void *use_writer(void *arg);

/* Copies the WAL back into the database whenever the writer's hook asks. */
static void *checkpointer(void *arg)
{
    struct sq_store *s = arg;
    (void)prctl(PR_SET_NAME, "kaiku-ckpt"); /* as top and perf show it */
    pthread_mutex_lock(&s->ckpt_mu);
    for (;;) {
        while (!s->ckpt_wanted && !s->ckpt_stopping)
            pthread_cond_wait(&s->ckpt_cv, &s->ckpt_mu);
        if (s->ckpt_stopping)
            break;
        s->ckpt_wanted = false;
        pthread_mutex_unlock(&s->ckpt_mu);
        /* A new connection knows the file is in WAL mode only once it has
         * read from it; until then a checkpoint does nothing. */
        if (!s->ckpt_db &&
            (sqlite3_open_v2(s->path, &s->ckpt_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                             NULL) != SQLITE_OK ||
             sqlite3_exec(s->ckpt_db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) !=
                 SQLITE_OK)) {
            sqlite3_close(s->ckpt_db);
            s->ckpt_db = NULL;
        }
        /* A busy or failed checkpoint is simply tried again after the
         * next commits; the WAL stays correct meanwhile. */
        if (s->ckpt_db) {
            pthread_mutex_lock(&s->ckpt_run_mu);
            (void)sqlite3_wal_checkpoint_v2(s->ckpt_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL,
                                            NULL);
            pthread_mutex_unlock(&s->ckpt_run_mu);
        }
        pthread_mutex_lock(&s->ckpt_mu);
    }
    pthread_mutex_unlock(&s->ckpt_mu);
    return NULL;
}

static void conn_close(struct conn *c)
{
    conn_unprepare(c);
    sqlite3_close(c->db);
    c->db = NULL;
}

static void sq_close(struct store *st)
{
    struct sq_store *s = sq(st);
    if (s->use_thread_started) { /* it finishes what is queued first */
        pthread_mutex_lock(&s->batch_mu);
        s->stopping = true;
        pthread_cond_signal(&s->queued_cv);
        pthread_mutex_unlock(&s->batch_mu);
        pthread_join(s->use_thread, NULL);
    }
    if (s->ckpt_thread_started) {
        pthread_mutex_lock(&s->ckpt_mu);
        s->ckpt_stopping = true;
        pthread_cond_signal(&s->ckpt_cv);
        pthread_mutex_unlock(&s->ckpt_mu);
        pthread_join(s->ckpt_thread, NULL);
    }
    sqlite3_close(s->ckpt_db);
    for (int i = 0; i < POOL_MAX; i++)
        conn_close(&s->conns[i]);
    conn_close(&s->writer); /* the last connection checkpoints and removes the WAL */
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->write_mu);
    pthread_cond_destroy(&s->queued_cv);
    pthread_cond_destroy(&s->done_cv);
    pthread_mutex_destroy(&s->batch_mu);
    pthread_cond_destroy(&s->ckpt_cv);
    pthread_mutex_destroy(&s->ckpt_mu);
    pthread_mutex_destroy(&s->ckpt_run_mu);
    free(s);
}

int store_sqlite_open(const char *path, struct store **out)
{
    *out = NULL;
    struct sq_store *s = calloc(1, sizeof *s);
    if (!s)
        return -ERR_UNAVAILABLE;
    int rc = 0;
    s->base.ops = &sqlite_ops;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_mutex_init(&s->write_mu, NULL);
    pthread_mutex_init(&s->batch_mu, NULL);
    pthread_cond_init(&s->queued_cv, NULL);
    pthread_cond_init(&s->done_cv, NULL);
    pthread_mutex_init(&s->ckpt_mu, NULL);
    pthread_mutex_init(&s->ckpt_run_mu, NULL);
    pthread_cond_init(&s->ckpt_cv, NULL);
    s->queue_tail = &s->queue;
    s->wal_reset_at = WAL_RESET_PAGES;
    for (int i = POOL_MAX - 1; i >= 0; i--) {
        s->conns[i].next = s->idle;
        s->idle = &s->conns[i];
    }
    if (str_copy(s->path, sizeof s->path, path) != 0) {
        rc = -ERR_INVALID_REQUEST;
        goto out;
    }
    /* Open one connection now so that a bad path fails here, not later. */
    struct conn *c = NULL;
    rc = conn_take(s, false, &c);
    conn_give(s, c);
    if (rc != 0)
        goto out;
    s->use_thread_started = pthread_create(&s->use_thread, NULL, use_writer, s) == 0;
    s->ckpt_thread_started = pthread_create(&s->ckpt_thread, NULL, checkpointer, s) == 0;
    if (!s->use_thread_started || !s->ckpt_thread_started)
        rc = -ERR_UNAVAILABLE;
out:
    if (rc != 0)
        sq_close(&s->base);
    else
        *out = &s->base;
    return rc;
}

static int user_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int(q, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_OK ? 0 : map_error(rc);
}

/* Applies the migration that brings the database from `version` to
 * `version + 1`, inside the caller's transaction. */
static int migrate_one(sqlite3 *db, int version)
{
    char bump[48];
    snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version + 1);
    int rc = sqlite3_exec(db, migrations[version].sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, bump, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : map_error(rc);
}

static int sq_migrate(struct store *st, int *from, int *to)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int first = -1, version = 0;
    int rc = conn_take(s, false, &c);
    if (rc != 0)
        goto out;
    pthread_mutex_lock(&s->write_mu);
    /* One transaction per version, each re-reading the version under the
     * write lock, so two processes migrating at once do each step once. */
    for (;;) {
        int src = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        rc = src == SQLITE_OK ? user_version(c->db, &version) : map_error(src);
        if (rc == 0 && first < 0)
            first = version;
        if (rc == 0 && version < migrations_count)
            rc = migrate_one(c->db, version++);
        if (rc == 0) {
            src = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
            rc = src == SQLITE_OK ? 0 : map_error(src);
        }
        if (rc != 0 && !sqlite3_get_autocommit(c->db))
            sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        if (rc != 0 || version >= migrations_count)
            break;
    }
    pthread_mutex_unlock(&s->write_mu);
out:
    conn_give(s, c);
    if (rc == 0 && from)
        *from = first;
    if (rc == 0 && to)
        *to = version;
    return rc;
}

/* ---- network: regions, units, venues ---- */

static int sq_region_add(struct store *st, const struct actor *a, const struct region *r)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    const struct place country = {"", "", ""}; /* regions sit above every scope */
    int rc = write_begin(s, &c);
    if (rc == 0)
        rc = forbidden_unless(a, &country);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_REGION_ADD];
    bind_text(q, 1, r->id);
    bind_text(q, 2, r->name);
    bind_opt_i64(q, 3, r->pilot_ends_on);
    rc = run(q);
    if (rc == 0)
        rc = audit_add(c, a, "region.add", "region", r->id, r->id);
out:
    return write_end(s, c, rc);
}

static int sq_region_get(struct store *st, const char *id, struct region *out)
{
    return read_one(st, S_REGION_GET, id, 0, read_region, out, -ERR_NOT_FOUND);
}

static int sq_region_list(struct store *st, store_region_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int rc = read_begin(s, &c);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_REGION_LIST];
    struct region r;
    while ((rc = step(q)) == 1) {
        read_region(q, &r);
        if ((rc = fn(ctx, &r)) != 0)
            break;
    }
    done(q);
out:
    return read_end(s, c, rc);
}

static int sq_unit_add(struct store *st, const struct actor *a, const struct unit *u)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct region region;
    int rc = write_begin(s, &c);
    if (rc == 0)
        rc = get_by_text(c, S_REGION_GET, u->region, read_region, &region, -ERR_NOT_FOUND, NULL,
                         NULL);
    if (rc == 0) {
        const struct place p = {region.id, "", ""};
        rc = forbidden_unless(a, &p);
    }
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_UNIT_ADD];
    bind_text(q, 1, u->id);
    bind_text(q, 2, u->region);
    bind_text(q, 3, u->name);
    rc = run(q);
    if (rc == 0)
        rc = audit_add(c, a, "unit.add", "unit", u->id, region.id);
out:
    return write_end(s, c, rc);
}

static int sq_unit_get(struct store *st, const char *id, struct unit *out)
{
    return read_one(st, S_UNIT_GET, id, 0, read_unit, out, -ERR_NOT_FOUND);
}

static int sq_unit_list(struct store *st, const struct actor *a, const char *region,
                        store_unit_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int rc = read_begin(s, &c);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_UNIT_LIST];
    bind_text(q, 1, region ? region : "");
    struct unit u;
    int cb = 0;
    while (cb == 0 && (rc = step(q)) == 1) {
        read_unit(q, &u);
        const struct place p = {u.region, u.id, ""};
        if (!a || scope_allows(a, &p))
            cb = fn(ctx, &u);
    }
    done(q);
    rc = cb != 0 ? cb : rc;
out:
    return read_end(s, c, rc);
}

static int sq_venue_add(struct store *st, const struct actor *a, const struct venue *v)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct region region = {.id = ""};
    int rc = write_begin(s, &c);
    if (rc == 0 && (unsigned)v->category >= CAT_COUNT)
        rc = -ERR_INVALID_REQUEST;
    /* R22: a pop-up venue (region "") sits outside every region. */
    if (rc == 0 && v->region[0])
        rc = get_by_text(c, S_REGION_GET, v->region, read_region, &region, -ERR_NOT_FOUND, NULL,
                         NULL);
    if (rc == 0) {
        const struct place p = {region.id, "", ""};
        rc = forbidden_unless(a, &p);
    }
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_VENUE_ADD];
    bind_text(q, 1, v->id);
    bind_opt_text(q, 2, v->region);
    bind_text(q, 3, v->name);
    bind_text(q, 4, name_of(&venue_category_names, (int)v->category));
    bind_text(q, 5, v->accessibility);
    bind_i64(q, 6, v->free_cloakroom);
    rc = run(q);
    if (rc == 0)
        rc = audit_add(c, a, "venue.add", "venue", v->id, region.id);
out:
    return write_end(s, c, rc);
}

static int sq_venue_get(struct store *st, const char *id, struct venue *out)
{
    return read_one(st, S_VENUE_GET, id, 0, read_venue, out, -ERR_NOT_FOUND);
}

static int sq_venue_list(struct store *st, const char *region, store_venue_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int rc = read_begin(s, &c);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_VENUE_LIST];
    bind_text(q, 1, region ? region : "");
    struct venue v;
    while ((rc = step(q)) == 1) {
        read_venue(q, &v);
        if ((rc = fn(ctx, &v)) != 0)
            break;
    }
    done(q);
out:
    return read_end(s, c, rc);
}

/* ---- users, sessions, API keys ---- */

/* Where a user's scope lies (R32), by role: the statement that loads the
 * place of the scope id, the users column that holds it, and the request
 * field to blame when it does not exist. National has no scope. */
static const struct scope_kind {
    enum stmt place;
    int column; /* in S_USER_ADD */
    const char *field;
} scope_kinds[ROLE_COUNT] = {
    [ROLE_NATIONAL] = {STMT_COUNT, 0, NULL},
    [ROLE_COORDINATOR] = {S_PLACE_REGION, 4, "region"},
    [ROLE_DISTRIBUTOR] = {S_PLACE_UNIT, 5, "unit"},
    [ROLE_VENUE] = {S_PLACE_VENUE, 6, "venue"},
};

static bool hash_ok(const char *hash)
{
    size_t n = hash ? strlen(hash) : 0;
    return n > 0 && n <= PASSWORD_HASH_MAX;
}

static int sq_user_add(struct store *st, const struct actor *a, const struct user *u,
                       const char *password_hash)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct place_buf place = {"", "", ""};
    int rc = write_begin(s, &c);
    if (rc != 0)
        goto out;
    if ((unsigned)u->role >= ROLE_COUNT || !hash_ok(password_hash)) {
        rc = -ERR_INVALID_REQUEST;
        goto out;
    }
    const struct scope_kind *k = &scope_kinds[u->role];
    if (k->field && u->scope[0] == '\0')
        rc = -ERR_INVALID_REQUEST;
    else if (!k->field && u->scope[0] != '\0')
        rc = -ERR_INVALID_REQUEST;
    else if (k->field)
        rc = get_by_text(c, k->place, u->scope, read_place, &place, -ERR_NOT_FOUND, NULL, NULL);
    if (rc == 0) {
        const struct place p = place_of(&place);
        rc = forbidden_unless(a, &p);
    }
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_USER_ADD];
    bind_text(q, 1, u->username);
    bind_text(q, 2, password_hash);
    bind_text(q, 3, name_of(&role_names, (int)u->role));
    for (int col = 4; col <= 6; col++)
        bind_opt_text(q, col, col == k->column ? u->scope : NULL);
    bind_i64(q, 7, a->now);
    rc = run(q);
    if (rc == 0)
        rc = audit_add(c, a, "user.add", "user", u->username, place.region);
out:
    return write_end(s, c, rc);
}

static int sq_user_get(struct store *st, const char *username, struct user *out,
                       char hash[PASSWORD_HASH_MAX + 1])
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct user_row row;
    int rc = read_begin(s, &c);
    if (rc == 0)
        rc = get_by_text(c, S_USER_GET, username, read_user, &row, -ERR_NOT_FOUND, NULL, NULL);
    if (rc == 0) {
        *out = row.user;
        if (hash)
            memcpy(hash, row.hash, sizeof row.hash);
    }
    explicit_bzero(row.hash, sizeof row.hash);
    return read_end(s, c, rc);
}

static int sq_user_list(struct store *st, const struct actor *a, store_user_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int rc = read_begin(s, &c);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_USER_LIST];
    struct user_row row;
    int cb = 0;
    while (cb == 0 && (rc = step(q)) == 1) {
        read_user(q, &row);
        explicit_bzero(row.hash, sizeof row.hash);
        const struct place p = place_of(&row.place);
        if (scope_allows(a, &p))
            cb = fn(ctx, &row.user);
    }
    done(q);
    rc = cb != 0 ? cb : rc;
out:
    return read_end(s, c, rc);
}

/* Loads a user and checks that the actor may manage them (R32). Acting on
 * oneself is always allowed when `self_ok` (a password change). */
static int user_in_scope(struct conn *c, const struct actor *a, const char *username, bool self_ok,
                         struct user_row *row)
{
    int rc = get_by_text(c, S_USER_GET, username, read_user, row, -ERR_NOT_FOUND, NULL, NULL);
    explicit_bzero(row->hash, sizeof row->hash);
    if (rc != 0)
        return rc;
    if (self_ok && strcmp(a->user, username) == 0)
        return 0;
    const struct place p = place_of(&row->place);
    return forbidden_unless(a, &p);
}

static int sq_user_disable(struct store *st, const struct actor *a, const char *username)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct user_row row;
    int rc = write_begin(s, &c);
    if (rc == 0)
        rc = user_in_scope(c, a, username, false, &row);
    if (rc != 0)
        goto out;
    bind_text(c->q[S_USER_DISABLE], 1, username);
    rc = run(c->q[S_USER_DISABLE]);
    if (rc == 0) {
        bind_text(c->q[S_SESSIONS_END], 1, username);
        bind_hash(c->q[S_SESSIONS_END], 2, NULL);
        rc = run(c->q[S_SESSIONS_END]);
    }
    if (rc == 0)
        rc = audit_add(c, a, "user.disable", "user", username, row.place.region);
out:
    return write_end(s, c, rc);
}

static int sq_user_set_password(struct store *st, const struct actor *a, const char *username,
                                const char *password_hash,
                                const uint8_t keep_session[TOKEN_HASH_BYTES])
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct user_row row;
    int rc = write_begin(s, &c);
    if (rc == 0 && !hash_ok(password_hash))
        rc = -ERR_INVALID_REQUEST;
    if (rc == 0)
        rc = user_in_scope(c, a, username, true, &row);
    if (rc != 0)
        goto out;
    bind_text(c->q[S_USER_SET_HASH], 1, password_hash);
    bind_text(c->q[S_USER_SET_HASH], 2, username);
    rc = run(c->q[S_USER_SET_HASH]);
    if (rc == 0) {
        bind_text(c->q[S_SESSIONS_END], 1, username);
        bind_hash(c->q[S_SESSIONS_END], 2, keep_session);
        rc = run(c->q[S_SESSIONS_END]);
    }
    if (rc == 0)
        rc = audit_add(c, a, "user.password", "user", username, row.place.region);
out:
    return write_end(s, c, rc);
}

/* Sessions are not changes to the register: no audit row (login and logout
 * are the HTTP layer's to log). */
static int sq_session_add(struct store *st, const uint8_t token_hash[TOKEN_HASH_BYTES],
                          const char *username, int64_t now, int64_t expires_at)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int rc = write_begin(s, &c);
    if (rc != 0)
        goto out;
    /* The user's expired sessions go as a new one comes: the table holds
     * at most the sessions still alive plus those of users not back yet. */
    bind_text(c->q[S_SESSIONS_PURGE], 1, username);
    bind_i64(c->q[S_SESSIONS_PURGE], 2, now);
    rc = run(c->q[S_SESSIONS_PURGE]);
    sqlite3_stmt *q = c->q[S_SESSION_ADD];
    bind_hash(q, 1, token_hash);
    bind_text(q, 2, username);
    bind_i64(q, 3, now);
    bind_i64(q, 4, expires_at);
    if (rc == 0)
        rc = run(q);
out:
    return write_end(s, c, rc);
}

struct session_row {
    struct user_row u;
    int64_t expires_at;
};

static void read_session(sqlite3_stmt *q, void *out)
{
    struct session_row *r = out;
    read_user(q, &r->u);
    r->expires_at = sqlite3_column_int64(q, 8); /* after USER_COLS */
}

static int sq_session_get(struct store *st, const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t now,
                          struct user *out, int64_t *expires_at)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct session_row row;
    int rc = read_begin(s, &c);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_SESSION_GET];
    bind_hash(q, 1, token_hash);
    bind_i64(q, 2, now);
    rc = get_row(q, read_session, &row, -ERR_UNAUTHENTICATED, NULL, NULL);
    explicit_bzero(row.u.hash, sizeof row.u.hash);
    if (rc == 0)
        *out = row.u.user;
    if (rc == 0 && expires_at)
        *expires_at = row.expires_at;
out:
    return read_end(s, c, rc);
}

static int sq_session_delete(struct store *st, const uint8_t token_hash[TOKEN_HASH_BYTES])
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int rc = write_begin(s, &c);
    if (rc != 0)
        goto out;
    bind_hash(c->q[S_SESSION_DELETE], 1, token_hash);
    rc = run(c->q[S_SESSION_DELETE]);
out:
    return write_end(s, c, rc);
}

/* Loads a venue's place and checks the actor's scope over it. */
static int venue_in_scope(struct conn *c, const struct actor *a, const char *venue,
                          struct place_buf *place)
{
    int rc = get_by_text(c, S_PLACE_VENUE, venue, read_place, place, -ERR_NOT_FOUND, NULL, NULL);
    if (rc == 0) {
        const struct place p = place_of(place);
        rc = forbidden_unless(a, &p);
    }
    return rc;
}

static int sq_api_key_add(struct store *st, const struct actor *a, const char *venue,
                          const char *label, const uint8_t key_hash[TOKEN_HASH_BYTES], int64_t *id)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct place_buf place;
    int rc = write_begin(s, &c);
    if (rc == 0)
        rc = venue_in_scope(c, a, venue, &place);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_API_KEY_ADD];
    bind_text(q, 1, venue);
    bind_text(q, 2, label);
    bind_hash(q, 3, key_hash);
    bind_text(q, 4, a->user);
    bind_i64(q, 5, a->now);
    rc = run(q);
    int64_t key_id = sqlite3_last_insert_rowid(c->db);
    if (rc == 0)
        rc = audit_add_id(c, a, "api_key.add", "api_key", key_id, place.region);
    if (rc == 0 && id)
        *id = key_id;
out:
    return write_end(s, c, rc);
}

static int sq_api_key_list(struct store *st, const struct actor *a, const char *venue,
                           store_api_key_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct place_buf place;
    int rc = read_begin(s, &c);
    if (rc == 0)
        rc = venue_in_scope(c, a, venue, &place);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_API_KEY_LIST];
    bind_text(q, 1, venue);
    struct api_key k;
    while ((rc = step(q)) == 1) {
        read_api_key(q, &k);
        if ((rc = fn(ctx, &k)) != 0)
            break;
    }
    done(q);
out:
    return read_end(s, c, rc);
}

static int sq_api_key_revoke(struct store *st, const struct actor *a, const char *venue, int64_t id)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct place_buf place;
    int rc = write_begin(s, &c);
    if (rc == 0)
        rc = venue_in_scope(c, a, venue, &place);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_API_KEY_REVOKE];
    bind_i64(q, 1, a->now);
    bind_i64(q, 2, id);
    bind_text(q, 3, venue);
    rc = run(q);
    if (rc == 0 && sqlite3_changes(c->db) == 0)
        rc = -ERR_NOT_FOUND;
    if (rc == 0)
        rc = audit_add_id(c, a, "api_key.revoke", "api_key", id, place.region);
out:
    return write_end(s, c, rc);
}

static int sq_api_key_find(struct store *st, const uint8_t key_hash[TOKEN_HASH_BYTES],
                           struct api_key *out)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int rc = read_begin(s, &c);
    if (rc != 0)
        goto out;
    bind_hash(c->q[S_API_KEY_FIND], 1, key_hash);
    rc = get_row(c->q[S_API_KEY_FIND], read_api_key, out, -ERR_UNAUTHENTICATED, NULL, NULL);
out:
    return read_end(s, c, rc);
}

/* ---- cards: stock, transfers, handouts, cancel ---- */

static int sq_stock_add(struct store *st, const struct actor *a, const char *unit,
                        enum card_kind kind, const char (*codes)[CODE_MAX + 1], size_t n,
                        struct error_details *d)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct unit u;
    int rc = write_begin(s, &c);
    if (rc != 0)
        goto out;
    if (n == 0 || (unsigned)kind >= CARD_KIND_COUNT) {
        rc = error_field(d, ERR_INVALID_REQUEST, n == 0 ? "codes" : "kind");
        goto out;
    }
    rc = get_by_text(c, S_UNIT_GET, unit, read_unit, &u, -ERR_NOT_FOUND, d, "unit");
    if (rc == 0) {
        /* R3: stock is added by the region's coordinator or national. */
        const struct place p = {u.region, "", ""};
        rc = forbidden_unless(a, &p);
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        char norm[CODE_MAX + 1];
        if (card_code_normalize(codes[i], norm) != 0 || strcmp(norm, codes[i]) != 0) {
            rc = error_text(d, ERR_INVALID_CARD_CODE, "code", codes[i]); /* R1 */
            break;
        }
        /* Checked before each insert, so a code twice in `codes` is taken too. */
        bind_text(c->q[S_CARD_EXISTS], 1, codes[i]);
        rc = step(c->q[S_CARD_EXISTS]);
        done(c->q[S_CARD_EXISTS]);
        if (rc == 1)
            rc = error_text(d, ERR_CODE_TAKEN, "code", codes[i]);
        if (rc != 0)
            break;
        sqlite3_stmt *q = c->q[S_CARD_ADD];
        bind_text(q, 1, codes[i]);
        bind_text(q, 2, name_of(&card_kind_names, (int)kind));
        bind_text(q, 3, u.id);
        bind_i64(q, 4, a->now);
        rc = run(q);
    }
    if (rc == 0)
        rc = audit_add(c, a, "stock.add", "unit", u.id, u.region);
out:
    return write_end(s, c, rc);
}

/* R3: a code can move only from its unit's stock and only unused. */
static int check_movable(const struct card *card, const char *from_unit, struct error_details *d)
{
    if (strcmp(card->unit, from_unit) != 0)
        return error_text(d, ERR_CARD_NOT_IN_UNIT_STOCK, "code", card->code);
    if (card->issued)
        return error_text(d, ERR_CARD_ALREADY_ISSUED, "code", card->code);
    if (card->cancelled)
        return error_text(d, ERR_CARD_CANCELLED, "code", card->code);
    return 0;
}

static int sq_transfer_request(struct store *st, const struct actor *a,
                               const char (*codes)[CODE_MAX + 1], size_t n, const char *from_unit,
                               const char *to_unit, int64_t *id, struct error_details *d)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct unit from, to;
    int64_t transfer = 0;
    int rc = write_begin(s, &c);
    if (rc == 0 && n == 0)
        rc = error_field(d, ERR_INVALID_REQUEST, "codes");
    if (rc == 0)
        rc =
            get_by_text(c, S_UNIT_GET, from_unit, read_unit, &from, -ERR_NOT_FOUND, d, "from_unit");
    if (rc == 0)
        rc = get_by_text(c, S_UNIT_GET, to_unit, read_unit, &to, -ERR_NOT_FOUND, d, "to_unit");
    if (rc == 0) {
        const struct place p = {from.region, from.id, ""};
        rc = forbidden_unless(a, &p);
    }
    if (rc == 0 && (strcmp(from.region, to.region) != 0 || strcmp(from.id, to.id) == 0))
        rc = error_field(d, ERR_INVALID_REQUEST, "to_unit"); /* R3: within one region */
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct card card;
        rc = get_by_text(c, S_CARD_GET, codes[i], read_card, &card, -ERR_CARD_UNKNOWN, NULL, NULL);
        if (rc == -ERR_CARD_UNKNOWN)
            rc = error_text(d, ERR_CARD_UNKNOWN, "code", codes[i]);
        if (rc == 0)
            rc = check_movable(&card, from.id, d);
    }
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_TRANSFER_ADD];
    bind_text(q, 1, from.id);
    bind_text(q, 2, to.id);
    bind_text(q, 3, a->user);
    bind_i64(q, 4, a->now);
    rc = run(q);
    transfer = sqlite3_last_insert_rowid(c->db);
    for (size_t i = 0; i < n && rc == 0; i++) {
        bind_i64(c->q[S_TRANSFER_CARD_ADD], 1, transfer);
        bind_text(c->q[S_TRANSFER_CARD_ADD], 2, codes[i]);
        rc = run(c->q[S_TRANSFER_CARD_ADD]);
        if (rc == -ERR_ALREADY_EXISTS) /* the same code twice in one request */
            rc = error_text(d, ERR_INVALID_REQUEST, "code", codes[i]);
    }
    if (rc == 0)
        rc = audit_add_id(c, a, "transfer.request", "transfer", transfer, from.region);
    if (rc == 0 && id)
        *id = transfer;
out:
    return write_end(s, c, rc);
}

/* R3: re-checks every code of an approved transfer, then moves them all. */
static int transfer_move(struct conn *c, const struct transfer *t, struct error_details *d)
{
    sqlite3_stmt *q = c->q[S_TRANSFER_CARDS];
    bind_i64(q, 1, t->id);
    struct card card;
    int rc;
    while ((rc = step(q)) == 1) {
        read_card(q, &card);
        if ((rc = check_movable(&card, t->from_unit, d)) != 0)
            break;
    }
    done(q);
    if (rc != 0)
        return rc;
    bind_text(c->q[S_TRANSFER_MOVE], 1, t->to_unit);
    bind_i64(c->q[S_TRANSFER_MOVE], 2, t->id);
    return run(c->q[S_TRANSFER_MOVE]);
}

static int sq_transfer_decide(struct store *st, const struct actor *a, int64_t id, bool approve,
                              struct transfer *out, struct error_details *d)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct transfer_row row;
    enum transfer_status next = TRANSFER_REQUESTED;
    int rc = write_begin(s, &c);
    if (rc == 0)
        rc = get_by_i64(c, S_TRANSFER_GET, id, read_transfer, &row, -ERR_NOT_FOUND, d, "transfer");
    if (rc == 0 && strcmp(row.t.region, row.to_region) != 0)
        rc = error_field(d, ERR_INVALID_REQUEST, "to_unit");
    if (rc == 0) {
        const struct place p = {row.t.region, "", ""}; /* the region's coordinator */
        rc = forbidden_unless(a, &p);
    }
    if (rc == 0)
        rc = transfer_decide(row.t.status, approve, &next);
    if (rc == 0 && next == TRANSFER_APPROVED)
        rc = transfer_move(c, &row.t, d);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_TRANSFER_SET];
    bind_text(q, 1, name_of(&transfer_status_names, (int)next));
    bind_text(q, 2, a->user);
    bind_i64(q, 3, a->now);
    bind_i64(q, 4, id);
    rc = run(q);
    if (rc == 0)
        rc = audit_add_id(c, a, approve ? "transfer.approve" : "transfer.reject", "transfer", id,
                          row.t.region);
    if (rc == 0 && out) {
        *out = row.t;
        out->status = next;
        str_copy(out->decided_by, sizeof out->decided_by, a->user);
        out->decided_at = a->now;
    }
out:
    return write_end(s, c, rc);
}

static int sq_transfer_list(struct store *st, const struct actor *a, int status,
                            store_transfer_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int rc = read_begin(s, &c);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_TRANSFER_LIST];
    bind_opt_text(q, 1, status >= 0 ? name_of(&transfer_status_names, status) : NULL);
    struct transfer_row row;
    int cb = 0;
    while (cb == 0 && (rc = step(q)) == 1) {
        read_transfer(q, &row);
        const struct place from = {row.t.region, row.t.from_unit, ""};
        const struct place to = {row.to_region, row.t.to_unit, ""};
        if (scope_allows(a, &from) || scope_allows(a, &to))
            cb = fn(ctx, &row.t);
    }
    done(q);
    rc = cb != 0 ? cb : rc;
out:
    return read_end(s, c, rc);
}

static int sq_card_get(struct store *st, const char *code, struct card *out)
{
    return read_one(st, S_CARD_GET, code, 0, read_card, out, -ERR_CARD_UNKNOWN);
}

/* R9: a community handout stores code, date and unit only. `lang` holds the
 * normalised language while the statement runs (text is bound static). */
static void bind_handout_form(sqlite3_stmt *q, const struct handout *h, enum card_kind kind,
                              char lang[6])
{
    lang[0] = '\0';
    bool personal = kind == CARD_PERSONAL;
    if (personal && handout_language_normalize(h->mother_tongue, lang) != 0)
        lang[0] = '\0'; /* validated before: unreachable */
    if (personal)
        bind_i64(q, 5, h->birth_year);
    else
        bind_opt_i64(q, 5, -1);
    bind_opt_text(q, 6, personal ? lang : NULL);
    bind_opt_text(q, 7, personal ? name_of(&gender_names, (int)h->gender) : NULL);
    bind_opt_text(q, 8, personal ? h->postal_code : NULL);
    bind_opt_i64(q, 9, personal ? (int64_t)h->life_situations : -1);
}

static int sq_handout_record(struct store *st, const struct actor *a, const struct handout *h,
                             struct card *out, struct error_details *d)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct card card, previous;
    struct region region;
    char lang[6];
    int32_t today = hki_day(a->now);
    int rc = write_begin(s, &c);
    if (rc == 0)
        rc = get_by_text(c, S_CARD_GET, h->card, read_card, &card, -ERR_CARD_UNKNOWN, d, "card");
    if (rc == 0) {
        /* R3: a unit hands out only cards of its own stock. */
        const struct place p = {card.region, card.unit, ""};
        if (!scope_allows(a, &p))
            rc = a->role == ROLE_DISTRIBUTOR ? error_field(d, ERR_CARD_NOT_IN_UNIT_STOCK, "card")
                                             : -ERR_FORBIDDEN;
    }
    if (rc == 0 && card.issued)
        rc = error_field(d, ERR_CARD_ALREADY_ISSUED, "card"); /* R12 */
    if (rc == 0 && card.cancelled)
        rc = error_field(d, ERR_CARD_CANCELLED, "card"); /* R13 */
    if (rc == 0)
        rc = handout_validate(h, card.kind, today, d); /* R9–R11 */
    if (rc == 0 && h->renews[0]) {                     /* R14 */
        rc = get_by_text(c, S_CARD_GET, h->renews, read_card, &previous, -ERR_RENEWS_INVALID, d,
                         "renews");
        if (rc == 0)
            rc = card_check_renewal(&previous, today, d);
    }
    if (rc == 0)
        rc = get_by_text(c, S_REGION_GET, card.region, read_region, &region, -ERR_NOT_FOUND, d,
                         "region");
    if (rc != 0)
        goto out;
    card.issued = true;
    card.handed_out_on = h->handed_out_on;
    card.valid_until = card_valid_until(h->handed_out_on, region.pilot_ends_on); /* R4, R5 */
    sqlite3_stmt *q = c->q[S_HANDOUT_ADD];
    bind_text(q, 1, card.code);
    bind_text(q, 2, card.unit);
    bind_i64(q, 3, card.handed_out_on);
    bind_i64(q, 4, card.valid_until);
    bind_handout_form(q, h, card.kind, lang);
    bind_opt_text(q, 10, h->renews);
    bind_text(q, 11, a->user);
    bind_i64(q, 12, a->now);
    rc = run(q);
    if (rc == 0)
        rc = audit_add(c, a, "handout.record", "card", card.code, card.region);
    if (rc == 0 && out)
        *out = card;
out:
    return write_end(s, c, rc);
}

static int sq_card_cancel(struct store *st, const struct actor *a, const char *code,
                          const char *reason, struct card *out)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct card card;
    size_t reason_len = reason ? strlen(reason) : 0;
    int rc = write_begin(s, &c);
    if (rc == 0)
        rc = get_by_text(c, S_CARD_GET, code, read_card, &card, -ERR_CARD_UNKNOWN, NULL, NULL);
    if (rc == 0) {
        const struct place p = {card.region, card.unit, ""};
        rc = forbidden_unless(a, &p);
    }
    if (rc == 0 && card.cancelled)
        rc = -ERR_CARD_CANCELLED;
    if (rc == 0 && (reason_len == 0 || reason_len > TEXT_MAX_BYTES))
        rc = -ERR_INVALID_REQUEST;
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_CARD_CANCEL];
    bind_i64(q, 1, a->now);
    bind_text(q, 2, reason);
    bind_text(q, 3, card.code);
    rc = run(q);
    if (rc == 0)
        rc = audit_add(c, a, "card.cancel", "card", card.code, card.region);
    if (rc == 0 && out) {
        *out = card;
        out->cancelled = true;
    }
out:
    return write_end(s, c, rc);
}

/* The unit, when it lies in the actor's scope. */
static int scoped_unit(struct conn *c, const struct actor *a, const char *id, struct unit *u)
{
    int rc = get_by_text(c, S_UNIT_GET, id, read_unit, u, -ERR_NOT_FOUND, NULL, NULL);
    if (rc == 0) {
        const struct place p = {u->region, u->id, ""};
        rc = forbidden_unless(a, &p);
    }
    return rc;
}

/* The cards of a statement bound to the unit (and maybe more), one by one. */
static int each_card(sqlite3_stmt *q, store_card_fn fn, void *ctx)
{
    struct card card;
    int rc, cb = 0;
    while (cb == 0 && (rc = step(q)) == 1) {
        read_card(q, &card);
        cb = fn(ctx, &card);
    }
    done(q);
    return cb != 0 ? cb : rc;
}

static int sq_stock_list(struct store *st, const struct actor *a, const char *unit,
                         store_card_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct unit u;
    int rc = read_begin(s, &c);
    if (rc == 0)
        rc = scoped_unit(c, a, unit, &u);
    if (rc == 0) {
        bind_text(c->q[S_STOCK_LIST], 1, u.id);
        rc = each_card(c->q[S_STOCK_LIST], fn, ctx);
    }
    return read_end(s, c, rc);
}

static int sq_handout_list(struct store *st, const struct actor *a, const char *unit, int limit,
                           store_card_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct unit u;
    int rc = read_begin(s, &c);
    if (rc == 0)
        rc = scoped_unit(c, a, unit, &u);
    if (rc == 0) {
        bind_text(c->q[S_HANDOUT_LIST], 1, u.id);
        bind_i64(c->q[S_HANDOUT_LIST], 2, limit > 0 ? limit : 0);
        rc = each_card(c->q[S_HANDOUT_LIST], fn, ctx);
    }
    return read_end(s, c, rc);
}

static int sq_stock_request(struct store *st, const struct actor *a, const char *unit,
                            int32_t count)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct unit u;
    int rc = write_begin(s, &c);
    if (rc == 0)
        rc = scoped_unit(c, a, unit, &u);
    if (rc == 0 && (count < 1 || count > STOCK_REQUEST_MAX))
        rc = -ERR_INVALID_REQUEST;
    if (rc == 0) {
        char object[ID_MAX + 16];
        snprintf(object, sizeof object, "%s:%d", u.id, (int)count);
        rc = audit_add(c, a, "stock.request", "unit", object, u.region);
    }
    return write_end(s, c, rc);
}

/* ---- events and uses ---- */

static void bind_event(sqlite3_stmt *q, int first, const struct event *e)
{
    bind_text(q, first, e->name);
    bind_text(q, first + 1, name_of(&event_kind_names, (int)e->kind));
    bind_i64(q, first + 2, e->starts_at);
    bind_i64(q, first + 3, e->capacity);
    bind_opt_i64(q, first + 4, e->cap);
    bind_i64(q, first + 5, e->guest_producer);
    bind_opt_i64(q, first + 6, e->booking_opens_days);
    bind_opt_i64(q, first + 7, e->collection_opens_minutes);
    bind_i64(q, first + 8, e->excluded);
    bind_text(q, first + 9, e->exclusion_reason);
}

static int sq_event_add(struct store *st, const struct actor *a, struct event *e,
                        struct error_details *d)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct place_buf place;
    int rc = write_begin(s, &c);
    if (rc == 0)
        rc =
            get_by_text(c, S_PLACE_VENUE, e->venue, read_place, &place, -ERR_NOT_FOUND, d, "venue");
    if (rc == 0) {
        const struct place p = place_of(&place);
        rc = forbidden_unless(a, &p);
    }
    if (rc == 0) {
        str_copy(e->region, sizeof e->region, place.region);
        e->used = 0;
        rc = event_validate(e, d); /* R15–R17 */
    }
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_EVENT_ADD];
    bind_text(q, 1, e->venue);
    bind_event(q, 2, e);
    rc = run(q);
    if (rc == 0) {
        e->id = sqlite3_last_insert_rowid(c->db);
        rc = audit_add_id(c, a, "event.add", "event", e->id, place.region);
    }
out:
    return write_end(s, c, rc);
}

static int sq_event_get(struct store *st, int64_t id, struct event *out)
{
    return read_one(st, S_EVENT_GET, NULL, id, read_event, out, -ERR_NOT_FOUND);
}

/* Loads an event and checks the actor's scope over its venue (R32). */
static int event_in_scope(struct conn *c, const struct actor *a, int64_t id, struct event *e,
                          struct error_details *d)
{
    int rc = get_by_i64(c, S_EVENT_GET, id, read_event, e, -ERR_NOT_FOUND, d, "event");
    if (rc == 0) {
        const struct place p = {e->region, "", e->venue};
        rc = forbidden_unless(a, &p);
    }
    return rc;
}

static int sq_event_update(struct store *st, const struct actor *a, int64_t id,
                           int (*apply)(void *ctx, struct event *e), void *ctx, struct event *out,
                           struct error_details *d)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct event *old = malloc(2 * sizeof *old); /* two events are 4 KiB: off the stack */
    struct event *e = old ? old + 1 : NULL;
    int rc = old ? write_begin(s, &c) : -ERR_UNAVAILABLE;
    if (rc == 0)
        rc = event_in_scope(c, a, id, old, d);
    if (rc == 0) {
        *e = *old;
        rc = apply(ctx, e);
    }
    if (rc == 0 && strcmp(e->venue, old->venue) != 0)
        rc = error_field(d, ERR_INVALID_REQUEST, "venue");
    if (rc == 0) {
        /* The id and venue stay; `used` is the uses' to change, never PATCH's. */
        e->id = old->id;
        memcpy(e->region, old->region, sizeof e->region);
        e->used = old->used;
        rc = event_validate(e, d);
    }
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_EVENT_SET];
    bind_event(q, 1, e);
    bind_i64(q, 11, id);
    rc = run(q);
    if (rc == 0)
        rc = audit_add_id(c, a, "event.update", "event", id, e->region);
    if (rc == 0 && out)
        *out = *e;
out:
    rc = write_end(s, c, rc);
    free(old);
    return rc;
}

static int sq_event_list(struct store *st, const struct event_filter *f, store_event_fn fn,
                         void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct event *e = malloc(sizeof *e);
    int rc = e ? read_begin(s, &c) : -ERR_UNAVAILABLE;
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_EVENT_LIST];
    bind_opt_text(q, 1, f ? f->venue : NULL);
    bind_i64(q, 2, f ? f->from : 0);
    bind_i64(q, 3, f ? f->to : 0);
    while ((rc = step(q)) == 1) {
        read_event(q, e);
        if ((rc = fn(ctx, e)) != 0)
            break;
    }
    done(q);
out:
    rc = read_end(s, c, rc);
    free(e);
    return rc;
}

/* R27: a retry carries the same request as the use it first recorded. */
static bool same_request(const struct use *u, const struct use_request *r)
{
    return strcmp(u->card, r->card) == 0 && u->event == r->event && u->adult == r->adult &&
           u->child == r->child && u->companion == r->companion && u->channel == r->channel;
}

static int use_by_key(struct conn *c, const struct actor *a, const struct use_request *r,
                      struct use *u)
{
    sqlite3_stmt *q = c->q[S_USE_BY_KEY];
    bind_text(q, 1, a->user);
    bind_text(q, 2, r->idempotency_key);
    return get_row(q, read_use, u, 1, NULL, NULL); /* 1: no such use yet */
}

static int adult_already(struct conn *c, const struct use_request *r, bool *out)
{
    sqlite3_stmt *q = c->q[S_USE_ADULT];
    bind_text(q, 1, r->card);
    bind_i64(q, 2, r->event);
    int rc = step(q);
    done(q);
    *out = rc == 1;
    return rc < 0 ? rc : 0;
}

/* One use request in a group commit (see use_writer). */
struct use_job {
    const struct actor *a;
    const struct use_request *r;
    struct use *out;
    bool *replayed;
    struct error_details *d;
    int rc;
    store_done_fn done_fn; /* called once recorded or refused; then the job is freed */
    void *ctx;
    struct use_job *next;
    struct event event; /* scratch for the checks */
};

/* The checks and writes of one use, inside the batch's transaction. Sets
 * *wrote once it starts writing: a use refused before that has changed
 * nothing, while one that fails after it may have left a partial change. */
static int use_record_tx(struct conn *c, struct use_job *job, bool *wrote)
{
    const struct actor *a = job->a;
    const struct use_request *r = job->r;
    struct error_details *d = job->d;
    struct event *e = &job->event;
    struct card card;
    struct use_facts facts = {NULL, e, false};
    int rc = 0;
    if (d)
        *d = (struct error_details){0}; /* a batch run again decides afresh */
    /* R27: idempotency first; a replay writes nothing, not even audit. */
    if (r->idempotency_key[0]) {
        rc = use_by_key(c, a, r, job->out);
        if (rc == 0 && !same_request(job->out, r))
            rc = error_field(d, ERR_IDEMPOTENCY_CONFLICT, "idempotency_key");
        if (rc == 0 && job->replayed)
            *job->replayed = true;
        if (rc <= 0)
            return rc;
        rc = 0;
    }
    if ((unsigned)r->channel >= CHANNEL_COUNT)
        rc = error_field(d, ERR_INVALID_REQUEST, "channel");
    if (rc == 0)
        rc = event_in_scope(c, a, r->event, e, d);
    if (rc == 0) {
        rc = get_by_text(c, S_CARD_GET, r->card, read_card, &card, 1, NULL, NULL);
        facts.card = rc == 0 ? &card : NULL; /* unknown: use_check says so, in its order */
        rc = rc > 0 ? 0 : rc;
    }
    if (rc == 0 && facts.card)
        rc = adult_already(c, r, &facts.adult_already);
    if (rc == 0)
        rc = use_check(&facts, r, a->now, d); /* R13, R17, R24, R26, R15/R16 */
    if (rc != 0)
        return rc;
    *wrote = true;
    sqlite3_stmt *q = c->q[S_USE_ADD];
    bind_text(q, 1, r->card);
    bind_i64(q, 2, r->event);
    bind_i64(q, 3, r->adult);
    bind_i64(q, 4, r->child);
    bind_i64(q, 5, r->companion);
    bind_text(q, 6, name_of(&channel_names, (int)r->channel));
    bind_text(q, 7, a->user);
    bind_i64(q, 8, a->now);
    bind_opt_text(q, 9, r->idempotency_key);
    rc = run(q);
    int64_t id = sqlite3_last_insert_rowid(c->db);
    if (rc == 0) {
        bind_i64(c->q[S_EVENT_ADD_USED], 1, (int64_t)r->adult + r->child);
        bind_i64(c->q[S_EVENT_ADD_USED], 2, r->event);
        rc = run(c->q[S_EVENT_ADD_USED]);
    }
    if (rc == 0)
        rc = audit_add_id(c, a, "use.record", "use", id, e->region);
    if (rc == 0) {
        *job->out = (struct use){.id = id,
                                 .event = r->event,
                                 .adult = r->adult,
                                 .child = r->child,
                                 .companion = r->companion,
                                 .channel = r->channel,
                                 .recorded_at = a->now};
        memcpy(job->out->card, r->card, sizeof job->out->card);
        memcpy(job->out->recorded_by, a->user, sizeof job->out->recorded_by);
    }
    return rc;
}

/* Runs a batch of uses in one write transaction. Every refusal (a rule, an
 * unknown card, an idempotency conflict) is decided by reads before the use
 * writes anything, so the batch simply goes on without it. Should a use fail
 * after it started writing (an I/O error, a CHECK of the schema), the
 * transaction is rolled back and the batch runs again with a savepoint per
 * use, so that only that use fails. All that succeeded become durable
 * together at COMMIT; if the COMMIT fails, every one of them fails with it.
 * (Savepoints on every use would cost a copy of each changed page into the
 * statement journal, and memory churn, on the hot path.) */
static void use_batch_run(struct sq_store *s, struct use_job *batch, bool savepoints)
{
    struct conn *c = NULL;
    int rc = write_begin(s, &c);
    bool again = false;
    for (struct use_job *j = batch; j && rc == 0; j = j->next) {
        bool wrote = false;
        if (savepoints && (rc = run(c->q[S_SAVEPOINT])) != 0)
            break;
        j->rc = use_record_tx(c, j, &wrote);
        if (j->rc != 0 && j->replayed)
            *j->replayed = false;
        /* A failed read may have ended the transaction too (SQLite rolls
         * back on a full disk or an I/O error while spilling pages). */
        if (j->rc != 0 && !savepoints && (wrote || sqlite3_get_autocommit(c->db))) {
            rc = j->rc;
            again = true; /* roll back, then run the batch with savepoints */
            break;
        }
        if (savepoints && j->rc != 0)
            rc = run(c->q[S_ROLLBACK_TO]);
        if (savepoints && rc == 0)
            rc = run(c->q[S_RELEASE]);
    }
    rc = write_end(s, c, rc);
    if (again) {
        use_batch_run(s, batch, true);
        return;
    }
    for (struct use_job *j = batch; j && rc != 0; j = j->next)
        if (j->rc == 0)
            j->rc = rc;
}

/* R16, R27: the hot path. One thread records every use: it takes all
 * that is queued and runs it as one transaction (use_batch_run). Under load
 * one COMMIT and its WAL write serve many uses; a lone use is a batch of one.
 * Jobs queued before close are still recorded. */
static void *use_writer(void *arg)
{
    struct sq_store *s = arg;
    (void)prctl(PR_SET_NAME, "kaiku-writer");
    pthread_mutex_lock(&s->batch_mu);
    for (;;) {
        while (!s->queue && !s->stopping)
            pthread_cond_wait(&s->queued_cv, &s->batch_mu);
        if (!s->queue)
            break; /* stopping, and nothing left */
        struct use_job *batch = s->queue, *next;
        s->queue = NULL;
        s->queue_tail = &s->queue;
        pthread_mutex_unlock(&s->batch_mu);

        use_batch_run(s, batch, false);
        for (struct use_job *j = batch; j; j = next) {
            next = j->next;
            j->done_fn(j->ctx, j->rc);
            free(j);
        }
        pthread_mutex_lock(&s->batch_mu);
    }
    pthread_mutex_unlock(&s->batch_mu);
    return NULL;
}

static struct use_job *use_job_new(const struct actor *a, const struct use_request *r,
                                   struct use *out, bool *replayed, struct error_details *d)
{
    struct use_job *job = malloc(sizeof *job); /* 2 KiB with the event: off the stack */
    if (job)
        *job = (struct use_job){.a = a, .r = r, .out = out, .replayed = replayed, .d = d};
    if (replayed)
        *replayed = false;
    return job;
}

static int use_enqueue(struct sq_store *s, struct use_job *job)
{
    int rc = 0;
    pthread_mutex_lock(&s->batch_mu);
    if (s->stopping) {
        rc = -ERR_UNAVAILABLE;
    } else {
        *s->queue_tail = job;
        s->queue_tail = &job->next;
        pthread_cond_signal(&s->queued_cv);
    }
    pthread_mutex_unlock(&s->batch_mu);
    return rc;
}

static int sq_use_record_async(struct store *st, const struct actor *a, const struct use_request *r,
                               struct use *out, bool *replayed, struct error_details *d,
                               store_done_fn done_fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct use_job *job = use_job_new(a, r, out, replayed, d);
    if (!job)
        return -ERR_UNAVAILABLE;
    job->done_fn = done_fn;
    job->ctx = ctx;
    int rc = use_enqueue(s, job);
    if (rc != 0)
        free(job);
    return rc;
}

/* A caller of sq_use_record waiting for its use (under batch_mu). */
struct use_wait {
    struct sq_store *s;
    int rc;
    bool done;
};

static void use_waited(void *ctx, int rc)
{
    struct use_wait *w = ctx;
    pthread_mutex_lock(&w->s->batch_mu);
    w->rc = rc;
    w->done = true;
    pthread_cond_broadcast(&w->s->done_cv);
    pthread_mutex_unlock(&w->s->batch_mu);
}

/* The synchronous form: the asynchronous one, waited for. */
static int sq_use_record(struct store *st, const struct actor *a, const struct use_request *r,
                         struct use *out, bool *replayed, struct error_details *d)
{
    struct use_wait w = {sq(st), 0, false};
    int rc = sq_use_record_async(st, a, r, out, replayed, d, use_waited, &w);
    if (rc != 0)
        return rc;
    pthread_mutex_lock(&w.s->batch_mu);
    while (!w.done)
        pthread_cond_wait(&w.s->done_cv, &w.s->batch_mu);
    pthread_mutex_unlock(&w.s->batch_mu);
    return w.rc;
}

static int sq_use_undo(struct store *st, const struct actor *a, int64_t id)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct event *e = malloc(sizeof *e);
    struct use u;
    int rc = e ? write_begin(s, &c) : -ERR_UNAVAILABLE;
    if (rc == 0)
        rc = get_by_i64(c, S_USE_GET, id, read_use, &u, -ERR_NOT_FOUND, NULL, NULL);
    if (rc == 0 && u.undone_at != 0)
        rc = -ERR_NOT_FOUND; /* R25: undone once, then gone from every count */
    if (rc == 0)
        rc = event_in_scope(c, a, u.event, e, NULL);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_USE_UNDO];
    bind_text(q, 1, a->user);
    bind_i64(q, 2, a->now);
    bind_i64(q, 3, id);
    rc = run(q);
    if (rc == 0 && sqlite3_changes(c->db) == 0)
        rc = -ERR_NOT_FOUND;
    if (rc == 0) {
        bind_i64(c->q[S_EVENT_ADD_USED], 1, -((int64_t)u.adult + u.child));
        bind_i64(c->q[S_EVENT_ADD_USED], 2, u.event);
        rc = run(c->q[S_EVENT_ADD_USED]);
    }
    if (rc == 0)
        rc = audit_add_id(c, a, "use.undo", "use", id, e->region);
out:
    rc = write_end(s, c, rc);
    free(e);
    return rc;
}

static int sq_use_list(struct store *st, const struct actor *a, const struct use_filter *f,
                       store_use_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int rc = read_begin(s, &c);
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_USE_LIST];
    bind_opt_text(q, 1, f ? f->venue : NULL);
    bind_i64(q, 2, f ? f->event : 0);
    /* Event days [from, to] on Finnish clocks as instants [from 00:00, to+1 00:00). */
    bind_opt_i64(q, 3, f && f->from >= 0 ? hki_from_local(f->from, 0) : -1);
    bind_opt_i64(q, 4, f && f->to >= 0 ? hki_from_local(f->to + 1, 0) : -1);
    bind_i64(q, 5, f ? f->after_id : 0);
    /* The actor's scope narrows the query itself (a venue's staff see their
     * venue, a coordinator their region), so that a page never scans other
     * venues' rows; scope_allows below stays the rule (R32). */
    if (a->role == ROLE_VENUE && !(f && f->venue && f->venue[0]))
        bind_text(q, 1, a->scope);
    bind_opt_text(q, 7, a->role == ROLE_COORDINATOR ? a->scope : NULL);
    struct use_row row;
    char region[ID_MAX + 1];
    int cb = 0;
    while (cb == 0 && (rc = step(q)) == 1) {
        read_use(q, &row.use);
        col_text(q, 11, row.venue, sizeof row.venue);
        col_text(q, 12, row.event_name, sizeof row.event_name);
        row.event_starts_at = sqlite3_column_int64(q, 13);
        col_text(q, 14, region, sizeof region);
        const struct place p = {region, "", row.venue};
        if (scope_allows(a, &p))
            cb = fn(ctx, &row);
    }
    done(q);
    rc = cb != 0 ? cb : rc;
out:
    return read_end(s, c, rc);
}

/* ---- audit ---- */

static int sq_audit_list(struct store *st, const struct actor *a, const struct audit_filter *f,
                         store_audit_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    int rc = read_begin(s, &c);
    if (rc != 0)
        goto out;
    /* National sees every row; a coordinator the rows of their region. */
    if (a->role != ROLE_NATIONAL && a->role != ROLE_COORDINATOR) {
        rc = -ERR_FORBIDDEN;
        goto out;
    }
    sqlite3_stmt *q = c->q[S_AUDIT_LIST];
    bind_i64(q, 1, f ? f->from : 0);
    bind_i64(q, 2, f ? f->to : 0);
    bind_opt_text(q, 3, a->role == ROLE_COORDINATOR ? a->scope : NULL);
    bind_i64(q, 4, f ? f->after_id : 0);
    struct audit_entry e;
    while ((rc = step(q)) == 1) {
        read_audit(q, &e);
        if ((rc = fn(ctx, &e)) != 0)
            break;
    }
    done(q);
out:
    return read_end(s, c, rc);
}

/* ---- reports (R28–R31) ---- */

/* A read transaction on a pooled connection: every statement of a report
 * then reads the same snapshot (WAL), whatever is committed meanwhile. */
static int snapshot_begin(struct sq_store *s, struct conn **out)
{
    int rc = read_begin(s, out);
    if (rc == 0 && (rc = run((*out)->q[S_BEGIN_READ])) != 0) {
        read_end(s, *out, rc);
        *out = NULL;
    }
    return rc;
}

static int snapshot_end(struct sq_store *s, struct conn *c, int rc)
{
    if (!c)
        return rc;
    if (!sqlite3_get_autocommit(c->db))
        (void)run(c->q[S_COMMIT]); /* it only read: nothing to keep or lose */
    return read_end(s, c, rc);
}

static int sq_report_venue_usage(struct store *st, const struct actor *a, const char *venue,
                                 int32_t from, int32_t to, store_usage_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct place_buf place;
    int rc = snapshot_begin(s, &c);
    if (rc == 0)
        rc = venue_in_scope(c, a, venue, &place); /* R29: the coordinator sees it too */
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_REPORT_VENUE_USAGE];
    bind_text(q, 1, venue);
    /* Event days [from, to] on Finnish clocks as instants [from 00:00, to+1 00:00). */
    bind_i64(q, 2, hki_from_local(from, 0));
    bind_i64(q, 3, hki_from_local(to + 1, 0));
    struct usage_row row;
    int cb = 0;
    while (cb == 0 && (rc = step(q)) == 1) {
        col_text(q, 0, row.card, sizeof row.card);
        row.adult = sqlite3_column_int(q, 1);
        row.child = sqlite3_column_int(q, 2);
        col_text(q, 3, row.event, sizeof row.event);
        row.date = hki_day(sqlite3_column_int64(q, 4));
        cb = fn(ctx, &row);
    }
    done(q);
    rc = cb != 0 ? cb : rc;
out:
    return snapshot_end(s, c, rc);
}

static int sq_report_cardholders(struct store *st, const struct actor *a, const char *region,
                                 int year, report_count_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct place_buf place;
    int rc = snapshot_begin(s, &c);
    if (rc != 0)
        goto out;
    if (!region[0]) /* the whole country */
        rc = a->role == ROLE_NATIONAL ? 0 : -ERR_FORBIDDEN;
    else if ((rc = get_by_text(c, S_PLACE_REGION, region, read_place, &place, -ERR_NOT_FOUND, NULL,
                               NULL)) == 0) {
        const struct place p = place_of(&place);
        rc = forbidden_unless(a, &p);
    }
    if (rc != 0)
        goto out;
    sqlite3_stmt *q = c->q[S_REPORT_CARDHOLDERS];
    bind_opt_text(q, 1, region);
    bind_i64(q, 2, date_from_ymd(year, 1, 1));
    bind_i64(q, 3, date_from_ymd(year, 12, 31));
    struct cardholder_tally t;
    char text[ID_MAX + 1];
    cardholders_begin(&t, year, fn, ctx);
    int cb = 0;
    while (cb == 0 && (rc = step(q)) == 1) {
        col_text(q, 2, text, sizeof text);
        cb = cardholders_add(&t, (enum report_dim)sqlite3_column_int(q, 0),
                             sqlite3_column_int64(q, 1), text, sqlite3_column_int64(q, 3));
    }
    done(q);
    if (rc == 0 && cb == 0)
        cb = cardholders_end(&t);
    rc = cb != 0 ? cb : rc;
out:
    return snapshot_end(s, c, rc);
}

/* One handout of the year, for counting the cards used at least once. */
struct handed_card {
    char code[CODE_MAX]; /* zero-padded, not NUL-terminated when CODE_MAX long */
    uint32_t row;        /* index into the report's rows */
    bool used;
};

/* A code as the hash table's key: zero-padded to CODE_MAX bytes. */
static void code_key(char key[CODE_MAX], const unsigned char *code)
{
    memset(key, 0, CODE_MAX);
    if (code)
        memcpy(key, code, strnlen((const char *)code, CODE_MAX));
}

/* MurmurHash3's finalizer: every input bit reaches every output bit. */
static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 33);
}

static uint64_t code_hash(const char key[CODE_MAX])
{
    uint64_t a, b;
    memcpy(&a, key, 8);
    memcpy(&b, key + 8, 8);
    return mix64(a ^ mix64(b));
}

/* Open addressing over `cards`: slots hold an index + 1, 0 is empty. */
struct card_set {
    struct handed_card *cards;
    uint32_t *slots;
    size_t mask;
};

static struct handed_card *card_set_find(const struct card_set *set, const char key[CODE_MAX])
{
    for (size_t i = code_hash(key) & set->mask;; i = (i + 1) & set->mask) {
        uint32_t at = set->slots[i];
        if (at == 0)
            return NULL;
        if (memcmp(set->cards[at - 1].code, key, CODE_MAX) == 0)
            return &set->cards[at - 1];
    }
}

static int row_cmp(const void *key, const void *row)
{
    return strcmp(key, ((const struct national_row *)row)->region);
}

/* FIG_USED_ONCE of each row: the cards handed out in the year (?1..?2) with
 * a use not undone. The year's handouts go into a hash set; one pass over
 * the uses marks those it finds. The uses have no index by card (see
 * migration 002), and this is faster than one index probe per handout was.
 * Rows are by region, sorted; the pop-up venues' row ("", no cards) is not
 * among `rows`. */
static int used_once(struct conn *c, int64_t from_day, int64_t to_day, struct national_row *rows,
                     size_t nrows)
{
    struct card_set set = {NULL, NULL, 0};
    size_t n = 0, cap = 0;
    int rc;
    sqlite3_stmt *q = c->q[S_REPORT_HANDED_CARDS];
    bind_i64(q, 1, from_day);
    bind_i64(q, 2, to_day);
    while ((rc = step(q)) == 1) {
        const char *region = (const char *)sqlite3_column_text(q, 1);
        const struct national_row *row =
            region ? bsearch(region, rows, nrows, sizeof *rows, row_cmp) : NULL;
        if (!row)
            continue; /* a unit's region is NOT NULL, and every region has a row */
        if (n == cap) {
            size_t more = cap ? cap * 2 : 4096;
            struct handed_card *grown =
                more <= UINT32_MAX / 2 && more <= SIZE_MAX / sizeof *set.cards
                    ? realloc(set.cards, more * sizeof *set.cards)
                    : NULL;
            if (!grown) {
                rc = -ERR_UNAVAILABLE;
                break;
            }
            set.cards = grown;
            cap = more;
        }
        code_key(set.cards[n].code, sqlite3_column_text(q, 0));
        set.cards[n].row = (uint32_t)(row - rows);
        set.cards[n].used = false;
        n++;
    }
    done(q);
    size_t slots = 2;
    while (slots < 2 * n)
        slots *= 2;
    if (rc == 0 && n > 0 && !(set.slots = calloc(slots, sizeof *set.slots)))
        rc = -ERR_UNAVAILABLE;
    set.mask = slots - 1;
    for (size_t i = 0; set.slots && i < n; i++) {
        size_t at = code_hash(set.cards[i].code) & set.mask;
        while (set.slots[at] != 0)
            at = (at + 1) & set.mask;
        set.slots[at] = (uint32_t)(i + 1);
    }
    q = c->q[S_REPORT_USED_CARDS];
    while (set.slots && (rc = step(q)) == 1) {
        char key[CODE_MAX];
        code_key(key, sqlite3_column_text(q, 0));
        struct handed_card *hit = card_set_find(&set, key);
        if (hit)
            hit->used = true;
    }
    done(q);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rows[set.cards[i].row].figures.v[FIG_USED_ONCE] += set.cards[i].used;
    free(set.slots);
    free(set.cards);
    return rc;
}

static int sq_report_national(struct store *st, const struct actor *a, int year,
                              store_national_fn fn, void *ctx)
{
    struct sq_store *s = sq(st);
    struct conn *c = NULL;
    struct national_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = snapshot_begin(s, &c);
    if (rc != 0)
        goto out;
    if (a->role != ROLE_NATIONAL) { /* R31: the national statistics */
        rc = -ERR_FORBIDDEN;
        goto out;
    }
    int64_t from_day = date_from_ymd(year, 1, 1), to_day = date_from_ymd(year, 12, 31);
    sqlite3_stmt *q = c->q[S_REPORT_NATIONAL];
    bind_i64(q, 1, from_day);
    bind_i64(q, 2, to_day);
    bind_i64(q, 3, hki_day(a->now));
    bind_i64(q, 4, hki_from_local(date_from_ymd(year, 1, 1), 0));
    bind_i64(q, 5, hki_from_local(date_from_ymd(year + 1, 1, 1), 0));
    while ((rc = step(q)) == 1) {
        if (n == cap) {
            size_t more = cap ? cap * 2 : 32;
            struct national_row *grown = realloc(rows, more * sizeof *rows);
            if (!grown) {
                rc = -ERR_UNAVAILABLE;
                break;
            }
            rows = grown;
            cap = more;
        }
        struct national_row *row = &rows[n++];
        col_text(q, 0, row->region, sizeof row->region);
        col_text(q, 1, row->name, sizeof row->name);
        for (int i = 0; i < FIG_COUNT; i++)
            row->figures.v[i] = sqlite3_column_int64(q, 2 + i);
    }
    done(q);
    /* The pop-up row ("") comes last; the regions before it are sorted. */
    if (rc == 0)
        rc = used_once(c, from_day, to_day, rows, n > 0 && !rows[n - 1].region[0] ? n - 1 : n);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = fn(ctx, &rows[i]);
out:
    free(rows);
    return snapshot_end(s, c, rc);
}

static const struct store_ops sqlite_ops = {
    .close = sq_close,
    .migrate = sq_migrate,
    .region_add = sq_region_add,
    .region_get = sq_region_get,
    .region_list = sq_region_list,
    .unit_add = sq_unit_add,
    .unit_get = sq_unit_get,
    .unit_list = sq_unit_list,
    .venue_add = sq_venue_add,
    .venue_get = sq_venue_get,
    .venue_list = sq_venue_list,
    .user_add = sq_user_add,
    .user_get = sq_user_get,
    .user_list = sq_user_list,
    .user_disable = sq_user_disable,
    .user_set_password = sq_user_set_password,
    .session_add = sq_session_add,
    .session_get = sq_session_get,
    .session_delete = sq_session_delete,
    .api_key_add = sq_api_key_add,
    .api_key_list = sq_api_key_list,
    .api_key_revoke = sq_api_key_revoke,
    .api_key_find = sq_api_key_find,
    .stock_add = sq_stock_add,
    .transfer_request = sq_transfer_request,
    .transfer_decide = sq_transfer_decide,
    .transfer_list = sq_transfer_list,
    .card_get = sq_card_get,
    .handout_record = sq_handout_record,
    .card_cancel = sq_card_cancel,
    .stock_list = sq_stock_list,
    .handout_list = sq_handout_list,
    .stock_request = sq_stock_request,
    .event_add = sq_event_add,
    .event_get = sq_event_get,
    .event_update = sq_event_update,
    .event_list = sq_event_list,
    .use_record = sq_use_record,
    .use_record_async = sq_use_record_async,
    .use_undo = sq_use_undo,
    .use_list = sq_use_list,
    .audit_list = sq_audit_list,
    .report_venue_usage = sq_report_venue_usage,
    .report_cardholders = sq_report_cardholders,
    .report_national = sq_report_national,
};
