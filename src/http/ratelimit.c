#include "http/ratelimit.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "core/error.h"
#include "util/strutil.h"

#define SLOTS   1024
#define KEY_MAX 160

struct slot {
    char key[KEY_MAX];
    int64_t times[RATELIMIT_FAILURES]; /* a ring of the latest failures */
    unsigned next, count;
    int64_t last;
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
        if (s->count && strcmp(s->key, key) == 0)
            return s;
        int64_t age = s->count ? s->last : INT64_MIN;
        if (!victim || age < (victim->count ? victim->last : INT64_MIN))
            victim = s;
    }
    if (!create)
        return NULL;
    memset(victim, 0, sizeof *victim);
    str_copy(victim->key, sizeof victim->key, key);
    return victim;
}

int ratelimit_check(const char *key, int64_t now, int64_t *retry_after)
{
    int rc = 0;
    pthread_mutex_lock(&lock);
    struct slot *s = find(key, false);
    if (s && s->count >= RATELIMIT_FAILURES) {
        /* The ring is full: the oldest failure is at `next`. */
        int64_t oldest = s->times[s->next];
        if (oldest + RATELIMIT_WINDOW > now) {
            *retry_after = oldest + RATELIMIT_WINDOW - now;
            rc = -ERR_RATE_LIMITED;
        }
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

void ratelimit_fail(const char *key, int64_t now)
{
    pthread_mutex_lock(&lock);
    struct slot *s = find(key, true);
    s->times[s->next] = now;
    s->next = (s->next + 1) % RATELIMIT_FAILURES;
    if (s->count < RATELIMIT_FAILURES)
        s->count++;
    s->last = now;
    pthread_mutex_unlock(&lock);
}
