/* The PostgreSQL backend of backend.h (issue 18), over libpq. Its SQL is
 * sql.c; its migrations are migrations/NNN_*.sql, embedded at build time.
 *
 * Connections: every transaction takes one from a small pool (POOL_MAX,
 * opened lazily, guarded by a mutex and a condition variable) for its
 * duration. Each connection prepares a named statement the first time it
 * runs it ("sN", N its stmt id) and keeps it. Arguments go as text (numbers
 * in decimal) or, for blobs, binary; results come as text and are turned
 * back into bk_values by the column's type. A copy's read of a whole table
 * goes through a cursor, a batch of rows at a time (run_cursor).
 *
 * Faults (issue 18, item 5; docs/decisions.md, "PostgreSQL outages"): a
 * connection is opened with a connect timeout and TCP keepalives unless the
 * URL sets its own; a pooled connection is checked before each use (a
 * server that restarted has closed it) and opened afresh when it broke;
 * after a failed connect nobody tries again for BACKOFF_MS, so requests
 * during an outage get -ERR_UNAVAILABLE (503) at once. While serving, a
 * statement runs at most STATEMENT_TIMEOUT_MS on the server, and a server
 * that has not answered ANSWER_GRACE_MS after that is taken as gone (the
 * connection is closed). A COMMIT whose answer is lost is -ERR_UNAVAILABLE:
 * it may or may not have committed, and it is never reported as done.
 *
 * Transactions: BK_READ is autocommit, statement by statement; BK_SNAPSHOT
 * is REPEATABLE READ READ ONLY; BK_WRITE takes a transaction-scoped
 * advisory lock at begin, so writes of every process on the database are
 * serialised, ids are taken in commit order (the paging contract), and a
 * row read FOR UPDATE (S_EVENT_LOCK) stays as read (R16).
 *
 * The change generation: several servers may share the database and this
 * process sees none of the others' commits, so every call answers a new
 * number (backend.h): a kept page is never taken as fresh. */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/error.h"
#include "store/backend.h"
#include "store/pg/pg.h"

#define POOL_MAX       8
#define URL_MAX_BYTES  4096
#define LOCK_WAIT_MS   5000         /* a write waits this long for another's lock */
#define WRITE_LOCK_KEY "1801544053" /* any fixed number: kaiku's one lock */
/* The advisory lock of writes: one number for kaiku's database. */
#define WRITE_LOCK_SQL "SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")"

#define POOL_WAIT_MS         10000 /* a transaction waits this long for a free connection */
#define BACKOFF_MS           1000  /* after a failed connect, none is tried for this long */
#define STATEMENT_TIMEOUT_MS 30000 /* while serving: the server cancels a statement */
#define ANSWER_GRACE_MS      5000  /* …and a server silent this long after that is gone */
#define PARAMS_MAX           64    /* libpq's connection keywords, and kaiku's defaults */

/* Connection parameters kaiku sets unless the URL sets them (libpq's
 * keywords): a connect that gets no answer fails in seconds, and a TCP
 * connection to a host that vanished is noticed, idle (keepalives) or
 * sending (tcp_user_timeout, milliseconds). libpq ignores the TCP ones on a
 * unix socket. */
static const char *const param_defaults[][2] = {
    {"connect_timeout", "3"},      {"keepalives", "1"},       {"keepalives_idle", "30"},
    {"keepalives_interval", "10"}, {"keepalives_count", "3"}, {"tcp_user_timeout", "30000"},
    {"application_name", "kaiku"},
};

/* PostgreSQL's type oids of the columns kaiku reads (pg_type.h). */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_NUMERIC = 1700
};

struct pg_backend;

struct pg_tx {
    struct bk_tx base; /* first: the store sees only this */
    struct pg_backend *s;
    struct conn *c;
    enum bk_tx_kind kind;
};

struct conn {
    PGconn *pg;  /* NULL until first taken, and again after it broke */
    bool broken; /* the server ended it, or did not answer: closed when given back */
    bool prepared[STMT_COUNT];
    /* Deferred statements (stmt.h's DEFERRABLE) of the write transaction,
     * sent in pipeline mode and not yet answered: see pipe_send. */
    bool piped;    /* in libpq's pipeline mode */
    int pending;   /* results still to read, one per statement sent */
    bool no_defer; /* after a savepoint: every statement answered at once */
    bool reopen;   /* a deferred statement failed: a statement prepared in
                      the pipeline after it may not exist; start afresh */
    struct pg_backend *s;
    struct pg_tx tx;
    struct conn *next; /* in the idle list */
};

