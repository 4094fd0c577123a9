#include "http/inflight.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "util/strutil.h"

#define SLOTS 4096
#define PROBE 32

struct slot {
    char key[INFLIGHT_KEY_MAX];
    unsigned count; /* 0: free */
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

/* key's slot; with `free_ok` a free slot of its run when key has none.
 * NULL when neither. */
static struct slot *find(const char *key, bool free_ok)
{
    uint32_t h = hash(key);
    struct slot *free_slot = NULL;
    for (unsigned i = 0; i < PROBE; i++) {
        struct slot *s = &slots[(h + i) % SLOTS];
        if (s->count > 0 && strcmp(s->key, key) == 0)
            return s;
        if (s->count == 0 && !free_slot)
            free_slot = s;
    }
    return free_ok ? free_slot : NULL;
}

int inflight_enter(const char *key, unsigned max)
{
    int rc = 0;
    pthread_mutex_lock(&lock);
    /* the slot's count, or a free slot's */
    struct slot *s = find(key, true);
    if (!s || s->count >= max) { /* (no slot: thousands busy in one run of the table) */
        rc = -ERR_UNAVAILABLE;
    } else {
        if (s->count == 0)
            str_copy(s->key, sizeof s->key, key);
        s->count++;
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

void inflight_leave(const char *key)
{
    pthread_mutex_lock(&lock);
    struct slot *s = find(key, false);
    if (s)
        s->count--;
    pthread_mutex_unlock(&lock);
}

unsigned inflight_count(const char *key)
{
    pthread_mutex_lock(&lock);
    const struct slot *s = find(key, false);
    unsigned n = s ? s->count : 0;
    pthread_mutex_unlock(&lock);
    return n;
}
