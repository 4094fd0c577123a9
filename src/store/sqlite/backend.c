/* The SQLite backend of backend.h: connections, transactions and
 * checkpoints. Its SQL is sql.c; its migrations are migrations/NNN_*.sql,
 * embedded at build time.
 *
 * Connections: reads take one from a small pool (POOL_MAX, opened lazily,
 * guarded by a mutex and a condition variable) for their duration. Every
 * write of this process goes through one more connection, `writer`, under
 * `write_mu`: writers wait on a mutex instead of SQLite's sleeping busy
 * handler, and the writer's page cache stays warm because no other
 * connection of the process changes the file under it. Writers of other
 * processes are met by busy_timeout. Each connection prepares every named
 * statement once (persistent) and resets it after use.
 *
 * A write is BEGIN IMMEDIATE … COMMIT: it holds the database's write lock
 * from its first statement, so whatever it reads stays as read until it
 * ends (the contract's "for update", R16), and ids are taken in commit
 * order (the paging contract).
 *
 * Checkpoints (only once serving): the writer does not checkpoint inside a
 * commit; its WAL hook wakes the `checkpointer` thread, which copies the WAL
 * back into the database on its own connection (PASSIVE: it never blocks
 * readers or the writer). It waits until the WAL holds a round of frames
 * (half the database, 1,000 to 32,768 pages): a page changed many times in
 * a round is copied once, so the bigger the round, the fewer copies (a use
 * of a random card changes a page of `cards` of its own). Past a round it
 * copies again after every commit, each pass shorter than the last while
 * copying outpaces writing, and once only a few frames are left the writer
 * copies them itself, so the WAL restarts and stays bounded (see
 * wal_finish; past two rounds the writer copies whatever is left). A
 * command that does not serve keeps SQLite's own automatic checkpoints. On
 * close SQLite checkpoints what is left. */
#include <assert.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "store/backend.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite.h"
#include "util/strutil.h"

#define POOL_MAX        8
#define BUSY_TIMEOUT_MS 5000
#define PATH_MAX_BYTES  4096
#define ROUND_MIN_PAGES 1000  /* SQLite's own autocheckpoint threshold */
#define ROUND_MAX_PAGES 32768 /* 128 MiB of frames */
#define WAL_RETRY_PAGES 1024  /* after a checkpoint held back by a reader */

/* The backend's own statements, prepared beside the named ones. */
enum own {
    O_BEGIN,
    O_BEGIN_READ,
    O_COMMIT,
    O_ROLLBACK,
    O_SAVEPOINT,
    O_ROLLBACK_TO,
    O_RELEASE,
    O_COUNT
};

static const char *const own_sql[O_COUNT] = {
    [O_BEGIN] = "BEGIN IMMEDIATE",   [O_BEGIN_READ] = "BEGIN DEFERRED",
    [O_COMMIT] = "COMMIT",           [O_ROLLBACK] = "ROLLBACK",
    [O_SAVEPOINT] = "SAVEPOINT one", [O_ROLLBACK_TO] = "ROLLBACK TO one",
    [O_RELEASE] = "RELEASE one",
};

struct sq_backend;

/* A transaction is its connection's: each connection has one at a time. */
struct sq_tx {
    struct bk_tx base; /* first: the store sees only this */
    struct sq_backend *s;
    struct conn *c;
    enum bk_tx_kind kind;
};

struct conn {
    sqlite3 *db;   /* NULL until first taken */
    bool prepared; /* every q[] and own[] prepared */
    sqlite3_stmt *q[STMT_COUNT];
    sqlite3_stmt *own[O_COUNT];
    struct sq_tx tx;
    struct conn *next; /* in the idle list */
};

struct sq_backend {
    struct backend base; /* first: the store sees only this */
    char path[PATH_MAX_BYTES];
    pthread_mutex_t mu; /* guards idle */
    pthread_cond_t cv;  /* signalled when a connection comes back */
    struct conn *idle;
    struct conn conns[POOL_MAX];
    pthread_mutex_t write_mu; /* guards writer, wal_pages … round_stale, wait_ms */
    struct conn writer;
    int wal_pages;    /* frames in the WAL after the writer's last commit */
    int round;        /* frames in the WAL before the checkpointer copies */
    int wal_force_at; /* past this the writer copies the rest, even a lot */
    bool round_stale; /* the WAL began afresh: round_set after the commit */
    int wait_ms;      /* how long a write waits for the lock */
    bool serving;     /* the checkpointer runs and the WAL hook is set */
    /* Commits of this process (backend.h, generation): bumped after each. */
    _Atomic uint64_t generation;

