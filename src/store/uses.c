/* Uses (R16, R23–R27): recording, the hot path, batched by the writer
 * (writer.c) into one transaction; undoing; listing. */
#include <stdlib.h>
#include <string.h>

#include "store/tx.h"
#include "util/date.h"

/* The checks and writes of one use, inside the batch's transaction. Sets
 * *wrote once it starts writing: a use refused before that has changed
 * nothing, while one that fails after it may have left a partial change. */
int use_record_tx(struct bk_tx *t, struct use_job *job, bool *wrote)
{
    const struct actor *a = job->a;
    const struct use_request *r = job->r;
    struct error_details *d = job->d;
    struct event *e = &job->event;
    struct card card;
    struct use_facts facts = {NULL, e, false};
    bool found = false;
    int64_t id = 0;
    int rc = 0;
    if (d)
        *d = (struct error_details){0}; /* a batch run again decides afresh */
    /* R27: idempotency first; a replay writes nothing, not even audit. */
    if (r->idempotency_key[0]) {
        rc = tx_get(t, S_USE_BY_KEY, BK_ARGS(bk_text(a->user), bk_text(r->idempotency_key)),
                    ROW_USE, job->out, &found);
        if (rc == 0 && found && !use_same_request(job->out, r))
            rc = error_field(d, ERR_IDEMPOTENCY_CONFLICT, "idempotency_key");
        if (rc == 0 && found && job->replayed)
            *job->replayed = true;
        if (rc != 0 || found)
            return rc;
    }
    if ((unsigned)r->channel >= CHANNEL_COUNT)
        rc = error_field(d, ERR_INVALID_REQUEST, "channel");
    if (rc == 0) /* read for update: the cap checked below holds at commit (R16) */
        rc = event_in_scope(t, a, r->event, e, d);
    if (rc == 0) { /* an unknown card: use_check says so, in its order */
        rc = tx_get(t, S_CARD_GET, BK_ARGS(bk_text(r->card)), ROW_CARD, &card, &found);
        facts.card = found ? &card : NULL;
    }
    if (rc == 0 && facts.card && r->adult > 0) /* R24 matters only for an adult ticket */
        rc = tx_get(t, S_USE_ADULT, BK_ARGS(bk_text(r->card), bk_int(r->event)), ROW_ID, &id,
                    &facts.adult_already);
    if (rc == 0)
        rc = use_check(&facts, r, a->now, d); /* R13, R17, R24, R26, R15/R16 */
    if (rc != 0)
        return rc;
    *wrote = true;
    rc = tx_insert(t, S_USE_ADD,
                   BK_ARGS(bk_text(r->card), bk_int(r->event), bk_int(r->adult), bk_int(r->child),
                           bk_int(r->companion), bk_text(name_of(&channel_names, (int)r->channel)),
                           bk_text(a->user), bk_int(a->now), bk_opt_text(r->idempotency_key)),
                   &id);
    if (rc == 0) /* events.used and the kept counts (issue 16) */
        rc = counts_use(t, &card, r->event, r->adult, r->child, r->companion, 1);
    if (rc == 0)
        rc = audit_add_id(t, a, "use.record", "use", id, e->region);
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
 * together at commit; if the commit fails, every one of them fails with it.
 * (Savepoints on every use would cost a copy of each changed page into the
 * statement journal, and memory churn, on the hot path.) */
static void batch_run(struct store *s, struct write_job *first, size_t n, bool savepoints)
{
    struct bk_tx *t = NULL;
    int rc = s->b->ops->begin(s->b, BK_WRITE, &t);
    bool again = false;
    struct write_job *j = first;
    for (size_t i = 0; i < n && rc == 0; i++, j = j->next) {
        bool wrote = false;
        if (j->skip)
            continue;
        if (savepoints && (rc = t->ops->savepoint(t, BK_SAVEPOINT)) != 0)
            break;
        struct use_job *u = j->batch_ctx;
        j->rc = use_record_tx(t, u, &wrote);
        if (j->rc != 0 && u->replayed)
            *u->replayed = false;
        /* A failed read may have ended the transaction too. */
        if (j->rc != 0 && !savepoints && (wrote || !t->ops->alive(t))) {
            rc = j->rc;
            again = true; /* roll back, then run the batch with savepoints */
            break;
        }
        if (savepoints && j->rc != 0)
            rc = t->ops->savepoint(t, BK_ROLLBACK_TO);
        if (savepoints && rc == 0)
            rc = t->ops->savepoint(t, BK_RELEASE);
    }
    /* The answers a backend deferred (backend.h): a failure among them is a
     * use's that started writing, so the batch runs again with savepoints. */
    if (rc == 0 && !savepoints && !again && (rc = t->ops->sync(t)) != 0)
        again = true;
    if (t)
        rc = t->ops->end(t, rc);
    if (again) {
        batch_run(s, first, n, true);
        return;
    }
    j = first;
    for (size_t i = 0; i < n && rc != 0; i++, j = j->next)
        if (j->rc == 0 && !j->skip)
            j->rc = rc;
}

/* Records jobs[0..n) (uses, linked by next) in one write transaction and
 * sets each one's rc; skips those marked skip. The writer calls it for uses
 * queued side by side. */
static void use_batch_run(struct store *s, struct write_job *first, size_t n)
{
    batch_run(s, first, n, false);
}

static struct write_job *use_job_new(const struct actor *a, const struct use_request *r,
                                     struct use *out, bool *replayed, struct error_details *d)
{
    /* 2 KiB with the event: off the stack */
    struct {
        struct write_job j;
        struct use_job u;
    } *both = malloc(sizeof *both);
    if (!both)
        return NULL;
    both->u = (struct use_job){.a = a, .r = r, .out = out, .replayed = replayed, .d = d};
    both->j = (struct write_job){.batch = use_batch_run, .batch_ctx = &both->u};
    if (replayed)
        *replayed = false;
    return &both->j; /* first member: free(j) frees both */
}

int store_use_record_async(struct store *s, const struct actor *a, const struct use_request *r,
                           struct use *out, bool *replayed, struct error_details *d,
                           store_done_fn done, void *ctx)
{
    struct write_job *j = use_job_new(a, r, out, replayed, d);
    if (!j)
        return -ERR_UNAVAILABLE;
    j->done = done;
    j->done_ctx = ctx;
    if (!s->serving) { /* a command, not a server: record it now */
        use_batch_run(s, j, 1);
        done(ctx, j->rc);
        free(j);
        return 0;
    }
    int rc = writer_submit(s, j);
    if (rc != 0)
        free(j);
    return rc;
}

int store_use_record(struct store *s, const struct actor *a, const struct use_request *r,
                     struct use *out, bool *replayed, struct error_details *d)
{
    struct write_job *j = use_job_new(a, r, out, replayed, d);
    if (!j)
        return -ERR_UNAVAILABLE;
    int rc;
    if (s->serving) {
        rc = writer_wait(s, j);
    } else {
        use_batch_run(s, j, 1);
        rc = j->rc;
    }
    free(j);
    return rc;
}

struct use_undo {
    const struct actor *a;
    int64_t id;
    struct event *e;
};

static int use_undo_tx(struct bk_tx *t, void *ctx)
{
    struct use_undo *c = ctx;
    struct use u;
    struct card card;
    int64_t undone = 0;
    bool found = false;
    int rc = tx_need(t, S_USE_GET, BK_ARGS(bk_int(c->id)), ROW_USE, &u, -ERR_NOT_FOUND, NULL, NULL);
    if (rc == 0 && u.undone_at != 0)
        rc = -ERR_NOT_FOUND; /* R25: undone once, then gone from every count */
    if (rc == 0)
        rc = event_in_scope(t, c->a, u.event, c->e, NULL);
    if (rc == 0)
        rc = tx_get(t, S_USE_UNDO, BK_ARGS(bk_text(c->a->user), bk_int(c->a->now), bk_int(c->id)),
                    ROW_ID, &undone, &found);
    if (rc == 0 && !found)
        rc = -ERR_NOT_FOUND;
    if (rc == 0)
        rc = tx_need(t, S_CARD_GET, BK_ARGS(bk_text(u.card)), ROW_CARD, &card, -ERR_INTERNAL, NULL,
                     NULL);
    if (rc == 0) /* events.used and the kept counts (issue 16) */
        rc = counts_use(t, &card, u.event, u.adult, u.child, u.companion, -1);
    if (rc == 0)
        rc = audit_add_id(t, c->a, "use.undo", "use", c->id, c->e->region);
    return rc;
}

int store_use_undo(struct store *s, const struct actor *a, int64_t id)
{
    struct use_undo c = {a, id, malloc(sizeof(struct event))};
    int rc = c.e ? store_write(s, use_undo_tx, &c) : -ERR_UNAVAILABLE;
    free(c.e);
    return rc;
}

static int use_in_scope(void *ctx, void *r)
{
    const struct list_to *l = ctx;
    const struct use_list_row *row = r;
    const struct place p = {row->region, "", row->row.venue};
    return scope_allows(l->a, &p) ? l->fn.use(l->ctx, &row->row) : 0; /* R32 */
}

struct use_list {
    struct list_to to;
    const struct use_filter *f;
};

/* Whether a venue or event the filter names lies outside the actor's scope
 * (R32: -ERR_FORBIDDEN), does not exist or cannot match (*none: list
 * nothing), read before any use: else all its uses would be read, then all
 * left out. */
static int use_filter_check(struct bk_tx *t, const struct actor *a, const struct use_filter *f,
                            bool *none)
{
    struct place_buf venue = {"", "", ""}, event = {"", "", ""};
    bool found = true;
    int rc = 0;
    *none = false;
    if (f->venue && f->venue[0] && a->role != ROLE_NATIONAL) {
        rc = tx_get(t, S_PLACE_VENUE, BK_ARGS(bk_text(f->venue)), ROW_PLACE, &venue, &found);
        if (rc == 0 && found &&
            !scope_allows(a, &(const struct place){venue.region, "", venue.venue}))
            rc = -ERR_FORBIDDEN;
        *none = !found;
    }
    if (rc == 0 && !*none && f->event > 0) {
        rc = tx_get(t, S_PLACE_EVENT, BK_ARGS(bk_int(f->event)), ROW_PLACE, &event, &found);
        if (rc == 0 && found &&
            !scope_allows(a, &(const struct place){event.region, "", event.venue}))
            rc = -ERR_FORBIDDEN;
        /* an event of another venue than the one asked for has none of its uses */
        *none = !found || (f->venue && f->venue[0] && strcmp(f->venue, event.venue) != 0);
    }
    return rc;
}

static int use_list_tx(struct bk_tx *t, void *ctx)
{
    struct use_list *c = ctx;
    const struct actor *a = c->to.a;
    const struct use_filter *f = c->f;
    struct use_list_row row;
    bool none = false;
    int rc = use_filter_check(t, a, f, &none);
    if (rc != 0 || none)
        return rc;
    /* The actor's scope narrows the query itself (a venue's staff see their
     * venue, a coordinator their region), so that a page never scans other
     * venues' rows; scope_allows stays the rule (R32). Event days [from, to]
     * on Finnish clocks are instants [from 00:00, to+1 00:00). */
    const char *venue = use_list_venue(a, f->venue);
    /* One event's uses are drawn from that event's alone; a venue's uses
     * from a day on (the box office's today) from that venue's events of
     * those days, not from every use there is. */
    enum stmt stmt = f->event > 0                        ? S_USE_LIST_EVENT
                     : venue && venue[0] && f->from >= 0 ? S_USE_LIST_VENUE
                                                         : S_USE_LIST;
    return tx_each(t, stmt,
                   BK_ARGS(bk_opt_text(venue), bk_int(f->event),
                           bk_opt_int(f->from >= 0 ? hki_from_local(f->from, 0) : -1),
                           bk_opt_int(f->to >= 0 ? hki_from_local(f->to + 1, 0) : -1),
                           bk_int(f->after_id), bk_opt_text(use_list_region(a))),
                   ROW_USE_LIST, &row, use_in_scope, &c->to);
}

int store_use_list(struct store *s, const struct actor *a, const struct use_filter *f,
                   store_use_fn fn, void *ctx)
{
    static const struct use_filter all = {NULL, 0, -1, -1, 0};
    struct use_list c = {{a, {.use = fn}, ctx}, f ? f : &all};
    return store_read(s, BK_READ, use_list_tx, &c);
}
