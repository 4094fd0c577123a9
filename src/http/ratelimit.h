/* Failed card lookups per (user, client address) in a small in-memory table
 * shared by all server threads: after RATELIMIT_FAILURES failures within
 * RATELIMIT_WINDOW seconds, lookups are refused (429 rate_limited) until the
 * oldest of those failures leaves the window. Guessing card codes is then
 * too slow to be worth it. Memory is bounded: the table has a fixed number
 * of slots and forgets the stalest key when full. */
#ifndef KAIKU_HTTP_RATELIMIT_H
#define KAIKU_HTTP_RATELIMIT_H

#include <stdint.h>

#define RATELIMIT_FAILURES 100
#define RATELIMIT_WINDOW   600

/* 0 when key may try at now; otherwise -ERR_RATE_LIMITED and *retry_after
 * (seconds, >= 1). */
int ratelimit_check(const char *key, int64_t now, int64_t *retry_after);
/* Counts one failure of key at now. */
void ratelimit_fail(const char *key, int64_t now);

#endif
