/* tx.h — what the transaction scripts (network.c, users.c, … uses.c) share:
 * the store's handle, running a script in a read, snapshot or write
 * transaction, the write queue, statements with rows read into structs by
 * one table of row readers, and the audit row. Above backend.h; callers of
 * the store never include this header. */
#ifndef KAIKU_STORE_TX_H
#define KAIKU_STORE_TX_H

#include <pthread.h>

#include "core/rules.h"
#include "store/backend.h"
#include "store/store.h"

struct write_job;

struct store {
    struct backend *b;

    /* The write queue (writer.c), once serving. mu guards the queue, its
     * length, `stopping` and the `finished` of waiting callers. */
    pthread_mutex_t mu;
    pthread_cond_t queued_cv; /* a job was queued, or stopping */
    pthread_cond_t done_cv;   /* a waiting caller's job is finished */
    struct write_job *queue, **tail;
    size_t queued;
    bool serving, stopping;
    pthread_t thread;
};

/* A transaction script: everything it reads and writes goes through t. */
typedef int (*tx_fn)(struct bk_tx *t, void *ctx);

/* Runs fn in a transaction of `kind` (BK_READ or BK_SNAPSHOT). */
int store_read(struct store *s, enum bk_tx_kind kind, tx_fn fn, void *ctx);
/* Runs fn in a write transaction, committed when fn returns 0: through the
 * write queue once serving (waiting at most WRITE_DEADLINE_MS for its turn,
 * else -ERR_UNAVAILABLE), directly otherwise. */
int store_write(struct store *s, tx_fn fn, void *ctx);

/* ---- the write queue (writer.c) ---- */

/* One use in a batch (uses.c). */
struct use_job {
    const struct actor *a;
    const struct use_request *r;
    struct use *out;
    bool *replayed;
    struct error_details *d;
    struct event event; /* scratch for the checks */
};

struct write_job;
/* Runs the n jobs from first on (linked by next, all of the same batch
 * function), together in one write transaction as far as it can, and sets
 * each one's rc; skips those marked skip. */
typedef void (*write_batch_fn)(struct store *s, struct write_job *first, size_t n);

struct write_job {
    tx_fn run; /* a write in a transaction of its own … */
    void *ctx;
    /* … or one batched with the jobs of the same function queued beside it
     * (uses: group commit, uses.c). The writer knows no kind of write. */
    write_batch_fn batch;
    void *batch_ctx; /* the batch function's own (uses: its struct use_job) */
    int rc;
    store_done_fn done; /* NULL: a caller waits (writer_wait) */
    void *done_ctx;
    int64_t deadline_ns; /* CLOCK_MONOTONIC */
    bool taken, finished, skip;
    struct write_job *next;
};

#define WRITE_QUEUE_MAX   4096 /* jobs waiting for the writer; one more → 503 */
#define WRITE_DEADLINE_MS 1000 /* a job not begun by then → 503 */

/* Queues a heap job whose `done` the writer calls (then frees the job). */
int writer_submit(struct store *s, struct write_job *j);
/* Queues a job of the caller's and waits for it (WRITE_DEADLINE_MS at most
 * while it has not begun). */
int writer_wait(struct store *s, struct write_job *j);
int writer_start(struct store *s);
void writer_stop(struct store *s);

/* ---- statements and rows (rows.c) ---- */

/* Every result shape of stmt.h, read by the one table of row readers. */
enum row_kind {
    ROW_ID,       /* int64_t */
    ROW_PLACE,    /* struct place_buf */
    ROW_REGION,   /* struct region */
    ROW_UNIT,     /* struct unit */
    ROW_VENUE,    /* struct venue */
    ROW_USER,     /* struct user_row */
    ROW_SESSION,  /* struct session_row */
    ROW_API_KEY,  /* struct api_key */
    ROW_CARD,     /* struct card */
    ROW_TRANSFER, /* struct transfer_row */
    ROW_EVENT,    /* struct event */
    ROW_USE,      /* struct use */
    ROW_USE_LIST, /* struct use_list_row */
    ROW_AUDIT,    /* struct audit_entry */
    ROW_USAGE,    /* struct usage_row */
    ROW_SERIES,   /* struct series */
    ROW_KIND_COUNT
};

struct place_buf {
    char region[ID_MAX + 1];
    char unit[ID_MAX + 1];
    char venue[ID_MAX + 1];
};

struct user_row {
    struct user user;
    struct place_buf place;
    char hash[PASSWORD_HASH_MAX + 1];
};

struct session_row {
    struct user_row u;
    int64_t expires_at;
};

struct transfer_row {
    struct transfer t;
    char to_region[ID_MAX + 1];
};

struct use_list_row {
    struct use_row row;
    char region[ID_MAX + 1];
};

