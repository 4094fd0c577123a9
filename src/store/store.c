/* store.c — picks a backend by URL, and the store's life: open, migrate,
 * serve (the writer and the backend's background work), close; and a
 * script run in a read or snapshot transaction (store_read). The
 * transaction scripts are the resource files beside this one. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "store/tx.h"

/* First matching prefix wins; "" matches everything (a SQLite file path). */
static const struct {
    const char *prefix;
    const struct backend_ops *ops;
} backends[] = {
    {"postgresql://", &pg_backend},
    {"postgres://", &pg_backend},
    {"", &sqlite_backend},
};

/* store_reason's words: per thread, since commands and servers may open
 * stores on several. */
static _Thread_local char reason[256];

void bk_reason_set(const char *msg)
{
    size_t n = 0;
    for (const char *p = msg ? msg : ""; *p && n + 1 < sizeof reason; p++)
        if (!(n > 0 && reason[n - 1] == ' ' && (*p == ' ' || *p == '\n' || *p == '\t')))
            reason[n++] = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
    while (n > 0 && reason[n - 1] == ' ')
        n--;
    reason[n] = '\0';
}

const char *store_reason(void)
{
    return reason;
}

static void store_free(struct store *s)
{
    pthread_cond_destroy(&s->queued_cv);
    pthread_cond_destroy(&s->done_cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

int store_open(const char *url, struct store **out)
{
    assert(url && out);
    *out = NULL;
    bk_reason_set("");
    if (url[0] == '\0')
        return -ERR_INVALID_REQUEST;
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return -ERR_UNAVAILABLE;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->queued_cv, NULL);
    pthread_condattr_t attr; /* deadlines are on the monotonic clock */
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->done_cv, &attr);
    pthread_condattr_destroy(&attr);
    s->tail = &s->queue;
    int rc = -ERR_INVALID_REQUEST; /* unreachable: "" matches */
    for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++) {
        size_t n = strlen(backends[i].prefix);
        if (strncmp(url, backends[i].prefix, n) == 0) {
            rc = backends[i].ops->open(url, &s->b);
            break;
        }
    }
    if (rc != 0)
        store_free(s);
    else
        *out = s;
    return rc;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    writer_stop(s); /* records what is queued first */
    s->b->ops->close(s->b);
    store_free(s);
}

int store_migrate(struct store *s, int *from, int *to)
{
    bk_reason_set("");
    return s->b->ops->migrate(s->b, from, to);
}

int store_serve(struct store *s)
{
    int rc = s->b->ops->serve(s->b, WRITE_DEADLINE_MS);
    if (rc == 0)
        rc = writer_start(s);
    return rc;
}

uint64_t store_generation(struct store *s)
{
    return s->b->ops->generation(s->b);
}

bool store_shared(const struct store *s)
{
    return s->b->ops->shared;
}

int store_read(struct store *s, enum bk_tx_kind kind, tx_fn fn, void *ctx)
{
    struct bk_tx *t = NULL;
    int rc = s->b->ops->begin(s->b, kind, &t);
    if (rc == 0)
        rc = t->ops->end(t, fn(t, ctx));
    return rc;
}