    /* The checkpointer thread and its own connection. */
    pthread_mutex_t ckpt_mu; /* guards ckpt_wanted … ckpt_copied */
    pthread_cond_t ckpt_cv;
    pthread_mutex_t ckpt_run_mu; /* held while either side checkpoints */
    bool ckpt_wanted, ckpt_stopping;
    /* The WAL's generation, and the checkpointer's last pass: of which
     * generation, frames copied. The generation moves on when the writer's
     * hook sees the WAL shorter than after the last commit (SQLite began it
     * afresh) and after the writer's own copy of every frame: a figure of an
     * older one is not counted. (A first commit after a restart that writes
     * more frames than the WAL had goes unseen; the writer may then copy
     * more than a 32nd of a round itself, once.) */
    int wal_gen, ckpt_gen, ckpt_copied;
    pthread_t ckpt_thread;
    bool ckpt_thread_started;
    sqlite3 *ckpt_db;
};

static struct sq_backend *sq(struct backend *b)
{
    return (struct sq_backend *)b;
}

static struct sq_tx *tx_of(struct bk_tx *t)
{
    return (struct sq_tx *)t;
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

/* ---- connections and the pool ---- */

static void conn_unprepare(struct conn *c)
{
    for (int i = 0; i < STMT_COUNT; i++) {
        sqlite3_finalize(c->q[i]);
        c->q[i] = NULL;
    }
    for (int i = 0; i < O_COUNT; i++) {
        sqlite3_finalize(c->own[i]);
        c->own[i] = NULL;
    }
    c->prepared = false;
}

static int prepare(struct conn *c, const char *text, sqlite3_stmt **out)
{
    int src = sqlite3_prepare_v3(c->db, text, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    /* A statement that does not prepare means the schema is missing
     * (store_migrate not run) or the file is not usable. */
    if (src != SQLITE_OK)
        return (src & 0xff) == SQLITE_ERROR ? -ERR_UNAVAILABLE : map_error(src);
    return 0;
}

static int conn_prepare(struct conn *c)
{
    int rc = 0;
    for (int i = 0; i < STMT_COUNT && rc == 0; i++)
        rc = prepare(c, sqlite_sql[i], &c->q[i]);
    for (int i = 0; i < O_COUNT && rc == 0; i++)
        rc = prepare(c, own_sql[i], &c->own[i]);
    if (rc == 0)
        c->prepared = true;
    else
        conn_unprepare(c);
    return rc;
}

/* synchronous = FULL: a commit is on disk (the WAL synced) before it is
 * acknowledged, so an acknowledged use survives a power cut, not only a
 * crash of kaiku (issue 15; docs/performance.md has its cost: one fsync per
 * commit, and the writer commits whole batches of uses). Only the writer
 * and migrations commit; readers' setting is moot.
 *
 * A path may be a "file:" URI (SQLITE_OPEN_URI), which lets a test choose a
 * VFS of its own by name ("file:/tmp/x.db?vfs=powercut"); a plain path
 * opens as before. */
#define OPEN_FLAGS (SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI)

static int conn_open(struct conn *c, const char *path)
{
    static const char pragmas[] = "PRAGMA journal_mode = WAL;"
                                  "PRAGMA foreign_keys = ON;"
                                  "PRAGMA synchronous = FULL;";
    int flags = OPEN_FLAGS | SQLITE_OPEN_CREATE;
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

static void conn_close(struct conn *c)
{
    conn_unprepare(c);
    sqlite3_close(c->db);
    c->db = NULL;
}

static void conn_give(struct sq_backend *s, struct conn *c)
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
static int conn_take(struct sq_backend *s, bool need_statements, struct conn **out)
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
    if (rc == 0 && need_statements && !c->prepared)
        rc = conn_prepare(c);
    if (rc != 0) {
        conn_give(s, c);
        c = NULL;
    }
    *out = c;
    return rc;
}

/* ---- statements ---- */

/* Binding fails only for a wrong index or type: programmer errors. Text and
 * blobs are bound SQLITE_STATIC: they live until the statement is reset. */
static void bind(sqlite3_stmt *q, int i, const struct bk_value *v)
{
    int rc = SQLITE_OK;
    switch (v->type) {
    case BK_NULL:
        rc = sqlite3_bind_null(q, i);
        break;
    case BK_INT:
        rc = sqlite3_bind_int64(q, i, v->i);
        break;
    case BK_TEXT:
        rc = sqlite3_bind_text(q, i, v->p, (int)v->n, SQLITE_STATIC);
        break;
    case BK_BLOB:
        rc = sqlite3_bind_blob(q, i, v->p, (int)v->n, SQLITE_STATIC);
        break;
    }
    assert(rc == SQLITE_OK);
    (void)rc;
}

static void column(sqlite3_stmt *q, int i, struct bk_value *v)
{
    switch (sqlite3_column_type(q, i)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
        *v = (struct bk_value){BK_INT, sqlite3_column_int64(q, i), NULL, 0};
        break;
    case SQLITE_TEXT:
        v->type = BK_TEXT;
        v->p = sqlite3_column_text(q, i);
        v->n = (size_t)sqlite3_column_bytes(q, i);
        v->i = 0;
        break;
    case SQLITE_BLOB:
        v->type = BK_BLOB;
        v->p = sqlite3_column_blob(q, i);
        v->n = (size_t)sqlite3_column_bytes(q, i);
        v->i = 0;
        break;
    default:
        *v = (struct bk_value){BK_NULL, 0, NULL, 0};
        break;
    }
}

/* Steps q to its end (an INSERT … RETURNING writes on its first step),
 * handing each row to fn until it returns non-zero. */
static int step_all(sqlite3_stmt *q, bk_row_fn fn, void *ctx)
{
    struct bk_value cols[BK_COLS_MAX];
    int src, cb = 0;
    while ((src = sqlite3_step(q)) == SQLITE_ROW) {
        if (!fn)
            continue;
        int n = sqlite3_column_count(q);
        assert(n <= BK_COLS_MAX);
        for (int i = 0; i < n; i++)
            column(q, i, &cols[i]);
        const struct bk_row row = {cols, (size_t)n};
        if ((cb = fn(ctx, &row)) != 0)
            break;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (cb != 0)
        return cb;
    return src == SQLITE_DONE ? 0 : map_error(src);
}

static int sq_run(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n,
                  bk_row_fn fn, void *ctx)
{
    struct conn *c = tx_of(t)->c;
    sqlite3_stmt *q = c->q[id];
    assert((int)n == sqlite3_bind_parameter_count(q));
    for (size_t i = 0; i < n; i++)
        bind(q, (int)i + 1, &args[i]);
    int rc = step_all(q, fn, ctx);
    if (rc == 0 && fn && sqlite_returns_rowid[id]) { /* the new id as the one row */
        const struct bk_value v = {BK_INT, sqlite3_last_insert_rowid(c->db), NULL, 0};
        const struct bk_row row = {&v, 1};
        rc = fn(ctx, &row);
    }
    return rc;
}

static int run_own(struct conn *c, enum own id)
{
    return step_all(c->own[id], NULL, NULL);
}

/* SQLite answers every statement at once: nothing is deferred. */
static int sq_sync(struct bk_tx *t)
{
    (void)t;
    return 0;
}

static int sq_savepoint(struct bk_tx *t, enum bk_savepoint op)
{
    static const enum own ops[] = {
        [BK_SAVEPOINT] = O_SAVEPOINT, [BK_ROLLBACK_TO] = O_ROLLBACK_TO, [BK_RELEASE] = O_RELEASE};
    return run_own(tx_of(t)->c, ops[op]);
}

static bool sq_alive(struct bk_tx *t)
{
    return !sqlite3_get_autocommit(tx_of(t)->c->db);
}

/* ---- transactions ---- */

/* The writer's WAL hook, after each commit: past a round, wake the
 * checkpointer (instead of checkpointing inside the commit). Under
 * write_mu: the hook runs inside COMMIT. */
static int on_wal_commit(void *ctx, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    struct sq_backend *s = ctx;
    bool restarted = pages < s->wal_pages; /* SQLite began the WAL afresh */
    if (restarted)
        s->round_stale = true; /* the database may have grown */
    else if (s->wal_pages == 0 && pages >= s->wal_force_at)
        s->wal_force_at = pages + s->round; /* a WAL left from before: copied in the background */
    s->wal_pages = pages;
    if (restarted || pages >= s->round) {
        pthread_mutex_lock(&s->ckpt_mu);
        s->wal_gen += restarted;
        s->ckpt_wanted |= pages >= s->round;
        pthread_cond_signal(&s->ckpt_cv);
        pthread_mutex_unlock(&s->ckpt_mu);
    }
    return SQLITE_OK;
}

/* A round: half the database's pages, within [ROUND_MIN_PAGES,
 * ROUND_MAX_PAGES], so that a small database keeps a small WAL (the last
 * one kept if the size cannot be read). Sets when the writer must copy at
 * the latest: after two rounds. Under write_mu. */
static void round_set(struct sq_backend *s, sqlite3 *db)
{
    sqlite3_stmt *q = NULL;
    int64_t pages = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        pages = sqlite3_column_int64(q, 0) / 2;
    sqlite3_finalize(q);
    if (pages >= 0)
        s->round = pages < ROUND_MIN_PAGES   ? ROUND_MIN_PAGES
                   : pages > ROUND_MAX_PAGES ? ROUND_MAX_PAGES
                                             : (int)pages;
    s->wal_force_at = 2 * s->round;
    s->round_stale = false;
}

/* After a pass that copied every frame: SQLite may begin the WAL afresh,
 * so no figure of this one is counted any more. */
static void wal_gen_next(struct sq_backend *s)
{
    pthread_mutex_lock(&s->ckpt_mu);
    s->wal_gen++;
    pthread_mutex_unlock(&s->ckpt_mu);
}

/* Opens the writer connection (under write_mu) when it is not yet. */
static int writer_ready(struct sq_backend *s)
{
    struct conn *c = &s->writer;
    int rc = 0;
    if (!c->db && (rc = conn_open(c, s->path)) == 0) {
        (void)sqlite3_exec(c->db, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
        round_set(s, c->db);
        if (s->serving)
            sqlite3_wal_hook(c->db, on_wal_commit, s);
        sqlite3_busy_timeout(c->db, s->wait_ms);
    }
    if (rc == 0 && !c->prepared)
        rc = conn_prepare(c);
    return rc;
}

/* Takes the write lock and begins a write transaction on the writer
 * connection. On error *out is NULL and nothing is held. */
static int write_begin(struct sq_backend *s, struct bk_tx **out)
{
    *out = NULL;
    /* The lock may be waited for BUSY_TIMEOUT_MS, as long as a command's
     * connection waits for another process's writer; after that the caller
     * gets 503. Once serving only the writer thread takes it, so nobody waits
     * here behind another writer of this process. */
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += BUSY_TIMEOUT_MS / 1000;
    if (pthread_mutex_timedlock(&s->write_mu, &until) != 0)
        return -ERR_UNAVAILABLE;
    int rc = writer_ready(s);
    if (rc == 0)
        rc = run_own(&s->writer, O_BEGIN);
    if (rc != 0) {
        pthread_mutex_unlock(&s->write_mu);
        return rc;
    }
    s->writer.tx = (struct sq_tx){{&sqlite_backend}, s, &s->writer, BK_WRITE};
    *out = &s->writer.tx.base;
    return 0;
}

/* After a commit past a round: the writer copies what the checkpointer
 * left, once that is little (a 32nd of a round) and the checkpointer is not
 * copying, so that no write waits behind a long copy. The checkpointer
 * copies the WAL while writes go on, so it never catches up with the last
 * frames, and SQLite starts the WAL afresh only once every frame is copied.
 * Past wal_force_at (the checkpointer fell behind, or a reader held it
 * back) the writer waits for it and copies whatever is left. */
static void wal_finish(struct sq_backend *s, struct conn *c)
{
    pthread_mutex_lock(&s->ckpt_mu);
    int left = s->ckpt_gen == s->wal_gen ? s->wal_pages - s->ckpt_copied : s->wal_pages;
    pthread_mutex_unlock(&s->ckpt_mu);
    bool forced = s->wal_pages >= s->wal_force_at;
    if (forced)
        pthread_mutex_lock(&s->ckpt_run_mu);
    else if (left > s->round / 32 || pthread_mutex_trylock(&s->ckpt_run_mu) != 0)
        return;
    int frames = 0, copied = 0;
    int src = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
    pthread_mutex_unlock(&s->ckpt_run_mu);
    if (src == SQLITE_OK && copied == frames) {
        wal_gen_next(s);
        round_set(s, c->db); /* the database may have grown */
    } else if (forced) {
        /* A long read (a report) can hold back the copy; then force it
         * again only after another WAL_RETRY_PAGES, not after every commit. */
        s->wal_force_at = s->wal_pages + WAL_RETRY_PAGES;
    }
}

static int write_end(struct sq_backend *s, struct conn *c, int rc)
{
    if (rc == 0)
        rc = run_own(c, O_COMMIT);
    if (rc != 0 && !sqlite3_get_autocommit(c->db))
        (void)run_own(c, O_ROLLBACK);
    if (rc == 0) /* after the commit: a reader that sees the new number sees the data */
        atomic_fetch_add(&s->generation, 1);
    if (rc == 0 && s->round_stale)
        round_set(s, c->db);
    if (rc == 0 && s->serving && s->wal_pages >= s->round)
        wal_finish(s, c);
    pthread_mutex_unlock(&s->write_mu);
    return rc;
}

static int sq_begin(struct backend *b, enum bk_tx_kind kind, struct bk_tx **out)
{
    struct sq_backend *s = sq(b);
    if (kind == BK_WRITE)
        return write_begin(s, out);
    struct conn *c = NULL;
    *out = NULL;
    int rc = conn_take(s, true, &c);
    /* A read transaction on a pooled connection: every statement of a
     * snapshot then reads the same picture (WAL), whatever is committed
     * meanwhile. A plain read is autocommit, statement by statement. */
    if (rc == 0 && kind == BK_SNAPSHOT && (rc = run_own(c, O_BEGIN_READ)) != 0)
        conn_give(s, c);
    if (rc == 0) {
        c->tx = (struct sq_tx){{&sqlite_backend}, s, c, kind};
        *out = &c->tx.base;
    }
    return rc;
}

static int sq_end(struct bk_tx *bt, int rc)
{
    if (!bt)
        return rc;
    struct sq_tx *t = tx_of(bt);
    struct sq_backend *s = t->s;
    if (t->kind == BK_WRITE)
        return write_end(s, t->c, rc);
    if (!sqlite3_get_autocommit(t->c->db))
        (void)run_own(t->c, O_COMMIT); /* it only read: nothing to keep or lose */
    conn_give(s, t->c);
    return rc;
}

/* ---- open, serve, close ---- */

/* Copies the WAL back into the database whenever the writer's hook asks. */
static void *checkpointer(void *arg)
{
    struct sq_backend *s = arg;
    (void)prctl(PR_SET_NAME, "kaiku-ckpt"); /* as top and perf show it */
    pthread_mutex_lock(&s->ckpt_mu);
    for (;;) {
        while (!s->ckpt_wanted && !s->ckpt_stopping)
            pthread_cond_wait(&s->ckpt_cv, &s->ckpt_mu);
        if (s->ckpt_stopping)
            break;
        s->ckpt_wanted = false;
        int gen = s->wal_gen, copied = -1;
        pthread_mutex_unlock(&s->ckpt_mu);
        /* A new connection knows the file is in WAL mode only once it has
         * read from it; until then a checkpoint does nothing. */
        if (!s->ckpt_db && (sqlite3_open_v2(s->path, &s->ckpt_db, OPEN_FLAGS, NULL) != SQLITE_OK ||
                            sqlite3_exec(s->ckpt_db, "SELECT count(*) FROM sqlite_schema", NULL,
                                         NULL, NULL) != SQLITE_OK)) {
            sqlite3_close(s->ckpt_db);
            s->ckpt_db = NULL;
        }
        /* A busy or failed checkpoint is simply tried again after the
         * next commits; the WAL stays correct meanwhile. */
        if (s->ckpt_db) {
            int frames = 0;
            pthread_mutex_lock(&s->ckpt_run_mu);
            (void)sqlite3_wal_checkpoint_v2(s->ckpt_db, NULL, SQLITE_CHECKPOINT_PASSIVE, &frames,
                                            &copied);
            pthread_mutex_unlock(&s->ckpt_run_mu);
        }
        pthread_mutex_lock(&s->ckpt_mu);
        /* Of the generation the pass began in, if that is still the
         * current one (a pass of a newer one is simply not counted). A pass
         * that copied all frames there were at its start usually finds more
         * appended meanwhile, so the WAL goes on: its figure counts. */
        if (copied >= 0) {
            s->ckpt_gen = gen;
            s->ckpt_copied = copied;
        }
    }
    pthread_mutex_unlock(&s->ckpt_mu);
    return NULL;
}

static int sq_serve(struct backend *b, int wait_ms)
{
    struct sq_backend *s = sq(b);
    int rc = 0;
    pthread_mutex_lock(&s->write_mu);
    if (!s->serving) {
        s->ckpt_thread_started = pthread_create(&s->ckpt_thread, NULL, checkpointer, s) == 0;
        rc = s->ckpt_thread_started ? 0 : -ERR_UNAVAILABLE;
    }
    if (rc == 0) {
        s->serving = true;
        s->wait_ms = wait_ms;
        if (s->writer.db) {
            sqlite3_wal_hook(s->writer.db, on_wal_commit, s);
            sqlite3_busy_timeout(s->writer.db, wait_ms);
        }
    }
    pthread_mutex_unlock(&s->write_mu);
    return rc;
}

static void sq_close(struct backend *b)
{
    struct sq_backend *s = sq(b);
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
    pthread_cond_destroy(&s->ckpt_cv);
    pthread_mutex_destroy(&s->ckpt_mu);
    pthread_mutex_destroy(&s->ckpt_run_mu);
    free(s);
}

static int sq_open(const char *path, struct backend **out)
{
    *out = NULL;
    struct sq_backend *s = calloc(1, sizeof *s);
    if (!s)
        return -ERR_UNAVAILABLE;
    int rc = 0;
    s->base.ops = &sqlite_backend;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_mutex_init(&s->write_mu, NULL);
    pthread_mutex_init(&s->ckpt_mu, NULL);
    pthread_mutex_init(&s->ckpt_run_mu, NULL);
    pthread_cond_init(&s->ckpt_cv, NULL);
    s->round = ROUND_MIN_PAGES;
    s->wal_force_at = 2 * ROUND_MIN_PAGES;
    s->ckpt_gen = -1;
    s->wait_ms = BUSY_TIMEOUT_MS;
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
out:
    if (rc != 0)
        sq_close(&s->base);
    else
        *out = &s->base;
    return rc;
}

/* ---- migrations ---- */

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

static int sq_migrate(struct backend *b, int *from, int *to)
{
    struct sq_backend *s = sq(b);
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
    atomic_fetch_add(&s->generation, 1);
    pthread_mutex_unlock(&s->write_mu);
out:
    conn_give(s, c);
    if (rc == 0 && from)
        *from = first;
    if (rc == 0 && to)
        *to = version;
    return rc;
}

static int sq_version(struct backend *b, int *current, int *latest)
{
    struct sq_backend *s = sq(b);
    struct conn *c = NULL;
    int rc = conn_take(s, false, &c);
    if (rc == 0)
        rc = user_version(c->db, current);
    conn_give(s, c);
    *latest = migrations_count;
    return rc;
}

/* ---- backup and restore (SQLite's backup API) ---- */

/* Copies all of src's main database into dst's in one step: one read
 * transaction of src (a consistent snapshot, which in WAL mode blocks no
 * writer) and one write transaction of dst, rolled back on any error. */
static int backup_copy(sqlite3 *dst, sqlite3 *src)
{
    sqlite3_backup *bk = sqlite3_backup_init(dst, "main", src, "main");
    if (!bk)
        return map_error(sqlite3_extended_errcode(dst));
    int step = sqlite3_backup_step(bk, -1);
    int fin = sqlite3_backup_finish(bk);
    if (step != SQLITE_DONE)
        return map_error(step);
    return fin == SQLITE_OK ? 0 : map_error(fin);
}

/* fsync of a file or a directory by path. */
static int sync_path(const char *path, bool directory)
{
    int fd = open(path, (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -ERR_UNAVAILABLE;
    int rc = fsync(fd) == 0 ? 0 : -ERR_UNAVAILABLE;
    close(fd);
    return rc;
}

static int sq_backup(struct backend *b, const char *path)
{
    struct sq_backend *s = sq(b);
    char tmp[PATH_MAX_BYTES + 16], dir[PATH_MAX_BYTES];
    struct conn *c = NULL;
    sqlite3 *dst = NULL;
    int fd = -1, rc = 0;
    if (access(path, F_OK) == 0)
        return -ERR_ALREADY_EXISTS;
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= sizeof tmp ||
        str_copy(dir, sizeof dir, path) != 0)
        return -ERR_INVALID_REQUEST;
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = '\0';
    else
        str_copy(dir, sizeof dir, ".");
    if ((fd = mkstemp(tmp)) < 0) /* mode 0600: the backup holds password hashes */
        return -ERR_UNAVAILABLE;
    close(fd);
    if ((rc = conn_take(s, false, &c)) != 0)
        goto out;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = -ERR_UNAVAILABLE;
        goto out;
    }
    rc = backup_copy(dst, c->db);
    /* One file, no -wal beside it: the copy keeps the source's WAL mark. */
    if (rc == 0 && sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
        rc = -ERR_UNAVAILABLE;
    if (sqlite3_close(dst) != SQLITE_OK && rc == 0)
        rc = -ERR_UNAVAILABLE;
    dst = NULL;
    if (rc == 0)
        rc = sync_path(tmp, false);
    /* link, not rename: a file that appeared at `path` meanwhile is kept. */
    if (rc == 0 && link(tmp, path) != 0)
        rc = access(path, F_OK) == 0 ? -ERR_ALREADY_EXISTS : -ERR_UNAVAILABLE;
    if (rc == 0)
        rc = sync_path(dir, true);
out:
    conn_give(s, c);
    unlink(tmp);
    return rc;
}

/* A backup this build can restore: SQLite finds it sound, and its schema
 * version is one of ours (migrate brings an older one up to date). */
static int backup_check(sqlite3 *src)
{
    sqlite3_stmt *q = NULL;
    int version = 0;
    bool ok = sqlite3_prepare_v2(src, "PRAGMA quick_check", -1, &q, NULL) == SQLITE_OK &&
              sqlite3_step(q) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(q, 0), "ok") == 0;
    sqlite3_finalize(q);
    if (ok && user_version(src, &version) != 0)
        ok = false;
    return ok && version >= 1 && version <= migrations_count ? 0 : -ERR_INVALID_REQUEST;
}

static int sq_restore(struct backend *b, const char *path)
{
    struct sq_backend *s = sq(b);
    sqlite3 *src = NULL;
    int rc = 0;
    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        sqlite3_close(src);
        return -ERR_INVALID_REQUEST;
    }
    rc = backup_check(src);
    pthread_mutex_lock(&s->write_mu);
    if (rc == 0)
        rc = writer_ready(s);
    if (rc == 0)
        rc = backup_copy(s->writer.db, src);
    /* The backup is in rollback-journal mode; the register runs in WAL. */
    if (rc == 0 &&
        sqlite3_exec(s->writer.db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK)
        rc = -ERR_UNAVAILABLE;
    atomic_fetch_add(&s->generation, 1); /* even a failed restore may have written */
    pthread_mutex_unlock(&s->write_mu);
    sqlite3_close(src);
    return rc;
}

static uint64_t sq_generation(struct backend *b)
{
    return atomic_load(&sq(b)->generation);
}

const struct backend_ops sqlite_backend = {
    .shared = false,
    .open = sq_open,
    .close = sq_close,
    .migrate = sq_migrate,
    .version = sq_version,
    .serve = sq_serve,
    .begin = sq_begin,
    .end = sq_end,
    .run = sq_run,
    .savepoint = sq_savepoint,
    .sync = sq_sync,
    .alive = sq_alive,
    .backup = sq_backup,
    .restore = sq_restore,
    .generation = sq_generation,
};