static inline struct place place_of(const struct place_buf *p)
{
    return (struct place){p->region, p->unit, p->venue};
}

/* A statement whose rows do not matter (INSERT, UPDATE, DELETE). */
int tx_exec(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n);
/* An `INSERT … RETURNING id`. */
int tx_insert(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n, int64_t *out);
/* The first row into *out; *found says whether there was one. */
int tx_get(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n, enum row_kind kind,
           void *out, bool *found);
/* tx_get where no row is an error: `missing` (-ERR_x), with details.field =
 * field when field is given. */
int tx_need(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n,
            enum row_kind kind, void *out, int missing, struct error_details *d, const char *field);
/* Reads each row into buf and calls each(ctx, buf); non-zero stops and is
 * returned. */
typedef int (*tx_each_fn)(void *ctx, void *row);
int tx_each(struct bk_tx *t, enum stmt id, const struct bk_value *args, size_t n,
            enum row_kind kind, void *buf, tx_each_fn each, void *ctx);

/* A caller's listing callback (of store.h's types) and its context, as
 * the scripts' adapters pass rows on; `a` for those that filter by scope. */
struct list_to {
    const struct actor *a;
    union {
        store_region_fn region;
        store_unit_fn unit;
        store_venue_fn venue;
        store_user_fn user;
        store_api_key_fn api_key;
        store_transfer_fn transfer;
        store_event_fn event;
        store_use_fn use;
        store_audit_fn audit;
        store_usage_fn usage;
        store_card_fn card;
        store_series_fn series;
    } fn;
    void *ctx;
};

/* One row by key in a read of its own: the shape of every store_*_get. */
int store_get_one(struct store *s, enum stmt id, struct bk_value key, enum row_kind kind, void *out,
                  int missing);
/* Every row of a statement in a read of its own, to each(ctx, row). */
int store_each(struct store *s, enum stmt id, const struct bk_value *args, size_t n,
               enum row_kind kind, void *buf, tx_each_fn each, void *ctx);

/* Loads a place by id (S_PLACE_*) and checks the actor's scope (R32). */
int place_in_scope(struct bk_tx *t, const struct actor *a, enum stmt id, const char *key,
                   struct place_buf *out, struct error_details *d, const char *field);

/* Loads an event read for update (S_EVENT_LOCK, R16) and checks the
 * actor's scope over its venue (R32); events.c. */
int event_in_scope(struct bk_tx *t, const struct actor *a, int64_t id, struct event *e,
                   struct error_details *d);

/* The transaction scripts of one handout (cards.c) and one use (uses.c),
 * inside a transaction of the caller's: imports (imports.c) run them for
 * every row of a file in one write transaction, so that a row is checked
 * by exactly the rules of a single request. use_record_tx sets *wrote once
 * it starts writing (a refusal before that has changed nothing). */
int handout_record_in(struct bk_tx *t, const struct actor *a, const struct handout *h,
                      struct card *out, struct error_details *d);
int use_record_tx(struct bk_tx *t, struct use_job *job, bool *wrote);

/* ---- audit (audit.c) ---- */

/* R34: the audit row of a change, inside the change's transaction: who,
 * what, which object (kind:id), when and from where; never holder data. */
int audit_add(struct bk_tx *t, const struct actor *a, const char *action, const char *kind,
              const char *id, const char *region);
int audit_add_id(struct bk_tx *t, const struct actor *a, const char *action, const char *kind,
                 int64_t id, const char *region);

/* ---- kept counts (counts.c, issue 16) ---- */

/* A use recorded (sign 1) or undone (-1) of the issued `card` (as S_CARD_GET
 * read it, before the change) on `event`: the event's counts, the card's
 * live uses, and R31's cards used at least once. */
int counts_use(struct bk_tx *t, const struct card *card, int64_t event, int32_t adult,
               int32_t child, int32_t companion, int sign);
/* A handout of `card` (its row as it is after the handout) by the unit
 * `unit_of_handout`, mother tongue `lang` as stored. */
int counts_handout(struct bk_tx *t, const struct card *card, const struct handout *h,
                   const char *unit_of_handout, const char *lang);
/* `card` (as read before) cancelled at `now`. */
int counts_cancel(struct bk_tx *t, const struct card *card, int64_t now);
/* n codes added to the stock of a unit of `region`. */
int counts_stock_added(struct bk_tx *t, const char *region, int64_t n);
/* Every kept count recounted from the records, inside t. */
int counts_rebuild(struct bk_tx *t);
/* R31's figures of `year` from the kept counts, one row per region by id
 * and the pop-up venues' row last ("today" for the figures of now): *rows
 * malloc'd, the caller frees it (reports.c). */
int report_national_rows(struct bk_tx *t, int year, int32_t today, struct national_row **rows,
                         size_t *n);

#endif
