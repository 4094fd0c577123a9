#include "http/ratelimit.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "core/error.h"
#include "util/strutil.h"

#define SLOTS          1024
#define KEY_MAX        160
#define BUCKET_SECONDS (RATELIMIT_WINDOW / RATELIMIT_BUCKETS)

struct slot {
    char key[KEY_MAX];
    bool used;
    int64_t last;                      /* the latest failure */
    int64_t period[RATELIMIT_BUCKETS]; /* which period (now / BUCKET_SECONDS) a bucket counts */
    uint32_t count[RATELIMIT_BUCKETS];
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

/* The slot of key, or NULL when absent and !create. Keys probe a short run
 * of slots; a new key takes an empty slot of its run, or else the one whose
 * latest failure is oldest. */
static struct slot *find(const char *key, bool create)
{
    uint32_t h = hash(key);
    struct slot *victim = NULL;
    for (unsigned i = 0; i < 16; i++) {
        struct slot *s = &slots[(h + i) % SLOTS];
        if (s->used && strcmp(s->key, key) == 0)
            return s;
        int64_t age = s->used ? s->last : INT64_MIN;
        if (!victim || age < (victim->used ? victim->last : INT64_MIN))
            victim = s;
    }
    if (!create)
        return NULL;
    memset(victim, 0, sizeof *victim);
    str_copy(victim->key, sizeof victim->key, key);
    victim->used = true;
    return victim;
}

static bool in_window(int64_t period, int64_t now_period)
{
    return period > now_period - RATELIMIT_BUCKETS && period <= now_period;
}

int ratelimit_check(const char *key, unsigned limit, int64_t now, int64_t *retry_after)
{
    int rc = 0;
    int64_t now_period = now / BUCKET_SECONDS;
    pthread_mutex_lock(&lock);
    const struct slot *s = find(key, false);
    uint64_t total = 0;
    for (int i = 0; s && i < RATELIMIT_BUCKETS; i++)
        if (in_window(s->period[i], now_period))
            total += s->count[i];
    if (s && total >= limit) {
        /* Oldest period first: when enough have left the window, the
         * count is below limit again. */
        for (int64_t p = now_period - RATELIMIT_BUCKETS + 1; p <= now_period; p++) {
            const int i = (int)(p % RATELIMIT_BUCKETS);
            if (s->period[i] == p)
                total -= s->count[i];
            if (total < limit) {
                *retry_after = (p + RATELIMIT_BUCKETS) * BUCKET_SECONDS - now;
                if (*retry_after < 1)
                    *retry_after = 1;
                break;
            }
        }
        rc = -ERR_RATE_LIMITED;
    }
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
    s->last = now;
    pthread_mutex_unlock(&lock);
}

void ratelimit_reset(void)
{
    pthread_mutex_lock(&lock);
    memset(slots, 0, sizeof slots);
    pthread_mutex_unlock(&lock);
}