struct pg_backend {
    struct backend base;          /* first: the store sees only this */
    PQconninfoOption *url_params; /* the URL's, parsed */
    const char *keys[PARAMS_MAX + 1], *values[PARAMS_MAX + 1];
    pthread_mutex_t mu; /* guards idle */
    pthread_cond_t cv;  /* on the monotonic clock */
    struct conn *idle;
    struct conn conns[POOL_MAX];
    int wait_ms;
    _Atomic bool serving;           /* statements have a deadline */
    _Atomic bool down;              /* the last connect failed, or a connection broke */
    _Atomic int64_t retry_after_ms; /* no connect before this (monotonic) */
    _Atomic uint64_t generation;
};

static struct pg_backend *pgb(struct backend *b)
{
    return (struct pg_backend *)b;
}

static struct pg_tx *tx_of(struct bk_tx *t)
{
    return (struct pg_tx *)t;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the server's state, as the log tells it ---- */

/* libpq's message (lines ending in "\n") on one line of the log. */
static void log_line(const char *what, const char *msg)
{
    char line[512];
    size_t n = 0;
    for (const char *p = msg ? msg : ""; *p && n + 1 < sizeof line; p++)
        line[n++] = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
    while (n > 0 && line[n - 1] == ' ')
        n--;
    line[n] = '\0';
    fprintf(stderr, "kaiku: PostgreSQL %s%s%s\n", what, n ? ": " : "", line);
}

/* The reason goes to the command line's one line (store_reason); a server
 * logs once per outage when the server is first found away, and back. */
static void went_down(struct pg_backend *s, const char *msg)
{
    bk_reason_set(msg);
    if (atomic_load(&s->serving) && !atomic_exchange(&s->down, true))
        log_line("unavailable, answering 503 until it is back", msg);
}

static void came_up(struct pg_backend *s)
{
    if (atomic_load(&s->down) && atomic_exchange(&s->down, false))
        log_line("available again", NULL);
}

static void notice(void *arg, const char *msg)
{
    (void)arg;
    log_line("says", msg);
}

/* SQLSTATE → kaiku error: the class (two characters) or the whole code. */
static int map_sqlstate(const char *state)
{
    static const struct {
        const char *state;
        enum kaiku_error err;
    } map[] = {
        {"23505", ERR_ALREADY_EXISTS},  {"23503", ERR_NOT_FOUND},    {"23514", ERR_INVALID_REQUEST},
        {"23502", ERR_INVALID_REQUEST}, {"23", ERR_INVALID_REQUEST}, {"22", ERR_INVALID_REQUEST},
        {"08", ERR_UNAVAILABLE},        {"57", ERR_UNAVAILABLE},     {"53", ERR_UNAVAILABLE},
        {"55P03", ERR_UNAVAILABLE},     {"40", ERR_UNAVAILABLE},     {"42P01", ERR_UNAVAILABLE},
        {"3D", ERR_UNAVAILABLE},        {"28", ERR_UNAVAILABLE},
    };
    if (!state)
        return -ERR_UNAVAILABLE; /* no answer from the server: the connection broke */
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncmp(state, map[i].state, strlen(map[i].state)) == 0)
            return -(int)map[i].err;
    return -ERR_INTERNAL;
}

/* The error of a result (NULL: out of memory, a broken connection or no
 * answer in time). A connection the server ended (08: connection
 * exceptions; 57P01–57P05: shutdown, crash, not yet accepting, database
 * dropped, idle too long) is marked broken, even before libpq has read the
 * end of it. */
static int result_error(struct conn *c, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (!r || PQstatus(c->pg) != CONNECTION_OK || (state && strncmp(state, "08", 2) == 0) ||
        (state && strncmp(state, "57P0", 4) == 0)) {
        c->broken = true;
        went_down(c->s, r       ? PQresultErrorMessage(r)
                        : c->pg ? PQerrorMessage(c->pg)
                                : "no answer in time, connection closed");
        return -ERR_UNAVAILABLE;
    }
    switch (PQresultStatus(r)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
        return 0;
    default:
        return map_sqlstate(state);
    }
}

/* ---- connections and the pool ---- */

static void conn_close(struct conn *c)
{
    PQfinish(c->pg);
    c->pg = NULL;
    c->broken = false;
    memset(c->prepared, 0, sizeof c->prepared);
    c->piped = c->reopen = false;
    c->pending = 0;
}

/* Waits until c's socket is readable or the deadline (0: none) passes. */
static bool readable(struct conn *c, int64_t deadline)
{
    for (;;) {
        int wait = -1;
        if (deadline) {
            int64_t left = deadline - now_ms();
            if (left <= 0)
                return false;
            wait = left > 60000 ? 60000 : (int)left;
        }
        struct pollfd p = {PQsocket(c->pg), POLLIN, 0};
        int n = poll(&p, 1, wait);
        if (n > 0)
            return true;
        if (n < 0 && errno != EINTR)
            return false;
    }
}

