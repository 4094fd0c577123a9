#include "http/ratelimit.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "store/store.h"
#include "util/keyslots.h"

#define SLOTS          1024
#define KEY_MAX        KEYSLOT_KEY_MAX
#define BUCKET_SECONDS (RATELIMIT_WINDOW / RATELIMIT_BUCKETS)
_Static_assert(RATELIMIT_WINDOW <= FAILURES_KEPT, "the store keeps a whole window");

struct slot {
    struct keyslot k;                  /* k.last: the latest failure */
    int64_t period[RATELIMIT_BUCKETS]; /* which period (now / BUCKET_SECONDS) a bucket counts */
    uint32_t count[RATELIMIT_BUCKETS];
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The slot of key, or NULL when absent and !create (util/keyslots.h). */
static struct slot *find(const char *key, bool create)
{
    return (struct slot *)keyslot_find(slots, SLOTS, sizeof slots[0], key, create);
}

static bool in_window(int64_t period, int64_t now_period)
{
    return period > now_period - RATELIMIT_BUCKETS && period <= now_period;
}

/* The verdict over a key's buckets, wherever they are kept: 0, or
 * -ERR_RATE_LIMITED with *retry_after. */
static int verdict(const int64_t period[RATELIMIT_BUCKETS], const uint32_t count[RATELIMIT_BUCKETS],
                   unsigned limit, int64_t now, int64_t *retry_after)
{
    int64_t now_period = now / BUCKET_SECONDS;
    uint64_t total = 0;
    for (int i = 0; i < RATELIMIT_BUCKETS; i++)
        if (in_window(period[i], now_period))
            total += count[i];
    if (total < limit)
        return 0;
    /* Oldest period first: when enough have left the window, the count is
     * below limit again. */
    for (int64_t p = now_period - RATELIMIT_BUCKETS + 1; p <= now_period; p++) {
        const int i = (int)(p % RATELIMIT_BUCKETS);
        if (period[i] == p)
            total -= count[i];
        if (total < limit) {
            *retry_after = (p + RATELIMIT_BUCKETS) * BUCKET_SECONDS - now;
            if (*retry_after < 1)
                *retry_after = 1;
            break;
        }
    }
    return -ERR_RATE_LIMITED;
}

int ratelimit_check(const char *key, unsigned limit, int64_t now, int64_t *retry_after)
{
    int rc = 0;
    pthread_mutex_lock(&lock);
    const struct slot *s = find(key, false);
    if (s)
        rc = verdict(s->period, s->count, limit, now, retry_after);
    pthread_mutex_unlock(&lock);
    return rc;
}

void ratelimit_fail(const char *key, int64_t now)
{
    int64_t now_period = now / BUCKET_SECONDS;
    const int i = (int)(now_period % RATELIMIT_BUCKETS);
    pthread_mutex_lock(&lock);
    struct slot *s = find(key, true);
    if (s->period[i] != now_period) {
        s->period[i] = now_period;
        s->count[i] = 0;
    }
    if (s->count[i] < UINT32_MAX)
        s->count[i]++;
    s->k.last = now;
    pthread_mutex_unlock(&lock);
}

void ratelimit_reset(void)
{
    pthread_mutex_lock(&lock);
    memset(slots, 0, sizeof slots);
    pthread_mutex_unlock(&lock);
}

/* ---- kept in the store, for servers sharing one database ---- */

/* A key's buckets as the store has them: each period's count in the bucket
 * the memory table would use. */
struct buckets {
    int64_t period[RATELIMIT_BUCKETS];
    uint32_t count[RATELIMIT_BUCKETS];
};

static int bucket_row(void *ctx, const struct failure_count *c)
{
    struct buckets *b = ctx;
    if (c->period < 0)
        return 0;
    const int i = (int)(c->period % RATELIMIT_BUCKETS);
    b->period[i] = c->period;
    b->count[i] = c->n > UINT32_MAX ? UINT32_MAX : (uint32_t)c->n;
    return 0;
}

/* The store's key of a memory key: the budget's own name space. */
static void shared_key(const char *key, char out[KEY_MAX])
{
    snprintf(out, KEY_MAX, "g|%s", key);
}

int ratelimit_check_shared(struct store *s, const char *key, unsigned limit, int64_t now,
                           int64_t *retry_after)
{
    char k[KEY_MAX];
    shared_key(key, k);
    struct buckets b;
    memset(&b, 0, sizeof b);
    for (int i = 0; i < RATELIMIT_BUCKETS; i++)
        b.period[i] = -1; /* in no window */
    int64_t first = now / BUCKET_SECONDS - RATELIMIT_BUCKETS + 1;
    int rc = store_failures_list(s, k, first, bucket_row, &b);
    return rc != 0 ? rc : verdict(b.period, b.count, limit, now, retry_after);
}

int ratelimit_fail_shared(struct store *s, const char *key, int64_t now)
{
    char k[KEY_MAX];
    shared_key(key, k);
    const char *keys[] = {k};
    return store_failures_add(s, keys, 1, now / BUCKET_SECONDS, now, 0);
}
