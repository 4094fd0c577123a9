/* Failures counted for every server of a shared database (store.h,
 * "failures counted for every server"; migration 011): the budgets of
 * guessed card codes and the sign-in throttle, kept where every `kaiku
 * serve` on one PostgreSQL database sees them. Keys go in as text and are
 * stored as their digest. */
#include <string.h>

#include "store/tx.h"

/* A key's digest; -ERR_INVALID_REQUEST when it is empty or too long. */
static int key_digest(const char *key, uint8_t out[SECRET_DIGEST_BYTES])
{
    size_t n = key ? strlen(key) : 0;
    if (n == 0 || n > FAILURE_KEY_MAX)
        return -ERR_INVALID_REQUEST;
    secret_digest(key, n, out);
    return 0;
}

struct failures_add {
    const char *const *keys;
    size_t n;
    int64_t period, now, forget_before;
};

static int failures_add_tx(struct bk_tx *t, void *ctx)
{
    const struct failures_add *c = ctx;
    /* The stale counts of every key go as new failures come: the table
     * holds the failures of the last FAILURES_KEPT seconds, whoever made
     * them. */
    int rc = tx_exec(t, S_FAILURES_PURGE, BK_ARGS(bk_int(c->now - FAILURES_KEPT)));
    for (size_t i = 0; rc == 0 && i < c->n; i++) {
        uint8_t digest[SECRET_DIGEST_BYTES];
        rc = key_digest(c->keys[i], digest);
        if (rc == 0)
            rc = tx_exec(t, S_FAILURE_ADD,
                         BK_ARGS(bk_hash(digest), bk_int(c->period), bk_int(c->now),
                                 bk_int(c->forget_before)));
    }
    return rc;
}

int store_failures_add(struct store *s, const char *const *keys, size_t n, int64_t period,
                       int64_t now, int64_t forget_before)
{
    struct failures_add c = {keys, n, period, now, forget_before};
    return store_write(s, failures_add_tx, &c);
}

struct failures_list {
    const uint8_t *digest;
    int64_t from;
    store_failure_fn fn;
    void *ctx;
};

static int failure_row(void *ctx, const struct bk_row *row)
{
    const struct failures_list *c = ctx;
    if (row->n != 3 || row->v[0].type != BK_INT || row->v[1].type != BK_INT ||
        row->v[2].type != BK_INT)
        return -ERR_INTERNAL;
    const struct failure_count f = {row->v[0].i, row->v[1].i, row->v[2].i};
    return c->fn(c->ctx, &f);
}

static int failures_list_tx(struct bk_tx *t, void *ctx)
{
    struct failures_list *c = ctx;
    return t->ops->run(t, S_FAILURE_LIST, BK_ARGS(bk_hash(c->digest), bk_int(c->from)), failure_row,
                       c);
}

int store_failures_list(struct store *s, const char *key, int64_t from, store_failure_fn fn,
                        void *ctx)
{
    uint8_t digest[SECRET_DIGEST_BYTES];
    int rc = key_digest(key, digest);
    if (rc != 0)
        return rc;
    struct failures_list c = {digest, from, fn, ctx};
    return store_read(s, BK_READ, failures_list_tx, &c);
}

static int failures_clear_tx(struct bk_tx *t, void *ctx)
{
    return tx_exec(t, S_FAILURE_CLEAR, BK_ARGS(bk_hash(ctx)));
}

int store_failures_clear(struct store *s, const char *key)
{
    uint8_t digest[SECRET_DIGEST_BYTES];
    int rc = key_digest(key, digest);
    if (rc == 0)
        rc = store_write(s, failures_clear_tx, digest);
    return rc;
}