/* The next result of what was sent on c (NULL after a statement's last
 * one). While serving, a server that has not answered by the deadline is
 * given up: the connection is closed (the server rolls back what it had
 * begun) and marked broken, and the result is NULL. */
static PGresult *next_result(struct conn *c)
{
    if (!c->pg)
        return NULL;
    int64_t deadline =
        atomic_load(&c->s->serving) ? now_ms() + STATEMENT_TIMEOUT_MS + ANSWER_GRACE_MS : 0;
    while (PQisBusy(c->pg)) {
        if (!readable(c, deadline)) {
            went_down(c->s, "no answer in time, connection closed");
            /* PQfinish's goodbye must not wait on a server that reads nothing */
            (void)shutdown(PQsocket(c->pg), SHUT_RDWR);
            conn_close(c);
            c->broken = true;
            return NULL;
        }
        if (!PQconsumeInput(c->pg))
            break; /* PQgetResult says why */
    }
    return PQgetResult(c->pg);
}

/* The answer to what was just sent on c (sent: PQsend*'s answer): the last
 * result, or the first error among several; NULL when none came in time
 * (next_result). */
static PGresult *answer(struct conn *c, int sent)
{
    if (!sent)
        return NULL;
    if (PQpipelineStatus(c->pg) != PQ_PIPELINE_OFF) { /* never: pipe_* leave it */
        c->broken = true;
        return NULL;
    }
    PGresult *last = NULL, *r;
    while ((r = next_result(c)) != NULL) {
        if (last && PQresultStatus(last) == PGRES_FATAL_ERROR) {
            PQclear(r);
        } else {
            PQclear(last);
            last = r;
        }
        if (PQstatus(c->pg) != CONNECTION_OK)
            break;
    }
    if (c->broken && !c->pg) { /* given up: no answer */
        PQclear(last);
        return NULL;
    }
    return last;
}

static PGresult *exec_sql(struct conn *c, const char *sql)
{
    return c->pg ? answer(c, PQsendQuery(c->pg, sql)) : NULL;
}

static int exec_simple(struct conn *c, const char *sql)
{
    PGresult *r = exec_sql(c, sql);
    int rc = result_error(c, r);
    PQclear(r);
    return rc;
}

/* Whether a pooled connection is still good. One that sits idle receives
 * nothing, unless the server ended it (a restart: a FATAL message, then
 * the end of the stream), so anything to read is read, and tells. */
static bool conn_good(struct conn *c)
{
    if (!c->pg || c->broken || PQstatus(c->pg) != CONNECTION_OK)
        return false;
    for (int i = 0; i < 4; i++) {
        struct pollfd p = {PQsocket(c->pg), POLLIN, 0};
        if (poll(&p, 1, 0) <= 0)
            return PQtransactionStatus(c->pg) == PQTRANS_IDLE;
        if (!PQconsumeInput(c->pg) || PQstatus(c->pg) != CONNECTION_OK)
            return false;
    }
    return false; /* still more: not an idle connection's */
}

static int conn_open(struct pg_backend *s, struct conn *c)
{
    c->broken = false;
    if (now_ms() < atomic_load(&s->retry_after_ms))
        return -ERR_UNAVAILABLE; /* tried a moment ago: answer at once */
    c->pg = PQconnectdbParams(s->keys, s->values, 0);
    if (PQstatus(c->pg) != CONNECTION_OK) {
        atomic_store(&s->retry_after_ms, now_ms() + BACKOFF_MS);
        went_down(s, c->pg ? PQerrorMessage(c->pg) : "out of memory");
        conn_close(c);
        return -ERR_UNAVAILABLE;
    }
    PQsetNoticeProcessor(c->pg, notice, NULL);
    char set[160];
    int n = snprintf(set, sizeof set, "SET lock_timeout = %d; SET client_min_messages = warning",
                     s->wait_ms);
    if (atomic_load(&s->serving))
        snprintf(set + n, sizeof set - (size_t)n, "; SET statement_timeout = %d",
                 STATEMENT_TIMEOUT_MS);
    int rc = exec_simple(c, set);
    if (rc != 0)
        conn_close(c);
    else
        came_up(s);
    return rc;
}

