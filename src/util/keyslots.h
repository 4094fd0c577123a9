/* A fixed table of keyed slots, the stalest forgotten: what the sign-in
 * throttle (http/signin.c) and the guessing budget (http/ratelimit.c) keep
 * per key in memory, in bounded space whatever keys a client sends. Each
 * slot of a table begins with a struct keyslot; the caller holds its own
 * lock around every call. */
#ifndef KAIKU_UTIL_KEYSLOTS_H
#define KAIKU_UTIL_KEYSLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYSLOT_KEY_MAX 160 /* keys are a username and an address, or shorter */

struct keyslot {
    char key[KEYSLOT_KEY_MAX];
    bool used;
    int64_t last; /* the key's latest event: the stalest is forgotten first */
};

/* The slot of key in `table` (n slots of `size` bytes each), or NULL when
 * it is absent and !create. A key probes a short run of slots; a new key
 * takes an empty slot of its run, or else the one whose `last` is oldest,
 * cleared whole. */
struct keyslot *keyslot_find(void *table, size_t n, size_t size, const char *key, bool create);

#endif
