/* The write queue: once the store serves, every write waits here for the
 * one writer thread, in a queue with a bound (WRITE_QUEUE_MAX) and a
 * deadline (WRITE_DEADLINE_MS). A full queue, or a job still waiting at its
 * deadline, is -ERR_UNAVAILABLE (503 with Retry-After), so no HTTP thread
 * waits for seconds behind another writer. The writer takes everything
 * queued at once; jobs queued side by side with the same batch function
 * run together (uses: one transaction, a group commit, uses.c), every other
 * write in a transaction of its own. */
#include <errno.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

#include "store/tx.h"

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int write_direct(struct store *s, tx_fn fn, void *ctx)
{
    struct bk_tx *t = NULL;
    int rc = s->b->ops->begin(s->b, BK_WRITE, &t);
    if (rc == 0)
        rc = t->ops->end(t, fn(t, ctx));
    return rc;
}

/* Under s->mu. */
static int enqueue(struct store *s, struct write_job *j)
{
    if (s->stopping || s->queued >= WRITE_QUEUE_MAX)
        return -ERR_UNAVAILABLE;
    j->deadline_ns = now_ns() + (int64_t)WRITE_DEADLINE_MS * 1000000;
    j->taken = j->finished = j->skip = false;
    j->next = NULL;
    *s->tail = j;
    s->tail = &j->next;
    s->queued++;
    pthread_cond_signal(&s->queued_cv);
    return 0;
}

int writer_submit(struct store *s, struct write_job *j)
{
    pthread_mutex_lock(&s->mu);
    int rc = enqueue(s, j);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* Under s->mu: takes a job the writer has not taken out of the queue. */
static void unlink_job(struct store *s, struct write_job *j)
{
    struct write_job **at = &s->queue;
    while (*at && *at != j)
        at = &(*at)->next;
    if (!*at)
        return;
    *at = j->next;
    if (s->tail == &j->next)
        s->tail = at;
    s->queued--;
}

int writer_wait(struct store *s, struct write_job *j)
{
    j->done = NULL;
    pthread_mutex_lock(&s->mu);
    int rc = enqueue(s, j);
    struct timespec until = {(time_t)(j->deadline_ns / 1000000000),
                             (long)(j->deadline_ns % 1000000000)};
    while (rc == 0 && !j->finished) {
        if (j->taken) { /* begun or about to: it ends in the backend's own time */
            pthread_cond_wait(&s->done_cv, &s->mu);
        } else if (pthread_cond_timedwait(&s->done_cv, &s->mu, &until) == ETIMEDOUT && !j->taken) {
            unlink_job(s, j);
            rc = -ERR_UNAVAILABLE;
        }
    }
    if (rc == 0)
        rc = j->rc;
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* Hands a job its answer. The job may be gone right after (a waiting
 * caller returns; a heap job is freed). */
static void finish(struct store *s, struct write_job *j)
{
    if (j->done) {
        j->done(j->done_ctx, j->rc);
        free(j);
        return;
    }
    pthread_mutex_lock(&s->mu);
    j->finished = true;
    pthread_cond_broadcast(&s->done_cv);
    pthread_mutex_unlock(&s->mu);
}

/* Runs the jobs taken from the queue, in order, and answers each. */
static void run_jobs(struct store *s, struct write_job *j)
{
    while (j) {
        /* Each group is judged by the clock when its turn comes: a group
         * behind a slow one (another process holding the lock) must not
         * begin seconds after its deadline. */
        int64_t now = now_ns();
        struct write_job *end = j->next;
        size_t n = 1;
        if (j->batch) {
            while (end && end->batch == j->batch) {
                end = end->next;
                n++;
            }
        }
        for (struct write_job *k = j; k != end; k = k->next) {
            k->skip = k->deadline_ns < now;
            if (k->skip)
                k->rc = -ERR_UNAVAILABLE;
        }
        if (j->batch)
            j->batch(s, j, n);
        else if (!j->skip)
            j->rc = write_direct(s, j->run, j->ctx);
        while (j != end) {
            struct write_job *next = j->next;
            finish(s, j);
            j = next;
        }
    }
}

static void *writer(void *arg)
{
    struct store *s = arg;
    (void)prctl(PR_SET_NAME, "kaiku-writer"); /* as top and perf show it */
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->queue && !s->stopping)
            pthread_cond_wait(&s->queued_cv, &s->mu);
        if (!s->queue)
            break; /* stopping, and nothing left */
        struct write_job *jobs = s->queue;
        for (struct write_job *j = jobs; j; j = j->next)
            j->taken = true;
        s->queue = NULL;
        s->tail = &s->queue;
        s->queued = 0;
        pthread_mutex_unlock(&s->mu);
        run_jobs(s, jobs);
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int writer_start(struct store *s)
{
    pthread_mutex_lock(&s->mu);
    int rc = 0;
    if (!s->serving) {
        rc = pthread_create(&s->thread, NULL, writer, s) == 0 ? 0 : -ERR_UNAVAILABLE;
        s->serving = rc == 0;
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* Jobs queued before this are still run; later ones are refused. */
void writer_stop(struct store *s)
{
    pthread_mutex_lock(&s->mu);
    bool serving = s->serving;
    s->stopping = true;
    pthread_cond_signal(&s->queued_cv);
    pthread_mutex_unlock(&s->mu);
    if (serving)
        pthread_join(s->thread, NULL);
}

int store_write(struct store *s, tx_fn fn, void *ctx)
{
    if (!s->serving)
        return write_direct(s, fn, ctx);
    struct write_job j = {.run = fn, .ctx = ctx};
    return writer_wait(s, &j);
}