static void conn_give(struct pg_backend *s, struct conn *c)
{
    if (!c)
        return;
    /* A connection that broke, or was left in pipeline mode by a failure,
     * is opened afresh when next taken. */
    if (c->pg && (c->broken || c->reopen || PQstatus(c->pg) != CONNECTION_OK ||
                  PQpipelineStatus(c->pg) != PQ_PIPELINE_OFF))
        conn_close(c);
    pthread_mutex_lock(&s->mu);
    c->next = s->idle;
    s->idle = c;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

static int conn_take(struct pg_backend *s, struct conn **out)
{
    *out = NULL;
    int64_t until = now_ms() + POOL_WAIT_MS;
    const struct timespec ts = {(time_t)(until / 1000), (long)(until % 1000) * 1000000};
    pthread_mutex_lock(&s->mu);
    while (!s->idle)
        if (pthread_cond_timedwait(&s->cv, &s->mu, &ts) == ETIMEDOUT && !s->idle) {
            pthread_mutex_unlock(&s->mu);
            return -ERR_UNAVAILABLE; /* every connection busy for that long */
        }
    struct conn *c = s->idle;
    s->idle = c->next;
    pthread_mutex_unlock(&s->mu);
    if (c->pg && !conn_good(c))
        conn_close(c);
    int rc = c->pg ? 0 : conn_open(s, c);
    if (rc != 0) {
        conn_give(s, c);
        c = NULL;
    }
    *out = c;
    return rc;
}

/* The URL's parameters, then kaiku's defaults for those it does not set,
 * for PQconnectdbParams. */
static int params_set(struct pg_backend *s, const char *url)
{
    char *err = NULL;
    s->url_params = PQconninfoParse(url, &err);
    if (!s->url_params) {
        bk_reason_set(err ? err : "out of memory");
        PQfreemem(err);
        return -ERR_INVALID_REQUEST;
    }
    size_t n = 0;
    for (PQconninfoOption *o = s->url_params; o->keyword && n < PARAMS_MAX; o++) {
        if (o->val) {
            s->keys[n] = o->keyword;
            s->values[n++] = o->val;
        }
    }
    for (size_t d = 0; d < sizeof param_defaults / sizeof param_defaults[0]; d++) {
        bool set = false;
        for (size_t i = 0; i < n && !set; i++)
            set = strcmp(s->keys[i], param_defaults[d][0]) == 0;
        if (!set && n < PARAMS_MAX) {
            s->keys[n] = param_defaults[d][0];
            s->values[n++] = param_defaults[d][1];
        }
    }
    s->keys[n] = s->values[n] = NULL;
    return 0;
}

/* ---- statements ---- */

static int hexval(char ch)
{
    return ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10;
}

/* A column as a bk_value; a bytea ("\x…" as text) is decoded in place into
 * *buf, which the caller frees after the row. */
static int column(const PGresult *r, int row, int col, struct bk_value *v, unsigned char **buf)
{
    if (PQgetisnull(r, row, col)) {
        *v = (struct bk_value){BK_NULL, 0, NULL, 0};
        return 0;
    }
    const char *text = PQgetvalue(r, row, col);
    size_t n = (size_t)PQgetlength(r, row, col);
    switch (PQftype(r, col)) {
    case OID_BOOL:
        *v = (struct bk_value){BK_INT, text[0] == 't', NULL, 0};
        return 0;
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_NUMERIC: /* sums of bigints: whole numbers */
        *v = (struct bk_value){BK_INT, strtoll(text, NULL, 10), NULL, 0};
        return 0;
    case OID_BYTEA: {
        if (n < 2 || text[0] != '\\' || text[1] != 'x')
            return -ERR_INTERNAL;
        size_t len = (n - 2) / 2;
        unsigned char *b = malloc(len + 1);
        if (!b)
            return -ERR_UNAVAILABLE;
        for (size_t i = 0; i < len; i++)
            b[i] = (unsigned char)(hexval(text[2 + 2 * i]) << 4 | hexval(text[3 + 2 * i]));
        b[len] = 0;
        *buf = b;
        *v = (struct bk_value){BK_BLOB, 0, b, len};
        return 0;
    }
    default:
        *v = (struct bk_value){BK_TEXT, 0, text, n};
        return 0;
    }
}

static int prepare(struct conn *c, enum stmt id)
{
    char name[16];
    snprintf(name, sizeof name, "s%d", (int)id);
    PGresult *r = c->pg ? answer(c, PQsendPrepare(c->pg, name, pg_sql[id], 0, NULL)) : NULL;
    int rc = result_error(c, r);
    PQclear(r);
    if (rc == 0)
        c->prepared[id] = true;
    return rc;
}

/* Each row of a result to fn, until it returns non-zero. */
static int rows_to(const PGresult *r, bk_row_fn fn, void *ctx)
{
    int rc = 0, rows = PQntuples(r), cols = PQnfields(r);
    assert(cols <= BK_COLS_MAX);
    for (int i = 0; i < rows && rc == 0; i++) {
        struct bk_value v[BK_COLS_MAX];
        unsigned char *bufs[BK_COLS_MAX] = {0};
        for (int k = 0; k < cols && rc == 0; k++)
            rc = column(r, i, k, &v[k], &bufs[k]);
        if (rc == 0) {
            const struct bk_row row = {v, (size_t)cols};
            rc = fn(ctx, &row);
        }
        for (int k = 0; k < cols; k++)
            free(bufs[k]);
    }
    return rc;
}

/* ---- a whole table for a copy ---- */

/* The reads of store_copy give every row of a table, which may be ten
 * million uses: PQexecPrepared would hold them all in memory at once. They
 * go through a cursor instead, COPY_BATCH rows at a time (they take no
 * arguments and run in a snapshot or a write transaction, where a cursor
 * lives). */
#define COPY_BATCH  2000
#define TEXT_OF(n)  #n
#define FETCH_OF(n) "FETCH " TEXT_OF(n) " FROM kaiku_copy"

static const bool copy_read[STMT_COUNT] = {
#define X(t) [S_COPY_##t##_READ] = true,
    COPY_TABLES(X)
#undef X
};

static int run_cursor(struct conn *c, enum stmt id, bk_row_fn fn, void *ctx)
{
    static const char declare[] = "DECLARE kaiku_copy NO SCROLL CURSOR FOR ";
    size_t len = strlen(pg_sql[id]);
    char *sql = malloc(sizeof declare + len);
    if (!sql)
        return -ERR_UNAVAILABLE;
    memcpy(sql, declare, sizeof declare - 1);
    memcpy(sql + sizeof declare - 1, pg_sql[id], len + 1);
    int rc = exec_simple(c, sql);
    free(sql);
    for (int got = COPY_BATCH; rc == 0 && got == COPY_BATCH;) {
        PGresult *r = exec_sql(c, FETCH_OF(COPY_BATCH));
        rc = result_error(c, r);
        got = rc == 0 ? PQntuples(r) : 0;
        if (rc == 0 && fn)
            rc = rows_to(r, fn, ctx);
        PQclear(r);
    }
    /* Closed also when fn stopped early (the emptiness check reads one row);
     * a transaction that failed has no cursor left to close. */
    if (PQtransactionStatus(c->pg) == PQTRANS_INTRANS) {
        int closed = exec_simple(c, "CLOSE kaiku_copy");
        if (rc == 0)
            rc = closed;
    }
    return rc;
}

/* ---- deferred statements: libpq's pipeline mode ----
 *
 * A statement marked deferrable in stmt.h (kept counts, audit rows, a
 * copy's rows: nothing the script decides on) is sent without waiting for
 * its answer when it runs in a write transaction: the connection enters
 * pipeline mode and queues it. The next statement that is not deferrable
 * is queued behind them with a sync, so all of them cost one round trip;
 * its answer comes after theirs, and the first error among them is the one
 * returned (the transaction has failed then; backend.h, "run"). A use of
 * the group commit thus waits for three answers instead of seven, and a
 * copy for one per PIPE_MAX rows. */
/* Deferred statements at most before their answers are read. Bounded so
 * that their answers (a few dozen bytes each) fit in the socket's buffers
 * while this side is still sending: a pipeline whose both ends wait to send
 * would never end. */
#define PIPE_MAX 256

static const bool deferrable[STMT_COUNT] = {
#define X(t) [S_##t] = true,
    DEFERRABLE_STMTS(X)
#undef X
#define X(t) [S_COPY_##t##_WRITE] = true,
        COPY_TABLES(X)
#undef X
};

/* Reads the answers of the statements sent so far, and with sync the
 * pipeline's end too, leaving pipeline mode; the first error wins. */
static int pipe_read(struct conn *c, bool sync)
{
    int rc = 0;
    for (; c->pending > 0 && !c->broken; c->pending--) {
        PGresult *r;
        while ((r = next_result(c)) != NULL) {
            int e =
                PQresultStatus(r) == PGRES_PIPELINE_ABORTED ? -ERR_UNAVAILABLE : result_error(c, r);
            if (rc == 0)
                rc = e;
            PQclear(r);
        }
        if (rc != 0)
            c->reopen = true;
    }
    if (c->broken || !c->pg) { /* closed: conn_close left pipeline mode behind */
        c->pending = 0;
        c->piped = false;
        return rc ? rc : -ERR_UNAVAILABLE;
    }
    if (sync) {
        PGresult *r = next_result(c); /* PGRES_PIPELINE_SYNC */
        if (!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC || !c->pg ||
            PQexitPipelineMode(c->pg) != 1) {
            rc = rc ? rc : -ERR_UNAVAILABLE;
            c->broken = true; /* out of step with the server: no ROLLBACK on it */
        }
        PQclear(r);
        c->piped = false;
    }
    return rc;
}

/* A pipeline given up half-sent: the connection is out of step with the
 * server (commands queued, no sync), so nothing more is sent on it; it is
 * closed when given back, and the server rolls back. */
static int pipe_abandon(struct conn *c)
{
    c->pending = 0;
    c->piped = false;
    c->broken = true;
    return -ERR_UNAVAILABLE;
}

/* Ends pipeline mode, if in it: the deferred statements' outcome. */
static int pipe_finish(struct conn *c)
{
    if (!c->piped)
        return 0;
    if (PQpipelineSync(c->pg) != 1)
        return pipe_abandon(c);
    return pipe_read(c, true);
}

/* Sends statement id with its arguments (prepared first, in the pipeline
 * too, when this connection has not yet). */
static int pipe_send(struct conn *c, enum stmt id, const char *name, int n,
                     const char *const *values, const int *lengths, const int *formats)
{
    if (!c->piped) {
        if (PQenterPipelineMode(c->pg) != 1)
            return -ERR_UNAVAILABLE;
        c->piped = true;
    }
    if (!c->prepared[id]) {
        if (PQsendPrepare(c->pg, name, pg_sql[id], 0, NULL) != 1)
            return -ERR_UNAVAILABLE;
        c->prepared[id] = true; /* if it fails, so does the transaction */
        c->pending++;
    }
    if (PQsendQueryPrepared(c->pg, name, n, values, lengths, formats, 0) != 1)
        return -ERR_UNAVAILABLE;
    c->pending++;
    return 0;
}

static int pg_run(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n,
                  bk_row_fn fn, void *ctx)
{
    struct conn *c = tx_of(t)->c;
    assert(n <= BK_COLS_MAX);
    bool defer = deferrable[id] && !fn && tx_of(t)->kind == BK_WRITE && !c->no_defer;
    int rc = 0;
    if (copy_read[id] && n == 0 && tx_of(t)->kind != BK_READ) {
        rc = pipe_finish(c);
        return rc == 0 ? run_cursor(c, id, fn, ctx) : rc;
    }
    if (!c->piped && !defer && !c->prepared[id] && (rc = prepare(c, id)) != 0)
        return rc;
    char nums[BK_COLS_MAX][24];
    const char *values[BK_COLS_MAX];
    int lengths[BK_COLS_MAX], formats[BK_COLS_MAX];
    for (size_t i = 0; i < n; i++) {
        lengths[i] = 0;
        formats[i] = 0;
        switch (args[i].type) {
        case BK_NULL:
            values[i] = NULL;
            break;
        case BK_INT:
            snprintf(nums[i], sizeof nums[i], "%" PRId64, args[i].i);
            values[i] = nums[i];
            break;
        case BK_TEXT:
            values[i] = args[i].p;
            break;
        case BK_BLOB:
            values[i] = args[i].p;
            lengths[i] = (int)args[i].n;
            formats[i] = 1;
            break;
        }
    }
    char name[16];
    snprintf(name, sizeof name, "s%d", (int)id);
    if (defer) { /* answered later: at the next statement, sync or end */
        rc = pipe_send(c, id, name, (int)n, values, lengths, formats);
        if (rc == 0 && c->pending >= PIPE_MAX) { /* read the answers so far */
            if (PQsendFlushRequest(c->pg) != 1 || PQflush(c->pg) != 0)
                rc = -ERR_UNAVAILABLE;
            if (rc == 0)
                rc = pipe_read(c, false);
        }
        if (rc != 0) {
            int ended = pipe_finish(c);
            (void)ended; /* rc says it already */
        }
        return rc;
    }
    PGresult *r = NULL;
    if (c->piped) { /* behind the deferred ones, in the same round trip */
        rc = pipe_send(c, id, name, (int)n, values, lengths, formats);
        int this_one = c->pending; /* its answer is the last one */
        if (rc == 0 && PQpipelineSync(c->pg) != 1)
            rc = -ERR_UNAVAILABLE;
        if (rc != 0)
            return pipe_abandon(c);
        c->pending = this_one - 1;
        rc = pipe_read(c, false);              /* the deferred ones' answers (and a prepare's) */
        r = c->broken ? NULL : next_result(c); /* this statement's */
        for (PGresult *more; !c->broken && (more = next_result(c)) != NULL;)
            PQclear(more);
        int ended = pipe_read(c, true); /* the sync */
        if (rc == 0)
            rc = r && PQresultStatus(r) == PGRES_PIPELINE_ABORTED ? -ERR_UNAVAILABLE
                                                                  : result_error(c, r);
        if (rc == 0)
            rc = ended;
    } else {
        r = answer(c, PQsendQueryPrepared(c->pg, name, (int)n, values, lengths, formats, 0));
        rc = result_error(c, r);
    }
    if (rc == 0 && fn)
        rc = rows_to(r, fn, ctx);
    PQclear(r);
    return rc;
}

static int pg_sync(struct bk_tx *t)
{
    return pipe_finish(tx_of(t)->c);
}

/* Once a transaction uses savepoints, each statement is answered at once:
 * a failure must show within the savepoint of the use that caused it. */
static int pg_savepoint(struct bk_tx *t, enum bk_savepoint op)
{
    static const char *const sql[] = {[BK_SAVEPOINT] = "SAVEPOINT one",
                                      [BK_ROLLBACK_TO] = "ROLLBACK TO SAVEPOINT one",
                                      [BK_RELEASE] = "RELEASE SAVEPOINT one"};
    struct conn *c = tx_of(t)->c;
    c->no_defer = true;
    int rc = pipe_finish(c);
    return rc == 0 ? exec_simple(c, sql[op]) : rc;
}

static bool pg_alive(struct bk_tx *t)
{
    struct conn *c = tx_of(t)->c;
    return pipe_finish(c) == 0 && !c->broken && PQtransactionStatus(c->pg) == PQTRANS_INTRANS;
}

/* ---- transactions ---- */

static int pg_begin(struct backend *b, enum bk_tx_kind kind, struct bk_tx **out)
{
    struct pg_backend *s = pgb(b);
    struct conn *c = NULL;
    *out = NULL;
    int rc = conn_take(s, &c);
    if (rc == 0 && kind == BK_SNAPSHOT)
        rc = exec_simple(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (rc == 0 && kind == BK_WRITE)
        rc = exec_simple(c, "BEGIN; " WRITE_LOCK_SQL);
    if (rc != 0) {
        if (c && !c->broken && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
            (void)exec_simple(c, "ROLLBACK");
        conn_give(s, c);
        return rc;
    }
    c->tx = (struct pg_tx){{&pg_backend}, s, c, kind};
    c->no_defer = false;
    *out = &c->tx.base;
    return 0;
}

/* A COMMIT answered "COMMIT" is done. Any other answer is -ERR_UNAVAILABLE:
 * an error (the transaction had failed, or the server refused or ended it)
 * means not done; no answer at all (the connection broke or the server
 * went silent after COMMIT was sent) means not known, and is never taken
 * as done: the client tries again, and an idempotency key makes that one
 * use at most (docs/decisions.md, "PostgreSQL outages"). */
static int pg_end(struct bk_tx *bt, int rc)
{
    if (!bt)
        return rc;
    struct pg_tx *t = tx_of(bt);
    struct conn *c = t->c;
    int deferred = pipe_finish(c); /* the deferred statements' answers */
    if (rc == 0)
        rc = deferred;
    if (t->kind == BK_WRITE && rc == 0) {
        /* COMMIT of a transaction that failed answers ROLLBACK, no error. */
        bool failed = c->broken || PQtransactionStatus(c->pg) != PQTRANS_INTRANS;
        PGresult *r = failed ? NULL : exec_sql(c, "COMMIT");
        rc = failed ? -ERR_UNAVAILABLE : result_error(c, r);
        if (rc == 0 && strcmp(PQcmdStatus(r), "COMMIT") != 0)
            rc = -ERR_UNAVAILABLE;
        if (!failed && c->broken)
            log_line("connection lost at COMMIT: the transaction may or may not have committed",
                     NULL);
        PQclear(r);
        atomic_fetch_add(&t->s->generation, 1); /* committed, or perhaps */
    }
    /* A snapshot only read; a failed write is undone. */
    if (t->kind != BK_READ && !c->broken && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        (void)exec_simple(c, "ROLLBACK");
    conn_give(t->s, c);
    return rc;
}

/* ---- open, serve, close ---- */

static int pg_serve(struct backend *b, int wait_ms)
{
    struct pg_backend *s = pgb(b);
    pthread_mutex_lock(&s->mu);
    s->wait_ms = wait_ms;
    atomic_store(&s->serving, true);
    /* Connections open from now on wait wait_ms for a lock and have a
     * statement timeout; reopen the idle ones (none is in a transaction:
     * serve runs before any). */
    for (struct conn *c = s->idle; c; c = c->next)
        conn_close(c);
    pthread_mutex_unlock(&s->mu);
    return 0;
}

static void pg_close(struct backend *b)
{
    struct pg_backend *s = pgb(b);
    for (int i = 0; i < POOL_MAX; i++)
        conn_close(&s->conns[i]);
    PQconninfoFree(s->url_params);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static int pg_open(const char *url, struct backend **out)
{
    *out = NULL;
    struct pg_backend *s = calloc(1, sizeof *s);
    if (!s)
        return -ERR_UNAVAILABLE;
    s->base.ops = &pg_backend;
    s->wait_ms = LOCK_WAIT_MS;
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t attr; /* the pool's wait is on the monotonic clock */
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &attr);
    pthread_condattr_destroy(&attr);
    for (int i = POOL_MAX - 1; i >= 0; i--) {
        s->conns[i].s = s;
        s->conns[i].next = s->idle;
        s->idle = &s->conns[i];
    }
    int rc = strlen(url) >= URL_MAX_BYTES ? -ERR_INVALID_REQUEST : params_set(s, url);
    if (rc == 0) {
        struct conn *c = NULL; /* a bad URL or a server away fails here */
        rc = conn_take(s, &c);
        conn_give(s, c);
    }
    if (rc != 0)
        pg_close(&s->base);
    else
        *out = &s->base;
    return rc;
}

/* ---- migrations ---- */

/* The schema's version is the one row of kaiku_schema (PostgreSQL has no
 * user_version); every step runs under the write lock, so two processes
 * migrating at once do each step once. */
static int version_of(struct conn *c, int *version)
{
    PGresult *r = exec_sql(c, "SELECT version FROM kaiku_schema");
    int rc = result_error(c, r);
    *version = rc == 0 && PQntuples(r) == 1 ? (int)strtol(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
    return rc;
}

static int pg_migrate(struct backend *b, int *from, int *to)
{
    struct pg_backend *s = pgb(b);
    struct conn *c = NULL;
    int first = -1, version = 0;
    int rc = conn_take(s, &c);
    while (rc == 0) {
        rc = exec_simple(c, "BEGIN; " WRITE_LOCK_SQL "; CREATE TABLE IF NOT EXISTS "
                            "kaiku_schema (version integer NOT NULL)");
        if (rc == 0)
            rc = version_of(c, &version);
        if (rc == 0 && first < 0)
            first = version;
        bool more = rc == 0 && version < pg_migrations_count;
        if (more) {
            char bump[96];
            snprintf(bump, sizeof bump,
                     "DELETE FROM kaiku_schema; INSERT INTO kaiku_schema VALUES (%d)", version + 1);
            rc = exec_simple(c, pg_migrations[version].sql);
            if (rc == 0)
                rc = exec_simple(c, bump);
            if (rc == 0)
                version++;
        }
        rc = rc == 0 ? exec_simple(c, "COMMIT") : (exec_simple(c, "ROLLBACK"), rc);
        if (!more)
            break;
    }
    atomic_fetch_add(&s->generation, 1);
    conn_give(s, c);
    if (rc == 0 && from)
        *from = first;
    if (rc == 0 && to)
        *to = version;
    return rc;
}

static int pg_version(struct backend *b, int *current, int *latest)
{
    struct pg_backend *s = pgb(b);
    struct conn *c = NULL;
    *current = 0;
    *latest = pg_migrations_count;
    int rc = conn_take(s, &c);
    if (rc != 0)
        return rc;
    /* No kaiku_schema yet: version 0, as a new SQLite file's. */
    PGresult *r = exec_sql(c, "SELECT to_regclass('kaiku_schema') IS NOT NULL");
    rc = result_error(c, r);
    bool made = rc == 0 && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (rc == 0 && made)
        rc = version_of(c, current);
    conn_give(s, c);
    return rc;
}

/* A backup of PostgreSQL is pg_dump's or a standby's (docs/operations.md):
 * the command line says so before it gets here. */
static int pg_backup(struct backend *b, const char *path)
{
    (void)b;
    (void)path;
    return -ERR_INVALID_REQUEST;
}

static int pg_restore(struct backend *b, const char *path)
{
    (void)b;
    (void)path;
    return -ERR_INVALID_REQUEST;
}

static uint64_t pg_generation(struct backend *b)
{
    return atomic_fetch_add(&pgb(b)->generation, 1) + 1;
}

const struct backend_ops pg_backend = {
    .shared = true,
    .open = pg_open,
    .close = pg_close,
    .migrate = pg_migrate,
    .version = pg_version,
    .serve = pg_serve,
    .begin = pg_begin,
    .end = pg_end,
    .run = pg_run,
    .savepoint = pg_savepoint,
    .sync = pg_sync,
    .alive = pg_alive,
    .backup = pg_backup,
    .restore = pg_restore,
    .generation = pg_generation,
};
