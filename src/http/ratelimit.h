/* Failed card lookups, counted per key (the server counts one key per
 * principal: a user, a venue with its API keys, or a client address) in a
 * small in-memory table shared by all server threads, or — when several
 * servers share one database — in the database (ratelimit_*_shared). A key
 * with `limit` failures within RATELIMIT_WINDOW seconds is refused (429
 * rate_limited) until enough of them have left the window. Guessing card
 * codes is then too slow to be worth it. Failures are counted in
 * RATELIMIT_BUCKETS buckets of equal length, so a key costs a few dozen
 * bytes whatever its limit. Memory is bounded: the table has a fixed number
 * of slots and forgets the stalest key when full. */
#ifndef KAIKU_HTTP_RATELIMIT_H
#define KAIKU_HTTP_RATELIMIT_H

#include <stdint.h>

#define RATELIMIT_WINDOW  600 /* seconds */
#define RATELIMIT_BUCKETS 10

/* 0 when key may try at now; otherwise -ERR_RATE_LIMITED and *retry_after
 * (seconds, >= 1, until the count falls below limit). */
int ratelimit_check(const char *key, unsigned limit, int64_t now, int64_t *retry_after);
/* Counts one failure of key at now. */
void ratelimit_fail(const char *key, int64_t now);
/* Forgets every key (for tests). */
void ratelimit_reset(void);

struct store;

/* The same budget kept in the store s (store_failures_*, as "g|KEY"), for
 * servers that share its database (store_shared): a failure counted by
 * one is seen by all of them at once. Check answers as ratelimit_check, or
 * the store's error (-ERR_UNAVAILABLE: the caller is refused, never let
 * through uncounted); fail returns 0 or the store's error. */
int ratelimit_check_shared(struct store *s, const char *key, unsigned limit, int64_t now,
                           int64_t *retry_after);
int ratelimit_fail_shared(struct store *s, const char *key, int64_t now);

#endif
