#include "util/keyslots.h"

#include <string.h>

#include "util/strutil.h"

#define PROBES 16

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

struct keyslot *keyslot_find(void *table, size_t n, size_t size, const char *key, bool create)
{
    uint32_t h = hash(key);
    struct keyslot *victim = NULL;
    for (unsigned i = 0; i < PROBES; i++) {
        struct keyslot *s = (struct keyslot *)((char *)table + ((h + i) % n) * size);
        if (s->used && strcmp(s->key, key) == 0)
            return s;
        int64_t age = s->used ? s->last : INT64_MIN;
        if (!victim || age < (victim->used ? victim->last : INT64_MIN))
            victim = s;
    }
    if (!create)
        return NULL;
    memset(victim, 0, size);
    (void)str_copy(victim->key, sizeof victim->key, key);
    victim->used = true;
    return victim;
}
